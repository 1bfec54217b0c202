"""Bulk writes of public profile facts, for imports, connectors and generated data.

Matches on (platform, handle); creates what is new, updates what exists without blanking
fields the incoming record leaves empty, recomputes engagement rate, and appends a metric
snapshot carrying the provenance and source. Works in set-sized statements (one SELECT, a
few executemany INSERT/UPDATE) so 100,000 rows take seconds, not minutes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from tastemaker.creator.metrics import engagement_rate
from tastemaker.creator.models import (
    AccountCategory,
    Creator,
    MetricSnapshot,
    Platform,
    PlatformAccount,
    Provenance,
)
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
    *(getattr(PlatformAccount, name) for name in METRIC_FIELDS),
)


def _existing(session: Session, platform: Platform, handles: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    handle = PlatformAccount.handle
    for start in range(0, len(handles), 900):  # under SQLite's bound-parameter limit
        chunk = handles[start : start + 900]
        rows = session.execute(
            select(*_EXISTING_COLUMNS).where(
                PlatformAccount.platform == platform, handle.in_(chunk)
            )
        ).all()
        for row in rows:
            found[row.handle] = row
    return found


def allocate_ids(session: Session, model: type[Creator | PlatformAccount], count: int) -> list[int]:
    """Ids for `count` new rows, so batches insert with plain executemany: asking the database
    to RETURN ids in input order makes SQLite insert one row per statement."""
    if count == 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        sequence = func.pg_get_serial_sequence(model.__tablename__, "id")
        return list(
            session.scalars(
                select(func.nextval(sequence)).select_from(func.generate_series(1, count))
            )
        )
    # SQLite serialises writers: a concurrent writer between this read and our insert makes
    # one of the two fail with "database is locked" or a key conflict, never share an id.
    start = session.scalar(select(func.coalesce(func.max(model.id), 0))) or 0
    return list(range(start + 1, start + 1 + count))


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


def _insert(model: type[Any]) -> Any:
    """A Core INSERT on the table: one executemany per batch, without the ORM's per-row
    bookkeeping (which also splits rows with different blanks into separate statements)."""
    return insert(model.__table__)


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
    categories) find rows whatever the source file wrote."""
    categories = None
    if record.categories is not None:
        categories = list(dict.fromkeys(c.strip().lower() for c in record.categories if c.strip()))
    return replace(
        record,
        country=record.country.strip().upper() if record.country else record.country,
        language=record.language.strip().lower() if record.language else record.language,
        categories=categories,
    )


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
    snapshot_rows: list[dict[str, Any]] = []

    for platform, group in by_platform.items():
        existing = _existing(session, platform, [r.handle for r in group])
        new = [r for r in group if r.handle not in existing]
        old = [r for r in group if r.handle in existing]

        if new:
            creator_ids = allocate_ids(session, Creator, len(new))
            account_ids = allocate_ids(session, PlatformAccount, len(new))
            session.execute(
                _insert(Creator),
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
            session.execute(_insert(PlatformAccount), account_rows)
            _refresh_statistics(session, len(new))
            for record, account_id in zip(new, account_ids, strict=True):
                ids[(platform, record.handle)] = account_id
                category_rows += [
                    {"account_id": account_id, "category": c}
                    for c in dict.fromkeys(record.categories or [])
                ]
            result.created += len(new)

        if old:
            account_updates, creator_updates = [], []
            for record in old:
                row = existing[record.handle]
                metrics = {
                    name: getattr(record, name)
                    if getattr(record, name) is not None
                    else getattr(row, name)
                    for name in METRIC_FIELDS
                }
                changes: dict[str, Any] = {
                    "id": row.id,
                    **metrics,
                    **_rate_fields(platform, metrics),
                    "metrics_provenance": provenance,
                    "metrics_source": source,
                    "metrics_at": record.captured_at or now,
                    "updated_at": now,
                }
                for name in PROFILE_FIELDS:
                    value = getattr(record, name)
                    if value is not None:
                        changes[name] = value
                account_updates.append(changes)
                creator_change: dict[str, Any] = {"id": row.creator_id, "updated_at": now}
                if record.display_name:
                    creator_change["display_name"] = record.display_name
                if record.is_virtual is not None:
                    creator_change["is_virtual"] = record.is_virtual
                creator_updates.append(creator_change)
                ids[(platform, record.handle)] = row.id
                if record.categories is not None:
                    replace_categories.append(row.id)
                    category_rows += [
                        {"account_id": row.id, "category": c}
                        for c in dict.fromkeys(record.categories)
                    ]
            _bulk_update(session, PlatformAccount, account_updates)
            _bulk_update(session, Creator, creator_updates)
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

    for start in range(0, len(replace_categories), 900):
        session.execute(
            delete(AccountCategory).where(
                AccountCategory.account_id.in_(replace_categories[start : start + 900])
            )
        )
    if category_rows:
        session.execute(_insert(AccountCategory), category_rows)
    if snapshot_rows:
        session.execute(_insert(MetricSnapshot), snapshot_rows)
    session.flush()
    result.account_ids = [ids[(r.platform, r.handle)] for r in records]
    return result


def _bulk_update(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    """UPDATE by primary key as Core executemany, one statement per set of changed columns."""
    table = model.__table__
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(sorted(key for key in row if key != "id")), []).append(row)
    for columns, group in groups.items():
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values({column: bindparam(column) for column in columns})
        )
        params = [{"row_id": row["id"], **{c: row[c] for c in columns}} for row in group]
        session.execute(statement, params)


RECORD_FIELDS = tuple(f.name for f in fields(AccountRecord))
