"""What changed between two versions: elements added, removed and changed, and in what; layout is not a change."""
from __future__ import annotations

from engine.studio.diff import diff_bundles

from ..conftest import WORKFLOWS

STAGE = "coordinated_resolution.bpmn"


def shipped() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in (WORKFLOWS / "bpmn").glob("*.bpmn")}


def test_the_same_files_have_no_changes_and_moving_shapes_is_not_one():
    files = shipped()
    moved = dict(files)
    moved[STAGE] = moved[STAGE].replace('<dc:Bounds x="310" y="60"', '<dc:Bounds x="330" y="80"')
    assert diff_bundles(files, moved) == {"added": [], "removed": [], "changed": []}


def test_a_renamed_task_a_new_condition_and_a_removed_element_are_each_listed_with_what_changed():
    files = shipped()
    changed = dict(files)
    text = changed[STAGE].replace('name="联动化解"', 'name="联动化解（新）"', 1)
    text = text.replace("<bpmn:conditionExpression>not resolved</bpmn:conditionExpression>",
                        "<bpmn:conditionExpression>not resolved and risk != 'red'</bpmn:conditionExpression>")
    text = text.replace('<spiffworkflow:property name="formKey" value="resolution_report"/>',
                        '<spiffworkflow:property name="formKey" value="resolution_report"/>'
                        '<spiffworkflow:property name="deadline" value="working_days(5)"/>')
    changed[STAGE] = text
    diff = diff_bundles(files, changed)
    by_id = {c["element_id"]: c["what"] for c in diff["changed"]}
    assert by_id["resolve"] == ["名称", "扩展属性"]
    assert by_id["f_cr_not_resolved"] == ["内容"]
    assert diff["added"] == [] and diff["removed"] == []
    fewer = {name: text for name, text in files.items() if name != "intake.bpmn"}
    removed = {c["element_id"] for c in diff_bundles(files, fewer)["removed"]}
    assert {"intake", "review_acceptance"} <= removed
    first = diff_bundles(None, files)
    assert not first["removed"] and {c["element_id"] for c in first["added"]} >= {"dispute_resolution", "resolve"}
