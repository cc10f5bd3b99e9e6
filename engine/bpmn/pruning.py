"""Keep a case's workflow state to what it needs to go on.

SpiffWorkflow's task tree only grows: every turn of a loop adds tasks below the last, finished stage
subprocesses stay in `workflow.subprocesses`, fired and cancelled timers stay in the tree. Every command
loads and saves all of it, and past 1,000 levels the library's own iterators stop seeing the tasks.
History lives in the work-item, timer and audit tables; the state keeps only

  - the subtree under the *anchor*: the deepest finished task above every unfinished one (ready, waiting,
    under way, failed or predicted), moved up to sit right under the workflow's root; raised to the
    split a join still to run will look up (a boundary event's), and
  - subprocesses still running or whose call activity is kept and not finished.

What is dropped cannot be reached by anything that goes on: task data is copied forward to each child,
joins look at their own waiting arrivals and their direct parents (all below the anchor), a boundary
event's join looks up its split (kept), work items and timer rows name unfinished tasks (kept, with
their ids). The elements the dropped tasks completed are kept as a small set per process
(`done_elements`) for the case diagram.
"""
from __future__ import annotations

from SpiffWorkflow.bpmn.specs import AdHocSubprocessSpec
from SpiffWorkflow.util.task import TaskState

from . import progress

DONE_ATTRIBUTE = "yizhan_done_elements"
_UNFINISHED = TaskState.NOT_FINISHED_MASK


def done_elements(workflow) -> dict[str, list[str]]:
    """Process id -> element ids completed by tasks pruned from the state, in the order processes were met."""
    return getattr(workflow, DONE_ATTRIBUTE, None) or {}


def set_done_elements(workflow, done: dict[str, list[str]]) -> None:
    setattr(workflow, DONE_ATTRIBUTE, done)


def prune(workflow) -> int:
    """Drop finished history from `workflow` (in place); returns how many tasks went."""
    done = {pid: set(elements) for pid, elements in done_elements(workflow).items()}
    entered = _processes_in_order(workflow)
    removed = 0
    for wf in [workflow, *list(workflow.subprocesses.values())]:
        if wf is workflow or _parent_task(workflow, wf) is not None:
            removed += _cut_chain(workflow, wf, done)
    removed += _drop_finished_subprocesses(workflow, done)
    order = [*done_elements(workflow), *entered]
    ranked = sorted(done, key=lambda pid: order.index(pid) if pid in order else len(order))
    set_done_elements(workflow, {pid: sorted(done[pid]) for pid in ranked})
    return removed


def _processes_in_order(workflow) -> list[str]:
    """The processes with diagram elements in the tree, in the order the case diagram lists them."""
    seen: dict[str, None] = {}
    for task in progress.tasks(workflow):
        if task.task_spec.bpmn_id:
            seen.setdefault(task.workflow.spec.name)
    return list(seen)


def _record(done: dict, wf, tasks) -> None:
    for task in tasks:
        element = task.task_spec.bpmn_id
        if not element:
            continue
        marks = done.setdefault(wf.spec.name, set())
        if task.state == TaskState.COMPLETED:
            marks.add(element)


def _parent_task(workflow, subprocess):
    try:
        return workflow.get_task_from_id(subprocess.parent_task_id)
    except Exception:  # its call activity was pruned with a finished branch
        return None


def _drop_finished_subprocesses(workflow, done: dict) -> int:
    """Subprocesses that have ended under a finished (or pruned) call activity, and any nested in them."""
    removed = 0
    while True:
        gone = []
        for task_id, subprocess in workflow.subprocesses.items():
            parent = _parent_task(workflow, subprocess)
            if parent is None or (subprocess.completed and parent.state & TaskState.FINISHED_MASK
                                  and not any(t.state & _UNFINISHED & ~TaskState.PREDICTED_MASK
                                              for t in subprocess.tasks.values())):
                gone.append(task_id)
        if not gone:
            return removed
        for task_id in gone:
            subprocess = workflow.subprocesses.pop(task_id)
            _record(done, subprocess, subprocess.tasks.values())
            _forget_events(workflow, subprocess.tasks.values())
            removed += len(subprocess.tasks)


def _forget_events(workflow, tasks) -> None:
    for task in tasks:
        workflow.event_manager.remove_task(task)


def _path(task) -> list:
    """The task's ancestors from the root down, then the task."""
    path = []
    while task is not None:
        path.append(task)
        task = task.parent
    path.reverse()
    return path


def _anchor(unfinished: list):
    """The task to keep with everything below it among a branch's unfinished tasks, or None when there
    is nothing to cut (the branch's first task under the root, or the root itself)."""
    common = _path(unfinished[0])
    for task in unfinished[1:]:
        path = _path(task)
        size = 0
        for mine, theirs in zip(common, path):
            if mine is not theirs:
                break
            size += 1
        common = common[:size]
    # the anchor has finished: an unfinished task keeps its real parent (joins look at their parents)
    while common and common[-1].state != TaskState.COMPLETED:
        common.pop()
    # a join still to run (a boundary event's, a start event's) looks up the nearest split of its name
    position = {task.id: index for index, task in enumerate(common)}
    for task in unfinished:
        split = getattr(task.task_spec, "split_task", None)
        if not split:
            continue
        ancestor = task.parent
        while ancestor is not None and ancestor.task_spec.name != split:
            ancestor = ancestor.parent
        if ancestor is not None and position.get(ancestor.id, len(common)) < len(common) - 1:
            common = common[:position[ancestor.id] + 1]
    return common[-1] if len(common) > 2 else None


def _cut_chain(workflow, wf, done: dict) -> int:
    """Each branch under the root (one, unless event subprocesses or several start paths add more) keeps
    the subtree of its anchor, which takes the branch's place under the root. An ended workflow, a branch
    with nothing unfinished and an ad-hoc subprocess (it reads its paths from the root) keep what they have."""
    if isinstance(wf.spec, AdHocSubprocessSpec):
        return 0
    root = wf.task_tree
    removed = 0
    for index, child in enumerate(root.children):
        branch = _subtree(child)
        unfinished = [task for task in branch if task.state & _UNFINISHED]
        anchor = _anchor(unfinished) if unfinished else None
        if anchor is None:
            continue
        keep = {task.id for task in _subtree(anchor)}
        gone = [task for task in branch if task.id not in keep]
        _record(done, wf, gone)
        _forget_events(workflow, gone)
        for task in gone:
            del wf.tasks[task.id]
        root._children[index] = anchor.id
        anchor._parent = root.id
        removed += len(gone)
    return removed


def _subtree(task) -> list:
    found, stack = [], [task]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(current.children)
    return found
