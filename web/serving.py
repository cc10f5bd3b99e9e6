"""Serving Yizhan: one process with threads (waitress, the one-machine default) or several worker processes
(gunicorn) with the timer scheduler in a process of its own.

With several workers no worker fires timers: the gunicorn master starts one `yizhan scheduler` beside them
when it is ready and stops it when it stops, so the workers only answer requests and the scheduler's lease
keeps a second scheduler (on another machine) from firing the same timer.
"""
from __future__ import annotations

import errno
import os
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass

import click

SCHEDULER_STOP_SECONDS = 10  # how long the scheduler may take to hand its lease back when the server stops


@dataclass(frozen=True)
class ServeOptions:
    host: str
    port: int
    workers: int = 1       # processes; 1 serves in this process with threads
    threads: int = 8       # request threads per process
    timeout: int = 60      # seconds a worker may spend on one request before gunicorn replaces it
    scheduler: bool = True  # fire due timers (in this process, or in a process of its own with workers > 1)


def port_refusal(host: str, port: int, exc: OSError) -> click.ClickException:
    if exc.errno == errno.EADDRINUSE:
        return click.ClickException(f"端口 {port} 已被占用（{host}:{port} is already in use）："
                                    f"请先停止占用它的程序，或用 --port 换一个端口")
    return click.ClickException(f"无法在 {host}:{port} 上启动服务（cannot listen there）：{exc.strerror or exc}")


def _check_port(host: str, port: int) -> None:
    """Refuse a port another program holds before gunicorn starts (it would retry and print its own words)."""
    probe = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    try:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
    except OSError as exc:
        raise port_refusal(host, port, exc) from exc
    finally:
        probe.close()


def scheduler_command() -> list[str]:
    return [sys.executable, "-c", "from web.cli import main; main()", "scheduler"]


def serve_with_workers(options: ServeOptions, announce) -> None:
    """Run gunicorn with `options.workers` processes of `options.threads` threads each, until stopped."""
    from gunicorn.app.base import BaseApplication

    _check_port(options.host, options.port)
    scheduler: dict[str, subprocess.Popen] = {}

    def when_ready(_server):
        if options.scheduler:
            scheduler["process"] = subprocess.Popen(scheduler_command(), env=os.environ.copy())
        announce()

    def post_worker_init(_worker):
        from engine.sandbox.environment import warm
        warm()  # the worker's own sandbox processes, before its first request

    def on_exit(_server):
        process = scheduler.get("process")
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)  # it stops after its current timer and hands the lease back
            try:
                process.wait(SCHEDULER_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                process.kill()

    class Application(BaseApplication):
        def load_config(self):
            settings = {"bind": f"{options.host}:{options.port}", "workers": options.workers,
                        "threads": options.threads, "worker_class": "gthread", "timeout": options.timeout,
                        "graceful_timeout": 20, "accesslog": None, "errorlog": "-", "loglevel": "warning",
                        "when_ready": when_ready, "on_exit": on_exit, "post_worker_init": post_worker_init}
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self):
            from . import create_app
            return create_app()

    Application().run()
