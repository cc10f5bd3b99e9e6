"""How late timers fire, and how many the scheduler fires per second, with 100,000 timers pending.

Builds a throw-away SQLite database with benchmarks/bench_loop.bpmn deployed and real cases started
through the engine, each waiting on a boundary timer, plus filler cases whose timers fall due months
from now, so the timer table holds 100,000 pending rows. Then, with the scheduler running as the
application runs it (TimerScheduler in a background thread, default beat, lease held):
  1. 1,000 timers fall due spread over one minute: prints the lateness of their firings
     (fired_at - due_at, fired_at being the instant the firing transaction began: median, p99, max);
  2. another 1,000 fall due at the same instant: prints how many the scheduler fired per second.
Each firing is the real one: load the case, fire the timer in SpiffWorkflow, run the script on its
path, save, refresh projections, audit, in one transaction.
Last line: `p99_lateness_s=X fired_per_s=Y`.

    python benchmarks/timer_bench.py [--pending 100000] [--spread 1000] [--burst 1000]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select, update  # noqa: E402

from engine import cases, definitions, schema, users  # noqa: E402
from engine.models import Case, Timer  # noqa: E402
from engine.runtime import Runtime  # noqa: E402
from engine.scheduler import TimerScheduler  # noqa: E402

DIAGRAM = ROOT / "benchmarks" / "bench_loop.bpmn"
INTAKE = {"channel": "walk_in", "dispute_type": "neighbour", "title": "基准案件", "description": "基准",
          "place": "基准街道", "parties": [{"name": "张三", "role": "applicant"}]}


def start_cases(rt: Runtime, count: int, actor) -> list[int]:
    """Start `count` bench cases; returns the ids of their waiting timers."""
    for _ in range(count):
        cases.start(rt, INTAKE, actor, process="bench_loop")
    with rt.unit_of_work(write=False) as session:
        return list(session.scalars(select(Timer.id).where(Timer.state == "waiting")))


def add_filler(rt: Runtime, count: int, rng: random.Random) -> None:
    """`count` pending timers of filler cases, due 30 to 300 days from now (they never fire here)."""
    now = datetime.now(timezone.utc)
    with rt.unit_of_work() as session:
        pattern = session.scalars(select(Case)).first()
        first = session.scalar(select(func.max(Case.id))) + 1
        case_rows, timer_rows = [], []
        for n in range(first, first + count):
            case_rows.append(dict(id=n, case_no=f"F-{n:08d}", definition_id=pattern.definition_id, status="open",
                                  stage="bench_loop", stage_name="基准", title="填充", dispute_type="neighbour",
                                  channel="walk_in", party_names="填充", created_by="bench", created_at=now,
                                  updated_at=now))
            timer_rows.append(dict(case_id=n, task_id=f"filler-{n}", element_id="handle_deadline", name="办理期限",
                                   kind="supervision", attached_to="handle", state="waiting",
                                   due_at=now + timedelta(days=rng.uniform(30, 300))))
        for rows, model in ((case_rows, Case), (timer_rows, Timer)):
            for start in range(0, len(rows), 5000):
                session.execute(insert(model), rows[start:start + 5000])


def set_due(rt: Runtime, dues: dict[int, datetime]) -> None:
    with rt.unit_of_work() as session:
        for timer_id, due in dues.items():
            session.execute(update(Timer).where(Timer.id == timer_id).values(due_at=due))


def wait_fired(rt: Runtime, ids: list[int], limit_seconds: float) -> list[tuple[datetime, datetime]]:
    """(due_at, fired_at) of the timers once all have fired (or the limit passed)."""
    deadline = time.monotonic() + limit_seconds
    while True:
        with rt.unit_of_work(write=False) as session:
            rows = session.execute(select(Timer.due_at, Timer.fired_at).where(
                Timer.id.in_(ids), Timer.state == "fired")).all()
        if len(rows) == len(ids) or time.monotonic() > deadline:
            return rows
        time.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pending", type=int, default=100_000, help="timers pending in all")
    parser.add_argument("--spread", type=int, default=1_000, help="timers falling due over one minute")
    parser.add_argument("--burst", type=int, default=1_000, help="timers falling due at one instant")
    parser.add_argument("--interval", type=float, default=5.0, help="the scheduler's beat in seconds")
    args = parser.parse_args()
    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'timer-bench.db'}"
        schema.upgrade(url)
        rt = Runtime.from_url(url)
        schema.seed_departments(rt)
        definitions.deploy(rt, {DIAGRAM.name: DIAGRAM.read_bytes()})
        actor = users.create_user(rt, username="bench", display_name="基准", role="clerk", department_id="center",
                                  password="bench-password")
        started = time.perf_counter()
        real = start_cases(rt, args.spread + args.burst, actor)
        add_filler(rt, args.pending - len(real), rng)
        with rt.unit_of_work(write=False) as session:
            pending = session.scalar(select(func.count()).select_from(Timer).where(Timer.state == "waiting"))
        print(f"{pending} timers pending ({len(real)} of real cases started through the engine); "
              f"built in {time.perf_counter() - started:.1f} s")
        spread, burst = real[:args.spread], real[args.spread:]

        scheduler = TimerScheduler(rt, interval_seconds=args.interval)
        scheduler.start_background()
        try:
            begin = datetime.now(timezone.utc) + timedelta(seconds=5)
            set_due(rt, {timer_id: begin + timedelta(seconds=rng.uniform(0, 60)) for timer_id in spread})
            rows = wait_fired(rt, spread, 180)
            lateness = sorted((fired - due).total_seconds() for due, fired in rows)
            p99 = lateness[min(len(lateness) - 1, round(0.99 * (len(lateness) - 1)))]
            print(f"spread: {len(rows)}/{len(spread)} fired over one minute; lateness median "
                  f"{statistics.median(lateness):.3f} s, p99 {p99:.3f} s, max {lateness[-1]:.3f} s")

            instant = datetime.now(timezone.utc) + timedelta(seconds=3)
            set_due(rt, {timer_id: instant for timer_id in burst})
            rows = wait_fired(rt, burst, 300)
            last = max(fired for _, fired in rows)
            rate = len(rows) / max((last - instant).total_seconds(), 1e-6)
            print(f"burst: {len(rows)}/{len(burst)} due at one instant, all fired "
                  f"{(last - instant).total_seconds():.2f} s later: {rate:.0f} timers fired per second")
        finally:
            scheduler.stop()
            rt.session_factory.kw["bind"].dispose()
    print(f"p99_lateness_s={p99:.3f} fired_per_s={rate:.0f}")


if __name__ == "__main__":
    main()
