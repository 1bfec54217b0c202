"""Audience checks on the creator's page: the latest check per account, the upload form and
its inline refusals, and the page of one check with its evidence."""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from tastemaker.creator.models import Creator, Platform, PlatformAccount
from tastemaker.vetting import service
from tastemaker.vetting.models import AudienceCheck
from tastemaker.workspace.models import Role
from tests.creator.builders import account_of
from tests.factories import (
    World,
    add_account,
    add_member,
    context,
    count_rows,
    make_creator,
    make_user,
    shown_text,
    sign_in,
)
from tests.imports.helpers import csv_bytes
from tests.vetting.builders import sample_csv, store_check

Statements = Callable[..., AbstractContextManager[list[str]]]  # tests/conftest.py


@pytest.fixture
def creator(db: Session) -> Creator:
    made = make_creator(db, name="Ana Lima", handle="ana.lima")
    db.commit()
    return made


@pytest.fixture
def account(db: Session, creator: Creator) -> PlatformAccount:
    return account_of(db, creator)


def _page(world: World, creator: Creator) -> str:
    return f"/w/{world.a.slug}/creators/{creator.id}"


def _upload(
    client: TestClient,
    world: World,
    account: PlatformAccount,
    csrf: str,
    content: bytes,
    name: str = "followers.csv",
    creator_id: int | None = None,
) -> Any:
    creator = account.creator_id if creator_id is None else creator_id
    return client.post(
        f"/w/{world.a.slug}/creators/{creator}/accounts/{account.id}/audience-checks",
        data={"csrf_token": csrf},
        files={"file": (name, content, "text/csv")},
        follow_redirects=False,
    )


def _section(html: str, account: PlatformAccount) -> str:
    """The audience-check section of one account on the creator's page."""
    found = re.search(
        rf'<section data-testid="audience-check" id="audience-{account.id}">(.*?)</section>',
        html,
        re.S,
    )
    assert found is not None, "no audience-check section for the account"
    return found.group(1)


def test_the_latest_check_is_shown_with_its_figures_in_the_users_zone(
    client: TestClient, db: Session, world: World, creator: Creator, account: PlatformAccount
) -> None:
    older = store_check(db, world.a, account, sample_csv(fakes=0, reals=5), "march.csv")
    check = store_check(db, world.a, account, sample_csv(fakes=30, reals=70), "november.csv")
    older.created_at = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    check.created_at = datetime(2026, 11, 21, 18, 30, tzinfo=UTC)
    tokyo = make_user(db, timezone="Asia/Tokyo")
    add_member(db, world.a, tokyo, Role.analyst)
    db.commit()
    sign_in(client, db, tokyo)

    page = client.get(_page(world, creator))
    assert page.status_code == 200
    section = _section(page.text, account)
    shown = service.figures(check)
    credibility = shown.credibility
    assert shown_text(section, "audience-credibility") == (
        f"{credibility.score} / 100 (95% interval {credibility.low}–{credibility.high})"
    )
    fake = shown.expected_fake_share
    assert shown_text(section, "audience-fake-share") == (
        f"{fake.value * 100:.1f}% (95% interval {fake.interval.low * 100:.1f}%"
        f"–{fake.interval.high * 100:.1f}%)"
    )
    assert shown.mass_followers is not None
    assert shown_text(section, "audience-mass").startswith(
        f"{shown.mass_followers.value * 100:.1f}%"
    )
    assert check.reasons[0]["text"] in shown_text(section, "audience-reasons")
    assert shown_text(section, "audience-note") == check.sample_note
    # Stored in UTC, shown in the viewer's zone: 18:30 UTC is 03:30 the next day in Tokyo.
    assert "From november.csv, checked 2026-11-22 03:30 (Asia/Tokyo)" in shown_text(
        section, "audience-source"
    )
    assert "march.csv" not in page.text
    assert f'title="{escape(shown.credibility.meaning)}"' in section
    # An analyst reads the check but gets no form.
    assert 'data-testid="audience-form"' not in page.text


def test_each_account_shows_its_own_latest_check_from_one_query(
    client: TestClient,
    db: Session,
    statements: Statements,
    world: World,
    creator: Creator,
    account: PlatformAccount,
) -> None:
    tiktok = add_account(db, creator, platform=Platform.tiktok, handle="ana.tt")
    youtube = add_account(db, creator, platform=Platform.youtube, handle="ana.yt")
    store_check(db, world.a, account, sample_csv(fakes=2, reals=8), "insta.csv")
    store_check(db, world.a, tiktok, sample_csv(fakes=8, reals=2), "tiktok.csv")
    db.commit()
    sign_in(client, db, world.users["a_owner"])
    with statements("audience_check") as seen:
        page = client.get(_page(world, creator))
    assert page.status_code == 200
    assert len(seen) == 1, seen
    assert "insta.csv" in _section(page.text, account)
    assert "tiktok.csv" in _section(page.text, tiktok)
    assert 'data-testid="audience-none"' in _section(page.text, youtube)
    assert 'data-testid="audience-form"' in _section(page.text, youtube)


def test_another_workspace_sees_the_creator_but_not_the_check(
    client: TestClient, db: Session, world: World, creator: Creator, account: PlatformAccount
) -> None:
    check = store_check(db, world.a, account, sample_csv(fakes=2, reals=3), "acme-secret.csv")
    db.commit()
    sign_in(client, db, world.users["b_owner"])
    page = client.get(f"/w/{world.b.slug}/creators/{creator.id}")
    assert page.status_code == 200 and "Ana Lima" in page.text
    assert "acme-secret" not in page.text
    assert 'data-testid="audience-none"' in _section(page.text, account)
    theirs = client.get(f"/w/{world.b.slug}/audience-checks/{check.id}")
    assert theirs.status_code == 404 and "acme-secret" not in theirs.text


def test_an_upload_stores_the_check_and_goes_back_to_the_account(
    client: TestClient, db: Session, world: World, creator: Creator, account: PlatformAccount
) -> None:
    csrf = sign_in(client, db, world.users["a_manager"])
    response = _upload(client, world, account, csrf, sample_csv(fakes=30, reals=30), "ana.csv")
    assert response.status_code == 303, response.text
    assert response.headers["location"] == f"{_page(world, creator)}#audience-{account.id}"
    check = db.scalars(select(AudienceCheck)).one()
    assert check.source == "ana.csv" and check.created_by_id == world.users["a_manager"].id
    page = client.get(response.headers["location"])
    assert "From ana.csv" in shown_text(_section(page.text, account), "audience-source")


def test_a_three_follower_sample_says_how_little_it_means(
    client: TestClient, db: Session, world: World, creator: Creator, account: PlatformAccount
) -> None:
    csrf = sign_in(client, db, world.users["a_owner"])
    response = _upload(client, world, account, csrf, sample_csv(fakes=2, reals=1))
    assert response.status_code == 303
    page = client.get(_page(world, creator))
    assert "A sample of 3 followers says very little" in shown_text(
        _section(page.text, account), "audience-note"
    )


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (csv_bytes([["username", "followers"], ["a", "lots"]]), "f.csv",
         "1 problem in the follower sample: row 2, followers: &#39;lots&#39; is not a number"),
        (csv_bytes([["colour", "mood"], ["red", "calm"]]), "f.csv",
         "none of the columns is a follower field"),
        (csv_bytes([["username", "followers"]]), "f.csv", "the follower sample is empty"),
        (b"", "f.csv", "the follower sample is empty"),
        (b"", "", "choose a follower sample file to upload"),
    ],
    ids=["malformed", "unknown-columns", "header-only", "empty-file", "no-file"],
)  # fmt: skip
def test_a_refused_sample_is_explained_beside_the_form(
    client: TestClient,
    db: Session,
    world: World,
    creator: Creator,
    account: PlatformAccount,
    content: bytes,
    name: str,
    message: str,
) -> None:
    csrf = sign_in(client, db, world.users["a_owner"])
    response = _upload(client, world, account, csrf, content, name)
    assert response.status_code == 422, response.text
    section = _section(response.text, account)
    assert 'class="form-error"' in section and message in section
    assert f'name="csrf_token" value="{csrf}"' in section
    assert "Ana Lima" in response.text  # the creator's page, not an error page
    assert count_rows(db, AudienceCheck) == 0


def test_every_problem_is_listed_by_row_and_field(
    client: TestClient, db: Session, world: World, account: PlatformAccount
) -> None:
    csrf = sign_in(client, db, world.users["a_owner"])
    content = csv_bytes([["username", "followers", "is_private"], ["a", "lots", "no"],
                         ["b", "12", "perhaps"]])  # fmt: skip
    response = _upload(client, world, account, csrf, content)
    assert response.status_code == 422
    listed = response.text.split('data-testid="audience-problems"')[1].split("</ul>")[0]
    problems = re.findall(r"<li>(.*?)</li>", listed)
    assert problems == [
        "row 2, followers: &#39;lots&#39; is not a number",
        "row 3, is_private: &#39;perhaps&#39; is not yes/no (1/0, true/false)",
    ]


def test_without_the_model_the_form_says_how_to_build_it_and_nothing_is_stored(
    client: TestClient,
    db: Session,
    world: World,
    account: PlatformAccount,
    no_model: Path,
) -> None:
    csrf = sign_in(client, db, world.users["a_owner"])
    response = _upload(client, world, account, csrf, sample_csv(fakes=2, reals=3))
    assert response.status_code == 503, response.text
    section = _section(response.text, account)
    assert 'class="form-error"' in section and "tastemaker vetting train" in section
    assert "Ana Lima" in response.text  # the creator's page, not an error page
    assert count_rows(db, AudienceCheck) == 0


def test_an_account_of_another_creator_is_404(
    client: TestClient, db: Session, world: World, account: PlatformAccount
) -> None:
    other = make_creator(db)
    db.commit()
    csrf = sign_in(client, db, world.users["a_owner"])
    response = _upload(client, world, account, csrf, sample_csv(1, 2), creator_id=other.id)
    assert response.status_code == 404
    assert count_rows(db, AudienceCheck) == 0


def test_the_check_page_shows_the_evidence_and_the_history(
    client: TestClient, db: Session, world: World, creator: Creator, account: PlatformAccount
) -> None:
    first = store_check(db, world.a, account, sample_csv(fakes=0, reals=5), "first.csv")
    check = store_check(db, world.a, account, sample_csv(fakes=12, reals=8), "second.csv")
    db.commit()
    sign_in(client, db, world.users["a_analyst"])
    creator_page = client.get(_page(world, creator))
    link = f"/w/{world.a.slug}/audience-checks/{check.id}"
    assert f'href="{link}"' in _section(creator_page.text, account)

    page = client.get(link)
    assert page.status_code == 200
    assert "Audience check: instagram · @ana.lima" in page.text
    shown = service.figures(check)
    assert shown_text(page.text, "check-credibility").startswith(f"{shown.credibility.score} / 100")
    stored = service.get_check(context(db, world.a), check.id).flagged_followers
    rows = re.findall(r'data-testid="evidence-row"><td>(.*?)</td><td>(.*?)</td>', page.text)
    assert rows == [(f["where"], f["username"]) for f in stored]
    assert len(rows) == check.flagged_count
    history = re.findall(r'data-testid="history-row">(.*?)</tr>', page.text, re.S)
    assert ["second.csv" in history[0], "first.csv" in history[1]] == [True, True]
    assert f"/audience-checks/{first.id}" in history[1]
