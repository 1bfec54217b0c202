"""Audience checks through the service: stored figures, refusals, roles and workspaces."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tastemaker.creator.models import Creator, Platform, PlatformAccount
from tastemaker.creator.service import remove_account
from tastemaker.imports.parsing import MAX_FILE_BYTES, FileTooLarge
from tastemaker.kit.errors import NotFound, PermissionDenied, ValidationFailed
from tastemaker.vetting import service
from tastemaker.vetting.figures import wilson
from tastemaker.vetting.models import AudienceCheck
from tastemaker.vetting.sample import SampleError, read_sample
from tastemaker.vetting.scoring import SMALL_SAMPLE, report
from tastemaker.workspace.models import AuditEvent, Role
from tests.creator.builders import account_of
from tests.factories import World, add_account, context, count_rows, make_creator
from tests.imports.helpers import csv_bytes
from tests.vetting.builders import HEADER, bought_row, real_row, sample_csv, store_check

Statements = Callable[..., AbstractContextManager[list[str]]]  # tests/conftest.py


@pytest.fixture
def creator(db: Session) -> Creator:
    return make_creator(db, name="Ana Lima", handle="ana.lima")


@pytest.fixture
def account(db: Session, creator: Creator) -> PlatformAccount:
    return account_of(db, creator)


def test_stored_figures_are_the_library_report(
    db: Session, world: World, account: PlatformAccount
) -> None:
    content = sample_csv(fakes=40, reals=60)
    expected = report(read_sample(content).profiles)
    check = store_check(db, world.a, account, content, "C:\\exports\\ana followers.csv")

    stored = db.get(AudienceCheck, check.id)
    assert stored is not None
    assert stored.workspace_id == world.a.id and stored.account_id == account.id
    assert stored.source == "ana followers.csv"  # the base name, as browsers on Windows send
    assert stored.sample_size == expected.sample_size == 100
    assert stored.threshold == expected.threshold
    assert stored.flagged_count == expected.flagged.count
    assert stored.expected_fake_share == expected.expected_fake_share
    shown = service.figures(stored).expected_fake_share.interval
    assert shown.low == pytest.approx(expected.expected_fake_share_interval.low)
    assert shown.high == pytest.approx(expected.expected_fake_share_interval.high)
    assert expected.mass_followers is not None
    assert (stored.mass_followers_count, stored.mass_followers_of) == (
        expected.mass_followers.count,
        expected.mass_followers.of,
    )
    assert stored.explained == expected.explained
    assert [r["text"] for r in stored.reasons] == [r.text for r in expected.reasons]
    assert [r["followers"] for r in stored.reasons] == [r.followers for r in expected.reasons]
    assert stored.sample_note == expected.sample_note
    assert stored.model_trained_at == expected.model_trained_at


def test_figures_shown_are_the_stored_ones_with_their_meanings(
    db: Session, world: World, account: PlatformAccount
) -> None:
    content = sample_csv(fakes=40, reals=60)
    expected = report(read_sample(content).profiles)
    shown = service.figures(store_check(db, world.a, account, content))

    share = expected.expected_fake_share
    interval = expected.expected_fake_share_interval
    assert shown.credibility.score == round(100 * (1 - share))
    # A high fake share is a low credibility, so the interval's ends swap.
    assert shown.credibility.low == round(100 * (1 - interval.high))
    assert shown.credibility.high == round(100 * (1 - interval.low))
    assert shown.credibility.low <= shown.credibility.score <= shown.credibility.high
    assert shown.expected_fake_share.interval == interval
    assert shown.flagged == expected.flagged
    assert shown.mass_followers == expected.mass_followers
    for name in ("credibility", "expected_fake_share", "flagged", "mass_followers", "reasons"):
        assert service.MEANINGS[name]


def test_fakes_lower_the_credibility(db: Session, world: World, account: PlatformAccount) -> None:
    mixed = store_check(db, world.a, account, sample_csv(fakes=30, reals=30))
    real = store_check(db, world.a, account, sample_csv(fakes=0, reals=60))
    assert mixed.expected_fake_share > real.expected_fake_share + 0.3
    assert mixed.flagged_count >= 25 and real.flagged_count == 0
    assert service.figures(mixed).credibility.score < service.figures(real).credibility.score
    assert mixed.reasons and not real.reasons


def test_evidence_is_the_most_likely_fake_flagged_followers(
    db: Session, world: World, account: PlatformAccount
) -> None:
    rows = [bought_row(n) for n in range(250)] + [real_row(n) for n in range(5)]
    content = csv_bytes([HEADER, *rows])
    check = service.get_check(context(db, world.a), store_check(db, world.a, account, content).id)
    evidence = check.flagged_followers
    assert len(evidence) == service.MAX_EVIDENCE < check.flagged_count
    probabilities = [f["probability"] for f in evidence]
    assert probabilities == sorted(probabilities, reverse=True)
    assert min(probabilities) >= check.threshold
    first = evidence[0]
    assert first["username"].startswith("jessica") and first["where"].startswith("row ")
    assert first["reasons"]


def test_a_three_follower_sample_is_stored_with_a_warning(
    db: Session, world: World, account: PlatformAccount
) -> None:
    check = store_check(db, world.a, account, sample_csv(fakes=2, reals=1))
    assert check.sample_size == 3 < SMALL_SAMPLE
    assert "says very little" in check.sample_note
    flagged = service.figures(check).flagged
    assert flagged.interval == wilson(check.flagged_count, 3)
    assert flagged.interval.high - flagged.interval.low > 0.5


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (csv_bytes([["username", "followers"], ["a", "lots"], ["b", "-1"]]),
         "row 2, followers: 'lots' is not a number"),
        (csv_bytes([["colour", "mood"], ["red", "calm"]]), "none of the columns is a follower"),
        (csv_bytes([["username", "followers"]]), "the follower sample is empty"),
        (b"", "the follower sample is empty"),
        (b"[1, 2", "the JSON cannot be read"),
    ],
    ids=["malformed", "unknown-columns", "header-only", "empty-file", "broken-json"],
)  # fmt: skip
def test_a_bad_sample_is_refused_and_nothing_stored(
    db: Session, world: World, account: PlatformAccount, content: bytes, message: str
) -> None:
    with pytest.raises(SampleError) as refused:
        store_check(db, world.a, account, content)
    assert refused.value.status_code == 422
    assert message in refused.value.message
    assert count_rows(db, AudienceCheck) == 0


def test_a_malformed_sample_names_every_problem(
    db: Session, world: World, account: PlatformAccount
) -> None:
    content = csv_bytes([["username", "followers"], ["a", "lots"], ["b", "-1"]])
    with pytest.raises(SampleError) as refused:
        store_check(db, world.a, account, content)
    problems = refused.value.details["problems"]
    assert [(p["where"], p["field"]) for p in problems] == [
        ("row 2", "followers"),
        ("row 3", "followers"),
    ]


def test_an_oversized_file_is_refused_before_it_is_read(
    db: Session, world: World, account: PlatformAccount
) -> None:
    with pytest.raises(FileTooLarge) as refused:
        store_check(db, world.a, account, b"x" * (MAX_FILE_BYTES + 1))
    assert refused.value.status_code == 413
    assert count_rows(db, AudienceCheck) == 0


def test_the_account_must_be_the_creators(
    db: Session, world: World, creator: Creator, account: PlatformAccount
) -> None:
    other = make_creator(db)
    ctx = context(db, world.a)
    content = sample_csv(fakes=1, reals=2)
    with pytest.raises(NotFound):
        service.check_audience(ctx, other.id, account.id, content, "f.csv")
    with pytest.raises(NotFound):
        service.check_audience(ctx, creator.id, 10**9, content, "f.csv")
    with pytest.raises(NotFound):
        service.list_checks(ctx, other.id, account.id)
    assert count_rows(db, AudienceCheck) == 0


def test_an_analyst_cannot_check(db: Session, world: World, account: PlatformAccount) -> None:
    ctx = context(db, world.a, Role.analyst, world.users["a_analyst"])
    with pytest.raises(PermissionDenied):
        service.check_audience(
            ctx, account.creator_id, account.id, sample_csv(fakes=1, reals=2), "f.csv"
        )


def test_a_check_is_audited_with_who_made_it(
    db: Session, world: World, account: PlatformAccount
) -> None:
    manager = world.users["a_manager"]
    ctx = context(db, world.a, Role.manager, manager)
    check = service.check_audience(
        ctx, account.creator_id, account.id, sample_csv(fakes=1, reals=2), "f.csv"
    )
    assert check.created_by_id == manager.id
    event_ = db.scalars(
        select(AuditEvent).where(
            AuditEvent.workspace_id == world.a.id, AuditEvent.action == "audience_check.created"
        )
    ).one()
    assert event_.subject_id == check.id and event_.actor_user_id == manager.id
    assert event_.details["account"] == "instagram:ana.lima"
    assert event_.details["sample_size"] == 3


def test_checks_are_the_workspaces_own(db: Session, world: World, account: PlatformAccount) -> None:
    mine = store_check(db, world.a, account, sample_csv(fakes=1, reals=2))
    theirs = store_check(db, world.b, account, sample_csv(fakes=0, reals=3))
    a, b = context(db, world.a), context(db, world.b)
    assert [c.id for c in service.list_checks(a, account.creator_id, account.id)] == [mine.id]
    assert [c.id for c in service.list_checks(b, account.creator_id, account.id)] == [theirs.id]
    assert service.get_check(a, mine.id).id == mine.id
    with pytest.raises(NotFound):
        service.get_check(b, mine.id)
    assert service.latest_checks(b, [account.id]) == {account.id: theirs}


def test_list_is_newest_first(db: Session, world: World, account: PlatformAccount) -> None:
    made = [store_check(db, world.a, account, sample_csv(fakes=n, reals=2)) for n in range(3)]
    listed = service.list_checks(context(db, world.a), account.creator_id, account.id)
    assert [c.id for c in listed] == [c.id for c in reversed(made)]
    limited = service.list_checks(context(db, world.a), account.creator_id, account.id, limit=1)
    assert [c.id for c in limited] == [made[-1].id]
    with pytest.raises(ValidationFailed):
        service.list_checks(context(db, world.a), account.creator_id, account.id, limit=0)


def test_history_of_an_account_already_found_is_one_query_without_the_account(
    db: Session, statements: Statements, world: World, account: PlatformAccount
) -> None:
    made = [store_check(db, world.a, account, sample_csv(fakes=n, reals=2)) for n in range(2)]
    db.flush()
    db.expunge_all()  # nothing from storing them stays loaded
    found = db.get(PlatformAccount, account.id)
    assert found is not None
    ctx = context(db, world.a)
    with statements() as seen:
        history = service.history(ctx, found, limit=5)
        accounts = [c.account for c in history]
    assert len(seen) == 1 and "platform_account" not in seen[0], seen
    assert [c.id for c in history] == [c.id for c in reversed(made)]
    assert all(a is found for a in accounts)


def test_latest_checks_of_many_accounts_in_one_query(
    db: Session, statements: Statements, world: World, creator: Creator, account: PlatformAccount
) -> None:
    tiktok = add_account(db, creator, platform=Platform.tiktok, handle="ana.tt")
    youtube = add_account(db, creator, platform=Platform.youtube, handle="ana.yt")
    older = store_check(db, world.a, account, sample_csv(fakes=3, reals=0))
    newer = store_check(db, world.a, account, sample_csv(fakes=0, reals=3))
    on_tiktok = store_check(db, world.a, tiktok, sample_csv(fakes=1, reals=2))
    db.flush()
    with statements() as seen:
        latest = service.latest_checks(context(db, world.a), [account.id, tiktok.id, youtube.id])
    assert len(seen) == 1
    assert latest == {account.id: newer, tiktok.id: on_tiktok}
    assert older not in latest.values()


def test_a_removed_account_takes_its_checks_in_every_workspace(
    db: Session, world: World, creator: Creator
) -> None:
    second = add_account(db, creator, platform=Platform.tiktok, handle="ana.tt")
    store_check(db, world.a, second, sample_csv(fakes=1, reals=2))
    store_check(db, world.b, second, sample_csv(fakes=1, reals=2))
    remove_account(context(db, world.a), creator.id, second.id)
    assert count_rows(db, AudienceCheck) == 0


def test_the_source_is_a_printable_base_name(
    db: Session, world: World, account: PlatformAccount
) -> None:
    content = sample_csv(fakes=1, reals=2)
    assert store_check(db, world.a, account, content, "/tmp/a\x00b\n.csv").source == "ab.csv"
    assert store_check(db, world.a, account, content, "x" * 300 + ".csv").source == "x" * 200
    assert store_check(db, world.a, account, content, "").source == "upload"
