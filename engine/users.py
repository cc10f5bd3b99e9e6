"""Staff accounts, password hashing and API tokens; `Actor` is who a command acts for."""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from . import audit
from .errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from .models import ApiToken, Department, User
from .runtime import Runtime
from .token_cache import CachedToken

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


# Checked when the username is unknown: the same scrypt cost as a real hash, and a digest no password gives.
_DUMMY_HASH = f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${'00' * 16}${'00' * 32}"


def _password_matches(user: User | None, password: str) -> bool:
    """Whether `user` may sign in with `password`. The hash check runs whether or not the user exists or is
    active (an unknown name is checked against a dummy hash), so how long a sign-in takes tells nobody which
    usernames exist."""
    stored = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH
    matches = check_password(stored, password)
    return matches and user is not None and user.active


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


TOKEN_DAYS = 90  # how long a new token lasts unless told otherwise
MAX_TOKEN_DAYS = 3 * 365
LAST_USED_EVERY = timedelta(minutes=1)  # a token's last use is written at most this often


@dataclass(frozen=True)
class TokenRow:
    """An API token as lists show it (never the token itself, which only its holder has)."""

    id: int
    username: str
    name: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    state: str  # active, expired or revoked


def _check_token_owner(by: Actor, username: str) -> None:
    """Staff manage their own tokens; an admin anyone's."""
    if by.role != "admin" and by.username != username:
        raise Forbidden("只有管理员可以管理他人的 API 令牌")


def issue_token(rt: Runtime, username: str, label: str = "", by: Actor = SYSTEM, days: int = TOKEN_DAYS) -> str:
    """A new bearer token for `username`, named `label`, lasting `days` (see `create_token`)."""
    return create_token(rt, username, label, by, days)[1]


def create_token(rt: Runtime, username: str, label: str, by: Actor = SYSTEM,
                 days: int = TOKEN_DAYS) -> tuple[TokenRow, str]:
    """A new bearer token for `username`, named `label`, lasting `days`, and its row. Only its SHA-256 is stored
    (the token has 256 random bits, so a plain hash is enough), so it is shown once."""
    _check_token_owner(by, username)
    label = (label or "").strip()
    if len(label) > 100:
        raise Invalid("令牌名称过长", {"name": ["不能超过 100 个字"]})
    if not isinstance(days, int) or not 1 <= days <= MAX_TOKEN_DAYS:
        raise Invalid("有效期无效", {"expires_in_days": [f"必须在 1 到 {MAX_TOKEN_DAYS} 天之间"]})
    token = secrets.token_urlsafe(32)
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            raise NotFound(f"用户 {username} 不存在")
        row = ApiToken(user_id=user.id, token_hash=_token_hash(token), label=label, created_at=now,
                       expires_at=now + timedelta(days=days), revoked=False)
        session.add(row)
        session.flush()
        audit.record(session, at=now, actor=by.username, kind="token_issued",
                     summary=f"为 {username} 签发 API 令牌 {label}")
        return _row_of(row, username, now), token


def _token_state(token: ApiToken, now: datetime) -> str:
    if token.revoked:
        return "revoked"
    if token.expires_at is not None and token.expires_at <= now:
        return "expired"
    return "active"


def _row_of(token: ApiToken, username: str, now: datetime) -> TokenRow:
    return TokenRow(token.id, username, token.label, token.created_at, token.expires_at, token.last_used_at,
                    token.revoked_at, _token_state(token, now))


def list_tokens(rt: Runtime, by: Actor, username: str | None = None) -> list[TokenRow]:
    """The tokens of `username` (default: one's own; an admin may name anyone, or pass "*" for everyone's),
    newest first."""
    username = username or by.username
    if username == "*":
        _check_admin(by)
    else:
        _check_token_owner(by, username)
    now = rt.clock.now()
    with rt.unit_of_work(write=False) as session:
        query = select(ApiToken, User.username).join(User, User.id == ApiToken.user_id)
        if username != "*":
            query = query.where(User.username == username)
        rows = session.execute(query.order_by(ApiToken.created_at.desc(), ApiToken.id.desc())).all()
        return [_row_of(t, name, now) for t, name in rows]


def revoke_token(rt: Runtime, token_id: int, by: Actor) -> TokenRow:
    """End a token at once (its holder's own, or anyone's for an admin); revoking twice changes nothing."""
    now = rt.clock.now()
    with rt.unit_of_work() as session:
        found = session.execute(select(ApiToken, User.username).join(User, User.id == ApiToken.user_id)
                                .where(ApiToken.id == token_id)).first()
        if found is None or (by.role != "admin" and found[1] != by.username):
            raise NotFound(f"令牌 {token_id} 不存在")
        token, username = found
        if not token.revoked:
            token.revoked, token.revoked_at = True, now
            audit.record(session, at=now, actor=by.username, kind="token_revoked",
                         summary=f"撤销 {username} 的 API 令牌 {token.label}")
        revoked = _row_of(token, username, now)
    rt.tokens.clear()  # after the commit, so no request in between remembers the token again
    return revoked


def valid_token_names(rt: Runtime, username: str) -> list[str]:
    """The names of a user's tokens that still work (for telling whoever runs a demo what they already have)."""
    now = rt.clock.now()
    with rt.unit_of_work(write=False) as session:
        rows = session.scalars(select(ApiToken).join(User, User.id == ApiToken.user_id)
                               .where(User.username == username, ApiToken.revoked.is_(False)))
        return [t.label for t in rows if _token_state(t, now) == "active"]


def actor_for_token(rt: Runtime, token: str) -> Actor:
    """The active user a bearer token belongs to, looked up by the token's hash (remembered for a few seconds,
    see engine/token_cache.py); its last use is recorded (at most once a minute, so a busy client does not
    write on every request)."""
    now = rt.clock.now()
    token_hash = _token_hash(token)
    cached = rt.tokens.get(token_hash)
    if cached is None:
        with rt.unit_of_work(write=False) as session:
            found = session.execute(select(ApiToken, User).join(User, User.id == ApiToken.user_id)
                                    .where(ApiToken.token_hash == token_hash)).first()
            if found is None or found[0].revoked or not found[1].active:
                raise Unauthorized("令牌无效或已撤销")
            row, user = found
            cached = CachedToken(Actor.of(user), row.id, row.expires_at, row.last_used_at, time.monotonic())
        rt.tokens.put(token_hash, cached)
    if cached.expires_at is not None and cached.expires_at <= now:
        raise Unauthorized("令牌已过期，请使用新的令牌")
    if cached.last_used_at is None or now - cached.last_used_at >= LAST_USED_EVERY:
        with rt.unit_of_work() as session:
            session.execute(update(ApiToken).where(ApiToken.id == cached.token_id).values(last_used_at=now))
        cached.last_used_at = now
    return cached.actor


def authenticate(rt: Runtime, username: str, password: str) -> Actor:
    """The user with these credentials."""
    with rt.unit_of_work(write=False) as session:
        user = session.scalar(select(User).where(User.username == username))
        if not _password_matches(user, password):
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
        now = rt.clock.now()
        for token in session.scalars(select(ApiToken).where(ApiToken.revoked.is_(False))):
            if _token_state(token, now) == "active":
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
    rt.tokens.clear()  # a remembered token carries its user's role and department and that they may act


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
        if not _password_matches(user, password):
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
