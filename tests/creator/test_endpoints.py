from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tastemaker.creator.models import (
    Creator,
    CreatorListEntry,
    MetricSnapshot,
    PlatformAccount,
    RelationshipStatus,
)
from tastemaker.kit.time import utcnow
from tests.creator.access import (
    CREATOR_API_SAMPLES,
    CREATOR_PAGE_SAMPLES,
    build_creator_objects,
)
from tests.creator.builders import account_of, add_post, add_snapshot, make_list, overlay
from tests.factories import World, sign_in

MARKER = "acme-private"

# ----------------------------------------------------------------------------- roles

# tests/test_access.py walks every creator route with the samples of tests/creator/access.py:
# anonymous, another workspace, an analyst writing, the owner. What it leaves out is here.


@dataclass
class Objects:
    ids: dict[str, int] = field(default_factory=dict)


@pytest.fixture
def objects(db: Session, world: World) -> Objects:
    built = Objects(build_creator_objects(db, world, MARKER))
    db.commit()
    return built


def _request(route: str, objects: Objects, slug: str) -> tuple[str, str]:
    """'POST /w/{slug}/lists/{list_id}' -> the method and this test's URL."""
    method, url = route.split(" ", 1)
    for name, value in {"slug": slug, **objects.ids}.items():
        url = url.replace("{" + name + "}", str(value))
    return method, url


@pytest.mark.parametrize("route", sorted(CREATOR_API_SAMPLES))
def test_a_manager_may_make_every_api_write(
    client: TestClient, world: World, objects: Objects, route: str
) -> None:
    method, url = _request(route, objects, world.a.slug)
    body = CREATOR_API_SAMPLES[route](objects).get("json")
    response = client.request(method, url, json=body, headers=world.headers("a_manager"))
    assert 200 <= response.status_code < 300, response.text


@pytest.mark.parametrize("route", sorted(CREATOR_PAGE_SAMPLES))
def test_a_manager_may_post_every_form(
    client: TestClient, db: Session, world: World, objects: Objects, route: str
) -> None:
    csrf = sign_in(client, db, world.users["a_manager"])
    method, url = _request(route, objects, world.a.slug)
    data = {"csrf_token": csrf, **CREATOR_PAGE_SAMPLES[route](objects).get("data", {})}
    response = client.request(method, url, data=data, follow_redirects=False)
    assert response.status_code in (200, 303), response.text


def test_an_analyst_cannot_open_the_new_creator_form(
    client: TestClient, db: Session, world: World
) -> None:
    sign_in(client, db, world.users["a_analyst"])
    assert client.get(f"/w/{world.a.slug}/creators/new").status_code == 403


# ----------------------------------------------------------------------------- the list


def _handles(body: dict[str, Any]) -> list[str]:
    return [row["handle"] for row in body["items"]]


def test_list_filters_sorts_and_shows_where_each_figure_comes_from(
    client: TestClient, world: World, crew: dict[str, Creator]
) -> None:
    headers = world.headers("a_analyst")
    everyone = client.get("/api/v1/creators", headers=headers)
    assert everyone.status_code == 200
    assert _handles(everyone.json()) == ["ben", "cy", "ana"]
    ben = everyone.json()["items"][0]
    assert ben["followers"] == {
        "value": 300_000,
        "provenance": "imported",
        "source": "factory",
        "at": None,
    }
    assert ben["engagement_rate"]["formula"] == "views"
    assert ben["engagement_rate"]["formula_text"] == (
        "(avg likes + avg comments + avg shares) / avg views"
    )
    assert ben["engagement_rate"]["value"] == pytest.approx(1_050 / 90_000)
    assert ben["tier"] == {
        "name": "mid",
        "label": "Mid-tier",
        "min_followers": 100_000,
        "max_followers": 500_000,
    }
    queries = {
        "category=fitness&sort=name": ["ana", "cy"],
        "tier=micro": ["cy"],
        "is_virtual=true": ["cy"],
        "search=%40BE": ["ben"],
        "country=br&min_engagement_rate=0.1": ["ana"],
        "platform=tiktok&sort=-engagement_rate": ["ben"],
        "sort=followers&per_page=2": ["ana", "cy"],
        "sort=followers&per_page=2&page=2": ["ben"],
    }
    for query, expected in queries.items():
        body = client.get(f"/api/v1/creators?{query}", headers=headers).json()
        assert _handles(body) == expected, query
    assert client.get("/api/v1/creators?per_page=2", headers=headers).json()["has_next"] is True


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("tier=foo", "tier"),
        ("country=XX", "country"),
        ("min_followers=10&max_followers=1", "min_followers"),
        ("list_id=999999", None),
    ],
)
def test_domain_validation_of_the_query_says_which_field(
    client: TestClient, world: World, query: str, field: str | None
) -> None:
    response = client.get(f"/api/v1/creators?{query}", headers=world.headers("a_owner"))
    error = response.json()["error"]
    if field is None:
        assert response.status_code == 404 and error["code"] == "not_found"
    else:
        assert response.status_code == 422
        assert (error["code"], error["details"]) == ("validation_failed", {"field": field})


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("sort=bar", "query.sort"),
        ("page=0", "query.page"),
        ("per_page=201", "query.per_page"),
        ("platform=myspace", "query.platform"),
        ("min_followers=-1", "query.min_followers"),
        ("min_engagement_rate=abc", "query.min_engagement_rate"),
        ("colour=red", "query.colour"),
    ],
)
def test_nonsense_query_parameters_are_422_with_the_error_shape(
    client: TestClient, world: World, query: str, field: str
) -> None:
    response = client.get(f"/api/v1/creators?{query}", headers=world.headers("a_owner"))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_failed" and error["message"]
    assert [d["field"] for d in error["details"]] == [field]


# ----------------------------------------------------------------------------- creators


def test_create_read_and_update_a_creator(client: TestClient, world: World) -> None:
    owner = world.headers("a_owner")
    body = {
        "display_name": "Lia Moon",
        "is_virtual": False,
        "accounts": [
            {
                "platform": "instagram",
                "handle": "@LiaMoon",
                "followers": 50_000,
                "avg_likes": 2_000,
                "avg_comments": 100,
                "country": "it",
                "language": "it",
                "categories": ["Food"],
                "contact_email": "lia@example.com",
            },
            {
                "platform": "tiktok",
                "handle": "https://www.tiktok.com/@liamoon",
                "followers": 9_000,
                "provenance": "measured",
            },
        ],
    }
    created = client.post("/api/v1/creators", json=body, headers=owner)
    assert created.status_code == 201, created.text
    data = created.json()
    instagram, tiktok = data["accounts"]
    assert (instagram["handle"], instagram["country"], instagram["categories"]) == (
        "liamoon",
        "IT",
        ["food"],
    )
    assert instagram["followers"]["provenance"] == "reported"
    assert instagram["followers"]["source"] == "manual"
    assert instagram["engagement_rate"]["value"] == pytest.approx(2_100 / 50_000)
    assert instagram["engagement_rate"]["formula_text"] == "(avg likes + avg comments) / followers"
    assert [s["followers"] for s in instagram["snapshots"]] == [50_000]
    assert tiktok["followers"]["provenance"] == "measured" and tiktok["tier"]["name"] == "nano"
    assert data["workspace_data"]["relationship_status"] == "none"

    duplicate = client.post("/api/v1/creators", json=body, headers=owner)
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["details"] == {
        "field": "accounts.0.handle",
        "creator_id": data["id"],
    }

    renamed = client.patch(
        f"/api/v1/creators/{data['id']}", json={"display_name": "Lia M."}, headers=owner
    )
    assert renamed.status_code == 200 and renamed.json()["display_name"] == "Lia M."


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"accounts": []}, 422, "accounts"),
        ({"display_name": ""}, 422, "display_name"),
        ({"colour": "red"}, 422, "colour"),
        (
            {"accounts": [{"platform": "instagram", "handle": "x", "followers": -5}]},
            422,
            "accounts.0.followers",
        ),
        (
            {"accounts": [{"platform": "instagram", "handle": "x", "country": "QQ"}]},
            422,
            "accounts.0.country",
        ),
        (
            {"accounts": [{"platform": "instagram", "handle": "x", "url": "ftp://x.y"}]},
            422,
            "accounts.0.url",
        ),
        ({"accounts": [{"platform": "friendster", "handle": "x"}]}, 422, "accounts.0.platform"),
        ({"display_name": "nul\x00byte"}, 422, "display_name"),
        (
            {"accounts": [{"platform": "x", "handle": "x", "categories": ["a\x00"]}]},
            422,
            "accounts.0.categories",
        ),
    ],
)
def test_bad_creator_bodies_are_refused_with_the_field(
    client: TestClient, db: Session, world: World, change: dict[str, Any], status: int, field: str
) -> None:
    body = {"display_name": "Valid", "accounts": [{"platform": "instagram", "handle": "ok"}]}
    response = client.post(
        "/api/v1/creators", json={**body, **change}, headers=world.headers("a_owner")
    )
    assert response.status_code == status
    details = response.json()["error"]["details"]
    fields = [d["field"] for d in details] if isinstance(details, list) else [details["field"]]
    assert field in fields
    assert db.scalar(select(func.count()).select_from(Creator)) == 0


def test_detail_for_another_workspace_has_public_facts_only(
    client: TestClient, db: Session, world: World, crew: dict[str, Creator]
) -> None:
    cy = crew["cy"]
    overlay(
        db, world.a, cy, notes=f"{MARKER} ceramic", tags=["vip"], status=RelationshipStatus.active
    )
    make_list(db, world.a, "Shortlist", [cy])
    db.commit()
    mine = client.get(f"/api/v1/creators/{cy.id}", headers=world.headers("a_analyst")).json()
    assert mine["workspace_data"]["notes"] == f"{MARKER} ceramic"
    assert [cl["name"] for cl in mine["lists"]] == ["Shortlist"]
    theirs = client.get(f"/api/v1/creators/{cy.id}", headers=world.headers("b_owner"))
    assert theirs.status_code == 200
    assert theirs.json()["workspace_data"] == {
        "notes": "",
        "tags": [],
        "custom_fields": {},
        "relationship_status": "none",
        "updated_at": None,
    }
    assert theirs.json()["lists"] == [] and MARKER not in theirs.text
    assert (
        client.get("/api/v1/creators/999999", headers=world.headers("a_owner")).status_code == 404
    )


def test_accounts_history_and_removal(
    client: TestClient, db: Session, world: World, crew: dict[str, Creator]
) -> None:
    owner = world.headers("a_owner")
    ana = crew["ana"]
    account = account_of(db, ana)
    now = utcnow()
    add_snapshot(db, account, captured_at=now - timedelta(days=200), followers=5_000)
    add_snapshot(db, account, captured_at=now - timedelta(days=20), followers=7_500)
    db.commit()
    base = f"/api/v1/creators/{ana.id}/accounts"
    updated = client.patch(
        f"{base}/{account.id}", json={"followers": 9_000, "url": None}, headers=owner
    )
    assert updated.status_code == 200
    assert updated.json()["followers"]["value"] == 9_000
    assert [s["followers"] for s in updated.json()["snapshots"]] == [7_500, 9_000]  # 90 days
    history = client.get(f"{base}/{account.id}/snapshots", headers=owner).json()
    assert [(s["followers"], s["source"]) for s in history] == [
        (5_000, "history.csv"),
        (7_500, "history.csv"),
        (9_000, "manual"),
    ]
    since = (now - timedelta(days=30)).isoformat()
    recent = client.get(
        f"{base}/{account.id}/snapshots", params={"since": since, "limit": 1}, headers=owner
    ).json()
    assert [s["followers"] for s in recent] == [9_000]
    naive = client.get(f"{base}/{account.id}/snapshots?since=2026-01-01T00:00:00", headers=owner)
    assert naive.status_code == 422

    other = account_of(db, crew["ben"])
    assert client.get(f"{base}/{other.id}/snapshots", headers=owner).status_code == 404
    assert client.delete(f"{base}/{account.id}", headers=owner).status_code == 409
    added = client.post(base, json={"platform": "x", "handle": "@Ana_X"}, headers=owner)
    assert added.status_code == 201 and added.json()["handle"] == "ana_x"
    taken = client.post(base, json={"platform": "tiktok", "handle": "ben"}, headers=owner)
    assert taken.status_code == 409
    assert client.delete(f"{base}/{account.id}", headers=owner).status_code == 204
    assert db.scalar(select(func.count()).select_from(MetricSnapshot)) == 0
    assert db.scalars(
        select(PlatformAccount.handle).where(PlatformAccount.creator_id == ana.id)
    ).all() == ["ana_x"]


def test_workspace_data_and_rates_stay_in_their_workspace(
    client: TestClient, db: Session, world: World, crew: dict[str, Creator]
) -> None:
    ben = crew["ben"]
    url = f"/api/v1/creators/{ben.id}"
    put = client.put(
        f"{url}/workspace-data",
        headers=world.headers("a_manager"),
        json={
            "notes": "Agent is Lou",
            "tags": ["VIP"],
            "custom_fields": {"fee tier": 2},
            "relationship_status": "negotiating",
        },
    )
    assert put.status_code == 200 and put.json()["tags"] == ["vip"]
    partial = client.put(
        f"{url}/workspace-data",
        headers=world.headers("a_manager"),
        json={"relationship_status": "active"},
    )
    assert partial.json()["notes"] == "Agent is Lou"
    bad = client.put(
        f"{url}/workspace-data", headers=world.headers("a_manager"), json={"tags": ["a,b"]}
    )
    assert bad.status_code == 422 and bad.json()["error"]["details"] == {"field": "tags"}

    rate = client.post(
        f"{url}/rates",
        headers=world.headers("a_manager"),
        json={
            "platform": "tiktok",
            "deliverable": "1 video",
            "amount_minor": 99_900,
            "currency": "usd",
        },
    )
    assert rate.status_code == 201 and rate.json()["formatted"] == "999.00 USD"
    assert client.post(
        f"{url}/rates",
        headers=world.headers("a_manager"),
        json={
            "platform": "tiktok",
            "deliverable": "x",
            "amount_minor": 1,
            "currency": "ABC",
        },
    ).json()["error"]["details"] == {"field": "currency"}

    theirs = client.get(url, headers=world.headers("b_owner")).json()
    assert theirs["rates"] == [] and theirs["workspace_data"]["notes"] == ""
    rate_id = rate.json()["id"]
    assert (
        client.delete(f"{url}/rates/{rate_id}", headers=world.headers("b_owner")).status_code == 404
    )
    assert (
        client.delete(f"{url}/rates/{rate_id}", headers=world.headers("a_owner")).status_code == 204
    )
    rows = client.get(
        "/api/v1/creators?relationship_status=active", headers=world.headers("a_owner")
    ).json()
    assert _handles(rows) == ["ben"] and rows["items"][0]["relationship_status"] == "active"
    assert (
        _handles(
            client.get(
                "/api/v1/creators?relationship_status=active", headers=world.headers("b_owner")
            ).json()
        )
        == []
    )


# ----------------------------------------------------------------------------- lists


def test_lists_api(client: TestClient, db: Session, world: World, crew: dict[str, Creator]) -> None:
    owner = world.headers("a_owner")
    created = client.post(
        "/api/v1/lists", json={"name": "Summer", "description": "beach"}, headers=owner
    )
    assert created.status_code == 201 and created.json()["size"] == 0
    list_id = created.json()["id"]
    assert client.post("/api/v1/lists", json={"name": "Summer"}, headers=owner).status_code == 409
    for creator in crew.values():
        added = client.post(f"/api/v1/lists/{list_id}/creators/{creator.id}", headers=owner)
        assert added.status_code == 201
    again = client.post(f"/api/v1/lists/{list_id}/creators/{crew['ana'].id}", headers=owner)
    assert again.status_code == 200
    assert db.scalar(select(func.count()).select_from(CreatorListEntry)) == 3
    page = client.get(f"/api/v1/lists/{list_id}?per_page=2", headers=owner).json()
    assert page["size"] == 3 and page["has_next"] is True
    assert [m["display_name"] for m in page["members"]] == ["Cy Twombly", "Ben Cole"]
    assert page["members"][0]["accounts"] == ["instagram:cy"]
    listed = client.get(f"/api/v1/creators?list_id={list_id}&tier=micro", headers=owner).json()
    assert _handles(listed) == ["cy"]
    gone = client.delete(f"/api/v1/lists/{list_id}/creators/{crew['cy'].id}", headers=owner)
    assert gone.status_code == 204
    assert (
        client.delete(
            f"/api/v1/lists/{list_id}/creators/{crew['cy'].id}", headers=owner
        ).status_code
        == 404
    )
    patched = client.patch(f"/api/v1/lists/{list_id}", json={"name": "Summer 26"}, headers=owner)
    assert patched.json() | {"updated_at": None, "created_at": None} == {
        "id": list_id,
        "name": "Summer 26",
        "description": "beach",
        "size": 2,
        "created_at": None,
        "updated_at": None,
    }
    assert [x["name"] for x in client.get("/api/v1/lists", headers=owner).json()] == ["Summer 26"]
    assert client.get("/api/v1/lists", headers=world.headers("b_owner")).json() == []
    assert (
        client.get(f"/api/v1/lists/{list_id}", headers=world.headers("b_owner")).status_code == 404
    )
    assert client.delete(f"/api/v1/lists/{list_id}", headers=owner).status_code == 204
    assert db.scalar(select(func.count()).select_from(CreatorListEntry)) == 0


def test_openapi_documents_the_creator_routes(client: TestClient) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/creators",
        "/api/v1/creators/{creator_id}",
        "/api/v1/lists",
        "/api/v1/lists/{list_id}/creators/{creator_id}",
    } <= set(paths)
    parameters = {p["name"] for p in paths["/api/v1/creators"]["get"]["parameters"]}
    assert {"platform", "tier", "sort", "page", "per_page", "tag", "list_id"} <= parameters


def test_account_posts_newest_first_with_provenance(
    client: TestClient, db: Session, world: World, crew: dict[str, Creator]
) -> None:
    owner = world.headers("a_analyst")
    ana = crew["ana"]
    account = account_of(db, ana)
    now = utcnow()
    for days in (3, 1, 2):
        add_post(db, account, f"p{days}", posted_at=now - timedelta(days=days),
                 caption=f"day {days} #vegan", likes=100 * days)  # fmt: skip
    db.commit()
    base = f"/api/v1/creators/{ana.id}/accounts/{account.id}/posts"
    posts = client.get(base, headers=owner).json()
    assert [p["external_id"] for p in posts] == ["p1", "p2", "p3"]
    assert posts[0]["caption"] == "day 1 #vegan" and posts[0]["likes"] == 100
    assert (posts[0]["provenance"], posts[0]["source"]) == ("imported", "posts.csv")
    assert [
        p["external_id"] for p in client.get(base, params={"limit": 1}, headers=owner).json()
    ] == ["p1"]
    assert client.get(base, params={"limit": 0}, headers=owner).status_code == 422
    other = account_of(db, crew["ben"])
    wrong = f"/api/v1/creators/{ana.id}/accounts/{other.id}/posts"
    assert client.get(wrong, headers=owner).status_code == 404
