"""What the checks need to know about the centre: departments, forms, group mapping, users, processes."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..calendar import WorkingCalendar
from ..clock import Clock
from ..models import Department, GroupMapping, User
from ..schema import reference_data
from .settings import CheckSettings


@dataclass(frozen=True)
class CheckContext:
    departments: Mapping[str, str]                        # id -> name
    forms: Mapping[str, dict]                             # form key -> JSON Schema
    group_map: Mapping[str, str] = field(default_factory=dict)   # another modeler's group -> department id
    users: Mapping[str, str] = field(default_factory=dict)       # username -> department id
    deployed_processes: frozenset[str] = frozenset()      # processes a call activity may call outside the files
    settings: CheckSettings = field(default_factory=CheckSettings)
    clock: Clock | None = None                            # what "now" is when a timer is tried (None: the system's)
    calendar: WorkingCalendar | None = None               # the working-day calendar timers are tried on

    def with_forms(self, forms: Mapping[str, dict]) -> CheckContext:
        """The same centre with some forms replaced by a draft's edits."""
        return replace(self, forms={**self.forms, **forms})

    def within_bundle(self) -> CheckContext:
        """The same centre, where a call activity may reach only the processes of the files checked."""
        return replace(self, deployed_processes=frozenset())

    @classmethod
    def offline(cls, forms: Mapping[str, dict], settings: CheckSettings | None = None) -> CheckContext:
        """The context without a database: the shipped departments and the forms folder."""
        departments = {d["id"]: d["name"] for d in reference_data()["departments"]}
        return cls(departments, forms, settings=settings or CheckSettings())

    @classmethod
    def of_database(cls, session: Session, forms: Mapping[str, dict], settings: CheckSettings,
                    deployed_processes: frozenset[str] = frozenset(), clock: Clock | None = None,
                    calendar: WorkingCalendar | None = None) -> CheckContext:
        """The centre as its database knows it: departments, the group mapping, active users."""
        departments = {d.id: d.name for d in session.scalars(select(Department).order_by(Department.sort))}
        group_map = {m.group_name: m.department_id for m in session.scalars(select(GroupMapping))}
        users = {u.username: u.department_id for u in session.scalars(select(User).where(User.active.is_(True)))}
        return cls(departments, forms, group_map, users, deployed_processes, settings, clock, calendar)
