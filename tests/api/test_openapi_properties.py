"""Requests generated from /api/v1/openapi.json (schemathesis, on Hypothesis), valid and invalid, sent in-process
to the app on the test database as a few roles: no answer is a server error and every answer is what the
document promises (status documented, body matching its schema, content type, documented headers).

The number of examples per operation is bounded (YIZHAN_API_EXAMPLES, default 12 per operation, role and mode), so
the run stays within a couple of minutes; the totals are printed."""
from __future__ import annotations

import os
import time
import uuid
from collections import Counter
from urllib.parse import urlsplit

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi import checks as openapi_checks
from sqlalchemy import update
from werkzeug.wrappers import Response

from engine import users
from engine.models import User

from .contract import check_answer
from .pipeline import item, register

EXAMPLES = int(os.environ.get("YIZHAN_API_EXAMPLES", "12"))
ROLES = (("clerk", "center"), ("supervisor", "center"), ("designer", "center"))
CHECKS = [schemathesis.checks.not_a_server_error, openapi_checks.status_code_conformance,
          openapi_checks.content_type_conformance, openapi_checks.response_schema_conformance,
          openapi_checks.response_headers_conformance]


def _known_values(api) -> dict:
    """Path values that exist, so some generated requests reach real cases, items and drafts."""
    case_no = register(api)["case_no"]
    target = item(api, case_no, "review_acceptance", "center_clerk")
    comment = api.post(f"/cases/{case_no}/comments", as_="center_clerk", json={"text": "已电话联系申请人"})
    assert comment.status_code == 201
    draft = api.post("/drafts", as_="designer", json={"key": "fuzz_process", "name": "试验流程"})
    assert draft.status_code == 201
    return {"case_no": case_no, "item_id": target["id"], "attachment_id": 1, "key": "fuzz_process",
            "group": "fuzz_group"}


@pytest.fixture
def own_tokens(app):
    """Staff of the run's own, so a generated DELETE /tokens/{id} can revoke only tokens of this run; their
    accounts are disabled afterwards, so later tests' notices do not reach them."""
    rt, run = app.extensions["yizhan"], uuid.uuid4().hex[:8]
    tokens = {}
    for role, department in ROLES:
        name = f"fuzz_{role}_{run}"
        users.create_user(rt, username=name, display_name=f"试验{role}", role=role, department_id=department,
                          password=uuid.uuid4().hex)
        tokens[role] = users.issue_token(rt, name, "openapi properties", days=users.MAX_TOKEN_DAYS)
    yield tokens
    with rt.unit_of_work() as session:
        session.execute(update(User).where(User.username.like(f"fuzz_%_{run}")).values(active=False))


def _as_werkzeug(response) -> Response:
    headers = [(name, value) for name, values in response.headers.items() for value in values]
    return Response(response.content, status=response.status_code, headers=headers)


def _strategy(operation, mode: GenerationMode, known: dict):
    names = {p.name for p in operation.path_parameters}
    generated = operation.as_strategy(generation_mode=mode)
    if not names:
        return generated
    fixed = operation.as_strategy(generation_mode=mode, path_parameters={n: known[n] for n in names if n in known})
    return st.one_of(generated, fixed)


def test_generated_requests_get_documented_answers_and_never_a_server_error(app, api, own_tokens, capsys):
    known = _known_values(api)
    tokens = own_tokens
    document_text = api.document_text()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    statuses: Counter = Counter()
    failures: list[str] = []
    operations = 0
    started = time.monotonic()
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for role, _department in ROLES:
            headers = {"Authorization": f"Bearer {tokens[role]}"}
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

                @given(case=_strategy(operation, mode, known))
                @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=False,
                          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
                def run(case):
                    case.headers = {**(case.headers or {}), **headers}
                    response = case.call()
                    statuses[response.status_code] += 1
                    case.validate_response(response, checks=CHECKS, headers=headers)
                    check_answer(document_text, response.request.method, urlsplit(response.request.url).path,
                                 _as_werkzeug(response))

                try:
                    run()
                except Exception as exc:  # one operation's failure must not hide the others'
                    failures.append(f"{operation.label} as {role} ({mode.value}): {exc}"[:3000])
    with capsys.disabled():
        print(f"\nopenapi properties: {sum(statuses.values())} requests over {operations} operations, "
              f"{len(ROLES)} roles, valid and invalid, in {time.monotonic() - started:.0f} s; "
              f"answers {dict(sorted(statuses.items()))}; {len(failures)} failing")
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("path", ["/api/v1/nowhere", "/api/v1/work-items/1/nowhere", "/api/v1/cases/x/y/z"])
def test_an_unknown_api_path_answers_404_with_an_error_body(api, path):
    response = api.client.get(path, headers={"Authorization": f"Bearer {api.staff.token('supervisor')}"})
    assert response.status_code == 404 and response.json["error"] == "not_found"


def test_a_method_the_path_does_not_take_answers_405_with_allow(api):
    response = api.client.delete("/api/v1/work-items", headers={"Authorization": "Bearer x"})
    assert response.status_code == 405 and response.json["error"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]
    check_answer(api.document_text(), "DELETE", "/api/v1/work-items", response)


def test_a_missing_or_refused_token_answers_401_with_the_bearer_challenge(api):
    missing = api.get("/me")
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"] == 'Bearer realm="yizhan"'
    refused = api.get("/me", headers={"Authorization": "Bearer nonsense"})
    assert refused.status_code == 401 and 'error="invalid_token"' in refused.headers["WWW-Authenticate"]
