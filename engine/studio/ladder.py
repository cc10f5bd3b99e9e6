"""A task's deadline set in the studio, expanded into the supervision ladder the engine runs.

A designer gives a user task three properties instead of drawing a dozen elements:

* `deadline` — when the task is due, as a deadline function: `working_days(3)`, `hours_from_now(4)`,
  `calendar_days(30)`, or any expression giving an instant;
* `ladder` — what happens around it: `none` (the deadline is shown and counted), `reminder` (and a
  reminder before it), `supervision` (and at the deadline a 督办件 to the department head), `full`
  (and, 2 working days later — 1 for a red case — the centre's supervisors, 4 later — 2 for red —
  the leadership). The default is `full`;
* `reminderLead` — how long before the deadline the reminder comes: `1` working day (the default),
  `2h` for hours, `0` for none.

The expansion writes, into the executable copy only, the same elements the shipped diagrams draw by
hand: non-interrupting boundary timers with their `timerKind`, the notify()/supervise() scripts, the
督办件 user task and the signal that withdraws it once the task is done.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from ..bpmn.meta import BPMN, HUMAN_TASKS, properties
from ..diagram_functions import Outbox, diagram_functions
from ..error_text import failure_reason
from ..errors import Invalid
from ..permissions import check_can_read_definitions
from ..runtime import Runtime
from ..sandbox.environment import DataLookup, build_script_engine
from ..users import Actor
from .dialects.camunda import set_property
from .dialects.timers import TimerRefused, normalise_timer

LADDERS = ("none", "reminder", "supervision", "full")
_ARTIFACTS = {"textAnnotation", "association", "group", "resourceRole", "correlationSubscription", "supports"}
_LEAD = re.compile(r"^\s*(\d+(\.\d+)?)\s*(h|小时)?\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Deadline:
    """A task's deadline settings as read from its properties."""

    expression: str
    ladder: str
    reminder: str | None  # the reminder's timer expression, None for no reminder


def read_deadline(task: etree._Element) -> Deadline | None:
    """The task's deadline settings, or None when it has no `deadline`; raises ValueError when wrong."""
    props = properties(task)
    expression = (props.get("deadline") or "").strip()
    if not expression:
        return None
    try:
        expression = normalise_timer(expression, "timeDate")
    except TimerRefused as exc:
        raise ValueError(f"办理期限 “{props['deadline']}” 不正确：{exc}") from exc
    ladder = (props.get("ladder") or "full").strip()
    if ladder not in LADDERS:
        raise ValueError(f"督办方式 ladder 只能是 {'、'.join(LADDERS)}，而不是 “{ladder}”")
    default_lead = "1h" if "hours_from_now" in expression else "1"
    lead = (props.get("reminderLead") or default_lead).strip()
    match = _LEAD.match(lead)
    if match is None:
        raise ValueError(f"提醒提前量 reminderLead 应为工作日数（如 1）或小时数（如 2h），而不是 “{lead}”")
    amount, in_hours = float(match.group(1)), bool(match.group(3))
    reminder = None
    if ladder != "none" and amount > 0:
        reminder = (f"hours_before({expression}, {amount:g})" if in_hours
                    else f"working_days_before({expression}, {int(amount)})")
    return Deadline(expression, ladder, reminder)


class _Writer:
    """Adds generated elements to one process, each id derived from the task's."""

    def __init__(self, process: etree._Element, task: etree._Element):
        self.process = process
        self.task = task
        self.tid = task.get("id")
        self.name = task.get("name") or self.tid

    def add(self, tag: str, suffix: str, **attrs) -> etree._Element:
        element = etree.Element(f"{{{BPMN}}}{tag}", id=f"{self.tid}__{suffix}", **attrs)
        artifacts = [i for i, child in enumerate(self.process)
                     if isinstance(child.tag, str) and etree.QName(child).localname in _ARTIFACTS]
        self.process.insert(artifacts[0] if artifacts else len(self.process), element)
        return element

    def flow(self, source: etree._Element, target: etree._Element) -> None:
        self.add("sequenceFlow", f"f_{source.get('id').rsplit('__', 1)[-1]}_{target.get('id').rsplit('__', 1)[-1]}",
                 sourceRef=source.get("id"), targetRef=target.get("id"))

    def timer(self, suffix: str, name: str, kind: str, expression: str, attached_to: str | None = None,
              ) -> etree._Element:
        event = self.add("boundaryEvent", suffix, name=name, cancelActivity="false",
                         attachedToRef=attached_to or self.tid)
        set_property(event, "timerKind", kind)
        definition = etree.SubElement(event, f"{{{BPMN}}}timerEventDefinition", id=f"{self.tid}__{suffix}_def")
        etree.SubElement(definition, f"{{{BPMN}}}timeDate").text = expression
        return event

    def script(self, suffix: str, name: str, source: str) -> etree._Element:
        task = self.add("scriptTask", suffix, name=name)
        etree.SubElement(task, f"{{{BPMN}}}script").text = source
        return task

    def end(self, suffix: str, name: str = "") -> etree._Element:
        return self.add("endEvent", suffix, name=name)

    def chain(self, *elements: etree._Element) -> None:
        for source, target in zip(elements, elements[1:]):
            self.flow(source, target)


def _notice_department(task: etree._Element, lane_department: str | None) -> str | None:
    department = properties(task).get("department")
    if department:
        return department
    return repr(lane_department) if lane_department else None


def expand(root: etree._Element, process: etree._Element, task: etree._Element, deadline: Deadline,
           lane_department: str | None) -> None:
    """Write the ladder of `deadline` around `task` into `process` (the executable copy)."""
    w = _Writer(process, task)
    name, d = w.name, deadline.expression
    multi = task.find(f"{{{BPMN}}}multiInstanceLoopCharacteristics") is not None
    at_deadline = w.timer("deadline", "办理期限", "supervision", d)
    if deadline.ladder in ("supervision", "full"):
        supervise = w.script("supervise", "发出督办通知", f"supervise(1, {name + '已超期，发出督办件'!r})")
        department = None if multi else _notice_department(task, lane_department)
        if department is not None:
            notice = w.add("userTask", "notice", name=f"督办件：{name}")
            for key, value in (("formKey", "supervision_notice"), ("role", "head"), ("supervises", w.tid),
                               ("department", department)):
                set_property(notice, key, value)
            w.chain(at_deadline, supervise, notice, w.end("notice_end", "已督办"))
            _withdraw_when_done(root, process, w, notice)
        else:
            w.chain(at_deadline, supervise, w.end("supervised", "已督办"))
    else:
        w.chain(at_deadline, w.end("deadline_end", "已到期"))
    if deadline.reminder:
        reminder = w.timer("reminder", "临期提醒", "reminder", deadline.reminder)
        w.chain(reminder, w.script("remind", "发送临期提醒", f"notify('reminder', {name + '临近期限'!r})"),
                w.end("reminded", "已提醒"))
    for rung in escalations(deadline):
        timer = w.timer(rung.suffix, rung.name, rung.kind, rung.expression)
        w.chain(timer, w.script(f"{rung.suffix}_notify", rung.name, f"supervise({rung.level}, {name + rung.text!r})"),
                w.end(f"{rung.suffix}_end"))


@dataclass(frozen=True)
class Rung:
    suffix: str
    kind: str
    name: str
    expression: str
    level: int = 0
    text: str = ""


# The rungs above the supervision notice: after how many working days past the deadline (red cases sooner).
_ESCALATIONS = (("escalate", "escalation", "升级督办", 2, 2, 1, "超期未办结，升级至中心督办"),
                ("leadership", "leadership", "报告领导", 3, 4, 2, "严重超期，报告分管领导"))


def escalations(deadline: Deadline) -> list[Rung]:
    if deadline.ladder != "full":
        return []
    return [Rung(suffix, kind, name, f"working_days_after({deadline.expression}, "
                 f"{red} if data_value('risk') == 'red' else {days})", level, text)
            for suffix, kind, name, level, days, red, text in _ESCALATIONS]


def rungs(deadline: Deadline) -> list[Rung]:
    """Every timer the ladder of `deadline` has, earliest first (for a preview on the working-day clock)."""
    found = [Rung("reminder", "reminder", "临期提醒", deadline.reminder)] if deadline.reminder else []
    found.append(Rung("deadline", "supervision", "办理期限", deadline.expression))
    return found + escalations(deadline)


def _withdraw_when_done(root: etree._Element, process: etree._Element, w: _Writer, notice: etree._Element) -> None:
    """When the task is done, throw a signal that the 督办件's interrupting boundary event catches."""
    signal_id = f"{w.tid}__done_signal"
    signal = etree.Element(f"{{{BPMN}}}signal", id=signal_id, name=f"{w.tid}__done")
    root.insert(list(root).index(process), signal)
    done = w.add("intermediateThrowEvent", "done", name=f"{w.name}已办结")
    etree.SubElement(done, f"{{{BPMN}}}signalEventDefinition", id=f"{w.tid}__done_def", signalRef=signal_id)
    for flow in process.findall(f"{{{BPMN}}}sequenceFlow"):
        if flow.get("sourceRef") == w.tid:
            flow.set("sourceRef", done.get("id"))
    w.add("sequenceFlow", "f_task_done", sourceRef=w.tid, targetRef=done.get("id"))
    withdrawn = w.add("boundaryEvent", "notice_withdrawn", name="已办结撤销", attachedToRef=notice.get("id"))
    etree.SubElement(withdrawn, f"{{{BPMN}}}signalEventDefinition", id=f"{w.tid}__withdrawn_def",
                     signalRef=signal_id)
    w.chain(withdrawn, w.end("notice_closed", "督办件撤销"))


def human_tasks_with_deadlines(process: etree._Element) -> list[etree._Element]:
    return [task for kind in HUMAN_TASKS for task in process.iter(f"{{{BPMN}}}{kind}")
            if properties(task).get("deadline")]


def preview(rt: Runtime, props: dict, by: Actor, risk: str | None = None) -> list[dict]:
    """When each rung of a task's ladder would fall if the task became ready now, on the working-day clock."""
    check_can_read_definitions(by)
    task = etree.Element(f"{{{BPMN}}}userTask", id="preview")
    for key in ("deadline", "ladder", "reminderLead"):
        if props.get(key):
            set_property(task, key, str(props[key]))
    try:
        deadline = read_deadline(task)
    except ValueError as exc:
        raise Invalid(str(exc), {"deadline": [str(exc)]}) from exc
    if deadline is None:
        return []
    environment = build_script_engine(diagram_functions(rt.clock, rt.calendar, Outbox()),
                                      time_limit=rt.script_time_limit, data_limit=rt.case_data_limit).environment
    data = {"risk": risk}
    found = []
    for rung in rungs(deadline):
        try:
            at = environment.evaluate(rung.expression, data, {"data_value": DataLookup(data)})
        except Exception as exc:  # the designer's expression failing on today's clock is an answer, not a 500
            reason = failure_reason(exc)
            raise Invalid(f"期限表达式按当前时间计算出错：{reason}", {"deadline": [reason]}) from exc
        found.append({"rung": rung.suffix, "kind": rung.kind, "name": rung.name, "at": str(at)})
    return found
