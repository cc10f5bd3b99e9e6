"""Hostile diagram code: every script, condition, timer expression and decision-table cell that tries to
take the server's CPU or memory, write huge data into a case or break out of the sandbox ends within the
time limit plus half a second, with a clear error naming the element, and saves nothing; a request made
by someone else at the same moment answers within a second."""
from __future__ import annotations

import io
import threading
import time
from xml.sax.saxutils import escape

import pytest

from engine.models import Case, InstanceState
from engine.sandbox import pool

from .conftest import Api
from .pipeline import INTAKE
from .test_definitions import tiny

TIME_LIMIT = 0.5
BOUND = TIME_LIMIT + 0.5      # an attack ends within this
SIDE_BOUND = 1.0              # a request made meanwhile answers within this

NAMESPACES = ('xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
              'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core"')


def _process(nodes: str, refs: list[str], flows: str) -> bytes:
    lane = "".join(f"<bpmn:flowNodeRef>{ref}</bpmn:flowNodeRef>" for ref in refs)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<bpmn:definitions {NAMESPACES} id="defs_attack" '
            f'targetNamespace="http://yizhan.test"><bpmn:process id="tiny_process" name="小流程" isExecutable="true">'
            f'<bpmn:laneSet id="lanes"><bpmn:lane id="center" name="矛调中心">{lane}</bpmn:lane></bpmn:laneSet>'
            f'{nodes}{flows}</bpmn:process></bpmn:definitions>').encode()


def condition_diagram(condition: str) -> bytes:
    """start -> check -> gateway `route` -(condition)-> done_yes / (default) -> done_no"""
    return _process(
        '<bpmn:startEvent id="start"/><bpmn:userTask id="check" name="核对"/>'
        '<bpmn:exclusiveGateway id="route" name="分流" default="f_no"/>'
        '<bpmn:endEvent id="done_yes"/><bpmn:endEvent id="done_no"/>',
        ["start", "check", "route", "done_yes", "done_no"],
        '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check"/>'
        '<bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="route"/>'
        f'<bpmn:sequenceFlow id="f_yes" sourceRef="route" targetRef="done_yes"><bpmn:conditionExpression>'
        f'{escape(condition)}</bpmn:conditionExpression></bpmn:sequenceFlow>'
        '<bpmn:sequenceFlow id="f_no" sourceRef="route" targetRef="done_no"/>')


def timer_diagram(expression: str) -> bytes:
    """start -> check -> review (boundary timer `review_deadline` at `expression`) -> done"""
    return _process(
        '<bpmn:startEvent id="start"/><bpmn:userTask id="check" name="核对"/><bpmn:userTask id="review" name="复核"/>'
        '<bpmn:boundaryEvent id="review_deadline" name="复核期限" cancelActivity="false" attachedToRef="review">'
        f'<bpmn:timerEventDefinition id="review_deadline_def"><bpmn:timeDate>{escape(expression)}</bpmn:timeDate>'
        '</bpmn:timerEventDefinition></bpmn:boundaryEvent>'
        '<bpmn:endEvent id="done"/><bpmn:endEvent id="late"/>',
        ["start", "check", "review", "review_deadline", "done", "late"],
        '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check"/>'
        '<bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="review"/>'
        '<bpmn:sequenceFlow id="f3" sourceRef="review" targetRef="done"/>'
        '<bpmn:sequenceFlow id="f4" sourceRef="review_deadline" targetRef="late"/>')


def decision_diagram() -> bytes:
    """start -> check -> business rule task `decide` (table `attack_table`) -> done"""
    return _process(
        '<bpmn:startEvent id="start"/><bpmn:userTask id="check" name="核对"/>'
        '<bpmn:businessRuleTask id="decide" name="判定"><bpmn:extensionElements>'
        '<spiffworkflow:calledDecisionId>attack_table</spiffworkflow:calledDecisionId>'
        '</bpmn:extensionElements></bpmn:businessRuleTask><bpmn:endEvent id="done"/>',
        ["start", "check", "decide", "done"],
        '<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="check"/>'
        '<bpmn:sequenceFlow id="f2" sourceRef="check" targetRef="decide"/>'
        '<bpmn:sequenceFlow id="f3" sourceRef="decide" targetRef="done"/>')


def decision_table(input_expression: str = '"x"', input_entry: str = '"x"', output: str = '"ok"') -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="attack_defs" name="攻击" '
            'namespace="http://yizhan.test/dmn"><decision id="attack_table" name="攻击表">'
            '<decisionTable id="attack_dt" hitPolicy="FIRST">'
            f'<input id="in1" label="输入"><inputExpression id="in1_expr" typeRef="string"><text>'
            f'{escape(input_expression)}</text></inputExpression></input>'
            '<output id="out1" label="结果" name="verdict" typeRef="string"/>'
            f'<rule id="r1"><inputEntry id="r1_in"><text>{escape(input_entry)}</text></inputEntry>'
            f'<outputEntry id="r1_out"><text>{escape(output)}</text></outputEntry></rule>'
            '<rule id="r2"><inputEntry id="r2_in"><text>-</text></inputEntry>'
            '<outputEntry id="r2_out"><text>"other"</text></outputEntry></rule>'
            '</decisionTable></decision></definitions>')


# --------------------------------------------------------------------------------------------------
# The attacks
# --------------------------------------------------------------------------------------------------

BIG_POW = "pow(7, 10**4000, 10**4000 + 1)"   # one C call of many seconds: no guard can interrupt it
SCRIPTS = {
    # CPU
    "pow with modulus": f"x = {BIG_POW}",
    "huge int parsing": "x = int('9' * 100000)",
    "huge int to text": "x = str(10**19000)",
    "nested comprehensions": "x = sum(i * j for i in range(100000) for j in range(100000))",
    "sorted on a big range, repeatedly": "x = [sorted(range(100000), reverse=True) for k in range(100000)]",
    "endless loop": "while True:\n    x = 1",
    "endless loop swallowing the timeout": "while True:\n    try:\n        while True:\n            pass\n"
                                           "    except Exception:\n        pass",
    "exponential recursion": "f = lambda n: f(n - 1) + f(n - 1) if n else 0\nx = f(60)",
    "membership test on huge text": "x = [('a' * 999999 + 'b') in ('a' * 1000000) for k in range(100000)]",
    "huge power": "x = 10 ** 10 ** 10",
    "regex backtracking": "import re\nx = re.match('(a+)+$', 'a' * 40 + 'b')",
    # memory
    "ljust": "x = 'a'.ljust(10**9)",
    "rjust": "x = 'a'.rjust(10**9)",
    "center": "x = 'a'.center(10**9)",
    "zfill": "x = '1'.zfill(10**9)",
    "replace": "x = ('a' * 1000000).replace('a', 'a' * 1000)",
    "expandtabs": "x = ('\\t' * 1000).expandtabs(10**7)",
    "percent width": "x = '%*d' % (10**9, 1)",
    "f-string width": "x = f'{1:>999999999}'",
    "list building": "x = [[k] * 1000 for k in range(1000000)]",
    "dict building": "x = {k: [k] * 100 for k in range(1000000)}",
    "bytes": "x = bytes(10**9)",
    "bytearray": "x = bytearray(10**9)",
    "join of a huge generator": "x = ''.join('abcdefghij' for k in range(100000) for j in range(1000))",
    # output size
    "5 MB into data": "x = 'a' * 1000000 + 'b' * 1000000 + 'c' * 1000000 + 'd' * 1000000 + 'e' * 1000000",
    "50 MB into data": "x = ['a' * 1000000 for k in range(50)]",
    "many keys": "x = {}\nfor k in range(100000):\n    x['key' + str(k)] = 'v' * 40",
    "data referring to itself": "x = []\nx.append(x)",
    "many keys from fromkeys": "x = dict.fromkeys(range(100000), 'v' * 100)",
    "printed output": "for k in range(5):\n    print('p' * 1000000)\nx = printed",
    # escapes
    "subclasses walk": "x = ().__class__.__base__.__subclasses__()",
    "format string attribute walk": "x = '{0.__class__.__base__}'.format(1)",
    "format_map": "x = '{a.__class__}'.format_map({'a': 1})",
    "generator frame": "g = (k for k in [1])\nx = g.gi_frame.f_globals",
    "exception traceback": "try:\n    1 / 0\nexcept Exception as e:\n    x = e.__traceback__.tb_frame.f_globals",
    "type walk": "x = type(1)",
    "getattr": "x = getattr(1, '__cla' + 'ss__')",
    "function globals": "f = lambda: 0\nx = f.__globals__",
    "import": "import os\nx = os.getcwd()",
    "dunder import": "x = __import__('os').getcwd()",
    "open a file": "x = open('/etc/passwd').read()",
    "vars": "x = vars()",
    "mro": "x = str.mro()",
    "format through a variable": "f = '{0.__class__}'.format\nx = f(1)",
}

CONDITIONS = {
    "pow with modulus": f"{BIG_POW} > 0",
    "ljust": "len('a'.ljust(10**9)) > 0",
    "f-string width": "len(f'{1:>999999999}') > 0",
    "nested comprehension": "sum(i * j for i in range(100000) for j in range(100000)) > 0",
    "subclasses walk": "().__class__.__base__.__subclasses__() == []",
    "format string escape": "'{0.__class__}'.format(1) == ''",
}

TIMERS = {
    "working days far away": "working_days(10**9)",
    "calendar days far away": "calendar_days(10**8)",
    "pow with modulus": f"'P' + str({BIG_POW} % 5) + 'D'",
    "zfill": "'1'.zfill(10**9)",
    "format string escape": "'{0.__class__}'.format(1)",
}

DECISIONS = {
    "pow in an input expression": {"input_expression": f"str({BIG_POW})"},
    "ljust in an input entry": {"input_entry": "'a'.ljust(10**9)"},
    "2 MB output": {"output": "'x' * 1000000 + 'y' * 1000000"},
    "many outputs built in a cell": {"output": "[str(k) * 10 for k in range(100000)]"},
    "escape in an output": {"output": "().__class__.__base__.__subclasses__()"},
}


# --------------------------------------------------------------------------------------------------
# Harness
# --------------------------------------------------------------------------------------------------

@pytest.fixture
def bounded(app):
    runtime = app.extensions["yizhan"]
    runtime.script_time_limit = TIME_LIMIT
    pool.pool().warm()
    return app


def upload(api: Api, *files: tuple[str, bytes]):
    data = {"files": [(io.BytesIO(content), name) for name, content in files]}
    return api.post("/definitions", as_="designer", data=data, content_type="multipart/form-data")


def start(api: Api) -> dict:
    response = api.post("/cases?process=tiny_process", as_="center_clerk", json=INTAKE)
    assert response.status_code == 201, response.json
    return api.get(f"/cases/{response.json['case_no']}", as_="supervisor").json


def stored(app, case_no: str) -> tuple[int, str]:
    runtime = app.extensions["yizhan"]
    with runtime.unit_of_work(write=False) as session:
        case = session.query(Case).filter_by(case_no=case_no).one()
        row = session.get(InstanceState, case.id)
        return row.version, row.state


def while_someone_else_asks(app, staff, attack):
    """Run `attack()` in a thread; meanwhile another user's request. (attack's result, its seconds,
    the other request's response and seconds)."""
    other = Api(app.test_client(), staff)
    done: dict = {}

    def run():
        started = time.monotonic()
        done["response"] = attack()
        done["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.15)
    asked = time.monotonic()
    side = other.get("/work-items", as_="center_clerk")
    side_seconds = time.monotonic() - asked
    thread.join(30)
    assert not thread.is_alive()
    return done["response"], done["seconds"], side, side_seconds


def assert_refused_and_nothing_saved(app, staff, api, case: dict, element: str):
    item = case["open_items"][0]
    before = stored(app, case["case_no"])

    def attack():
        return api.post(f"/work-items/{item['id']}/complete", as_="center_clerk", json={"data": {}})

    response, seconds, side, side_seconds = while_someone_else_asks(app, staff, attack)
    assert response.status_code == 400, response.json
    assert response.json["element_id"] == element
    assert element in response.json["message"]
    assert seconds < BOUND, f"took {seconds:.2f} s"
    assert side.status_code == 200 and side_seconds < SIDE_BOUND, f"the other request took {side_seconds:.2f} s"
    assert stored(app, case["case_no"]) == before
    after = api.get(f"/cases/{case['case_no']}", as_="supervisor").json
    assert [i["id"] for i in after["open_items"]] == [item["id"]]
    assert [h["kind"] for h in after["history"]] == [h["kind"] for h in case["history"]]
    return response.json["message"]


# --------------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("script", SCRIPTS.values(), ids=SCRIPTS.keys())
def test_a_hostile_script_is_stopped_names_its_task_and_saves_nothing(bounded, staff, api, script):
    deployed = upload(api, ("tiny.bpmn", tiny(escape(script))))
    if deployed.status_code == 400:  # refused at deploy already: named, and no case can run it
        assert deployed.json["element_id"] == "calc", deployed.json
        return
    assert deployed.status_code == 201, deployed.json
    assert_refused_and_nothing_saved(bounded, staff, api, start(api), "calc")


@pytest.mark.parametrize("condition", CONDITIONS.values(), ids=CONDITIONS.keys())
def test_a_hostile_condition_is_stopped_at_its_gateway(bounded, staff, api, condition):
    deployed = upload(api, ("tiny.bpmn", condition_diagram(condition)))
    if deployed.status_code == 400:
        assert deployed.json["element_id"] in ("route", "f_yes"), deployed.json
        return
    assert deployed.status_code == 201, deployed.json
    assert_refused_and_nothing_saved(bounded, staff, api, start(api), "route")


@pytest.mark.parametrize("expression", TIMERS.values(), ids=TIMERS.keys())
def test_a_hostile_timer_expression_is_stopped_at_its_timer(bounded, staff, api, expression):
    deployed = upload(api, ("tiny.bpmn", timer_diagram(expression)))
    if deployed.status_code == 400:
        assert deployed.json["element_id"] == "review_deadline", deployed.json
        return
    assert deployed.status_code == 201, deployed.json
    assert_refused_and_nothing_saved(bounded, staff, api, start(api), "review_deadline")


@pytest.mark.parametrize("cells", DECISIONS.values(), ids=DECISIONS.keys())
def test_a_hostile_decision_table_is_stopped_at_its_business_rule_task(bounded, staff, api, cells):
    table = decision_table(**cells)
    deployed = upload(api, ("tiny.bpmn", decision_diagram()), ("attack.dmn", table.encode()))
    if deployed.status_code == 400:
        return  # refused at deploy with its reason: nothing can run it
    assert deployed.status_code == 201, deployed.json
    assert_refused_and_nothing_saved(bounded, staff, api, start(api), "decide")


@pytest.mark.parametrize("cells", DECISIONS.values(), ids=DECISIONS.keys())
def test_trying_a_hostile_decision_table_in_the_studio_is_stopped_too(bounded, staff, api, cells):
    def attack():
        return api.post("/decisions/try", as_="designer",
                        json={"dmn": decision_table(**cells), "data": {"title": "x"}})

    response, seconds, side, side_seconds = while_someone_else_asks(bounded, staff, attack)
    assert response.status_code == 400, response.json
    assert seconds < BOUND and side.status_code == 200 and side_seconds < SIDE_BOUND


def test_the_messages_say_what_was_stopped_in_chinese(bounded, staff, api):
    expected = {"x = 'a'.ljust(10**9)": "内存", f"x = {BIG_POW}": "秒",
                SCRIPTS["5 MB into data"]: "过大", SCRIPTS["format string attribute walk"]: "format"}
    for script, words in expected.items():
        # reading the case's data first: deploy tries only what reads nothing, and these must reach a case
        assert upload(api, ("tiny.bpmn", tiny(escape(f"seen = title\n{script}")))).status_code == 201
        message = assert_refused_and_nothing_saved(bounded, staff, api, start(api), "calc")
        assert words in message and "calc" in message, message


def test_the_case_data_limit_is_a_setting_and_holds_for_what_a_form_brings_in_too(bounded, staff, api):
    runtime = bounded.extensions["yizhan"]
    runtime.case_data_limit = 20_000
    # a form's data alone over the limit: refused when the case would be saved
    assert upload(api, ("tiny.bpmn", tiny("total = 1"))).status_code == 201
    case = start(api)
    item = case["open_items"][0]
    before = stored(bounded, case["case_no"])
    big = {"data": {"title": "长" * 9000}}
    response = api.post(f"/work-items/{item['id']}/complete", as_="center_clerk", json=big)
    assert response.status_code == 400, response.json
    assert response.json["element_id"] == "done" and "上限" in response.json["message"]
    assert stored(bounded, case["case_no"]) == before
    # a form within the limit that a script doubles past it: refused at the script
    assert upload(api, ("tiny.bpmn", tiny("note = title + title"))).status_code == 201
    doubled = start(api)
    response = api.post(f"/work-items/{doubled['open_items'][0]['id']}/complete", as_="center_clerk",
                        json={"data": {"title": "长" * 4000}})
    assert response.status_code == 400, response.json
    assert response.json["element_id"] == "calc" and "上限" in response.json["message"]
    # with the default limit the same step goes through
    runtime.case_data_limit = 1_000_000
    response = api.post(f"/work-items/{item['id']}/complete", as_="center_clerk", json=big)
    assert response.status_code == 200, response.json


def test_a_worker_that_is_stopped_is_replaced_and_the_next_script_runs(bounded, staff, api):
    assert upload(api, ("tiny.bpmn", tiny(escape(f"seen = title\nx = {BIG_POW}")))).status_code == 201
    assert_refused_and_nothing_saved(bounded, staff, api, start(api), "calc")
    assert upload(api, ("tiny.bpmn", tiny("total = len(str(123)) + 1"))).status_code == 201
    item = start(api)["open_items"][0]
    response = api.post(f"/work-items/{item['id']}/complete", as_="center_clerk", json={"data": {}})
    assert response.status_code == 200 and response.json["status"] == "closed", response.json
