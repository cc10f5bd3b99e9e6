"""How fast the statistics answer over a busy year (SQLite): a city centre's 40,000 cases over 12 months.

Builds a throw-away SQLite database with the real diagrams deployed and one case started through the engine as
the pattern, then `--cases` cases registered evenly over the 12 months before today, written in bulk with the
columns the engine fills in: the registration (with its amount at stake) in the audit log, the acceptance review,
for the accepted most an agreement and an outcome (settled, enforcement, referred onward, advised to sue,
withdrawn), some still open, each item with a deadline that some missed. A supervisor then asks, through Flask's
test client, for `GET /api/v1/statistics` over a month, a quarter and the whole year, the year filtered by a
department, the `/stats` page, one figure's case list and the XLSX export. For each it prints the median and
the slowest of `--requests` answers. Last line: `statistics_year_ms=X`, the whole year's median.

    python benchmarks/statistics_bench.py [--cases 40000] [--requests 5]
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402
from web_client import sign_in, timed_gets  # noqa: E402

from engine import cases, definitions, schema, users  # noqa: E402
from engine.clock import SHANGHAI, SystemClock  # noqa: E402
from engine.models import AuditEvent, Case, CaseCounter, WorkItem  # noqa: E402
from engine.runtime import Runtime  # noqa: E402
from engine.users import SYSTEM  # noqa: E402
from web import create_app  # noqa: E402

INTAKE = {"channel": "walk_in", "dispute_type": "neighbour", "title": "基准案件", "description": "基准",
          "place": "城关镇基准街道",
          "parties": [{"name": "张三", "role": "applicant"}, {"name": "李四", "role": "respondent"}]}
TYPES = ("neighbour", "debt", "property_management", "family", "labour", "compensation")
CHANNELS = ("walk_in", "hotline_12348", "online", "grid")
TOWNSHIPS = ("城关镇", "东城街道", "西城街道", "南湖镇")
DEPARTMENTS = ("people_mediation", "justice_office", "police", "labour", "housing")
PASSWORD = "bench-password-1"
OUTCOMES = (("settled", 70), ("enforcement_applied", 4), ("litigation_advised", 3), ("referred_onward", 8),
            ("withdrawn", 3), (None, 12))


def fill(rt: Runtime, count: int, rng: random.Random) -> None:
    """`count` cases registered over the last 12 months, their reviews, agreements and outcomes."""
    now = rt.clock.now()
    first = now - timedelta(days=365)
    outcomes = [o for o, weight in OUTCOMES for _ in range(weight)]
    with rt.unit_of_work() as session:
        pattern = session.scalars(select(Case)).one()
        rows = {Case: [], WorkItem: [], AuditEvent: []}
        for n in range(2, count + 2):
            created = first + timedelta(seconds=rng.randrange(365 * 86400 - 3 * 86400))
            accepted = rng.random() > 0.05
            outcome = rng.choice(outcomes) if accepted else "not_accepted"
            closed = created + timedelta(days=rng.randint(1, 40)) if outcome else None
            if closed and closed > now:
                closed, outcome = None, None
            status = ("cancelled" if outcome == "withdrawn" else "closed") if outcome else "open"
            department = rng.choice(DEPARTMENTS)
            rows[Case].append(dict(
                id=n, case_no=f"B{n:07d}", definition_id=pattern.definition_id, status=status,
                stage="enforcement_followup" if closed else "coordinated_resolution", stage_name="基准",
                risk=rng.choice(("red", "yellow", "blue", "blue", "blue", "blue")), title=f"基准纠纷{n}",
                dispute_type=rng.choice(TYPES), channel=rng.choice(CHANNELS), township=rng.choice(TOWNSHIPS),
                party_names="张三、李四", lead_department_id=department, outcome=outcome, closed_at=closed,
                created_by="bench", created_at=created, updated_at=closed or created))
            rows[AuditEvent].append(dict(case_id=n, at=created, actor="bench", kind="case_started",
                                         summary="登记案件", data={"amount": rng.choice((0, 800, 5000, 20000))}))
            reviewed = created + timedelta(hours=rng.choice((1, 3, 30, 80)))
            rows[WorkItem].append(dict(
                case_id=n, task_id=f"review-{n}", element_id="review_acceptance", process_id="intake",
                title="受理审查", form_key="intake_review", department_id="center", state="completed",
                created_at=created, due_at=created + timedelta(hours=33), completed_at=reviewed,
                submitted={"accepted": accepted}, escalation_level=0))
            if outcome in ("settled", "enforcement_applied", "litigation_advised"):
                signed = closed - timedelta(days=1)
                rows[WorkItem].append(dict(
                    case_id=n, task_id=f"agreement-{n}", element_id="sign_agreement",
                    process_id="agreement_confirmation", title="签订调解协议", form_key="agreement",
                    department_id=department, state="completed", created_at=reviewed, due_at=signed,
                    completed_at=signed, escalation_level=0,
                    submitted={"signed_on": signed.date().isoformat(),
                               "performance_deadline": (signed.date() + timedelta(days=10)).isoformat()}))
        for model, batch in rows.items():
            for start in range(0, len(batch), 5000):
                session.execute(insert(model), batch[start:start + 5000])
        session.get(CaseCounter, now.year).last = count + 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=40_000)
    parser.add_argument("--requests", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'statistics-bench.db'}"
        schema.upgrade(url)
        rt = Runtime.from_url(url, clock=SystemClock())
        schema.seed_departments(rt)
        definitions.deploy(rt, definitions.files_from_path(ROOT / "workflows"), by=SYSTEM)
        centre = users.create_user(rt, username="bench_centre", display_name="中心", role="clerk",
                                   department_id="center", password=PASSWORD)
        users.create_user(rt, username="bench_supervisor", display_name="督办员", role="supervisor",
                          department_id="center", password=PASSWORD)
        token = users.issue_token(rt, "bench_supervisor", "bench", days=1)
        cases.start(rt, INTAKE, centre)
        started = time.perf_counter()
        fill(rt, args.cases, rng)
        print(f"filled {args.cases} cases over 12 months in {time.perf_counter() - started:.1f} s")
        app = create_app({"DATABASE_URL": url, "SCHEDULER_ENABLED": False, "SECRET_KEY": "bench"})
        client = app.test_client()
        auth = {"Authorization": f"Bearer {token}"}
        today = datetime.now(SHANGHAI).date()
        month = today.replace(day=1) - timedelta(days=1)
        month_start = month.replace(day=1)
        quarter_start = date(month.year, 3 * ((month.month - 1) // 3) + 1, 1)
        year_start = today - timedelta(days=365)
        api = "/api/v1/statistics"
        asks = [("API: last month", f"{api}?from={month_start}&to={month}"),
                ("API: its quarter", f"{api}?from={quarter_start}&to={month}"),
                ("API: the whole year", f"{api}?from={year_start}&to={today}"),
                ("API: the year, one department", f"{api}?from={year_start}&to={today}&department=police"),
                ("API: the year, a township and red risk",
                 f"{api}?from={year_start}&to={today}&township=城关镇&risk=red")]
        page_asks = [("/stats page: the year", f"/stats?from={year_start}&to={today}"),
                     ("figure's cases: the year's settled", f"/stats/cases?figure=closed_success&from={year_start}"
                                                            f"&to={today}"),
                     ("XLSX: the year's main table", f"/stats/export.xlsx?table=figures&from={year_start}&to={today}")]
        print(f"{'request':44} {'median ms':>10} {'max ms':>8}")
        year = []
        for label, path in asks:
            samples = timed_gets(client, path, args.requests, auth)
            year = samples if label == "API: the whole year" else year
            print(f"{label:44} {statistics.median(samples) * 1000:10.0f} {max(samples) * 1000:8.0f}")
        sign_in(client, "bench_supervisor", PASSWORD)
        for label, path in page_asks:
            samples = timed_gets(client, path, args.requests, auth)
            print(f"{label:44} {statistics.median(samples) * 1000:10.0f} {max(samples) * 1000:8.0f}")
        rt.session_factory.kw["bind"].dispose()
    print(f"statistics_year_ms={statistics.median(year) * 1000:.0f}")


if __name__ == "__main__":
    main()
