"""Engine cost per completed user task, against raw SpiffWorkflow, and its growth with stored cases.

Prints, for one diagram (benchmarks/bench_loop.bpmn: a user task with a working-day deadline
timer, a script and a gateway looping back to it):
  - the median time to complete one user task through Yizhan's engine with SQLite persistence
    (load state, sandboxed scripts, run, save under the version lock, refresh projections, audit);
  - the median for raw SpiffWorkflow doing the same step in memory, deserializing and
    serializing the workflow with its default serializer;
  - their ratio, and the engine's per-task median with 10,000 cases stored against 100;
  - what the sandbox costs: evaluations per completed task, how many of them went to a worker process,
    and the median cost of one evaluation in-process and in a worker.
The three are measured interleaved, step by step, on pools of the same size, so the noise of a
shared machine and the growth of the looping task tree fall on all of them alike.
Last line: `engine/raw=R growth=G`.

    python benchmarks/engine_bench.py [--cases 10000] [--pool 100] [--rounds 4]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from SpiffWorkflow.bpmn import BpmnWorkflow  # noqa: E402
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment  # noqa: E402
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer  # noqa: E402
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser  # noqa: E402
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG  # noqa: E402
from SpiffWorkflow.util.task import TaskState  # noqa: E402
from sqlalchemy import select  # noqa: E402

from engine import cases, definitions, schema, users, work  # noqa: E402
from engine.calendar import WorkingCalendar  # noqa: E402
from engine.clock import SystemClock  # noqa: E402
from engine.diagram_functions import Outbox, diagram_functions  # noqa: E402
from engine.models import WorkItem  # noqa: E402
from engine.runtime import Runtime  # noqa: E402
from engine.sandbox import pool as sandbox_pool  # noqa: E402
from engine.sandbox.environment import SandboxEnvironment  # noqa: E402

DIAGRAM = ROOT / "benchmarks" / "bench_loop.bpmn"
INTAKE = {"channel": "walk_in", "dispute_type": "neighbour", "title": "基准案件", "description": "基准",
          "place": "基准街道", "parties": [{"name": "张三", "role": "applicant"}]}


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


class RawSpiff:
    """Raw SpiffWorkflow on a pool of in-memory instances, serialized with its default serializer."""

    def __init__(self, pool_size: int):
        parser = SpiffBpmnParser()
        parser.add_bpmn_file(str(DIAGRAM))
        spec = parser.get_spec("bench_loop")
        functions = diagram_functions(SystemClock(), WorkingCalendar.from_file(), Outbox())
        self.script_engine = PythonScriptEngine(environment=TaskDataEnvironment(functions))
        self.serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
        self.pool = []
        for _ in range(pool_size):
            workflow = BpmnWorkflow(spec, script_engine=self.script_engine)
            workflow.do_engine_steps()
            self.pool.append(self.serializer.serialize_json(workflow))

    def step(self, index: int) -> float:
        """Seconds for: deserialize, complete the ready user task, run the engine, serialize."""
        started = time.perf_counter()
        workflow = self.serializer.deserialize_json(self.pool[index])
        workflow.script_engine = self.script_engine
        task = workflow.get_tasks(state=TaskState.READY, manual=True)[0]
        task.data.update({"note": "ok"})
        task.run()
        workflow.do_engine_steps()
        self.pool[index] = self.serializer.serialize_json(workflow)
        return time.perf_counter() - started


class EngineStore:
    """A SQLite database of bench cases, and the open item of each case in a sample of them."""

    def __init__(self, folder: str, name: str, stored: int, sample: int):
        url = f"sqlite:///{folder}/{name}.db"
        schema.upgrade(url)
        self.rt = Runtime.from_url(url)
        schema.seed_departments(self.rt)
        definitions.deploy(self.rt, {DIAGRAM.name: DIAGRAM.read_bytes()})
        self.actor = users.create_user(self.rt, username="bench", display_name="基准", role="clerk",
                                       department_id="center", password="bench-password")
        for _ in range(stored):
            cases.start(self.rt, INTAKE, self.actor, process="bench_loop")
        with self.rt.unit_of_work(write=False) as session:
            open_ids = list(session.scalars(select(WorkItem.id).where(WorkItem.state == "open")))
        self.pool = random.Random(11).sample(open_ids, sample)

    def step(self, index: int) -> float:
        """Seconds for work.complete on the open item of the index-th sampled case."""
        started = time.perf_counter()
        result = work.complete(self.rt, self.pool[index], {"note": "ok"}, self.actor)
        elapsed = time.perf_counter() - started
        self.pool[index] = result.next_items[0].id
        return elapsed


def measure(runners: dict, pool_size: int, rounds: int) -> dict[str, list[float]]:
    """Interleave the runners step by step, so machine noise falls on all of them alike.

    Each round completes one task on every instance of a pool, in a shuffled order, so every
    runner works on task trees of the same size at the same moment.
    """
    timings: dict[str, list[float]] = {name: [] for name in runners}
    rng = random.Random(7)
    for round_no in range(rounds + 1):
        order = list(range(pool_size))
        rng.shuffle(order)
        for index in order:
            for name, runner in runners.items():
                elapsed = runner.step(index)
                if round_no:  # the first round warms caches and is not counted
                    timings[name].append(elapsed)
    return timings


class SandboxCounter:
    """Counts evaluate/execute calls of the sandbox, and those that went to a worker process."""

    def __init__(self):
        self.calls = 0
        self.shipped = 0
        evaluate, execute, run = SandboxEnvironment.evaluate, SandboxEnvironment.execute, sandbox_pool.run

        def counted(method):
            def wrapper(*args, **kwargs):
                self.calls += 1
                return method(*args, **kwargs)
            return wrapper

        def shipped(*args, **kwargs):
            self.shipped += 1
            return run(*args, **kwargs)

        SandboxEnvironment.evaluate, SandboxEnvironment.execute = counted(evaluate), counted(execute)
        sandbox_pool.run = shipped


def sandbox_costs(rounds: int = 2000) -> dict[str, float]:
    """Median microseconds of one evaluation: in-process, and in a worker (with ~2 KB of task data)."""
    env = SandboxEnvironment(diagram_functions(SystemClock(), WorkingCalendar.from_file(), Outbox()))
    data = {"rounds": 3, "risk": "red", "party": {"kind": "company"}, "notes": ["记录" * 20] * 20}
    cases = {
        "in-process condition `risk == 'red' and party.get('kind') == 'company'`":
            lambda: env.evaluate("risk == 'red' and party.get('kind') == 'company'", data),
        "in-process timer `working_days(3)`": lambda: env.evaluate("working_days(3)", data),
        "worker condition `any(n > 2 for n in [rounds])`": lambda: env.evaluate("any(n > 2 for n in [rounds])", data),
        "worker script `notify('supervision', '办理已超期')`":
            lambda: env.execute("notify('supervision', '办理已超期')", dict(data)),
    }
    found = {}
    for name, call in cases.items():
        call()
        samples = []
        for _ in range(rounds):
            started = time.perf_counter()
            call()
            samples.append(time.perf_counter() - started)
        found[name] = statistics.median(samples) * 1_000_000
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000, help="cases stored for the growth figure")
    parser.add_argument("--pool", type=int, default=100, help="cases worked on in each store")
    parser.add_argument("--rounds", type=int, default=4, help="completions per case measured")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        small = EngineStore(folder, "small", args.pool, args.pool)
        large = EngineStore(folder, "large", args.cases, args.pool)
        raw = RawSpiff(args.pool)
        print(f"diagram: {DIAGRAM.relative_to(ROOT)}; stores built in {time.perf_counter() - started:.1f} s")
        counter = SandboxCounter()
        timings = measure({"small": small, "large": large, "raw": raw}, args.pool, args.rounds)
    engine_small, engine_large, raw_median = (median_ms(timings[name]) for name in ("small", "large", "raw"))
    count = len(timings["raw"])
    print(f"engine (SQLite, {args.pool} cases stored): median {engine_small:.3f} ms per completed task "
          f"({count} samples)")
    print(f"raw SpiffWorkflow (in memory, deserialize+serialize): median {raw_median:.3f} ms per task")
    print(f"engine (SQLite, {args.cases} cases stored): median {engine_large:.3f} ms per completed task")
    steps = 2 * args.pool * (args.rounds + 1)
    print(f"sandbox: {counter.calls / steps:.1f} evaluations per completed task, "
          f"{counter.shipped / steps:.1f} of them in a worker process")
    for name, micros in sandbox_costs().items():
        print(f"sandbox: {name}: median {micros:.1f} µs")
    print(f"engine/raw={engine_small / raw_median:.2f} growth={engine_large / engine_small:.2f}")


if __name__ == "__main__":
    main()
