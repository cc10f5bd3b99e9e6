"""What a case costs as it lives: per-step time and stored state size of a long-running case.

Two cases on a fresh SQLite database, driven through the engine's services (no HTTP):
  - one case of benchmarks/bench_loop.bpmn (a user task with a working-day deadline timer, a script
    and a gateway looping back) completed STEPS times; the median time of one completion around
    steps 10, 100 and 500 (the 11 completions centred on each) and the stored state at each;
  - one case of the shipped pipeline through every stage, with the clock moved past each task's
    deadlines so its supervision ladders fire (reminder, 督办件, escalation, leadership) before the
    task is done, the 督办件 answered, and many follow-up visits before the agreement is fulfilled;
    the largest state it stored and the state at its last open step.
Last line: `step500/step10=X state_kb=Y` (Y: the largest of the looping case's state at step 500 and
the pipeline case's largest state).

    python benchmarks/long_case_bench.py [--steps 500] [--visits 30]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from engine import cases, definitions, schema, timer_firing, users, work  # noqa: E402
from engine.clock import SHANGHAI, ManualClock  # noqa: E402
from engine.errors import YizhanError  # noqa: E402
from engine.models import Case, InstanceState, WorkItem  # noqa: E402
from engine.runtime import Runtime  # noqa: E402
from engine.users import SYSTEM, Actor  # noqa: E402
from tests.api import pipeline  # noqa: E402

LOOP = ROOT / "benchmarks" / "bench_loop.bpmn"
START = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


def notice_reply(today) -> dict:
    return {"notice_delay_reason": "材料未齐", "notice_measures": "今日补齐材料",
            "notice_promised_date": (today + timedelta(days=7)).isoformat(), "notice_responsible_person": "中心主任"}


class Bench:
    def __init__(self, folder: str):
        url = f"sqlite:///{folder}/long-case.db"
        schema.upgrade(url)
        self.clock = ManualClock(START)
        self.rt = Runtime.from_url(url, clock=self.clock)
        schema.seed_departments(self.rt)
        files = definitions.files_from_path(ROOT / "workflows")
        definitions.deploy(self.rt, files, by=SYSTEM)
        definitions.deploy(self.rt, {LOOP.name: LOOP.read_bytes()}, by=SYSTEM)
        self.actors: dict[str, Actor] = {}
        for department in schema.reference_data()["departments"]:
            for role in ("clerk", "head"):
                name = f"{department['id']}_{role}"
                user = users.create_user(self.rt, username=name, display_name=name, role=role,
                                         department_id=department["id"], password="bench-password-1")
                self.actors[name] = user
        self.actors["supervisor"] = users.create_user(self.rt, username="supervisor", display_name="督导",
                                                      role="supervisor", department_id="center",
                                                      password="bench-password-1")

    def state_bytes(self, case_id: int) -> int:
        with self.rt.unit_of_work(write=False) as session:
            row = session.get(InstanceState, case_id)
            return len(row.state.encode()) if row is not None else 0

    def open_items(self, case_id: int) -> list[WorkItem]:
        with self.rt.unit_of_work(write=False) as session:
            return list(session.scalars(select(WorkItem).where(WorkItem.case_id == case_id, WorkItem.state == "open")
                                        .order_by(WorkItem.id)))

    def case_row(self, case_no: str) -> Case:
        with self.rt.unit_of_work(write=False) as session:
            return session.scalar(select(Case).where(Case.case_no == case_no))


def loop_case(bench: Bench, steps: int) -> tuple[list[float], list[int]]:
    """Seconds and stored bytes after each of `steps` completions of the looping case."""
    actor = bench.actors["center_clerk"]
    started = cases.start(bench.rt, pipeline.INTAKE, actor, process="bench_loop")
    case_id = bench.case_row(started.case_no).id
    item_id = bench.open_items(case_id)[0].id
    times, sizes = [], []
    for step in range(1, steps + 1):
        t0 = time.perf_counter()
        try:
            done = work.complete(bench.rt, item_id, {"note": "ok"}, actor)
        except YizhanError as exc:
            print(f"looping case: step {step} failed: {exc.message[:160]}")
            break
        times.append(time.perf_counter() - t0)
        sizes.append(bench.state_bytes(case_id))
        if not done.next_items:
            print(f"looping case: step {step} offered no next task (case {done.status})")
            break
        item_id = done.next_items[0].id
    return times, sizes


def pipeline_data(element: str, visits_left: int) -> dict:
    return {
        "review_acceptance": pipeline.ACCEPT,
        "assess_case": pipeline.assessment(),
        "dispatch": pipeline.dispatch(),
        "redispatch": pipeline.redispatch(),
        "accept_dispatch": pipeline.ACCEPT_DISPATCH,
        "resolve": pipeline.report(),
        "resolve_escalated": pipeline.report(),
        "cooperate": pipeline.cooperation(),
        "sign_agreement": pipeline.agreement(apply=False),
        "follow_up_visit": pipeline.visit("in_progress" if visits_left > 0 else "fulfilled"),
    }[element]


def pipeline_case(bench: Bench, visits: int) -> tuple[list[float], list[int], int, str]:
    """One pipeline case through every stage, its ladders firing before each task is done."""
    started = cases.start(bench.rt, pipeline.INTAKE, bench.actors["center_clerk"])
    case_id = bench.case_row(started.case_no).id
    times, sizes, fired, visits_left, laddered = [], [], 0, visits, set()
    for _ in range(1000):
        items = bench.open_items(case_id)
        if not items:
            break
        subject = next((i for i in items if not i.element_id.endswith("_notice")), items[0])
        if subject.element_id not in laddered | {"follow_up_visit", "accept_dispatch"}:
            laddered.add(subject.element_id)
            bench.clock.set(bench.clock.now() + timedelta(days=14))  # every rung of its ladder falls due
            fired += timer_firing.fire_due(bench.rt)
            continue
        for item in bench.open_items(case_id):  # the 督办件 first, then the task it is about
            if not item.element_id.endswith("_notice"):
                continue
            t0 = time.perf_counter()
            work.complete(bench.rt, item.id, notice_reply(bench.clock.now().date()),
                          bench.actors[f"{item.department_id}_head"])
            times.append(time.perf_counter() - t0)
            sizes.append(bench.state_bytes(case_id))
        item = next(i for i in bench.open_items(case_id) if not i.element_id.endswith("_notice"))
        if item.element_id == "follow_up_visit":
            visits_left -= 1
            bench.clock.set(bench.clock.now() + timedelta(days=3))
            fired += timer_firing.fire_due(bench.rt)
            item = next(i for i in bench.open_items(case_id) if not i.element_id.endswith("_notice"))
        if item.required_role == "supervisor":
            actor = bench.actors["supervisor"]
        else:
            role = "head" if item.required_role == "head" or item.element_id == "dispatch" else "clerk"
            actor = bench.actors[f"{item.department_id}_{role}"]
        t0 = time.perf_counter()
        work.complete(bench.rt, item.id, pipeline_data(item.element_id, visits_left), actor)
        times.append(time.perf_counter() - t0)
        sizes.append(bench.state_bytes(case_id))
    return times, sizes, fired, bench.case_row(started.case_no).status


def around(times: list[float], step: int) -> float:
    """Median milliseconds of the 11 completions centred on `step` (1-based)."""
    window = times[max(0, step - 6):step + 5]
    return statistics.median(window) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--visits", type=int, default=30, help="follow-up visits before the agreement is fulfilled")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        bench = Bench(folder)
        times, sizes = loop_case(bench, args.steps)
        print(f"looping case, {args.steps} completions (SQLite, engine services):")
        marks = [s for s in (10, 100, 500) if s <= len(times)]
        for step in marks:
            print(f"  step {step:4d}: {around(times, step):7.2f} ms per completion, "
                  f"state {sizes[step - 1] / 1024:7.1f} KB")
        p_times, p_sizes, fired, status = pipeline_case(bench, args.visits)
        print(f"pipeline case: {len(p_times)} completions, {fired} timers fired, {args.visits} follow-up visits, "
              f"ended {status}")
        print(f"  median {statistics.median(p_times) * 1000:.2f} ms per completion, last "
              f"{p_times[-1] * 1000:.2f} ms; state largest {max(p_sizes) / 1024:.1f} KB, at its last open step "
              f"{p_sizes[-2] / 1024:.1f} KB")
    last = marks[-1]
    ratio = around(times, last) / around(times, marks[0])
    state_kb = max(sizes[last - 1], max(p_sizes)) / 1024
    print(f"step{last}/step{marks[0]}={ratio:.2f} state_kb={state_kb:.1f}")


if __name__ == "__main__":
    main()
