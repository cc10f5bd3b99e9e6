"""Upgrading to tokens that expire: a token issued before keeps working for 90 more days, then stops."""
from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone

import pytest
from alembic import command
from sqlalchemy import text

from engine import schema, users
from engine.clock import ManualClock
from engine.db import make_engine
from engine.errors import Unauthorized
from engine.runtime import Runtime


def test_tokens_issued_before_the_upgrade_last_ninety_more_days(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    command.upgrade(schema.alembic_config(url), "0006_submitted")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO department (id, name, name_en, sort) VALUES ('center', '中心', 'Centre', 0)"))
        conn.execute(text("INSERT INTO app_user (id, username, display_name, password_hash, role, department_id, "
                          "active, created_at) VALUES (1, 'old_clerk', '老用户', '', 'clerk', 'center', 1, "
                          "'2026-01-01 00:00:00.000000')"))
        conn.execute(text("INSERT INTO api_token (user_id, token_hash, label, created_at, revoked) VALUES "
                          "(1, :hash, 'old', '2026-01-01 00:00:00.000000', 0)"),
                     {"hash": hashlib.sha256(b"an-old-token").hexdigest()})
    engine.dispose()
    schema.upgrade(url)
    now = datetime.now(timezone.utc)
    rt = Runtime.from_url(url, clock=ManualClock(now))
    assert users.actor_for_token(rt, "an-old-token").username == "old_clerk"
    (row,) = users.list_tokens(rt, users.SYSTEM, "old_clerk")
    assert timedelta(days=89) < row.expires_at - now <= timedelta(days=90)
    later = Runtime.from_url(url, clock=ManualClock(now + timedelta(days=91)))
    with pytest.raises(Unauthorized):
        users.actor_for_token(later, "an-old-token")
