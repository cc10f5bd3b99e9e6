"""The worker processes behind the sandbox: limited by the operating system, replaced when stopped, never
holding up the server, per server process (a fork starts its own), gone when the server exits."""
from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from engine.calendar import WorkingCalendar
from engine.clock import ManualClock
from engine.diagram_functions import Outbox, diagram_functions
from engine.sandbox import pool
from engine.sandbox.environment import SandboxEnvironment
from engine.sandbox.errors import ScriptTimeout, ScriptTooLarge
from engine.sandbox.limits import WORKER_MEMORY_MB

ROOT = Path(__file__).resolve().parents[2]
SLOW = "pow(7, 10**4000, 10**4000 + 1)"   # one C call of many seconds


def test_a_runaway_c_call_is_killed_at_the_limit_while_other_evaluations_go_on():
    env = SandboxEnvironment(time_limit=0.5)
    env.evaluate("str(1)", {})  # a worker is up
    failure: dict = {}

    def runaway():
        started = time.monotonic()
        try:
            env.evaluate(SLOW, {})
        except ScriptTimeout as error:
            failure["error"] = error
        failure["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.1)
    answered = []
    for n in range(10):
        started = time.monotonic()
        assert env.evaluate(f"str({n}) + 'x'", {}) == f"{n}x"       # shipped to another worker
        assert env.evaluate("a > 1 and b.get('k') == 'v'", {"a": 2, "b": {"k": "v"}}) is True  # in-process
        answered.append(time.monotonic() - started)
    thread.join(10)
    assert "0.5 秒" in str(failure["error"])
    assert failure["seconds"] < 1.0
    assert max(answered) < 1.0


def test_a_worker_runs_under_an_address_space_limit_and_out_of_memory_is_a_clear_refusal():
    env = SandboxEnvironment()
    env.evaluate("str(1)", {})
    pid = pool.worker_pids()[0]
    limits = Path(f"/proc/{pid}/limits").read_text()
    line = next(row for row in limits.splitlines() if row.startswith("Max address space"))
    assert str(WORKER_MEMORY_MB * 1024 * 1024) in line
    with pytest.raises(ScriptTooLarge, match="内存"):
        env.evaluate("len('a'.ljust(10**10))", {})
    assert env.evaluate("str(2)", {}) == "2"


def test_diagram_functions_work_in_the_worker_and_their_notices_reach_the_outbox():
    clock = ManualClock(datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc))
    outbox = Outbox()
    env = SandboxEnvironment(diagram_functions(clock, WorkingCalendar.from_file(), outbox))
    context = {"title": "漏水"}
    env.execute("due = working_days(int('3'))\nsupervise(2, '督办：' + title)", context)
    assert context["due"] == env.evaluate("working_days(3)", {})  # in-process and in the worker agree
    assert context["due"].startswith("2026-03-05T18:00")
    assert [(n.kind, n.text, n.level) for n in outbox.notices] == [("escalation", "督办：漏水", 2)]


def test_a_reply_can_only_hold_plain_data():
    class Evil:
        def __reduce__(self):
            return (os.system, ("true",))

    with pytest.raises(pickle.UnpicklingError):
        pool._loads(pickle.dumps(Evil()))
    assert pool._loads(pickle.dumps(("done", b"[1]", [("info", "x", None, None)]))) == (
        "done", b"[1]", [("info", "x", None, None)])


def test_a_forked_process_starts_its_own_workers_and_leaves_the_parents_alone():
    env = SandboxEnvironment()
    assert env.evaluate("str(1)", {}) == "1"
    parent_workers = set(pool.worker_pids())
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child reports through the pipe
        try:
            answer = env.evaluate("str(40 + 2)", {})
            mine = set(pool.worker_pids())
            os.write(write, f"{answer} {int(bool(mine & parent_workers))}".encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    with os.fdopen(read) as pipe:
        answer, shared = pipe.read().split()
    assert answer == "42" and shared == "0"
    assert env.evaluate("str(7)", {}) == "7"  # the parent's pool still works
    assert parent_workers & set(pool.worker_pids())


def test_workers_end_when_the_server_process_exits():
    program = ("from engine.sandbox.environment import SandboxEnvironment; from engine.sandbox import pool; "
               "SandboxEnvironment().evaluate('str(1)', {}); import time; time.sleep(0.5); "
               "print(' '.join(map(str, pool.worker_pids())))")
    output = subprocess.run([sys.executable, "-c", program], cwd=ROOT, capture_output=True, text=True, timeout=60)
    pids = [int(pid) for pid in output.stdout.split()]
    assert pids, output.stderr
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in pids):
        time.sleep(0.05)
    assert not [pid for pid in pids if Path(f"/proc/{pid}").exists()]
