"""Engine cost per completed user task, against raw SpiffWorkflow, and its growth with stored cases.

Prints, for one diagram (benchmarks/bench_loop.bpmn: a user task with a working-day deadline
timer, a script and a gateway looping back to it):
  - the median time to complete one user task through Yizhan's engine with SQLite persistence
    (load state, sandboxed scripts, run, save under the version lock, refresh projections, audit);
  - the median for raw SpiffWorkflow doing the same step in memory, deserializing and
    serializing the workflow with its default serializer;
  - their ratio, and the engine's per-task median with 10,000 cases stored against 100.
Last line: `engine/raw=R growth=G`.

    python benchmarks/engine_bench.py [--cases 10000] [--samples 400]
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

DIAGRAM = ROOT / "benchmarks" / "bench_loop.bpmn"
INTAKE = {"channel": "walk_in", "dispute_type": "neighbour", "title": "基准案件", "description": "基准",
          "place": "基准街道", "parties": [{"name": "张三", "role": "applicant"}]}


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def raw_spiff(samples: int, pool_size: int = 100) -> float:
    """Median seconds for: deserialize, complete the ready user task, run the engine, serialize.

    Like the engine run, it works on a pool of instances chosen in the same random order, so both
    sides see task trees of the same size.
    """
    parser = SpiffBpmnParser()
    parser.add_bpmn_file(str(DIAGRAM))
    spec = parser.get_spec("bench_loop")
    functions = diagram_functions(SystemClock(), WorkingCalendar.from_file(), Outbox())
    engine = PythonScriptEngine(environment=TaskDataEnvironment(functions))
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
    pool = []
    for _ in range(pool_size):
        workflow = BpmnWorkflow(spec, script_engine=engine)
        workflow.do_engine_steps()
        pool.append(serializer.serialize_json(workflow))
    rng = random.Random(7)
    timings = []
    for _ in range(samples):
        index = rng.randrange(pool_size)
        started = time.perf_counter()
        workflow = serializer.deserialize_json(pool[index])
        workflow.script_engine = engine
        task = workflow.get_tasks(state=TaskState.READY, manual=True)[0]
        task.data.update({"note": "ok"})
        task.run()
        workflow.do_engine_steps()
        pool[index] = serializer.serialize_json(workflow)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def open_item_ids(rt: Runtime) -> list[int]:
    with rt.unit_of_work(write=False) as session:
        return list(session.scalars(select(WorkItem.id).where(WorkItem.state == "open")))


def engine_completions(rt: Runtime, actor, samples: int) -> float:
    """Median seconds for work.complete on randomly chosen open items of the stored cases."""
    timings = []
    pool = open_item_ids(rt)
    rng = random.Random(7)
    for _ in range(samples):
        index = rng.randrange(len(pool))
        started = time.perf_counter()
        result = work.complete(rt, pool[index], {"note": "ok"}, actor)
        timings.append(time.perf_counter() - started)
        pool[index] = result.next_items[0].id
    return statistics.median(timings)


def add_cases(rt: Runtime, actor, count: int) -> None:
    for _ in range(count):
        cases.start(rt, INTAKE, actor, process="bench_loop")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000, help="cases stored for the growth figure")
    parser.add_argument("--samples", type=int, default=400, help="completions measured per figure")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        schema.upgrade(url)
        rt = Runtime.from_url(url)
        schema.seed_departments(rt)
        definitions.deploy(rt, {DIAGRAM.name: DIAGRAM.read_bytes()})
        actor = users.create_user(rt, username="bench", display_name="基准", role="clerk",
                                  department_id="center", password="bench-password")
        add_cases(rt, actor, 100)
        engine_small = engine_completions(rt, actor, args.samples)
        raw = raw_spiff(args.samples)
        print(f"diagram: {DIAGRAM.relative_to(ROOT)}")
        print(f"engine (SQLite, 100 cases stored): median {median_ms([engine_small]):.3f} ms per completed task")
        print(f"raw SpiffWorkflow (in memory, deserialize+serialize): median {median_ms([raw]):.3f} ms per task")
        started = time.perf_counter()
        add_cases(rt, actor, args.cases - 100)
        print(f"stored {args.cases} cases in {time.perf_counter() - started:.1f} s")
        engine_large = engine_completions(rt, actor, args.samples)
        print(f"engine (SQLite, {args.cases} cases stored): "
              f"median {median_ms([engine_large]):.3f} ms per completed task")
        ratio, growth = engine_small / raw, engine_large / engine_small
        print(f"engine/raw={ratio:.2f} growth={growth:.2f}")


if __name__ == "__main__":
    main()
