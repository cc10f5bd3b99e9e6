"""The deadline beside each inbox row reads exactly as Babel's own date formatting would write it, in both
languages, this year and another (the list writes them from the locale's names, once per request)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from flask_babel import force_locale, format_datetime

from engine.countdown import Countdown
from web.template_helpers import countdown_text, deadline_text

PATTERNS = {"zh": ("M月d日（EEE）HH:mm", "y年M月d日（EEE）HH:mm"), "en": ("EEE d MMM HH:mm", "EEE d MMM y HH:mm")}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_deadlines_read_as_babel_writes_them(app, clock, language):
    now = clock.now()
    # every weekday and month, both sides of midnight in Shanghai (16:00 UTC), this year and the next
    instants = [now + timedelta(days=d, hours=h) for d in range(0, 400, 9) for h in (0, 7, 15, 16, 23)]
    with app.test_request_context("/"), force_locale(language):
        for at in instants:
            this_year, other_year = PATTERNS[language]
            shanghai_year = at.astimezone(timezone(timedelta(hours=8))).year
            expected = format_datetime(at, this_year if shanghai_year == now.astimezone(
                timezone(timedelta(hours=8))).year else other_year)
            assert deadline_text(at, prefix=False) == expected, at
            assert expected in deadline_text(at)
            assert deadline_text(at) != expected  # with the “截止”/“Due” prefix


def test_the_prefix_and_the_countdown_words_follow_the_language(app):
    at = datetime(2026, 10, 13, 10, 0, tzinfo=timezone.utc)  # a Tuesday, 18:00 in Shanghai
    late = Countdown(overdue=True, due_soon=False, days=2, hours=0, minutes=0)
    with app.test_request_context("/"), force_locale("en"):
        assert deadline_text(at) == "Due Tue 13 Oct 18:00"
        assert countdown_text(late) == "2 days overdue"
        assert countdown_text(late) == "2 days overdue"  # the second time from the request's memory
    with app.test_request_context("/"), force_locale("zh"):
        assert deadline_text(at).endswith("10月13日（周二）18:00")
        assert "超期" in countdown_text(late) and "2" in countdown_text(late)
