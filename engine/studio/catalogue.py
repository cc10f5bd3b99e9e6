"""What the studio's properties panel offers as choices, read from the centre rather than typed."""
from __future__ import annotations

from ..definitions import check_context, latest_definitions
from ..permissions import check_can_read_definitions
from ..runtime import Runtime
from ..starting_data import ADDED_BY_ENGINE, INTAKE_FORM
from ..users import Actor
from .dialects.timers import INSTANT_FUNCTIONS
from .ladder import LADDERS
from .problems import RULES

LADDER_TITLES = {"none": "只计期限", "reminder": "临期提醒", "supervision": "提醒 + 超期督办件",
                 "full": "完整督办阶梯（提醒、督办件、升级中心、报告领导）"}
DEADLINE_UNITS = {"working_days": "工作日", "hours_from_now": "小时", "calendar_days": "自然日"}


def _fields(schema: dict) -> list[dict]:
    return [{"name": name, "title": prop.get("title") or name, "type": prop.get("type", ""),
             "enum": prop.get("enum", []), "labels": prop.get("x-enum-labels", {})}
            for name, prop in schema.get("properties", {}).items()]


def catalogue(rt: Runtime, by: Actor) -> dict:
    """Departments, forms and their fields, deadline units and ladders, mapped groups, rules."""
    check_can_read_definitions(by)
    with rt.unit_of_work(write=False) as session:
        ctx = check_context(rt, session)
        messages = sorted({info["message"] for d in latest_definitions(session)
                           for process in d.meta.get("processes", {}).values()
                           for info in process.get("messages", {}).values() if info.get("message")})
    forms = [{"key": key, "title": schema.get("title") or key, "fields": _fields(schema)}
             for key, schema in sorted(ctx.forms.items())]
    variables = sorted({f["name"] for form in forms for f in form["fields"]} | set(ADDED_BY_ENGINE))
    return {
        "departments": [{"id": dept_id, "name": name} for dept_id, name in ctx.departments.items()],
        "forms": forms,
        "intake_form": INTAKE_FORM,
        "variables": variables,
        "deadline_units": [{"function": f, "title": t} for f, t in DEADLINE_UNITS.items()],
        "deadline_functions": sorted(INSTANT_FUNCTIONS),
        "ladders": [{"id": ladder, "title": LADDER_TITLES[ladder]} for ladder in LADDERS],
        "messages": messages,
        "group_mappings": [{"group": g, "department_id": d} for g, d in sorted(ctx.group_map.items())],
        "rules": [{"id": r.id, "title": r.title, "severity": ctx.settings.severities.get(r.id, r.severity),
                   "fixed": r.fixed} for r in RULES.values()],
    }
