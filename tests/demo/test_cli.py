"""`tastemaker demo ...` against a fresh SQLite file, as `make demo` runs it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from tastemaker.campaign.models import Campaign
from tastemaker.cli import app
from tastemaker.creator.models import Creator
from tastemaker.demo import scenario
from tastemaker.kit.db import get_engine, get_sessionmaker
from tastemaker.kit.settings import get_settings
from tastemaker.models import Base

_CACHES = (get_settings, get_engine, get_sessionmaker)


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    url = f"sqlite:///{tmp_path}/demo.db"
    monkeypatch.setenv("TASTEMAKER_DATABASE_URL", url)
    for cached in _CACHES:
        cached.cache_clear()
    Base.metadata.create_all(get_engine())
    yield url
    get_engine().dispose()
    for cached in _CACHES:
        cached.cache_clear()


def _count(model: type) -> int:
    with get_sessionmaker()() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_demo_load_prints_the_sign_in_and_if_empty_skips_the_second_time(
    database: str,
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


def test_demo_load_refuses_a_short_password(database: str) -> None:
    result = CliRunner().invoke(
        app, ["demo", "load", "--creators", "20", "--history-days", "0", "--password", "short"]
    )
    assert result.exit_code == 1
    assert "at least" in result.output
    assert _count(Creator) == 0  # nothing half-written


def test_demo_generate_adds_creators_only(database: str) -> None:
    result = CliRunner().invoke(app, ["demo", "generate", "--creators", "250", "--seed", "5"])
    assert result.exit_code == 0, result.output
    assert "generated 250 creators" in result.output
    assert _count(Creator) == 250
    assert _count(Campaign) == 0
