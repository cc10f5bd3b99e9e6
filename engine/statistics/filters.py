"""What a statistic is asked for: a period of whole days in Asia/Shanghai and any mix of filters on the case,
and who may ask (a department head only about their own department)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, replace

from sqlalchemy import func

from ..board import Period, parse_period
from ..errors import Forbidden, Invalid
from ..models import Case, WorkItem
from ..permissions import CENTRE, statistics_department
from ..runtime import Runtime
from ..users import Actor

RISKS = ("red", "yellow", "blue")
FILTER_NAMES = ("department", "dispute_type", "channel", "township", "risk")


@dataclass(frozen=True)
class Filters:
    """Each filter left as None counts every case. A case's department is its lead department, or the centre
    while none has been named (a case not accepted never leaves the centre)."""

    department: str | None = None
    dispute_type: str | None = None
    channel: str | None = None
    township: str | None = None
    risk: str | None = None

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v}

    def case_conditions(self) -> list:
        """Conditions on Case rows for every filter set."""
        conditions = []
        if self.department:
            conditions.append(func.coalesce(Case.lead_department_id, CENTRE) == self.department)
        if self.dispute_type:
            conditions.append(Case.dispute_type == self.dispute_type)
        if self.channel:
            conditions.append(Case.channel == self.channel)
        if self.township:
            conditions.append(Case.township == self.township)
        if self.risk:
            conditions.append(Case.risk == self.risk)
        return conditions

    def item_conditions(self) -> list:
        """Conditions on WorkItem rows joined to their Case: the department filter is the item's own department
        (on-time rates and stage times are about the department that did the work)."""
        conditions = [c for c in replace(self, department=None).case_conditions()]
        if self.department:
            conditions.append(WorkItem.department_id == self.department)
        return conditions


def parse_filters(args: dict) -> Filters:
    """Filters from a query string; empty values are no filter, a risk other than red/yellow/blue is refused."""
    values = {}
    for name in FILTER_NAMES:
        value = args.get(name)
        value = value.strip() if isinstance(value, str) else None
        if value and len(value) > 60:
            raise Invalid("筛选条件过长", {name: ["最多 60 个字符"]})
        values[name] = value or None
    if values["risk"] and values["risk"] not in RISKS:
        raise Invalid("风险等级有误", {"risk": ["必须是 red、yellow、blue 之一"]})
    return Filters(**values)


def scoped(by: Actor, filters: Filters) -> Filters:
    """The filters `by` may use: a department head's are forced to their own department."""
    forced = statistics_department(by)
    if forced is None:
        return filters
    if filters.department not in (None, forced):
        raise Forbidden("部门负责人只能查看本部门的统计")
    return replace(filters, department=forced)


def parse_request(rt: Runtime, args: dict) -> tuple[Period, Filters]:
    """A period (`from`, `to`, YYYY-MM-DD; this month so far by default) and the filters of a request."""
    return parse_period(rt, args.get("from"), args.get("to")), parse_filters(args)
