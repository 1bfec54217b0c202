"""`tastemaker creators import` against its own temporary SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from tastemaker.account.service import register
from tastemaker.cli import app
from tastemaker.creator.models import Platform, PlatformAccount
from tastemaker.kit import db as kit_db
from tastemaker.workspace.service import create_workspace
from tests.imports.helpers import VENDOR_LIKE, csv_bytes, xlsx_bytes


@pytest.fixture
def workspace_slug(cli_tables: str) -> str:
    with kit_db.session_scope() as session:
        user = register(session, email="cli@example.com", name="Cli", password="a long password")
        return create_workspace(session, user, name="Cli Brand").slug


def _accounts() -> dict[str, PlatformAccount]:
    with kit_db.session_scope() as session:
        rows = session.scalars(select(PlatformAccount)).all()
        return {a.handle: a for a in rows}


runner = CliRunner()


def test_import_with_mapping_file_and_report(workspace_slug: str, tmp_path: Path) -> None:
    source = tmp_path / "vendor list.csv"
    source.write_bytes(csv_bytes(VENDOR_LIKE))
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        'platform = "instagram"\n[columns]\nhandle = "Influencer insta name"\n'
        'followers = "Followers (2)"\ndisplay_name = "instagram name"\n'
    )
    report = tmp_path / "errors.csv"
    result = runner.invoke(
        app,
        [
            "creators",
            "import",
            str(source),
            "--mapping",
            str(mapping),
            "--workspace",
            workspace_slug,
            "--report",
            str(report),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Influencer insta name" in result.output and "mapping file" in result.output
    assert "platform: instagram (as given)" in result.output
    assert "5 were created, 0 updated, 1 rows failed" in result.output
    assert "no handle: column 'Influencer insta name' is empty" in result.output
    assert "1 rows were not imported" in result.output
    assert report.read_text().splitlines() == [
        "row,field,message",
        "5,handle,no handle: column 'Influencer insta name' is empty",
    ]
    assert _accounts()["cristiano"].followers == 475_800_000

    again = runner.invoke(
        app, ["creators", "import", str(source), "-m", str(mapping), "-w", workspace_slug]
    )
    assert again.exit_code == 0, again.output
    assert "0 were created, 5 updated" in again.output
    assert len(_accounts()) == 5


def test_dry_run_writes_nothing(
    workspace_slug: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "social media influencers - instagram.csv"
    source.write_bytes(csv_bytes(VENDOR_LIKE))
    monkeypatch.setenv("TASTEMAKER_WORKSPACE", workspace_slug)
    result = runner.invoke(app, ["creators", "import", str(source), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "platform: instagram (from the file name)" in result.output
    assert "3 would be created" in result.output and "3 rows failed" in result.output
    assert "dry run: nothing was written" in result.output
    assert _accounts() == {}
    with kit_db.session_scope() as session:
        from tastemaker.imports.models import ImportJob

        assert session.scalar(select(func.count()).select_from(ImportJob)) == 0


def test_xlsx_with_platform_option_and_json_mapping(workspace_slug: str, tmp_path: Path) -> None:
    source = tmp_path / "export.xlsx"
    source.write_bytes(xlsx_bytes({"Sheet1": [["who", "Subscribers"], ["mrbeast", "166M"]]}))
    mapping = tmp_path / "m.json"
    mapping.write_text('{"columns": {"handle": "who"}}')
    result = runner.invoke(
        app,
        [
            "creators",
            "import",
            str(source),
            "--platform",
            "youtube",
            "-m",
            str(mapping),
            "-w",
            workspace_slug,
        ],
    )
    assert result.exit_code == 0, result.output
    account = _accounts()["mrbeast"]
    assert (account.platform, account.followers) == (Platform.youtube, 166_000_000)


@pytest.mark.parametrize(
    ("args", "files", "message"),
    [
        (["missing.csv"], {}, "no such file"),
        (["list.csv", "-m", "m.toml"], {"m.toml": "handle = [unclosed"}, "is not valid"),
        (
            ["list.csv", "-m", "m.toml"],
            {"m.toml": '[columns]\nhandel = "x"\nfollowers = "F"'},
            "unknown target field(s) handel",
        ),
        (
            ["list.csv", "-m", "m.toml"],
            {"m.toml": '[columns]\nfollowers = "Folowers"'},
            "column(s) 'Folowers' not in the file",
        ),
        (["plain.csv"], {"plain.csv": "username,followers\r\na,1\r\n"}, "choose the platform"),
        (["list.csv", "--platform", "myspace"], {}, "unknown platform 'myspace'"),
        (["list.csv", "-w", "nope"], {}, "no workspace 'nope'"),
        (["empty.csv", "-p", "instagram"], {"empty.csv": ""}, "the file is empty"),
        (
            ["bad.csv", "-p", "instagram"],
            {"bad.csv": "handle,followers\r\nx,-1\r\ny,lots\r\n"},
            "no row could be imported",
        ),
    ],
)
def test_bad_input_is_a_red_line_and_exit_1(
    workspace_slug: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    files: dict[str, str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "list.csv").write_bytes(csv_bytes(VENDOR_LIKE))
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    if "-w" not in args:
        args = [*args, "-w", workspace_slug]
    result = runner.invoke(app, ["creators", "import", *args])
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_what_the_file_and_the_options_hold_prints_as_text(
    workspace_slug: str, tmp_path: Path
) -> None:
    # Headers, cells and typed values are not Rich markup: '[/x]' must not break a line.
    source = tmp_path / "[b]list.csv"
    rows = [["handle", "[/note] followers"], ["ana", "10"], ["ben", "[/x]"], ["cy", "5"]]
    source.write_bytes(csv_bytes(rows))
    result = runner.invoke(
        app, ["creators", "import", str(source), "-p", "instagram", "-w", workspace_slug]
    )
    assert result.exit_code == 0, result.output
    assert "[b]list.csv: 3 rows" in result.output
    assert "B  [/note] followers" in result.output
    assert "column '[/note] followers': '[/x]' is not a number" in result.output
    refused = runner.invoke(
        app, ["creators", "import", str(source), "-p", "[/x]", "-w", workspace_slug]
    )
    assert refused.exit_code == 1 and "Traceback" not in refused.output
    assert "unknown platform '[/x]'" in refused.stderr
