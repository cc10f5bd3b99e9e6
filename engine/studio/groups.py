"""The group mapping: which department another modeler's candidate group stands for.

Camunda and Activiti diagrams name groups (`finance-approvers`, `部门经理`) that are not Yizhan's
department ids. A designer maps each such group once; deploy then routes its tasks to that department.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import audit
from ..errors import Conflict, Invalid, NotFound
from ..models import Department, GroupMapping
from ..permissions import check_can_deploy, check_can_read_definitions
from ..runtime import Runtime
from ..users import Actor

MAX_GROUP_CHARS = 100


@dataclass(frozen=True)
class Mapping:
    group: str
    department_id: str
    updated_by: str
    updated_at: datetime


def list_mappings(rt: Runtime, by: Actor) -> list[Mapping]:
    """Every mapped group, in alphabetical order."""
    check_can_read_definitions(by)
    with rt.unit_of_work(write=False) as session:
        rows = session.scalars(select(GroupMapping).order_by(GroupMapping.group_name))
        return [Mapping(r.group_name, r.department_id, r.updated_by, r.updated_at) for r in rows]


def set_mapping(rt: Runtime, group: str, department_id: str, by: Actor) -> Mapping:
    """Map `group` to a department (a new mapping, or a changed one)."""
    check_can_deploy(by)
    group = (group or "").strip()
    if not group or len(group) > MAX_GROUP_CHARS or any(ord(ch) < 32 for ch in group):
        raise Invalid("组名不能为空，不超过 100 个字符", {"group": ["组名无效"]})
    now = rt.clock.now()
    try:
        return _store_mapping(rt, group, department_id, by, now)
    except IntegrityError as exc:  # another designer mapped the same group at the same moment
        raise Conflict(f"组 “{group}” 刚被他人映射，请刷新后重试") from exc


def _store_mapping(rt: Runtime, group: str, department_id: str, by: Actor, now: datetime) -> Mapping:
    with rt.unit_of_work() as session:
        if session.get(Department, department_id) is None:
            raise Invalid(f"部门 {department_id} 不存在", {"department_id": ["部门不存在"]})
        row = session.get(GroupMapping, group, with_for_update=True)
        if row is None:
            row = GroupMapping(group_name=group)
            session.add(row)
        row.department_id, row.updated_by, row.updated_at = department_id, by.username, now
        audit.record(session, at=now, actor=by.username, kind="group_mapped",
                     summary=f"组 “{group}” 对应部门 {department_id}", data={"group": group,
                                                                       "department_id": department_id})
        return Mapping(group, department_id, by.username, now)


def remove_mapping(rt: Runtime, group: str, by: Actor) -> None:
    check_can_deploy(by)
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        row = session.get(GroupMapping, group)
        if row is None:
            raise NotFound(f"组 “{group}” 没有映射")
        session.delete(row)
        audit.record(session, at=now, actor=by.username, kind="group_unmapped", summary=f"删除组 “{group}” 的映射",
                     data={"group": group})
