"""Credibility badges in the creators list: from the calling workspace's latest audience check,
on the page, in the API and in the CLI's JSON; another workspace sees none."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from tastemaker.cli import app
from tastemaker.creator.models import PlatformAccount
from tastemaker.vetting import service
from tastemaker.workspace.models import Workspace
from tests.creator.builders import account_of
from tests.factories import World, context, make_creator, make_user, make_workspace, sign_in
from tests.vetting.builders import sample_csv, store_check


@pytest.mark.parametrize(
    ("score", "level"),
    [(100, "genuine"), (80, "genuine"), (79, "doubtful"), (75, "doubtful"), (74, "suspect")],
)
def test_levels_follow_the_fields_published_bands(score: int, level: str) -> None:
    assert service.credibility_level(score) == level


def _check_crew(db: Session, workspace: Workspace) -> dict[str, PlatformAccount]:
    """Ana's followers are all real, Bots Inc's all bought; Bo has no check."""
    ana = account_of(db, make_creator(db, name="Ana Lima", handle="ana.lima"))
    bots = account_of(db, make_creator(db, name="Bots Inc", handle="bots"))
    make_creator(db, name="Bo Unchecked", handle="bo")
    store_check(db, workspace, ana, sample_csv(fakes=0, reals=10), "ana.csv")
    store_check(db, workspace, bots, sample_csv(fakes=10, reals=0), "bots.csv")
    db.commit()
    return {"ana": ana, "bots": bots}


def _score(db: Session, workspace: Workspace, account: PlatformAccount) -> int:
    check = service.latest_checks(context(db, workspace), [account.id])[account.id]
    return service.figures(check).credibility.score


@pytest.fixture
def checked(db: Session, world: World) -> dict[str, PlatformAccount]:
    return _check_crew(db, world.a)


def test_the_api_rows_carry_this_workspaces_credibility_only(
    client: TestClient, db: Session, world: World, checked: dict[str, PlatformAccount]
) -> None:
    rows = client.get("/api/v1/creators?sort=name", headers=world.headers("a_analyst")).json()
    by_handle = {r["handle"]: r["credibility"] for r in rows["items"]}
    assert by_handle["bo"] is None
    assert (by_handle["ana.lima"]["level"], by_handle["bots"]["level"]) == ("genuine", "suspect")
    ana = by_handle["ana.lima"]
    assert ana["score"] == _score(db, world.a, checked["ana"])
    assert ana["low"] <= ana["score"] <= ana["high"]
    assert "genuine" in ana["meaning"]
    theirs = client.get("/api/v1/creators?sort=name", headers=world.headers("b_owner")).json()
    assert all(r["credibility"] is None for r in theirs["items"])


def test_the_list_page_shows_a_badge_linking_to_the_check(
    client: TestClient, db: Session, world: World, checked: dict[str, PlatformAccount]
) -> None:
    sign_in(client, db, world.users["a_analyst"])
    page = client.get(f"/w/{world.a.slug}/creators?sort=name")
    assert page.status_code == 200
    ana, bots = _score(db, world.a, checked["ana"]), _score(db, world.a, checked["bots"])
    assert re.search(f'data-level="genuine"[^>]*>{ana}</a>', page.text)
    assert re.search(f'data-level="suspect"[^>]*>{bots}</a>', page.text)
    assert f"/w/{world.a.slug}/audience-checks/" in page.text
    sign_in(client, db, world.users["b_owner"])
    theirs = client.get(f"/w/{world.b.slug}/creators?sort=name")
    assert "data-level=" not in theirs.text


def test_the_cli_json_carries_the_badge(cli_db: Session) -> None:
    workspace = make_workspace(cli_db, make_user(cli_db), name="Acme")
    checked = _check_crew(cli_db, workspace)
    result = CliRunner().invoke(
        app, ["creators", "list", "--json", "--sort", "name", "--workspace", workspace.slug]
    )
    assert result.exit_code == 0, result.output
    rows = {r["handle"]: r["credibility"] for r in json.loads(result.stdout)["items"]}
    assert rows["bo"] is None
    assert rows["ana.lima"]["level"] == "genuine"
    assert rows["ana.lima"]["score"] == _score(cli_db, workspace, checked["ana"])
