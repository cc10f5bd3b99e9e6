"""repair: incidents (a case's failed engine step) and the time a case was suspended

Revision ID: 0016_repair
Revises: 0015_statistics
Create Date: 2026-12-03 20:00:00
"""
import sqlalchemy as sa
from alembic import op

from engine.db import UTCDateTime

revision = '0016_repair'
down_revision = '0015_statistics'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('dispute_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('suspended_at', UTCDateTime(), nullable=True))
    op.create_table(
        'incident',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('timer_id', sa.Integer(), nullable=True),
        sa.Column('element_id', sa.String(length=100), nullable=True),
        sa.Column('element_name', sa.String(length=200), nullable=False),
        sa.Column('message', sa.String(length=1000), nullable=False),
        sa.Column('occurred_at', UTCDateTime(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('resolved_by', sa.String(length=80), nullable=True),
        sa.Column('resolved_at', UTCDateTime(), nullable=True),
        sa.Column('resolution', sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id']),
        sa.ForeignKeyConstraint(['timer_id'], ['timer.id']),
        sa.PrimaryKeyConstraint('id'))
    with op.batch_alter_table('incident', schema=None) as batch_op:
        batch_op.create_index('ix_incident_case_id', ['case_id'], unique=False)
        batch_op.create_index('ix_incident_state', ['state', 'occurred_at'], unique=False)


def downgrade() -> None:
    op.drop_table('incident')
    with op.batch_alter_table('dispute_case', schema=None) as batch_op:
        batch_op.drop_column('suspended_at')
