"""What only running it can tell, tried at deploy as a case starting now would run it.

An expression that compiles may still fail on every case: `"P" + "3X"` is no duration, `now() + 1` adds a
number to a text, `working_days(-5)` has no answer, `'nosuch'` is no department, `1/0` in a table's output
fails whoever matches the rule. What reads nothing of the case (only the diagram functions) is evaluated here
in the sandbox, on the engine's clock and working-day calendar, and its value read as the engine will read
it: a timeDate's instant, a timeDuration's length, a timeCycle's period, a department that exists, a
multi-instance count; conditions and scripts that read nothing of the case are run. What reads case data is
tried as far as it can be without the case: every variable a timer, department or table reads must be
provided by something in the bundle; variables only forms with fixed choices provide are tried with every
choice; and every call inside it that reads no case data is evaluated. Trials of one check share a time
budget, so a bundle of slow scripts cannot hold a deploy for long.
"""
from __future__ import annotations

import ast
import builtins
import functools
import itertools
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from lxml import etree

from ...bpmn.meta import BPMN, HUMAN_TASKS, properties
from ...bpmn.timers import TimerValueError, cycle_of, delay_of, instant_of
from ...calendar import WorkingCalendar
from ...clock import Clock, SystemClock
from ...diagram_functions import Outbox, diagram_functions
from ...error_text import failure_reason
from ...sandbox.environment import build_script_engine
from ...sandbox.guards import SANDBOX_BUILTINS
from ...starting_data import INTAKE_FORM
from ..context import CheckContext
from ..ladder import read_deadline, rungs
from ..problems import Findings
from .variables import DIAGRAM_NAMES, provided_names

TIMER_TAGS = ("timeDate", "timeDuration", "timeCycle")
TRIAL_TIME_LIMIT = 1.0   # each trial, as a case's step
TRIAL_BUDGET = 10.0      # all trials of one check together: past it, the rest are left to run time
_CASE_READERS = {"data_value"}  # diagram functions whose answer depends on the case's data
_BOUND = (DIAGRAM_NAMES | set(SANDBOX_BUILTINS) | set(dir(builtins))) - _CASE_READERS


@functools.cache
def _shipped_calendar() -> WorkingCalendar:
    return WorkingCalendar.from_file()


@dataclass(frozen=True)
class Trial:
    """The sandbox a case starting now would evaluate in, with the variables the bundle provides."""

    clock: Clock
    functions: Mapping[str, Callable]
    provided: frozenset[str]
    choices: Mapping[str, tuple] = field(default_factory=dict)  # variable -> every value its form allows
    spent: list[float] = field(default_factory=lambda: [0.0])  # seconds the trials of this check have taken

    @classmethod
    def of(cls, ctx: CheckContext, provided: set[str], choices: Mapping[str, tuple] | None = None) -> Trial:
        clock = ctx.clock or SystemClock()
        functions = diagram_functions(clock, ctx.calendar or _shipped_calendar(), Outbox())
        return cls(clock, functions, frozenset(provided), dict(choices or {}))

    def now(self) -> datetime:
        return self.clock.now()

    @property
    def exhausted(self) -> bool:
        """The check has spent its budget: a bundle of many slow scripts is not tried for minutes."""
        return self.spent[0] > TRIAL_BUDGET

    def evaluate(self, source: str, data: Mapping | None = None):
        """The value of an expression on `data` (none: it reads no case data); raises what the case would meet."""
        environment = build_script_engine(self.functions, time_limit=TRIAL_TIME_LIMIT).environment
        started = time.monotonic()
        try:
            return environment.evaluate(source, dict(data or {}), {"data_value": lambda name, default=None: default})
        finally:
            self.spent[0] += time.monotonic() - started

    def execute(self, source: str) -> None:
        """Run a script on empty case data; raises what the case would meet."""
        environment = build_script_engine(self.functions, time_limit=TRIAL_TIME_LIMIT).environment
        started = time.monotonic()
        try:
            environment.execute(source, {}, {"data_value": lambda name, default=None: default})
        finally:
            self.spent[0] += time.monotonic() - started


def _free_names(tree: ast.AST) -> set[str]:
    bound = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    bound |= {a.arg for n in ast.walk(tree) if isinstance(n, ast.Lambda) for a in n.args.args}
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} - bound


def _reads_case(tree: ast.AST) -> bool:
    return bool(_free_names(tree) - _BOUND)


class TrialFailed(ValueError):
    """The expression fails on every case; the message says why, in Chinese."""


def _read_without_default(tree: ast.AST) -> set[str]:
    """Names read with data_value('name') and no default: None when nothing provides them."""
    return {n.args[0].value for n in ast.walk(tree)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in _CASE_READERS
            and len(n.args) == 1 and not n.keywords and isinstance(n.args[0], ast.Constant)
            and isinstance(n.args[0].value, str)}


def _closed(tree: ast.AST) -> bool:
    """Reads nothing of the case: no variable beyond the diagram functions and builtins, no data_value()."""
    return not _reads_case(tree) and not any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                                             and n.func.id in _CASE_READERS for n in ast.walk(tree))


def try_expression(source: str, trial: Trial, read: Callable[[object], object] | None = None,
                   trying: str = "试算", require_provided: bool = True, strict_reads: bool = True):
    """Raise TrialFailed if `source` is sure to fail: a variable nothing provides, a call that fails with the
    arguments it is written with, or (when it reads no case data) a value `read` refuses. Returns the value
    when it reads no case data, else None."""
    if trial.exhausted:
        return None
    try:
        tree = ast.parse(source, mode="eval")
    except (SyntaxError, ValueError):
        return None  # reported by the compile checks
    reads = _read_without_default(tree) if strict_reads else set()
    unknown = sorted((_free_names(tree) - _BOUND - _CASE_READERS | reads) - trial.provided)
    if unknown and require_provided:
        raise TrialFailed(f"用到的变量 {'、'.join(unknown)} 没有任何表单、脚本或决策表提供：案件走到这里时会出错")
    if _closed(tree):
        try:
            value = trial.evaluate(source)
        except Exception as exc:  # the designer's expression failing now fails every case: the reason is the answer
            raise TrialFailed(f"{trying}出错：{failure_reason(exc)}") from exc
        if read is not None:
            read(value)
        return value
    _try_choices(source, tree, trial, read, trying)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _closed(node):
            part = ast.unparse(node)
            try:
                trial.evaluate(part)
            except Exception as exc:  # as above, for the part that does not depend on the case
                raise TrialFailed(f"其中的 {part} {trying}出错：{failure_reason(exc)}") from exc
    return None


MAX_COMBINATIONS = 64


def _try_choices(source: str, tree: ast.AST, trial: Trial, read, trying: str) -> None:
    """An expression over variables that only forms with fixed choices provide, tried with every choice: a
    choice the form allows and the expression fails on fails the case of whoever chooses it."""
    names = sorted(_free_names(tree) - _BOUND)
    if not names or any(n not in trial.choices for n in names) or any(
            isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in _CASE_READERS
            for n in ast.walk(tree)):
        return
    options = [trial.choices[n] for n in names]
    if functools.reduce(lambda a, b: a * b, (len(o) for o in options), 1) > MAX_COMBINATIONS:
        return
    for values in itertools.product(*options):
        if trial.exhausted:
            return
        data = dict(zip(names, values))
        try:
            value = trial.evaluate(source, data)
        except Exception as exc:  # a value the form offers makes it fail: that case fails
            raise TrialFailed(f"当 {_shown_data(data)} 时{trying}出错：{failure_reason(exc)}") from exc
        if read is not None:
            try:
                read(value)
            except TrialFailed as exc:
                raise TrialFailed(f"当 {_shown_data(data)} 时：{exc}") from exc


def _shown_data(data: Mapping) -> str:
    return "、".join(f"{name} 为 {value!r}" for name, value in data.items())


def choices_of(processes, forms: Mapping[str, dict], outputs) -> dict[str, tuple]:
    """Variables that only forms provide, each with every value those forms allow (an enum, a yes/no);
    a variable a script, a table or a form field without fixed choices may also set is left out."""
    processes = list(processes)
    elsewhere = provided_names(processes, {}, outputs)
    keys = {INTAKE_FORM} | {properties(task).get("formKey", "") for process in processes for kind in HUMAN_TASKS
                            for task in process.iter(f"{{{BPMN}}}{kind}")}
    found: dict[str, set] = {}
    open_ended: set[str] = set()
    for key in keys:
        for name, prop in (forms.get(key) or {}).get("properties", {}).items():
            if not isinstance(prop, dict):
                continue
            if isinstance(prop.get("enum"), list) and prop["enum"] and \
                    all(isinstance(v, (str, int, float, bool)) or v is None for v in prop["enum"]):
                found.setdefault(name, set()).update(prop["enum"])
            elif prop.get("type") == "boolean":
                found.setdefault(name, set()).update((True, False))
            else:
                open_ended.add(name)
    return {name: tuple(sorted(values, key=repr)) for name, values in found.items()
            if name not in open_ended and name not in elsewhere}


def _reader(tag: str, trial: Trial) -> Callable[[object], object]:
    def read(value):
        try:
            if tag == "timeDate":
                return instant_of(value)
            if tag == "timeDuration":
                return delay_of(value, trial.now())
            return cycle_of(value, trial.now())
        except TimerValueError as exc:
            raise TrialFailed(str(exc)) from exc
    return read


def check_timer_values(process: etree._Element, trial: Trial, findings: Findings, file: str) -> None:
    """Every timer whose text was accepted, and every task deadline, tried as a case reaching it now would."""
    refused = {(p.file, p.element_id) for p in findings.problems if p.rule in ("timer-invalid", "juel-unsupported")}
    for tag in TIMER_TAGS:
        for node in process.iter(f"{{{BPMN}}}{tag}"):
            event = node.getparent().getparent()
            if (file, event.get("id")) in refused or not (node.text or "").strip():
                continue
            try:
                try_expression(node.text.strip(), trial, _reader(tag, trial), "按当前时间试算")
            except TrialFailed as exc:
                findings.add("timer-invalid", f"定时器 “{event.get('name') or event.get('id')}” 的表达式 "
                             f"“{node.text.strip()}”：{exc}", file, event)
    deadline_refused = {(p.file, p.element_id) for p in findings.problems if p.rule == "deadline-invalid"}
    for kind in HUMAN_TASKS:
        for task in process.iter(f"{{{BPMN}}}{kind}"):
            if (file, task.get("id")) in deadline_refused or not properties(task).get("deadline"):
                continue
            try:
                deadline = read_deadline(task)
            except ValueError:
                continue  # reported by the task checks
            for rung in sorted(rungs(deadline), key=lambda r: r.suffix != "deadline") if deadline else ():
                try:
                    # the ladder's own rungs read data_value('risk'), missing on a case not graded: not strict
                    try_expression(rung.expression, trial, _reader("timeDate", trial), "按当前时间试算",
                                   strict_reads=rung.kind not in ("escalation", "leadership"))
                except TrialFailed as exc:
                    findings.add("deadline-invalid", f"人工任务 “{task.get('name') or task.get('id')}” 的"
                                 f"{rung.name}（{rung.expression}）：{exc}", file, task)
                    break


def check_department_values(process: etree._Element, meta: dict, departments: Mapping[str, str], trial: Trial,
                            findings: Findings, file: str) -> None:
    """A task's department expression names a department that exists (when it reads no case data), and reads
    only variables something provides."""
    for task_id, info in meta["tasks"].items():
        source = (info.get("department") or "").strip()
        if not source:
            continue
        task = next(iter(process.xpath(".//*[@id=$id]", id=task_id)), None)

        def read(value):
            if not isinstance(value, str) or value not in departments:
                raise TrialFailed(f"给出的 {str(value)[:60]!r} 不是本中心的部门（可用：{', '.join(departments)}）")
        try:
            try_expression(source, trial, read)
        except TrialFailed as exc:
            findings.add("task-no-department", f"人工任务 “{info['name']}” 的承办部门表达式 “{source}”：{exc}",
                         file, task, element_id=task_id)


def check_decision_values(reads: list[tuple[str, int | None, str, str]], trial: Trial, findings: Findings,
                          file: str) -> None:
    """Each cell of a decision table the engine evaluates as written reads only variables something provides,
    and one that reads no case data evaluates (a rule's output `1/0` fails every case that matches it)."""
    for element_id, line, source, what in reads:
        try:
            try_expression(source, trial)
        except TrialFailed as exc:
            findings.add("dmn-invalid", f"{what} “{source}”：{exc}", file, element_id=element_id, line=line)


def check_condition_and_script_values(process: etree._Element, trial: Trial, findings: Findings, file: str) -> None:
    """A condition or script that reads no case data is run here: one that fails, fails every case that reaches
    it; a gateway whose every way out is such a condition, all false, with no default, is a dead end."""
    refused = {(p.file, p.element_id) for p in findings.problems if p.rule in ("script-refused", "juel-unsupported")}
    constant: dict[str, object] = {}
    for condition in process.iter(f"{{{BPMN}}}conditionExpression"):
        flow = condition.getparent()
        text = (condition.text or "").strip()
        if not text or (file, flow.get("id")) in refused:
            continue
        try:
            value = try_expression(text, trial, require_provided=False)
        except TrialFailed as exc:
            findings.add("script-fails", f"条件表达式 “{text}”：{exc}", file, flow)
            continue
        tree = ast.parse(text, mode="eval")
        if _closed(tree):
            constant[flow.get("id")] = value
    for gateway in process.iter(f"{{{BPMN}}}exclusiveGateway", f"{{{BPMN}}}inclusiveGateway"):
        outgoing = [f for f in process.iter(f"{{{BPMN}}}sequenceFlow") if f.get("sourceRef") == gateway.get("id")]
        if outgoing and not gateway.get("default") and all(f.get("id") in constant for f in outgoing) \
                and not any(constant[f.get("id")] for f in outgoing):
            findings.add("script-fails", f"网关 “{gateway.get('name') or gateway.get('id')}” 的出口条件都恒为假，"
                         "也没有默认流：案件走到这里时无路可走", file, gateway)
    for tag in ("loopCardinality", "completionCondition", "loopCondition"):
        for node in process.iter(f"{{{BPMN}}}{tag}"):
            task = node.getparent().getparent()
            text = (node.text or "").strip()
            if not text or (file, task.get("id")) in refused:
                continue

            def count(value, tag=tag):
                if tag == "loopCardinality" and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                    raise TrialFailed(f"实例数应为不小于 0 的整数，而不是 {str(value)[:60]!r}")
            try:
                try_expression(text, trial, count, require_provided=tag == "loopCardinality")
            except TrialFailed as exc:
                findings.add("script-fails", f"“{task.get('name') or task.get('id')}” 的 {tag} “{text}”：{exc}",
                             file, task)
    for script in process.iter(f"{{{BPMN}}}script"):
        task = script.getparent()
        source = script.text or ""
        if (file, task.get("id")) in refused or not source.strip() or \
                (task.get("scriptFormat") or "python").strip().lower() not in ("python", "python3", ""):
            continue
        try:
            tree = ast.parse(source, mode="exec")
        except (SyntaxError, ValueError):
            continue
        if not _closed(tree) or trial.exhausted:
            continue
        try:
            trial.execute(source)
        except NameError:
            continue  # a name read before the script sets it may come from the case's data
        except Exception as exc:  # a script that reads nothing of the case fails the same way in every case
            if isinstance(_innermost_name_error(exc), NameError):
                continue
            findings.add("script-fails", f"脚本试运行出错：{failure_reason(exc)}", file, task)


def _innermost_name_error(exc: BaseException) -> BaseException | None:
    current: BaseException | None = exc
    seen: list[BaseException] = []
    while current is not None and current not in seen:
        if isinstance(current, NameError):
            return current
        seen.append(current)
        current = current.__cause__ or current.__context__
    return None
