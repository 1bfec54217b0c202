"""Every test runs inside a transaction that is rolled back at the end, on SQLite by default
or on PostgreSQL when TASTEMAKER_TEST_DATABASE_URL names one (CI runs both)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.orm import Session, sessionmaker

os.environ.setdefault("TASTEMAKER_ENVIRONMENT", "test")
os.environ.setdefault("TASTEMAKER_SECRET_KEY", "test-secret-key-that-is-long-enough-0123456789")

from tastemaker.app import create_app
from tastemaker.creator.models import CATEGORY_COPIES
from tastemaker.kit.db import get_engine, get_sessionmaker, make_engine
from tastemaker.kit.settings import get_settings
from tastemaker.models import Base
from tests.factories import World, build_world

# Live server + Chromium fixtures, for any test marked `browser`.
pytest_plugins = ["tests.browser_fixtures"]

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def _test_database_url(tmp_dir: str) -> str:
    return os.environ.get("TASTEMAKER_TEST_DATABASE_URL") or f"sqlite:///{tmp_dir}/test.db"


@pytest.fixture(scope="session")
def engine() -> Iterator[Engine]:
    with tempfile.TemporaryDirectory() as tmp_dir:
        url = _test_database_url(tmp_dir)
        os.environ["TASTEMAKER_DATABASE_URL"] = url
        eng = make_engine(url)
        # The schema from the models; tests/test_migrations.py proves the migrations agree.
        with eng.begin() as conn:
            Base.metadata.drop_all(conn)
            Base.metadata.create_all(conn)
        yield eng
        eng.dispose()


# Account categories carry copies of some of the account's columns
# (creator.models.AccountCategory): whatever a test wrote, through whichever path, the
# copies must still be equal.
_CATEGORY_COPIES_ASTRAY = text(
    "SELECT count(*) FROM account_category c JOIN platform_account p ON p.id = c.account_id"
    " WHERE " + " OR ".join(f"c.{name} IS DISTINCT FROM p.{name}" for name in CATEGORY_COPIES)
)


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    conn = engine.connect()
    transaction = conn.begin()
    yield conn
    if transaction.is_active:
        astray = conn.execute(_CATEGORY_COPIES_ASTRAY).scalar()
        assert astray == 0, f"{astray} account categories' copies differ from the account's"
    transaction.rollback()
    conn.close()


@pytest.fixture
def statements(connection: Connection) -> Callable[..., AbstractContextManager[list[str]]]:
    """`with statements() as seen:` collects the SQL run on the test's connection inside the
    block; `statements("audience_check")` only the statements that name that table."""

    @contextmanager
    def collect(table: str | None = None) -> Iterator[list[str]]:
        seen: list[str] = []

        def note(_conn: object, _cursor: object, statement: str, *_: object) -> None:
            if table is None or table in statement:
                seen.append(statement)

        event.listen(connection, "before_cursor_execute", note)
        try:
            yield seen
        finally:
            event.remove(connection, "before_cursor_execute", note)

    return collect


@pytest.fixture
def session_factory(connection: Connection) -> sessionmaker[Session]:
    # Commits inside the code under test release savepoints; the outer transaction is
    # rolled back after the test, so nothing leaks between tests.
    return sessionmaker(
        bind=connection,
        join_transaction_mode="create_savepoint",  # type: ignore[call-overload]
        expire_on_commit=False,
    )


@pytest.fixture
def db(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    session = session_factory()
    yield session
    session.close()


@pytest.fixture
def app(session_factory: sessionmaker[Session]) -> object:
    return create_app(session_factory)


@pytest.fixture
def client(app: object) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver") as test_client:  # type: ignore[arg-type]
        yield test_client


@pytest.fixture
def world(db: Session) -> World:
    """Two workspaces, A and B, with an owner, a manager and an analyst in A, an owner in B,
    and an API key for each (workspace, role)."""
    world = build_world(db)
    db.commit()
    return world


@pytest.fixture
def cli_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """An empty SQLite file that commands find through TASTEMAKER_DATABASE_URL. The settings
    and engine are cached per process, so they are cleared on both sides of the test."""
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("TASTEMAKER_DATABASE_URL", url)
    monkeypatch.delenv("TASTEMAKER_WORKSPACE", raising=False)
    caches = (get_settings, get_engine, get_sessionmaker)
    for cached in caches:
        cached.cache_clear()
    yield url
    get_engine().dispose()
    for cached in caches:
        cached.cache_clear()


@pytest.fixture
def cli_tables(cli_database: str) -> str:
    """cli_database with every table made."""
    Base.metadata.create_all(get_engine())
    return cli_database


@pytest.fixture
def cli_db(cli_tables: str) -> Iterator[Session]:
    """A session on the CLI's database, to build data the command then reads."""
    with Session(get_engine(), expire_on_commit=False) as session:
        yield session


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data set not present at {SHARED_DATA} (only in the dev checkout)")
    return SHARED_DATA


@pytest.fixture
def sqlite_only(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite-specific behaviour")
