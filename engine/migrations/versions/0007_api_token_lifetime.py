"""api token lifetime: when a token expires, when it was last used and when it was revoked

Revision ID: 0007_token_lifetime
Revises: 0006_submitted
Create Date: 2026-12-02 15:30:00
"""
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from alembic import op

import engine.db

revision = '0007_token_lifetime'
down_revision = '0006_submitted'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', engine.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('last_used_at', engine.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('revoked_at', engine.db.UTCDateTime(), nullable=True))
    # Tokens issued before tokens expired last another 90 days from the upgrade, so nothing stops at once.
    until = datetime.now(timezone.utc).replace(tzinfo=None) + timedelta(days=90)
    op.execute(sa.text("UPDATE api_token SET expires_at = :until WHERE expires_at IS NULL")
               .bindparams(sa.bindparam("until", until, type_=sa.DateTime())))


def downgrade() -> None:
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_column('revoked_at')
        batch_op.drop_column('last_used_at')
        batch_op.drop_column('expires_at')
