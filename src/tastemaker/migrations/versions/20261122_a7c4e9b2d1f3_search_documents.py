"""search documents: each account's bio and recent captions with their embedding, and the
token that tells every process its in-memory index is stale

Revision ID: a7c4e9b2d1f3
Revises: f1a2b3c4d5e6
Create Date: 2026-11-22 00:30:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tastemaker.kit.time


revision = 'a7c4e9b2d1f3'
down_revision = 'f1a2b3c4d5e6'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Documents are written by `tastemaker creators index` (and by every import after this):
    # an upgraded database ranks nothing by description until it has run once.
    op.create_table(
        'search_document',
        sa.Column(
            'account_id',
            sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
            nullable=False,
        ),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('model', sa.String(length=80), nullable=False),
        sa.Column('vector', sa.LargeBinary(), nullable=False),
        sa.Column('indexed_at', tastemaker.kit.time.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['account_id'],
            ['platform_account.id'],
            name=op.f('fk_search_document_account_id_platform_account'),
            ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('account_id', name=op.f('pk_search_document')),
    )
    op.create_table(
        'search_index_state',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.Column('changed_at', tastemaker.kit.time.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_search_index_state')),
    )


def downgrade() -> None:
    op.drop_table('search_index_state')
    op.drop_table('search_document')
