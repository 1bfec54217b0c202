"""Campaign pages: the list, the create/edit form, and the detail page with its roster.

Forms post plain text (budgets and fees in major units, rates in percent); this module turns
that into the API's schemas and hands it to the service, so the rules are the same as the
API's. A refused form is shown again with the person's input and errors beside the fields."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from tastemaker.campaign import service
from tastemaker.campaign.models import (
    READ_ONLY_STATUSES,
    Campaign,
    CampaignKpi,
    CampaignStatus,
    CollaborationModel,
    KpiMetric,
    KpiUnit,
    Objective,
    RosterStatus,
    kpi_unit,
    next_statuses,
)
from tastemaker.campaign.schemas import (
    AGE_BANDS,
    GENDERS,
    CampaignCreate,
    CampaignUpdate,
    KpiTarget,
    RosterEntryCreate,
    RosterEntryUpdate,
)
from tastemaker.creator.models import Platform
from tastemaker.kit.errors import DomainError
from tastemaker.kit.ids import IdPath
from tastemaker.kit.money import CURRENCY_EXPONENTS, MoneyError, format_minor, parse_major
from tastemaker.kit.pagination import PageParams
from tastemaker.kit.settings import get_settings
from tastemaker.web.deps import PageContext, PageWriter, PostedForm, form_text, verify_csrf
from tastemaker.web.templating import percent, render
from tastemaker.workspace.context import Context

router = APIRouter(prefix="/w/{slug}", dependencies=[Depends(verify_csrf)], include_in_schema=False)

PER_PAGE = 50
# Blank KPI rows offered on the form, beyond the ones already set.
SPARE_KPI_ROWS = 3
# Schema field -> the form field its error is shown beside.
FORM_FIELDS = {"budget_minor": "budget", "planned_fee_minor": "planned_fee"}
METRIC_ABBREVIATIONS = {
    KpiMetric.ctr: "CTR",
    KpiMetric.cpm: "CPM",
    KpiMetric.cpe: "CPE",
    KpiMetric.cpc: "CPC",
    KpiMetric.cpa: "CPA",
    KpiMetric.roas: "ROAS",
}


E = TypeVar("E", CampaignStatus, Objective, KpiMetric, RosterStatus, Platform)


def _enum_or_none(cls: type[E], text: str) -> E | None:
    try:
        return cls(text)
    except ValueError:
        return None


def _texts(form: FormData, name: str) -> list[str]:
    return [v.strip() for v in form.getlist(name) if isinstance(v, str) and v.strip()]


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _major(amount_minor: int, currency: str) -> str:
    """Minor units as the form shows them: '12,500.00' for 1250000 EUR."""
    return format_minor(amount_minor, currency).rsplit(" ", 1)[0]


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _metric_label(metric: KpiMetric) -> str:
    return METRIC_ABBREVIATIONS.get(metric, metric.value.replace("_", " ").capitalize())


def _unit_hint(metric: KpiMetric) -> str:
    return {
        KpiUnit.ratio: "%",
        KpiUnit.money: "amount",
        KpiUnit.multiple: "× cost",
        KpiUnit.quantity: "",
    }[kpi_unit(metric)]


def _error_message(error: Any) -> str:
    kind = error.get("type", "")
    if kind == "missing" or (
        kind == "string_too_short" and error.get("ctx", {}).get("min_length") == 1
    ):
        return "this field is required"
    message = str(error.get("msg", "invalid"))
    return message.removeprefix("Value error, ")


def _pydantic_errors(exc: ValidationError, errors: dict[str, str]) -> None:
    for error in exc.errors():
        location = error.get("loc", ())
        field = FORM_FIELDS.get(str(location[0]), str(location[0])) if location else "_form"
        message = _error_message(error)
        if field == "kpis" and len(location) > 1 and isinstance(location[1], int):
            message = f"KPI row {location[1] + 1}: {message}"
        errors.setdefault(field, message)


def _domain_error(exc: DomainError, errors: dict[str, str], known: set[str]) -> None:
    details = exc.details if isinstance(exc.details, dict) else {}
    field = str(details.get("field", "_form")).split(".")[0]
    field = FORM_FIELDS.get(field, field)
    errors[field if field in known else "_form"] = exc.message


# --- the campaign form ---------------------------------------------------------------------

CAMPAIGN_FIELDS = {
    "name",
    "description",
    "objective",
    "budget",
    "currency",
    "start_date",
    "end_date",
    "target_countries",
    "target_languages",
    "target_age_bands",
    "target_genders",
    "target_interests",
    "platforms",
    "tiers",
    "collaboration_models",
    "kpis",
}


def _form_values(form: FormData) -> dict[str, Any]:
    """What the person typed, kept as typed so a refused form can be shown again."""
    metrics = form.getlist("kpi_metric")
    targets = form.getlist("kpi_target")
    rows = [
        (m.strip() if isinstance(m, str) else "", t.strip() if isinstance(t, str) else "")
        for m, t in zip(metrics, targets, strict=False)
    ]
    # Blank rows are offered again by the form itself.
    rows = [(m, t) for m, t in rows if m or t]
    return {
        "name": form_text(form, "name"),
        "description": form_text(form, "description"),
        "objective": form_text(form, "objective"),
        "budget": form_text(form, "budget"),
        "currency": form_text(form, "currency").upper(),
        "start_date": form_text(form, "start_date"),
        "end_date": form_text(form, "end_date"),
        "target_countries": form_text(form, "target_countries"),
        "target_languages": form_text(form, "target_languages"),
        "target_interests": form_text(form, "target_interests"),
        "target_age_bands": _texts(form, "target_age_bands"),
        "target_genders": _texts(form, "target_genders"),
        "platforms": _texts(form, "platforms"),
        "tiers": _texts(form, "tiers"),
        "collaboration_models": _texts(form, "collaboration_models"),
        "kpi_rows": rows,
    }


def _values_of(campaign: Campaign) -> dict[str, Any]:
    return {
        "name": campaign.name,
        "description": campaign.description,
        "objective": campaign.objective.value,
        "budget": _major(campaign.budget_minor, campaign.currency),
        "currency": campaign.currency,
        "start_date": campaign.start_date.isoformat() if campaign.start_date else "",
        "end_date": campaign.end_date.isoformat() if campaign.end_date else "",
        "target_countries": ", ".join(campaign.target_countries),
        "target_languages": ", ".join(campaign.target_languages),
        "target_interests": ", ".join(campaign.target_interests),
        "target_age_bands": list(campaign.target_age_bands),
        "target_genders": list(campaign.target_genders),
        "platforms": list(campaign.platforms),
        "tiers": list(campaign.tiers),
        "collaboration_models": list(campaign.collaboration_models),
        "kpi_rows": [
            (k.metric.value, _kpi_form_value(k, campaign.currency)) for k in campaign.kpis
        ],
    }


def _blank_values(ctx: Context) -> dict[str, Any]:
    return {
        "objective": Objective.awareness.value,
        "currency": ctx.workspace.default_currency,
        "kpi_rows": [],
    }


def _kpi_form_value(kpi: CampaignKpi, currency: str) -> str:
    unit = kpi_unit(kpi.metric)
    if unit is KpiUnit.money:
        return _major(int(kpi.target), currency)
    if unit is KpiUnit.ratio:
        return _plain(kpi.target * 100)
    return _plain(kpi.target)


def _kpi_from_form(metric: KpiMetric, text: str, currency: str) -> Decimal:
    """Money in major units, rates in percent, counts with thousands separators allowed."""
    unit = kpi_unit(metric)
    if unit is KpiUnit.money:
        return Decimal(parse_major(text, currency))
    cleaned = text.replace(",", "").replace(" ", "").replace("_", "")
    if unit is KpiUnit.ratio:
        # A percent typed with more precision than is stored is noise; round, don't refuse.
        return (Decimal(cleaned.rstrip("%")) / 100).quantize(
            Decimal("0.000001"), rounding=ROUND_HALF_EVEN
        )
    if unit is KpiUnit.multiple:
        return Decimal(cleaned.rstrip("x×"))
    return Decimal(cleaned)


def _parse_kpi_rows(
    rows: list[tuple[str, str]], currency: str | None, errors: dict[str, str]
) -> list[dict[str, Any]]:
    kpis: list[dict[str, Any]] = []
    for number, (metric_text, target_text) in enumerate(rows, start=1):
        if not metric_text and not target_text:
            continue
        metric = _enum_or_none(KpiMetric, metric_text)
        if metric is None:
            errors.setdefault("kpis", f"KPI row {number}: choose a metric")
            continue
        if not target_text:
            errors.setdefault("kpis", f"{_metric_label(metric)}: enter a target")
            continue
        if currency is None:
            continue  # the currency's own error is shown; money cannot be read without it
        try:
            target = _kpi_from_form(metric, target_text, currency)
        except (MoneyError, InvalidOperation, ValueError):
            errors.setdefault("kpis", f"{_metric_label(metric)}: {target_text!r} is not a number")
            continue
        if kpi_unit(metric) is KpiUnit.ratio and not 0 <= target <= 1:
            # Said in percent, as typed; the service would word it as a fraction.
            errors.setdefault("kpis", f"{_metric_label(metric)}: a rate is between 0 and 100%")
            continue
        kpis.append({"metric": metric, "target": target})
    return kpis


def _parse_date(values: dict[str, Any], name: str, errors: dict[str, str]) -> date | None:
    text = values[name]
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[name] = f"{text!r} is not a date (YYYY-MM-DD)"
        return None


def _campaign_payload(
    values: dict[str, Any], default_currency: str
) -> tuple[dict[str, Any], dict[str, str]]:
    """The form's text as the API's campaign fields, plus the errors met reading it.
    Amounts are read in the chosen currency, else in `default_currency`."""
    errors: dict[str, str] = {}
    currency: str | None = values["currency"] or default_currency
    if currency not in CURRENCY_EXPONENTS:
        errors["currency"] = f"unknown or unsupported currency code {currency!r}"
        currency = None
    payload: dict[str, Any] = {
        "name": values["name"],
        "description": values["description"],
        "start_date": _parse_date(values, "start_date", errors),
        "end_date": _parse_date(values, "end_date", errors),
        "target_countries": _split(values["target_countries"]),
        "target_languages": _split(values["target_languages"]),
        "target_interests": _split(values["target_interests"]),
        "target_age_bands": values["target_age_bands"],
        "target_genders": values["target_genders"],
        "platforms": values["platforms"],
        "tiers": values["tiers"],
        "collaboration_models": values["collaboration_models"],
    }
    if values["objective"]:
        payload["objective"] = values["objective"]
    if currency is not None:
        payload["currency"] = currency
        try:
            payload["budget_minor"] = parse_major(values["budget"] or "0", currency)
        except MoneyError as exc:
            errors["budget"] = str(exc)
    payload["kpis"] = _parse_kpi_rows(values["kpi_rows"], currency, errors)
    return payload, errors


def _render_form(
    request: Request,
    ctx: Context,
    values: dict[str, Any],
    *,
    campaign: Campaign | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    rows = list(values.get("kpi_rows", []))
    rows += [("", "")] * SPARE_KPI_ROWS
    bands = get_settings().tier_bands
    return render(
        request,
        "campaign/form.html",
        {
            "nav": "campaigns",
            "campaign": campaign,
            "values": values,
            "kpi_rows": rows,
            "errors": errors or {},
            "objectives": list(Objective),
            "currencies": sorted(CURRENCY_EXPONENTS),
            "platforms": list(Platform),
            "tiers": sorted(bands.items(), key=lambda item: item[1]),
            "collaboration_models": list(CollaborationModel),
            "age_bands": AGE_BANDS,
            "genders": GENDERS,
            "metrics": [(m.value, _metric_label(m), _unit_hint(m)) for m in KpiMetric],
        },
        status_code,
    )


# --- the detail page -----------------------------------------------------------------------


@dataclass(frozen=True)
class KpiView:
    label: str
    target: str


def _kpi_display(kpi: CampaignKpi, currency: str) -> str:
    unit = kpi_unit(kpi.metric)
    if unit is KpiUnit.money:
        return format_minor(int(kpi.target), currency)
    if unit is KpiUnit.ratio:
        return percent(float(kpi.target))
    if unit is KpiUnit.multiple:
        return f"{_plain(kpi.target)}×"
    return f"{int(kpi.target):,}"


def _render_detail(
    request: Request,
    ctx: Context,
    campaign_id: int,
    *,
    errors: dict[str, str] | None = None,
    add_values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    campaign = service.get_campaign(ctx, campaign_id)
    add = add_values or {}
    query = add.get("q", "")
    return render(
        request,
        "campaign/detail.html",
        {
            "nav": "campaigns",
            "campaign": campaign,
            "editable": ctx.role.can_write and campaign.status not in READ_ONLY_STATUSES,
            "can_write": ctx.role.can_write,
            "next_statuses": next_statuses(campaign.status),
            "kpis": [
                KpiView(_metric_label(k.metric), _kpi_display(k, campaign.currency))
                for k in campaign.kpis
            ],
            "rows": service.roster_rows(ctx, campaign),
            "budget": service.budget_summary(campaign),
            "platforms": list(Platform),
            "roster_statuses": list(RosterStatus),
            "major": _major,
            "errors": errors or {},
            "add": add,
            "query": query,
            "candidates": service.roster_candidates(ctx, campaign, query) if query else [],
        },
        status_code,
    )


# --- routes --------------------------------------------------------------------------------


@router.get("/campaigns", response_class=HTMLResponse)
def campaigns_page(
    request: Request,
    ctx: PageContext,
    status: str = "",
    q: Annotated[str, Query(max_length=200)] = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    wanted = _enum_or_none(CampaignStatus, status)
    found = service.page_campaigns(
        ctx, wanted, search=q, page=PageParams(page=page, per_page=PER_PAGE)
    )
    return render(
        request,
        "campaign/list.html",
        {
            "nav": "campaigns",
            "campaigns": found.items,
            "totals": service.roster_totals(ctx, found.items),
            "page": found,
            "status": wanted.value if wanted else "",
            "q": q,
            "statuses": list(CampaignStatus),
            "can_write": ctx.role.can_write,
        },
    )


@router.get("/campaigns/new", response_class=HTMLResponse)
def new_campaign_page(request: Request, ctx: PageWriter) -> Response:
    return _render_form(request, ctx, _blank_values(ctx))


@router.post("/campaigns", response_class=HTMLResponse)
def create_campaign(request: Request, slug: str, ctx: PageWriter, form: PostedForm) -> Response:
    values = _form_values(form)
    payload, errors = _campaign_payload(values, ctx.workspace.default_currency)
    data: CampaignCreate | None = None
    try:
        data = CampaignCreate.model_validate(payload)
    except ValidationError as exc:
        _pydantic_errors(exc, errors)
    if data is not None and not errors:
        try:
            # A savepoint: the page is answered (and the request committed) even on refusal.
            with ctx.session.begin_nested():
                campaign = service.create_campaign(ctx, data)
        except DomainError as exc:
            _domain_error(exc, errors, CAMPAIGN_FIELDS)
        else:
            return RedirectResponse(f"/w/{slug}/campaigns/{campaign.id}", status_code=303)
    return _render_form(request, ctx, values, errors=errors, status_code=422)


@router.get("/campaigns/{campaign_id}", response_class=HTMLResponse)
def campaign_page(request: Request, campaign_id: IdPath, ctx: PageContext) -> Response:
    return _render_detail(request, ctx, campaign_id)


@router.get("/campaigns/{campaign_id}/edit", response_class=HTMLResponse)
def edit_campaign_page(request: Request, campaign_id: IdPath, ctx: PageWriter) -> Response:
    campaign = service.get_campaign(ctx, campaign_id)
    if campaign.status in READ_ONLY_STATUSES:
        return _render_detail(
            request,
            ctx,
            campaign_id,
            errors={"status": f"this campaign is {campaign.status} and can no longer change"},
            status_code=409,
        )
    return _render_form(request, ctx, _values_of(campaign), campaign=campaign)


@router.post("/campaigns/{campaign_id}", response_class=HTMLResponse)
def update_campaign(
    request: Request, slug: str, campaign_id: IdPath, ctx: PageWriter, form: PostedForm
) -> Response:
    campaign = service.get_campaign(ctx, campaign_id)
    values = _form_values(form)
    payload, errors = _campaign_payload(values, campaign.currency)
    kpis = payload.pop("kpis")
    data: CampaignUpdate | None = None
    targets: list[KpiTarget] = []
    try:
        data = CampaignUpdate.model_validate(payload)
    except ValidationError as exc:
        _pydantic_errors(exc, errors)
    try:
        targets = [KpiTarget.model_validate(k) for k in kpis]
    except ValidationError as exc:
        errors.setdefault("kpis", _error_message(exc.errors()[0]))
    status_code = 422
    if data is not None and not errors:
        try:
            # Both parts or neither: a refused KPI must not leave the other edits saved.
            with ctx.session.begin_nested():
                service.update_campaign(ctx, campaign_id, data)
                service.replace_kpis(ctx, campaign_id, targets)
        except DomainError as exc:
            _domain_error(exc, errors, CAMPAIGN_FIELDS)
            status_code = exc.status_code
        else:
            return RedirectResponse(f"/w/{slug}/campaigns/{campaign_id}", status_code=303)
    return _render_form(
        request, ctx, values, campaign=campaign, errors=errors, status_code=status_code
    )


@router.post("/campaigns/{campaign_id}/status", response_class=HTMLResponse)
def change_status(
    request: Request, slug: str, campaign_id: IdPath, ctx: PageWriter, form: PostedForm
) -> Response:
    wanted = _enum_or_none(CampaignStatus, form_text(form, "status"))
    if wanted is None:
        return _render_detail(
            request, ctx, campaign_id, errors={"status": "unknown status"}, status_code=422
        )
    try:
        with ctx.session.begin_nested():
            service.change_status(ctx, campaign_id, wanted)
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        return _render_detail(
            request, ctx, campaign_id, errors={"status": exc.message}, status_code=exc.status_code
        )
    return RedirectResponse(f"/w/{slug}/campaigns/{campaign_id}", status_code=303)


@router.get("/campaigns/{campaign_id}/creator-search", response_class=HTMLResponse)
def creator_search(
    request: Request,
    campaign_id: IdPath,
    ctx: PageContext,
    q: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """The roster picker's HTMX fragment: creators matching `q`, as choices for the add form."""
    campaign = service.get_campaign(ctx, campaign_id)
    return render(
        request,
        "campaign/_creator_results.html",
        {
            "candidates": service.roster_candidates(ctx, campaign, q) if q.strip() else [],
            "query": q,
            "selected": "",
        },
    )


ROSTER_FIELDS = {"creator_id", "planned_fee", "platform", "currency", "status", "notes"}


def _fee_minor(text: str, currency: str, errors: dict[str, str]) -> int | None:
    try:
        return parse_major(text or "0", currency)
    except MoneyError as exc:
        errors["planned_fee"] = str(exc)
        return None


@router.post("/campaigns/{campaign_id}/roster", response_class=HTMLResponse)
def add_to_roster(
    request: Request, slug: str, campaign_id: IdPath, ctx: PageWriter, form: PostedForm
) -> Response:
    campaign = service.get_campaign(ctx, campaign_id)
    add = {
        "q": form_text(form, "q"),
        "creator_id": form_text(form, "creator_id"),
        "planned_fee": form_text(form, "planned_fee"),
        "platform": form_text(form, "platform"),
    }
    errors: dict[str, str] = {}
    if not add["creator_id"]:
        errors["creator_id"] = "search for a creator and choose one"
    payload: dict[str, Any] = {
        "creator_id": add["creator_id"],
        "planned_fee_minor": _fee_minor(add["planned_fee"], campaign.currency, errors),
        "platform": add["platform"] or None,
    }
    status_code = 422
    if not errors:
        try:
            data = RosterEntryCreate.model_validate(payload)
            with ctx.session.begin_nested():
                service.add_to_roster(ctx, campaign_id, data)
        except ValidationError as exc:
            _pydantic_errors(exc, errors)
        except DomainError as exc:
            _domain_error(exc, errors, ROSTER_FIELDS)
            status_code = exc.status_code
        else:
            return RedirectResponse(f"/w/{slug}/campaigns/{campaign_id}#roster", status_code=303)
    return _render_detail(
        request, ctx, campaign_id, errors=errors, add_values=add, status_code=status_code
    )


@router.post("/campaigns/{campaign_id}/roster/{entry_id}", response_class=HTMLResponse)
def update_roster_entry(
    request: Request,
    slug: str,
    campaign_id: IdPath,
    entry_id: IdPath,
    ctx: PageWriter,
    form: PostedForm,
) -> Response:
    campaign = service.get_campaign(ctx, campaign_id)
    errors: dict[str, str] = {}
    payload: dict[str, Any] = {
        "planned_fee_minor": _fee_minor(form_text(form, "planned_fee"), campaign.currency, errors),
        "status": form_text(form, "status"),
    }
    if not errors:
        try:
            data = RosterEntryUpdate.model_validate(payload)
            with ctx.session.begin_nested():
                service.update_roster_entry(ctx, campaign_id, entry_id, data)
        except ValidationError as exc:
            _pydantic_errors(exc, errors)
        except DomainError as exc:
            if exc.status_code == 404:
                raise
            # Not about what was typed (e.g. the campaign became read-only): shown on top.
            return _render_detail(
                request,
                ctx,
                campaign_id,
                errors={"_form": exc.message},
                status_code=exc.status_code,
            )
        else:
            return RedirectResponse(f"/w/{slug}/campaigns/{campaign_id}#roster", status_code=303)
    # The row's own inputs were wrong: the message goes beside them.
    message = next(iter(errors.values()))
    return _render_detail(
        request, ctx, campaign_id, errors={f"entry-{entry_id}": message}, status_code=422
    )


@router.post("/campaigns/{campaign_id}/roster/{entry_id}/remove", response_class=HTMLResponse)
def remove_from_roster(
    request: Request, slug: str, campaign_id: IdPath, entry_id: IdPath, ctx: PageWriter
) -> Response:
    try:
        with ctx.session.begin_nested():
            service.remove_from_roster(ctx, campaign_id, entry_id)
    except DomainError as exc:
        if exc.status_code == 404:
            raise
        return _render_detail(
            request, ctx, campaign_id, errors={"_form": exc.message}, status_code=exc.status_code
        )
    return RedirectResponse(f"/w/{slug}/campaigns/{campaign_id}#roster", status_code=303)
