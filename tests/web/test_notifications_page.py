"""The bell: unread count in the header, the list, marking read — each person sees only their own."""
from __future__ import annotations

import re


def bell_count(html: str) -> int:
    found = re.search(r'<span class="bell-count">(\d+)</span>', html)
    return int(found.group(1)) if found else 0


def test_the_bell_counts_new_work_and_marking_read_clears_it(staff_as, register):
    case = register()
    clerk = staff_as("center_clerk")
    assert bell_count(clerk.get("/inbox").get_data(as_text=True)) == 1
    page = clerk.get("/notifications").get_data(as_text=True)
    assert "新待办：受理审查" in page and case.case_no in page
    note_id = re.search(r'data-note-id="(\d+)"', page).group(1)
    # someone else cannot mark it read for them
    staff_as("center_head").post("/notifications/read", data={"id": note_id})
    assert bell_count(clerk.get("/inbox").get_data(as_text=True)) == 1
    response = clerk.post("/notifications/read", data={"id": note_id})
    assert response.status_code == 302
    assert bell_count(clerk.get("/inbox").get_data(as_text=True)) == 0
    assert 'data-note-id' not in clerk.get("/notifications?show=unread").get_data(as_text=True)


def test_marking_read_needs_the_csrf_token(staff_as, register):
    register()
    clerk = staff_as("center_clerk")
    assert clerk.client.post("/notifications/read", data={}).status_code == 400
    assert bell_count(clerk.get("/inbox").get_data(as_text=True)) == 1
