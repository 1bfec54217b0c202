"""reports keep no figures derived from others: an audience check's fake-share interval,
a brand-safety scan's status and summary line

Revision ID: f1a2b3c4d5e6
Revises: d5d9cfac7de9
Create Date: 2026-11-21 23:00:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = 'f1a2b3c4d5e6'
down_revision = 'd5d9cfac7de9'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The interval is Wilson's of expected_fake_share x sample_size out of sample_size; the
    # status of a stored scan is always 'scanned', and its line is made from its figures.
    with op.batch_alter_table('audience_check', schema=None) as batch_op:
        batch_op.drop_column('expected_fake_share_low')
        batch_op.drop_column('expected_fake_share_high')
    with op.batch_alter_table('brand_safety_scan', schema=None) as batch_op:
        batch_op.drop_column('status')
        batch_op.drop_column('summary')


def downgrade() -> None:
    # Filled with placeholders: a downgraded database shows these again once rescanned.
    with op.batch_alter_table('brand_safety_scan', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('summary', sa.String(length=200), nullable=False, server_default='')
        )
        batch_op.add_column(
            sa.Column('status', sa.String(length=20), nullable=False, server_default='scanned')
        )
    with op.batch_alter_table('audience_check', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('expected_fake_share_high', sa.Float(), nullable=False, server_default='1')
        )
        batch_op.add_column(
            sa.Column('expected_fake_share_low', sa.Float(), nullable=False, server_default='0')
        )
