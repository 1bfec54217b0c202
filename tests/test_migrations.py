"""The migrations build the same schema as the models, on the engine under test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Connection, inspect, text

from tastemaker.creator.models import NAME_TRIGRAMS, SEARCH_NAME_TRIGRAM_INDEX
from tastemaker.kit.db import make_engine
from tastemaker.kit.migrate import check, upgrade
from tastemaker.models import Base


@pytest.fixture
def fresh_url(tmp_path: Path) -> str:
    url = os.environ.get("TASTEMAKER_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path}/migrated.db"
    return url


@contextmanager
def empty_database(url: str) -> Iterator[Connection]:
    """A connection to a database without tables, in one transaction. On PostgreSQL, a
    schema of its own keeps this away from the suite's tables; dropped afterwards."""
    engine = make_engine(url)
    with engine.begin() as conn:
        if url.startswith("postgresql"):
            conn.exec_driver_sql("DROP SCHEMA IF EXISTS migrations_check CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA migrations_check")
            # public stays on the path: extensions (pg_trgm) live there, as in the suite.
            conn.exec_driver_sql("SET search_path TO migrations_check, public")
            yield conn
            conn.exec_driver_sql("SET search_path TO public")
            conn.exec_driver_sql("DROP SCHEMA migrations_check CASCADE")
        else:
            yield conn
    engine.dispose()


def test_migrations_match_models(fresh_url: str) -> None:
    with empty_database(fresh_url) as conn:
        upgrade(connection=conn)
        check(connection=conn)
        tables = set(inspect(conn).get_table_names())
        if fresh_url.startswith("postgresql"):
            indexes = set(
                conn.exec_driver_sql(
                    "SELECT indexname FROM pg_indexes WHERE schemaname = 'migrations_check'"
                ).scalars()
            )
            # Made outside the metadata, so the check above cannot see whether it exists.
            assert SEARCH_NAME_TRIGRAM_INDEX in indexes
        else:
            made = set(conn.exec_driver_sql("SELECT name FROM sqlite_master").scalars())
            assert {
                NAME_TRIGRAMS,
                *(f"{NAME_TRIGRAMS}_{t}" for t in ("insert", "delete", "update")),
            } <= made
    assert set(Base.metadata.tables) <= tables


def test_categories_get_copies_of_their_accounts_columns_on_upgrade(fresh_url: str) -> None:
    with empty_database(fresh_url) as conn:
        upgrade(connection=conn, revision="7d2f5a8c1e63")
        now = "2026-11-21 10:00:00+00:00"
        conn.execute(
            text(
                "INSERT INTO creator (id, display_name, is_virtual, created_at, updated_at)"
                " VALUES (1, 'Ana', false, :now, :now)"
            ),
            {"now": now},
        )
        conn.execute(
            text(
                "INSERT INTO platform_account (id, creator_id, platform, handle, followers,"
                " engagement_rate, country, language, metrics_provenance, created_at,"
                " updated_at)"
                " VALUES (1, 1, 'instagram', 'ana', 12000, 0.04, 'PT', 'pt', 'imported', :now,"
                " :now), (2, 1, 'tiktok', 'ana', NULL, NULL, NULL, NULL, 'imported', :now, :now)"
            ),
            {"now": now},
        )
        conn.execute(
            text(
                "INSERT INTO account_category (account_id, category)"
                " VALUES (1, 'food'), (1, 'travel'), (2, 'food')"
            )
        )
        upgrade(connection=conn)
        rows = conn.execute(
            text(
                "SELECT account_id, category, followers, engagement_rate, platform, country,"
                " language FROM account_category ORDER BY account_id, category"
            )
        ).all()
    assert [tuple(row) for row in rows] == [
        (1, "food", 12000, 0.04, "instagram", "PT", "pt"),
        (1, "travel", 12000, 0.04, "instagram", "PT", "pt"),
        (2, "food", None, None, "tiktok", None, None),
    ]


def test_names_written_before_the_trigram_index_are_found_after_upgrade(
    fresh_url: str,
) -> None:
    if not fresh_url.startswith("sqlite"):
        pytest.skip("SQLite's name index (FTS5 trigrams); PostgreSQL's is pg_trgm")
    with empty_database(fresh_url) as conn:
        upgrade(connection=conn, revision="d967ecfdb185")
        now = "2026-11-21 10:00:00+00:00"
        conn.execute(
            text(
                "INSERT INTO creator (id, display_name, is_virtual, created_at, updated_at)"
                " VALUES (1, 'Ana Sousa', false, :now, :now), (2, 'Bea Lima', false, :now, :now)"
            ),
            {"now": now},
        )
        upgrade(connection=conn)
        # Renamed after the upgrade: the triggers keep the index in step.
        conn.execute(text("UPDATE creator SET display_name = 'Bea Sousa' WHERE id = 2"))
        found = conn.execute(
            text(f"SELECT rowid FROM {NAME_TRIGRAMS} WHERE {NAME_TRIGRAMS} MATCH '\"sousa\"'")
        ).scalars()
        assert sorted(found) == [1, 2]
