"""Who hears of what: new work, a passed deadline, and the centre's webhook with its signature and retries."""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

from sqlalchemy import select

from engine import notifications, timer_firing, webhooks
from engine.models import WebhookDelivery, WorkItem


def test_new_work_reaches_the_department_and_can_be_marked_read(rt, register, who):
    register()
    clerk, police = who("center_clerk"), who("police_clerk")
    assert notifications.unread_count(rt, clerk) == 1
    assert notifications.unread_count(rt, police) == 0
    [note] = notifications.for_user(rt, clerk)
    assert note.kind == "assignment" and "受理审查" in note.text and note.case_no.startswith("2026-")
    assert notifications.mark_read(rt, clerk) == 1
    assert notifications.unread_count(rt, clerk) == 0
    assert notifications.unread_count(rt, who("center_head")) == 1, "reading is per person"


def test_a_passed_deadline_raises_the_item_and_notifies_the_head_not_the_clerk(rt, clock, register, who):
    case = register()  # Mon 09:00: due at Tuesday's close
    clock.advance(timedelta(days=1, hours=9))
    timer_firing.fire_due(rt)
    with rt.unit_of_work(write=False) as session:
        item = session.get(WorkItem, case.open_items[0].id)
        assert item.escalation_level == 1
    head_kinds = [n.kind for n in notifications.for_user(rt, who("center_head"))]
    clerk_kinds = [n.kind for n in notifications.for_user(rt, who("center_clerk"))]
    assert "supervision" in head_kinds and "supervision" not in clerk_kinds
    assert "reminder" in clerk_kinds


class Receiver(BaseHTTPRequestHandler):
    """A centre's endpoint: refuses the first delivery, accepts the rest, keeps what it got."""

    received: list = []
    refuse_first = True

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append((dict(self.headers), body))
        status = 503 if Receiver.refuse_first and len(Receiver.received) == 1 else 204
        self.send_response(status)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_the_webhook_gets_signed_events_and_a_refused_one_is_retried_later(rt, clock, register):
    Receiver.received = []
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/yizhan"
    rt.webhook_enabled = True
    try:
        case = register()
        assert webhooks.deliver_due(rt, url, "s3cret") == 0, "the endpoint refused the first POST"
        with rt.unit_of_work(write=False) as session:
            row = session.scalars(select(WebhookDelivery)).one()
            assert (row.state, row.attempts, row.last_error) == ("pending", 1, "HTTP 503")
        assert webhooks.deliver_due(rt, url, "s3cret") == 0, "not again before the backoff has passed"
        clock.advance(timedelta(seconds=31))
        assert webhooks.deliver_due(rt, url, "s3cret") == 1
    finally:
        server.shutdown()
    headers, body = Receiver.received[-1]
    expected = hmac.new(b"s3cret", headers["X-Yizhan-Timestamp"].encode() + b"." + body, hashlib.sha256).hexdigest()
    assert headers["X-Yizhan-Signature"] == f"sha256={expected}"
    event = json.loads(body)
    assert event["kind"] == "assignment" and event["case_no"] == case.case_no
    assert "center_clerk" in event["recipients"]
    assert len(Receiver.received) == 2 and Receiver.received[0][1] == body, "the retry sends the same event"


def test_events_are_not_queued_when_no_webhook_is_configured(rt, register):
    register()
    with rt.unit_of_work(write=False) as session:
        assert session.scalars(select(WebhookDelivery)).all() == []
