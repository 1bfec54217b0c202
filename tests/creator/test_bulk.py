from __future__ import annotations

from sqlalchemy import func, select
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
