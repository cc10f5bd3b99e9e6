"""The worker process: runs one evaluate/execute at a time under the operating system's limits.

Started by pool.py as a fresh interpreter (``python -s -c ...``) with a minimal environment, its
standard streams on /dev/null and two pipe descriptors, it caps its own address space (``RLIMIT_AS``),
forbids writing files (``RLIMIT_FSIZE``), core dumps and new processes (``RLIMIT_NPROC``), lowers its
priority and ignores Ctrl-C (the server decides when it ends). The server stops it with SIGKILL when a call runs
past its limit, and it ends by itself when the server's end of the pipe closes.

Messages are pickled tuples. From the server: ``("run", request)`` and, answering a call back,
``("result", ok, value)``. To the server: ``("ready", pid)``, ``("call", name, args, kwargs)``,
``("done", json_text, notices)`` (the value, or the task data after a script, as JSON),
``("error", class_name, reason, source, line)`` for the sandbox's own refusals and
``("exception", class_name, args, line, name)`` for the script's errors.
The server reads what comes back with a restricted unpickler (pool.py), never trusting this process.
"""
from __future__ import annotations

import os
import pickle
import resource
import signal
import sys
from datetime import datetime
from multiprocessing.connection import Connection

from ..diagram_functions import Outbox, diagram_functions
from . import runner
from .errors import ScriptError
from .guards import failing_line

_PLAIN = (str, int, float, bool, type(None))


class _FixedClock:
    """The command's clock as it read when the call was shipped."""

    def __init__(self, now: datetime):
        self._now = now

    def now(self) -> datetime:
        return self._now


class _Calls:
    """Functions of the server called back over the pipe (any injected function the worker cannot build)."""

    def __init__(self, incoming: Connection, outgoing: Connection):
        self.incoming = incoming
        self.outgoing = outgoing

    def function(self, name: str):
        def call(*args, **kwargs):
            try:
                message = pickle.dumps(("call", name, args, kwargs), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:
                raise TypeError(f"{name}() 的参数只能是数据") from None
            self.outgoing.send_bytes(message)
            _, ok, value = pickle.loads(self.incoming.recv_bytes())
            if not ok:
                kind, text = value
                raise _rebuild(kind, text)
            return value
        call.__name__ = name
        return call


def _rebuild(kind: str, text: str) -> Exception:
    import builtins
    cls = getattr(builtins, kind, None)
    if isinstance(cls, type) and issubclass(cls, Exception):
        return cls(text)
    return RuntimeError(text)


class Worker:
    def __init__(self, incoming: Connection, outgoing: Connection):
        self.incoming = incoming
        self.outgoing = outgoing
        self.calendars: dict[str, object] = {}
        self.calls = _Calls(incoming, outgoing)

    def serve(self) -> None:
        self.send(("ready", os.getpid()))
        while True:
            try:
                message = pickle.loads(self.incoming.recv_bytes())
            except (EOFError, OSError):
                return
            if message[0] != "run":
                continue
            if not self.run(message[1]):
                return

    def send(self, message) -> None:
        self.outgoing.send_bytes(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))

    def run(self, request: dict) -> bool:
        """Answer one request; False when this process should end (it ran out of memory)."""
        source = request["source"]
        try:
            functions, outbox = self.functions(request)
            context = request["context"]
            external = dict(request["external"])
            if request.get("data_value"):
                external["data_value"] = lambda name, default=None: context.get(str(name), default)
            args = (source, context, functions, external, request["time_limit"], request["data_limit"])
            run = runner.evaluate if request["mode"] == "eval" else runner.execute
            text = run(*args)
            notices = [(str(n.kind), str(n.text), n.element_id, n.level) for n in outbox.notices] if outbox else []
            self.send(("done", text, notices))
            return True
        except MemoryError:
            self._send_memory_error(source)
            return False
        except ScriptError as error:
            self.send(("error", error.__class__.__name__, error.reason, error.source, error.line))
            return True
        except Exception as error:  # the script's own error: its class, plain arguments and line go back
            args = error.args if all(isinstance(a, _PLAIN) for a in error.args) else (str(error),)
            name = getattr(error, "name", None)
            self.send(("exception", error.__class__.__name__, tuple(args),
                       failing_line(error), name if isinstance(name, str) else None))
            return True

    def _send_memory_error(self, source: str) -> None:
        from .limits import WORKER_MEMORY_MB
        try:
            self.send(("error", "ScriptTooLarge", f"脚本占用的内存超过上限（{WORKER_MEMORY_MB} MB），已被终止",
                       source, None))
        except MemoryError:
            pass

    def functions(self, request: dict):
        functions: dict = {}
        outbox = None
        bound = request.get("diagram")
        if bound is not None:
            now, key, payload = bound
            calendar = self.calendars.get(key)
            if calendar is None:  # the server sends a calendar once per worker
                calendar = self.calendars[key] = pickle.loads(payload)
            outbox = Outbox()
            functions.update(diagram_functions(_FixedClock(now), calendar, outbox))
        for name in request.get("proxied", ()):
            functions[name] = self.calls.function(name)
        return functions, outbox


def _limit_self(memory_mb: int) -> None:
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    try:  # no new processes or threads: the worker needs none (not enforced for root)
        resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))
    except (ValueError, OSError):
        pass
    try:
        os.nice(5)
    except OSError:
        pass


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv if argv is None else argv
    incoming_fd, outgoing_fd, memory_mb = int(argv[1]), int(argv[2]), int(argv[3])
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _limit_self(memory_mb)
    Worker(Connection(incoming_fd, writable=False), Connection(outgoing_fd, readable=False)).serve()
