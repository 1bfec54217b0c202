"""The CLI against its own SQLite file, as a person at a terminal would run it."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from tastemaker.campaign.cli import app
from tastemaker.campaign.models import Campaign, CampaignStatus
from tastemaker.kit.db import get_sessionmaker
from tastemaker.workspace.models import Workspace
from tests.factories import make_campaign, make_user, make_workspace

runner = CliRunner()


@pytest.fixture
def cli_db(cli_tables: str) -> Iterator[Session]:
    """A fresh database file with one workspace, 'acme' (EUR), for the CLI to use."""
    session = get_sessionmaker()()
    make_workspace(session, make_user(session), name="Acme")
    session.commit()
    yield session
    session.close()


def _campaigns(session: Session) -> list[Campaign]:
    session.expire_all()
    return list(session.scalars(select(Campaign).order_by(Campaign.id)))


def test_create_then_list(cli_db: Session) -> None:
    created = runner.invoke(
        app,
        [
            "create",
            "--name",
            "Winter drop",
            "--objective",
            "awareness",
            "--budget",
            "12,500.00",
            "--currency",
            "EUR",
            "--start",
            "2026-12-01",
            "--end",
            "2026-12-31",
            "--platform",
            "instagram",
            "--platform",
            "TikTok",
            "--workspace",
            "acme",
        ],
    )
    assert created.exit_code == 0, created.output
    assert "Winter drop" in created.output and "12,500.00 EUR" in created.output
    [campaign] = _campaigns(cli_db)
    assert (campaign.budget_minor, campaign.currency, campaign.platforms) == (
        1_250_000,
        "EUR",
        ["instagram", "tiktok"],
    )

    table = runner.invoke(app, ["list", "--workspace", "acme"], env={"COLUMNS": "160"})
    assert table.exit_code == 0, table.output
    assert "Winter drop" in table.output and "draft" in table.output

    as_json = runner.invoke(app, ["list", "--json"])  # the only workspace needs no name
    assert as_json.exit_code == 0, as_json.output
    [row] = json.loads(as_json.stdout)
    assert row["name"] == "Winter drop"
    assert row["budget"] == {
        "amount_minor": 1_250_000,
        "currency": "EUR",
        "formatted": "12,500.00 EUR",
    }
    assert row["roster_size"] == 0


def test_list_filters_by_status(cli_db: Session) -> None:
    workspace = cli_db.scalars(select(Workspace)).one()
    make_campaign(cli_db, workspace, name="Live one", status=CampaignStatus.active)
    make_campaign(cli_db, workspace, name="Idea")
    cli_db.commit()
    result = runner.invoke(app, ["list", "--status", "active", "--json"])
    assert [r["name"] for r in json.loads(result.stdout)] == ["Live one"]


def test_workspace_comes_from_the_environment(
    cli_db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TASTEMAKER_WORKSPACE", "nope")
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 1
    assert "no workspace 'nope'" in result.stderr


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--objective", "fame"], "objective:"),
        (["--budget", "12.345"], "budget:"),
        (["--budget", "-5"], "budget:"),
        (["--currency", "XYZ"], "currency:"),
        (["--start", "2026-13-01"], "start:"),
        (["--start", "2026-12-31", "--end", "2026-12-01"], "end:"),
        (["--platform", "myspace"], "platform:"),
        (["--name", ""], "name:"),
    ],
)
def test_bad_values_are_one_red_line_and_exit_1(
    cli_db: Session, args: list[str], field: str
) -> None:
    base = {"--name": "Valid", "--objective": "awareness", "--budget": "100"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    argv = ["create", *[part for pair in base.items() for part in pair]]
    result = runner.invoke(app, argv)
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # not a traceback
    assert "error:" in result.stderr and field in result.stderr
    assert "Traceback" not in result.output
    assert _campaigns(cli_db) == []


def test_unknown_status_filter_is_refused(cli_db: Session) -> None:
    result = runner.invoke(app, ["list", "--status", "paused"])
    assert result.exit_code == 1
    assert "status:" in result.stderr and "draft" in result.stderr
