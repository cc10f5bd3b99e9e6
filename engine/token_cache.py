"""A short in-process memory of bearer tokens already checked, so a busy client is not looked up on every request.

Only tokens that worked are kept, each for `ttl` seconds of real time: a token revoked, or a user deactivated,
in this process is forgotten at once (the services that do it clear the cache); in another process (a second
gunicorn worker, the CLI) it stops working within `ttl` seconds. Expiry is checked on every use.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime

TOKEN_CACHE_SECONDS = 2.0


@dataclass
class CachedToken:
    actor: object  # users.Actor
    token_id: int
    expires_at: datetime | None
    last_used_at: datetime | None
    checked_at: float  # time.monotonic() of the database check


class TokenCache:
    def __init__(self, ttl: float = TOKEN_CACHE_SECONDS):
        self.ttl = ttl
        self._entries: dict[str, CachedToken] = {}
        self._lock = threading.Lock()

    def get(self, token_hash: str) -> CachedToken | None:
        entry = self._entries.get(token_hash)
        if entry is None:
            return None
        if time.monotonic() - entry.checked_at >= self.ttl:
            with self._lock:
                self._entries.pop(token_hash, None)
            return None
        return entry

    def put(self, token_hash: str, entry: CachedToken) -> None:
        if self.ttl <= 0:
            return
        with self._lock:
            if len(self._entries) > 10_000:  # many clients: forget them all rather than grow
                self._entries.clear()
            self._entries[token_hash] = entry

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
