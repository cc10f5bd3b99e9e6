"""The centre's targets (考核目标): the mediation success rate and the fulfilment rate it is judged by."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .. import audit, settings
from ..errors import Invalid
from ..models import Setting
from ..permissions import check_can_set_targets
from ..runtime import Runtime
from ..users import Actor

SUCCESS_KEY = "target_success_rate"
FULFILMENT_KEY = "target_fulfilment_rate"
DEFAULTS = {SUCCESS_KEY: 96.0, FULFILMENT_KEY: 90.0}  # per cent, as the centres' plans set them


@dataclass(frozen=True)
class Targets:
    success: float  # per cent
    fulfilment: float

    def as_dict(self) -> dict[str, float]:
        return {"success_rate": self.success, "fulfilment_rate": self.fulfilment}


def _read(rt: Runtime, key: str) -> float:
    try:
        return float(settings.get(rt, key) or DEFAULTS[key])
    except ValueError:
        return DEFAULTS[key]


def current_targets(rt: Runtime) -> Targets:
    """The targets as set (96% and 90% until an administrator changes them)."""
    return Targets(_read(rt, SUCCESS_KEY), _read(rt, FULFILMENT_KEY))


def _percent(text, field: str) -> float:
    try:
        value = Decimal(str(text).strip().rstrip("%"))
    except (InvalidOperation, ValueError):
        raise Invalid("目标应为 0 至 100 之间的百分数", {field: ["应为 0 至 100 之间的数"]}) from None
    if not Decimal(0) <= value <= Decimal(100):
        raise Invalid("目标应为 0 至 100 之间的百分数", {field: ["应为 0 至 100 之间的数"]})
    return float(value)


def set_targets(rt: Runtime, by: Actor, success, fulfilment, reason: str = "") -> Targets:
    """Change the targets (administrators), audited with the old and new values."""
    check_can_set_targets(by)
    new = Targets(_percent(success, "success_rate"), _percent(fulfilment, "fulfilment_rate"))
    old = current_targets(rt)
    with rt.unit_of_work() as session:
        for key, value in ((SUCCESS_KEY, new.success), (FULFILMENT_KEY, new.fulfilment)):
            row = session.get(Setting, key) or Setting(key=key)
            row.value = str(value)
            session.add(row)
        audit.record(session, at=rt.clock.now(), actor=by.username, kind="targets_changed",
                     summary=f"考核目标：调解成功率 {new.success:g}%，履行率 {new.fulfilment:g}%",
                     data={"old": old.as_dict(), "new": new.as_dict(), "reason": reason[:200]})
    return new
