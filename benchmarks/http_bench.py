"""Task completions per second over HTTP, on PostgreSQL, with the production serving mode.

Starts `yizhan serve --workers W --threads T` (gunicorn, the scheduler in a process of its own) on a
database of its own, then N client threads, each with its own keep-alive connection, register cases over the
JSON API and complete every task of the ordinary path (acceptance, assessment, dispatch, both departments'
acceptance, cooperation, resolution, agreement, follow-up visit: nine completions a case) for a fixed time.
Each client finds a case's first item in its inbox (GET /api/v1/work-items) and the later ones in the
completion's `next_items`. Prints, for 1 client and for each (workers, clients) tried: completions/s, and the
p50 and p95 time of one completion (the POST .../complete request, as the client sees it).
Last line: `http_completions_per_s=X p50_ms=Y` (X: the best configuration; Y: one client).

    python benchmarks/http_bench.py [--database-url postgresql://postgres@127.0.0.1:5432/wt_http]
                                    [--seconds 15] [--workers 2,3] [--clients 2,4,8] [--threads 4]
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from engine import definitions, schema, users  # noqa: E402
from engine.demo import _ensure_users  # noqa: E402
from engine.users import SYSTEM  # noqa: E402
from tests.api.pipeline import (  # noqa: E402
    ACCEPT,
    ACCEPT_DISPATCH,
    INTAKE,
    agreement,
    assessment,
    cooperation,
    dispatch,
    report,
    visit,
)

DATA = {"review_acceptance": ACCEPT, "assess_case": assessment(), "dispatch": dispatch(),
        "accept_dispatch": ACCEPT_DISPATCH, "cooperate": cooperation(), "resolve": report(),
        "sign_agreement": agreement(apply=False), "follow_up_visit": visit("fulfilled")}
HEAD_ELEMENTS = {"dispatch"}  # tasks a department head does; the rest its clerk


def set_up(url: str) -> dict[str, str]:
    """Schema, departments, the shipped diagrams, one account per department and role; their tokens."""
    from web import create_app
    from web.config import from_environment
    schema.upgrade(url)
    app = create_app({"DATABASE_URL": url, "SCHEDULER_ENABLED": False})
    rt = app.extensions["yizhan"]
    schema.seed_departments(rt)
    definitions.deploy(rt, definitions.files_from_path(Path(from_environment()["WORKFLOWS_DIR"])), by=SYSTEM)
    return {username: users.issue_token(rt, username, "http-bench") for username, _r, _d in _ensure_users(rt)}


class Client:
    def __init__(self, port: int, tokens: dict[str, str]):
        self.port, self.tokens = port, tokens
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.completions: list[float] = []
        self.errors = 0

    def call(self, method: str, path: str, user: str, body=None) -> tuple[int, dict]:
        headers = {"Authorization": f"Bearer {self.tokens[user]}", "Accept": "application/json"}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            try:
                self.connection.request(method, "/api/v1" + path, body=payload, headers=headers)
                response = self.connection.getresponse()
                raw = response.read()
                return response.status, (json.loads(raw) if raw else {})
            except (http.client.HTTPException, ConnectionError, socket.timeout):
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def one_case(self, stop_at: float) -> None:
        status, started = self.call("POST", "/cases", "center_clerk", INTAKE)
        if status != 201:
            self.errors += 1
            return
        case_no = started["case_no"]
        status, listed = self.call("GET", "/work-items?limit=200", "center_clerk")
        pending = [i for i in listed.get("items", []) if i["case_no"] == case_no]
        while pending and time.perf_counter() < stop_at:
            item = pending.pop(0)
            element = item["element_id"]
            user = f"{item['department_id']}_{'head' if element in HEAD_ELEMENTS else 'clerk'}"
            began = time.perf_counter()
            status, done = self.call("POST", f"/work-items/{item['id']}/complete", user, {"data": DATA[element]})
            took = time.perf_counter() - began
            if status != 200:
                self.errors += 1
                return
            self.completions.append(took)
            pending += [i for i in done["next_items"] if i["id"] not in {p["id"] for p in pending}]

    def run(self, stop_at: float) -> None:
        while time.perf_counter() < stop_at:
            self.one_case(stop_at)


def serve(url: str, port: int, workers: int, threads: int) -> subprocess.Popen:
    command = [sys.executable, "-c", "from web.cli import main; main()", "serve", "--port", str(port),
               "--workers", str(workers), "--threads", str(threads)]
    env = {**os.environ, "DATABASE_URL": url}
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/v1/openapi.json")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("the server did not start within 60 s")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()


def measure(port: int, tokens: dict[str, str], clients: int, seconds: float) -> dict:
    Client(port, tokens).run(time.perf_counter() + 2)  # warm every worker's caches
    pool = [Client(port, tokens) for _ in range(clients)]
    began = time.perf_counter()
    stop_at = began + seconds
    threads = [threading.Thread(target=c.run, args=(stop_at,)) for c in pool]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - began
    samples = sorted(s for c in pool for s in c.completions)
    if not samples:
        return {"rate": 0.0, "p50": float("nan"), "p95": float("nan"), "errors": sum(c.errors for c in pool)}
    return {"rate": len(samples) / elapsed, "p50": statistics.median(samples) * 1000,
            "p95": samples[int(len(samples) * 0.95) - 1] * 1000, "errors": sum(c.errors for c in pool),
            "n": len(samples)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/wt_http")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", default="2,3", help="worker counts to try, comma-separated")
    parser.add_argument("--clients", default="2,4,8", help="client counts to try, comma-separated")
    parser.add_argument("--threads", type=int, default=4, help="request threads per worker")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    tokens = set_up(args.database_url)
    worker_counts = [int(w) for w in args.workers.split(",")]
    client_counts = [int(c) for c in args.clients.split(",")]

    results = []
    for workers in worker_counts:
        process = serve(args.database_url, args.port, workers, args.threads)
        try:
            for clients in ([1] if workers == worker_counts[0] else []) + client_counts:
                found = measure(args.port, tokens, clients, args.seconds)
                results.append((workers, clients, found))
                print(f"workers={workers} threads={args.threads} clients={clients}: "
                      f"{found['rate']:.1f} completions/s  p50 {found['p50']:.1f} ms  p95 {found['p95']:.1f} ms  "
                      f"({found.get('n', 0)} completions, {found['errors']} errors)", flush=True)
        finally:
            stop(process)
    single = next(found for _w, clients, found in results if clients == 1)
    best_workers, best_clients, best = max(results, key=lambda r: r[2]["rate"])
    print(f"1 client: {single['rate']:.1f} completions/s, p50 {single['p50']:.1f} ms, p95 {single['p95']:.1f} ms")
    print(f"best: {best_workers} workers, {best_clients} clients: {best['rate']:.1f} completions/s, "
          f"p50 {best['p50']:.1f} ms, p95 {best['p95']:.1f} ms")
    print(f"http_completions_per_s={best['rate']:.0f} p50_ms={single['p50']:.1f}")


if __name__ == "__main__":
    main()
