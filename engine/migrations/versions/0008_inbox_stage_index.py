"""inbox stage index: the stages and stage names of open cases, read by the inbox's stage filter

Revision ID: 0008_inbox_stages
Revises: 0007_token_lifetime
Create Date: 2026-12-02 16:30:00
"""
from alembic import op

revision = '0008_inbox_stages'
down_revision = '0007_token_lifetime'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('dispute_case', schema=None) as batch_op:
        batch_op.create_index('ix_dispute_case_stage', ['status', 'stage', 'stage_name'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('dispute_case', schema=None) as batch_op:
        batch_op.drop_index('ix_dispute_case_stage')
