"""account categories carry copies of the account's followers and engagement rate

Revision ID: c4e8a1f2b9d7
Revises: 7d2f5a8c1e63
Create Date: 2026-11-21 09:40:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = 'c4e8a1f2b9d7'
down_revision = '7d2f5a8c1e63'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('account_category', schema=None) as batch_op:
        batch_op.add_column(sa.Column('followers', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('engagement_rate', sa.Float(), nullable=True))
        batch_op.drop_index('ix_account_category_category_account')
    # The copies start equal to the accounts' figures; the writers keep them so.
    op.execute(
        "UPDATE account_category SET"
        " followers = (SELECT p.followers FROM platform_account p"
        " WHERE p.id = account_category.account_id),"
        " engagement_rate = (SELECT p.engagement_rate FROM platform_account p"
        " WHERE p.id = account_category.account_id)"
    )
    with op.batch_alter_table('account_category', schema=None) as batch_op:
        batch_op.create_index(
            'ix_account_category_figures',
            ['category', 'followers', 'account_id', 'engagement_rate'],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table('account_category', schema=None) as batch_op:
        batch_op.drop_index('ix_account_category_figures')
        batch_op.create_index(
            'ix_account_category_category_account', ['category', 'account_id'], unique=False
        )
        batch_op.drop_column('engagement_rate')
        batch_op.drop_column('followers')
