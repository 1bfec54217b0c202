"""`tastemaker brandsafety scan` through typer's CliRunner, on a database file of its own."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, undefer
from typer.testing import CliRunner

from tastemaker.brandsafety import service
from tastemaker.brandsafety.models import BrandSafetyScan
from tastemaker.cli import app
from tastemaker.workspace.models import Workspace
from tests.brandsafety.builders import add_captions
from tests.creator.builders import account_of
from tests.factories import make_creator, make_user, make_workspace

runner = CliRunner()

FLAGGED = "Morning routine: detox tea, then a line of cocaine before the gym"


@pytest.fixture
def acme(cli_db: Session) -> Workspace:
    workspace = make_workspace(cli_db, make_user(cli_db), name="Acme")
    account = account_of(cli_db, make_creator(cli_db, name="Ana Lima", handle="ana.lima"))
    add_captions(cli_db, account, "Sunday walk by the sea", FLAGGED, "Thanks @rival!")
    make_creator(cli_db, name="Bea Quiet", handle="bea.quiet")  # no posts
    mute = account_of(cli_db, make_creator(cli_db, name="Cid Mute", handle="cid.mute"))
    add_captions(cli_db, mute, "", "   ")  # posts, none with a caption
    cli_db.commit()
    return workspace


def _scans(session: Session) -> list[BrandSafetyScan]:
    session.expire_all()
    return list(session.scalars(select(BrandSafetyScan).options(undefer(BrandSafetyScan.findings))))


def test_scan_prints_the_findings_and_keeps_the_scan(cli_db: Session, acme: Workspace) -> None:
    result = runner.invoke(
        app,
        ["brandsafety", "scan", "instagram:@Ana.Lima", "--workspace", acme.slug,
         "--keyword", "detox tea", "--competitor", "Rival Brand, @rival"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    (scan,) = _scans(cli_db)
    assert scan.workspace_id == acme.id and scan.created_by_id is None
    assert scan.keywords == ["detox tea"]
    assert scan.competitors == [{"name": "Rival Brand", "aliases": ["@rival"]}]
    assert [f["matched"] for f in scan.findings] == ["detox tea", "cocaine", "@rival"]
    out = result.stdout
    assert "instagram:ana.lima: 2 of 3 posts flagged; brand-safety score" in out
    # Tables wrap at the runner's 80 columns: short cells are read whole.
    assert "cocaine ×1" in out and "detox tea ×1" in out and "Rival Brand" in out
    assert out.count("ana.lima-2") == 2 and out.count("ana.lima-3") == 1
    assert "conflict" in out  # a competitor mention has no risk level
    assert out.strip().endswith(
        f"saved brand-safety scan {scan.id} of instagram:ana.lima in workspace {acme.slug}"
    )


def test_scan_json_is_the_apis_answer(
    cli_db: Session, acme: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TASTEMAKER_WORKSPACE", acme.slug)
    result = runner.invoke(
        app,
        ["brandsafety", "scan", "instagram:ana.lima", "-k", "detox tea", "--posts", "2",
         "--tolerance", "illegal_drugs_tobacco_vaping_alcohol=high", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    (scan,) = _scans(cli_db)
    assert answer["id"] == scan.id
    assert answer["settings"]["posts"] == 2 and answer["posts_scanned"] == 2
    assert answer["settings"]["tolerance"] == {"illegal_drugs_tobacco_vaping_alcohol": "high"}
    assert [(f["external_id"], f["term"]) for f in answer["findings"]] == [
        ("ana.lima-2", "detox tea"),
        ("ana.lima-2", "cocaine"),
    ]
    assert answer["findings_count"] == answer["findings_kept"] == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["instagram:nobody", "--workspace", "acme"], "no instagram account @nobody is known"),
        (["ana.lima", "--workspace", "acme"], "name the account as platform:handle"),
        (["instagram:ana.lima", "--workspace", "bolt"], "no workspace 'bolt'"),
        (["instagram:bea.quiet", "--workspace", "acme"], "no posts stored for instagram:bea.quiet"),
        (["instagram:cid.mute", "--workspace", "acme"],
         "none of the 2 most recent posts of instagram:cid.mute has a caption"),
        (["instagram:ana.lima", "--workspace", "acme", "--keyword", "!!!"],
         "--keyword.0: '!!!' has no letters or digits to match"),
        (["instagram:ana.lima", "--workspace", "acme", "--competitor", " , @rival"],
         "--competitor.0.name: String should have at least 1 character"),
        (["instagram:ana.lima", "--workspace", "acme", "--tolerance", "terrorism"],
         "--tolerance: 'terrorism': write it as CATEGORY=LEVEL"),
        (["instagram:ana.lima", "--workspace", "acme", "--tolerance", "terrorism=floor"],
         "the floor is never tolerated"),
        (["instagram:ana.lima", "--workspace", "acme", "--posts", "500"],
         "--posts: Input should be less than or equal to 200"),
    ],
)  # fmt: skip
def test_scan_refuses_with_one_line_and_keeps_nothing(
    cli_db: Session, acme: Workspace, args: list[str], message: str
) -> None:
    result = runner.invoke(app, ["brandsafety", "scan", *args])
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.startswith("error: ")  # fail()'s red line
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert _scans(cli_db) == []


@pytest.mark.parametrize(
    ("kept", "show", "line"),
    [
        (5000, 1, "1 of 3 findings shown; all of them in --json and in the evidence CSV"),
        (2, 1, "1 of 3 findings shown; the first 2 are kept as evidence, in --json and in the "
               "evidence CSV"),
        (2, 5, "2 of 3 findings shown; the first 2 are kept as evidence"),
    ],
)  # fmt: skip
def test_scan_says_how_many_findings_the_evidence_keeps(
    cli_db: Session,
    acme: Workspace,
    monkeypatch: pytest.MonkeyPatch,
    kept: int,
    show: int,
    line: str,
) -> None:
    monkeypatch.setattr(service, "MAX_EVIDENCE", kept)
    result = runner.invoke(
        app,
        ["brandsafety", "scan", "instagram:ana.lima", "--workspace", acme.slug,
         "--keyword", "detox tea", "--competitor", "Rival Brand, @rival", "--show", str(show)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())  # the line wraps at the runner's 80 columns
    assert line in out
