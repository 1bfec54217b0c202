"""The core CLI commands against a real database file."""

from __future__ import annotations

from sqlalchemy import inspect
from typer.testing import CliRunner

from tastemaker.cli import app
from tastemaker.kit.db import get_engine


def test_db_upgrade_then_users_create(cli_database: str) -> None:
    runner = CliRunner()
    upgraded = runner.invoke(app, ["db", "upgrade"])
    assert upgraded.exit_code == 0, upgraded.output
    assert "user_account" in inspect(get_engine()).get_table_names()
    created = runner.invoke(
        app,
        [
            "users",
            "create",
            "--email",
            "cli@example.com",
            "--name",
            "Cli Person",
            "--password",
            "long enough pw",
            "--workspace",
            "Cli Brand",
        ],
    )
    assert created.exit_code == 0, created.output
    assert "owning workspace cli-brand" in created.output
    again = runner.invoke(
        app,
        [
            "users",
            "create",
            "--email",
            "cli@example.com",
            "--name",
            "X",
            "--password",
            "long enough pw",
        ],
    )
    assert again.exit_code == 1
    assert "already exists" in again.output
    assert "Traceback" not in again.output


def test_users_create_names_the_bad_field(cli_database: str) -> None:
    runner = CliRunner()
    runner.invoke(app, ["db", "upgrade"])
    result = runner.invoke(
        app, ["users", "create", "--email", "nope", "--name", "X", "--password", "long enough pw"]
    )
    assert result.exit_code == 1
    assert "not a valid e-mail" in result.output
