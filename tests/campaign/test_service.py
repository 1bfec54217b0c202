from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from tastemaker.campaign import service
from tastemaker.campaign.models import (
    STATUS_TRANSITIONS,
    CampaignKpi,
    CampaignStatus,
    KpiMetric,
    Objective,
    RosterEntry,
    RosterStatus,
)
from tastemaker.campaign.schemas import (
    CampaignCreate,
    CampaignUpdate,
    KpiTarget,
    RosterEntryCreate,
    RosterEntryUpdate,
)
from tastemaker.creator.models import Platform
from tastemaker.kit.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tastemaker.kit.pagination import PageParams
from tests.campaign.builders import add_entry, audit_rows, campaign_count, ctx_as
from tests.factories import World, make_campaign, make_creator

ALL_MOVES = list(itertools.product(CampaignStatus, CampaignStatus))
LEGAL = [(a, b) for a, b in ALL_MOVES if b in STATUS_TRANSITIONS[a]]
ILLEGAL = [(a, b) for a, b in ALL_MOVES if b not in STATUS_TRANSITIONS[a]]


def _create(**fields: object) -> CampaignCreate:
    values: dict[str, object] = {"name": "Spring launch", "objective": "product_launch"}
    values.update(fields)
    return CampaignCreate.model_validate(values)


# --- status ------------------------------------------------------------------------------


def test_the_matrix_is_what_the_brief_describes() -> None:
    # draft -> planned -> active -> completed, cancel from any open state, back to draft
    # from planned; completed and cancelled are final.
    assert set(LEGAL) == {
        (CampaignStatus.draft, CampaignStatus.planned),
        (CampaignStatus.draft, CampaignStatus.cancelled),
        (CampaignStatus.planned, CampaignStatus.draft),
        (CampaignStatus.planned, CampaignStatus.active),
        (CampaignStatus.planned, CampaignStatus.cancelled),
        (CampaignStatus.active, CampaignStatus.completed),
        (CampaignStatus.active, CampaignStatus.cancelled),
    }


@pytest.mark.parametrize(("current", "target"), LEGAL, ids=lambda s: str(s))
def test_legal_move_changes_status_and_is_audited(
    db: Session, world: World, current: CampaignStatus, target: CampaignStatus
) -> None:
    campaign = make_campaign(db, world.a, status=current)
    moved = service.change_status(ctx_as(db, world), campaign.id, target)
    assert moved.status is target
    rows = audit_rows(db, world.a, "campaign.status_changed")
    assert [(r.subject_id, r.details) for r in rows] == [
        (campaign.id, {"from_status": current.value, "to_status": target.value})
    ]
    assert rows[0].actor_user_id == world.users["a_owner"].id


@pytest.mark.parametrize(("current", "target"), ILLEGAL, ids=lambda s: str(s))
def test_illegal_move_is_a_conflict_naming_the_allowed_moves(
    db: Session, world: World, current: CampaignStatus, target: CampaignStatus
) -> None:
    campaign = make_campaign(db, world.a, status=current)
    with pytest.raises(Conflict) as raised:
        service.change_status(ctx_as(db, world), campaign.id, target)
    allowed = sorted(s.value for s in STATUS_TRANSITIONS[current])
    assert raised.value.status_code == 409
    assert sorted(raised.value.details["allowed"]) == allowed
    assert raised.value.details["field"] == "status"
    for name in allowed:
        assert name in raised.value.message
    if not allowed:
        assert "final" in raised.value.message
    assert service.get_campaign(ctx_as(db, world), campaign.id).status is current
    assert audit_rows(db, world.a, "campaign.status_changed") == []


def test_analyst_cannot_change_status(db: Session, world: World) -> None:
    campaign = make_campaign(db, world.a)
    with pytest.raises(PermissionDenied):
        service.change_status(ctx_as(db, world, "a_analyst"), campaign.id, CampaignStatus.planned)


def test_manager_can_change_status(db: Session, world: World) -> None:
    campaign = make_campaign(db, world.a)
    moved = service.change_status(
        ctx_as(db, world, "a_manager"), campaign.id, CampaignStatus.planned
    )
    assert moved.status is CampaignStatus.planned


# --- create and update -------------------------------------------------------------------


def test_create_stores_everything_and_defaults_to_workspace_currency(
    db: Session, world: World
) -> None:
    data = _create(
        description="Launch of the new serum",
        budget_minor=1_250_000,
        start_date="2026-12-01",
        end_date="2026-12-31",
        target_countries=["fr", " BE ", "FR"],
        target_languages=["FR", "nl"],
        target_age_bands=["18-24", "25-34"],
        target_genders=["female"],
        target_interests=["Skincare", "skincare", " vegan "],
        platforms=["instagram", "tiktok"],
        tiers=["micro", "Mid"],
        collaboration_models=["sponsored_post", "gifting"],
        kpis=[
            {"metric": "engagement_rate", "target": "0.035"},
            {"metric": "revenue", "target": 500_000},
            {"metric": "reach", "target": 1_000_000},
            {"metric": "roas", "target": "3.5"},
        ],
    )
    created = service.create_campaign(ctx_as(db, world), data)
    campaign = service.get_campaign(ctx_as(db, world), created.id)
    assert campaign.currency == "EUR" == world.a.default_currency
    assert campaign.status is CampaignStatus.draft
    assert campaign.budget_minor == 1_250_000
    assert campaign.target_countries == ["FR", "BE"]
    assert campaign.target_languages == ["fr", "nl"]
    assert campaign.target_interests == ["skincare", "vegan"]
    assert campaign.platforms == ["instagram", "tiktok"]
    assert campaign.tiers == ["micro", "mid"]
    assert campaign.collaboration_models == ["sponsored_post", "gifting"]
    assert campaign.created_by_id == world.users["a_owner"].id
    assert {k.metric: k.target for k in campaign.kpis} == {
        KpiMetric.engagement_rate: Decimal("0.035"),
        KpiMetric.revenue: Decimal(500_000),
        KpiMetric.reach: Decimal(1_000_000),
        KpiMetric.roas: Decimal("3.5"),
    }
    assert campaign.roster == []
    [row] = audit_rows(db, world.a, "campaign.created")
    assert row.subject_id == campaign.id
    assert row.details["budget_minor"] == 1_250_000


def test_create_with_explicit_currency(db: Session, world: World) -> None:
    campaign = service.create_campaign(
        ctx_as(db, world), _create(currency="jpy", budget_minor=500_000)
    )
    assert campaign.currency == "JPY"


def test_analyst_cannot_create(db: Session, world: World) -> None:
    with pytest.raises(PermissionDenied):
        service.create_campaign(ctx_as(db, world, "a_analyst"), _create())
    assert campaign_count(db, world.a) == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"tiers": ["giga"]}, "tiers"),
        ({"kpis": [{"metric": "ctr", "target": "1.5"}]}, "kpis.0.target"),
        ({"kpis": [{"metric": "cpa", "target": "12.5"}]}, "kpis.0.target"),
        ({"kpis": [{"metric": "clicks", "target": "10.5"}]}, "kpis.0.target"),
        (
            {"kpis": [{"metric": "reach", "target": 1}, {"metric": "reach", "target": 2}]},
            "kpis.1.metric",
        ),
    ],
)
def test_create_refuses_bad_input_and_writes_nothing(
    db: Session, world: World, fields: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationFailed) as raised:
        service.create_campaign(ctx_as(db, world), _create(**fields))
    assert raised.value.details == {"field": field}
    assert campaign_count(db, world.a) == 0
    assert db.scalars(select(CampaignKpi)).all() == []
    assert audit_rows(db, world.a, "campaign.created") == []


def test_end_before_start_is_refused_by_schema_and_by_service(db: Session, world: World) -> None:
    with pytest.raises(ValidationError) as raised:
        _create(start_date="2026-12-31", end_date="2026-12-01")
    assert raised.value.errors()[0]["loc"] == ("end_date",)
    # The service holds the rule for callers that build the schema without validating it.
    unchecked = CampaignCreate.model_construct(
        name="x",
        objective=Objective.awareness,
        start_date=date(2026, 12, 31),
        end_date=date(2026, 12, 1),
        tiers=[],
        kpis=[],
    )
    with pytest.raises(ValidationFailed) as refused:
        service.create_campaign(ctx_as(db, world), unchecked)
    assert refused.value.details == {"field": "end_date"}
    assert campaign_count(db, world.a) == 0


def test_same_day_campaign_is_fine(db: Session, world: World) -> None:
    campaign = service.create_campaign(
        ctx_as(db, world), _create(start_date="2026-12-01", end_date="2026-12-01")
    )
    assert campaign.start_date == campaign.end_date == date(2026, 12, 1)


def test_ratio_kpi_bounds_are_inclusive(db: Session, world: World) -> None:
    campaign = service.create_campaign(
        ctx_as(db, world),
        _create(kpis=[{"metric": "ctr", "target": 0}, {"metric": "engagement_rate", "target": 1}]),
    )
    assert sorted(k.target for k in campaign.kpis) == [Decimal(0), Decimal(1)]


def test_tiers_follow_the_configured_bands(
    db: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tastemaker.kit.settings import get_settings

    monkeypatch.setitem(get_settings().tier_bands, "giga", 10_000_000)
    campaign = service.create_campaign(ctx_as(db, world), _create(tiers=["giga"]))
    assert campaign.tiers == ["giga"]


def test_update_changes_only_what_was_sent(db: Session, world: World) -> None:
    campaign = make_campaign(db, world.a, name="Before", description="keep me")
    updated = service.update_campaign(
        ctx_as(db, world),
        campaign.id,
        CampaignUpdate(name="After", platforms=[Platform.youtube]),
    )
    assert (updated.name, updated.description, updated.platforms) == (
        "After",
        "keep me",
        ["youtube"],
    )
    [row] = audit_rows(db, world.a, "campaign.updated")
    assert row.details == {"fields": ["name", "platforms"]}


def test_update_with_nothing_new_writes_no_audit_row(db: Session, world: World) -> None:
    campaign = make_campaign(db, world.a, name="Same")
    service.update_campaign(ctx_as(db, world), campaign.id, CampaignUpdate(name="Same"))
    assert audit_rows(db, world.a, "campaign.updated") == []


def test_update_checks_dates_against_the_stored_ones(db: Session, world: World) -> None:
    campaign = make_campaign(
        db, world.a, name="Dated", start_date=date(2026, 12, 1), end_date=date(2026, 12, 31)
    )
    with pytest.raises(ValidationFailed) as raised:
        service.update_campaign(
            ctx_as(db, world),
            campaign.id,
            CampaignUpdate(name="Renamed", end_date=date(2026, 11, 30)),
        )
    assert raised.value.details == {"field": "end_date"}
    # Nothing of the refused change is kept, not even the valid part.
    reread = service.get_campaign(ctx_as(db, world), campaign.id)
    assert (reread.name, reread.end_date) == ("Dated", date(2026, 12, 31))


def test_update_can_clear_dates(db: Session, world: World) -> None:
    campaign = make_campaign(db, world.a)
    updated = service.update_campaign(
        ctx_as(db, world), campaign.id, CampaignUpdate.model_validate({"start_date": None})
    )
    assert updated.start_date is None


def test_currency_cannot_change_under_a_roster(db: Session, world: World) -> None:
    campaign = make_campaign(db, world.a)
    add_entry(db, campaign, make_creator(db).id, 10_000)
    with pytest.raises(Conflict) as raised:
        service.update_campaign(ctx_as(db, world), campaign.id, CampaignUpdate(currency="USD"))
    assert raised.value.details == {"field": "currency"}


def test_currency_cannot_change_under_money_kpis(db: Session, world: World) -> None:
    campaign = service.create_campaign(
        ctx_as(db, world), _create(kpis=[{"metric": "revenue", "target": 100}])
    )
    with pytest.raises(Conflict):
        service.update_campaign(ctx_as(db, world), campaign.id, CampaignUpdate(currency="USD"))


def test_currency_can_change_on_an_empty_plan(db: Session, world: World) -> None:
    campaign = make_campaign(db, world.a)
    updated = service.update_campaign(
        ctx_as(db, world), campaign.id, CampaignUpdate(currency="usd")
    )
    assert updated.currency == "USD"


@pytest.mark.parametrize("final", [CampaignStatus.completed, CampaignStatus.cancelled])
def test_final_campaigns_are_read_only(db: Session, world: World, final: CampaignStatus) -> None:
    campaign = make_campaign(db, world.a, status=final)
    creator = make_creator(db)
    entry = add_entry(db, campaign, creator.id)
    ctx = ctx_as(db, world)
    attempts = [
        lambda: service.update_campaign(ctx, campaign.id, CampaignUpdate(name="x")),
        lambda: service.replace_kpis(ctx, campaign.id, []),
        lambda: service.add_to_roster(
            ctx, campaign.id, RosterEntryCreate(creator_id=make_creator(db).id)
        ),
        lambda: service.update_roster_entry(
            ctx, campaign.id, entry.id, RosterEntryUpdate(planned_fee_minor=1)
        ),
        lambda: service.remove_from_roster(ctx, campaign.id, entry.id),
    ]
    for attempt in attempts:
        with pytest.raises(Conflict) as raised:
            attempt()
        assert "read-only" in raised.value.message
    assert service.get_campaign(ctx, campaign.id).name == campaign.name


def test_campaign_of_another_workspace_is_not_found(db: Session, world: World) -> None:
    theirs = make_campaign(db, world.b)
    ctx = ctx_as(db, world)
    with pytest.raises(NotFound):
        service.get_campaign(ctx, theirs.id)
    with pytest.raises(NotFound):
        service.update_campaign(ctx, theirs.id, CampaignUpdate(name="hijack"))
    with pytest.raises(NotFound):
        service.change_status(ctx, theirs.id, CampaignStatus.planned)
    with pytest.raises(NotFound):
        service.add_to_roster(ctx, theirs.id, RosterEntryCreate(creator_id=make_creator(db).id))
    assert theirs not in service.list_campaigns(ctx)


# --- KPIs --------------------------------------------------------------------------------


def test_replace_kpis_replaces_the_whole_set(db: Session, world: World) -> None:
    ctx = ctx_as(db, world)
    campaign = service.create_campaign(
        ctx,
        _create(kpis=[{"metric": "reach", "target": 1000}, {"metric": "ctr", "target": "0.01"}]),
    )
    updated = service.replace_kpis(
        ctx,
        campaign.id,
        [
            KpiTarget(metric=KpiMetric.ctr, target=Decimal("0.02")),
            KpiTarget(metric=KpiMetric.posts, target=Decimal(12)),
        ],
    )
    assert {k.metric: k.target for k in updated.kpis} == {
        KpiMetric.ctr: Decimal("0.02"),
        KpiMetric.posts: Decimal(12),
    }
    stored = db.scalars(select(CampaignKpi).where(CampaignKpi.campaign_id == campaign.id)).all()
    assert len(stored) == 2
    [row] = audit_rows(db, world.a, "campaign.kpis_replaced")
    assert row.details == {"kpis": {"ctr": "0.02", "posts": "12"}}


def test_refused_kpi_set_leaves_the_old_one(db: Session, world: World) -> None:
    ctx = ctx_as(db, world)
    campaign = service.create_campaign(ctx, _create(kpis=[{"metric": "reach", "target": 1000}]))
    with pytest.raises(ValidationFailed) as raised:
        service.replace_kpis(
            ctx,
            campaign.id,
            [
                KpiTarget(metric=KpiMetric.posts, target=Decimal(3)),
                KpiTarget(metric=KpiMetric.engagement_rate, target=Decimal(5)),
            ],
        )
    assert raised.value.details == {"field": "kpis.1.target"}
    reread = service.get_campaign(ctx, campaign.id)
    assert [(k.metric, k.target) for k in reread.kpis] == [(KpiMetric.reach, Decimal(1000))]
    assert audit_rows(db, world.a, "campaign.kpis_replaced") == []


def test_empty_kpi_set_clears(db: Session, world: World) -> None:
    ctx = ctx_as(db, world)
    campaign = service.create_campaign(ctx, _create(kpis=[{"metric": "reach", "target": 1}]))
    assert service.replace_kpis(ctx, campaign.id, []).kpis == []


# --- roster ------------------------------------------------------------------------------


def test_add_to_roster_in_campaign_currency_and_audited(db: Session, world: World) -> None:
    campaign = make_campaign(db, world.a)
    creator = make_creator(db, name="Ana Lima")
    entry = service.add_to_roster(
        ctx_as(db, world, "a_manager"),
        campaign.id,
        RosterEntryCreate(
            creator_id=creator.id,
            planned_fee_minor=120_000,
            platform=Platform.instagram,
            notes="2 reels",
        ),
    )
    assert (entry.creator_id, entry.planned_fee_minor, entry.currency, entry.status) == (
        creator.id,
        120_000,
        "EUR",
        RosterStatus.proposed,
    )
    [row] = service.roster_rows(
        ctx_as(db, world), service.get_campaign(ctx_as(db, world), campaign.id)
    )
    assert row.creator_name == "Ana Lima"
    [audit] = audit_rows(db, world.a, "campaign.roster_added")
    assert audit.subject_id == entry.id
    assert audit.details["creator_id"] == creator.id


def test_fee_in_another_currency_is_refused(db: Session, world: World) -> None:
    campaign = make_campaign(db, world.a)
    creator = make_creator(db)
    with pytest.raises(ValidationFailed) as raised:
        service.add_to_roster(
            ctx_as(db, world),
            campaign.id,
            RosterEntryCreate(creator_id=creator.id, planned_fee_minor=100, currency="USD"),
        )
    assert raised.value.details == {"field": "currency"}
    assert "EUR" in raised.value.message
    assert db.scalars(select(RosterEntry)).all() == []
    assert audit_rows(db, world.a, "campaign.roster_added") == []


def test_fee_in_the_same_currency_spelled_lower_case_is_fine(db: Session, world: World) -> None:
    campaign = make_campaign(db, world.a)
    entry = service.add_to_roster(
        ctx_as(db, world),
        campaign.id,
        RosterEntryCreate(creator_id=make_creator(db).id, planned_fee_minor=1, currency="eur"),
    )
    assert entry.currency == "EUR"


def test_creator_once_per_campaign(db: Session, world: World) -> None:
    campaign = make_campaign(db, world.a)
    creator = make_creator(db, name="Once Only")
    ctx = ctx_as(db, world)
    service.add_to_roster(ctx, campaign.id, RosterEntryCreate(creator_id=creator.id))
    with pytest.raises(Conflict) as raised:
        service.add_to_roster(
            ctx, campaign.id, RosterEntryCreate(creator_id=creator.id, planned_fee_minor=5)
        )
    assert raised.value.status_code == 409
    assert "Once Only" in raised.value.message
    assert len(service.get_campaign(ctx, campaign.id).roster) == 1
    # The same creator may be on another campaign.
    other = make_campaign(db, world.a)
    service.add_to_roster(ctx, other.id, RosterEntryCreate(creator_id=creator.id))


def test_unknown_creator_is_a_field_error(db: Session, world: World) -> None:
    campaign = make_campaign(db, world.a)
    with pytest.raises(ValidationFailed) as raised:
        service.add_to_roster(
            ctx_as(db, world), campaign.id, RosterEntryCreate(creator_id=987_654_321)
        )
    assert raised.value.details == {"field": "creator_id"}


def test_analyst_cannot_touch_the_roster(db: Session, world: World) -> None:
    campaign = make_campaign(db, world.a)
    entry = add_entry(db, campaign, make_creator(db).id)
    analyst = ctx_as(db, world, "a_analyst")
    with pytest.raises(PermissionDenied):
        service.add_to_roster(
            analyst, campaign.id, RosterEntryCreate(creator_id=make_creator(db).id)
        )
    with pytest.raises(PermissionDenied):
        service.update_roster_entry(
            analyst, campaign.id, entry.id, RosterEntryUpdate(status=RosterStatus.confirmed)
        )
    with pytest.raises(PermissionDenied):
        service.remove_from_roster(analyst, campaign.id, entry.id)


def test_update_and_remove_roster_entry(db: Session, world: World) -> None:
    campaign = make_campaign(db, world.a)
    entry = add_entry(db, campaign, make_creator(db).id, 1_000)
    ctx = ctx_as(db, world)
    updated = service.update_roster_entry(
        ctx,
        campaign.id,
        entry.id,
        RosterEntryUpdate(planned_fee_minor=2_500, status=RosterStatus.confirmed),
    )
    assert (updated.planned_fee_minor, updated.status) == (2_500, RosterStatus.confirmed)
    [row] = audit_rows(db, world.a, "campaign.roster_updated")
    assert row.details == {"campaign_id": campaign.id, "fields": ["planned_fee_minor", "status"]}
    service.remove_from_roster(ctx, campaign.id, entry.id)
    assert service.get_campaign(ctx, campaign.id).roster == []
    assert db.get(RosterEntry, entry.id) is None
    assert len(audit_rows(db, world.a, "campaign.roster_removed")) == 1


def test_roster_entry_must_belong_to_the_campaign(db: Session, world: World) -> None:
    first = make_campaign(db, world.a)
    second = make_campaign(db, world.a)
    entry = add_entry(db, first, make_creator(db).id)
    with pytest.raises(NotFound):
        service.remove_from_roster(ctx_as(db, world), second.id, entry.id)
    assert db.get(RosterEntry, entry.id) is not None


def test_budget_summary_ignores_declined_and_flags_overspend(db: Session, world: World) -> None:
    campaign = make_campaign(db, world.a, budget_minor=100_000)
    add_entry(db, campaign, make_creator(db).id, 60_000, status=RosterStatus.confirmed)
    add_entry(db, campaign, make_creator(db).id, 30_000)
    add_entry(db, campaign, make_creator(db).id, 500_000, status=RosterStatus.declined)
    summary = service.budget_summary(service.get_campaign(ctx_as(db, world), campaign.id))
    assert (summary.planned_minor, summary.remaining_minor, summary.over_budget) == (
        90_000,
        10_000,
        False,
    )
    assert summary.used_ratio == pytest.approx(0.9)
    add_entry(db, campaign, make_creator(db).id, 20_000)
    summary = service.budget_summary(service.get_campaign(ctx_as(db, world), campaign.id))
    assert (summary.remaining_minor, summary.over_budget, summary.used_ratio) == (
        -10_000,
        True,
        1.0,
    )
    totals = service.roster_totals(ctx_as(db, world), [campaign])
    assert (totals[campaign.id].size, totals[campaign.id].planned_minor) == (4, 110_000)


def test_budget_summary_with_no_budget() -> None:
    assert service.BudgetSummary(0, 0, "EUR").used_ratio == 0.0
    assert service.BudgetSummary(0, 1, "EUR").over_budget


# --- listing -----------------------------------------------------------------------------


def test_list_filters_and_is_scoped(db: Session, world: World) -> None:
    active = make_campaign(
        db,
        world.a,
        name="Summer 100% cotton",
        status=CampaignStatus.active,
        objective=Objective.conversions,
    )
    draft = make_campaign(db, world.a, name="Winter wool")
    make_campaign(db, world.b, name="Summer elsewhere")
    ctx = ctx_as(db, world)
    assert {c.id for c in service.list_campaigns(ctx)} == {active.id, draft.id}
    assert service.list_campaigns(ctx, CampaignStatus.active) == [active]
    assert service.list_campaigns(ctx, objective=Objective.conversions) == [active]
    assert service.list_campaigns(ctx, search="SUMMER") == [active]
    # LIKE wildcards in the search are literal characters.
    assert service.list_campaigns(ctx, search="100%") == [active]
    assert service.list_campaigns(ctx, search="w_ol") == []


def test_page_campaigns_knows_whether_there_is_more(db: Session, world: World) -> None:
    for _ in range(3):
        make_campaign(db, world.a)
    ctx = ctx_as(db, world)
    first = service.page_campaigns(ctx, page=PageParams(page=1, per_page=2))
    second = service.page_campaigns(ctx, page=PageParams(page=2, per_page=2))
    assert (len(first.items), first.has_next, len(second.items), second.has_next) == (
        2,
        True,
        1,
        False,
    )
    assert not {c.id for c in first.items} & {c.id for c in second.items}


def test_roster_candidates_flag_creators_already_on_the_roster(db: Session, world: World) -> None:
    campaign = make_campaign(db, world.a)
    on = make_creator(db, name="Zola Picker One")
    off = make_creator(db, name="Zola Picker Two")
    add_entry(db, campaign, on.id)
    ctx = ctx_as(db, world)
    found = service.roster_candidates(ctx, service.get_campaign(ctx, campaign.id), "zola picker")
    assert [(c.creator.id, c.on_roster) for c in found] == [(on.id, True), (off.id, False)]


# --- schemas: the shape and bounds every face shares -------------------------------------


@pytest.mark.parametrize(
    ("fields", "location"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "nul\x00byte"}, "name"),
        ({"objective": "fame"}, "objective"),
        ({"budget_minor": -1}, "budget_minor"),
        ({"budget_minor": 12.5}, "budget_minor"),
        ({"budget_minor": "1250"}, "budget_minor"),
        ({"budget_minor": 10**16}, "budget_minor"),
        ({"currency": "ZZZ"}, "currency"),
        ({"target_countries": ["XX"]}, "target_countries"),
        ({"target_languages": ["english"]}, "target_languages"),
        ({"target_age_bands": ["18-99"]}, "target_age_bands.0"),
        ({"target_genders": ["robot"]}, "target_genders.0"),
        ({"platforms": ["myspace"]}, "platforms.0"),
        ({"collaboration_models": ["barter"]}, "collaboration_models.0"),
        ({"kpis": [{"metric": "reach", "target": -1}]}, "kpis.0.target"),
        ({"kpis": [{"metric": "ctr", "target": "0.0000001"}]}, "kpis.0.target"),
        ({"kpis": [{"metric": "reach", "target": "NaN"}]}, "kpis.0.target"),
        ({"kpis": [{"metric": "vibes", "target": 1}]}, "kpis.0.metric"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_campaign_schema_refuses(fields: dict[str, object], location: str) -> None:
    with pytest.raises(ValidationError) as raised:
        _create(**fields)
    assert location in {".".join(str(p) for p in e["loc"]) for e in raised.value.errors()}


def test_update_schema_refuses_null_for_required_fields() -> None:
    with pytest.raises(ValidationError) as raised:
        CampaignUpdate.model_validate({"name": None})
    assert raised.value.errors()[0]["loc"] == ("name",)
    assert CampaignUpdate.model_validate({"end_date": None}).model_fields_set == {"end_date"}


@pytest.mark.parametrize(
    "fields",
    [
        {"planned_fee_minor": -5},
        {"planned_fee_minor": 1.5},
        {"creator_id": 0},
        {"creator_id": 2**63},
        {"status": "maybe"},
        {"currency": "EURO"},
    ],
)
def test_roster_schema_refuses(fields: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        RosterEntryCreate.model_validate({"creator_id": 1, **fields})
