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

from sqlalchemy import (
    Enum,
    any_,
    bindparam,
    delete,
    func,
    insert,
    literal,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
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
from tastemaker.kit.db import refuse_nul
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


def _in_chunks(session: Session, column: Any, values: list[Any]) -> list[Any]:
    """`column IN values` as conditions: on PostgreSQL one `= ANY(array)` (a thousand bound
    parameters cost more to send and plan than the lookup itself), on SQLite chunks under
    its bound-parameter limit."""
    if session.get_bind().dialect.name == "postgresql":
        return [column == any_(literal(values, ARRAY(column.type)))]
    return [column.in_(values[start : start + 900]) for start in range(0, len(values), 900)]


def _existing(session: Session, platform: Platform, handles: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for condition in _in_chunks(session, PlatformAccount.handle, handles):
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
    for condition in _in_chunks(session, AccountCategory.account_id, account_ids):
        rows = session.execute(
            select(AccountCategory.account_id, AccountCategory.category).where(condition)
        )
        for account_id, category in rows:
            found.setdefault(account_id, []).append(category)
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


def _insert_rows(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    """Core INSERT of a batch, without the ORM's per-row bookkeeping: on PostgreSQL by COPY,
    its bulk-load path (a thousand-row INSERT costs the server more to parse and plan than
    to write); on SQLite by the driver's executemany, which is a loop in C."""
    if not rows:
        return
    table = model.__table__
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(table), rows)
        return
    columns = list(dict.fromkeys(name for row in rows for name in row))
    _copy_rows(session, table.name, table, columns, rows)


def _copy_rows(
    session: Session,
    target: str,
    table: Any,
    columns: Sequence[str],
    rows: list[dict[str, Any]],
    key: str | None = None,
) -> None:
    """COPY `columns` of `rows` (with `key` first, when given) into `target`; `table` has the
    columns' types. Enums go as their values, as the column types would bind them."""
    enums = {name for name in columns if isinstance(table.c[name].type, Enum)}
    names = [key, *columns] if key else list(columns)
    values: list[list[Any]] = [[row.get(name) for name in names] for row in rows]
    for index, name in enumerate(names):
        if name in enums:
            for row_values in values:
                member = row_values[index]
                if member is not None:
                    row_values[index] = member.value
    # COPY passes no statement parameters, so the engine's NUL check (kit.db) never sees
    # these values: check them here.
    refuse_nul(values)
    session.flush()  # COPY goes round the session: pending objects first
    driver = session.connection().connection.driver_connection
    assert driver is not None
    target_columns = ["row_id", *columns] if key else list(columns)
    statement = f"COPY {target} ({', '.join(target_columns)}) FROM STDIN"
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for row in values:
            copy.write_row(row)


def _update_by_copy(
    session: Session, table: Any, columns: Sequence[str], rows: list[dict[str, Any]]
) -> None:
    """PostgreSQL: COPY the changes into a temporary table, then one UPDATE ... FROM it; a
    thousand single-row UPDATEs cost a round trip and an executor start each."""
    dialect = session.get_bind().dialect
    staging = f"bulk_{table.name}"
    types = ", ".join(f"{name} {table.c[name].type.compile(dialect=dialect)}" for name in columns)
    session.execute(text(f"CREATE TEMPORARY TABLE {staging} (row_id BIGINT, {types})"))
    _copy_rows(session, staging, table, columns, rows, key="id")
    # Without statistics the planner guesses the staging table's size and may hash-join
    # it against a scan of the whole table.
    session.execute(text(f"ANALYZE {staging}"))
    assignments = ", ".join(f"{name} = s.{name}" for name in columns)
    where = f"{table.name}.id = s.row_id"
    session.execute(text(f"UPDATE {table.name} SET {assignments} FROM {staging} s WHERE {where}"))
    session.execute(text(f"DROP TABLE {staging}"))


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
    categories) find rows whatever the source file wrote. A copy: the caller's record stays
    as it was."""
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
    snapshot_rows: list[dict[str, Any]] = []

    for platform, group in by_platform.items():
        existing = _existing(session, platform, [r.handle for r in group])
        new = [r for r in group if r.handle not in existing]
        old = [r for r in group if r.handle in existing]

        if new:
            creator_ids = allocate_ids(session, Creator, len(new))
            account_ids = allocate_ids(session, PlatformAccount, len(new))
            _insert_rows(
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
            _insert_rows(session, PlatformAccount, account_rows)
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
            new_categories: dict[int, list[str]] = {}
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
                    new_categories[row.id] = list(dict.fromkeys(record.categories))
            current = _categories_of(session, list(new_categories))
            for account_id, categories in new_categories.items():
                if set(categories) != set(current.get(account_id, ())):
                    replace_categories.append(account_id)
                    category_rows += [{"account_id": account_id, "category": c} for c in categories]
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

    if replace_categories:
        for condition in _in_chunks(session, AccountCategory.account_id, replace_categories):
            session.execute(delete(AccountCategory).where(condition))
    _insert_rows(session, AccountCategory, category_rows)
    _insert_rows(session, MetricSnapshot, snapshot_rows)
    session.flush()
    result.account_ids = [ids[(r.platform, r.handle)] for r in records]
    return result


def _bulk_update(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    """UPDATE by primary key, one statement per set of changed columns. Rows for the same id
    are merged, later values winning, as executing them in order would."""
    table = model.__table__
    merged: dict[int, dict[str, Any]] = {}
    for row in rows:
        merged.setdefault(row["id"], {}).update(row)
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in merged.values():
        groups.setdefault(tuple(sorted(key for key in row if key != "id")), []).append(row)
    postgresql = session.get_bind().dialect.name == "postgresql"
    for columns, group in groups.items():
        if postgresql:
            _update_by_copy(session, table, columns, group)
            continue
        values: dict[str, Any] = {column: bindparam(column) for column in columns}
        if "updated_at" not in values:
            # Only what changed: keep the column's own value rather than its onupdate.
            values["updated_at"] = table.c.updated_at
        statement = update(table).where(table.c.id == bindparam("row_id")).values(values)
        params = [{"row_id": row["id"], **{c: row[c] for c in columns}} for row in group]
        session.execute(statement, params)


RECORD_FIELDS = tuple(f.name for f in fields(AccountRecord))
