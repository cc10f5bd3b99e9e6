"""board indexes: completed items by time (on-time rates), notices by the item they supervise

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 18:00:00
"""
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('work_item', schema=None) as batch_op:
        batch_op.create_index('ix_work_item_completed', ['state', 'completed_at'], unique=False)
        batch_op.create_index('ix_work_item_subject', ['subject_item_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('work_item', schema=None) as batch_op:
        batch_op.drop_index('ix_work_item_subject')
        batch_op.drop_index('ix_work_item_completed')
