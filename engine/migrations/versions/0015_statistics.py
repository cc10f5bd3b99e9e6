"""statistics: the monthly and quarterly reports as generated; cases indexed by when they were registered and closed

Revision ID: 0015_statistics
Revises: 0014_documents
Create Date: 2026-12-03 20:00:00
"""
import sqlalchemy as sa
from alembic import op

from engine.db import UTCDateTime

revision = '0015_statistics'
down_revision = '0014_documents'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('dispute_case', schema=None) as batch_op:
        batch_op.create_index('ix_dispute_case_created_at', ['created_at'], unique=False)
        batch_op.create_index('ix_dispute_case_closed_at', ['closed_at'], unique=False)
    op.create_table(
        'statistics_report',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('period_end', sa.Date(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('generated_at', UTCDateTime(), nullable=False),
        sa.Column('generated_by', sa.String(length=80), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint('id'))
    with op.batch_alter_table('statistics_report', schema=None) as batch_op:
        batch_op.create_index('ix_statistics_report_period', ['kind', 'period_start'], unique=False)
        batch_op.create_index('ix_statistics_report_generated_at', ['generated_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('statistics_report', schema=None) as batch_op:
        batch_op.drop_index('ix_statistics_report_generated_at')
        batch_op.drop_index('ix_statistics_report_period')
    op.drop_table('statistics_report')
    with op.batch_alter_table('dispute_case', schema=None) as batch_op:
        batch_op.drop_index('ix_dispute_case_closed_at')
        batch_op.drop_index('ix_dispute_case_created_at')
