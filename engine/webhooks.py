"""The outgoing webhook: events queued in the command's transaction, posted later, signed, retried.

A centre bridges these to SMS or its own messaging. Each POST carries the JSON event and
`X-Yizhan-Signature: sha256=<hex>`, an HMAC-SHA256 over `<timestamp>.<body>` with the shared secret,
and `X-Yizhan-Timestamp`, so the receiver can check both origin and freshness. A failed POST is
tried again after 30 s, 1 min, 2 min, … (at most an hour apart), and given up after MAX_ATTEMPTS.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import WebhookDelivery
from .runtime import Runtime

MAX_ATTEMPTS = 10
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)
TIMEOUT_SECONDS = 10

Post = Callable[[str, bytes, dict], int]  # (url, body, headers) -> HTTP status


def enqueue(session: Session, kind: str, event: dict, at: datetime) -> WebhookDelivery:
    """Queue one event; it is sent only if the surrounding transaction commits."""
    event_id = str(uuid.uuid4())
    body = {"id": event_id, "kind": kind, "at": at.isoformat(), **event}
    row = WebhookDelivery(event_id=event_id, kind=kind, payload=json.dumps(body, ensure_ascii=False),
                          created_at=at, state="pending", attempts=0, next_attempt_at=at)
    session.add(row)
    return row


def signature(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def http_post(url: str, body: bytes, headers: dict) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (operator's URL)
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def backoff(attempts: int) -> timedelta:
    return min(FIRST_RETRY * (2 ** max(0, attempts - 1)), LONGEST_WAIT)


def deliver_due(rt: Runtime, url: str, secret: str, post: Post = http_post, limit: int = 100) -> int:
    """Post every queued event that is due; returns how many were delivered."""
    if not url:
        return 0
    now = rt.clock.now()
    with rt.unit_of_work(write=False) as session:
        ids = list(session.scalars(select(WebhookDelivery.id).where(
            WebhookDelivery.state == "pending", WebhookDelivery.next_attempt_at <= now)
            .order_by(WebhookDelivery.id).limit(limit)))
    delivered = 0
    for delivery_id in ids:
        with rt.unit_of_work(write=False) as session:
            row = session.get(WebhookDelivery, delivery_id)
            body, event_id = row.payload.encode(), row.event_id
        timestamp = str(int(now.timestamp()))
        headers = {"Content-Type": "application/json; charset=utf-8", "X-Yizhan-Event": event_id,
                   "X-Yizhan-Timestamp": timestamp, "X-Yizhan-Signature": signature(secret, timestamp, body)}
        try:
            status, error = post(url, body, headers), None
        except Exception as exc:  # unreachable host, timeout, TLS: all mean "try again later"
            status, error = 0, f"{exc.__class__.__name__}: {exc}"
        with rt.unit_of_work() as session:
            row = session.get(WebhookDelivery, delivery_id)
            row.attempts += 1
            if 200 <= status < 300:
                row.state, row.delivered_at, row.last_error = "delivered", rt.clock.now(), None
                delivered += 1
            else:
                row.last_error = (error or f"HTTP {status}")[:500]
                if row.attempts >= MAX_ATTEMPTS:
                    row.state = "failed"
                else:
                    row.next_attempt_at = rt.clock.now() + backoff(row.attempts)
    return delivered


def sender(rt: Runtime, url: str, secret: str, post: Post = http_post) -> Callable[[], int] | None:
    """What the scheduler runs after each beat, or None when no webhook is configured."""
    if not url:
        return None
    return lambda: deliver_due(rt, url, secret, post)
