"""The migrations build the same schema as the models, on the engine under test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import inspect

from tastemaker.creator.models import SEARCH_NAME_TRIGRAM_INDEX
from tastemaker.kit.db import make_engine
from tastemaker.kit.migrate import check, upgrade
from tastemaker.models import Base


@pytest.fixture
def fresh_url(tmp_path: Path) -> str:
    url = os.environ.get("TASTEMAKER_TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path}/migrated.db"
    # On PostgreSQL, a separate schema keeps this away from the suite's tables.
    return url


def test_migrations_match_models(fresh_url: str) -> None:
    if fresh_url.startswith("postgresql"):
        engine = make_engine(fresh_url)
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP SCHEMA IF EXISTS migrations_check CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA migrations_check")
            # public stays on the path: extensions (pg_trgm) live there, as in the suite.
            conn.exec_driver_sql("SET search_path TO migrations_check, public")
            upgrade(connection=conn)
            check(connection=conn)
            tables = set(inspect(conn).get_table_names(schema="migrations_check"))
            indexes = set(
                conn.exec_driver_sql(
                    "SELECT indexname FROM pg_indexes WHERE schemaname = 'migrations_check'"
                ).scalars()
            )
            # Made outside the metadata, so the check above cannot see whether it exists.
            assert SEARCH_NAME_TRIGRAM_INDEX in indexes
            conn.exec_driver_sql("SET search_path TO public")
            conn.exec_driver_sql("DROP SCHEMA migrations_check CASCADE")
        engine.dispose()
    else:
        upgrade(fresh_url)
        check(fresh_url)
        engine = make_engine(fresh_url)
        tables = set(inspect(engine).get_table_names())
        engine.dispose()
    assert set(Base.metadata.tables) <= tables
