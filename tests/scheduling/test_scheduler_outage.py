"""A beat while the database is out of reach skips with one warning line, and the next beat after it is back fires."""
from __future__ import annotations

import logging
import shutil

from engine import schema
from engine.clock import ManualClock
from engine.runtime import Runtime
from engine.scheduler import TimerScheduler


def test_a_beat_during_an_outage_logs_one_warning_and_the_next_one_works(tmp_path, caplog):
    folder = tmp_path / "volume"
    folder.mkdir()
    url = f"sqlite:///{folder / 'yizhan.db'}"
    schema.upgrade(url)
    away = tmp_path / "volume-away"
    shutil.move(folder, away)
    rt = Runtime.from_url(url)
    scheduler = TimerScheduler(rt, wall_clock=ManualClock())
    try:
        with caplog.at_level(logging.WARNING):
            assert scheduler.beat() == 0
        assert [r.levelno for r in caplog.records] == [logging.WARNING]
        assert "database unavailable" in caplog.records[0].getMessage() and not caplog.records[0].exc_info
        shutil.move(away, folder)
        caplog.clear()
        assert scheduler.beat() == 0  # nothing is due, and nothing went wrong
        assert not caplog.records
    finally:
        rt.session_factory.kw["bind"].dispose()
