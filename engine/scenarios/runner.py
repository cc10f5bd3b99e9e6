"""Playing a scenario: register the case, then each step through the services the web app calls
(`cases.start`, `work.complete`, `messages.send`, the timer firing the scheduler does), judging the
expectations after each; the first step that cannot be done or whose expectation fails ends the run."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from .. import cases, messages, timer_firing, work
from ..clock import ManualClock
from ..errors import Invalid, YizhanError
from ..runtime import Runtime
from .expectations import Failure, Observation, first_failure, tasks_text
from .format import ClockMove, Scenario, ScenarioError, Step, load_file, scenario_files
from .world import DiagramSource, World, checks_beside

REGISTERING = "登记案件"
MAX_TIMER_ROUNDS = 10_000  # a clock move fires at most this many due timers (a runaway cycle stops here)


@dataclass(frozen=True)
class StepResult:
    number: int                    # 0 is the registration
    label: str
    failure: Failure | None = None
    process_id: str | None = None  # where the failing element is drawn
    file: str | None = None

    @property
    def ok(self) -> bool:
        return self.failure is None


@dataclass
class ScenarioResult:
    file: str
    name: str
    steps: list[StepResult] = field(default_factory=list)
    error: str | None = None       # the file could not be read or checked

    @property
    def passed(self) -> bool:
        return self.error is None and all(step.ok for step in self.steps)

    @property
    def failed_step(self) -> StepResult | None:
        return next((step for step in self.steps if not step.ok), None)

    def as_dict(self) -> dict:
        failed = self.failed_step
        return {"file": self.file, "name": self.name, "passed": self.passed, "error": self.error,
                "steps": [{"number": s.number, "label": s.label, "ok": s.ok} for s in self.steps],
                "failed_step": None if failed is None else {
                    "number": failed.number, "label": failed.label, "expectation": failed.failure.text,
                    "element_id": failed.failure.element_id, "process_id": failed.process_id, "file": failed.file}}


def run_paths(paths: Iterable[Path], source: DiagramSource, on_step: Callable | None = None,
              root: Path | None = None, on_result: Callable | None = None) -> list[ScenarioResult]:
    """Run every scenario file at `paths` against `source`; files that do not parse are failed results."""
    loaded: list[Scenario | ScenarioResult] = []
    for path in scenario_files(list(paths)):
        shown = str(path.relative_to(root)) if root is not None and path.is_relative_to(root) else str(path)
        try:
            loaded.append(load_file(path, shown))
        except ScenarioError as exc:
            loaded.append(ScenarioResult(shown, path.stem, error=exc.message))
    return run_all(loaded, source, on_step, on_result)


def run_all(scenarios: list, source: DiagramSource, on_step: Callable | None = None,
            on_result: Callable | None = None) -> list[ScenarioResult]:
    """Run parsed scenarios (results already failed are passed through) in one world built from `source`;
    `on_step(scenario, step)` hears each step as it is played, `on_result(result)` each scenario's verdict."""
    on_result = on_result or (lambda result: None)
    results: list[ScenarioResult] = []
    world = World(source, checks=checks_beside(source)) if any(isinstance(s, Scenario) for s in scenarios) \
        else None
    try:
        for entry in scenarios:
            result = entry if isinstance(entry, ScenarioResult) else run(world, entry, on_step)
            on_result(result)
            results.append(result)
    finally:
        if world is not None:
            world.close()
    return results


def run(world: World, scenario: Scenario, on_step: Callable | None = None) -> ScenarioResult:
    """Play one scenario on its own copy of the world's database."""
    result = ScenarioResult(scenario.file, scenario.name)
    rt = world.runtime(scenario.start)
    try:
        _Play(world, rt, scenario, result, on_step).run()
    finally:
        world.release(rt)
    return result


class _Play:
    def __init__(self, world: World, rt: Runtime, scenario: Scenario, result: ScenarioResult, on_step):
        self.world, self.rt, self.scenario, self.result = world, rt, scenario, result
        self.on_step = on_step or (lambda scenario, step: None)
        self.reader = world.actors["supervisor"]
        self.case_no: str | None = None

    def record(self, number: int, label: str, failure: Failure | None) -> bool:
        process_id, file = self.world.elements.get(failure.element_id, (None, None)) \
            if failure is not None and failure.element_id else (None, None)
        step = StepResult(number, label, failure, process_id, file)
        self.result.steps.append(step)
        self.on_step(self.scenario, step)
        return step.ok

    def run(self) -> None:
        try:
            started = cases.start(self.rt, self.scenario.intake, self.world.actors["center_clerk"],
                                  process=self.scenario.process)
        except YizhanError as exc:
            self.record(0, REGISTERING, Failure(f"无法登记：{_reason(exc)}", getattr(exc, "element_id", None)))
            return
        self.case_no = started.case_no
        if not self.record(0, REGISTERING, None):
            return
        for step in self.scenario.steps:
            failure = self.act(step)
            if failure is None and not step.expect.empty():
                seen = Observation.of(self.rt, self.case_no, self.reader)
                failure = first_failure(step.expect, seen)
                if failure is not None:  # the failing step's own element: the task it completed, the catcher
                    failure = Failure(failure.text, self.element_of(step) or failure.element_id)
            if not self.record(step.number, step.describe(), failure):
                return

    def element_of(self, step: Step) -> str | None:
        """The element a step is about: its task or the catcher of its message; None for a clock move or a check,
        whose expectation names its own element (the task expected in an inbox, the one supervised)."""
        if step.kind == "complete":
            return step.task
        if step.kind == "message":
            return self.world.messages.get(step.message)
        return None

    def act(self, step: Step) -> Failure | None:
        try:
            if step.kind == "complete":
                return self.complete(step)
            if step.kind == "clock":
                return self.move_clock(step.clock)
            if step.kind == "message":
                return self.message(step)
        except YizhanError as exc:
            element = getattr(exc, "element_id", None) or step.task or self.world.messages.get(step.message or "")
            return Failure(f"{step.describe()} 未能完成：{_reason(exc)}", element)
        return None

    def complete(self, step: Step) -> Failure | None:
        seen = Observation.of(self.rt, self.case_no, self.reader)
        candidates = [i for i in seen.open_items(step.department) if i.element_id == step.task]
        if not candidates:
            where = f"{step.department} 的待办中" if step.department else "待办中"
            return Failure(f"任务 {step.task} 不在{where}（本案全部待办：{tasks_text(seen.open_items())}）", step.task)
        departments = sorted({i.department_id for i in candidates})
        if len(departments) > 1:
            return Failure(f"任务 {step.task} 同时在 {'、'.join(departments)} 的待办中："
                           "请用 department 写明由哪个部门办结", step.task)
        item = candidates[0]
        username = step.username or _who_does(item)
        actor = self.world.actors.get(username)
        if actor is None:
            return Failure(f"没有用户 {username}（可用：各部门的 <部门>_clerk、<部门>_head，以及 supervisor）",
                           step.task)
        work.complete(self.rt, item.id, step.data, actor)
        return None

    def message(self, step: Step) -> Failure | None:
        department = step.department or next(iter(sorted(messages.SENDERS.get(step.message, ()))), "center")
        actor = self.world.actors.get(f"{department}_clerk")
        if actor is None:
            return Failure(f"没有部门 {department}，无法由它发送消息 {step.message}",
                           self.world.messages.get(step.message))
        messages.send(self.rt, self.case_no, step.message, step.data, actor)
        return None

    def move_clock(self, move: ClockMove) -> Failure | None:
        clock: ManualClock = self.rt.clock
        now = clock.now()
        target = _target(self.rt, now, move)
        if target < now:
            return Failure(f"时钟不能倒退：现在是 {now.isoformat()}，要拨到 {target.isoformat()}")
        before = len(Observation.of(self.rt, self.case_no, self.reader).file.history)
        previous = None
        for _ in range(MAX_TIMER_ROUNDS):
            due = timer_firing.next_due_at(self.rt)
            if due is None or due > target or due == previous:  # none left before the target, or none that fires
                break
            clock.set(max(clock.now(), due))  # each timer fires at its own instant, as the scheduler would
            timer_firing.fire_due(self.rt)
            previous = due
        clock.set(target)
        history = Observation.of(self.rt, self.case_no, self.reader).file.history[before:]
        failed = next((h for h in history if h["kind"] == "timer_failed"), None)
        if failed is not None:
            return Failure(failed["summary"], failed["element_id"])
        return None


def _target(rt: Runtime, now: datetime, move: ClockMove) -> datetime:
    if move.to is not None:
        return move.to
    if move.hours is not None:
        return now + timedelta(hours=move.hours)
    if move.days is not None:
        return now + timedelta(days=move.days)
    local = now.astimezone(rt.calendar.timezone)
    day = local.date()
    for _ in range(move.working_days):
        day += timedelta(days=1)
        while not rt.calendar.is_working_day(day):
            day += timedelta(days=1)
    return datetime.combine(day, local.timetz())


def _who_does(item) -> str:
    """The account that does an item: its department's head or clerk as its role asks, or a supervisor."""
    if item.required_role == "supervisor":
        return "supervisor"
    return f"{item.department_id}_{'head' if item.required_role == 'head' else 'clerk'}"


def _reason(exc: YizhanError) -> str:
    if isinstance(exc, Invalid) and exc.fields:
        details = "；".join(f"{name or '表单'}：{'、'.join(texts)}" for name, texts in sorted(exc.fields.items()))
        return f"{exc.message}（{details}）"
    return exc.message
