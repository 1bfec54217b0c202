from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tastemaker.creator import repository, service
from tastemaker.creator.metrics import tier_for, tier_range
from tastemaker.creator.models import (
    Creator,
    MetricSnapshot,
    Platform,
    PlatformAccount,
    Provenance,
    RelationshipStatus,
)
from tastemaker.creator.schemas import (
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
from tastemaker.kit.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tastemaker.kit.pagination import PageParams
from tastemaker.kit.settings import get_settings
from tastemaker.kit.time import utcnow
from tastemaker.workspace.context import Context
from tastemaker.workspace.models import AuditEvent, Role
from tests.creator.builders import (
    account_of,
    add_snapshot,
    make_list,
    make_rate,
    overlay,
    set_figures,
)
from tests.factories import World, add_account, context, make_creator

# ----------------------------------------------------------------------------- tiers

BANDS = get_settings().tier_bands


@given(st.integers(min_value=0, max_value=10**10))
def test_tier_for_lands_inside_its_own_range(followers: int) -> None:
    tier = tier_for(followers, BANDS)
    if tier is None:
        assert followers < min(BANDS.values())
    else:
        lower, upper = tier_range(tier, BANDS)
        assert lower <= followers and (upper is None or followers < upper)


@given(
    st.lists(st.integers(min_value=1, max_value=10**9), min_size=1, max_size=6, unique=True),
    st.integers(min_value=0, max_value=2 * 10**9),
)
def test_tier_ranges_partition_the_follower_axis(lowers: list[int], followers: int) -> None:
    bands = {f"band{i}": lower for i, lower in enumerate(lowers)}

    def contains(name: str) -> bool:
        lower, upper = tier_range(name, bands)
        return lower <= followers and (upper is None or followers < upper)

    tier = tier_for(followers, bands)
    assert [name for name in bands if contains(name)] == ([tier] if tier else [])


def test_unknown_tier_is_a_validation_error_on_the_field(db: Session, world: World) -> None:
    with pytest.raises(ValidationFailed) as error:
        service.list_creators(_ctx(db, world), CreatorFilters(tier="giga"))
    assert error.value.details == {"field": "tier"}
    assert "nano" in error.value.message


# ----------------------------------------------------------------------------- the list


def _ctx(db: Session, world: World, who: str = "a_owner") -> Context:
    workspace = world.b if who.startswith("b_") else world.a
    role = {"owner": Role.owner, "manager": Role.manager, "analyst": Role.analyst}[
        who.split("_", 1)[1]
    ]
    return context(db, workspace, role, world.users[who])


@dataclass
class Cast:
    """Six accounts of five creators, with figures chosen so each filter and sort has one
    right answer."""

    alice: PlatformAccount  # instagram nano FR fashion, ER 0.104
    bob: PlatformAccount  # tiktok mid US gaming, views-based ER
    carla: PlatformAccount  # instagram mega US virtual, fashion + tech
    dan: PlatformAccount  # youtube, followers unknown, GB music
    eve_ig: PlatformAccount  # instagram micro FR beauty, no engagement figures
    eve_tt: PlatformAccount  # tiktok micro FR beauty

    def ids(self, *accounts: PlatformAccount) -> list[int]:
        return [a.id for a in accounts]


@pytest.fixture
def cast(db: Session, world: World) -> Cast:
    alice = make_creator(
        db,
        name="Alice Martin",
        handle="alice",
        followers=5_000,
        avg_likes=500,
        avg_comments=20,
        categories=("fashion",),
    )
    bob = make_creator(
        db,
        name="Bob Stone",
        platform=Platform.tiktok,
        handle="bob_plays",
        followers=250_000,
        avg_likes=3_000,
        avg_comments=100,
        avg_views=100_000,
        country="US",
        language="en",
        categories=("gaming",),
    )
    carla = make_creator(
        db,
        name="Carla Byte",
        handle="carla.ai",
        followers=1_200_000,
        avg_likes=20_000,
        avg_comments=500,
        country="US",
        language="en",
        categories=("fashion", "tech"),
        is_virtual=True,
    )
    dan = make_creator(
        db,
        name="Dan Rivers",
        platform=Platform.youtube,
        handle="danrivers",
        country="GB",
        language="en",
        categories=("music",),
    )
    dan_account = account_of(db, dan)
    set_figures(db, dan_account, followers=None, engagement_rate=None)
    eve = make_creator(
        db, name="Eve Laurent", handle="eve", followers=40_000, categories=("beauty",)
    )
    eve_ig = account_of(db, eve)
    set_figures(db, eve_ig, avg_likes=None, avg_comments=None, engagement_rate=None)
    eve_tt = add_account(
        db,
        eve,
        platform=Platform.tiktok,
        handle="eve.tt",
        followers=80_000,
        avg_likes=6_000,
        avg_comments=300,
        avg_views=60_000,
        categories=("beauty",),
    )
    db.flush()
    db.commit()
    return Cast(
        account_of(db, alice),
        account_of(db, bob),
        account_of(db, carla),
        dan_account,
        eve_ig,
        eve_tt,
    )


def _owner(db: Session, account: PlatformAccount) -> Creator:
    creator = db.get(Creator, account.creator_id)
    assert creator is not None
    return creator


def _ids(
    db: Session,
    world: World,
    sort: str = "-followers",
    who: str = "a_owner",
    page: PageParams | None = None,
    **filters: object,
) -> list[int]:
    found = service.list_creators(_ctx(db, world, who), CreatorFilters(**filters), sort, page)
    return [row.account_id for row in found.items]


def test_unfiltered_list_sorts_by_followers_with_unknown_figures_last(
    db: Session, world: World, cast: Cast
) -> None:
    c = cast
    everyone = [c.carla, c.bob, c.eve_tt, c.eve_ig, c.alice, c.dan]
    assert _ids(db, world) == c.ids(*everyone)
    assert _ids(db, world, "followers") == c.ids(c.alice, c.eve_ig, c.eve_tt, c.bob, c.carla, c.dan)


def test_engagement_rate_sort_puts_accounts_without_a_rate_last_both_ways(
    db: Session, world: World, cast: Cast
) -> None:
    c = cast
    # ERs: eve_tt 0.105 (views), alice 0.104, bob 0.031 (views), carla 0.017; none for
    # eve_ig and dan, which come last, by id in the sort's direction (dan was made first).
    assert _ids(db, world, "-engagement_rate") == c.ids(
        c.eve_tt, c.alice, c.bob, c.carla, c.eve_ig, c.dan
    )
    assert _ids(db, world, "engagement_rate") == c.ids(
        c.carla, c.bob, c.alice, c.eve_tt, c.dan, c.eve_ig
    )


def test_name_sort_keeps_a_creators_accounts_together(
    db: Session, world: World, cast: Cast
) -> None:
    c = cast
    assert _ids(db, world, "name") == c.ids(c.alice, c.bob, c.carla, c.dan, c.eve_ig, c.eve_tt)
    assert _ids(db, world, "-name") == c.ids(c.eve_tt, c.eve_ig, c.dan, c.carla, c.bob, c.alice)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"platform": "instagram"}, ["carla", "eve_ig", "alice"]),
        ({"country": "fr"}, ["eve_tt", "eve_ig", "alice"]),
        ({"language": "EN"}, ["carla", "bob", "dan"]),
        ({"tier": "micro"}, ["eve_tt", "eve_ig"]),
        ({"tier": "nano"}, ["alice"]),
        ({"tier": "mega"}, ["carla"]),
        ({"country": "FR", "tier": "micro"}, ["eve_tt", "eve_ig"]),
        ({"category": "Fashion"}, ["carla", "alice"]),
        ({"category": "fashion", "platform": "instagram", "country": "US"}, ["carla"]),
        ({"min_followers": 40_000, "max_followers": 250_000}, ["bob", "eve_tt", "eve_ig"]),
        ({"min_engagement_rate": 0.05}, ["eve_tt", "alice"]),
        ({"max_engagement_rate": 0.05}, ["carla", "bob"]),
        ({"search": "eve"}, ["eve_tt", "eve_ig"]),
        ({"search": "@BOB_"}, ["bob"]),
        ({"search": "rivers"}, ["dan"]),
        ({"search": "aurent"}, ["eve_tt", "eve_ig"]),
        ({"search": "eve.t"}, ["eve_tt"]),
        ({"search": "%"}, []),
        ({"is_virtual": True}, ["carla"]),
        ({"is_virtual": False, "country": "US"}, ["bob"]),
        ({"platform": "tiktok", "tier": "mid"}, ["bob"]),
    ],
)
def test_filters_return_exactly_the_matching_accounts(
    db: Session, world: World, cast: Cast, filters: dict[str, object], expected: list[str]
) -> None:
    assert _ids(db, world, **filters) == [getattr(cast, name).id for name in expected]


def test_pages_follow_on_and_say_when_another_exists(db: Session, world: World, cast: Cast) -> None:
    c = cast
    ctx = _ctx(db, world)
    pages = [service.list_creators(ctx, None, "-followers", PageParams(n, 2)) for n in (1, 2, 3, 4)]
    assert [[r.account_id for r in p.items] for p in pages] == [
        c.ids(c.carla, c.bob),
        c.ids(c.eve_tt, c.eve_ig),
        c.ids(c.alice, c.dan),
        [],
    ]
    assert [p.has_next for p in pages] == [True, True, False, False]
    # A page made only of accounts without the figure (the last known one is on page 5).
    deep = service.list_creators(ctx, None, "-followers", PageParams(6, 1))
    assert [r.account_id for r in deep.items] == [c.dan.id] and not deep.has_next


def test_rows_carry_categories_and_this_workspaces_status(
    db: Session, world: World, cast: Cast
) -> None:
    overlay(db, world.a, _owner(db, cast.carla), status=RelationshipStatus.negotiating)
    db.commit()
    rows = service.list_creators(_ctx(db, world), CreatorFilters(is_virtual=True)).items
    assert rows[0].categories == ["fashion", "tech"]
    assert rows[0].relationship_status is RelationshipStatus.negotiating
    rows_b = service.list_creators(_ctx(db, world, "b_owner"), CreatorFilters(is_virtual=True))
    assert rows_b.items[0].relationship_status is RelationshipStatus.none


def test_workspace_filters_see_only_the_callers_own_data(
    db: Session, world: World, cast: Cast
) -> None:
    c = cast
    overlay(db, world.a, _owner(db, c.alice), tags=["vip", "summer"])
    overlay(db, world.a, _owner(db, c.bob), tags=["summer"], status=RelationshipStatus.contacted)
    overlay(db, world.b, _owner(db, c.dan), tags=["vip"], status=RelationshipStatus.contacted)
    shortlist = make_list(db, world.a, "Shortlist", [_owner(db, c.carla), _owner(db, c.eve_ig)])
    db.commit()
    assert _ids(db, world, tag="VIP") == c.ids(c.alice)
    assert _ids(db, world, tag="summer") == c.ids(c.bob, c.alice)
    assert _ids(db, world, relationship_status="contacted") == c.ids(c.bob)
    assert _ids(db, world, relationship_status="none") == c.ids(
        c.carla, c.eve_tt, c.eve_ig, c.alice, c.dan
    )
    assert _ids(db, world, list_id=shortlist.id) == c.ids(c.carla, c.eve_tt, c.eve_ig)
    assert _ids(db, world, list_id=shortlist.id, tier="micro") == c.ids(c.eve_tt, c.eve_ig)
    assert _ids(db, world, who="b_owner", tag="vip") == c.ids(c.dan)
    assert _ids(db, world, who="b_owner", tag="summer") == []
    assert _ids(db, world, who="b_owner", relationship_status="contacted") == c.ids(c.dan)
    with pytest.raises(NotFound):
        _ids(db, world, who="b_owner", list_id=shortlist.id)


@pytest.mark.parametrize(
    ("filters", "sort", "field"),
    [
        ({"country": "XX"}, "-followers", "country"),
        ({"country": "F"}, "-followers", "country"),
        ({"language": "english"}, "-followers", "language"),
        ({"min_followers": 10, "max_followers": 5}, "-followers", "min_followers"),
        (
            {"min_engagement_rate": 0.5, "max_engagement_rate": 0.1},
            "-followers",
            "min_engagement_rate",
        ),
        ({}, "popularity", "sort"),
        ({"tag": "a,b"}, "-followers", "tag"),
    ],
)
def test_nonsense_filters_are_refused_with_the_field(
    db: Session, world: World, filters: dict[str, object], sort: str, field: str
) -> None:
    with pytest.raises(ValidationFailed) as error:
        service.list_creators(_ctx(db, world), CreatorFilters(**filters), sort)
    assert error.value.details == {"field": field}


# A brute-force model of the list, to check the probe and the filter-driven paths agree
# with it for any filters, sort and page.


@dataclass
class Model:
    account_id: int
    creator_id: int
    name: str
    platform: Platform
    handle: str
    followers: int | None
    rate: float | None
    country: str | None
    language: str | None
    categories: set[str]
    virtual: bool
    updated_key: object


def _model(db: Session) -> list[Model]:
    rows = db.execute(
        select(PlatformAccount, Creator).join(Creator, Creator.id == PlatformAccount.creator_id)
    ).all()
    categories = repository.PublicCreatorRepository(db).categories_for([a.id for a, _ in rows])
    return [
        Model(
            a.id,
            c.id,
            c.display_name,
            a.platform,
            a.handle,
            a.followers,
            a.engagement_rate,
            a.country,
            a.language,
            set(categories[a.id]),
            c.is_virtual,
            a.updated_at,
        )
        for a, c in rows
    ]


def _expected(model: list[Model], f: CreatorFilters, sort: str) -> list[int]:
    lower, upper = tier_range(f.tier, BANDS) if f.tier else (None, None)
    text = (f.search or "").lower().lstrip("@")

    def keep(m: Model) -> bool:
        return (
            (f.platform is None or m.platform is f.platform)
            and (f.country is None or m.country == f.country)
            and (f.language is None or m.language == f.language)
            and (f.category is None or f.category in m.categories)
            and (lower is None or (m.followers is not None and m.followers >= lower))
            and (upper is None or (m.followers is not None and m.followers < upper))
            and (f.min_followers is None or (m.followers or -1) >= f.min_followers)
            and (f.min_engagement_rate is None or (m.rate or -1) >= f.min_engagement_rate)
            and (f.is_virtual is None or m.virtual is f.is_virtual)
            and (not text or text in m.name.lower() or m.handle.startswith(text))
        )

    kept = [m for m in model if keep(m)]
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key == "name":
        return [
            m.account_id
            for m in sorted(
                kept, key=lambda m: (m.name, m.creator_id, m.account_id), reverse=descending
            )
        ]
    if key == "updated":
        ordered = sorted(kept, key=lambda m: (m.updated_key, m.account_id), reverse=descending)
        return [m.account_id for m in ordered]
    value = (lambda m: m.followers) if key == "followers" else (lambda m: m.rate)
    known = sorted(
        (m for m in kept if value(m) is not None),
        key=lambda m: (value(m), m.account_id),
        reverse=descending,
    )
    unknown = sorted(
        (m for m in kept if value(m) is None), key=lambda m: m.account_id, reverse=descending
    )
    return [m.account_id for m in known + unknown]


@pytest.fixture
def crowd(db: Session, world: World) -> list[Model]:
    """Sixty accounts of fifty creators with overlapping, partly missing figures."""
    platforms = [Platform.instagram, Platform.tiktok, Platform.youtube]
    for n in range(50):
        creator = make_creator(
            db,
            name=f"{['Ana', 'Ben', 'Cleo', 'Dov', 'Ema'][n % 5]} {n % 7}",
            platform=platforms[n % 3],
            handle=f"{['ana', 'ben', 'cleo', 'dov', 'ema'][n % 5]}{n}",
            followers=[800, 4_000, 20_000, 150_000, 700_000, 3_000_000][n % 6] + n,
            avg_likes=float((n * 37) % 900 + 10),
            avg_comments=float(n % 13),
            avg_views=50_000.0 if n % 3 == 1 else None,
            country=["FR", "US", "BR", None][n % 4],
            language=["fr", "en", None][n // 2 % 3],
            categories=(["fashion", "food", "tech"][n % 3],) + (("travel",) if n % 4 == 0 else ()),
            is_virtual=n % 11 == 0,
        )
        if n % 5 == 0:
            account = account_of(db, creator)
            followers = None if n % 10 == 0 else account.followers
            set_figures(db, account, followers=followers, engagement_rate=None)
        if n % 5 == 1:
            add_account(
                db,
                creator,
                platform=Platform.x,
                handle=f"x_{n}",
                followers=10_000 + n * 100,
                categories=("food",),
            )
    db.commit()
    return _model(db)


_filters = st.builds(
    CreatorFilters,
    platform=st.none() | st.sampled_from([Platform.instagram, Platform.tiktok, Platform.x]),
    country=st.none() | st.sampled_from(["FR", "US"]),
    language=st.none() | st.sampled_from(["fr", "en"]),
    tier=st.none() | st.sampled_from(["nano", "micro", "mid", "mega"]),
    category=st.none() | st.sampled_from(["fashion", "food", "travel"]),
    min_followers=st.none() | st.sampled_from([1_000, 20_000]),
    min_engagement_rate=st.none() | st.sampled_from([0.001, 0.01]),
    is_virtual=st.none() | st.booleans(),
    search=st.none() | st.sampled_from(["ana", "1", "@ben", "x_", "cleo 3"]),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    filters=_filters,
    # Relevance needs a description: tests/discovery rank by it.
    sort=st.sampled_from([s for s in service.SORT_VALUES if s != "relevance"]),
    page=st.integers(min_value=1, max_value=4),
    per_page=st.sampled_from([1, 3, 7]),
    probe_factor=st.sampled_from([1, 20]),
    small=st.sampled_from([0, 5_000]),
)
def test_any_filters_sort_and_page_match_a_brute_force_model(
    db: Session,
    world: World,
    crowd: list[Model],
    monkeypatch: pytest.MonkeyPatch,
    filters: CreatorFilters,
    sort: str,
    page: int,
    per_page: int,
    probe_factor: int,
    small: int,
) -> None:
    # A probe factor of 1 makes probes come up short, so the filter-driven path runs too;
    # with no category or search small, they are checks on a probe rather than its start.
    monkeypatch.setattr(repository, "_PROBE_FACTOR", probe_factor)
    monkeypatch.setattr(repository, "_SMALL_CATEGORY", small)
    monkeypatch.setattr(repository, "_SMALL_SEARCH", small)
    expected = _expected(crowd, filters, sort)
    found = service.list_creators(_ctx(db, world), filters, sort, PageParams(page, per_page))
    start = (page - 1) * per_page
    assert [r.account_id for r in found.items] == expected[start : start + per_page]
    assert found.has_next == (len(expected) > start + per_page)


@pytest.mark.parametrize("sort", ["followers", "-followers", "engagement_rate", "-engagement_rate"])
@pytest.mark.parametrize(
    "filters_",
    [
        {},
        {"tier": "micro"},
        {"min_followers": 20_000, "max_followers": 1_000_000},
        {"min_engagement_rate": 0.01},
        {"tier": "mega", "max_engagement_rate": 0.001},
        {"platform": Platform.x},
        {"country": "FR", "tier": "micro"},
        {"language": "en", "min_engagement_rate": 0.01},
    ],
)
def test_a_category_with_filters_on_its_copies_pages_like_the_model(
    db: Session, world: World, crowd: list[Model], filters_: dict[str, object], sort: str
) -> None:
    """The list reads these from the category's own copies of the account's columns."""
    filters = CreatorFilters(category="food", **filters_)  # type: ignore[arg-type]
    expected = _expected(crowd, filters, sort)
    for page in (1, 2, 3):
        found = service.list_creators(_ctx(db, world), filters, sort, PageParams(page, 3))
        assert [r.account_id for r in found.items] == expected[(page - 1) * 3 : page * 3]


def test_a_changed_follower_count_moves_an_account_between_tiers_of_its_category(
    db: Session, world: World, cast: Cast
) -> None:
    ctx = _ctx(db, world)
    micro_beauty = CreatorFilters(category="beauty", tier="micro")

    def handles() -> list[str]:
        page = service.list_creators(ctx, micro_beauty, "-engagement_rate", PageParams(1, 50))
        return [row.handle for row in page.items]

    before = handles()
    assert before == ["eve.tt", "eve"]  # Eve's Instagram has no engagement rate: last
    mover = cast.eve_tt
    service.update_account(ctx, mover.creator_id, mover.id, AccountUpdate(followers=150_000))
    assert handles() == ["eve"]
    service.update_account(ctx, mover.creator_id, mover.id, AccountUpdate(followers=80_000))
    assert handles() == before


def test_a_changed_country_moves_an_account_between_countries_of_its_category(
    db: Session, world: World, cast: Cast
) -> None:
    ctx = _ctx(db, world)
    mover = cast.eve_tt

    def found(country: str, sort: str) -> bool:
        filters = CreatorFilters(category="beauty", country=country)
        page = service.list_creators(ctx, filters, sort, PageParams(1, 50))
        return mover.id in [row.account_id for row in page.items]

    before = mover.country
    assert before is not None and before != "BE"
    service.update_account(ctx, mover.creator_id, mover.id, AccountUpdate(country="be"))
    for sort in ("-followers", "name"):  # read off the category's copies, or checked on rows
        assert found("BE", sort) and not found(before, sort)


# ----------------------------------------------------------------------------- detail


def test_detail_has_accounts_recent_history_and_only_this_workspaces_data(
    db: Session, world: World, cast: Cast
) -> None:
    eve = cast.eve_ig.creator_id
    creator = db.get(Creator, eve)
    assert creator is not None
    now = utcnow()
    add_snapshot(db, cast.eve_ig, captured_at=now - timedelta(days=120), followers=30_000)
    recent = add_snapshot(db, cast.eve_ig, captured_at=now - timedelta(days=10), followers=39_000)
    overlay(db, world.a, creator, notes="acme only", tags=["vip"])
    make_rate(db, world.a, creator)
    shortlist = make_list(db, world.a, "Shortlist", [creator])
    db.commit()

    detail = service.creator_detail(_ctx(db, world), eve)
    assert [a.id for a in detail.creator.accounts] == [cast.eve_tt.id, cast.eve_ig.id]
    assert detail.categories(cast.eve_tt) == ["beauty"]
    assert [s.id for s in detail.snapshots[cast.eve_ig.id]] == [recent.id]
    assert detail.workspace_data is not None and detail.workspace_data.notes == "acme only"
    assert [r.amount_minor for r in detail.rates] == [120_000]
    assert [cl.id for cl in detail.lists] == [shortlist.id]

    seen_by_b = service.creator_detail(_ctx(db, world, "b_owner"), eve)
    assert seen_by_b.workspace_data is None
    assert seen_by_b.rates == [] and seen_by_b.lists == []


def test_detail_of_an_unknown_creator_is_not_found(db: Session, world: World) -> None:
    with pytest.raises(NotFound):
        service.creator_detail(_ctx(db, world), 999_999)


# ----------------------------------------------------------------------------- public facts


def _new(**account: object) -> CreatorCreate:
    fields = {"platform": "instagram", "handle": "@Zoe.Lane", **account}
    return CreatorCreate.model_validate({"display_name": "Zoe Lane", "accounts": [fields]})


def _audit(db: Session, world: World, action: str) -> list[AuditEvent]:
    return list(
        db.scalars(
            select(AuditEvent).where(
                AuditEvent.workspace_id == world.a.id, AuditEvent.action == action
            )
        )
    )


def test_create_creator_normalises_and_records_the_figures(db: Session, world: World) -> None:
    creator = service.create_creator(
        _ctx(db, world, "a_manager"),
        _new(
            url="https://instagram.com/zoe.lane",
            followers=12_000,
            avg_likes=600,
            avg_comments=30,
            country="fr",
            language="FR",
            categories=["Travel", "travel ", "Food"],
            contact_email="Zoe@Example.COM",
        ),
    )
    db.commit()
    detail = service.creator_detail(_ctx(db, world), creator.id)
    (account,) = detail.creator.accounts
    assert (account.handle, account.country, account.language) == ("zoe.lane", "FR", "fr")
    assert account.contact_email == "zoe@example.com"
    assert detail.categories(account) == ["food", "travel"]
    assert account.engagement_rate == pytest.approx(630 / 12_000)
    assert account.engagement_formula == "followers"
    assert (account.metrics_provenance, account.metrics_source) == (Provenance.reported, "manual")
    (snapshot,) = detail.snapshots[account.id]
    assert (snapshot.followers, snapshot.provenance, snapshot.source) == (
        12_000,
        Provenance.reported,
        "manual",
    )
    (event,) = _audit(db, world, "creator.created")
    assert event.subject_id == creator.id and event.details["accounts"] == ["instagram:zoe.lane"]


def test_a_known_platform_handle_is_a_conflict_and_writes_nothing(
    db: Session, world: World, cast: Cast
) -> None:
    before = db.scalar(select(func.count()).select_from(Creator))
    with pytest.raises(Conflict) as error:
        service.create_creator(
            _ctx(db, world),
            CreatorCreate(
                display_name="Two accounts",
                accounts=[
                    AccountCreate(platform=Platform.youtube, handle="fresh"),
                    AccountCreate(
                        platform=Platform.instagram, handle="https://instagram.com/ALICE/"
                    ),
                ],
            ),
        )
    assert error.value.details == {
        "field": "accounts.1.handle",
        "creator_id": cast.alice.creator_id,
    }
    assert db.scalar(select(func.count()).select_from(Creator)) == before
    assert _audit(db, world, "creator.created") == []


@pytest.mark.parametrize(
    ("account", "field"),
    [
        ({"country": "XY"}, "accounts.0.country"),
        ({"language": "12"}, "accounts.0.language"),
        ({"contact_email": "not-an-email"}, "accounts.0.contact_email"),
        ({"url": "javascript:alert(1)"}, "accounts.0.url"),
        ({"handle": "two words"}, "accounts.0.handle"),
        ({"handle": "@"}, "accounts.0.handle"),
    ],
)
def test_bad_account_facts_are_refused_with_the_field(
    db: Session, world: World, account: dict[str, object], field: str
) -> None:
    before = db.scalar(select(func.count()).select_from(Creator))
    with pytest.raises(ValidationFailed) as error:
        service.create_creator(_ctx(db, world), _new(**account))
    assert error.value.details == {"field": field}
    assert db.scalar(select(func.count()).select_from(Creator)) == before


def test_the_same_account_twice_in_one_request_is_refused(db: Session, world: World) -> None:
    data = CreatorCreate(
        display_name="Twice",
        accounts=[
            AccountCreate(platform=Platform.tiktok, handle="twice"),
            AccountCreate(platform=Platform.tiktok, handle="@TWICE"),
        ],
    )
    with pytest.raises(ValidationFailed) as error:
        service.create_creator(_ctx(db, world), data)
    assert error.value.details == {"field": "accounts.1.handle"}


def test_analysts_cannot_change_anything(db: Session, world: World, cast: Cast) -> None:
    analyst = _ctx(db, world, "a_analyst")
    creator_id = cast.alice.creator_id
    writes = [
        lambda: service.create_creator(analyst, _new()),
        lambda: service.update_creator(analyst, creator_id, CreatorUpdate(display_name="X")),
        lambda: service.update_account(
            analyst, creator_id, cast.alice.id, AccountUpdate(followers=1)
        ),
        lambda: service.update_workspace_data(analyst, creator_id, WorkspaceDataUpdate(notes="x")),
        lambda: service.add_rate(
            analyst,
            creator_id,
            RateCreate(
                platform=Platform.instagram, deliverable="post", amount_minor=1, currency="EUR"
            ),
        ),
        lambda: service.create_list(analyst, ListCreate(name="Mine")),
    ]
    for write in writes:
        with pytest.raises(PermissionDenied):
            write()


def test_manual_metrics_become_the_latest_figures_and_join_the_history(
    db: Session, world: World, cast: Cast
) -> None:
    ctx = _ctx(db, world)
    service.update_account(
        ctx,
        cast.alice.creator_id,
        cast.alice.id,
        AccountUpdate(
            followers=6_000, provenance=Provenance.measured, categories=["Beauty"], url=None
        ),
    )
    db.commit()
    found = service.account_detail(ctx, cast.alice.creator_id, cast.alice.id)
    account = found.account
    assert account.followers == 6_000 and account.avg_likes == 500
    assert account.engagement_rate == pytest.approx(520 / 6_000)
    assert (account.metrics_provenance, account.metrics_source) == (Provenance.measured, "manual")
    assert [c.category for c in account.categories] == ["beauty"]
    (snapshot,) = found.snapshots
    assert (snapshot.followers, snapshot.avg_likes, snapshot.provenance) == (
        6_000,
        500,
        Provenance.measured,
    )
    (event,) = _audit(db, world, "creator.account_updated")
    assert event.details["fields"] == ["categories", "followers", "url"]


def test_profile_edits_leave_the_metrics_and_history_alone(
    db: Session, world: World, cast: Cast
) -> None:
    ctx = _ctx(db, world)
    service.update_account(
        ctx, cast.alice.creator_id, cast.alice.id, AccountUpdate(bio="Paris based", country="be")
    )
    db.commit()
    account = service.account_detail(ctx, cast.alice.creator_id, cast.alice.id).account
    assert (account.bio, account.country, account.metrics_source) == (
        "Paris based",
        "BE",
        "factory",
    )
    assert db.scalar(select(func.count()).select_from(MetricSnapshot)) == 0


def test_renaming_a_handle_onto_another_account_is_a_conflict(
    db: Session, world: World, cast: Cast
) -> None:
    with pytest.raises(Conflict) as error:
        service.update_account(
            _ctx(db, world), cast.eve_ig.creator_id, cast.eve_ig.id, AccountUpdate(handle="@alice")
        )
    assert error.value.details["field"] == "handle"


def test_an_account_of_another_creator_is_not_found(db: Session, world: World, cast: Cast) -> None:
    with pytest.raises(NotFound):
        service.update_account(
            _ctx(db, world), cast.bob.creator_id, cast.alice.id, AccountUpdate(followers=1)
        )


def test_a_creator_keeps_at_least_one_account(db: Session, world: World, cast: Cast) -> None:
    ctx = _ctx(db, world)
    add_snapshot(db, cast.eve_tt, captured_at=utcnow(), followers=1)
    with pytest.raises(Conflict):
        service.remove_account(ctx, cast.alice.creator_id, cast.alice.id)
    service.remove_account(ctx, cast.eve_tt.creator_id, cast.eve_tt.id)
    db.commit()
    assert db.get(PlatformAccount, cast.eve_tt.id) is None
    assert db.scalar(select(func.count()).select_from(MetricSnapshot)) == 0
    assert [e.details["account"] for e in _audit(db, world, "creator.account_removed")] == [
        "tiktok:eve.tt"
    ]


@pytest.mark.parametrize(
    ("text", "who"),
    [
        ("zoë", "Zoë"),
        ("ZOË PA", "Zoë"),  # the service lower-cases; accents are kept
        ('ien "ob', "O'Brien"),
        ("o'b", "O'Brien"),
        ("%_%", None),
        ('"', "O'Brien"),
    ],
)
def test_name_search_takes_any_text(
    db: Session, world: World, cast: Cast, text: str, who: str | None
) -> None:
    zoe = make_creator(db, name="Zoë Park", platform=Platform.x, handle="zp")
    obi = make_creator(db, name='O\'Brien "Obi" Mensah', platform=Platform.x, handle="obi")
    expected = {"Zoë": [account_of(db, zoe).id], "O'Brien": [account_of(db, obi).id], None: []}
    for small in (0, 5_000):  # the name index as the start, or as a check on a probe
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(repository, "_SMALL_SEARCH", small)
            assert _ids(db, world, search=text) == expected[who]


def test_every_plan_finds_the_same_names_whatever_their_case(db: Session, world: World) -> None:
    known = make_creator(db, name="Élodie Known", handle="ek", followers=40_000)
    unknown = make_creator(db, name="Élodie Unknown", handle="eu")
    set_figures(db, account_of(db, unknown), followers=None)
    by_sort = {
        sort: sorted(_ids(db, world, sort, search="élodie"))
        for sort in ("-followers", "followers", "name", "-updated")
    }
    # A page is found by the index's plan for accounts with the sorted figure, and by
    # checks for those without: both must take the same names.
    assert len(set(map(tuple, by_sort.values()))) == 1, by_sort
    if db.get_bind().dialect.name == "sqlite":
        # SQLite's trigram index folds every letter's case.
        assert by_sort["name"] == sorted([account_of(db, known).id, account_of(db, unknown).id])


def test_add_account_and_rename_creator(db: Session, world: World, cast: Cast) -> None:
    ctx = _ctx(db, world)
    account = service.add_account(
        ctx,
        cast.dan.creator_id,
        AccountCreate(
            platform=Platform.podcast, handle="Dan Talks".replace(" ", "_"), followers=900
        ),
    )
    service.update_creator(ctx, cast.dan.creator_id, CreatorUpdate(display_name="Daniel Rivers"))
    db.commit()
    assert _ids(db, world, search="daniel") == [account.id, cast.dan.id]
    assert [e.details for e in _audit(db, world, "creator.updated")] == [
        {"display_name": "Daniel Rivers"}
    ]


# ----------------------------------------------------------------------------- workspace data


def test_workspace_data_is_normalised_audited_and_private(
    db: Session, world: World, cast: Cast
) -> None:
    creator_id = cast.bob.creator_id
    service.update_workspace_data(
        _ctx(db, world, "a_manager"),
        creator_id,
        WorkspaceDataUpdate(
            notes="acme-private: met at the fair",
            tags=[" VIP ", "vip", "Summer  2026"],
            custom_fields={" Shoe size ": 42, "Agent": " Lou "},
            relationship_status=RelationshipStatus.negotiating,
        ),
    )
    service.update_workspace_data(_ctx(db, world), creator_id, WorkspaceDataUpdate(notes="again"))
    db.commit()
    mine = service.creator_detail(_ctx(db, world), creator_id).workspace_data
    assert mine is not None
    assert (mine.notes, mine.tags) == ("again", ["vip", "summer 2026"])
    assert mine.custom_fields == {"Shoe size": 42, "Agent": "Lou"}
    assert mine.relationship_status is RelationshipStatus.negotiating
    assert [e.details["fields"] for e in _audit(db, world, "creator.workspace_data_updated")] == [
        ["notes", "tags", "custom_fields", "relationship_status"],
        ["notes"],
    ]
    assert service.creator_detail(_ctx(db, world, "b_owner"), creator_id).workspace_data is None


def test_rates_are_money_in_minor_units_and_per_workspace(
    db: Session, world: World, cast: Cast
) -> None:
    creator_id = cast.carla.creator_id
    with pytest.raises(ValidationFailed) as error:
        service.add_rate(
            _ctx(db, world),
            creator_id,
            RateCreate(
                platform=Platform.instagram, deliverable="1 reel", amount_minor=1, currency="XXX"
            ),
        )
    assert error.value.details == {"field": "currency"}
    rate = service.add_rate(
        _ctx(db, world),
        creator_id,
        RateCreate(
            platform=Platform.instagram, deliverable="1 reel", amount_minor=120_050, currency="eur"
        ),
    )
    assert (rate.amount_minor, rate.currency) == (120_050, "EUR")
    with pytest.raises(NotFound):
        service.remove_rate(_ctx(db, world, "b_owner"), creator_id, rate.id)
    service.remove_rate(_ctx(db, world), creator_id, rate.id)
    assert service.creator_detail(_ctx(db, world), creator_id).rates == []
    assert [e.details["amount"] for e in _audit(db, world, "creator.rate_removed")] == [
        "1,200.50 EUR"
    ]


# ----------------------------------------------------------------------------- lists


def test_lists_lifecycle(db: Session, world: World, cast: Cast) -> None:
    ctx = _ctx(db, world)
    summer = service.create_list(ctx, ListCreate(name="Summer", description="beach"))
    with pytest.raises(Conflict) as error:
        service.create_list(ctx, ListCreate(name="Summer"))
    assert error.value.details == {"field": "name"}
    service.create_list(_ctx(db, world, "b_owner"), ListCreate(name="Summer"))  # B's own name
    service.add_to_list(ctx, summer.id, cast.alice.creator_id)
    service.add_to_list(ctx, summer.id, cast.eve_ig.creator_id)
    again, added = service.add_to_list(ctx, summer.id, cast.alice.creator_id)
    assert not added and again.creator_id == cast.alice.creator_id
    with pytest.raises(NotFound):
        service.add_to_list(ctx, summer.id, 999_999)
    members = service.list_members(ctx, summer.id, PageParams(1, 1))
    assert [m.creator.id for m in members.items] == [cast.eve_ig.creator_id] and members.has_next
    service.remove_from_list(ctx, summer.id, cast.eve_ig.creator_id)
    with pytest.raises(NotFound):
        service.remove_from_list(ctx, summer.id, cast.eve_ig.creator_id)
    service.update_list(ctx, summer.id, ListUpdate(name="Summer 2026"))
    assert [(s.creator_list.name, s.size) for s in service.lists(ctx)] == [("Summer 2026", 1)]
    service.delete_list(ctx, summer.id)
    assert service.lists(ctx) == []
    assert [
        e.action
        for e in db.scalars(
            select(AuditEvent)
            .where(AuditEvent.workspace_id == world.a.id, AuditEvent.subject_type == "creator_list")
            .order_by(AuditEvent.id)
        )
    ] == [
        "list.created",
        "list.creator_added",
        "list.creator_added",
        "list.creator_removed",
        "list.updated",
        "list.deleted",
    ]


def test_another_workspaces_list_is_not_found(db: Session, world: World, cast: Cast) -> None:
    theirs = make_list(db, world.b, "Theirs", [_owner(db, cast.bob)])
    db.commit()
    ctx = _ctx(db, world)
    for attempt in (
        lambda: service.get_list(ctx, theirs.id),
        lambda: service.list_members(ctx, theirs.id),
        lambda: service.update_list(ctx, theirs.id, ListUpdate(name="Mine now")),
        lambda: service.delete_list(ctx, theirs.id),
        lambda: service.add_to_list(ctx, theirs.id, cast.alice.creator_id),
        lambda: service.remove_from_list(ctx, theirs.id, cast.bob.creator_id),
    ):
        with pytest.raises(NotFound):
            attempt()


def test_an_account_is_found_by_a_typed_reference(db: Session) -> None:
    account = account_of(db, make_creator(db, name="Ana Lima", handle="ana.lima"))
    for reference in ("instagram:ana.lima", "IG:@Ana.Lima", " insta : ana.lima"):
        assert service.account_by_reference(db, reference).id == account.id
    with pytest.raises(NotFound):
        service.account_by_reference(db, "tiktok:ana.lima")
    for bad, message in (("ana.lima", "platform:handle"), ("myspace:ana", "unknown platform")):
        with pytest.raises(ValidationFailed, match=message) as error:
            service.account_by_reference(db, bad)
        assert error.value.details == {"field": "account"}
