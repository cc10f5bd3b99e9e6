"""Who may do what: every rule about roles and departments lives here, nowhere in views."""
from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import and_, exists, false, or_, select, true
from sqlalchemy.orm import Session

from .errors import Conflict, Forbidden
from .models import Case, WorkItem
from .users import Actor

CENTRE = "center"
# What each role may open and do: a clerk a department's ordinary items, a head those and the items only a head
# may do, a supervisor the supervisor's own items (the ladder's last rungs). Supervisors read every item but do
# no department's work; administrators administer and work no items at all.
_DOES = {"clerk": (None, "clerk"), "head": (None, "clerk", "head"), "supervisor": ("supervisor",)}


def sees_all(actor: Actor) -> bool:
    """Centre supervisors and admins see every department's work."""
    return actor.role in ("supervisor", "admin")


def check_department(actor: Actor, department_id: str) -> None:
    """Listing a department's items: one's own, or any for supervisors."""
    if not sees_all(actor) and actor.department_id != department_id:
        raise Forbidden("无权查看其他部门的工作事项")


def check_can_open(actor: Actor, item: WorkItem) -> None:
    """Reading an item (its page, its form, its link on a list): whoever may do it, and supervisors and admins."""
    if sees_all(actor):
        return
    check_can_work(actor, item)


def openable(actor: Actor):
    """The condition on WorkItem rows that `check_can_open` lets through (lists show only what may be opened)."""
    if sees_all(actor):
        return true()
    roles = _DOES.get(actor.role, ())
    if not roles:
        return false()
    return and_(WorkItem.department_id == actor.department_id,
                or_(WorkItem.required_role.is_(None), WorkItem.required_role.in_([r for r in roles if r])))


def check_can_work(actor: Actor, item: WorkItem) -> None:
    """Doing an item (claiming, keeping a draft, completing, returning): staff of its department with the role
    it demands; a supervisor only the items that demand a supervisor."""
    if actor.role == "designer":
        raise Forbidden("流程设计员不能办理案件事项")
    if actor.role == "admin":
        raise Forbidden("系统管理员不办理案件事项")
    if actor.role == "supervisor":
        if item.required_role != "supervisor":
            raise Forbidden("中心督办员只督办，不办理部门的事项")
        return
    if actor.department_id != item.department_id:
        raise Forbidden("该事项属于其他部门")
    if item.required_role not in _DOES.get(actor.role, ()):
        raise Forbidden("该事项须由中心督办员办理" if item.required_role == "supervisor"
                        else "该事项须由部门负责人办理")


def _steps_in(actor: Actor) -> bool:
    """Heads may step in on a colleague's item of their department; supervisors on another supervisor's."""
    return actor.role in ("head", "supervisor")


def check_not_held_by_another(actor: Actor, assignee_id: int | None) -> None:
    """A clerk works only on items that are unclaimed or their own; heads may step in."""
    if assignee_id not in (None, actor.id) and not _steps_in(actor):
        raise Conflict("该事项已被他人认领")


def check_can_claim(actor: Actor, item: WorkItem) -> None:
    """Claiming: whoever may do the item, while nobody else holds it."""
    check_can_work(actor, item)
    if item.assignee_id not in (None, actor.id):
        raise Conflict("该事项已被他人认领")


def check_can_release(actor: Actor, item: WorkItem) -> None:
    """Giving a claimed item back to the pool: its holder, or a head."""
    check_can_work(actor, item)
    if item.assignee_id is None:
        raise Conflict("该事项尚未被认领")
    if item.assignee_id != actor.id and not _steps_in(actor):
        raise Conflict("只能释放自己认领的事项")


def check_can_reassign(actor: Actor, item: WorkItem) -> None:
    """Handing an item to a colleague: the head of its department, or a centre supervisor (who supervises
    every department's work without doing it)."""
    if actor.role == "supervisor":
        return
    check_can_work(actor, item)
    if actor.role != "head":
        raise Forbidden("只有部门负责人或中心督办员可以改派事项")


def check_can_complete(actor: Actor, item: WorkItem) -> None:
    """Completing (or keeping a draft of, or returning) an item: whoever may do it, unless a colleague holds it."""
    check_can_work(actor, item)
    check_not_held_by_another(actor, item.assignee_id)


def check_can_view_case(session: Session, actor: Actor, case: Case) -> None:
    """The centre, supervisors, and any department that has or had an item on the case."""
    if sees_all(actor) or actor.department_id == CENTRE:
        return
    involved = session.scalar(select(exists().where(WorkItem.case_id == case.id,
                                                    WorkItem.department_id == actor.department_id)))
    if not involved and case.lead_department_id != actor.department_id:
        raise Forbidden("无权查看该案件")


def may_read_id_numbers(actor: Actor, case: Case) -> bool:
    """Full ID numbers of a case's parties: only the staff of the department handling it (its lead
    department once one is named, the centre until then); everyone else reads them masked."""
    if actor.role not in ("clerk", "head"):
        return False
    return actor.department_id == (case.lead_department_id or CENTRE)


def check_can_start(actor: Actor) -> None:
    """Registering a dispute is the window's work: department staff, not supervisors, admins or designers."""
    if actor.role == "designer":
        raise Forbidden("流程设计员不能登记案件")
    if actor.role not in ("clerk", "head"):
        raise Forbidden("中心督办员和系统管理员不登记案件，请由窗口工作人员登记")


def check_can_deploy(actor: Actor) -> None:
    if actor.role not in ("designer", "admin"):
        raise Forbidden("只有流程设计员或管理员可以部署流程")


def check_can_read_definitions(actor: Actor) -> None:
    if actor.role not in ("designer", "admin", "supervisor"):
        raise Forbidden("无权查看流程定义")


def check_can_migrate(actor: Actor) -> None:
    """Moving running cases onto another version of their process repairs cases: administrators only."""
    if actor.role != "admin":
        raise Forbidden("只有管理员可以迁移运行中的案件")


def check_can_repair(actor: Actor) -> None:
    """Incidents and the repair of a stuck case (its data, a retry, a move, suspending, cancelling): administrators."""
    if actor.role != "admin":
        raise Forbidden("只有系统管理员可以处理故障和修复案件")


def check_can_send_message(actor: Actor, sender_departments: set[str | None]) -> None:
    """A message is delivered only by the system that sends it: staff (or the connection's account) of the
    department it comes from. Supervisors and admins do not stand in for a court."""
    if actor.role in ("clerk", "head") and actor.department_id in sender_departments:
        return
    raise Forbidden("无权向该案件发送此消息")


def check_can_manage_users(actor: Actor) -> None:
    if actor.role != "admin":
        raise Forbidden("只有管理员可以管理用户")


def check_can_set_warning_rules(actor: Actor) -> None:
    """The early-warning thresholds are the centre's policy: administrators set them."""
    if actor.role != "admin":
        raise Forbidden("只有管理员可以设置预警规则")


def allowed(check: Callable[..., None], *args) -> bool:
    """Whether one of the check_* rules lets `args` through: for offering a link, not for guarding a request."""
    try:
        check(*args)
    except (Forbidden, Conflict):
        return False
    return True


def check_can_see_board(actor: Actor) -> None:
    """The overdue board (督办看板): supervisors, admins and the heads of the centre."""
    if sees_all(actor) or (actor.department_id == CENTRE and actor.role == "head"):
        return
    raise Forbidden("只有中心督办员、中心负责人或管理员可以查看督办看板")


def check_can_add_to_case(session: Session, actor: Actor, case: Case) -> None:
    """Comments and evidence: whoever may see the case, except designers, who only shape diagrams."""
    if actor.role == "designer":
        raise Forbidden("流程设计员不能修改案件卷宗")
    check_can_view_case(session, actor, case)


def check_can_urge(actor: Actor, item: WorkItem) -> None:
    """Pressing a department on an open item (催办): the centre's supervisors and the centre's heads, on any
    department's item but not on an item that waits for a supervisor."""
    if not (actor.role == "supervisor" or (actor.role == "head" and actor.department_id == CENTRE)):
        raise Forbidden("只有中心督办员或中心负责人可以催办")
    if item.required_role == "supervisor":
        raise Forbidden("该事项由中心督办员办理，无需催办")


def check_can_generate_documents(session: Session, actor: Actor, case: Case) -> None:
    """Issuing a case's documents (受理通知书, 调解协议书 …): whoever may add to its case file."""
    check_can_add_to_case(session, actor, case)


def check_can_manage_templates(actor: Actor) -> None:
    """The documents' templates are the centre's own wording: administrators replace them."""
    if actor.role != "admin":
        raise Forbidden("只有管理员可以更换文书模板")


def statistics_department(actor: Actor) -> str | None:
    """Statistics and reports (统计与报表): supervisors, administrators and the centre's heads (its leadership)
    read every department (None); another department's head only their own department; nobody else."""
    if sees_all(actor) or (actor.role == "head" and actor.department_id == CENTRE):
        return None
    if actor.role == "head":
        return actor.department_id
    raise Forbidden("只有中心督办员、中心负责人、部门负责人或管理员可以查看统计")


def check_can_set_targets(actor: Actor) -> None:
    """The centre's targets (success and fulfilment rates) are set by administrators."""
    if actor.role != "admin":
        raise Forbidden("只有管理员可以设置考核目标")


def check_can_generate_reports(actor: Actor) -> None:
    """Monthly and quarterly reports cover the whole centre: supervisors, administrators, the centre's heads."""
    if statistics_department(actor) is not None:
        raise Forbidden("只有中心督办员、中心负责人或管理员可以生成月报、季报")
