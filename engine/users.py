"""Staff accounts, password hashing and API tokens; `Actor` is who a command acts for."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit
from .errors import Conflict, Invalid, NotFound, Unauthorized
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
