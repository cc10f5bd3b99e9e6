"""The server's side of the worker processes: a small pool per server process, shared by every runtime.

A call takes an idle worker (starting one if fewer than WORKERS_MAX run), sends the request and waits on
the pipe with a timeout, so the calling thread holds no lock and not the GIL while the script runs. Past
the time limit plus KILL_GRACE the worker gets SIGKILL and is replaced; a worker that dies (out of
memory, crashed) is replaced too. Replies are read with a byte limit and a restricted unpickler that
builds only plain data, and the value or task data in them is JSON text the server decodes and measures
itself: even a worker that had been taken over could not make the server run code or store more.

The pool belongs to the process that started it: a process forked from it (gunicorn workers) drops the
inherited pool without touching its pipes' other ends and starts its own on first use. At exit every
worker is killed.
"""
from __future__ import annotations

import atexit
import io
import json
import os
import pickle
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from multiprocessing.connection import Connection
from pathlib import Path

from .errors import ERROR_CLASSES, ScriptRejected, ScriptTimeout, ScriptTooLarge
from .limits import (
    KILL_GRACE,
    REPLY_OVERHEAD,
    START_TIMEOUT,
    WORKER_MEMORY_MB,
    WORKERS_KEPT,
    WORKERS_MAX,
    too_large_reason,
)

ROOT = Path(__file__).resolve().parents[2]
BOOT = "import sys; sys.path.insert(0, sys.argv.pop(1)); from engine.sandbox.worker import main; main()"

_SAFE_GLOBALS = {
    ("datetime", "datetime"), ("datetime", "date"), ("datetime", "time"), ("datetime", "timedelta"),
    ("datetime", "timezone"), ("builtins", "bytearray"), ("builtins", "complex"), ("builtins", "set"),
    ("builtins", "frozenset"), ("decimal", "Decimal"),
}


class _DataUnpickler(pickle.Unpickler):
    """Builds plain data only: containers, text, numbers, dates. Any other class or function is refused."""

    def find_class(self, module, name):
        if (module, name) in _SAFE_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name}")


def _loads(data: bytes):
    return _DataUnpickler(io.BytesIO(data)).load()


class ScriptException(Exception):
    """A script's own error that is not one of Python's built-in exceptions, rebuilt in the server."""


def _rebuild(kind: str, args: tuple, line: int | None, name: str | None) -> Exception:
    import builtins
    cls = getattr(builtins, kind, None)
    if not (isinstance(cls, type) and issubclass(cls, Exception)):
        error: Exception = ScriptException(f"{kind}: {args[0]}" if args else kind)
    else:
        try:
            error = cls(*args)
        except Exception:
            error = cls(*(str(a) for a in args[:1]))
        if name and isinstance(error, (NameError, AttributeError)):
            error.name = name
    error.sandbox_line = line
    return error


class WorkerGone(ScriptRejected):
    """A worker process could not be started (the server's problem, reported like a refusal: nothing saved)."""

    def __init__(self, reason: str = "脚本运行环境无法启动，请稍后重试", source: str = "", line: int | None = None):
        super().__init__(reason, source, line)


class _Worker:
    def __init__(self):
        to_child_read, self._to_child = os.pipe()
        self._from_child, from_child_write = os.pipe()
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8", "PYTHONDONTWRITEBYTECODE": "1",
               "YIZHAN_SANDBOX_MEMORY_MB": str(WORKER_MEMORY_MB)}
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-s", "-c", BOOT, str(ROOT), str(to_child_read), str(from_child_write),
                 str(WORKER_MEMORY_MB)],
                pass_fds=(to_child_read, from_child_write), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                env=env, cwd="/", start_new_session=True)
        finally:
            os.close(to_child_read)
            os.close(from_child_write)
        self.outgoing = Connection(self._to_child, readable=False)
        self.incoming = Connection(self._from_child, writable=False)
        self.ready = False
        self.calendars: set[str] = set()
        self.pid = self.process.pid

    def wait_ready(self) -> None:
        if self.ready:
            return
        if not self.incoming.poll(START_TIMEOUT):
            raise WorkerGone()
        try:
            message = _loads(self.incoming.recv_bytes(1024))
        except (EOFError, OSError) as exc:
            raise WorkerGone() from exc
        if message[0] != "ready":
            raise WorkerGone()
        self.ready = True

    def kill(self) -> None:
        try:
            self.process.kill()
        except OSError:
            pass
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            pass
        self.forget()

    def forget(self) -> None:
        """Close this process's ends of the pipes (in a forked child: without touching the worker)."""
        for connection in (self.outgoing, self.incoming):
            try:
                connection.close()
            except OSError:
                pass


class Pool:
    def __init__(self):
        self.pid = os.getpid()
        self._idle: list[_Worker] = []
        self._all: set[_Worker] = set()   # idle, busy and starting, for forget() after a fork
        self._count = 0
        self._starting = 0
        self._lock = threading.Condition()
        self._closed = False

    # -- workers -----------------------------------------------------------------------------------
    def _acquire(self) -> _Worker:
        with self._lock:
            while True:
                if self._closed:
                    raise ScriptRejected("脚本服务已关闭")
                if self._idle:
                    worker = self._idle.pop()
                    break
                if self._count < WORKERS_MAX:
                    self._count += 1
                    worker = None
                    break
                self._lock.wait()
        if worker is None:
            try:
                worker = self._new_worker()
            except BaseException:
                self._discard(None)
                raise
        try:
            worker.wait_ready()
        except BaseException:
            worker.kill()
            self._discard(worker)
            raise
        self._keep_spares()
        return worker

    def _release(self, worker: _Worker) -> None:
        with self._lock:
            if self._closed:
                worker.kill()
                self._all.discard(worker)
                return
            self._idle.append(worker)
            self._lock.notify()

    def _discard(self, worker: _Worker | None) -> None:
        self._all.discard(worker)
        with self._lock:
            self._count -= 1
            self._lock.notify()
        self._keep_spares()

    def _keep_spares(self) -> None:
        """Start workers in the background so WORKERS_KEPT are ready (a killed one is replaced this way)."""
        with self._lock:
            missing = min(WORKERS_KEPT - len(self._idle) - self._starting, WORKERS_MAX - self._count)
            if missing <= 0 or self._closed:
                return
            self._count += missing
            self._starting += missing
        for _ in range(missing):
            threading.Thread(target=self._start_spare, daemon=True, name="sandbox-spare").start()

    def _new_worker(self) -> _Worker:
        worker = _Worker()
        self._all.add(worker)
        return worker

    def _start_spare(self) -> None:
        try:
            worker = self._new_worker()
            worker.wait_ready()
        except Exception:
            with self._lock:
                self._count -= 1
                self._starting -= 1
                self._lock.notify()
            return
        with self._lock:
            self._starting -= 1
        self._release(worker)

    def warm(self) -> None:
        """Have the spare workers started (at server start, so the first script does not wait)."""
        self._keep_spares()

    def close(self) -> None:
        """Kill every worker, idle or busy (at exit: a busy one must not run on as an orphan)."""
        with self._lock:
            self._closed = True
            self._idle = []
            self._lock.notify_all()
        for worker in list(self._all):
            worker.kill()
        self._all = set()

    def forget(self) -> None:
        """In a forked child: close the parent's pipes without signalling its workers. Takes no lock:
        another thread of the parent may have held one at the fork."""
        self._closed = True
        for worker in list(self._all):
            worker.forget()
        self._all = set()
        self._idle = []

    # -- a call ------------------------------------------------------------------------------------
    def call(self, request: dict, calendar=None, callbacks: Mapping[str, Callable] | None = None):
        """Run `request` in a worker: (decoded value or task data, notices), or raise the script's error."""
        worker = self._acquire()
        while worker.process.poll() is not None:  # died while idle (killed from outside): take another
            worker.forget()
            self._discard(worker)
            worker = self._acquire()
        healthy = False
        try:
            if calendar is not None:
                key, payload = calendar
                request["diagram"] = (request["diagram"], key, None if key in worker.calendars else payload)
                worker.calendars.add(key)
            reply = self._exchange(worker, request, callbacks or {})
            healthy = True
        except _Handled:
            healthy = True
            raise
        finally:
            if healthy:
                self._release(worker)
            else:
                worker.kill()
                self._discard(worker)
        return reply

    def _exchange(self, worker: _Worker, request: dict, callbacks: Mapping[str, Callable]):
        limit = request["time_limit"]
        deadline = time.monotonic() + limit + KILL_GRACE
        max_bytes = request["data_limit"] + REPLY_OVERHEAD
        source = request["source"]
        try:
            worker.outgoing.send_bytes(pickle.dumps(("run", request), protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, ValueError) as exc:
            raise ScriptRejected("脚本运行异常终止", source) from exc
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not worker.incoming.poll(remaining):
                raise ScriptTimeout(f"脚本运行超过 {limit:g} 秒，已被终止", source)
            try:
                message = _loads(worker.incoming.recv_bytes(max_bytes))
            except OSError as exc:  # longer than max_bytes
                raise ScriptTooLarge(f"脚本的结果过大（上限 {request['data_limit'] // 1000} KB）", source) from exc
            except EOFError as exc:
                raise ScriptTooLarge(f"脚本运行异常终止（可能超出内存上限 {WORKER_MEMORY_MB} MB）", source) from exc
            except Exception as exc:
                raise ScriptRejected("脚本的结果只能是数据（文本、数字、列表、字典）", source) from exc
            kind = message[0]
            if kind == "call":
                self._answer(worker, message, callbacks)
                continue
            if kind == "done":
                _, text, notices = message
                if len(text) > request["data_limit"]:
                    what = "表达式的结果" if request["mode"] == "eval" else "脚本写入的数据"
                    raise ScriptTooLarge(too_large_reason(len(text), request["data_limit"], what), source)
                try:
                    return json.loads(text), [tuple(notice) for notice in notices]
                except (ValueError, TypeError, RecursionError) as exc:
                    raise ScriptRejected("脚本的结果只能是数据（文本、数字、列表、字典）", source) from exc
            if kind == "error":
                _, name, reason, error_source, line = message
                error = ERROR_CLASSES.get(name, ScriptRejected)(reason, error_source or source, line)
                if isinstance(error, ScriptTooLarge) and "内存" in reason:
                    raise error  # the worker ends itself after running out of memory: do not reuse it
                raise _Handled(error)
            if kind == "exception":
                _, name, args, line, attr = message
                raise _Handled(_rebuild(name, tuple(args), line, attr))
            raise ScriptRejected("脚本运行异常终止", source)

    @staticmethod
    def _answer(worker: _Worker, message, callbacks: Mapping[str, Callable]) -> None:
        _, name, args, kwargs = message
        function = callbacks.get(name)
        try:
            if function is None:
                raise NameError(name)
            reply = ("result", True, function(*args, **kwargs))
            data = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as error:
            text = str(error.args[0]) if error.args else ""
            data = pickle.dumps(("result", False, (error.__class__.__name__, text)))
        worker.outgoing.send_bytes(data)


class _Handled(Exception):
    """An error the worker reported cleanly: the worker is fine and goes back to the pool."""

    def __init__(self, error: Exception):
        super().__init__(error)
        self.error = error


_POOL: Pool | None = None
_POOL_LOCK = threading.Lock()


def pool() -> Pool:
    """This process's pool (a new one after a fork)."""
    global _POOL
    current = _POOL
    if current is not None and current.pid == os.getpid():
        return current
    with _POOL_LOCK:
        if _POOL is None or _POOL.pid != os.getpid():
            if _POOL is not None:
                _POOL.forget()
            _POOL = Pool()
        return _POOL


def run(request: dict, calendar=None, callbacks: Mapping[str, Callable] | None = None):
    """Run one request in a worker; the script's errors are raised as they were in the worker."""
    current = pool()
    try:
        return current.call(request, calendar, callbacks)
    except _Handled as handled:
        raise handled.error from None


def worker_pids() -> list[int]:
    """The process ids of this process's idle workers (for tests and the benchmark)."""
    current = pool()
    with current._lock:
        return [worker.pid for worker in current._idle]


def _shutdown() -> None:
    if _POOL is not None and _POOL.pid == os.getpid():
        _POOL.close()


def _after_fork_in_child() -> None:
    global _POOL_LOCK
    _POOL_LOCK = threading.Lock()
    if _POOL is not None:
        _POOL.forget()


atexit.register(_shutdown)
os.register_at_fork(after_in_child=_after_fork_in_child)
