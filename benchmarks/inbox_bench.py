"""How fast a department's inbox answers when the department has 10,000 open work items (SQLite).

Builds a throw-away SQLite database with the real diagrams deployed, one case started through the
engine as the pattern, then 10,000 open work items in the housing bureau (plus, as noise, open items
in other departments and finished items) written in bulk with the same columns the engine fills in.
A housing clerk signs in through Flask's test client and asks for the inbox pages a clerk uses:
the landing page, each tab, a filter, a party-name search and a deep page. For each it prints the
median and the 95th percentile of the whole HTTP answer (query, countdowns, template).
Last line: `inbox_p95_ms=X`, the landing page's 95th percentile.

    python benchmarks/inbox_bench.py [--items 10000] [--requests 100]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402
from web_client import sign_in, timed_gets  # noqa: E402

from engine import cases, definitions, schema, users  # noqa: E402
from engine.clock import SystemClock  # noqa: E402
from engine.models import Case, CaseCounter, CaseParty, WorkItem  # noqa: E402
from engine.runtime import Runtime  # noqa: E402
from engine.users import SYSTEM  # noqa: E402
from web import create_app  # noqa: E402

DEPARTMENT = "housing"
PASSWORD = "bench-password-1"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "建国秀英志强丽华海燕伟明桂芳玉兰小川大海春梅国庆"
INTAKE = {"channel": "walk_in", "dispute_type": "neighbour", "title": "基准案件", "description": "基准",
          "place": "基准街道",
          "parties": [{"name": "张三", "role": "applicant"}, {"name": "李四", "role": "respondent"}]}
TYPES = ("neighbour", "debt", "property_management", "family", "labour", "compensation")
TASKS = (("accept_dispatch", "referral", "接单", "accept_dispatch", "分流督办"),
         ("resolve", "coordinated_resolution", "联动化解", "resolution_report", "联动化解及稳控"))


def name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(2))


def fill(rt: Runtime, items: int, clerk_id: int, rng: random.Random) -> None:
    """`items` open items in the housing bureau, half as many open elsewhere, as many finished."""
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        pattern = session.scalars(select(Case)).one()
        departments = ["police", "people_mediation", "justice_office", "labour"]
        plan = ([(DEPARTMENT, "open")] * items + [(rng.choice(departments), "open")] * (items // 2)
                + [(DEPARTMENT, "completed")] * items)
        case_rows, party_rows, item_rows = [], [], []
        for n, (department, state) in enumerate(plan, start=2):
            applicant, respondent = name(rng), name(rng)
            element, process, title, form, stage_name = rng.choice(TASKS)
            case_rows.append(dict(
                id=n, case_no=f"{now.year}-{n:06d}", definition_id=pattern.definition_id,
                status="open" if state == "open" else "closed", stage=process, stage_name=stage_name,
                risk=rng.choice(("red", "yellow", "blue", "blue", "blue")), title=f"{applicant}与{respondent}纠纷",
                dispute_type=rng.choice(TYPES), channel="walk_in", party_names=f"{applicant}、{respondent}",
                lead_department_id=department, created_by="bench", created_at=now, updated_at=now))
            party_rows += [dict(case_id=n, name=applicant, role="applicant"),
                           dict(case_id=n, name=respondent, role="respondent")]
            due = now + timedelta(hours=rng.randint(-120, 240))
            item_rows.append(dict(
                case_id=n, task_id=f"bench-{n}", element_id=element, process_id=process, title=title,
                form_key=form, department_id=department, required_role=None, state=state, created_at=now,
                assignee_id=clerk_id if department == DEPARTMENT and rng.random() < 0.1 else None,
                due_at=due, escalation_level=1 if due < now and rng.random() < 0.3 else 0,
                completed_at=now if state == "completed" else None))
        for rows, model in ((case_rows, Case), (party_rows, CaseParty), (item_rows, WorkItem)):
            for start in range(0, len(rows), 5000):
                session.execute(insert(model), rows[start:start + 5000])
        session.get(CaseCounter, now.year).last = len(plan) + 1


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'inbox-bench.db'}"
        schema.upgrade(url)
        rt = Runtime.from_url(url, clock=SystemClock())
        schema.seed_departments(rt)
        definitions.deploy(rt, definitions.files_from_path(ROOT / "workflows"), by=SYSTEM)
        clerk = users.create_user(rt, username="bench_clerk", display_name="基准经办人", role="clerk",
                                  department_id=DEPARTMENT, password=PASSWORD)
        centre = users.create_user(rt, username="bench_centre", display_name="中心", role="clerk",
                                   department_id="center", password=PASSWORD)
        cases.start(rt, INTAKE, centre)
        started = time.perf_counter()
        fill(rt, args.items, clerk.id, rng)
        print(f"filled {args.items} open items in {DEPARTMENT} (+{args.items // 2} open elsewhere, "
              f"+{args.items} finished) in {time.perf_counter() - started:.1f} s")
        app = create_app({"DATABASE_URL": url, "SCHEDULER_ENABLED": False, "SECRET_KEY": "bench",
                          "WTF_CSRF_ENABLED": True})
        client = app.test_client()
        sign_in(client, "bench_clerk", PASSWORD)
        searched = name(random.Random(7))
        pages = [("landing page (all of the department)", "/inbox"),
                 ("tab: mine", "/inbox?scope=mine"),
                 ("tab: unclaimed", "/inbox?scope=unclaimed"),
                 ("htmx refresh of the list", "/inbox?scope=department"),
                 ("filter: red risk", "/inbox?risk=red"),
                 (f"search a party name ({searched})", f"/inbox?q={searched}"),
                 ("page 150", "/inbox?page=150")]
        landing = []
        print(f"{'page':44} {'p50 ms':>8} {'p95 ms':>8}")
        for label, path in pages:
            headers = {"HX-Request": "true"} if label.startswith("htmx") else {}
            samples = timed_gets(client, path, args.requests, headers, warmup=5)
            if not landing:
                landing = samples
            print(f"{label:44} {statistics.median(samples) * 1000:8.1f} {percentile(samples, 0.95):8.1f}")
        rt.session_factory.kw["bind"].dispose()
    print(f"inbox_p95_ms={percentile(landing, 0.95):.1f}")


if __name__ == "__main__":
    main()
