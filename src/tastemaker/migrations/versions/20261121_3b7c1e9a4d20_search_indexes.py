"""search indexes: covering sort keys and a trigram index for names (PostgreSQL only)

Revision ID: 3b7c1e9a4d20
Revises: 00862588fd5a
Create Date: 2026-11-21 16:30:00
"""

from __future__ import annotations

from alembic import op

revision = "3b7c1e9a4d20"
down_revision = "00862588fd5a"
branch_labels = None
depends_on = None

# The filter indexes of platform_account that carry the sort keys (creator.models._SORT_KEYS).
COVERING = {
    "ix_platform_account_platform_followers": ["platform", "followers", "id"],
    "ix_platform_account_country_followers": ["country", "followers", "id"],
    "ix_platform_account_language_followers": ["language", "followers", "id"],
    "ix_platform_account_followers": ["followers", "id"],
}
SORT_KEYS = ["engagement_rate", "updated_at", "creator_id"]


def _recreate(include: list[str]) -> None:
    for name, columns in COVERING.items():
        op.drop_index(name, table_name="platform_account")
        op.create_index(
            name, "platform_account", columns, unique=False, postgresql_include=include
        )


def upgrade() -> None:
    # SQLite has neither INCLUDE nor trigram indexes: nothing changes there.
    if op.get_bind().dialect.name != "postgresql":
        return
    _recreate(SORT_KEYS)
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(
        "CREATE INDEX ix_creator_search_name_trgm ON creator USING gin (search_name gin_trgm_ops)"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_creator_search_name_trgm", table_name="creator")
    _recreate([])
