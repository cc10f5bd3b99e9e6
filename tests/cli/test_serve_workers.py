"""`yizhan serve --workers N`: several processes answer, one scheduler fires timers beside them, and a stop
ends them all with the scheduler's lease handed back."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from click.testing import CliRunner

from engine import lease
from engine.runtime import Runtime
from web.cli import main


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _children(pid: int) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(cmdline)
    return found


def _wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                assert answer.status == 200
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_serve_with_two_workers_answers_runs_one_scheduler_and_stops_cleanly(tmp_path):
    url = f"sqlite:///{tmp_path / 'workers.db'}"
    assert CliRunner().invoke(main, ["init-db", "--database-url", url]).exit_code == 0
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": url, "YIZHAN_DATA_DIR": str(tmp_path),
           "YIZHAN_SCHEDULER_INTERVAL": "0.5"}
    server = subprocess.Popen([sys.executable, "-c", "from web.cli import main; main()", "serve", "--port",
                               str(port), "--workers", "2", "--threads", "2"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_for(f"http://127.0.0.1:{port}/login")
        for _ in range(10):
            _wait_for(f"http://127.0.0.1:{port}/api/v1/openapi.json")
        children = _children(server.pid)
        assert sum(" serve " in c for c in children) == 2, children  # two workers
        assert sum(c.rstrip().endswith("scheduler") for c in children) == 1, children  # one scheduler
        rt = Runtime.from_url(url)
        deadline = time.monotonic() + 20
        while not _lease_held(rt):
            assert time.monotonic() < deadline, "the scheduler never took its lease"
            time.sleep(0.2)
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    assert server.returncode == 0, output
    assert "serving on" in output and "2 workers" in output and "Traceback" not in output
    assert "handed the timer lease back" in output
    assert not _children(server.pid)
    assert not _lease_held(rt)



def _lease_held(rt: Runtime) -> bool:
    return lease.current(rt) is not None
