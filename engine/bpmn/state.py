"""Stores a running instance as SpiffWorkflow state without the spec (the spec lives in the definition)."""
from __future__ import annotations

import json

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, TaskConverter, WorkflowConverter
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.task import Task

from .pruning import done_elements, set_done_elements

DONE_KEY = "done_elements"


class _StateOnlyConverter(BpmnWorkflowConverter):
    """Like the default converter, but leaves out `spec` and `subprocess_specs` (3/4 of the JSON)."""

    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct


class _TaskConverter(TaskConverter):
    """Like the default, but a task without data (one predicted, not reached yet) is stored as such.

    The default stores a child's data as its difference from its parent's, so a predicted task, whose
    data is empty until it is reached, listed every key of the case's data as deleted."""

    def to_dict(self, task):
        dct = super().to_dict(task)
        if not task.data and task.parent is not None:
            dct["delta"] = {}  # restored from `data`: empty, as it was
        return dct


class StateSerializer:
    """dumps/loads of a workflow's state; `loads` needs the cached spec objects of its definition."""

    VERSION_KEY = BpmnWorkflowSerializer.VERSION_KEY

    def __init__(self):
        config = dict(SPIFF_CONFIG)
        config[BpmnWorkflow] = _StateOnlyConverter
        config[Task] = _TaskConverter
        self._serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(config))

    @property
    def registry(self):
        """The serializer's converter registry (SpiffWorkflow's spec diff compares specs through it)."""
        return self._serializer.registry

    def dumps(self, workflow: BpmnWorkflow) -> str:
        """The workflow's state as JSON text."""
        dct = self._serializer.to_dict(workflow)
        dct[self.VERSION_KEY] = self._serializer.VERSION
        if dct["last_task"] is not None and dct["last_task"] not in dct["tasks"]:
            dct["last_task"] = None  # pruned with its branch
        done = done_elements(workflow)
        if done:
            dct[DONE_KEY] = done
        return json.dumps(dct, ensure_ascii=False, separators=(",", ":"))

    def loads(self, text: str, spec, subprocess_specs: dict) -> BpmnWorkflow:
        """Restore a workflow from `dumps` output onto the given spec objects."""
        dct = json.loads(text)
        done = dct.pop(DONE_KEY, None)
        self._serializer.migrate(dct)
        dct["spec"] = spec
        dct["subprocess_specs"] = subprocess_specs
        workflow = self._serializer.from_dict(dct)
        if done:
            set_done_elements(workflow, done)
        return workflow
