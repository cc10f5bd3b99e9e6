"""Before a version is published, the scenarios whose case runs through it are played against the draft: a
designer cannot publish while one fails and is told which step and why; an administrator may, with a written
reason that the audit log keeps beside the failures."""
from __future__ import annotations

from sqlalchemy import select

from engine.models import AuditEvent

MAIN = "dispute_resolution"
FULFILLED = "<bpmn:conditionExpression>performance == 'fulfilled'</bpmn:conditionExpression>"
BROKEN = "<bpmn:conditionExpression>performance == 'paid'</bpmn:conditionExpression>"
JSON = {"Accept": "application/json"}


def broken_draft(api) -> int:
    """A designer's saved draft whose follow-up no longer ends a fulfilled agreement; its revision."""
    files = api.get(f"/drafts/{MAIN}", as_="designer").json["files"]
    assert files["enforcement_followup.bpmn"].count(FULFILLED) == 1
    files["enforcement_followup.bpmn"] = files["enforcement_followup.bpmn"].replace(FULFILLED, BROKEN)
    saved = api.put(f"/drafts/{MAIN}", as_="designer", json={"files": files, "forms": {}, "revision": 0})
    assert saved.status_code == 200, saved.json
    return saved.json["revision"]


def publish(api, as_: str, revision: int, **extra):
    return api.post(f"/drafts/{MAIN}/publish", as_=as_, json={"revision": revision, "note": "回访分支调整", **extra})


def audit_kinds(rt) -> list[tuple[str, str, dict | None]]:
    with rt.unit_of_work(write=False) as session:
        return [(e.kind, e.actor, e.data) for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_the_draft_s_scenarios_show_the_failing_step_on_its_element(api):
    revision = broken_draft(api)
    run = api.post(f"/drafts/{MAIN}/scenarios", as_="designer", json={"revision": revision})
    assert run.status_code == 200, run.json
    assert (run.json["passed"], run.json["failed"]) == (1, 1)
    failed = next(r for r in run.json["results"] if not r["passed"])
    assert failed["file"] == "settled.yaml" and failed["failed_step"]["number"] == 10
    assert failed["failed_step"]["label"] == "办结 follow_up_visit"
    assert failed["failed_step"]["expectation"].startswith("期望 people_mediation 的待办中本案的任务为 [无]，"
                                                           "实际为 [advise_litigation]")
    [problem] = run.json["problems"]
    assert problem["rule"] == "scenario" and problem["severity"] == "error"
    assert (problem["element_id"], problem["file"]) == ("follow_up_visit", "enforcement_followup.bpmn")
    assert "第10步「办结 follow_up_visit」" in problem["message"]
    stale = api.post(f"/drafts/{MAIN}/scenarios", as_="designer", json={"revision": revision + 1})
    assert stale.status_code == 409
    assert api.post(f"/drafts/{MAIN}/scenarios", as_="police_clerk", json={"revision": revision}).status_code == 403


def test_a_designer_may_not_publish_with_a_failing_scenario_and_is_told_why(api, rt):
    revision = broken_draft(api)
    refused = publish(api, "designer", revision)
    assert refused.status_code == 403
    assert refused.json["message"].startswith("有 1 个场景测试未通过，不能发布：场景 一般纠纷调解成功")
    assert "须由系统管理员写明理由后发布" in refused.json["message"]
    assert refused.json["problems"][0]["element_id"] == "follow_up_visit"
    assert api.get(f"/drafts/{MAIN}", as_="designer").json["revision"] == revision  # the draft stays
    assert [d["version"] for d in api.get("/definitions", as_="designer").json["definitions"]
            if d["key"] == MAIN] == [1]
    assert not any(kind == "published_despite_scenarios" for kind, _, _ in audit_kinds(rt))


def test_an_administrator_publishes_despite_failures_only_with_a_reason_which_is_audited(api, rt):
    revision = broken_draft(api)
    no_reason = publish(api, "admin", revision)
    assert no_reason.status_code == 400
    assert "scenario_override_reason" in no_reason.json["fields"]
    assert publish(api, "admin", revision, scenario_override_reason="   ").status_code == 400

    published = publish(api, "admin", revision, scenario_override_reason="法院要求本周上线，回访场景下周修正")
    assert published.status_code == 201, published.json
    assert published.json["version"] == 2 and published.json["deployed_by"] == "admin"
    [(kind, actor, data)] = [e for e in audit_kinds(rt) if e[0] == "published_despite_scenarios"]
    assert actor == "admin" and data["reason"] == "法院要求本周上线，回访场景下周修正"
    assert data["key"] == MAIN and data["revision"] == revision
    assert "第10步「办结 follow_up_visit」" in data["failed"][0]
    assert api.get("/drafts", as_="designer").json["drafts"] == []


def test_a_draft_whose_scenarios_pass_is_published_by_a_designer_without_a_reason(api, rt):
    files = api.get(f"/drafts/{MAIN}", as_="designer").json["files"]
    files["intake.bpmn"] = files["intake.bpmn"].replace('name="受理审查"', 'name="受理审查（窗口）"', 1)
    saved = api.put(f"/drafts/{MAIN}", as_="designer", json={"files": files, "forms": {}, "revision": 0}).json
    assert api.post(f"/drafts/{MAIN}/scenarios", as_="designer",
                    json={"revision": saved["revision"]}).json["failed"] == 0
    published = publish(api, "designer", saved["revision"])
    assert published.status_code == 201, published.json
    assert not any(kind == "published_despite_scenarios" for kind, _, _ in audit_kinds(rt))


def test_the_studio_page_refuses_the_designer_and_accepts_the_administrator_with_a_reason(api, staff_as):
    revision = broken_draft(api)
    designer, admin = staff_as("designer"), staff_as("admin")
    url = f"/designer/studio/{MAIN}/publish"
    checked = designer.client.post(f"/designer/studio/{MAIN}/scenarios", json={"revision": revision},
                                   headers={**JSON, "X-CSRFToken": designer.csrf})
    assert checked.status_code == 200 and checked.get_json()["failed"] == 1
    refused = designer.client.post(url, json={"revision": revision, "note": "回访分支调整"},
                                   headers={**JSON, "X-CSRFToken": designer.csrf})
    assert refused.status_code == 403 and "场景测试未通过" in refused.get_json()["message"]
    assert refused.get_json()["problems"][0]["element_id"] == "follow_up_visit"
    accepted = admin.client.post(url, json={"revision": revision, "note": "回访分支调整",
                                            "scenario_override_reason": "先上线，下周修正"},
                                 headers={**JSON, "X-CSRFToken": admin.csrf})
    assert accepted.status_code == 201, accepted.get_json()
    assert accepted.get_json()["version"] == 2
