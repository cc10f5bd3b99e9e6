"""The studio's gate before publishing: the scenarios whose case runs through the draft's processes are
played against the draft as saved; with a failure only an administrator may publish, giving a written
reason, which is audited with the failures in the publishing transaction."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..bpmn.meta import BPMN
from ..bpmn.xml import parse_xml
from ..definitions import DefinitionInfo, list_definitions
from ..errors import DefinitionRejected, Forbidden, Invalid
from ..permissions import check_can_deploy
from ..runtime import Runtime
from ..studio import drafts
from ..users import Actor
from .format import Scenario, ScenarioError, load_file, scenario_files
from .runner import ScenarioResult, run_all
from .sources import draft_of

RULE = "scenario"
OVERRIDE_FIELD = "scenario_override_reason"
MAX_REASON = 2000


@dataclass(frozen=True)
class ScenarioCheck:
    key: str
    revision: int
    results: list[ScenarioResult]

    @property
    def failed(self) -> list[ScenarioResult]:
        return [r for r in self.results if not r.passed]

    def problems(self) -> list[dict]:
        """Each failing scenario as a problem on the element of its failing step, as the checks draw them."""
        found = []
        for result in self.failed:
            step = result.failed_step
            if step is None:
                found.append({"rule": RULE, "severity": "error", "message": f"{result.file}：{result.error}",
                              "file": None, "element_id": None, "line": None})
                continue
            found.append({"rule": RULE, "severity": "error",
                          "message": f"场景 {result.name}（{Path(result.file).name}）第{step.number}步"
                                     f"「{step.label}」：{step.failure.text}",
                          "file": step.file or None, "element_id": step.failure.element_id, "line": None})
        return found

    def as_dict(self) -> dict:
        return {"key": self.key, "revision": self.revision, "passed": len(self.results) - len(self.failed),
                "failed": len(self.failed), "results": [r.as_dict() for r in self.results],
                "problems": self.problems()}


def _process_ids(files: dict[str, str]) -> set[str]:
    ids: set[str] = set()
    for name, text in files.items():
        if name.endswith(".bpmn"):
            root = parse_xml(text.encode("utf-8"), name)
            ids.update(p.get("id") for p in root.iter(f"{{{BPMN}}}process") if p.get("id"))
    return ids


def touching(rt: Runtime, key: str, files: dict[str, str], scenario_dir: Path, by: Actor) -> list:
    """The scenarios (or their parse failures) whose case starts in, or calls, a process of the draft."""
    draft_ids = _process_ids(files) | {key}
    bundles = {d.key: set(d.process_ids) for d in list_definitions(rt, by)}
    chosen: list[Scenario | ScenarioResult] = []
    for path in scenario_files([scenario_dir]) if scenario_dir.is_dir() else []:
        try:
            scenario = load_file(path, path.name)
        except ScenarioError as exc:
            chosen.append(ScenarioResult(path.name, path.stem, error=exc.message))
            continue
        if scenario.process in draft_ids or bundles.get(scenario.process, set()) & draft_ids:
            chosen.append(scenario)
    return chosen


def check_draft(rt: Runtime, key: str, revision: int, by: Actor, workflows: Path) -> ScenarioCheck:
    """Play the scenarios touching the draft of `key` (as saved at `revision`) against it."""
    check_can_deploy(by)
    source = draft_of(rt, workflows, key, revision, by)
    files = dict(source.overlays[0].files)
    scenarios = touching(rt, key, files, workflows / "scenarios", by)
    try:
        results = run_all(scenarios, source)
    except DefinitionRejected as exc:  # the draft itself does not deploy: the checks already say why
        results = [ScenarioResult(s.file, s.name, error=f"草稿无法部署：{exc.message}") if isinstance(s, Scenario)
                   else s for s in scenarios]
    return ScenarioCheck(key, revision, results)


def publish(rt: Runtime, key: str, revision: int, note: str, by: Actor, workflows: Path,
            override_reason: str | None = None) -> tuple[DefinitionInfo, ScenarioCheck]:
    """Publish the draft if its scenarios pass; with failures only an administrator may, with a reason."""
    check_can_deploy(by)
    reason = (override_reason or "").strip()
    if len(reason) > MAX_REASON:
        raise Invalid(f"理由不能超过 {MAX_REASON} 字", {OVERRIDE_FIELD: [f"不能超过 {MAX_REASON} 字"]})
    draft = drafts.get_draft(rt, key, by)
    if not (note or "").strip() or draft.revision != revision or \
            any(p["severity"] == "error" for p in draft.problems):
        # publishing refuses it, saying why (a newer revision, or the checks' errors), before any scenario runs
        return drafts.publish_draft(rt, key, revision, note, by), ScenarioCheck(key, revision, [])
    check = check_draft(rt, key, revision, by, workflows)
    failed = check.failed
    extra_audit = None
    if failed:
        first = check.problems()[0]["message"]
        if by.role != "admin":
            raise Forbidden(f"有 {len(failed)} 个场景测试未通过，不能发布：{first}。请修正流程后重新检查；"
                            "确需发布的，须由系统管理员写明理由后发布", problems=check.problems())
        if not reason:
            raise Invalid(f"有 {len(failed)} 个场景测试未通过：管理员发布须写明理由（{first}）",
                          {OVERRIDE_FIELD: ["场景测试未通过时必须填写发布理由"]}, problems=check.problems())
        extra_audit = {"kind": "published_despite_scenarios",
                       "summary": f"场景测试未通过仍发布流程 {key}：{reason}"[:500],
                       "data": {"key": key, "revision": revision, "reason": reason,
                                "failed": [p["message"] for p in check.problems()]}}
    info = drafts.publish_draft(rt, key, revision, note, by, extra_audit=extra_audit)
    return info, check
