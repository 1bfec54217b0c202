"""Brand-safety pages: an account's scan form and past scans, one scan in full with its
highlighted evidence, and the evidence as CSV. Thin: read the form, call the service,
render. A refused form re-renders with the reason beside the field and stores nothing."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from tastemaker.brandsafety import service
from tastemaker.brandsafety.endpoints import evidence_download
from tastemaker.brandsafety.report import excerpt_parts
from tastemaker.brandsafety.schemas import (
    DEFAULT_POSTS,
    MAX_KEYWORDS,
    MAX_POSTS,
    ScanCreate,
    parse_competitor,
)
from tastemaker.creator import service as creator_service
from tastemaker.kit.errors import DomainError, NotFound, PermissionDenied
from tastemaker.kit.ids import IdPath
from tastemaker.web.deps import PageContext, PageWriter, PostedForm, form_text, verify_csrf
from tastemaker.web.templating import render
from tastemaker.workspace.context import Context

router = APIRouter(prefix="/w/{slug}", dependencies=[Depends(verify_csrf)], include_in_schema=False)

ACCOUNT_PATH = "/creators/{creator_id}/accounts/{account_id}/brand-safety"
HISTORY = 20
FORM_FIELDS = ("keywords", "competitors", "posts")


def parse_keywords(text: str) -> list[str]:
    """One keyword or phrase per line, or several on a line separated by commas."""
    return [part.strip() for line in text.splitlines() for part in line.split(",") if part.strip()]


def _payload(values: Mapping[str, str]) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "keywords": parse_keywords(values["keywords"]),
        # One competitor per line, blank lines passed over.
        "competitors": [
            parse_competitor(line) for line in values["competitors"].splitlines() if line.strip()
        ],
    }
    if values["posts"].strip():
        # As typed: the schema reads the number, or refuses it by name.
        payload["posts"] = values["posts"].strip()
    return payload


def _form_errors(exc: ValidationError, payload: Mapping[str, Any]) -> dict[str, str]:
    """Pydantic's errors as the form shows them: beside the textarea, naming the entry."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        location = error.get("loc", ())
        field = str(location[0]) if location else "_form"
        message = str(error.get("msg", "invalid")).removeprefix("Value error, ")
        entries = payload.get(field)
        if len(location) > 1 and isinstance(location[1], int) and isinstance(entries, list):
            entry = entries[location[1]]
            named = repr(str(entry["name"] if isinstance(entry, dict) else entry)[:60])
            if named not in message:
                message = f"{named}: {message}"
        errors.setdefault(field if field in FORM_FIELDS else "_form", message)
    return errors


def _account_page(
    request: Request,
    ctx: Context,
    creator_id: int,
    account_id: int,
    status_code: int = 200,
    *,
    values: Mapping[str, str] | None = None,
    errors: Mapping[str, str] | None = None,
) -> Response:
    account = creator_service.get_account(ctx.session, creator_id, account_id)
    return render(
        request,
        "brandsafety/account.html",
        {
            "nav": "creators",
            "account": account,
            "creator": creator_service.get_creator(ctx.session, creator_id),
            "scans": service.scans_of(ctx, account, HISTORY),
            "values": values or {"keywords": "", "competitors": "", "posts": str(DEFAULT_POSTS)},
            "errors": errors or {},
            "max_keywords": MAX_KEYWORDS,
            "max_posts": MAX_POSTS,
        },
        status_code,
    )


@router.get(ACCOUNT_PATH, response_class=HTMLResponse)
def account_page(
    request: Request, creator_id: IdPath, account_id: IdPath, ctx: PageContext
) -> Response:
    return _account_page(request, ctx, creator_id, account_id)


@router.post(ACCOUNT_PATH, response_class=HTMLResponse)
def scan_account(
    request: Request,
    slug: str,
    creator_id: IdPath,
    account_id: IdPath,
    ctx: PageWriter,
    form: PostedForm,
) -> Response:
    values = {name: form_text(form, name) for name in FORM_FIELDS}
    payload = _payload(values)
    try:
        data = ScanCreate.model_validate(payload)
    except ValidationError as exc:
        errors = _form_errors(exc, payload)
        return _account_page(
            request, ctx, creator_id, account_id, 422, values=values, errors=errors
        )
    try:
        # A savepoint: the page is answered (and the request committed) even on refusal.
        with ctx.session.begin_nested():
            scan = service.scan_account(ctx, creator_id, account_id, data)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        # No posts to scan is the account's state (409), not the form's: it keeps its status.
        return _account_page(
            request, ctx, creator_id, account_id, exc.status_code, values=values,
            errors={"_form": exc.message},
        )  # fmt: skip
    return RedirectResponse(f"/w/{slug}/brand-safety-scans/{scan.id}", status_code=303)


@dataclass(frozen=True)
class EvidenceRow:
    """A stored finding as the evidence table shows it: the excerpt cut around the match,
    so the template escapes each part and marks the middle one."""

    finding: Mapping[str, Any]
    posted_at: datetime | None
    before: str
    match: str
    after: str


def evidence_row(finding: Mapping[str, Any]) -> EvidenceRow:
    posted_at = finding.get("posted_at")
    before, match, after = excerpt_parts(finding)
    return EvidenceRow(
        finding=finding,
        posted_at=datetime.fromisoformat(posted_at) if posted_at else None,
        before=before,
        match=match,
        after=after,
    )


@router.get("/brand-safety-scans/{scan_id}", response_class=HTMLResponse)
def scan_page(request: Request, scan_id: IdPath, ctx: PageContext) -> Response:
    scan = service.get_scan(ctx, scan_id)
    account = scan.account
    return render(
        request,
        "brandsafety/scan.html",
        {
            "nav": "creators",
            "scan": scan,
            "account": account,
            "creator": creator_service.get_creator(ctx.session, account.creator_id),
            "categories": [c for c in scan.categories if c["findings"]],
            "clean_categories": [c["name"] for c in scan.categories if not c["findings"]],
            "evidence": [evidence_row(f) for f in scan.findings],
            "meanings": service.MEANINGS,
            "history": service.scans_of(ctx, account, HISTORY),
        },
    )


@router.get("/brand-safety-scans/{scan_id}/evidence.csv")
def evidence_csv(scan_id: IdPath, ctx: PageContext) -> Response:
    return evidence_download(service.get_scan(ctx, scan_id))
