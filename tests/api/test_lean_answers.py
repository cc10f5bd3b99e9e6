"""The hottest answers (a completion, the work-item list, a case summary) are serialised without marshmallow
(web/api/lean_dump.py); they must say exactly what the marshmallow schemas behind the OpenAPI document say."""
from __future__ import annotations

from engine import work, work_items
from tests.api.pipeline import ACCEPT
from web.api.lean_dump import lean_dumper
from web.api.schemas.cases import CaseSummarySchema, CompletionSchema, WorkItemListSchema, WorkItemSchema


def test_lean_answers_equal_the_schemas_answers(rt, who, register):
    summary = register()
    clerk = who("center_clerk")
    assert lean_dumper(CaseSummarySchema)(summary) == CaseSummarySchema().dump(summary)
    items, total = work_items.list_items(rt, clerk, state="open", limit=50, offset=0)
    listed = {"items": items, "total": total}
    assert items and lean_dumper(WorkItemListSchema)(listed) == WorkItemListSchema().dump(listed)
    mine = next(i for i in items if i.case_no == summary.case_no)
    claimed = work.claim(rt, mine.id, by=clerk)
    assert lean_dumper(WorkItemSchema)(claimed) == WorkItemSchema().dump(claimed)
    done = work.complete(rt, mine.id, ACCEPT, by=clerk)
    assert done.next_items and lean_dumper(CompletionSchema)(done) == CompletionSchema().dump(done)
