"""early warning: where a case happened (its place, normalised, and its township), and the warnings raised

Revision ID: 0013_early_warning
Revises: 0008_inbox
Create Date: 2026-12-02 19:00:00
"""
import sqlalchemy as sa
from alembic import op

from engine.db import UTCDateTime

revision = '0013_early_warning'
down_revision = '0008_inbox'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('dispute_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('place_key', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('township', sa.String(length=60), nullable=True))
        batch_op.create_index('ix_dispute_case_place_key', ['place_key'], unique=False)
        batch_op.create_index('ix_dispute_case_township', ['township'], unique=False)
    with op.batch_alter_table('case_party', schema=None) as batch_op:
        batch_op.create_index('ix_case_party_phone', ['phone'], unique=False)
    op.create_table(
        'early_warning',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('key', sa.String(length=250), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('case_ids', sa.JSON(), nullable=False),
        sa.Column('details', sa.JSON(), nullable=False),
        sa.Column('raised_at', UTCDateTime(), nullable=False),
        sa.Column('last_at', UTCDateTime(), nullable=False),
        sa.Column('ended_at', UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('id'))
    with op.batch_alter_table('early_warning', schema=None) as batch_op:
        batch_op.create_index('ix_early_warning_key', ['kind', 'key', 'last_at'], unique=False)
        batch_op.create_index('ix_early_warning_raised_at', ['raised_at'], unique=False)


def downgrade() -> None:
    op.drop_table('early_warning')
    with op.batch_alter_table('case_party', schema=None) as batch_op:
        batch_op.drop_index('ix_case_party_phone')
    with op.batch_alter_table('dispute_case', schema=None) as batch_op:
        batch_op.drop_index('ix_dispute_case_township')
        batch_op.drop_index('ix_dispute_case_place_key')
        batch_op.drop_column('township')
        batch_op.drop_column('place_key')
