"""deadlines: supervision notices, per-user notifications, webhook outbox, scheduler lease, settings

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 15:00:00
"""
import sqlalchemy as sa
from alembic import op

import engine.db

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('work_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notice_no', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('subject_item_id', sa.Integer(), nullable=True))
        batch_op.create_unique_constraint('uq_work_item_notice_no', ['notice_no'])
        batch_op.create_foreign_key('fk_work_item_subject', 'work_item', ['subject_item_id'], ['id'])
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('work_item_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('read_at', engine.db.UTCDateTime(), nullable=True))
        batch_op.create_foreign_key('fk_notification_user', 'app_user', ['user_id'], ['id'])
        batch_op.create_foreign_key('fk_notification_work_item', 'work_item', ['work_item_id'], ['id'])
        batch_op.create_index('ix_notification_user', ['user_id', 'read_at', 'at'], unique=False)
    op.create_table('webhook_delivery',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('created_at', engine.db.UTCDateTime(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', engine.db.UTCDateTime(), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('delivered_at', engine.db.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('event_id')
    )
    op.create_index('ix_webhook_due', 'webhook_delivery', ['state', 'next_attempt_at'], unique=False)
    op.create_table('scheduler_lease',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('holder', sa.String(length=200), nullable=False),
    sa.Column('acquired_at', engine.db.UTCDateTime(), nullable=False),
    sa.Column('expires_at', engine.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('setting',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('notice_counter',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('year')
    )


def downgrade() -> None:
    op.drop_table('notice_counter')
    op.drop_table('setting')
    op.drop_table('scheduler_lease')
    op.drop_index('ix_webhook_due', table_name='webhook_delivery')
    op.drop_table('webhook_delivery')
    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notification_user')
        batch_op.drop_constraint('fk_notification_work_item', type_='foreignkey')
        batch_op.drop_constraint('fk_notification_user', type_='foreignkey')
        batch_op.drop_column('read_at')
        batch_op.drop_column('work_item_id')
        batch_op.drop_column('user_id')
    with op.batch_alter_table('work_item', schema=None) as batch_op:
        batch_op.drop_constraint('fk_work_item_subject', type_='foreignkey')
        batch_op.drop_constraint('uq_work_item_notice_no', type_='unique')
        batch_op.drop_column('subject_item_id')
        batch_op.drop_column('notice_no')
