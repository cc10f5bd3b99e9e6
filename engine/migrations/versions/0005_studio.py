"""studio: executable text, forms snapshot, note and changes of a version; drafts, form versions, group mapping

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 09:00:00
"""
import sqlalchemy as sa
from alembic import op

from engine.db import UTCDateTime

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('definition', schema=None) as batch_op:
        batch_op.add_column(sa.Column('executable', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('forms', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('note', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('changes', sa.JSON(), nullable=True))
    with op.batch_alter_table('definition', schema=None) as batch_op:
        batch_op.alter_column('note', server_default=None)
    op.create_table(
        'process_draft',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('files', sa.JSON(), nullable=False),
        sa.Column('forms', sa.JSON(), nullable=False),
        sa.Column('base_definition_id', sa.Integer(), nullable=True),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.Column('updated_by', sa.String(length=80), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['base_definition_id'], ['definition.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('key'),
    )
    op.create_table(
        'form_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('schema', sa.JSON(), nullable=False),
        sa.Column('published_at', UTCDateTime(), nullable=False),
        sa.Column('published_by', sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('key', 'version'),
    )
    with op.batch_alter_table('form_version', schema=None) as batch_op:
        batch_op.create_index('ix_form_version_key', ['key'], unique=False)
    op.create_table(
        'group_mapping',
        sa.Column('group_name', sa.String(length=100), nullable=False),
        sa.Column('department_id', sa.String(length=40), nullable=False),
        sa.Column('updated_by', sa.String(length=80), nullable=False),
        sa.Column('updated_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['department_id'], ['department.id']),
        sa.PrimaryKeyConstraint('group_name'),
    )


def downgrade() -> None:
    op.drop_table('group_mapping')
    with op.batch_alter_table('form_version', schema=None) as batch_op:
        batch_op.drop_index('ix_form_version_key')
    op.drop_table('form_version')
    op.drop_table('process_draft')
    with op.batch_alter_table('definition', schema=None) as batch_op:
        batch_op.drop_column('changes')
        batch_op.drop_column('note')
        batch_op.drop_column('forms')
        batch_op.drop_column('executable')
