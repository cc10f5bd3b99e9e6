"""The thresholds of early warning, kept in the settings table so every process uses the centre's own."""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from sqlalchemy.orm import Session

from .. import audit
from ..errors import Invalid
from ..models import Setting
from ..permissions import check_can_set_warning_rules
from ..runtime import Runtime
from ..users import Actor

PREFIX = "warning."
LIMITS = {"repeat_days": (1, 3650), "surge_days": (1, 31), "baseline_weeks": (1, 52), "surge_minimum": (2, 1000)}


@dataclass(frozen=True)
class WarningRules:
    repeat_days: int = 180  # a party or place registering again within this many days is a repeat dispute
    surge_days: int = 7  # the recent window a surge is counted over
    baseline_weeks: int = 12  # the usual rate: mean count per window over this many windows before it
    surge_minimum: int = 3  # fewer cases than this in the window are never a surge
    surge_factor: float = 2.0  # a surge: at least this many times the usual rate


def rules_of(session: Session) -> WarningRules:
    """The centre's rules; a setting missing or unreadable keeps its default."""
    found = {}
    for field in fields(WarningRules):
        row = session.get(Setting, PREFIX + field.name)
        if row is None:
            continue
        try:
            found[field.name] = float(row.value) if field.type == "float" else int(row.value)
        except ValueError:
            continue
    return WarningRules(**found)


def save_rules(session: Session, **values) -> WarningRules:
    """Check and store new thresholds (each named field optional); Invalid names what is wrong."""
    errors: dict[str, list[str]] = {}
    current = asdict(rules_of(session))
    for name, value in values.items():
        if name not in current:
            errors[name] = ["不是预警规则的设置项"]
            continue
        try:
            number = float(value) if name == "surge_factor" else int(str(value).strip())
        except (TypeError, ValueError):
            errors[name] = ["应为数字"]
            continue
        low, high = LIMITS.get(name, (1.1, 20.0))
        if not low <= number <= high:
            errors[name] = [f"应在 {low} 到 {high} 之间"]
            continue
        current[name] = number
    if errors:
        raise Invalid("预警规则有误", errors)
    for name, value in current.items():
        row = session.get(Setting, PREFIX + name) or Setting(key=PREFIX + name)
        row.value = str(value)
        session.add(row)
    return WarningRules(**current)


def current_rules(rt: Runtime) -> WarningRules:
    with rt.unit_of_work(write=False) as session:
        return rules_of(session)


def set_rules(rt: Runtime, by: Actor, values: dict) -> WarningRules:
    """An administrator's new thresholds, checked, stored and audited."""
    check_can_set_warning_rules(by)
    with rt.unit_of_work() as session:
        before = asdict(rules_of(session))
        after = save_rules(session, **values)
        changed = {name: [before[name], value] for name, value in asdict(after).items() if before[name] != value}
        if changed:
            audit.record(session, at=rt.clock.now(), actor=by.username, kind="warning_rules_changed",
                         summary="修改预警规则", data=changed)
        return after
