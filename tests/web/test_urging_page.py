"""催办 from the task page: a supervisor presses the department in a few words; its staff see the record."""
from __future__ import annotations

from engine import notifications
from tests.api.pipeline import accept_and_assess, complete, dispatch, item, register


def test_a_supervisor_presses_from_the_task_page_and_the_department_reads_it(api, rt, who, staff_as):
    case_no = register(api)["case_no"]
    accept_and_assess(api, case_no)
    complete(api, case_no, "dispatch", "center_head", dispatch())
    target = item(api, case_no, "accept_dispatch", "people_mediation_clerk")

    supervisor = staff_as("supervisor")
    page = supervisor.get(f"/tasks/{target['id']}").get_data(as_text=True)
    assert 'data-testid="urge-form"' in page
    pressed = supervisor.post(f"/inbox/items/{target['id']}/urge",
                              data={"text": "请今日内接单", "next": f"/tasks/{target['id']}"})
    assert pressed.status_code == 302 and pressed.headers["Location"].endswith(f"/tasks/{target['id']}")
    page = supervisor.get(f"/tasks/{target['id']}").get_data(as_text=True)
    assert "已催办" in page and "请今日内接单" in page

    clerk = staff_as("people_mediation_clerk")
    page = clerk.get(f"/tasks/{target['id']}").get_data(as_text=True)
    assert 'data-testid="urge-form"' not in page
    assert 'data-testid="pressings"' in page and "请今日内接单" in page
    head_notes = notifications.for_user(rt, who("people_mediation_head"))
    assert any(n.text.endswith("— 请今日内接单") for n in head_notes)
    bell = staff_as("people_mediation_head").get("/notifications").get_data(as_text=True)
    assert "请今日内接单" in bell
