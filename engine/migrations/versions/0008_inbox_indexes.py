"""inbox indexes: a department's open items by holder (the tab counts), open cases' stages (the stage filter)

Revision ID: 0008_inbox
Revises: 0007_token_lifetime
Create Date: 2026-12-02 16:30:00
"""
from alembic import op

revision = '0008_inbox'
down_revision = '0007_token_lifetime'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('work_item', schema=None) as batch_op:
        batch_op.create_index('ix_work_item_tabs', ['department_id', 'state', 'assignee_id', 'required_role'],
                              unique=False)
    with op.batch_alter_table('dispute_case', schema=None) as batch_op:
        batch_op.create_index('ix_dispute_case_stage', ['status', 'stage', 'stage_name'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('dispute_case', schema=None) as batch_op:
        batch_op.drop_index('ix_dispute_case_stage')
    with op.batch_alter_table('work_item', schema=None) as batch_op:
        batch_op.drop_index('ix_work_item_tabs')
