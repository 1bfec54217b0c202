"""Captions on an account, and brand-safety scans stored through the service."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from tastemaker.brandsafety import service
from tastemaker.brandsafety.models import BrandSafetyScan
from tastemaker.brandsafety.schemas import ScanCreate
from tastemaker.creator.models import PlatformAccount, Post
from tastemaker.workspace.models import Role, Workspace
from tests.creator.builders import add_post
from tests.factories import context

NEWEST = datetime(2026, 11, 20, 18, 30, tzinfo=UTC)


def add_captions(
    db: Session, account: PlatformAccount, *captions: str, newest: datetime = NEWEST
) -> list[Post]:
    """One post per caption, the first the newest, a day apart; each with a URL, as an
    import gives them. External ids are 'handle-1', 'handle-2', ... in that order."""
    posts = []
    for n, caption in enumerate(captions, start=1):
        post = add_post(
            db,
            account,
            f"{account.handle}-{n}",
            posted_at=newest - timedelta(days=n - 1),
            caption=caption,
        )
        post.url = f"https://www.instagram.com/p/{account.handle}-{n}/"
        posts.append(post)
    db.flush()
    return posts


def scan_request(
    keywords: Iterable[str] = (),
    competitors: Iterable[Mapping[str, Any]] = (),
    tolerance: Mapping[str, str] | None = None,
    posts: int | None = None,
) -> ScanCreate:
    payload: dict[str, Any] = {
        "keywords": list(keywords),
        "competitors": list(competitors),
        "tolerance": dict(tolerance or {}),
    }
    if posts is not None:
        payload["posts"] = posts
    return ScanCreate.model_validate(payload)


def store_scan(
    db: Session, workspace: Workspace, account: PlatformAccount, **request: Any
) -> BrandSafetyScan:
    """A scan stored as an owner of `workspace` stores one, through the service."""
    ctx = context(db, workspace, Role.owner)
    return service.scan_account(ctx, account.creator_id, account.id, scan_request(**request))
