"""account categories carry copies of platform, country and language; SQLite name trigrams

Revision ID: e5a9c3d17b42
Revises: d967ecfdb185
Create Date: 2026-11-21 21:10:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = 'e5a9c3d17b42'
down_revision = 'd967ecfdb185'
branch_labels = None
depends_on = None

PLATFORMS = (
    'instagram', 'tiktok', 'youtube', 'x', 'linkedin', 'twitch', 'facebook', 'pinterest',
    'snapchat', 'podcast', 'blog',
)
COPIED = ('platform', 'country', 'language')
# As creator.models.NAME_TRIGRAMS_DDL was when this migration was written.
NAME_TRIGRAMS_DDL = (
    "CREATE VIRTUAL TABLE creator_name_trigram USING fts5(display_name, content='creator',"
    " content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER creator_name_trigram_insert AFTER INSERT ON creator BEGIN"
    " INSERT INTO creator_name_trigram(rowid, display_name) VALUES (new.id, new.display_name);"
    " END",
    "CREATE TRIGGER creator_name_trigram_delete AFTER DELETE ON creator BEGIN"
    " INSERT INTO creator_name_trigram(creator_name_trigram, rowid, display_name)"
    " VALUES ('delete', old.id, old.display_name);"
    " END",
    "CREATE TRIGGER creator_name_trigram_update AFTER UPDATE OF display_name ON creator BEGIN"
    " INSERT INTO creator_name_trigram(creator_name_trigram, rowid, display_name)"
    " VALUES ('delete', old.id, old.display_name);"
    " INSERT INTO creator_name_trigram(rowid, display_name) VALUES (new.id, new.display_name);"
    " END",
)


def upgrade() -> None:
    with op.batch_alter_table('account_category', schema=None) as batch_op:
        batch_op.add_column(sa.Column(
            'platform',
            sa.Enum(*PLATFORMS, name='platform', native_enum=False, length=32),
            nullable=True,
        ))
        batch_op.add_column(sa.Column('country', sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))
        batch_op.drop_index('ix_account_category_figures')
    # The copies start equal to the accounts' columns; the writers keep them so.
    op.execute(
        "UPDATE account_category SET "
        + ", ".join(
            f"{name} = (SELECT p.{name} FROM platform_account p"
            " WHERE p.id = account_category.account_id)"
            for name in COPIED
        )
    )
    with op.batch_alter_table('account_category', schema=None) as batch_op:
        batch_op.create_index(
            'ix_account_category_figures',
            ['category', 'followers', 'account_id', 'engagement_rate', *COPIED],
            unique=False,
        )
    if op.get_bind().dialect.name == 'sqlite':
        for statement in NAME_TRIGRAMS_DDL:
            op.execute(statement)
        op.execute("INSERT INTO creator_name_trigram(creator_name_trigram) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for trigger in ('insert', 'delete', 'update'):
            op.execute(f"DROP TRIGGER creator_name_trigram_{trigger}")
        op.execute("DROP TABLE creator_name_trigram")
    with op.batch_alter_table('account_category', schema=None) as batch_op:
        batch_op.drop_index('ix_account_category_figures')
        batch_op.create_index(
            'ix_account_category_figures',
            ['category', 'followers', 'account_id', 'engagement_rate'],
            unique=False,
        )
        for name in reversed(COPIED):
            batch_op.drop_column(name)
