"""Input no database can store is refused with 400 naming the field, never a 500, on SQLite and PostgreSQL alike:
integers beyond the columns, JSON nested without end, NaN and Infinity, NUL and lone surrogates anywhere."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .pipeline import INTAKE, case, item, register

TOO_BIG = [2**31, 2**63, 10**30]


def _refused(response, field: str | None = None) -> dict:
    assert response.status_code == 400, (response.status_code, response.get_data(as_text=True)[:300])
    body = response.json
    assert body["error"] == "invalid" and body["message"]
    if field is not None:
        assert field in body.get("fields", {}), body
    return body


@pytest.mark.parametrize("number", TOO_BIG)
def test_an_id_in_the_path_beyond_its_column_is_refused_naming_it(api, number):
    _refused(api.get(f"/work-items/{number}", as_="supervisor"), "item_id")
    _refused(api.post(f"/work-items/{number}/claim", as_="center_clerk"), "item_id")
    _refused(api.post(f"/work-items/{number}/complete", as_="center_clerk", json={"data": {}}), "item_id")
    _refused(api.get(f"/cases/2026-000001/attachments/{number}", as_="supervisor"), "attachment_id")


def test_the_largest_id_a_column_holds_is_simply_not_found(api):
    assert api.get(f"/work-items/{2**31 - 1}", as_="supervisor").status_code == 404


@pytest.mark.parametrize("name", ["offset", "limit"])
@pytest.mark.parametrize("number", [*TOO_BIG, -1])
def test_a_paging_number_beyond_its_range_is_refused_naming_it(api, name, number):
    _refused(api.get("/work-items", as_="supervisor", query_string={name: number}), name)


@pytest.mark.parametrize("depth", [65, 1000, 100_000])
def test_json_nested_deeper_than_any_form_is_refused(api, depth):
    body = '{"data": ' + "[" * depth + "]" * depth + "}"
    response = api.post("/cases", as_="center_clerk", data=body, content_type="application/json")
    assert "嵌套" in _refused(response)["message"]


def test_json_nested_as_deep_as_a_form_needs_is_read(api):
    nested = {"a": 1}
    for _ in range(20):
        nested = {"a": nested}
    response = api.post("/cases", as_="center_clerk", json={**INTAKE, "extra": nested})
    assert response.status_code == 400 and "嵌套" not in response.json["message"]  # the form refuses `extra`


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused_naming_the_field_and_nothing_is_stored(api, constant):
    before = api.get("/work-items", as_="supervisor").json["total"]
    text = (
        '{"channel": "walk_in", "dispute_type": "neighbour", "title": "t", "description": "d", "place": "p", '
        f'"amount": {constant}, "parties": [{{"name": "王建国", "role": "applicant"}}]}}')
    _refused(api.post("/cases", as_="center_clerk", data=text, content_type="application/json"), "amount")
    assert api.get("/work-items", as_="supervisor").json["total"] == before


def test_nan_deep_in_form_data_names_its_path(api):
    case_no = register(api)["case_no"]
    target = item(api, case_no, "review_acceptance", "center_clerk")
    text = '{"data": {"accepted": true, "scores": [1, NaN]}}'
    response = api.post(f"/work-items/{target['id']}/complete", as_="center_clerk", data=text,
                        content_type="application/json")
    _refused(response, "data.scores.1")
    assert case(api, case_no)["open_items"][0]["id"] == target["id"]


@pytest.mark.parametrize("text", ["\\u0000", "abc\\u0000def", "\\ud800", "x\\udfff", "\\udc00\\ud800"])
def test_nul_and_lone_surrogates_in_a_json_string_are_refused_naming_the_field(api, text):
    body = '{"channel": "walk_in", "dispute_type": "neighbour", "title": "' + text + '", "parties": []}'
    _refused(api.post("/cases", as_="center_clerk", data=body, content_type="application/json"), "title")
    comment = '{"text": "' + text + '"}'
    case_no = register(api)["case_no"]
    _refused(api.post(f"/cases/{case_no}/comments", as_="center_clerk", data=comment,
                      content_type="application/json"), "text")
    assert api.get(f"/cases/{case_no}/comments", as_="center_clerk").json["comments"] == []


def test_a_surrogate_pair_is_an_ordinary_character(api):
    case_no = register(api)["case_no"]
    response = api.post(f"/cases/{case_no}/comments", as_="center_clerk", data='{"text": "\\ud83d\\ude00"}',
                        content_type="application/json")
    assert response.status_code == 201 and response.json["text"] == "\U0001F600"


def test_nul_in_a_json_key_is_refused(api):
    case_no = register(api)["case_no"]
    target = item(api, case_no, "review_acceptance", "center_clerk")
    response = api.post(f"/work-items/{target['id']}/draft", as_="center_clerk",
                        data='{"data": {"a\\u0000b": 1}}', content_type="application/json")
    _refused(response)


def test_nul_in_a_path_or_query_parameter_is_refused_naming_it(api):
    _refused(api.get("/cases/2026%00x", as_="supervisor"), "case_no")
    _refused(api.get("/drafts/a%00b", as_="designer"), "key")
    _refused(api.put("/group-mappings/g%00", as_="designer", json={"department_id": "court"}), "group")
    _refused(api.get("/work-items", as_="supervisor", query_string={"department": "court\x00"}), "department")
    _refused(api.get("/work-items", as_="supervisor", query_string={"assignee": "\x00"}), "assignee")


def test_nul_in_a_header_is_refused(api):
    response = api.client.get("/api/v1/me", headers={"Authorization": "Bearer abc\x00def"})
    _refused(response, "Authorization")


def test_nul_in_an_uploaded_file_name_is_refused(api, staff):
    import io
    case_no = register(api)["case_no"]
    response = api.post(f"/cases/{case_no}/attachments", as_="center_clerk",
                        data={"file": (io.BytesIO(b"text"), "a\x00.txt")}, content_type="multipart/form-data")
    _refused(response, "file")
    assert api.get(f"/cases/{case_no}/attachments", as_="center_clerk").json["attachments"] == []


def test_json_that_does_not_parse_says_where(api):
    response = api.post("/cases", as_="center_clerk", data='{"title": ', content_type="application/json")
    assert "第 1 行" in _refused(response)["message"]


# Any JSON, with text drawn from every code point, and one unstorable value (NUL or a lone surrogate in a string
# or a key, NaN or ±Infinity) planted at any depth: the answer is 400 wherever it sits; without one, never a 500.
_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=()), max_size=8)
_LEAVES = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | _TEXT
_JSON = st.recursive(_LEAVES, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
                     max_leaves=12)
_BAD_CHARACTER = st.sampled_from(["\x00", "\ud800", "\udbff", "\udc00", "\udfff"])
_BAD_TEXT = st.builds(lambda before, bad, after: before + bad + after, _TEXT, _BAD_CHARACTER, _TEXT)
_BAD_NUMBER = st.sampled_from([float("nan"), float("inf"), float("-inf")])


@st.composite
def _poisoned(draw):
    """A JSON value with one unstorable value at a random place `depth` levels down."""
    if draw(st.booleans()):
        node = draw(_BAD_NUMBER | _BAD_TEXT)
    else:
        node = {draw(_BAD_TEXT): draw(_JSON)}
    for _ in range(draw(st.integers(0, 4))):
        siblings = draw(st.lists(_JSON, max_size=2))
        if draw(st.booleans()):
            siblings.insert(draw(st.integers(0, len(siblings))), node)
            node = siblings
        else:
            node = {**{f"k{i}": sibling for i, sibling in enumerate(siblings)}, draw(_TEXT): node}
    return node


def _unstorable(node) -> bool:
    if isinstance(node, float):
        return node != node or node in (float("inf"), float("-inf"))
    if isinstance(node, str):
        return "\x00" in node or any(0xD800 <= ord(c) <= 0xDFFF for c in node)
    if isinstance(node, list):
        return any(_unstorable(n) for n in node)
    if isinstance(node, dict):
        return any(_unstorable(k) or _unstorable(v) for k, v in node.items())
    return False


@pytest.fixture
def hostile_targets(api):
    case_no = register(api)["case_no"]
    target = item(api, case_no, "review_acceptance", "center_clerk")
    return [("post", f"/cases/{case_no}/comments", "center_clerk", lambda v: {"text": v}),
            ("post", f"/work-items/{target['id']}/draft", "center_clerk", lambda v: {"data": {"note": v}}),
            ("post", f"/work-items/{target['id']}/complete", "center_clerk", lambda v: {"data": {"accepted": v}}),
            ("post", "/cases", "center_clerk", lambda v: {**INTAKE, "title": v}),
            ("post", f"/cases/{case_no}/messages", "supervisor", lambda v: {"message": "x", "payload": {"a": v}}),
            ("post", "/drafts", "designer", lambda v: {"key": v, "name": v}),
            ("post", "/lint", "designer", lambda v: {"files": {"a.bpmn": v}, "forms": {"f": {"x": v}}}),
            ("post", "/decisions/try", "designer", lambda v: {"dmn": "<x/>", "data": {"v": v}})]


@settings(max_examples=120, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(value=_poisoned() | _JSON, which=st.integers(min_value=0, max_value=7))
def test_any_json_with_unstorable_values_anywhere_is_refused_and_never_a_500(api, hostile_targets, value, which):
    method, path, who, wrap = hostile_targets[which]
    body = json.dumps(wrap(value))  # NaN, Infinity and \ud800 escapes as a client could send them
    response = getattr(api, method)(path, as_=who, data=body, content_type="application/json")
    assert response.status_code < 500
    if _unstorable(value):
        assert response.status_code == 400, (body[:200], response.json)
