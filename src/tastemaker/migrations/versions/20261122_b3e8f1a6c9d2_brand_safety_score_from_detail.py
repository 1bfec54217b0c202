"""a brand-safety scan's score and highest level are read from its score detail and
categories, which hold them already

Revision ID: b3e8f1a6c9d2
Revises: a7c4e9b2d1f3
Create Date: 2026-11-22 02:00:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = 'b3e8f1a6c9d2'
down_revision = 'a7c4e9b2d1f3'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('brand_safety_scan', schema=None) as batch_op:
        batch_op.drop_column('score')
        batch_op.drop_column('highest_level')


def downgrade() -> None:
    with op.batch_alter_table('brand_safety_scan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('highest_level', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('score', sa.Float(), nullable=True))
    # The score comes back from the detail; the highest level would need the levels'
    # ranks, so a downgraded database shows it again once rescanned.
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            "UPDATE brand_safety_scan SET score = (score_detail::json ->> 'value')::float"
            " WHERE score_detail IS NOT NULL"
        )
    else:
        op.execute(
            "UPDATE brand_safety_scan SET score = json_extract(score_detail, '$.value')"
            " WHERE score_detail IS NOT NULL"
        )
