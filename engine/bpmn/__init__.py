"""Everything that knows BPMN and SpiffWorkflow: safe loading, checks, metadata, timers, state."""
