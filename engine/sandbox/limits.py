"""The bounds every piece of designer code runs under, and how the size of data is measured."""
from __future__ import annotations

import json
import os

DEFAULT_CASE_DATA_LIMIT = 1_000_000   # bytes of JSON a case's data may hold (Runtime.case_data_limit)
WORKER_MEMORY_MB = int(os.environ.get("YIZHAN_SANDBOX_MEMORY_MB", "512"))  # address space of a worker
WORKERS_KEPT = 2          # idle workers kept ready
WORKERS_MAX = int(os.environ.get("YIZHAN_SANDBOX_WORKERS", "8"))  # at most this many run at once per process
KILL_GRACE = 0.1          # seconds past the time limit before the worker is killed (it stops itself at the limit)
START_TIMEOUT = 30.0      # seconds a new worker may take to start
REPLY_OVERHEAD = 1_000_000  # bytes a reply may carry beyond the data limit (pickle framing, printed output)


def _plain(value):
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)


def encode(value) -> bytes:
    """`value` as the case stores it: compact UTF-8 JSON; sets and tuples as lists, other values as text.

    Raises ValueError for data that refers to itself and RecursionError for data nested too deep."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_plain).encode("utf-8")


def data_size(value) -> int:
    """Bytes of `value` as the case stores it (see encode)."""
    return len(encode(value))


def too_large_reason(size: int, limit: int, what: str = "脚本写入的数据") -> str:
    return f"{what}过大（{_megabytes(size)}，上限 {_megabytes(limit)}）"


def _megabytes(size: int) -> str:
    if size >= 100_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{size / 1000:.1f} KB"
