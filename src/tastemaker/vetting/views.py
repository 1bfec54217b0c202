"""Audience-check pages: the upload form on a creator's page, and one check in full.
Thin: read the upload, call the service, render. A refused sample re-renders the creator's
page with the reason beside the form (422) and leaves nothing behind (a savepoint)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tastemaker.creator import service as creator_service
from tastemaker.creator.views import detail_page
from tastemaker.kit.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from tastemaker.kit.ids import IdPath
from tastemaker.vetting import service
from tastemaker.vetting.audience_quality import audience_quality
from tastemaker.web.deps import PageContext, PageWriter, verify_csrf
from tastemaker.web.templating import render
from tastemaker.web.uploads import read_upload

router = APIRouter(prefix="/w/{slug}", dependencies=[Depends(verify_csrf)], include_in_schema=False)

SHOWN_PROBLEMS = 20
HISTORY = 20


@router.post(
    "/creators/{creator_id}/accounts/{account_id}/audience-checks", response_class=HTMLResponse
)
def check_audience(
    request: Request,
    slug: str,
    creator_id: IdPath,
    account_id: IdPath,
    ctx: PageWriter,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    try:
        # A browser sends a file part with an empty name when none was chosen.
        if file is None or not file.filename:
            raise ValidationFailed("choose a follower sample file to upload")
        with ctx.session.begin_nested():
            service.check_audience(ctx, creator_id, account_id, read_upload(file), file.filename)
    except (NotFound, PermissionDenied):
        raise
    except DomainError as exc:
        details = exc.details if isinstance(exc.details, dict) else {}
        # Refused input is the form's to fix (422, a too-large file too); a model missing
        # from the installation is the server's, and keeps its own status.
        status_code = exc.status_code if exc.status_code >= 500 else 422
        return detail_page(
            request,
            ctx,
            creator_id,
            status_code,
            error_form=f"audience-{account_id}",
            errors={"_form": exc.message},
            extra={"audience_problems": (details.get("problems") or [])[:SHOWN_PROBLEMS]},
        )
    return RedirectResponse(
        f"/w/{slug}/creators/{creator_id}#audience-{account_id}", status_code=303
    )


@router.get("/audience-checks/{check_id}", response_class=HTMLResponse)
def check_page(request: Request, check_id: IdPath, ctx: PageContext) -> Response:
    check = service.get_check(ctx, check_id)
    account = check.account
    shown = service.figures(check)
    history = [
        (c, shown if c.id == check.id else service.figures(c))
        for c in service.history(ctx, account, HISTORY)
    ]
    return render(
        request,
        "vetting/check.html",
        {
            "nav": "creators",
            "check": check,
            "account": account,
            "creator": creator_service.get_creator(ctx.session, account.creator_id),
            "figures": shown,
            "meanings": service.MEANINGS,
            "history": history,
        },
    )


@router.get(
    "/creators/{creator_id}/accounts/{account_id}/audience-quality", response_class=HTMLResponse
)
def quality_page(
    request: Request, creator_id: IdPath, account_id: IdPath, ctx: PageContext
) -> Response:
    quality = audience_quality(ctx, creator_id, account_id)
    return render(
        request,
        "vetting/quality.html",
        {
            "nav": "creators",
            "quality": quality,
            "account": quality.account,
            "creator": creator_service.get_creator(ctx.session, creator_id),
        },
    )
