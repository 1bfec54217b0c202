"""Credibility badges in the creators list: from the calling workspace's latest audience check,
on the page, in the API and in the CLI's JSON; another workspace sees none."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tastemaker.creator import service as creator_service
from tastemaker.creator.endpoints import page_read
from tastemaker.creator.models import PlatformAccount
from tastemaker.creator.schemas import CreatorFilters
from tastemaker.kit.pagination import PageParams
from tastemaker.vetting import service
from tests.creator.builders import account_of
from tests.factories import World, context, make_creator, sign_in
from tests.vetting.builders import sample_csv, store_check


@pytest.mark.parametrize(
    ("score", "level"),
    [(100, "genuine"), (80, "genuine"), (79, "doubtful"), (75, "doubtful"), (74, "suspect")],
)
def test_levels_follow_the_fields_published_bands(score: int, level: str) -> None:
    assert service.credibility_level(score) == level


@pytest.fixture
def checked(db: Session, world: World) -> PlatformAccount:
    account = account_of(db, make_creator(db, name="Ana Lima", handle="ana.lima"))
    make_creator(db, name="Bo Unchecked", handle="bo")
    store_check(db, world.a, account, sample_csv(fakes=2, reals=8), "followers.csv")
    db.commit()
    return account


def _expected(db: Session, world: World, account: PlatformAccount) -> int:
    check = service.latest_checks(context(db, world.a), [account.id])[account.id]
    return service.figures(check).credibility.score


def test_the_api_rows_carry_this_workspaces_credibility_only(
    client: TestClient, db: Session, world: World, checked: PlatformAccount
) -> None:
    score = _expected(db, world, checked)
    rows = client.get("/api/v1/creators?sort=name", headers=world.headers("a_analyst")).json()
    by_handle = {r["handle"]: r["credibility"] for r in rows["items"]}
    assert by_handle["bo"] is None
    badge = by_handle["ana.lima"]
    assert badge["score"] == score
    assert badge["level"] == service.credibility_level(score)
    assert badge["low"] <= score <= badge["high"]
    theirs = client.get("/api/v1/creators?sort=name", headers=world.headers("b_owner")).json()
    assert all(r["credibility"] is None for r in theirs["items"])


def test_the_list_page_shows_a_badge_linking_to_the_check(
    client: TestClient, db: Session, world: World, checked: PlatformAccount
) -> None:
    score = _expected(db, world, checked)
    sign_in(client, db, world.users["a_analyst"])
    page = client.get(f"/w/{world.a.slug}/creators?sort=name")
    assert page.status_code == 200
    level = service.credibility_level(score)
    assert re.search(f'data-level="{level}"[^>]*>{score}</a>', page.text)
    assert f"/w/{world.a.slug}/audience-checks/" in page.text
    sign_in(client, db, world.users["b_owner"])
    theirs = client.get(f"/w/{world.b.slug}/creators?sort=name")
    assert "data-level=" not in theirs.text


def test_the_answer_the_cli_prints_as_json_carries_the_badge(
    db: Session, world: World, checked: PlatformAccount
) -> None:
    """`tastemaker creators list --json` prints page_read's answer."""
    ctx = context(db, world.a)
    found = creator_service.list_creators(ctx, CreatorFilters(), "name", PageParams(1, 50))
    rows = {r.handle: r.credibility for r in page_read(ctx, found).items}
    badge = rows["ana.lima"]
    assert badge is not None and badge.score == _expected(db, world, checked)
    assert rows["bo"] is None
