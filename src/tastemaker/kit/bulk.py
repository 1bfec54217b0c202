"""Set-sized writes for bulk paths (imports, connectors, generated data): a batch of rows
in a few statements, by the fastest route each engine offers, without the ORM's per-row
bookkeeping. PostgreSQL loads by COPY; SQLite by the driver's executemany, a loop in C."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import any_, bindparam, func, literal, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from tastemaker.kit.db import refuse_nul


def _postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def in_chunks(session: Session, column: Any, values: list[Any]) -> list[Any]:
    """`column IN values` as conditions: on PostgreSQL one `= ANY(array)` (a thousand bound
    parameters cost more to send and plan than the lookup itself), on SQLite chunks under
    its bound-parameter limit."""
    if _postgresql(session):
        return [column == any_(literal(values, ARRAY(column.type)))]
    return [column.in_(values[start : start + 900]) for start in range(0, len(values), 900)]


def allocate_ids(session: Session, model: type[Any], count: int) -> list[int]:
    """Ids for `count` new rows, so batches insert with plain executemany: asking the database
    to RETURN ids in input order makes SQLite insert one row per statement."""
    if count == 0:
        return []
    if _postgresql(session):
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


def insert_rows(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    """Core INSERT of a batch, without the ORM's per-row bookkeeping: on PostgreSQL by COPY,
    its bulk-load path (a thousand-row INSERT costs the server more to parse and plan than
    to write); on SQLite by the driver's executemany, which is a loop in C."""
    if not rows:
        return
    table = model.__table__
    columns = list(dict.fromkeys(name for row in rows for name in row))
    if _postgresql(session):
        _copy_rows(session, table.name, table, columns, rows)
    else:
        _insert_by_executemany(session, table, columns, rows)


def _insert_by_executemany(
    session: Session, table: Any, columns: Sequence[str], rows: list[dict[str, Any]]
) -> None:
    """SQLite: the driver's executemany of one INSERT, without SQLAlchemy's per-row
    parameter processing, which took a third of an import. As with COPY, the rows carry
    every column they set; column defaults are not applied."""
    placeholders = ", ".join("?" for _ in columns)
    statement = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({placeholders})"
    values = _bound_rows(session, table, columns, rows)
    session.flush()  # the statement goes round the session: pending objects first
    # exec_driver_sql still passes the engine's events (kit.db's NUL check among them).
    session.connection().exec_driver_sql(statement, values)


def _bound_rows(
    session: Session, table: Any, columns: Sequence[str], rows: list[dict[str, Any]]
) -> list[tuple[Any, ...]]:
    """`columns` of `rows` as tuples of driver values, each bound as its column's type binds
    it on this engine (enums as their values, JSON, times in UTC), one column at a time."""
    dialect = session.get_bind().dialect
    bound: list[list[Any]] = []
    for name in columns:
        values = [row.get(name) for row in rows]
        # The dialect's own type (SQLite's DATETIME, say), as SQLAlchemy binds it.
        process = table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            values = _bound(values, process)
        bound.append(values)
    return list(zip(*bound, strict=True))


def _bound(values: list[Any], process: Any) -> list[Any]:
    """`values` through a column type's bind processor, each distinct value once: a batch
    shares its timestamps and enum members."""
    try:
        once = {value: process(value) for value in set(values) if value is not None}
    except TypeError:  # unhashable values (JSON lists and objects)
        return [None if value is None else process(value) for value in values]
    return [None if value is None else once[value] for value in values]


def _copy_rows(
    session: Session,
    target: str,
    table: Any,
    columns: Sequence[str],
    rows: list[dict[str, Any]],
    key: str | None = None,
) -> None:
    """COPY `columns` of `rows` (with `key` first, when given) into `target`; `table` has the
    columns' types, bound as SQLAlchemy would bind them."""
    names = [key, *columns] if key else list(columns)
    values = _bound_rows(session, table, names, rows)
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
    session: Session, table: Any, columns: Sequence[str], rows: list[dict[str, Any]], key: str
) -> None:
    """PostgreSQL: COPY the changes into a temporary table, then one UPDATE ... FROM it; a
    thousand single-row UPDATEs cost a round trip and an executor start each."""
    dialect = session.get_bind().dialect
    staging = f"bulk_{table.name}"
    types = ", ".join(f"{name} {table.c[name].type.compile(dialect=dialect)}" for name in columns)
    session.execute(text(f"CREATE TEMPORARY TABLE {staging} (row_id BIGINT, {types})"))
    _copy_rows(session, staging, table, columns, rows, key=key)
    # Without statistics the planner guesses the staging table's size and may hash-join
    # it against a scan of the whole table.
    session.execute(text(f"ANALYZE {staging}"))
    assignments = ", ".join(f"{name} = s.{name}" for name in columns)
    where = f"{table.name}.{key} = s.row_id"
    session.execute(text(f"UPDATE {table.name} SET {assignments} FROM {staging} s WHERE {where}"))
    session.execute(text(f"DROP TABLE {staging}"))


def update_rows(
    session: Session, model: type[Any], rows: list[dict[str, Any]], key: str = "id"
) -> None:
    """UPDATE the rows whose `key` column (the primary key unless told otherwise; every row
    with that value otherwise) equals each row's, one statement per set of changed columns.
    Rows for the same key are merged, later values winning, as executing them in order
    would."""
    table = model.__table__
    merged: dict[Any, dict[str, Any]] = {}
    for row in rows:
        merged.setdefault(row[key], {}).update(row)
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in merged.values():
        groups.setdefault(tuple(sorted(name for name in row if name != key)), []).append(row)
    postgresql = _postgresql(session)
    for columns, group in groups.items():
        if not columns:
            continue  # nothing to write for these rows
        if postgresql:
            _update_by_copy(session, table, columns, group, key)
            continue
        values: dict[str, Any] = {column: bindparam(column) for column in columns}
        if "updated_at" in table.c and "updated_at" not in values:
            # Only what changed: keep the column's own value rather than its onupdate.
            values["updated_at"] = table.c.updated_at
        statement = update(table).where(table.c[key] == bindparam("row_id")).values(values)
        params = [{"row_id": row[key], **{c: row[c] for c in columns}} for row in group]
        session.execute(statement, params)
