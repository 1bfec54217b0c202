"""The brand-safety API: scans with their evidence, refusals in the one error shape naming
the field, roles, and workspaces that never see each other's scans."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tastemaker.brandsafety.models import BrandSafetyScan
from tastemaker.brandsafety.report import EVIDENCE_COLUMNS
from tastemaker.creator.models import PlatformAccount, Post
from tests.brandsafety.builders import add_captions
from tests.creator.builders import account_of
from tests.factories import World, api_error, count_rows, make_creator

FLAGGED = "Morning routine: detox tea, then a line of cocaine before the gym"
CLEAN = "Sunday walk by the sea"


@pytest.fixture
def account(db: Session) -> PlatformAccount:
    made = account_of(db, make_creator(db, name="Ana Lima", handle="ana.lima"))
    db.commit()
    return made


@pytest.fixture
def posts(db: Session, account: PlatformAccount) -> list[Post]:
    made = add_captions(db, account, CLEAN, FLAGGED, "Thanks @rival for the hoodie")
    db.commit()
    return made


def _path(account: PlatformAccount) -> str:
    return f"/api/v1/creators/{account.creator_id}/accounts/{account.id}/brand-safety-scans"


def _scan(
    client: TestClient,
    world: World,
    account: PlatformAccount,
    body: dict[str, Any] | None = None,
    who: str = "a_owner",
) -> Any:
    return client.post(_path(account), json=body, headers=world.headers(who))


BODY = {
    "keywords": ["detox tea"],
    "competitors": [{"name": "Rival Brand", "aliases": ["@rival"]}],
}


def test_a_scan_answers_with_its_findings(
    client: TestClient, world: World, account: PlatformAccount, posts: list[Post]
) -> None:
    response = _scan(client, world, account, BODY)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["account"] == {
        "id": account.id,
        "creator_id": account.creator_id,
        "platform": "instagram",
        "handle": "ana.lima",
    }
    assert body["settings"] == {
        "keywords": ["detox tea"],
        "competitors": [{"name": "Rival Brand", "aliases": ["@rival"]}],
        "tolerance": {},
        "posts": 50,
        "lexicon_version": body["settings"]["lexicon_version"],
    }
    assert (body["posts_scanned"], body["posts_flagged"]) == (3, 2)
    assert body["highest_level"] == "high"
    assert body["score"]["value"] == pytest.approx(100 * 2.718281828 ** (-10 / 3), abs=0.05)
    assert "exp(-exposure)" in body["score"]["formula"]
    assert set(body["meanings"]) >= {"score", "findings", "negation"}
    found = [(f["external_id"], f["category"], f["matched"], f["level"]) for f in body["findings"]]
    assert found == [
        ("ana.lima-2", "brand_keyword", "detox tea", "high"),
        ("ana.lima-2", "illegal_drugs_tobacco_vaping_alcohol", "cocaine", "high"),
        ("ana.lima-3", "competitor", "@rival", None),
    ]
    cocaine = body["findings"][1]
    assert cocaine["post_id"] == posts[1].id
    assert cocaine["post_url"] == "https://www.instagram.com/p/ana.lima-2/"
    assert FLAGGED[cocaine["start"] : cocaine["end"]] == "cocaine"
    assert cocaine["excerpt"][cocaine["start"] - cocaine["excerpt_start"] :].startswith("cocaine")
    assert body["findings_count"] == body["findings_kept"] == 3
    categories = {c["category"]: c for c in body["categories"]}
    assert categories["illegal_drugs_tobacco_vaping_alcohol"]["posts_flagged"] == 1
    assert categories["competitor"]["terms"] == [{"term": "Rival Brand", "findings": 1}]


def test_no_body_scans_for_the_garm_categories_alone(
    client: TestClient, world: World, account: PlatformAccount, posts: list[Post]
) -> None:
    response = _scan(client, world, account)
    assert response.status_code == 201, response.text
    assert [f["term"] for f in response.json()["findings"]] == ["cocaine"]


def test_list_is_newest_first_without_evidence_and_one_scan_has_it(
    client: TestClient, world: World, account: PlatformAccount, posts: list[Post]
) -> None:
    first = _scan(client, world, account, BODY).json()
    second = _scan(client, world, account, {"posts": 1}).json()
    listed = client.get(_path(account), headers=world.headers("a_analyst"))
    assert listed.status_code == 200
    assert [s["id"] for s in listed.json()] == [second["id"], first["id"]]
    assert "findings" not in listed.json()[0]
    assert listed.json()[1]["findings_count"] == 3
    one_only = client.get(_path(account), params={"limit": 1}, headers=world.headers("a_owner"))
    assert [s["id"] for s in one_only.json()] == [second["id"]]
    read = client.get(
        f"/api/v1/brand-safety-scans/{first['id']}", headers=world.headers("a_analyst")
    )
    assert read.status_code == 200
    assert read.json() == first


def test_the_evidence_csv_has_one_row_per_finding(
    client: TestClient, world: World, account: PlatformAccount, posts: list[Post]
) -> None:
    scan = _scan(client, world, account, BODY).json()
    response = client.get(
        f"/api/v1/brand-safety-scans/{scan['id']}/evidence.csv", headers=world.headers("a_analyst")
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == (
        f'attachment; filename="instagram_ana.lima-brand-safety-{scan["id"]}.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == list(EVIDENCE_COLUMNS)
    assert len(rows) == len(scan["findings"]) == 3
    assert [(r["post_id"], r["term"], r["excerpt_start"]) for r in rows] == [
        (f["external_id"], f["term"], str(f["excerpt_start"])) for f in scan["findings"]
    ]


def test_an_account_without_posts_is_a_clear_409(
    client: TestClient, db: Session, world: World, account: PlatformAccount
) -> None:
    error = api_error(_scan(client, world, account, BODY), 409, "no_posts")
    assert error["message"].startswith("no posts stored for instagram:ana.lima")
    assert count_rows(db, BrandSafetyScan) == 0


LONG = "x" * 101


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"keywords": [""]}, "keywords.0", "at least 1 character"),
        ({"keywords": ["ok", "   "]}, "keywords.1", "at least 1 character"),
        ({"keywords": [LONG]}, "keywords.0", "at most 100 characters"),
        ({"keywords": ["!!!"]}, "keywords.0", "has no letters or digits"),
        ({"keywords": ["a\x00b"]}, "keywords.0", "NUL"),
        ({"keywords": [f"word{n}" for n in range(201)]}, "keywords", "at most 200 items"),
        ({"keywords": "detox tea"}, "keywords", "valid list"),
        ({"competitors": [{"name": " "}]}, "competitors.0.name", "at least 1 character"),
        ({"competitors": [{"name": "Rival", "aliases": ["#"]}]}, "competitors.0.aliases.0",
         "has no letters or digits"),
        ({"competitors": [{"aliases": ["@rival"]}]}, "competitors.0.name", "Field required"),
        ({"tolerance": {"terrorism": "floor"}}, "tolerance", "the floor is never tolerated"),
        ({"tolerance": {"competitor": "low"}}, "tolerance", "no tolerance can be set"),
        ({"tolerance": {"terrorism": "severe"}}, "tolerance.terrorism", "Input should be"),
        ({"posts": 0}, "posts", "greater than or equal to 1"),
        ({"posts": 201}, "posts", "less than or equal to 200"),
        ({"keyword": ["detox tea"]}, "keyword", "Extra inputs"),
    ],
)  # fmt: skip
def test_bad_input_is_a_422_naming_the_field(
    client: TestClient,
    db: Session,
    world: World,
    account: PlatformAccount,
    posts: list[Post],
    body: dict[str, Any],
    field: str,
    message: str,
) -> None:
    error = api_error(_scan(client, world, account, body), 422, "validation_failed")
    assert error["details"][0]["field"] == field
    assert message in error["details"][0]["message"]
    assert count_rows(db, BrandSafetyScan) == 0


def test_another_workspace_neither_sees_nor_finds_a_scan(
    client: TestClient, world: World, account: PlatformAccount, posts: list[Post]
) -> None:
    scan = _scan(client, world, account, {"keywords": ["acme secret launch"]}).json()
    for path in (f"/api/v1/brand-safety-scans/{scan['id']}",
                 f"/api/v1/brand-safety-scans/{scan['id']}/evidence.csv"):  # fmt: skip
        response = client.get(path, headers=world.headers("b_owner"))
        api_error(response, 404, "not_found")
        assert "acme secret" not in response.text
    listed = client.get(_path(account), headers=world.headers("b_owner"))
    assert listed.status_code == 200 and listed.json() == []


def test_an_analyst_cannot_scan(
    client: TestClient, db: Session, world: World, account: PlatformAccount, posts: list[Post]
) -> None:
    api_error(_scan(client, world, account, BODY, who="a_analyst"), 403, "permission_denied")
    assert count_rows(db, BrandSafetyScan) == 0


def test_an_unknown_account_or_scan_is_404(
    client: TestClient, world: World, account: PlatformAccount
) -> None:
    other = f"/api/v1/creators/{account.creator_id}/accounts/{account.id + 999}/brand-safety-scans"
    api_error(client.post(other, json=BODY, headers=world.headers("a_owner")), 404, "not_found")
    api_error(client.get(other, headers=world.headers("a_owner")), 404, "not_found")
    api_error(
        client.get("/api/v1/brand-safety-scans/999999", headers=world.headers("a_owner")),
        404,
        "not_found",
    )


def test_anonymous_is_401(client: TestClient, account: PlatformAccount) -> None:
    api_error(client.post(_path(account), json=BODY), 401, "not_authenticated")
