from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tastemaker.creator.bulk import AccountRecord, upsert_accounts
from tastemaker.creator.models import Platform, Post, PostFormat, Provenance
from tastemaker.creator.posts import PostRecord, recent_posts, upsert_posts

WHEN = datetime(2026, 10, 5, 12, 0, tzinfo=UTC)


def _account(db: Session, handle: str, platform: Platform = Platform.instagram) -> int:
    made = upsert_accounts(
        db, [AccountRecord(platform, handle)], provenance=Provenance.imported, source="x"
    )
    return made.account_ids[0]


def test_posts_are_created_then_updated_on_their_external_id(db: Session) -> None:
    account_id = _account(db, "chef")
    first = upsert_posts(
        db,
        [
            PostRecord(Platform.instagram, "chef", "p1", WHEN, caption="Vegan ramen #recipe",
                       likes=120, comments=8, format=PostFormat.reel),
            PostRecord(Platform.instagram, "chef", "p2", WHEN.replace(day=6), caption="Tofu"),
        ],
        provenance=Provenance.imported,
        source="posts.csv",
    )  # fmt: skip
    assert (first.created, first.updated, first.unknown_accounts) == (2, 0, [])

    again = upsert_posts(
        db,
        [PostRecord(Platform.instagram, "chef", "p1", WHEN, likes=150)],
        provenance=Provenance.measured,
        source="refresh",
    )
    assert (again.created, again.updated) == (0, 1)

    db.expire_all()
    post = db.scalars(select(Post).where(Post.external_id == "p1")).one()
    assert post.account_id == account_id
    assert post.likes == 150
    assert post.comments == 8  # kept: the refresh did not say
    assert post.caption == "Vegan ramen #recipe"
    assert post.format is PostFormat.reel
    assert (post.provenance, post.source) == (Provenance.measured, "refresh")
    assert db.scalar(select(func.count()).select_from(Post)) == 2


def test_posts_of_unknown_accounts_are_reported_not_written(db: Session) -> None:
    _account(db, "known")
    result = upsert_posts(
        db,
        [
            PostRecord(Platform.instagram, "known", "a", WHEN),
            PostRecord(Platform.tiktok, "known", "b", WHEN),  # same handle, other platform
            PostRecord(Platform.instagram, "ghost", "c", WHEN),
            PostRecord(Platform.instagram, "ghost", "d", WHEN),
        ],
        provenance=Provenance.imported,
        source="x",
    )
    assert result.created == 1
    assert sorted(result.unknown_accounts) == [
        (Platform.instagram, "ghost"),
        (Platform.tiktok, "known"),
    ]
    assert db.scalar(select(func.count()).select_from(Post)) == 1


def test_duplicate_posts_in_one_batch_keep_the_last(db: Session) -> None:
    _account(db, "dup")
    result = upsert_posts(
        db,
        [
            PostRecord(Platform.instagram, "dup", "same", WHEN, likes=1),
            PostRecord(Platform.instagram, "dup", "same", WHEN, likes=2),
        ],
        provenance=Provenance.imported,
        source="x",
    )
    assert result.created == 1
    assert db.scalar(select(Post.likes)) == 2


def test_recent_posts_are_the_latest_of_each_account(db: Session) -> None:
    one, two = _account(db, "one"), _account(db, "two")
    upsert_posts(
        db,
        [PostRecord(Platform.instagram, "one", f"o{day}", WHEN.replace(day=day))
         for day in range(1, 6)]
        + [PostRecord(Platform.instagram, "two", "t1", WHEN)],
        provenance=Provenance.imported,
        source="x",
    )  # fmt: skip
    posts = recent_posts(db, [one, two], limit=3)
    assert [p.external_id for p in posts] == ["o5", "o4", "o3", "t1"]
