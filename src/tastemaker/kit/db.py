"""Engine, sessions and the declarative base shared by every domain."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, BigInteger, Integer, MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

from tastemaker.kit.errors import ValidationFailed
from tastemaker.kit.settings import get_settings

# Stable constraint names so Alembic can diff and drop them on every engine.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# BIGINT on PostgreSQL, INTEGER on SQLite (where only INTEGER PRIMARY KEY autoincrements).
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling breaks SAVEPOINT; SQLAlchemy emits BEGIN itself.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    # SQLite's default page cache is 2 MB per connection: at 100,000 creators the list's
    # indexes no longer fit, and every page read becomes a system call. 64 MB does, and
    # memory-mapping the file makes the reads that remain cheap.
    cursor.execute("PRAGMA cache_size=-65536")
    cursor.execute("PRAGMA mmap_size=268435456")
    cursor.close()


class NulInText(ValidationFailed):
    code = "invalid_text"


def storable_text(value: str) -> str:
    """For input validators, where the message can name the field: neither engine stores
    NUL, and a lone surrogate is not text."""
    if "\x00" in value:
        raise ValueError("text may not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text must be valid Unicode") from None
    return value


def _holds_nul(parameters: Any) -> bool:
    """Parameters come as a dict, one flat row, or a list of either, by statement kind;
    a value may be a list (an array parameter, as kit.bulk.in_chunks binds on PostgreSQL)."""
    if isinstance(parameters, dict):
        rows: Any = (parameters,)
    elif parameters and isinstance(parameters[0], dict | tuple | list):
        rows = parameters
    else:
        rows = (parameters,)
    for row in rows:
        for value in row.values() if isinstance(row, dict) else row:
            if value.__class__ is str and "\x00" in value:
                return True
            if value.__class__ is list and any(
                item.__class__ is str and "\x00" in item for item in value
            ):
                return True
    return False


def _refuse_nul(
    _conn: Any, _cursor: Any, _statement: str, parameters: Any, _context: Any, _many: bool
) -> None:
    """PostgreSQL cannot store NUL in text and SQLite would keep it silently: refuse it on
    both, at the one place every write passes, as bad input rather than a server error."""
    refuse_nul(parameters)


def refuse_nul(parameters: Any) -> None:
    """Also for writes that bypass statement parameters (PostgreSQL COPY in kit.bulk)."""
    if _holds_nul(parameters):
        raise NulInText("text may not contain NUL characters")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[1] if "///" in url else ""
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
        event.listen(engine, "before_cursor_execute", _refuse_nul)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    # PostgreSQL's default random_page_cost (4) assumes spinning disks and makes the planner
    # scan whole tables rather than read a few thousand index entries; SSDs cost about 1.1.
    page_cost = get_settings().postgres_random_page_cost
    engine = create_engine(
        url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=10,
        connect_args={"options": f"-c random_page_cost={page_cost}"},
    )
    event.listen(engine, "before_cursor_execute", _refuse_nul)
    return engine


@lru_cache
def get_engine() -> Engine:
    return make_engine(get_settings().database_url)


@lru_cache
def get_sessionmaker() -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(), expire_on_commit=False)


@contextmanager
def session_scope() -> Iterator[Session]:
    """A unit of work outside a request (CLI, jobs): commit on success, roll back on error."""
    session = get_sessionmaker()()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
