"""`tastemaker creators list` against its own SQLite file, through the real command line."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from tastemaker.cli import app
from tastemaker.kit import db as kit_db
from tastemaker.workspace.models import Workspace
from tests.creator.builders import make_crew
from tests.factories import make_creator, make_user, make_workspace


@pytest.fixture
def cli_db(cli_tables: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Session]:
    monkeypatch.setenv("COLUMNS", "200")
    with Session(kit_db.get_engine(), expire_on_commit=False) as session:
        yield session


@pytest.fixture
def acme(cli_db: Session) -> Workspace:
    owner = make_user(cli_db)
    workspace = make_workspace(cli_db, owner, name="Acme")
    make_crew(cli_db)
    cli_db.commit()
    return workspace


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["creators", "list", *args])
    return result.exit_code, result.stdout, result.output


def test_json_page_has_the_filtered_rows_with_their_provenance(acme: Workspace) -> None:
    code, out, _ = _run("--workspace", acme.slug, "--min-followers", "10000", "--json")
    assert code == 0
    page = json.loads(out)
    assert [row["handle"] for row in page["items"]] == ["ben", "cy"]
    assert page["has_next"] is False
    ben = page["items"][0]
    assert ben["followers"] == {
        "value": 300_000,
        "provenance": "imported",
        "source": "factory",
        "at": None,
    }
    assert ben["engagement_rate"]["formula_text"] == (
        "(avg likes + avg comments + avg shares) / avg views"
    )
    assert ben["tier"]["name"] == "mid"


def test_table_sorted_and_paged(acme: Workspace) -> None:
    code, out, _ = _run("--workspace", acme.slug, "--sort", "name", "--per-page", "2")
    assert code == 0
    assert out.index("@ana") < out.index("@ben") and "@cy" not in out
    assert "More: --page 2" in out and "ER = " in out
    code, out, _ = _run(
        "--workspace", acme.slug, "--sort", "name", "--per-page", "2", "--page", "2"
    )
    assert code == 0 and "@cy" in out and "@ana" not in out


def test_the_only_workspace_needs_no_flag_and_the_env_names_one(
    acme: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = _run("--category", "art", "--json")
    assert code == 0 and [r["handle"] for r in json.loads(out)["items"]] == ["cy"]
    monkeypatch.setenv("TASTEMAKER_WORKSPACE", "nope")
    code, _, output = _run()
    assert code == 1 and "no workspace 'nope'" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tier", "giga"], "unknown tier 'giga'"),
        (["--tier", "[/giga]"], "unknown tier '[/giga]'"),  # rich markup is not parsed
        (["--country", "France"], "--country: String should have at most 2 characters"),
        (["--country", "ZZ"], "not an ISO 3166"),
        (["--sort", "popularity"], "unknown sort 'popularity'"),
        (["--per-page", "500"], "per_page must be between 1 and 200"),
        (["--page", "0"], "pages start at 1"),
        (["--min-followers", "9", "--max-followers", "1"], "minimum followers is above"),
        (["--list", "42"], "list 42 not found"),
    ],
)
def test_bad_input_is_one_red_line_and_exit_code_1(
    acme: Workspace, args: list[str], message: str
) -> None:
    code, out, output = _run("--workspace", acme.slug, *args)
    assert code == 1
    assert message in output and "Traceback" not in output
    assert out == ""


def test_two_workspaces_and_no_name_says_which_exist(acme: Workspace, cli_db: Session) -> None:
    make_workspace(cli_db, make_user(cli_db), name="Bolt")
    cli_db.commit()
    code, _, output = _run()
    assert code == 1 and "acme" in output and "bolt" in output


def test_names_from_imported_files_print_as_text(acme: Workspace, cli_db: Session) -> None:
    # A display name or category as a vendor file may hold it is not Rich markup.
    make_creator(cli_db, name="[/x] Mal [bold]", handle="mal", categories=("[b]art",))
    cli_db.commit()
    code, out, output = _run("--workspace", acme.slug, "--search", "mal")
    assert code == 0, output
    assert "[/x] Mal [bold]" in out and "[b]art" in out
