"""Bulk writes of public profile facts, for imports, connectors and generated data.

Matches on (platform, handle); creates what is new, updates what exists without blanking
fields the incoming record leaves empty, recomputes engagement rate, and appends a metric
snapshot carrying the provenance and source. Works in set-sized statements (one SELECT, a
few executemany INSERT/UPDATE) so 100,000 rows take seconds, not minutes.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from tastemaker.creator.metrics import engagement_rate
from tastemaker.creator.models import (
    CATEGORY_COPIES,
    AccountCategory,
    Creator,
    MetricSnapshot,
    Platform,
    PlatformAccount,
    Provenance,
)
from tastemaker.kit.bulk import allocate_ids, in_chunks, insert_rows, update_rows
from tastemaker.kit.time import utcnow

METRIC_FIELDS = (
    "followers",
    "following",
    "posts",
    "avg_likes",
    "avg_comments",
    "avg_shares",
    "avg_views",
)
PROFILE_FIELDS = ("url", "country", "language", "bio", "contact_email")
RATE_FIELDS = ("engagement_rate", "engagement_formula")
_URL_PREFIX = re.compile(
    r"^(https?://)?(www\.)?[a-z0-9.-]+\.[a-z]{2,}/(@|c/|channel/|user/)?", re.IGNORECASE
)


def normalise_handle(raw: str) -> str:
    """'@Some.Name', 'https://instagram.com/some.name/' -> 'some.name'."""
    handle = raw.strip()
    handle = _URL_PREFIX.sub("", handle)
    handle = handle.strip("/").lstrip("@").strip()
    return handle.lower()


@dataclass
class AccountRecord:
    platform: Platform
    handle: str
    display_name: str | None = None
    is_virtual: bool | None = None
    url: str | None = None
    followers: int | None = None
    following: int | None = None
    posts: int | None = None
    avg_likes: float | None = None
    avg_comments: float | None = None
    avg_shares: float | None = None
    avg_views: float | None = None
    country: str | None = None
    language: str | None = None
    bio: str | None = None
    contact_email: str | None = None
    categories: list[str] | None = None
    captured_at: datetime | None = None


@dataclass
class UpsertResult:
    created: int = 0
    updated: int = 0
    account_ids: list[int] = field(default_factory=list)  # in the order of the input records


_EXISTING_COLUMNS = (
    PlatformAccount.id,
    PlatformAccount.creator_id,
    PlatformAccount.handle,
    *(getattr(PlatformAccount, name) for name in (*METRIC_FIELDS, *RATE_FIELDS, *PROFILE_FIELDS)),
    Creator.display_name,
    Creator.is_virtual,
)


def _existing(session: Session, platform: Platform, handles: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for condition in in_chunks(session, PlatformAccount.handle, handles):
        rows = session.execute(
            select(*_EXISTING_COLUMNS)
            .join(Creator, Creator.id == PlatformAccount.creator_id)
            .where(PlatformAccount.platform == platform, condition)
        ).all()
        for row in rows:
            found[row.handle] = row
    return found


def _categories_of(session: Session, account_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for condition in in_chunks(session, AccountCategory.account_id, account_ids):
        rows = session.execute(
            select(AccountCategory.account_id, AccountCategory.category).where(condition)
        )
        for account_id, category in rows:
            found.setdefault(account_id, []).append(category)
    return found


def _refresh_statistics(session: Session, inserted: int) -> None:
    """PostgreSQL plans the next batch's handle lookup from statistics taken when the table was
    far smaller; stale, they make it filter every account of the platform (quadratic over an
    import). Re-analyse whenever this insert grew the table by more than a tenth."""
    if session.get_bind().dialect.name != "postgresql":
        return
    known = session.scalar(
        text("SELECT reltuples FROM pg_class WHERE oid = 'platform_account'::regclass")
    )
    if known is None or known < 0 or inserted * 10 > known:
        session.execute(text("ANALYZE platform_account"))


def _rate_fields(platform: Platform, metrics: dict[str, Any]) -> dict[str, Any]:
    rate = engagement_rate(
        platform,
        followers=metrics.get("followers"),
        avg_likes=metrics.get("avg_likes"),
        avg_comments=metrics.get("avg_comments"),
        avg_shares=metrics.get("avg_shares"),
        avg_views=metrics.get("avg_views"),
    )
    return {
        "engagement_rate": rate.value if rate else None,
        "engagement_formula": rate.formula if rate else None,
    }


def _normalised(record: AccountRecord) -> AccountRecord:
    """One spelling per value, so filters (upper-case countries, lower-case languages and
    categories) find rows whatever the source file wrote; each category once. A copy: the
    caller's record stays as it was."""
    normal = copy.copy(record)
    if record.categories is not None:
        normal.categories = list(
            dict.fromkeys(c.strip().lower() for c in record.categories if c.strip())
        )
    if record.country:
        normal.country = record.country.strip().upper()
    if record.language:
        normal.language = record.language.strip().lower()
    return normal


def upsert_accounts(
    session: Session,
    records: Sequence[AccountRecord],
    *,
    provenance: Provenance,
    source: str,
    write_snapshots: bool = True,
) -> UpsertResult:
    """Handles must already be normalised (normalise_handle). Later duplicates win."""
    now = utcnow()
    records = [_normalised(record) for record in records]
    latest: dict[tuple[Platform, str], AccountRecord] = {}
    for record in records:
        latest[(record.platform, record.handle)] = record
    by_platform: dict[Platform, list[AccountRecord]] = {}
    for record in latest.values():
        by_platform.setdefault(record.platform, []).append(record)

    result = UpsertResult()
    ids: dict[tuple[Platform, str], int] = {}
    category_rows: list[dict[str, Any]] = []
    replace_categories: list[int] = []
    # Accounts whose categories stay but whose copies of the account's columns must follow.
    refigured: dict[int, dict[str, Any]] = {}
    snapshot_rows: list[dict[str, Any]] = []

    for platform, group in by_platform.items():
        existing = _existing(session, platform, [r.handle for r in group])
        new = [r for r in group if r.handle not in existing]
        old = [r for r in group if r.handle in existing]

        if new:
            creator_ids = allocate_ids(session, Creator, len(new))
            account_ids = allocate_ids(session, PlatformAccount, len(new))
            insert_rows(
                session,
                Creator,
                [
                    {
                        "id": creator_id,
                        "display_name": r.display_name or r.handle,
                        "is_virtual": bool(r.is_virtual),
                        "created_at": now,
                        "updated_at": now,
                    }
                    for r, creator_id in zip(new, creator_ids, strict=True)
                ],
            )
            account_rows = []
            for record, creator_id, account_id in zip(new, creator_ids, account_ids, strict=True):
                metrics = {name: getattr(record, name) for name in METRIC_FIELDS}
                account_rows.append(
                    {
                        "id": account_id,
                        "creator_id": creator_id,
                        "platform": platform,
                        "handle": record.handle,
                        **metrics,
                        **{name: getattr(record, name) for name in PROFILE_FIELDS},
                        **_rate_fields(platform, metrics),
                        "metrics_provenance": provenance,
                        "metrics_source": source,
                        "metrics_at": record.captured_at or now,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
            insert_rows(session, PlatformAccount, account_rows)
            _refresh_statistics(session, len(new))
            for record, row in zip(new, account_rows, strict=True):
                ids[(platform, record.handle)] = row["id"]
                category_rows += _category_rows(row["id"], record.categories or [], row)
            result.created += len(new)

        if old:
            account_updates, creator_updates = [], []
            new_categories: dict[int, list[str]] = {}
            copies_of: dict[int, dict[str, Any]] = {}
            for record in old:
                row = existing[record.handle]
                metrics = {
                    name: getattr(record, name)
                    if getattr(record, name) is not None
                    else getattr(row, name)
                    for name in METRIC_FIELDS
                }
                # Every import is an observation (metrics_at, the snapshot), but only figures
                # that changed are rewritten: an unchanged row then costs no index entries,
                # and a re-import of the same file is cheap on both engines.
                changes: dict[str, Any] = {
                    "id": row.id,
                    "metrics_provenance": provenance,
                    "metrics_source": source,
                    "metrics_at": record.captured_at or now,
                }
                figures = {**metrics, **_rate_fields(platform, metrics)}
                if any(value != getattr(row, name) for name, value in figures.items()):
                    changes.update(figures, updated_at=now)
                profile = {
                    name: getattr(record, name)
                    for name in PROFILE_FIELDS
                    if getattr(record, name) is not None
                }
                if any(value != getattr(row, name) for name, value in profile.items()):
                    changes.update(profile, updated_at=now)
                # The columns the categories copy, as they will be; a platform never changes.
                copies = {
                    name: changes.get(name, getattr(row, name))
                    for name in CATEGORY_COPIES
                    if name != "platform"
                }
                copies_of[row.id] = {"platform": platform, **copies}
                if any(value != getattr(row, name) for name, value in copies.items()):
                    refigured[row.id] = {"account_id": row.id, **copies}
                account_updates.append(changes)
                # Only real changes: an unchanged name would still be re-indexed.
                creator_change: dict[str, Any] = {}
                if record.display_name and record.display_name != row.display_name:
                    creator_change["display_name"] = record.display_name
                if record.is_virtual is not None and record.is_virtual != row.is_virtual:
                    creator_change["is_virtual"] = record.is_virtual
                if creator_change:
                    creator_updates.append(
                        {"id": row.creator_id, "updated_at": now, **creator_change}
                    )
                ids[(platform, record.handle)] = row.id
                if record.categories is not None:
                    new_categories[row.id] = record.categories
            current = _categories_of(session, list(new_categories))
            for account_id, categories in new_categories.items():
                if set(categories) != set(current.get(account_id, ())):
                    replace_categories.append(account_id)
                    refigured.pop(account_id, None)
                    category_rows += _category_rows(account_id, categories, copies_of[account_id])
            update_rows(session, PlatformAccount, account_updates)
            update_rows(session, Creator, creator_updates)
            result.updated += len(old)

        if write_snapshots:
            for record in group:
                if all(getattr(record, name) is None for name in METRIC_FIELDS):
                    continue
                snapshot_rows.append(
                    {
                        "account_id": ids[(platform, record.handle)],
                        "captured_at": record.captured_at or now,
                        **{name: getattr(record, name) for name in METRIC_FIELDS},
                        "provenance": provenance,
                        "source": source,
                    }
                )

    if replace_categories:
        for condition in in_chunks(session, AccountCategory.account_id, replace_categories):
            session.execute(delete(AccountCategory).where(condition))
    insert_rows(session, AccountCategory, category_rows)
    update_rows(session, AccountCategory, list(refigured.values()), key="account_id")
    insert_rows(session, MetricSnapshot, snapshot_rows)
    session.flush()
    result.account_ids = [ids[(r.platform, r.handle)] for r in records]
    return result


def _category_copies(account: dict[str, Any]) -> dict[str, Any]:
    """The account's columns that its categories carry copies of (see AccountCategory)."""
    return {name: account[name] for name in CATEGORY_COPIES}


def _category_rows(
    account_id: int, categories: Sequence[str], account: dict[str, Any]
) -> list[dict[str, Any]]:
    copies = _category_copies(account)
    return [{"account_id": account_id, "category": c, **copies} for c in categories]


RECORD_FIELDS = tuple(f.name for f in fields(AccountRecord))
