"""Staff accounts, password hashing and API tokens; `Actor` is who a command acts for."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit
from .errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from .models import ApiToken, Department, User
from .runtime import Runtime

ROLES = ("clerk", "head", "supervisor", "designer", "admin")
_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}


@dataclass(frozen=True)
class Actor:
    """The user a command is done for, detached from any session."""

    id: int | None
    username: str
    display_name: str
    role: str
    department_id: str

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(user.id, user.username, user.display_name, user.role, user.department_id)


SYSTEM = Actor(None, "system", "系统", "admin", "center")


def hash_password(password: str) -> str:
    """scrypt with a random salt, self-describing."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def check_password(stored: str, password: str) -> bool:
    """Constant-time comparison against a `hash_password` string."""
    try:
        _, n, r, p, salt, digest = stored.split("$")
        candidate = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), dklen=32,
                                   n=int(n), r=int(r), p=int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(candidate.hex(), digest)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(rt: Runtime, *, username: str, display_name: str, role: str, department_id: str,
                password: str, by: Actor = SYSTEM) -> Actor:
    """Add a staff account."""
    if role not in ROLES:
        raise Invalid("角色无效", {"role": [f"必须是 {', '.join(ROLES)} 之一"]})
    if len(password) < 8:
        raise Invalid("密码太短", {"password": ["至少 8 个字符"]})
    with rt.unit_of_work() as session:
        if session.get(Department, department_id) is None:
            raise Invalid("部门不存在", {"department_id": [f"未知部门 {department_id}"]})
        if session.scalar(select(User).where(User.username == username)) is not None:
            raise Conflict(f"用户名 {username} 已存在")
        user = User(username=username, display_name=display_name, role=role, department_id=department_id,
                    password_hash=hash_password(password), active=True, created_at=rt.clock.now())
        session.add(user)
        session.flush()
        audit.record(session, at=rt.clock.now(), actor=by.username, kind="user_created",
                     summary=f"创建用户 {username}（{role}@{department_id}）")
        return Actor.of(user)


def issue_token(rt: Runtime, username: str, label: str = "", by: Actor = SYSTEM) -> str:
    """A new bearer token for `username`; only its hash is stored, so it is shown once."""
    token = secrets.token_urlsafe(32)
    with rt.unit_of_work() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFound(f"用户 {username} 不存在")
        session.add(ApiToken(user_id=user.id, token_hash=_token_hash(token), label=label,
                             created_at=rt.clock.now()))
        audit.record(session, at=rt.clock.now(), actor=by.username, kind="token_issued",
                     summary=f"为 {username} 签发 API 令牌 {label}")
    return token


def actor_for_token(rt: Runtime, token: str) -> Actor:
    """The active user a bearer token belongs to."""
    with rt.unit_of_work(write=False) as session:
        row = session.execute(
            select(User).join(ApiToken, ApiToken.user_id == User.id)
            .where(ApiToken.token_hash == _token_hash(token), ApiToken.revoked.is_(False))).scalar()
        if row is None or not row.active:
            raise Unauthorized("令牌无效或已撤销")
        return Actor.of(row)


def authenticate(rt: Runtime, username: str, password: str) -> Actor:
    """The user with these credentials."""
    with rt.unit_of_work(write=False) as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None or not user.active or not check_password(user.password_hash, password):
            raise Unauthorized("用户名或密码错误")
        return Actor.of(user)


def department_names(session: Session) -> dict[str, str]:
    return {d.id: d.name for d in session.scalars(select(Department).order_by(Department.sort))}


@dataclass(frozen=True)
class UserRow:
    """A staff account as the admin pages list it."""

    id: int
    username: str
    display_name: str
    role: str
    department_id: str
    active: bool
    tokens: int


def _check_admin(by: Actor) -> None:
    if by.role != "admin":
        raise Forbidden("只有管理员可以管理用户")


def list_users(rt: Runtime, by: Actor) -> list[UserRow]:
    """Every account, by department then username (admins only)."""
    _check_admin(by)
    with rt.unit_of_work(write=False) as session:
        users = session.scalars(select(User).order_by(User.department_id, User.username)).all()
        counts: dict[int, int] = {}
        for token in session.scalars(select(ApiToken).where(ApiToken.revoked.is_(False))):
            counts[token.user_id] = counts.get(token.user_id, 0) + 1
        return [UserRow(u.id, u.username, u.display_name, u.role, u.department_id, u.active, counts.get(u.id, 0))
                for u in users]


def get_user(rt: Runtime, user_id: int, by: Actor) -> UserRow:
    """One account (admins only)."""
    for row in list_users(rt, by):
        if row.id == user_id:
            return row
    raise NotFound(f"用户 {user_id} 不存在")


def update_user(rt: Runtime, user_id: int, *, display_name: str, role: str, department_id: str, active: bool,
                by: Actor) -> None:
    """Change an account's name, role, department or whether it may sign in (admins only)."""
    _check_admin(by)
    if role not in ROLES:
        raise Invalid("角色无效", {"role": [f"必须是 {', '.join(ROLES)} 之一"]})
    if not display_name.strip():
        raise Invalid("姓名不能为空", {"display_name": ["必填"]})
    with rt.unit_of_work() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound(f"用户 {user_id} 不存在")
        if session.get(Department, department_id) is None:
            raise Invalid("部门不存在", {"department_id": [f"未知部门 {department_id}"]})
        if user.id == by.id and (role != "admin" or not active):
            raise Invalid("不能取消自己的管理员权限或停用自己", {"role": ["不能修改自己的管理员身份"]})
        user.display_name, user.role = display_name.strip(), role
        user.department_id, user.active = department_id, active
        audit.record(session, at=rt.clock.now(), actor=by.username, kind="user_updated",
                     summary=f"修改用户 {user.username}（{role}@{department_id}，{'启用' if active else '停用'}）")


def reset_password(rt: Runtime, user_id: int, new_password: str, by: Actor) -> None:
    """Set a new password; the user's open browser sessions end with it (admins only)."""
    _check_admin(by)
    if len(new_password) < 8:
        raise Invalid("密码太短", {"password": ["至少 8 个字符"]})
    with rt.unit_of_work() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotFound(f"用户 {user_id} 不存在")
        user.password_hash = hash_password(new_password)
        audit.record(session, at=rt.clock.now(), actor=by.username, kind="password_reset",
                     summary=f"重置用户 {user.username} 的密码")


def session_stamp(password_hash: str) -> str:
    """A short value that changes whenever the password does: browser sessions carry it."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def actor_for_session(rt: Runtime, user_id: int, stamp: str) -> Actor | None:
    """The active user a browser session names, if its password has not changed since sign-in."""
    with rt.unit_of_work(write=False) as session:
        user = session.get(User, user_id)
        if user is None or not user.active or not hmac.compare_digest(session_stamp(user.password_hash), stamp):
            return None
        return Actor.of(user)


def sign_in(rt: Runtime, username: str, password: str) -> tuple[Actor, str]:
    """Check credentials for a browser sign-in; returns the actor and its session stamp."""
    with rt.unit_of_work(write=False) as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None or not user.active or not check_password(user.password_hash, password):
            raise Unauthorized("用户名或密码错误")
        return Actor.of(user), session_stamp(user.password_hash)


def department_colleagues(rt: Runtime, department_id: str) -> list[Actor]:
    """The active staff of a department, for reassigning within it."""
    with rt.unit_of_work(write=False) as session:
        rows = session.scalars(select(User).where(User.department_id == department_id, User.active.is_(True))
                               .order_by(User.username))
        return [Actor.of(u) for u in rows if u.role in ("clerk", "head")]


def departments(rt: Runtime) -> dict[str, str]:
    """Department id -> name, in display order."""
    with rt.unit_of_work(write=False) as session:
        return department_names(session)
