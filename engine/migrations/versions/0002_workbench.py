"""workbench: task drafts, sign-in attempts, case comments and evidence attachments

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 09:00:00
"""
import sqlalchemy as sa
from alembic import op

import engine.db

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('work_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draft', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('draft_saved_at', engine.db.UTCDateTime(), nullable=True))
    op.create_table('login_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('at', engine.db.UTCDateTime(), nullable=False),
    sa.Column('succeeded', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.create_index('ix_login_attempt_user', ['username', 'at'], unique=False)
        batch_op.create_index('ix_login_attempt_address', ['address', 'at'], unique=False)
    op.create_table('case_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('at', engine.db.UTCDateTime(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['app_user.id'], ),
    sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('case_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_comment_case_id'), ['case_id'], unique=False)
    op.create_table('case_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', engine.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id'], ),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['app_user.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('case_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_attachment_case_id'), ['case_id'], unique=False)


def downgrade() -> None:
    op.drop_table('case_attachment')
    op.drop_table('case_comment')
    op.drop_table('login_attempt')
    with op.batch_alter_table('work_item', schema=None) as batch_op:
        batch_op.drop_column('draft_saved_at')
        batch_op.drop_column('draft')
