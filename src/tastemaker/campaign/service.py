"""Campaigns: their plan (objective, audience, budget, dates, KPIs), their status, and the
roster of creators with a planned fee each.

Every write checks the caller's role, validates the whole change before touching a row
(so a refused change leaves nothing behind), and writes an audit row in the same
transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.exc import IntegrityError

from tastemaker.campaign.models import (
    READ_ONLY_STATUSES,
    STATUS_TRANSITIONS,
    Campaign,
    CampaignKpi,
    CampaignStatus,
    KpiMetric,
    KpiUnit,
    Objective,
    RosterEntry,
    RosterStatus,
    kpi_unit,
    next_statuses,
)
from tastemaker.campaign.repository import CampaignRepository, RosterRepository
from tastemaker.campaign.schemas import (
    CampaignCreate,
    CampaignUpdate,
    KpiTarget,
    RosterEntryCreate,
    RosterEntryUpdate,
    dates_out_of_order,
)
from tastemaker.creator import service as creator_service
from tastemaker.creator.models import Creator
from tastemaker.kit.errors import Conflict, NotFound, ValidationFailed
from tastemaker.kit.pagination import Page, PageParams
from tastemaker.kit.settings import get_settings
from tastemaker.workspace.context import Context
from tastemaker.workspace.service import record


def _campaigns(ctx: Context) -> CampaignRepository:
    return CampaignRepository(ctx.session, ctx.workspace_id)


def _roster(ctx: Context) -> RosterRepository:
    return RosterRepository(ctx.session, ctx.workspace_id)


# --- reading -------------------------------------------------------------------------------


def get_campaign(ctx: Context, campaign_id: int) -> Campaign:
    """With KPIs and roster loaded; a campaign of another workspace is not found."""
    return _campaigns(ctx).get_full_or_404(campaign_id)


def list_campaigns(
    ctx: Context,
    status: CampaignStatus | None = None,
    *,
    objective: Objective | None = None,
    search: str | None = None,
    offset: int = 0,
    limit: int | None = None,
) -> list[Campaign]:
    """Newest first; `search` matches anywhere in the name, case-insensitively."""
    text = (search or "").replace("\x00", "").strip() or None
    return list(
        _campaigns(ctx).search(
            status=status, objective=objective, text=text, offset=offset, limit=limit
        )
    )


def page_campaigns(
    ctx: Context,
    status: CampaignStatus | None = None,
    *,
    objective: Objective | None = None,
    search: str | None = None,
    page: PageParams | None = None,
) -> Page[Campaign]:
    params = page or PageParams()
    # One row more than a page tells whether another page exists, without a COUNT.
    found = list_campaigns(
        ctx,
        status,
        objective=objective,
        search=search,
        offset=params.offset,
        limit=params.per_page + 1,
    )
    return Page(
        items=found[: params.per_page],
        page=params.page,
        per_page=params.per_page,
        has_next=len(found) > params.per_page,
    )


@dataclass(frozen=True)
class RosterTotals:
    size: int
    planned_minor: int


def roster_totals(ctx: Context, campaigns: Sequence[Campaign]) -> dict[int, RosterTotals]:
    """For lists: roster size and planned fees per campaign, in one query."""
    found = _roster(ctx).totals([c.id for c in campaigns])
    return {c.id: RosterTotals(*found.get(c.id, (0, 0))) for c in campaigns}


@dataclass(frozen=True)
class BudgetSummary:
    budget_minor: int
    planned_minor: int
    currency: str

    @property
    def remaining_minor(self) -> int:
        return self.budget_minor - self.planned_minor

    @property
    def over_budget(self) -> bool:
        return self.planned_minor > self.budget_minor

    @property
    def used_ratio(self) -> float:
        """Planned / budget, capped at 1 for drawing; 1 when anything is planned on no budget."""
        if self.budget_minor <= 0:
            return 1.0 if self.planned_minor > 0 else 0.0
        return min(self.planned_minor / self.budget_minor, 1.0)


def budget_summary(campaign: Campaign) -> BudgetSummary:
    """Declined creators will not be paid, so their fees do not count against the budget."""
    planned = sum(
        e.planned_fee_minor for e in campaign.roster if e.status is not RosterStatus.declined
    )
    return BudgetSummary(campaign.budget_minor, planned, campaign.currency)


@dataclass(frozen=True)
class RosterRow:
    entry: RosterEntry
    creator_name: str


def roster_row(ctx: Context, entry: RosterEntry) -> RosterRow:
    return RosterRow(entry, creator_service.get_creator(ctx.session, entry.creator_id).display_name)


def roster_rows(ctx: Context, campaign: Campaign) -> list[RosterRow]:
    return [roster_row(ctx, e) for e in campaign.roster]


@dataclass(frozen=True)
class Candidate:
    creator: Creator
    on_roster: bool


def roster_candidates(
    ctx: Context, campaign: Campaign, query: str, limit: int = 20
) -> list[Candidate]:
    """Creators matching a picker's query, flagged when already on this campaign's roster."""
    taken = {e.creator_id for e in campaign.roster}
    cleaned = query.replace("\x00", "")[:200]
    return [
        Candidate(c, c.id in taken)
        for c in creator_service.search_creators(ctx.session, cleaned, limit)
    ]


# --- validation shared by create and update ------------------------------------------------


def _check_dates(start: date | None, end: date | None) -> None:
    message = dates_out_of_order(start, end)
    if message:
        raise ValidationFailed(message, details={"field": "end_date"})


def _check_tiers(tiers: Sequence[str]) -> list[str]:
    # Tier bands are configuration (domain.md §2), so the names are checked at run time.
    known = get_settings().tier_bands
    for tier in tiers:
        if tier not in known:
            raise ValidationFailed(
                f"unknown tier {tier!r}; the configured tiers are {', '.join(known)}",
                details={"field": "tiers"},
            )
    return list(tiers)


RATIO_MAX = Decimal(1)


def _check_kpis(kpis: Sequence[KpiTarget]) -> dict[KpiMetric, Decimal]:
    checked: dict[KpiMetric, Decimal] = {}
    for index, kpi in enumerate(kpis):
        field = f"kpis.{index}.target"
        if kpi.metric in checked:
            raise ValidationFailed(
                f"{kpi.metric} is listed twice; give each KPI one target",
                details={"field": f"kpis.{index}.metric"},
            )
        unit = kpi_unit(kpi.metric)
        integral = kpi.target == kpi.target.to_integral_value()
        if unit is KpiUnit.ratio and kpi.target > RATIO_MAX:
            raise ValidationFailed(
                f"{kpi.metric} is a fraction between 0 and 1 (0.035 for 3.5%); got {kpi.target}",
                details={"field": field},
            )
        if unit is KpiUnit.money and not integral:
            raise ValidationFailed(
                f"{kpi.metric} is money in minor units (cents) and must be a whole number; "
                f"got {kpi.target}",
                details={"field": field},
            )
        if unit is KpiUnit.quantity and not integral:
            raise ValidationFailed(
                f"{kpi.metric} is a count and must be a whole number; got {kpi.target}",
                details={"field": field},
            )
        checked[kpi.metric] = kpi.target
    return checked


def _editable(ctx: Context, campaign_id: int) -> Campaign:
    ctx.require_write()
    campaign = get_campaign(ctx, campaign_id)
    if campaign.status in READ_ONLY_STATUSES:
        raise Conflict(
            f"this campaign is {campaign.status}; completed and cancelled campaigns are read-only",
            details={"field": "status"},
        )
    return campaign


def _values(items: Sequence[Any]) -> list[str]:
    """Enum members stored as their plain string values in JSON columns."""
    return [str(item) for item in items]


# --- campaigns -----------------------------------------------------------------------------


def create_campaign(ctx: Context, data: CampaignCreate) -> Campaign:
    ctx.require_write()
    _check_dates(data.start_date, data.end_date)
    tiers = _check_tiers(data.tiers)
    kpis = _check_kpis(data.kpis)
    currency = data.currency or ctx.workspace.default_currency
    campaign = Campaign(
        workspace_id=ctx.workspace_id,
        name=data.name,
        description=data.description,
        objective=data.objective,
        status=CampaignStatus.draft,
        budget_minor=data.budget_minor,
        currency=currency,
        start_date=data.start_date,
        end_date=data.end_date,
        target_countries=data.target_countries,
        target_languages=data.target_languages,
        target_age_bands=_values(data.target_age_bands),
        target_genders=_values(data.target_genders),
        target_interests=data.target_interests,
        platforms=_values(data.platforms),
        tiers=tiers,
        collaboration_models=_values(data.collaboration_models),
        created_by_id=ctx.user_id,
        kpis=[
            CampaignKpi(workspace_id=ctx.workspace_id, metric=metric, target=target)
            for metric, target in kpis.items()
        ],
        roster=[],
    )
    _campaigns(ctx).add(campaign)
    record(
        ctx,
        "campaign.created",
        "campaign",
        campaign.id,
        name=campaign.name,
        objective=campaign.objective.value,
        budget_minor=campaign.budget_minor,
        currency=campaign.currency,
    )
    return campaign


def update_campaign(ctx: Context, campaign_id: int, data: CampaignUpdate) -> Campaign:
    campaign = _editable(ctx, campaign_id)
    sent = data.model_dump(exclude_unset=True)
    _check_dates(
        sent.get("start_date", campaign.start_date), sent.get("end_date", campaign.end_date)
    )
    if "tiers" in sent:
        sent["tiers"] = _check_tiers(sent["tiers"])
    if "currency" in sent and sent["currency"] != campaign.currency:
        _check_currency_change(campaign)
    for name in ("target_age_bands", "target_genders", "platforms", "collaboration_models"):
        if name in sent:
            sent[name] = _values(sent[name])
    changed = sorted(name for name, value in sent.items() if getattr(campaign, name) != value)
    for name in changed:
        setattr(campaign, name, sent[name])
    if changed:
        record(ctx, "campaign.updated", "campaign", campaign.id, fields=changed)
        ctx.session.flush()
    return campaign


def _check_currency_change(campaign: Campaign) -> None:
    # Fees and money KPIs are amounts in the old currency; converting them silently would
    # invent figures nobody agreed to.
    if campaign.roster:
        raise Conflict(
            "the currency cannot change once creators are on the roster: their fees are in "
            f"{campaign.currency}",
            details={"field": "currency"},
        )
    if any(kpi_unit(k.metric) is KpiUnit.money for k in campaign.kpis):
        raise Conflict(
            f"the currency cannot change while money KPIs are set in {campaign.currency}; "
            "remove them first",
            details={"field": "currency"},
        )


def change_status(ctx: Context, campaign_id: int, status: CampaignStatus) -> Campaign:
    ctx.require_write()
    campaign = get_campaign(ctx, campaign_id)
    current = campaign.status
    if status not in STATUS_TRANSITIONS[current]:
        allowed = next_statuses(current)
        moves = ", ".join(allowed) if allowed else f"none ({current} is final)"
        raise Conflict(
            f"a {current} campaign cannot move to {status}; allowed: {moves}",
            details={"field": "status", "allowed": [str(s) for s in allowed]},
        )
    campaign.status = status
    record(
        ctx,
        "campaign.status_changed",
        "campaign",
        campaign.id,
        from_status=current.value,
        to_status=status.value,
    )
    ctx.session.flush()
    return campaign


def replace_kpis(ctx: Context, campaign_id: int, kpis: Sequence[KpiTarget]) -> Campaign:
    """The campaign's KPI set becomes exactly `kpis`."""
    campaign = _editable(ctx, campaign_id)
    wanted = _check_kpis(kpis)
    existing = {k.metric: k for k in campaign.kpis}
    # Updating kept metrics in place (rather than delete-all, insert-all) keeps the
    # (campaign, metric) unique constraint satisfied within one flush.
    for metric, kpi in existing.items():
        if metric not in wanted:
            campaign.kpis.remove(kpi)
    for metric, target in wanted.items():
        if metric in existing:
            existing[metric].target = target
        else:
            campaign.kpis.append(
                CampaignKpi(workspace_id=ctx.workspace_id, metric=metric, target=target)
            )
    record(
        ctx,
        "campaign.kpis_replaced",
        "campaign",
        campaign.id,
        kpis={str(metric): str(target) for metric, target in wanted.items()},
    )
    ctx.session.flush()
    return campaign


# --- roster --------------------------------------------------------------------------------


def add_to_roster(ctx: Context, campaign_id: int, data: RosterEntryCreate) -> RosterEntry:
    campaign = _editable(ctx, campaign_id)
    if data.currency is not None and data.currency != campaign.currency:
        raise ValidationFailed(
            f"planned fees must be in the campaign currency {campaign.currency}; "
            f"got {data.currency}",
            details={"field": "currency"},
        )
    try:
        creator = creator_service.get_creator(ctx.session, data.creator_id)
    except NotFound as exc:
        raise ValidationFailed(exc.message, details={"field": "creator_id"}) from exc
    if _roster(ctx).for_creator(campaign.id, creator.id) is not None:
        raise Conflict(
            f"{creator.display_name} is already on this campaign's roster",
            details={"field": "creator_id"},
        )
    entry = RosterEntry(
        workspace_id=ctx.workspace_id,
        campaign_id=campaign.id,
        creator_id=creator.id,
        platform=data.platform,
        planned_fee_minor=data.planned_fee_minor,
        currency=campaign.currency,
        status=data.status,
        notes=data.notes,
    )
    campaign.roster.append(entry)
    try:
        ctx.session.flush()
    except IntegrityError as exc:
        # Another request added the same creator between the check above and this insert.
        raise Conflict(
            f"{creator.display_name} is already on this campaign's roster",
            details={"field": "creator_id"},
        ) from exc
    record(
        ctx,
        "campaign.roster_added",
        "roster_entry",
        entry.id,
        campaign_id=campaign.id,
        creator_id=creator.id,
        planned_fee_minor=entry.planned_fee_minor,
        currency=entry.currency,
    )
    return entry


def _entry(campaign: Campaign, entry_id: int) -> RosterEntry:
    for entry in campaign.roster:
        if entry.id == entry_id:
            return entry
    raise NotFound(f"roster entry {entry_id} not found in campaign {campaign.id}")


def update_roster_entry(
    ctx: Context, campaign_id: int, entry_id: int, data: RosterEntryUpdate
) -> RosterEntry:
    campaign = _editable(ctx, campaign_id)
    entry = _entry(campaign, entry_id)
    sent = data.model_dump(exclude_unset=True)
    changed = sorted(name for name, value in sent.items() if getattr(entry, name) != value)
    for name in changed:
        setattr(entry, name, sent[name])
    if changed:
        record(
            ctx,
            "campaign.roster_updated",
            "roster_entry",
            entry.id,
            campaign_id=campaign.id,
            fields=changed,
        )
        ctx.session.flush()
    return entry


def remove_from_roster(ctx: Context, campaign_id: int, entry_id: int) -> None:
    campaign = _editable(ctx, campaign_id)
    entry = _entry(campaign, entry_id)
    campaign.roster.remove(entry)
    record(
        ctx,
        "campaign.roster_removed",
        "roster_entry",
        entry.id,
        campaign_id=campaign.id,
        creator_id=entry.creator_id,
    )
    ctx.session.flush()
