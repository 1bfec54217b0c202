"""`tastemaker demo ...` against a fresh SQLite file, as `make demo` runs it."""

from __future__ import annotations

from sqlalchemy import func, select
from typer.testing import CliRunner

from tastemaker.campaign.models import Campaign
from tastemaker.cli import app
from tastemaker.creator.models import Creator
from tastemaker.demo import scenario
from tastemaker.kit.db import get_sessionmaker
from tastemaker.kit.settings import get_settings


def _count(model: type) -> int:
    with get_sessionmaker()() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_demo_load_prints_the_sign_in_and_if_empty_skips_the_second_time(
    cli_tables: str,
) -> None:
    runner = CliRunner()
    loaded = runner.invoke(
        app, ["demo", "load", "--if-empty", "--creators", "120", "--history-days", "3"]
    )
    assert loaded.exit_code == 0, loaded.output
    assert get_settings().base_url in loaded.output
    assert scenario.DEFAULT_EMAIL in loaded.output
    assert scenario.DEFAULT_PASSWORD in loaded.output
    assert _count(Campaign) == 6  # five for the brand, one for the agency client
    creators = _count(Creator)

    again = runner.invoke(app, ["demo", "load", "--if-empty", "--creators", "120"])
    assert again.exit_code == 0, again.output
    assert "already exists" in again.output
    assert (_count(Campaign), _count(Creator)) == (6, creators)


def test_demo_load_refuses_a_short_password(cli_tables: str) -> None:
    result = CliRunner().invoke(
        app, ["demo", "load", "--creators", "20", "--history-days", "0", "--password", "short"]
    )
    assert result.exit_code == 1
    assert "at least" in result.output
    assert _count(Creator) == 0  # nothing half-written


def test_demo_generate_adds_creators_only(cli_tables: str) -> None:
    result = CliRunner().invoke(app, ["demo", "generate", "--creators", "250", "--seed", "5"])
    assert result.exit_code == 0, result.output
    assert "generated 250 creators" in result.output
    assert _count(Creator) == 250
    assert _count(Campaign) == 0
