from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tastemaker.creator.models import (
    Creator,
    CreatorList,
    CreatorRate,
    MetricSnapshot,
    Platform,
    PlatformAccount,
    Provenance,
    RelationshipStatus,
    WorkspaceCreator,
)
from tastemaker.creator.views import follower_chart
from tastemaker.kit.time import utcnow
from tests.creator.builders import account_of, add_post, add_snapshot, make_list, overlay
from tests.factories import World, add_account, make_creator, make_workspace, sign_in


def _rows(html: str) -> list[str]:
    """Handles of the result rows, in order."""
    return re.findall(r'data-testid="creator-row".*?>@([\w.]+)<', html, re.S)


def _owner(client: TestClient, db: Session, world: World, who: str = "a_owner") -> str:
    return sign_in(client, db, world.users[who])


def test_creators_page_lists_filters_and_sorts(
    client: TestClient, db: Session, world: World, crew: dict[str, Creator]
) -> None:
    _owner(client, db, world)
    page = client.get(f"/w/{world.a.slug}/creators")
    assert page.status_code == 200
    assert _rows(page.text) == ["ben", "cy", "ana"]
    assert 'data-testid="filter-platform"' in page.text and "Add a creator" in page.text
    assert "(avg likes + avg comments) / followers" in page.text  # the ER formula on hover
    filtered = client.get(
        f"/w/{world.a.slug}/creators", params={"category": "fitness", "sort": "name"}
    )
    assert _rows(filtered.text) == ["ana", "cy"]
    by_er = client.get(f"/w/{world.a.slug}/creators", params={"min_er": "4", "country": "fr"})
    # Cy: (1,000 + 50) / 45,000 = 2.3%; Ana: 13.1%.
    assert _rows(by_er.text) == []
    assert _rows(client.get(f"/w/{world.a.slug}/creators?min_er=4").text) == ["ana"]


def test_htmx_gets_only_the_results(
    client: TestClient, db: Session, world: World, crew: dict[str, Creator]
) -> None:
    _owner(client, db, world)
    headers = {"HX-Request": "true", "HX-Target": "results"}
    fragment = client.get(f"/w/{world.a.slug}/creators?platform=tiktok", headers=headers)
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and _rows(fragment.text) == ["ben"]
    restore = client.get(
        f"/w/{world.a.slug}/creators?platform=tiktok",
        headers={**headers, "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restore.text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("min_followers=lots", "a whole number"),
        ("tier=giga", "unknown tier"),
        ("country=ZZ", "not an ISO 3166"),
        ("sort=popularity", "choose a sort"),
        ("min_followers=9&max_followers=1", "minimum followers is above"),
        ("page=0", "pages start at 1"),
    ],
)
def test_bad_filters_are_explained_inline(
    client: TestClient,
    db: Session,
    world: World,
    crew: dict[str, Creator],
    query: str,
    message: str,
) -> None:
    _owner(client, db, world)
    page = client.get(f"/w/{world.a.slug}/creators?{query}")
    assert page.status_code == 422
    assert 'data-testid="filter-errors"' in page.text and message in page.text
    assert 'id="creator-filters"' in page.text  # the form is still there to fix it


def test_empty_states_say_what_to_do(client: TestClient, db: Session, world: World) -> None:
    _owner(client, db, world)
    empty = client.get(f"/w/{world.a.slug}/creators")
    assert f'href="/w/{world.a.slug}/imports"' in empty.text
    assert f'href="/w/{world.a.slug}/creators/new"' in empty.text
    make_creator(db, handle="someone")
    db.commit()
    none_match = client.get(f"/w/{world.a.slug}/creators?platform=twitch")
    assert "No creator matches these filters" in none_match.text


def test_pagination_links_keep_the_filters(client: TestClient, db: Session, world: World) -> None:
    for n in range(52):
        make_creator(db, handle=f"fit{n:02d}", followers=10_000 + n, categories=("fitness",))
    db.commit()
    _owner(client, db, world)
    first = client.get(f"/w/{world.a.slug}/creators?category=fitness")
    assert len(_rows(first.text)) == 50
    assert f"/w/{world.a.slug}/creators?category=fitness&amp;page=2" in first.text
    second = client.get(f"/w/{world.a.slug}/creators?category=fitness&page=2")
    assert _rows(second.text) == ["fit01", "fit00"]
    assert 'data-testid="page-next"' not in second.text


def test_detail_shows_figures_provenance_formula_and_history(
    client: TestClient, db: Session, world: World, crew: dict[str, Creator]
) -> None:
    cy = crew["cy"]
    account = account_of(db, cy)
    now = utcnow()
    for days, followers in ((60, 40_000), (30, 42_000), (1, 45_000)):
        add_snapshot(db, account, captured_at=now - timedelta(days=days), followers=followers)
    overlay(db, world.a, cy, notes="acme-private: loves ceramics", tags=["vip"])
    db.commit()
    _owner(client, db, world)
    page = client.get(f"/w/{world.a.slug}/creators/{cy.id}")
    assert page.status_code == 200
    assert "Cy Twombly" in page.text and "45,000" in page.text
    assert "prov-imported" in page.text and "source factory" in page.text
    assert (
        "(avg likes + avg comments) / followers" in page.text
        and "(1,000 + 50) / 45,000" in page.text
    )
    assert "Micro" in page.text
    chart = re.search(r'data-testid="follower-chart".*?</figure>', page.text, re.S)
    assert chart is not None and "<polyline" in chart.group(0)
    assert chart.group(0).count("<circle") == 3
    assert "acme-private: loves ceramics" in page.text
    assert 'data-testid="workspace-data-form"' in page.text


def test_another_workspace_sees_the_creator_but_not_our_notes(
    client: TestClient, db: Session, world: World, crew: dict[str, Creator]
) -> None:
    cy = crew["cy"]
    overlay(
        db,
        world.a,
        cy,
        notes="acme-private note",
        tags=["acme-private-tag"],
        status=RelationshipStatus.negotiating,
    )
    make_list(db, world.a, "acme-private list", [cy])
    db.commit()
    _owner(client, db, world, "b_owner")
    assert client.get(f"/w/{world.a.slug}/creators/{cy.id}").status_code == 404
    theirs = client.get(f"/w/{world.b.slug}/creators/{cy.id}")
    assert theirs.status_code == 200 and "Cy Twombly" in theirs.text
    assert "acme-private" not in theirs.text
    assert 'data-testid="creator-status"' not in theirs.text
    assert 'value="negotiating" selected' not in theirs.text
    assert _rows(client.get(f"/w/{world.b.slug}/creators?tag=acme-private-tag").text) == []


def test_analysts_see_no_forms_and_cannot_post(
    client: TestClient, db: Session, world: World, crew: dict[str, Creator]
) -> None:
    csrf = _owner(client, db, world, "a_analyst")
    cy = crew["cy"]
    page = client.get(f"/w/{world.a.slug}/creators/{cy.id}")
    assert page.status_code == 200
    assert '<form method="post" action="/w/' not in page.text
    assert "Add a creator" not in client.get(f"/w/{world.a.slug}/creators").text
    refused = client.post(
        f"/w/{world.a.slug}/creators/{cy.id}/workspace-data",
        data={"csrf_token": csrf, "notes": "sneaky"},
    )
    assert refused.status_code == 403
    assert db.scalar(select(func.count()).select_from(WorkspaceCreator)) == 0


def test_new_creator_form_creates_or_explains(
    client: TestClient, db: Session, world: World, crew: dict[str, Creator]
) -> None:
    csrf = _owner(client, db, world, "a_manager")
    assert client.get(f"/w/{world.a.slug}/creators/new").status_code == 200
    form = {
        "csrf_token": csrf,
        "display_name": "Dee Jay",
        "platform": "youtube",
        "handle": "https://youtube.com/@DeeJay",
        "followers": "120000",
        "avg_likes": "",
        "country": "gb",
        "categories": "music, Dance",
        "provenance": "reported",
    }
    bad = client.post(f"/w/{world.a.slug}/creators", data={**form, "country": "ZZ"})
    assert bad.status_code == 422
    assert "not an ISO 3166 two-letter country code" in bad.text
    too_long = client.post(f"/w/{world.a.slug}/creators", data={**form, "country": "England"})
    assert too_long.status_code == 422 and "at most 2 characters" in too_long.text
    assert 'value="Dee Jay"' in bad.text  # what was typed is kept
    created = client.post(f"/w/{world.a.slug}/creators", data=form, follow_redirects=False)
    assert created.status_code == 303
    account = db.scalars(select(PlatformAccount).where(PlatformAccount.handle == "deejay")).one()
    assert created.headers["location"] == f"/w/{world.a.slug}/creators/{account.creator_id}"
    assert (account.country, account.followers, account.metrics_source) == ("GB", 120_000, "manual")
    again = client.post(f"/w/{world.a.slug}/creators", data=form)
    assert again.status_code == 409 and "already exists" in again.text
    assert db.scalar(select(func.count()).select_from(Creator)) == 4


def test_workspace_data_form(
    client: TestClient, db: Session, world: World, crew: dict[str, Creator]
) -> None:
    csrf = _owner(client, db, world)
    ben = crew["ben"]
    url = f"/w/{world.a.slug}/creators/{ben.id}/workspace-data"
    bad = client.post(url, data={"csrf_token": csrf, "notes": "hi", "custom_fields": "no colon"})
    assert bad.status_code == 422 and "line 1" in bad.text
    assert db.scalar(select(func.count()).select_from(WorkspaceCreator)) == 0
    saved = client.post(
        url,
        data={
            "csrf_token": csrf,
            "notes": "Met at VidCon",
            "tags": "VIP, summer",
            "custom_fields": "Agent: Lou\nShoe size: 42",
            "relationship_status": "contacted",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    row = db.scalars(select(WorkspaceCreator)).one()
    assert (row.notes, row.tags, row.relationship_status) == (
        "Met at VidCon",
        ["vip", "summer"],
        RelationshipStatus.contacted,
    )
    assert row.custom_fields == {"Agent": "Lou", "Shoe size": "42"}
    page = client.get(f"/w/{world.a.slug}/creators/{ben.id}")
    assert "Agent: Lou" in page.text and "Met at VidCon" in page.text


def test_rates_form_takes_major_units(
    client: TestClient, db: Session, world: World, crew: dict[str, Creator]
) -> None:
    csrf = _owner(client, db, world)
    ana = crew["ana"]
    url = f"/w/{world.a.slug}/creators/{ana.id}/rates"
    form = {"csrf_token": csrf, "platform": "instagram", "deliverable": "1 reel", "currency": "eur"}
    bad = client.post(url, data={**form, "amount": "12.345"})
    assert bad.status_code == 422 and "2 decimal places" in bad.text
    client.post(url, data={**form, "amount": "1,200.50"})
    rate = db.scalars(select(CreatorRate)).one()
    assert (rate.amount_minor, rate.currency, rate.workspace_id) == (120_050, "EUR", world.a.id)
    assert "1,200.50 EUR" in client.get(f"/w/{world.a.slug}/creators/{ana.id}").text
    client.post(f"{url}/{rate.id}/delete", data={"csrf_token": csrf})
    assert db.scalar(select(func.count()).select_from(CreatorRate)) == 0


def test_account_form_records_only_changed_metrics(
    client: TestClient, db: Session, world: World, crew: dict[str, Creator]
) -> None:
    csrf = _owner(client, db, world)
    ana = crew["ana"]
    account = account_of(db, ana)
    url = f"/w/{world.a.slug}/creators/{ana.id}/accounts/{account.id}"
    unchanged = {
        "csrf_token": csrf,
        "handle": "ana",
        "followers": "8000",
        "following": "300",
        "posts": "420",
        "avg_likes": "1000",
        "avg_comments": "50",
        "country": "BR",
        "language": "fr",
        "categories": "fitness",
        "provenance": "reported",
    }
    assert client.post(url, data=unchanged, follow_redirects=False).status_code == 303
    assert db.scalar(select(func.count()).select_from(MetricSnapshot)) == 0
    client.post(url, data={**unchanged, "followers": "9000", "provenance": "measured"})
    snapshot = db.scalars(select(MetricSnapshot)).one()
    assert (snapshot.followers, snapshot.provenance, snapshot.source) == (
        9_000,
        Provenance.measured,
        "manual",
    )
    bad = client.post(url, data={**unchanged, "contact_email": "nope"})
    assert bad.status_code == 422 and "not a valid e-mail" in bad.text


def test_removing_the_only_account_is_explained(
    client: TestClient, db: Session, world: World, crew: dict[str, Creator]
) -> None:
    csrf = _owner(client, db, world)
    ana = crew["ana"]
    url = f"/w/{world.a.slug}/creators/{ana.id}/accounts/{account_of(db, ana).id}/delete"
    refused = client.post(url, data={"csrf_token": csrf})
    assert refused.status_code == 409 and "only account" in refused.text
    second = add_account(db, ana, platform=Platform.x, handle="ana_x")
    db.commit()
    removed = client.post(
        f"/w/{world.a.slug}/creators/{ana.id}/accounts/{second.id}/delete",
        data={"csrf_token": csrf},
        follow_redirects=False,
    )
    assert removed.status_code == 303
    remaining = select(PlatformAccount.handle).where(PlatformAccount.creator_id == ana.id)
    assert db.scalars(remaining).all() == ["ana"]


def test_lists_pages(
    client: TestClient, db: Session, world: World, crew: dict[str, Creator]
) -> None:
    csrf = _owner(client, db, world)
    assert "No lists yet" in client.get(f"/w/{world.a.slug}/lists").text
    created = client.post(
        f"/w/{world.a.slug}/lists",
        data={"csrf_token": csrf, "name": "Fitness shortlist", "description": "Q3"},
        follow_redirects=False,
    )
    assert created.status_code == 303
    shortlist = db.scalars(select(CreatorList)).one()
    duplicate = client.post(
        f"/w/{world.a.slug}/lists", data={"csrf_token": csrf, "name": "Fitness shortlist"}
    )
    assert duplicate.status_code == 409 and "already a list named" in duplicate.text
    for name in ("ana", "cy"):
        client.post(
            f"/w/{world.a.slug}/creators/{crew[name].id}/lists",
            data={"csrf_token": csrf, "list_id": str(shortlist.id)},
        )
    page = client.get(f"/w/{world.a.slug}/lists/{shortlist.id}")
    assert page.text.count('data-testid="member-row"') == 2
    filtered = client.get(f"/w/{world.a.slug}/creators?list={shortlist.id}")
    assert _rows(filtered.text) == ["cy", "ana"]
    client.post(
        f"/w/{world.a.slug}/lists/{shortlist.id}/creators/{crew['ana'].id}/delete",
        data={"csrf_token": csrf},
    )
    assert _rows(client.get(f"/w/{world.a.slug}/creators?list={shortlist.id}").text) == ["cy"]
    renamed = client.post(
        f"/w/{world.a.slug}/lists/{shortlist.id}",
        data={"csrf_token": csrf, "name": "  ", "description": ""},
    )
    assert renamed.status_code == 422
    client.post(f"/w/{world.a.slug}/lists/{shortlist.id}/delete", data={"csrf_token": csrf})
    assert db.scalar(select(func.count()).select_from(CreatorList)) == 0


def test_a_list_of_another_workspace_is_not_found(
    client: TestClient, db: Session, world: World
) -> None:
    theirs = make_list(db, world.b, "Theirs")
    db.commit()
    csrf = _owner(client, db, world)
    assert client.get(f"/w/{world.a.slug}/lists/{theirs.id}").status_code == 404
    deleted = client.post(f"/w/{world.a.slug}/lists/{theirs.id}/delete", data={"csrf_token": csrf})
    assert deleted.status_code == 404
    assert db.get(CreatorList, theirs.id) is not None
    page = client.get(f"/w/{world.a.slug}/creators?list={theirs.id}")
    assert page.status_code == 422 and "list" in page.text


def test_a_member_of_two_workspaces_sees_each_ones_data_on_its_own_pages(
    client: TestClient, db: Session, world: World, crew: dict[str, Creator]
) -> None:
    other = make_workspace(db, world.users["a_owner"], name="Second brand")
    overlay(db, world.a, crew["ben"], notes="first-brand secret")
    db.commit()
    _owner(client, db, world)
    assert "first-brand secret" in client.get(f"/w/{world.a.slug}/creators/{crew['ben'].id}").text
    second = client.get(f"/w/{other.slug}/creators/{crew['ben'].id}")
    assert second.status_code == 200 and "first-brand secret" not in second.text


def test_every_form_carries_the_csrf_token(
    client: TestClient, db: Session, world: World, crew: dict[str, Creator]
) -> None:
    csrf = _owner(client, db, world)
    shortlist = make_list(db, world.a, "Shortlist", [crew["cy"]])
    db.commit()
    for path in (
        f"/w/{world.a.slug}/creators/new",
        f"/w/{world.a.slug}/creators/{crew['cy'].id}",
        f"/w/{world.a.slug}/lists",
        f"/w/{world.a.slug}/lists/{shortlist.id}",
    ):
        page = client.get(path)
        forms = page.text.count('method="post"')
        assert forms > 0, path
        # Every form, the sign-out one in the header included, posts the token back.
        assert page.text.count(f'name="csrf_token" value="{csrf}"') == forms, path


def test_follower_chart_scales_points_into_the_box(db: Session) -> None:
    creator = make_creator(db)
    account = account_of(db, creator)
    now = utcnow()
    snaps = [
        add_snapshot(db, account, captured_at=now - timedelta(days=d), followers=f)
        for d, f in ((20, 1_000), (10, 3_000), (0, 2_000))
    ]
    chart = follower_chart(snaps, width=208, height=108)
    assert chart is not None and (chart.low, chart.high) == (1_000, 3_000)
    # x from the 44px label gutter to 200; y from 100 (fewest) up to 8 (most).
    assert [(round(x), round(y)) for x, y, _ in chart.points] == [(44, 100), (122, 8), (200, 54)]
    assert follower_chart(snaps[:1]) is None


def test_detail_shows_recent_posts_or_says_there_are_none(
    client: TestClient, db: Session, world: World, crew: dict[str, Creator]
) -> None:
    cy = crew["cy"]
    account = account_of(db, cy)
    db.commit()
    _owner(client, db, world)
    empty = client.get(f"/w/{world.a.slug}/creators/{cy.id}")
    assert "No posts known yet" in empty.text
    now = utcnow()
    for n in range(7):
        add_post(db, account, f"p{n}", posted_at=now - timedelta(days=n),
                 caption=f"caption number {n} <script>", likes=1_500)  # fmt: skip
    db.commit()
    page = client.get(f"/w/{world.a.slug}/creators/{cy.id}")
    posts = re.search(r'data-testid="recent-posts".*?</section>', page.text, re.S)
    assert posts is not None
    shown = re.findall(r"caption number (\d)", posts.group(0))
    assert shown == ["0", "1", "2", "3", "4"]  # the latest five, newest first
    assert "1.5K likes" in posts.group(0)
    assert "<script>" not in posts.group(0) and "&lt;script&gt;" in posts.group(0)
