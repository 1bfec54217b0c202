"""Creators and lists pages. Thin: parse the form, call the service, render. Forms answer
with inline errors (422, or 409 for a conflict) rather than error pages, and a refused write
leaves nothing behind (each runs in a savepoint)."""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError

from tastemaker.creator import service
from tastemaker.creator.bulk import METRIC_FIELDS
from tastemaker.creator.models import MetricSnapshot, Platform, Provenance, RelationshipStatus
from tastemaker.creator.schemas import (
    DEFAULT_SORT,
    SORT_VALUES,
    AccountCreate,
    AccountUpdate,
    CreatorCreate,
    CreatorFilters,
    CreatorUpdate,
    ListCreate,
    ListUpdate,
    RateCreate,
    WorkspaceDataUpdate,
)
from tastemaker.discovery.ranking import FORMULA as RELEVANCE_FORMULA
from tastemaker.kit.errors import DomainError, NotFound
from tastemaker.kit.ids import IdPath
from tastemaker.kit.money import MoneyError, format_minor, parse_major
from tastemaker.kit.pagination import PageParams
from tastemaker.vetting import service as vetting_service
from tastemaker.vetting.figures import SAMPLE_HINT
from tastemaker.web.deps import PageContext, PageWriter, verify_csrf
from tastemaker.web.templating import render
from tastemaker.workspace.context import Context

router = APIRouter(prefix="/w/{slug}", dependencies=[Depends(verify_csrf)], include_in_schema=False)

PER_PAGE = 50
CHART_GUTTER = 44
PROFILE_INPUTS = ("url", "country", "language", "categories", "bio", "contact_email")
SORT_LABELS = {
    "relevance": "Relevance to the description",
    "-followers": "Followers, most first",
    "followers": "Followers, fewest first",
    "-engagement_rate": "Engagement rate, highest first",
    "engagement_rate": "Engagement rate, lowest first",
    "name": "Name, A to Z",
    "-name": "Name, Z to A",
    "-updated": "Recently updated",
    "updated": "Least recently updated",
}
# Form names of the filters, and the service's names for them.
FILTER_NAMES = {
    "about": "about",
    "search": "search",
    "platform": "platform",
    "country": "country",
    "language": "language",
    "tier": "tier",
    "category": "category",
    "min_followers": "min_followers",
    "max_followers": "max_followers",
    "min_er": "min_engagement_rate",
    "tag": "tag",
    "status": "relationship_status",
    "list": "list_id",
}
FORM_NAME = {api: form for form, api in FILTER_NAMES.items()}

Model = TypeVar("Model", bound=BaseModel)


class FormInvalid(Exception):
    """Field errors of a submitted form, to be shown beside the fields."""

    def __init__(self, errors: dict[str, str], status_code: int = 422) -> None:
        super().__init__(next(iter(errors.values()), "invalid"))
        self.errors = errors
        self.status_code = status_code


def _field_name(location: Sequence[Any] | str | None) -> str:
    """'accounts.0.country' or ('accounts', 0, 'country') -> 'country'."""
    parts = location.split(".") if isinstance(location, str) else list(location or [])
    names = [str(p) for p in parts if not isinstance(p, int) and not str(p).isdigit()]
    return names[-1] if names else "_form"


def _validated(model: type[Model], data: dict[str, Any], rename: Mapping[str, str] = {}) -> Model:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            name = _field_name(error["loc"])
            errors.setdefault(rename.get(name, name), error["msg"])
        raise FormInvalid(errors) from None


@contextmanager
def _write(ctx: Context, rename: Mapping[str, str] = {}) -> Iterator[None]:
    """Runs a service write in a savepoint: on refusal nothing of it stays, and the domain
    error becomes field errors. A missing object is still a 404 page."""
    try:
        with ctx.session.begin_nested():
            yield
    except NotFound:
        raise
    except DomainError as exc:
        details = exc.details if isinstance(exc.details, dict) else {}
        name = _field_name(details.get("field"))
        raise FormInvalid({rename.get(name, name): exc.message}, exc.status_code) from None


def _form_values(form: Mapping[str, Any], names: Sequence[str]) -> dict[str, str]:
    return {name: str(form.get(name, "")).strip() for name in names}


def _filled(values: Mapping[str, str]) -> dict[str, Any]:
    """Blank inputs are left out, so the schema's defaults apply."""
    return {name: value for name, value in values.items() if value != ""}


def _categories(text: str) -> list[str]:
    return [c.strip() for c in text.split(",") if c.strip()]


# ----------------------------------------------------------------------------- creators list


@dataclass
class FilterForm:
    values: dict[str, str]
    filters: CreatorFilters | None
    sort: str
    page: int
    errors: dict[str, str] = field(default_factory=dict)

    def query(self, **changes: Any) -> str:
        """This search's query string, with some parameters changed (e.g. the page)."""
        data = {k: v for k, v in {**self.values, "sort": self.sort, **changes}.items() if v}
        if data.get("sort") == DEFAULT_SORT:
            del data["sort"]
        if str(data.get("page")) == "1":
            del data["page"]
        return urlencode(data)

    @property
    def active(self) -> bool:
        return any(self.values.values())


def _parse_filters(params: Mapping[str, str]) -> FilterForm:
    values = _form_values(params, list(FILTER_NAMES))
    errors: dict[str, str] = {}
    data: dict[str, Any] = {}
    for name, value in values.items():
        if value == "":
            continue
        api_name = FILTER_NAMES[name]
        if name in ("min_followers", "max_followers", "list"):
            cleaned = value.replace(",", "").replace("_", "").replace(" ", "")
            if not cleaned.isdigit():
                errors[name] = "a whole number, please"
                continue
            data[api_name] = int(cleaned)
        elif name == "min_er":
            try:
                percent = float(value.rstrip("%").replace(",", "."))
            except ValueError:
                errors[name] = "a percentage, such as 3 or 2.5"
                continue
            if not math.isfinite(percent):
                errors[name] = "a percentage, such as 3 or 2.5"
                continue
            data[api_name] = percent / 100
        else:
            data[api_name] = value
    sort = params.get("sort", "") or DEFAULT_SORT
    if sort not in SORT_VALUES:
        errors["sort"] = "choose a sort from the list"
        sort = DEFAULT_SORT
    if values["about"]:
        # A description ranks the list whatever the sort; the form says so.
        sort = "relevance"
    page_text = params.get("page", "1") or "1"
    page = int(page_text) if page_text.isdigit() and 0 < int(page_text) <= 100_000 else 0
    if page == 0:
        errors["page"] = "pages start at 1"
        page = 1
    filters = None
    try:
        filters = _validated(CreatorFilters, data, FORM_NAME)
    except FormInvalid as exc:
        errors.update(exc.errors)
    return FilterForm(values, filters if not errors else None, sort, page, errors)


def _creators_page(request: Request, ctx: Context, form: FilterForm) -> Response:
    page = None
    if form.filters is not None:
        try:
            params = PageParams(form.page, PER_PAGE)
            page = service.list_creators(ctx, form.filters, form.sort, params)
        except NotFound as exc:
            form.errors["list"] = exc.message
        except DomainError as exc:
            details = exc.details if isinstance(exc.details, dict) else {}
            name = _field_name(details.get("field"))
            form.errors[FORM_NAME.get(name, name)] = exc.message
    rows = page.items if page else []
    data = {
        "nav": "creators",
        "form": form,
        "page": page,
        "rows": rows,
        "tiers": {row.account_id: service.tier_of(row.followers) for row in rows},
        "credibility": vetting_service.credibility_badges(ctx, [r.account_id for r in rows]),
        "formulas": service.FORMULA_TEXTS,
        "relevance_formula": RELEVANCE_FORMULA,
        "any_creators": bool(rows) or service.any_accounts(ctx),
        **_choices(ctx),
    }
    status = 422 if form.errors else 200
    htmx_results = (
        request.headers.get("hx-target") == "results"
        and request.headers.get("hx-history-restore-request") != "true"
    )
    name = "creator/_results.html" if htmx_results else "creator/list.html"
    return render(request, name, data, status)


def _choices(ctx: Context) -> dict[str, Any]:
    return {
        "platforms": list(Platform),
        "tier_choices": [(t, service.tier_label(t)) for t in service.tier_names()],
        "statuses": list(RelationshipStatus),
        "provenances": list(Provenance),
        "sort_labels": SORT_LABELS,
        "lists": service.lists(ctx),
    }


@router.get("/creators", response_class=HTMLResponse)
def creators_page(request: Request, ctx: PageContext) -> Response:
    return _creators_page(request, ctx, _parse_filters(request.query_params))


# ----------------------------------------------------------------------------- new creator


NEW_FIELDS = ("display_name", "platform", "handle", "provenance", *METRIC_FIELDS,
              *PROFILE_INPUTS)  # fmt: skip


@router.get("/creators/new", response_class=HTMLResponse)
def new_creator_page(request: Request, ctx: PageWriter) -> Response:
    return render(
        request,
        "creator/new.html",
        {"nav": "creators", "values": {"provenance": "reported"}, "errors": {}, **_choices(ctx)},
    )


@router.post("/creators", response_class=HTMLResponse)
async def create_creator(request: Request, slug: str, ctx: PageWriter) -> Response:
    form = await request.form()
    values = _form_values(form, NEW_FIELDS)
    is_virtual = form.get("is_virtual") == "on"
    account = _filled({k: v for k, v in values.items() if k != "display_name"})
    account["categories"] = _categories(values["categories"])
    try:
        data = _validated(
            CreatorCreate,
            {"display_name": values["display_name"], "is_virtual": is_virtual,
             "accounts": [account]},
        )  # fmt: skip
        with _write(ctx):
            creator = service.create_creator(ctx, data)
    except FormInvalid as exc:
        return render(
            request,
            "creator/new.html",
            {"nav": "creators", "values": values, "is_virtual": is_virtual,
             "errors": exc.errors, **_choices(ctx)},
            exc.status_code,
        )  # fmt: skip
    return RedirectResponse(f"/w/{slug}/creators/{creator.id}", status_code=303)


# ----------------------------------------------------------------------------- detail


@dataclass
class Chart:
    """A follower-history line, laid out for an inline SVG."""

    width: int
    height: int
    points: list[tuple[float, float, MetricSnapshot]]
    low: int
    high: int

    @property
    def polyline(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y, _ in self.points)


def follower_chart(snapshots: Sequence[MetricSnapshot], width: int = 560,
                   height: int = 160) -> Chart | None:  # fmt: skip
    """Time on x, followers on y; None with fewer than two known points. The left gutter
    holds the axis labels."""
    known = [s for s in snapshots if s.followers is not None]
    if len(known) < 2:
        return None
    pad, gutter = 8, CHART_GUTTER
    first, last = known[0].captured_at, known[-1].captured_at
    span = max((last - first).total_seconds(), 1.0)
    counts = [s.followers or 0 for s in known]
    low, high = min(counts), max(counts)
    spread = max(high - low, 1)
    points = [
        (
            gutter + (s.captured_at - first).total_seconds() / span * (width - gutter - pad),
            height - pad - ((s.followers or 0) - low) / spread * (height - 2 * pad),
            s,
        )
        for s in known
    ]
    return Chart(width, height, points, low, high)


def detail_page(
    request: Request,
    ctx: Context,
    creator_id: IdPath,
    status_code: int = 200,
    *,
    error_form: str = "",
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Response:
    """The creator's page; other domains' forms on it (audience checks) answer a refusal
    inline with it, their own template values in `extra`."""
    detail = service.creator_detail(ctx, creator_id)
    accounts = detail.creator.accounts
    in_lists = {cl.id for cl in detail.lists}
    # This workspace's latest audience check of every account, in one query for the page.
    checks = vetting_service.latest_checks(ctx, [a.id for a in accounts])
    return render(
        request,
        "creator/detail.html",
        {
            "nav": "creators",
            "detail": detail,
            "creator": detail.creator,
            "accounts": accounts,
            "categories": {a.id: detail.categories(a) for a in accounts},
            "charts": {a.id: follower_chart(detail.snapshots[a.id]) for a in accounts},
            "tiers": {a.id: service.tier_of(a.followers) for a in accounts},
            "formulas": service.FORMULA_TEXTS,
            "overlay": detail.workspace_data,
            "rates": [(r, format_minor(r.amount_minor, r.currency)) for r in detail.rates],
            "other_lists": [s for s in service.lists(ctx) if s.creator_list.id not in in_lists],
            "history_days": service.HISTORY_WINDOW.days,
            "as_text": _as_text,
            "chart_gutter": CHART_GUTTER,
            "error_form": error_form,
            "errors": errors or {},
            "values": values or {},
            "audience_checks": checks,
            "audience_figures": {i: vetting_service.figures(c) for i, c in checks.items()},
            "audience_sample_hint": SAMPLE_HINT,
            **_choices(ctx),
            **(extra or {}),
        },
        status_code,
    )


def _refused(request: Request, ctx: Context, creator_id: IdPath, form_id: str,
             exc: FormInvalid, values: dict[str, Any]) -> Response:  # fmt: skip
    return detail_page(request, ctx, creator_id, exc.status_code, error_form=form_id,
                   errors=exc.errors, values=values)  # fmt: skip


def _back_to(slug: str, creator_id: IdPath, anchor: str = "") -> Response:
    return RedirectResponse(
        f"/w/{slug}/creators/{creator_id}{'#' + anchor if anchor else ''}", status_code=303
    )


@router.get("/creators/{creator_id}", response_class=HTMLResponse)
def creator_page(request: Request, creator_id: IdPath, ctx: PageContext) -> Response:
    return detail_page(request, ctx, creator_id)


@router.post("/creators/{creator_id}", response_class=HTMLResponse)
async def update_creator(request: Request, slug: str, creator_id: IdPath,
                         ctx: PageWriter) -> Response:  # fmt: skip
    form = await request.form()
    values: dict[str, Any] = {
        "display_name": str(form.get("display_name", "")).strip(),
        "is_virtual": form.get("is_virtual") == "on",
    }
    try:
        data = _validated(CreatorUpdate, values)
        with _write(ctx):
            service.update_creator(ctx, creator_id, data)
    except FormInvalid as exc:
        return _refused(request, ctx, creator_id, "profile", exc, values)
    return _back_to(slug, creator_id)


@router.post("/creators/{creator_id}/accounts", response_class=HTMLResponse)
async def add_account(request: Request, slug: str, creator_id: IdPath, ctx: PageWriter) -> Response:
    form = await request.form()
    values = _form_values(form, ("platform", "handle", "provenance", *METRIC_FIELDS,
                                 *PROFILE_INPUTS))  # fmt: skip
    data_in = _filled(values)
    data_in["categories"] = _categories(values["categories"])
    try:
        data = _validated(AccountCreate, data_in)
        with _write(ctx):
            account = service.add_account(ctx, creator_id, data)
    except FormInvalid as exc:
        return _refused(request, ctx, creator_id, "new-account", exc, values)
    return _back_to(slug, creator_id, f"account-{account.id}")


@router.post("/creators/{creator_id}/accounts/{account_id}", response_class=HTMLResponse)
async def update_account(request: Request, slug: str, creator_id: IdPath, account_id: IdPath,
                         ctx: PageWriter) -> Response:  # fmt: skip
    form = await request.form()
    values = _form_values(form, ("handle", "provenance", *METRIC_FIELDS, *PROFILE_INPUTS))
    current = service.account_detail(ctx, creator_id, account_id).account
    # Only what changed is sent, so unchanged metrics do not become a new 'manual' reading;
    # a field the form did not carry is left alone.
    changed: dict[str, Any] = {}
    for name in ("handle", *METRIC_FIELDS, *PROFILE_INPUTS):
        if name not in form:
            continue
        before = getattr(current, name) if name != "categories" else None
        if name == "categories":
            new = _categories(values[name])
            if sorted(new) != sorted(c.category for c in current.categories):
                changed[name] = new
        elif values[name] != _as_text(before):
            changed[name] = values[name] or None
    if values["provenance"]:
        changed["provenance"] = values["provenance"]
    try:
        data = _validated(AccountUpdate, changed)
        with _write(ctx):
            service.update_account(ctx, creator_id, account_id, data)
    except FormInvalid as exc:
        return _refused(request, ctx, creator_id, f"account-{account_id}", exc, values)
    return _back_to(slug, creator_id, f"account-{account_id}")


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@router.post("/creators/{creator_id}/accounts/{account_id}/delete", response_class=HTMLResponse)
def remove_account(request: Request, slug: str, creator_id: IdPath, account_id: IdPath,
                   ctx: PageWriter) -> Response:  # fmt: skip
    try:
        with _write(ctx, rename={"account_id": "_form"}):
            service.remove_account(ctx, creator_id, account_id)
    except FormInvalid as exc:
        return _refused(request, ctx, creator_id, f"account-{account_id}", exc, {})
    return _back_to(slug, creator_id)


def _custom_fields(text: str) -> dict[str, str]:
    """'Agent: Lou' per line."""
    found: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        if not colon or not key.strip():
            raise FormInvalid({"custom_fields": f"line {number}: write it as 'name: value'"})
        found[key.strip()] = value.strip()
    return found


@router.post("/creators/{creator_id}/workspace-data", response_class=HTMLResponse)
async def update_workspace_data(request: Request, slug: str, creator_id: IdPath,
                                ctx: PageWriter) -> Response:  # fmt: skip
    form = await request.form()
    values = _form_values(form, ("notes", "tags", "custom_fields", "relationship_status"))
    # A field the form did not carry keeps its value.
    sent: dict[str, Any] = {}
    if "notes" in form:
        sent["notes"] = values["notes"]
    if "relationship_status" in form:
        sent["relationship_status"] = values["relationship_status"] or "none"
    try:
        if "tags" in form:
            sent["tags"] = _categories(values["tags"])
        if "custom_fields" in form:
            sent["custom_fields"] = _custom_fields(values["custom_fields"])
        data = _validated(WorkspaceDataUpdate, sent)
        with _write(ctx):
            service.update_workspace_data(ctx, creator_id, data)
    except FormInvalid as exc:
        return _refused(request, ctx, creator_id, "workspace-data", exc, values)
    return _back_to(slug, creator_id, "workspace-data")


@router.post("/creators/{creator_id}/rates", response_class=HTMLResponse)
async def add_rate(request: Request, slug: str, creator_id: IdPath, ctx: PageWriter) -> Response:
    form = await request.form()
    values = _form_values(form, ("platform", "deliverable", "amount", "currency"))
    currency = values["currency"].upper() or ctx.workspace.default_currency
    try:
        try:
            amount_minor = parse_major(values["amount"], currency)
        except MoneyError as exc:
            name = "currency" if "currency" in str(exc) else "amount"
            raise FormInvalid({name: str(exc)}) from None
        if amount_minor < 0:
            raise FormInvalid({"amount": "a rate cannot be negative"})
        data = _validated(
            RateCreate,
            {"platform": values["platform"], "deliverable": values["deliverable"],
             "amount_minor": amount_minor, "currency": currency},
        )  # fmt: skip
        with _write(ctx):
            service.add_rate(ctx, creator_id, data)
    except FormInvalid as exc:
        return _refused(request, ctx, creator_id, "rates", exc, values)
    return _back_to(slug, creator_id, "rates")


@router.post("/creators/{creator_id}/rates/{rate_id}/delete")
def remove_rate(slug: str, creator_id: IdPath, rate_id: IdPath, ctx: PageWriter) -> Response:
    service.remove_rate(ctx, creator_id, rate_id)
    return _back_to(slug, creator_id, "rates")


@router.post("/creators/{creator_id}/lists", response_class=HTMLResponse)
def add_to_list(
    request: Request,
    slug: str,
    creator_id: IdPath,
    ctx: PageWriter,
    list_id: Annotated[str, Form()] = "",
) -> Response:
    try:
        if not list_id.isdigit():
            raise FormInvalid({"list_id": "choose a list"})
        with _write(ctx):
            service.add_to_list(ctx, int(list_id), creator_id)
    except FormInvalid as exc:
        return _refused(request, ctx, creator_id, "lists", exc, {"list_id": list_id})
    return _back_to(slug, creator_id, "lists")


# ----------------------------------------------------------------------------- lists


def _lists_page(request: Request, ctx: Context, status_code: int = 200,
                **extra: Any) -> Response:  # fmt: skip
    data: dict[str, Any] = {"nav": "lists", "summaries": service.lists(ctx), "errors": {},
                            "values": {}}  # fmt: skip
    data.update(extra)
    return render(request, "creator/lists.html", data, status_code)


@router.get("/lists", response_class=HTMLResponse)
def lists_page(request: Request, ctx: PageContext) -> Response:
    return _lists_page(request, ctx)


@router.post("/lists", response_class=HTMLResponse)
async def create_list(request: Request, slug: str, ctx: PageWriter) -> Response:
    values = _form_values(await request.form(), ("name", "description"))
    try:
        data = _validated(ListCreate, values)
        with _write(ctx):
            created = service.create_list(ctx, data)
    except FormInvalid as exc:
        return _lists_page(request, ctx, exc.status_code, errors=exc.errors, values=values)
    return RedirectResponse(f"/w/{slug}/lists/{created.id}", status_code=303)


def _list_page(request: Request, ctx: Context, list_id: IdPath, page_number: int = 1,
               status_code: int = 200, **extra: Any) -> Response:  # fmt: skip
    creator_list = service.get_list(ctx, list_id)
    members = service.list_members(ctx, list_id, PageParams(page_number, PER_PAGE))
    data: dict[str, Any] = {
        "nav": "lists",
        "creator_list": creator_list,
        "size": service.list_size(ctx, list_id),
        "members": members,
        "errors": {},
        "values": {"name": creator_list.name, "description": creator_list.description},
    }
    data.update(extra)
    return render(request, "creator/list_detail.html", data, status_code)


@router.get("/lists/{list_id}", response_class=HTMLResponse)
def list_page(request: Request, list_id: IdPath, ctx: PageContext, page: int = 1) -> Response:
    if page < 1:
        raise NotFound("pages start at 1")
    return _list_page(request, ctx, list_id, page)


@router.post("/lists/{list_id}", response_class=HTMLResponse)
async def update_list(request: Request, slug: str, list_id: IdPath, ctx: PageWriter) -> Response:
    values = _form_values(await request.form(), ("name", "description"))
    try:
        data = _validated(ListUpdate, values)
        with _write(ctx):
            service.update_list(ctx, list_id, data)
    except FormInvalid as exc:
        return _list_page(request, ctx, list_id, 1, exc.status_code, errors=exc.errors,
                          values=values)  # fmt: skip
    return RedirectResponse(f"/w/{slug}/lists/{list_id}", status_code=303)


@router.post("/lists/{list_id}/delete")
def delete_list(slug: str, list_id: IdPath, ctx: PageWriter) -> Response:
    service.delete_list(ctx, list_id)
    return RedirectResponse(f"/w/{slug}/lists", status_code=303)


@router.post("/lists/{list_id}/creators/{creator_id}/delete")
def remove_from_list(
    slug: str, list_id: IdPath, creator_id: IdPath, ctx: PageWriter,
    back: Annotated[str, Form()] = "list",
) -> Response:  # fmt: skip
    service.remove_from_list(ctx, list_id, creator_id)
    if back == "creator":
        return _back_to(slug, creator_id, "lists")
    return RedirectResponse(f"/w/{slug}/lists/{list_id}", status_code=303)
