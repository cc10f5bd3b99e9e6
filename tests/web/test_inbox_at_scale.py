"""A department with more open items than anyone counts: the tabs say "999+", the pager "20+" pages, and the
list still starts with the most overdue item and can be paged through."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import insert, select

from engine.models import Case, WorkItem

ITEMS = 1_100


def fill_housing(rt, register, clock) -> None:
    """ITEMS open items in the housing bureau, each on its own case, due one hour apart (the first overdue)."""
    pattern = register()
    now = clock.now()
    with rt.unit_of_work() as session:
        definition_id = session.scalar(select(Case.definition_id).where(Case.case_no == pattern.case_no))
        cases = [dict(id=10_000 + n, case_no=f"2026-9{n:05d}", definition_id=definition_id, status="open",
                      stage="referral", stage_name="分流督办", title=f"第{n}件", dispute_type="neighbour",
                      channel="walk_in", party_names=f"甲{n}、乙{n}", created_by="test", created_at=now,
                      updated_at=now) for n in range(ITEMS)]
        items = [dict(case_id=10_000 + n, task_id=f"scale-{n}", element_id="accept_dispatch", process_id="referral",
                      title="接单", form_key="accept_dispatch", department_id="housing", state="open",
                      created_at=now, due_at=now + timedelta(hours=n - 3), escalation_level=0)
                 for n in range(ITEMS)]
        session.execute(insert(Case), cases)
        session.execute(insert(WorkItem), items)


def test_tabs_and_pager_stop_counting_past_a_thousand(rt, register, clock, staff_as):
    fill_housing(rt, register, clock)
    clerk = staff_as("housing_clerk")
    page = clerk.get("/inbox").get_data(as_text=True)
    counts = dict(re.findall(r'data-scope="(\w+)"[^>]*>[^<]*<span class="count">([^<]+)</span>', page))
    assert counts == {"mine": "0", "unclaimed": "999+", "department": "999+"}
    assert "第 1 页，共 20+ 页" in page
    first_rows = re.findall(r'data-case-no="([^"]+)"', page)
    assert first_rows[:2] == ["2026-900000", "2026-900001"]  # overdue first, by how late
    assert len(first_rows) == 50

    deep = clerk.get("/inbox?page=20").get_data(as_text=True)
    assert "第 20 页，共 21+ 页" in deep  # counted one page further, still not to the end
    assert re.findall(r'data-case-no="([^"]+)"', deep)[0] == "2026-900950"
    last = clerk.get("/inbox?page=22").get_data(as_text=True)
    assert re.findall(r'data-case-no="([^"]+)"', last) == [f"2026-9{n:05d}" for n in range(1050, ITEMS)]
    assert "第 22 页，共 22 页" in last  # the last page counts them all

    english = staff_as("housing_clerk", "en").get("/inbox").get_data(as_text=True)
    assert "Page 1 of 20+" in english
