"""Stores a running instance as SpiffWorkflow state without the spec (the spec lives in the definition)."""
from __future__ import annotations

import json

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG


class _StateOnlyConverter(BpmnWorkflowConverter):
    """Like the default converter, but leaves out `spec` and `subprocess_specs` (3/4 of the JSON)."""

    def to_dict(self, workflow):
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct


class StateSerializer:
    """dumps/loads of a workflow's state; `loads` needs the cached spec objects of its definition."""

    VERSION_KEY = BpmnWorkflowSerializer.VERSION_KEY

    def __init__(self):
        config = dict(SPIFF_CONFIG)
        config[BpmnWorkflow] = _StateOnlyConverter
        self._serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(config))

    def dumps(self, workflow: BpmnWorkflow) -> str:
        """The workflow's state as JSON text."""
        dct = self._serializer.to_dict(workflow)
        dct[self.VERSION_KEY] = self._serializer.VERSION
        return json.dumps(dct, ensure_ascii=False, separators=(",", ":"))

    def loads(self, text: str, spec, subprocess_specs: dict) -> BpmnWorkflow:
        """Restore a workflow from `dumps` output onto the given spec objects."""
        dct = json.loads(text)
        self._serializer.migrate(dct)
        dct["spec"] = spec
        dct["subprocess_specs"] = subprocess_specs
        return self._serializer.from_dict(dct)
