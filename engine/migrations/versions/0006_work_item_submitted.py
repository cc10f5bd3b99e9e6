"""work item submitted: the form data each completion handed in, kept on its own item for the case file

Revision ID: 0006_submitted
Revises: 0005
Create Date: 2026-12-02 06:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0006_submitted'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('work_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('work_item', schema=None) as batch_op:
        batch_op.drop_column('submitted')
