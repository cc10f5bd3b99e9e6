"""Put one loaded case's task tree onto another version's specs, in memory.

SpiffWorkflow's `SpiffWorkflow.bpmn.util.diff` aligns the task specs of two versions (`SpecDiff`: by id,
then by shape for an element whose id changed) and tells which aligned specs changed. Its alignment by id is
used here; its match by shape is not: with the shipped intake stage's 受理审查 given another id it paired the
old 发送临期提醒 with the new 报告领导, which would move a case onto the wrong task, so a case waiting on an
element whose id changed is told that element was removed. Its `migrate_workflow` is not used either: it
resets the branch below every ready and waiting task, which clears their `internal_data` (a waiting timer's
due time, so every deadline would be counted again from the day of the migration), copies the parent's data
over the task's own and makes the task ready again (its pre-script runs a second time). Here
the tasks the case stands on keep their ids, data and due times; only the tasks predicted below them, which
nothing has reached, are drawn again from the new version where the path ahead changed.

Only what the stored state holds can be judged: the finished history pruned from it (engine/bpmn/pruning.py)
is no longer part of the case's run, so an element removed there stands in nobody's way; the finished tasks
the state keeps (a split a join still looks up, the anchor the unfinished tasks hang from) are what the case
depends on, and one of those removed keeps the case where it is.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import CallActivity
from SpiffWorkflow.bpmn.util.diff import SpecDiff
from SpiffWorkflow.util.task import TaskState

from ..bpmn.bundle import ParsedBundle
from . import reasons as why

LIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED
UNREACHED = TaskState.FUTURE | TaskState.PREDICTED_MASK


@dataclass
class _Part:
    """The top workflow or one running subprocess, with the diff of its spec against the new version's."""

    workflow: object
    diff: SpecDiff
    new_spec: object

    def aligned(self, spec):
        """The new version's spec of the same element, or None. SpecDiff's match by shape, for an element whose
        id changed, is not taken: see the module's docstring."""
        candidate = self.diff.alignment.get(spec) if spec in self.diff.alignment else None
        if candidate is not None and candidate.name == spec.name:
            return candidate
        return self.new_spec.task_specs.get(spec.name)


@dataclass
class Plan:
    """What moving one case would do: the reasons it cannot, or the parts to realign and the live tasks whose
    predicted path ahead is to be drawn again."""

    reasons: list[why.Reason] = field(default_factory=list)
    parts: list[_Part] = field(default_factory=list)
    repredict: list = field(default_factory=list)

    @property
    def movable(self) -> bool:
        return not self.reasons


def _kind(task) -> str:
    spec = task.task_spec
    if spec.manual:
        return "user"
    if isinstance(spec, CallActivity):
        return "call"
    if hasattr(spec, "event_definition"):
        return "timer" if isinstance(spec.event_definition, TimerEventDefinition) else "event"
    return "task"


def _element(spec) -> str:
    """The diagram element a spec stands for; the engine's own specs (a task's `X.BoundaryEventSplit`) name theirs."""
    return spec.bpmn_id or spec.name.split(".", 1)[0]


def _removed_with_its_task(part: _Part, task) -> bool:
    """A boundary event whose task (the split they hang from) was removed as well."""
    return task.parent is not None and part.aligned(task.parent.task_spec) is None


def _unreached_descendants(task) -> list:
    found, stack = [], [child for child in task.children if child.state & UNREACHED]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(current.children)
    return found


def spec_diff(registry, old_spec, new_spec, cache: dict | None = None) -> SpecDiff:
    """SpiffWorkflow's diff of two process specs; parsed specs never change, so a run of many cases of the same
    versions diffs each pair once (`cache`)."""
    if cache is None:
        return SpecDiff(registry, old_spec, new_spec)
    key = (id(old_spec), id(new_spec))
    if key not in cache:
        cache[key] = (old_spec, new_spec, SpecDiff(registry, old_spec, new_spec))  # the specs kept alive with it
    return cache[key][2]


def plan(registry, workflow, new: ParsedBundle, cache: dict | None = None) -> Plan:
    """Judge whether `workflow` can move to the `new` bundle; nothing is changed."""
    result = Plan()
    result.parts.append(_Part(workflow, spec_diff(registry, workflow.spec, new.spec, cache), new.spec))
    for subprocess in workflow.subprocesses.values():
        new_spec = new.subprocess_specs.get(subprocess.spec.name)
        if new_spec is None:
            live = [t for t in subprocess.tasks.values() if t.state & LIVE]
            result.reasons.append(why.removed_process(subprocess.spec.name,
                                                      _element(live[0].task_spec) if live else None))
            continue
        result.parts.append(_Part(subprocess, spec_diff(registry, subprocess.spec, new_spec, cache), new_spec))
    for part in result.parts:
        _judge(part, result)
    result.reasons = _tidy(result.reasons)
    return result


def _tidy(found: list[why.Reason]) -> list[why.Reason]:
    """Each reason once, what the case waits on first; a removed task's own scaffolding (the split its boundary
    events hang from) is not told again as a dependency."""
    waited = {(r.process_id, r.element_id) for r in found if r.code != why.REMOVED_DEPENDENCY}
    unique = list(dict.fromkeys(r for r in found if r.code != why.REMOVED_DEPENDENCY
                                or (r.process_id, r.element_id) not in waited))
    return sorted(unique, key=lambda r: r.code == why.REMOVED_DEPENDENCY)


def _judge(part: _Part, result: Plan) -> None:
    process_id = part.workflow.spec.name
    changed = part.diff.changed
    for task in part.workflow.tasks.values():
        spec = task.task_spec
        aligned = part.aligned(spec)
        if task.state == TaskState.ERROR:
            result.reasons.append(why.failed_step(process_id, _element(spec)))
        elif task.state & LIVE:
            if aligned is None and isinstance(spec, BoundaryEvent) and _removed_with_its_task(part, task):
                continue  # told once, as the task it is attached to
            if aligned is None:
                result.reasons.append(why.removed_task(process_id, _element(spec), spec.bpmn_name, _kind(task)))
            elif type(aligned) is not type(spec):
                result.reasons.append(why.changed_type(process_id, _element(spec), spec.bpmn_name))
            elif isinstance(spec, CallActivity) and task.state == TaskState.STARTED and aligned.spec != spec.spec:
                result.reasons.append(why.called_process_changed(process_id, _element(spec), spec.spec, aligned.spec))
            elif spec in changed or any(d.task_spec in changed or part.aligned(d.task_spec) is None
                                        for d in _unreached_descendants(task)):
                result.repredict.append((part, task))
        elif task.state & TaskState.FINISHED_MASK and aligned is None and task is not part.workflow.task_tree:
            result.reasons.append(why.removed_dependency(process_id, _element(spec), spec.bpmn_name,
                                                         scaffolding=not spec.bpmn_id))


def apply(result: Plan, workflow, new: ParsedBundle) -> None:
    """Move `workflow` onto the `new` bundle's specs as `result` (a movable plan) says, in place."""
    if not result.movable:
        raise ValueError("the plan has reasons against moving")
    workflow.subprocess_specs = new.subprocess_specs
    for part in result.parts:
        part.workflow.spec = part.new_spec
        for task in part.workflow.tasks.values():
            aligned = part.aligned(task.task_spec)
            if aligned is not None:  # an unreached task of a removed element goes below, with its branch
                task.task_spec = aligned
    for part, task in result.repredict:
        _repredict(task)


def _repredict(task) -> None:
    """Draw again the path the new version predicts below a live task, keeping the task and its reached children
    (the instances of a multi-instance task) as they are."""
    for child in list(task.children):
        if child.state & UNREACHED:
            task.workflow._remove_task(child.id)
    present = {child.task_spec for child in task.children}
    state = TaskState.MAYBE if isinstance(task.task_spec, BoundaryEvent) else TaskState.FUTURE
    for output in task.task_spec.outputs:
        if output not in present:
            child = task._add_child(output, state)
            output._predict(child, mask=UNREACHED)
