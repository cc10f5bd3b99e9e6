"""A loop's task tree past SpiffWorkflow's 1,000 levels: the library stops seeing its ready task and calls
the workflow completed; Yizhan asks the whole tree, and the pruned state keeps the tree shallow."""
from __future__ import annotations

from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.specs.event_definitions import MessageEventDefinition
from SpiffWorkflow.util.task import TaskState

from engine.bpmn import progress
from engine.bpmn.pruning import done_elements, prune
from engine.bpmn.state import StateSerializer

LOOP = b"""<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="loop" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="handle"><bpmn:incoming>f1</bpmn:incoming><bpmn:incoming>f3</bpmn:incoming>
      <bpmn:outgoing>f2</bpmn:outgoing></bpmn:userTask>
    <bpmn:exclusiveGateway id="more" default="f4"><bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
      <bpmn:outgoing>f4</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:endEvent id="done"><bpmn:incoming>f4</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="handle"/>
    <bpmn:sequenceFlow id="f2" sourceRef="handle" targetRef="more"/>
    <bpmn:sequenceFlow id="f3" sourceRef="more" targetRef="handle">
      <bpmn:conditionExpression>again</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="f4" sourceRef="more" targetRef="done"/>
  </bpmn:process>
</bpmn:definitions>"""


def _spec():
    parser = SpiffBpmnParser()
    parser.add_bpmn_str(LOOP)
    return parser.get_spec("loop")


def _turn(workflow, again: bool) -> None:
    [task] = progress.tasks(workflow, state=TaskState.READY, manual=True)
    task.data["again"] = again
    task.run()
    workflow.do_engine_steps()


def _depth(workflow) -> int:
    return max(len(list(_ancestors(task))) for task in workflow.tasks.values())


def _ancestors(task):
    while task.parent is not None:
        task = task.parent
        yield task


def test_past_1000_levels_the_library_calls_a_looping_workflow_completed_and_yizhan_does_not():
    workflow = BpmnWorkflow(_spec())
    workflow.do_engine_steps()
    while workflow.get_tasks(state=TaskState.READY, manual=True):
        _turn(workflow, again=True)
    # ~500 turns in, the gateway after the last completion is ready below the library's reach: its engine
    # steps do not run it, it offers no task and says the workflow has completed
    assert workflow.is_completed() is True
    workflow.completed = False
    assert [t.task_spec.bpmn_id for t in progress.tasks(workflow, state=TaskState.READY)] == ["more"]
    assert progress.has_ended(workflow) is False


def test_a_pruned_loop_stays_shallow_round_trips_and_ends_at_its_end_event():
    spec = _spec()
    workflow = BpmnWorkflow(spec)
    workflow.do_engine_steps()
    serializer = StateSerializer()
    for _ in range(1200):
        _turn(workflow, again=True)
        prune(workflow)
        workflow = serializer.loads(serializer.dumps(workflow), spec, {})
        assert _depth(workflow) < 10
        assert [t.task_spec.bpmn_id for t in workflow.get_tasks(state=TaskState.READY, manual=True)] == ["handle"]
        assert not progress.has_ended(workflow)
    _turn(workflow, again=False)
    assert progress.has_ended(workflow) and workflow.is_completed()
    assert sorted(done_elements(workflow)["loop"]) == ["handle", "more", "start"]


WITH_EVENT_SUBPROCESS = LOOP.replace(b'<bpmn:process id="loop"', b'<bpmn:message id="ping_msg" name="ping"/>\n'
                                     b'  <bpmn:process id="loop"').replace(b"  </bpmn:process>", b"""
    <bpmn:subProcess id="on_ping" triggeredByEvent="true">
      <bpmn:startEvent id="ping_start" isInterrupting="false"><bpmn:outgoing>p1</bpmn:outgoing>
        <bpmn:messageEventDefinition messageRef="ping_msg"/></bpmn:startEvent>
      <bpmn:scriptTask id="note_ping"><bpmn:incoming>p1</bpmn:incoming><bpmn:outgoing>p2</bpmn:outgoing>
        <bpmn:script>pinged = True</bpmn:script></bpmn:scriptTask>
      <bpmn:endEvent id="ping_end"><bpmn:incoming>p2</bpmn:incoming></bpmn:endEvent>
      <bpmn:sequenceFlow id="p1" sourceRef="ping_start" targetRef="note_ping"/>
      <bpmn:sequenceFlow id="p2" sourceRef="note_ping" targetRef="ping_end"/>
    </bpmn:subProcess>
  </bpmn:process>""")


def _run_with_a_ping(pruned: bool) -> tuple[dict, int, dict]:
    parser = SpiffBpmnParser()
    parser.add_bpmn_str(WITH_EVENT_SUBPROCESS)
    spec, subprocess_specs = parser.get_spec("loop"), parser.get_subprocess_specs("loop")
    workflow = BpmnWorkflow(spec, subprocess_specs)
    workflow.do_engine_steps()
    serializer, largest = StateSerializer(), 0

    def save_and_load(workflow):
        nonlocal largest
        if pruned:
            prune(workflow)
        text = serializer.dumps(workflow)
        largest = max(largest, len(text))
        return serializer.loads(text, spec, subprocess_specs)

    for turn in range(300):
        _turn(workflow, again=True)
        workflow = save_and_load(workflow)
        if turn == 150:  # a second branch under the root: the event subprocess, run to its end
            workflow.catch(BpmnEvent(MessageEventDefinition("ping"), {}))
            workflow.do_engine_steps()
            workflow = save_and_load(workflow)
    _turn(workflow, again=False)
    assert progress.has_ended(workflow)
    return workflow.get_tasks(spec_name="End")[0].data, largest, done_elements(workflow)


def test_a_loop_beside_an_event_subprocess_ends_the_same_pruned_or_whole_and_stays_small():
    pruned_data, pruned_size, done = _run_with_a_ping(pruned=True)
    whole_data, whole_size, _ = _run_with_a_ping(pruned=False)
    assert pruned_data == whole_data
    assert pruned_size < 10_000 < whole_size
    assert sorted(done["on_ping"]) == ["note_ping", "ping_end", "ping_start"]
