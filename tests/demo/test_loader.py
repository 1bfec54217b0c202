"""`demo load` and `generate_creators` against the test database (SQLite or PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tastemaker.account.service import authenticate
from tastemaker.campaign.models import Campaign, CampaignStatus, RosterEntry
from tastemaker.creator.models import (
    Creator,
    CreatorList,
    CreatorListEntry,
    CreatorRate,
    MetricSnapshot,
    PlatformAccount,
    Provenance,
    WorkspaceCreator,
)
from tastemaker.demo import scenario
from tastemaker.demo.generator import generate_creators as generated
from tastemaker.demo.loader import DEMO_SOURCE, LoadResult, generate_creators, load_demo
from tastemaker.workspace.models import AuditEvent, Membership, Role, Workspace

ANCHOR = date(2026, 3, 14)
CREATORS = 300


def _count(db: Session, model: type, *where: object) -> int:
    return db.scalar(select(func.count()).select_from(model).where(*where)) or 0  # type: ignore[arg-type]


def _workspace(db: Session, name: str) -> Workspace:
    return db.scalars(select(Workspace).where(Workspace.name == name)).one()


@pytest.fixture
def loaded(db: Session) -> LoadResult:
    result = load_demo(db, creators=CREATORS, anchor=ANCHOR, history_days=90)
    db.commit()
    return result


def test_load_creates_five_campaigns_in_five_statuses_with_rosters(
    db: Session, loaded: LoadResult
) -> None:
    brand = _workspace(db, scenario.BRAND.name)
    campaigns = db.scalars(select(Campaign).where(Campaign.workspace_id == brand.id)).all()
    assert len(campaigns) == 5
    assert {c.status for c in campaigns} == set(CampaignStatus)
    for campaign in campaigns:
        assert campaign.currency == "EUR"
        roster = db.scalars(select(RosterEntry).where(RosterEntry.campaign_id == campaign.id)).all()
        assert 5 <= len(roster) <= 25
        assert all(entry.planned_fee_minor > 0 for entry in roster)
        assert campaign.budget_minor >= sum(e.planned_fee_minor for e in roster) * 0.9
    transitions = db.scalars(
        select(AuditEvent).where(
            AuditEvent.workspace_id == brand.id, AuditEvent.action == "campaign.status_changed"
        )
    ).all()
    # draft: 0, planned: 1, active: 2, completed: 3, cancelled: 2 legal moves.
    assert len(transitions) == 8


def test_load_makes_a_user_who_signs_in_and_owns_the_demo(db: Session, loaded: LoadResult) -> None:
    user = authenticate(
        db, email=scenario.DEFAULT_EMAIL, password=scenario.DEFAULT_PASSWORD, client="test"
    )
    assert user.name == scenario.OWNER_NAME
    brand = _workspace(db, scenario.BRAND.name)
    roles = {
        m.user_id: m.role
        for m in db.scalars(select(Membership).where(Membership.workspace_id == brand.id))
    }
    assert roles[user.id] is Role.owner
    assert sorted(roles.values()) == sorted([Role.owner, Role.manager, Role.analyst])
    agency = _workspace(db, scenario.AGENCY_CLIENT.name)
    assert agency.kind is scenario.AGENCY_CLIENT.kind
    assert loaded.workspaces == [brand.slug, agency.slug]
    for colleague in scenario.COLLEAGUES:
        authenticate(db, email=colleague.email, password=scenario.DEFAULT_PASSWORD, client="test")
    assert loaded.url.startswith("http")


def test_load_writes_creators_with_ninety_days_of_history(db: Session, loaded: LoadResult) -> None:
    assert loaded.creators == CREATORS
    expected = sum(len(c.accounts) for c in generated(42, CREATORS, ANCHOR))
    assert loaded.accounts == expected
    assert loaded.snapshots == expected * 90
    assert _count(db, MetricSnapshot, MetricSnapshot.source == DEMO_SOURCE) == expected * 90
    accounts = db.scalars(select(PlatformAccount).where(PlatformAccount.handle.like("%demo"))).all()
    assert len(accounts) >= expected - 50  # x/twitch/pinterest handles end in _demo
    assert {a.metrics_provenance for a in accounts} == {Provenance.reported}
    sample = accounts[0]
    newest = db.scalars(
        select(MetricSnapshot)
        .where(MetricSnapshot.account_id == sample.id)
        .order_by(MetricSnapshot.captured_at.desc())
    ).first()
    assert newest is not None
    assert newest.captured_at == datetime(2026, 3, 14, tzinfo=UTC)
    assert newest.followers == sample.followers
    # Creators with several accounts are one creator, not one per account.
    multi = db.execute(
        select(PlatformAccount.creator_id)
        .where(PlatformAccount.metrics_source == DEMO_SOURCE)
        .group_by(PlatformAccount.creator_id)
        .having(func.count() > 1)
    ).all()
    assert multi
    demo_creators = select(PlatformAccount.creator_id).where(
        PlatformAccount.metrics_source == DEMO_SOURCE
    )
    assert _count(db, Creator, Creator.id.in_(demo_creators)) == CREATORS
    assert _count(db, Creator, Creator.id.in_(demo_creators), Creator.is_virtual.is_(True)) >= 0


def test_load_adds_the_brands_own_notes_rates_and_lists(db: Session, loaded: LoadResult) -> None:
    brand = _workspace(db, scenario.BRAND.name)
    overlays = db.scalars(
        select(WorkspaceCreator).where(WorkspaceCreator.workspace_id == brand.id)
    ).all()
    assert len(overlays) >= 40
    assert any("shortlist" in o.tags for o in overlays)
    assert all(o.notes for o in overlays)
    rates = db.scalars(select(CreatorRate).where(CreatorRate.workspace_id == brand.id)).all()
    assert rates and {r.currency for r in rates} == {"EUR"}
    lists = db.scalars(select(CreatorList).where(CreatorList.workspace_id == brand.id)).all()
    assert len(lists) >= 2
    for creator_list in lists:
        assert _count(db, CreatorListEntry, CreatorListEntry.list_id == creator_list.id) > 0


def test_if_empty_leaves_an_existing_demo_alone(db: Session, loaded: LoadResult) -> None:
    before = (_count(db, Campaign), _count(db, MetricSnapshot), _count(db, Creator))
    again = load_demo(db, creators=CREATORS, anchor=ANCHOR, if_empty=True)
    assert not again.loaded
    assert again.email == scenario.DEFAULT_EMAIL
    assert (_count(db, Campaign), _count(db, MetricSnapshot), _count(db, Creator)) == before


def test_loading_again_rebuilds_the_same_demo(db: Session, loaded: LoadResult) -> None:
    def state() -> tuple[object, ...]:
        followers = db.scalar(
            select(func.sum(PlatformAccount.followers)).where(
                PlatformAccount.metrics_source == DEMO_SOURCE
            )
        )
        return (
            _count(db, Workspace),
            _count(db, Campaign),
            _count(db, RosterEntry),
            _count(db, Creator),
            _count(db, MetricSnapshot),
            _count(db, WorkspaceCreator),
            followers,
        )

    before = state()
    again = load_demo(db, creators=CREATORS, anchor=ANCHOR, password="another-password")
    db.commit()
    assert again.loaded
    assert state() == before
    authenticate(db, email=scenario.DEFAULT_EMAIL, password="another-password", client="test")


def test_generate_creators_without_history_then_again_updates(db: Session) -> None:
    first = generate_creators(db, 500, seed=9, history_days=0, anchor=ANCHOR)
    assert (first.creators, first.snapshots) == (500, 0)
    source = PlatformAccount.metrics_source == DEMO_SOURCE
    accounts = _count(db, PlatformAccount, source)
    assert accounts == first.accounts
    second = generate_creators(db, 500, seed=9, history_days=2, anchor=ANCHOR)
    assert second.creator_ids == first.creator_ids
    assert _count(db, PlatformAccount, source) == accounts
    assert _count(db, MetricSnapshot, MetricSnapshot.source == DEMO_SOURCE) == 2 * accounts
