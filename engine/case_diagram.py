"""What the case file's diagram shows: the diagrams a case ran through, with done, current and failed elements."""
from __future__ import annotations

from dataclasses import dataclass, field

from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import BoundaryEvent
from SpiffWorkflow.bpmn.specs.mixins.unstructured_join import UnstructuredJoin
from SpiffWorkflow.util.task import TaskState

from .bpmn import progress
from .bpmn.meta import BPMN
from .bpmn.pruning import done_elements
from .bpmn.xml import parse_xml
from .casefile.drawing import ladder_elements, processes, stage_order
from .cases import get_case
from .errors import NotFound
from .instances import open_case
from .models import Definition
from .permissions import check_can_view_case
from .runtime import Runtime
from .users import Actor

_CURRENT = TaskState.READY | TaskState.WAITING | TaskState.STARTED


@dataclass
class ProcessDiagram:
    """One process of the case's definition and the marks to paint on it."""

    process_id: str
    name: str
    completed: list[str] = field(default_factory=list)
    current: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    ladder: list[str] = field(default_factory=list)  # supervision ladders, drawn only when asked


@dataclass(frozen=True)
class Stage:
    """A step of the case file's stepper: one stage of the main process and how far the case got."""

    process_id: str
    name: str
    state: str  # "done", "current" or "future"
    has_diagram: bool


@dataclass
class CaseDiagrams:
    stages: list[Stage]
    diagrams: list[ProcessDiagram]


def _element(task) -> str:
    return task.task_spec.bpmn_id or ""


def _is_current(task) -> bool:
    """Where the case stands: a task to do or under way, a message or timer it waits for.

    Armed boundary timers and joins waiting for their other branches are not places the case is at."""
    if not task.state & _CURRENT:
        return False
    if task.state == TaskState.WAITING and isinstance(task.task_spec, (BoundaryEvent, UnstructuredJoin)):
        return False
    return True


def diagrams(rt: Runtime, case_no: str, by: Actor) -> CaseDiagrams:
    """The main process and every stage the case has entered, in the order it entered them, with the
    stages of the main process in order for a stepper."""
    with rt.unit_of_work(write=False) as session:
        case = get_case(session, case_no)
        check_can_view_case(session, by, case)
        oc = open_case(rt, session, case)
        names = {pid: info.get("name", pid) for pid, info in oc.bundle.meta["processes"].items()}
        found: dict[str, ProcessDiagram] = {}
        main = oc.bundle.meta["main"]
        found[main] = ProcessDiagram(main, names.get(main, main))
        # what the state no longer holds (engine/bpmn/pruning.py): the elements its pruned tasks completed
        for pid, elements in done_elements(oc.workflow).items():
            found.setdefault(pid, ProcessDiagram(pid, names.get(pid, pid))).completed.extend(elements)
        for task in progress.tasks(oc.workflow):
            element = _element(task)
            if not element:
                continue
            pid = task.workflow.spec.name
            diagram = found.setdefault(pid, ProcessDiagram(pid, names.get(pid, pid)))
            if task.state == TaskState.COMPLETED:
                diagram.completed.append(element)
            elif _is_current(task):
                diagram.current.append(element)
            elif task.state == TaskState.ERROR:
                diagram.failed.append(element)
        for diagram in found.values():
            diagram.completed = sorted(set(diagram.completed) - set(diagram.current))
            diagram.current = sorted(set(diagram.current))
        drawn = processes(session.get(Definition, case.definition_id).files)
        for diagram in found.values():
            if diagram.process_id in drawn:
                diagram.ladder = [e for e in ladder_elements(drawn[diagram.process_id]) if e not in diagram.current]
        return CaseDiagrams(_stages(drawn.get(main), found[main], found, case.status), list(found.values()))


def _stages(main, marks: ProcessDiagram, found: dict, status: str) -> list[Stage]:
    if main is None:
        return []
    stages = []
    for drawn in stage_order(main):
        if drawn.element_id in marks.current:
            state = "current"
        elif drawn.element_id in marks.completed or (status == "closed" and drawn.process_id in found):
            state = "done"
        else:
            state = "future"
        stages.append(Stage(drawn.process_id, drawn.name, state, drawn.process_id in found))
    return stages


def diagram_xml(rt: Runtime, case_no: str, process_id: str, by: Actor) -> str:
    """The BPMN file, of the version the case runs on, that defines `process_id`."""
    with rt.unit_of_work(write=False) as session:
        case = get_case(session, case_no)
        check_can_view_case(session, by, case)
        definition = session.get(Definition, case.definition_id)
        for name, text in definition.files.items():
            if not name.endswith(".bpmn"):
                continue
            root = parse_xml(text.encode(), name).getroot()
            if any(p.get("id") == process_id for p in root.iter(f"{{{BPMN}}}process")):
                return text
    raise NotFound(f"流程 {process_id} 不在该案件的流程定义中")


def element_names(rt: Runtime, case_no: str, by: Actor) -> dict[str, str]:
    """Element id -> name for the human tasks and timers of the case's definition (for its timeline)."""
    with rt.unit_of_work(write=False) as session:
        case = get_case(session, case_no)
        check_can_view_case(session, by, case)
        meta = rt.specs.for_id(session, case.definition_id).meta
    names: dict[str, str] = {}
    for process in meta["processes"].values():
        for group in ("tasks", "timers"):
            names.update({element: info.get("name", element) for element, info in process.get(group, {}).items()})
    return names
