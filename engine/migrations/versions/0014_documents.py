"""documents of a case: a party's address, the templates an administrator replaced, the documents generated

Revision ID: 0014_documents
Revises: 0013_early_warning
Create Date: 2026-12-03 20:00:00
"""
import sqlalchemy as sa
from alembic import op

from engine.db import UTCDateTime

revision = '0014_documents'
down_revision = '0013_early_warning'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('case_party', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address', sa.String(length=200), nullable=True))
    op.create_table(
        'document_template',
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('uploaded_by', sa.String(length=80), nullable=False),
        sa.Column('uploaded_at', UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('kind'))
    op.create_table(
        'case_document',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('number', sa.String(length=60), nullable=True),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=True),
        sa.Column('has_pdf', sa.Boolean(), nullable=False),
        sa.Column('generated_by', sa.String(length=80), nullable=False),
        sa.Column('generated_at', UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['dispute_case.id']),
        sa.PrimaryKeyConstraint('id'))
    with op.batch_alter_table('case_document', schema=None) as batch_op:
        batch_op.create_index('ix_case_document_case_id', ['case_id'], unique=False)


def downgrade() -> None:
    op.drop_table('case_document')
    op.drop_table('document_template')
    with op.batch_alter_table('case_party', schema=None) as batch_op:
        batch_op.drop_column('address')
