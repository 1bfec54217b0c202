"""Bulk writes of posts, for imports, connectors and generated data.

Posts belong to an account that must already exist (matched on platform + handle, as
accounts are); a post is matched on the platform's own id within its account, so feeding
the same posts again updates their figures and text instead of duplicating them. Records for
accounts nobody knows are counted and returned, never silently dropped or invented.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, union_all
from sqlalchemy.orm import Session

from tastemaker.creator.models import Platform, PlatformAccount, Post, PostFormat, Provenance
from tastemaker.kit.bulk import in_chunks, insert_rows, update_rows
from tastemaker.kit.time import utcnow

FIGURES = ("likes", "comments", "shares", "views")
# Written when the incoming record has them; a record that leaves one empty keeps the old.
DETAILS = ("url", "format", "caption", "posted_at", "is_paid_partnership", *FIGURES)


@dataclass
class PostRecord:
    platform: Platform
    handle: str  # the account's, normalised (creator.bulk.normalise_handle)
    external_id: str
    posted_at: datetime
    # None: not known (kept as it was on an update; "" and a plain post on a new one).
    caption: str | None = None
    url: str | None = None
    format: PostFormat | None = None
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    views: int | None = None
    is_paid_partnership: bool | None = None


@dataclass
class PostUpsertResult:
    created: int = 0
    updated: int = 0
    unknown_accounts: list[tuple[Platform, str]] = field(default_factory=list)


def _account_ids(session: Session, keys: set[tuple[Platform, str]]) -> dict[tuple[str, str], int]:
    """(platform value, handle) -> account id, for the accounts that exist."""
    found: dict[tuple[str, str], int] = {}
    by_platform: dict[Platform, list[str]] = {}
    for platform, handle in keys:
        by_platform.setdefault(platform, []).append(handle)
    for platform, handles in by_platform.items():
        for condition in in_chunks(session, PlatformAccount.handle, handles):
            rows = session.execute(
                select(PlatformAccount.id, PlatformAccount.handle).where(
                    PlatformAccount.platform == platform, condition
                )
            )
            for account_id, handle in rows:
                found[(platform.value, handle)] = account_id
    return found


def _existing_posts(
    session: Session, account_ids: list[int]
) -> dict[tuple[int, str], tuple[int, dict[str, Any]]]:
    """(account id, external id) -> (post id, its current details)."""
    found: dict[tuple[int, str], tuple[int, dict[str, Any]]] = {}
    columns = [getattr(Post, name) for name in DETAILS]
    for condition in in_chunks(session, Post.account_id, account_ids):
        rows = session.execute(
            select(Post.id, Post.account_id, Post.external_id, *columns).where(condition)
        )
        for row in rows:
            found[(row.account_id, row.external_id)] = (
                row.id,
                {name: getattr(row, name) for name in DETAILS},
            )
    return found


def upsert_posts(
    session: Session,
    records: Sequence[PostRecord],
    *,
    provenance: Provenance,
    source: str,
) -> PostUpsertResult:
    """Later duplicates (same account and external id) win."""
    now = utcnow()
    result = PostUpsertResult()
    accounts = _account_ids(session, {(r.platform, r.handle) for r in records})
    latest: dict[tuple[int, str], PostRecord] = {}
    unknown: dict[tuple[Platform, str], None] = {}
    for record in records:
        account_id = accounts.get((record.platform.value, record.handle))
        if account_id is None:
            unknown[(record.platform, record.handle)] = None
            continue
        latest[(account_id, record.external_id)] = record
    result.unknown_accounts = list(unknown)

    existing = _existing_posts(session, sorted({account_id for account_id, _ in latest}))
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for (account_id, external_id), record in latest.items():
        incoming = {
            name: getattr(record, name) for name in DETAILS if getattr(record, name) is not None
        }
        observed = {"provenance": provenance, "source": source, "captured_at": now}
        if (account_id, external_id) in existing:
            post_id, current = existing[(account_id, external_id)]
            changed = {k: v for k, v in incoming.items() if current.get(k) != v}
            updates.append({"id": post_id, **observed, **changed})
        else:
            inserts.append(
                {
                    "account_id": account_id,
                    "external_id": external_id,
                    **{name: getattr(record, name) for name in DETAILS},
                    "caption": record.caption or "",
                    "format": record.format or PostFormat.post,
                    **observed,
                }
            )
    insert_rows(session, Post, inserts)
    update_rows(session, Post, updates)
    result.created, result.updated = len(inserts), len(updates)
    return result


def recent_posts(session: Session, account_ids: Sequence[int], limit: int) -> list[Post]:
    """The latest `limit` posts of each account, by account, newest first. One statement: each
    account's latest ids are a bounded read of its (account, posted_at) index range."""
    if not account_ids:
        return []
    newest = (Post.posted_at.desc(), Post.id.desc())
    latest = union_all(
        *(
            # SQLite takes a LIMIT inside a UNION only in a subquery.
            select(Post.id)
            .where(Post.account_id == account_id)
            .order_by(*newest)
            .limit(limit)
            .subquery()
            .select()
            for account_id in account_ids
        )
    )
    return list(
        session.scalars(select(Post).where(Post.id.in_(latest)).order_by(Post.account_id, *newest))
    )
