from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from tastemaker.creator.bulk import AccountRecord, normalise_handle, upsert_accounts
from tastemaker.creator.models import (
    AccountCategory,
    Creator,
    MetricSnapshot,
    Platform,
    PlatformAccount,
    Provenance,
)
from tastemaker.kit.db import NulInText


def test_normalise_handle_strips_at_sign_url_and_case() -> None:
    assert normalise_handle(" @Some.Name ") == "some.name"
    assert normalise_handle("https://www.instagram.com/Some.Name/") == "some.name"
    assert normalise_handle("https://youtube.com/@MrBeast") == "mrbeast"


def test_upsert_creates_then_updates_without_duplicating(db: Session) -> None:
    first = upsert_accounts(
        db,
        [
            AccountRecord(
                Platform.instagram,
                "alice",
                display_name="Alice",
                followers=20_000,
                avg_likes=900,
                avg_comments=100,
                categories=["fashion", "beauty"],
            ),
            AccountRecord(
                Platform.tiktok,
                "alice",
                followers=50_000,
                avg_likes=4_000,
                avg_comments=200,
                avg_shares=300,
                avg_views=100_000,
            ),
        ],
        provenance=Provenance.imported,
        source="list.csv",
    )
    assert (first.created, first.updated) == (2, 0)

    second = upsert_accounts(
        db,
        [
            AccountRecord(Platform.instagram, "alice", followers=22_000, categories=["travel"]),
        ],
        provenance=Provenance.imported,
        source="list2.csv",
    )
    assert (second.created, second.updated) == (0, 1)

    account = db.scalars(
        select(PlatformAccount).where(
            PlatformAccount.platform == Platform.instagram, PlatformAccount.handle == "alice"
        )
    ).one()
    assert account.followers == 22_000
    assert account.avg_likes == 900  # not blanked by a record that left it empty
    assert account.engagement_rate == (900 + 100) / 22_000
    assert account.engagement_formula == "followers"
    assert account.metrics_source == "list2.csv"
    categories = db.scalars(
        select(AccountCategory.category).where(AccountCategory.account_id == account.id)
    ).all()
    assert categories == ["travel"]
    tiktok = db.scalars(
        select(PlatformAccount).where(PlatformAccount.platform == Platform.tiktok)
    ).one()
    assert tiktok.engagement_rate == (4_000 + 200 + 300) / 100_000
    assert tiktok.engagement_formula == "views"
    snapshots = db.scalars(
        select(MetricSnapshot)
        .where(MetricSnapshot.account_id == account.id)
        .order_by(MetricSnapshot.id)
    ).all()
    assert [s.followers for s in snapshots] == [20_000, 22_000]
    assert {s.provenance for s in snapshots} == {Provenance.imported}
    assert db.scalar(select(func.count()).select_from(Creator)) == 2


def test_duplicate_rows_in_one_batch_keep_the_last(db: Session) -> None:
    result = upsert_accounts(
        db,
        [
            AccountRecord(Platform.youtube, "dup", followers=1),
            AccountRecord(Platform.youtube, "dup", followers=2),
        ],
        provenance=Provenance.imported,
        source="x",
    )
    assert result.created == 1
    assert result.account_ids[0] == result.account_ids[1]
    assert db.scalar(select(PlatformAccount.followers).where(PlatformAccount.handle == "dup")) == 2


def test_values_are_stored_in_one_spelling(db: Session) -> None:
    upsert_accounts(
        db,
        [
            AccountRecord(
                Platform.instagram,
                "spell",
                country=" fr",
                language="FR",
                categories=["Beauty ", "beauty", "Food"],
            )
        ],
        provenance=Provenance.imported,
        source="x",
    )
    account = db.scalars(select(PlatformAccount).where(PlatformAccount.handle == "spell")).one()
    assert (account.country, account.language) == ("FR", "fr")
    assert sorted(
        db.scalars(select(AccountCategory.category).where(AccountCategory.account_id == account.id))
    ) == ["beauty", "food"]


def _account(db: Session, handle: str) -> PlatformAccount:
    return db.scalars(select(PlatformAccount).where(PlatformAccount.handle == handle)).one()


def test_reimport_of_unchanged_figures_records_the_observation_only(db: Session) -> None:
    record = AccountRecord(
        Platform.instagram,
        "steady",
        display_name="Steady",
        followers=5_000,
        avg_likes=200,
        country="FR",
        categories=["food"],
        captured_at=datetime(2026, 10, 1, tzinfo=UTC),
    )
    upsert_accounts(db, [record], provenance=Provenance.imported, source="first.csv")
    before = _account(db, "steady")
    updated_at = before.updated_at
    creator_updated_at = db.scalar(
        select(Creator.updated_at).where(Creator.id == before.creator_id)
    )
    db.expire_all()

    later = replace(record, captured_at=datetime(2026, 11, 1, tzinfo=UTC))
    result = upsert_accounts(db, [later], provenance=Provenance.reported, source="second.csv")

    assert result.updated == 1
    account = _account(db, "steady")
    assert account.metrics_at == datetime(2026, 11, 1, tzinfo=UTC)
    assert (account.metrics_source, account.metrics_provenance) == (
        "second.csv",
        Provenance.reported,
    )
    assert account.updated_at == updated_at  # nothing about the account changed
    assert db.scalar(select(Creator.updated_at).where(Creator.id == account.creator_id)) == (
        creator_updated_at
    )
    snapshots = db.scalars(
        select(MetricSnapshot.source).where(MetricSnapshot.account_id == account.id)
    ).all()
    assert sorted(snapshots) == ["first.csv", "second.csv"]
    assert db.scalars(
        select(AccountCategory.category).where(AccountCategory.account_id == account.id)
    ).all() == ["food"]


def test_reimport_rewrites_what_changed(db: Session) -> None:
    upsert_accounts(
        db,
        [AccountRecord(Platform.tiktok, "mover", display_name="Mover", followers=10_000,
                       avg_likes=500, categories=["dance"])],
        provenance=Provenance.imported,
        source="a.csv",
    )  # fmt: skip
    upsert_accounts(
        db,
        [AccountRecord(Platform.tiktok, "mover", display_name="Mover Renamed", followers=20_000,
                       country="br", categories=["dance", "comedy"])],
        provenance=Provenance.imported,
        source="b.csv",
    )  # fmt: skip
    db.expire_all()
    account = _account(db, "mover")
    assert account.followers == 20_000
    assert account.avg_likes == 500
    assert account.engagement_rate == 500 / 20_000
    assert account.country == "BR"
    assert db.scalar(select(Creator.display_name).where(Creator.id == account.creator_id)) == (
        "Mover Renamed"
    )
    assert sorted(
        db.scalars(select(AccountCategory.category).where(AccountCategory.account_id == account.id))
    ) == ["comedy", "dance"]


def test_two_accounts_of_one_creator_in_a_batch_update_it_once(db: Session) -> None:
    made = upsert_accounts(
        db,
        [AccountRecord(Platform.instagram, "twin"), AccountRecord(Platform.youtube, "twin")],
        provenance=Provenance.imported,
        source="a.csv",
    )
    first, second = made.account_ids
    creator_id = db.scalar(select(PlatformAccount.creator_id).where(PlatformAccount.id == first))
    db.execute(
        update(PlatformAccount).where(PlatformAccount.id == second).values(creator_id=creator_id)
    )
    upsert_accounts(
        db,
        [
            AccountRecord(Platform.instagram, "twin", display_name="First name"),
            AccountRecord(Platform.youtube, "twin", display_name="Later name"),
        ],
        provenance=Provenance.imported,
        source="b.csv",
    )
    db.expire_all()
    assert db.scalar(select(Creator.display_name).where(Creator.id == creator_id)) == "Later name"


@pytest.mark.parametrize("field", ["bio", "display_name"])
def test_nul_characters_are_refused_and_nothing_is_written(db: Session, field: str) -> None:
    record = AccountRecord(Platform.instagram, "nul", **{field: "bad\x00text"})
    with pytest.raises(NulInText), db.begin_nested():
        upsert_accounts(db, [record], provenance=Provenance.imported, source="x")
    assert db.scalar(select(func.count()).select_from(PlatformAccount)) == 0


def _category_copies(db: Session, account_id: int) -> list[tuple[object, ...]]:
    rows = db.execute(
        select(
            AccountCategory.category,
            AccountCategory.followers,
            AccountCategory.engagement_rate,
            AccountCategory.country,
            AccountCategory.language,
            AccountCategory.platform,
        )
        .where(AccountCategory.account_id == account_id)
        .order_by(AccountCategory.category)
    )
    return [tuple(row) for row in rows]


def test_categories_carry_the_accounts_columns_through_every_import(db: Session) -> None:
    def load(followers: int, categories: list[str], country: str | None = None) -> int:
        record = AccountRecord(
            Platform.instagram, "copied", followers=followers, avg_likes=400,
            avg_comments=100, categories=categories, country=country, language="pt",
        )  # fmt: skip
        result = upsert_accounts(db, [record], provenance=Provenance.imported, source="a.csv")
        return result.account_ids[0]

    ig = Platform.instagram
    account_id = load(10_000, ["food", "travel"], "BR")
    assert _category_copies(db, account_id) == [
        ("food", 10_000, 0.05, "BR", "pt", ig),
        ("travel", 10_000, 0.05, "BR", "pt", ig),
    ]
    # Same categories, new figures: the copies follow.
    load(20_000, ["travel", "food"])
    assert _category_copies(db, account_id) == [
        ("food", 20_000, 0.025, "BR", "pt", ig),
        ("travel", 20_000, 0.025, "BR", "pt", ig),
    ]
    # Same categories and figures, a new country.
    load(20_000, ["travel", "food"], "PT")
    assert _category_copies(db, account_id) == [
        ("food", 20_000, 0.025, "PT", "pt", ig),
        ("travel", 20_000, 0.025, "PT", "pt", ig),
    ]
    # New categories and new figures at once.
    load(25_000, ["pets"])
    assert _category_copies(db, account_id) == [("pets", 25_000, 0.02, "PT", "pt", ig)]
