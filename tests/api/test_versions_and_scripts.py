"""Running cases keep their definition version; a diagram script that misbehaves fails safely."""
from __future__ import annotations

from .pipeline import INTAKE
from .test_definitions import tiny, upload


def start_tiny(api) -> str:
    response = api.post("/cases?process=tiny_process", as_="center_clerk", json=INTAKE)
    assert response.status_code == 201, response.json
    return response.json["case_no"]


def test_a_running_case_keeps_the_version_it_started_on(api):
    assert upload(api, ("tiny.bpmn", tiny("total = 1"))).json["version"] == 1
    old_case = start_tiny(api)
    assert upload(api, ("tiny.bpmn", tiny("notify('info', '第二版')"))).json["version"] == 2
    new_case = start_tiny(api)
    for case_no in (old_case, new_case):
        item = api.get(f"/cases/{case_no}", as_="supervisor").json["open_items"][0]
        done = api.post(f"/work-items/{item['id']}/complete", as_="center_clerk", json={"data": {}})
        assert done.status_code == 200 and done.json["status"] == "closed"
    old, new = (api.get(f"/cases/{n}", as_="supervisor").json for n in (old_case, new_case))
    assert (old["definition_version"], new["definition_version"]) == (1, 2)
    assert "notice_info" not in [h["kind"] for h in old["history"]]
    assert "notice_info" in [h["kind"] for h in new["history"]]


def test_a_script_that_breaks_out_at_run_time_fails_with_the_element_and_saves_nothing(api):
    # Passes the static checks, but str.format would reach __class__: refused while running.
    assert upload(api, ("tiny.bpmn", tiny("leak = '{0.__class__}'.format(total)"))).status_code == 201
    case_no = start_tiny(api)
    before = api.get(f"/cases/{case_no}", as_="supervisor").json
    item = before["open_items"][0]
    response = api.post(f"/work-items/{item['id']}/complete", as_="center_clerk", json={"data": {}})
    assert response.status_code == 400
    assert response.json["element_id"] == "calc"
    after = api.get(f"/cases/{case_no}", as_="supervisor").json
    assert after["version"] == before["version"]
    assert [i["id"] for i in after["open_items"]] == [item["id"]]
    assert [h["kind"] for h in after["history"]] == ["case_started"]


def test_an_endless_loop_in_a_script_is_stopped_and_saves_nothing(api):
    # it reads the case's data, so deploy cannot try it; one that reads nothing is refused at deploy
    assert upload(api, ("tiny.bpmn", tiny("while data_value('stop') is None:\n    total = 1"))).status_code == 201
    case_no = start_tiny(api)
    item = api.get(f"/cases/{case_no}", as_="supervisor").json["open_items"][0]
    response = api.post(f"/work-items/{item['id']}/complete", as_="center_clerk", json={"data": {}})
    assert response.status_code == 400 and response.json["element_id"] == "calc"
    assert api.get(f"/cases/{case_no}", as_="supervisor").json["version"] == 1
