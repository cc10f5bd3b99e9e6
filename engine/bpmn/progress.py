"""Where a workflow stands, asked without SpiffWorkflow's depth limit.

The library's task iterator (behind `get_tasks()` and `Workflow.is_completed()`) stops 1,000 levels down
the task tree; a loop adds two levels a turn, so past 500 turns it reports no ready task and a completed
workflow while a task waits below. Every question Yizhan asks of a case's tasks goes through here.
"""
from __future__ import annotations

from SpiffWorkflow.util.task import TaskState

UNLIMITED = float("inf")
ACTIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR


def tasks(workflow, **filters) -> list:
    """`workflow.get_tasks(**filters)` over the whole tree, subprocesses included, in the library's order."""
    return workflow.get_tasks(max_depth=UNLIMITED, **filters)


def all_workflows(workflow) -> list:
    """The top workflow and every subprocess it keeps."""
    return [workflow, *workflow.subprocesses.values()]


def has_ended(workflow) -> bool:
    """True only when the top workflow's end task has run and no task anywhere is ready, waiting, under
    way or failed: what the diagram says, not the library's `is_completed()`."""
    ended = any(task.task_spec.name == "End" and task.state == TaskState.COMPLETED
                for task in workflow.tasks.values())
    if not ended:
        return False
    return not any(task.state & ACTIVE for wf in all_workflows(workflow) for task in wf.tasks.values())
