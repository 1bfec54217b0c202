"""Creator-domain builders on top of tests/factories.py: extra accounts, history, and a
workspace's own data. Each writes real rows through the session."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from tastemaker.creator.models import (
    CATEGORY_COPIES,
    AccountCategory,
    Creator,
    CreatorList,
    CreatorListEntry,
    CreatorRate,
    MetricSnapshot,
    Platform,
    PlatformAccount,
    Post,
    PostFormat,
    Provenance,
    RelationshipStatus,
    WorkspaceCreator,
)
from tastemaker.workspace.models import Workspace
from tests.factories import make_creator


def make_crew(db: Session) -> dict[str, Creator]:
    """Three creators on two platforms and three tiers: Ana (nano, BR, fitness), Ben (mid,
    TikTok, US, views-based ER) and Cy (micro, FR, art and fitness, virtual)."""
    return {
        "ana": make_creator(
            db,
            name="Ana Lima",
            handle="ana",
            followers=8_000,
            country="BR",
            categories=("fitness",),
        ),
        "ben": make_creator(
            db,
            name="Ben Cole",
            handle="ben",
            platform=Platform.tiktok,
            followers=300_000,
            avg_views=90_000,
            country="US",
        ),
        "cy": make_creator(
            db,
            name="Cy Twombly",
            handle="cy",
            followers=45_000,
            country="FR",
            categories=("art", "fitness"),
            is_virtual=True,
        ),
    }


def account_of(db: Session, creator: Creator) -> PlatformAccount:
    """The single account make_creator gave the creator."""
    return db.query(PlatformAccount).filter_by(creator_id=creator.id).one()


def set_figures(db: Session, account: PlatformAccount, **figures: Any) -> None:
    """Overwrites an account's columns as a writer would: its categories' copies follow
    (creator.models.AccountCategory)."""
    for name, value in figures.items():
        setattr(account, name, value)
    db.execute(
        update(AccountCategory)
        .where(AccountCategory.account_id == account.id)
        .values({name: getattr(account, name) for name in CATEGORY_COPIES})
    )


def add_snapshot(
    db: Session,
    account: PlatformAccount,
    *,
    captured_at: datetime,
    followers: int,
    provenance: Provenance = Provenance.imported,
    source: str = "history.csv",
) -> MetricSnapshot:
    snapshot = MetricSnapshot(
        account_id=account.id,
        captured_at=captured_at,
        followers=followers,
        provenance=provenance,
        source=source,
    )
    db.add(snapshot)
    db.flush()
    return snapshot


def add_post(
    db: Session,
    account: PlatformAccount,
    external_id: str,
    *,
    posted_at: datetime,
    caption: str = "",
    likes: int | None = None,
    format: PostFormat = PostFormat.post,
) -> Post:
    post = Post(
        account_id=account.id,
        external_id=external_id,
        posted_at=posted_at,
        caption=caption,
        likes=likes,
        format=format,
        provenance=Provenance.imported,
        source="posts.csv",
        captured_at=posted_at,
    )
    db.add(post)
    db.flush()
    return post


def overlay(
    db: Session,
    workspace: Workspace,
    creator: Creator,
    *,
    notes: str = "",
    tags: list[str] | None = None,
    custom_fields: dict[str, Any] | None = None,
    status: RelationshipStatus = RelationshipStatus.none,
) -> WorkspaceCreator:
    row = WorkspaceCreator(
        workspace_id=workspace.id,
        creator_id=creator.id,
        notes=notes,
        tags=tags or [],
        custom_fields=custom_fields or {},
        relationship_status=status,
    )
    db.add(row)
    db.flush()
    return row


def make_list(
    db: Session, workspace: Workspace, name: str, creators: Iterable[Creator] = ()
) -> CreatorList:
    creator_list = CreatorList(workspace_id=workspace.id, name=name, description="")
    db.add(creator_list)
    db.flush()
    db.add_all(
        CreatorListEntry(workspace_id=workspace.id, list_id=creator_list.id, creator_id=c.id)
        for c in creators
    )
    db.flush()
    return creator_list


def make_rate(
    db: Session,
    workspace: Workspace,
    creator: Creator,
    *,
    deliverable: str = "1 reel",
    amount_minor: int = 120_000,
    currency: str = "EUR",
) -> CreatorRate:
    rate = CreatorRate(
        workspace_id=workspace.id,
        creator_id=creator.id,
        platform=Platform.instagram,
        deliverable=deliverable,
        amount_minor=amount_minor,
        currency=currency,
    )
    db.add(rate)
    db.flush()
    return rate
