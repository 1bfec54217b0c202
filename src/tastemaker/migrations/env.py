from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from tastemaker.creator.models import NAME_TRIGRAMS, SEARCH_NAME_TRIGRAM_INDEX
from tastemaker.kit.db import make_engine
from tastemaker.models import Base

config = context.config
target_metadata = Base.metadata
# Made by DDL the comparison cannot read (operator classes, SQLite's FTS5 virtual table and
# the tables it keeps its index in); see creator.models.
OUTSIDE_METADATA = {SEARCH_NAME_TRIGRAM_INDEX}


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    if type_ == "table" and name is not None and name.startswith(NAME_TRIGRAMS):
        return False
    return not (type_ == "index" and name in OUTSIDE_METADATA)


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations() -> None:
    # A caller's connection (tests, kit.migrate with one open) or the configured URL.
    connection = config.attributes.get("connection")
    if connection is not None:
        _migrate(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _migrate(conn)
    engine.dispose()


run_migrations()
