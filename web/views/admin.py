"""User administration: add staff, set role and department, reset a password, issue an API token."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import users
from engine.errors import Conflict, Invalid, NotFound
from engine.permissions import check_can_manage_users

from .common import actor, field_messages, message_of, no_store, run_and_flash, runtime, staff_only

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _page(new_values: dict | None = None, errors: dict | None = None, status: int = 200):
    rt, me = runtime(), actor()
    return render_template("admin/users.html", users=users.list_users(rt, me), departments=users.departments(rt),
                           roles=users.ROLES, values=new_values or {}, errors=errors or {}), status


@bp.get("/users")
@staff_only
@no_store
def index():
    check_can_manage_users(actor())
    return _page()


@bp.post("/users")
@staff_only
def create():
    check_can_manage_users(actor())
    form = request.form
    values = {key: form.get(key, "").strip() for key in ("username", "display_name", "role", "department_id")}
    errors = {}
    if not values["username"] or not values["username"].replace("_", "").replace(".", "").isalnum():
        errors["username"] = [_("Letters, digits, dots and underscores only.")]
    if not values["display_name"]:
        errors["display_name"] = [_("Required.")]
    if errors:
        flash(_("Please correct the marked fields."), "error")
        return _page(values, errors, 400)
    try:
        users.create_user(runtime(), username=values["username"], display_name=values["display_name"],
                          role=values["role"], department_id=values["department_id"],
                          password=form.get("password", ""), by=actor())
    except (Invalid, Conflict) as exc:
        flash(message_of(exc), "error")
        return _page(values, field_messages(getattr(exc, "fields", {})), 400)
    flash(_("User %(name)s added.", name=values["username"]), "success")
    return redirect(url_for("admin.index"))


@bp.get("/users/<int:user_id>")
@staff_only
@no_store
def edit(user_id: int):
    rt = runtime()
    row = users.get_user(rt, user_id, actor())
    return _user_page(row)


def _user_page(row, token: str | None = None):
    rt, me = runtime(), actor()
    return render_template("admin/user.html", user=row, departments=users.departments(rt), roles=users.ROLES,
                           token=token, tokens=users.list_tokens(rt, me, row.username),
                           token_days=users.TOKEN_DAYS, max_token_days=users.MAX_TOKEN_DAYS, errors={})


@bp.post("/users/<int:user_id>")
@staff_only
def update(user_id: int):
    form = request.form
    return run_and_flash(
        lambda: users.update_user(runtime(), user_id, display_name=form.get("display_name", ""),
                                  role=form.get("role", ""), department_id=form.get("department_id", ""),
                                  active=form.get("active") == "on", by=actor()),
        _("Changes saved."), url_for("admin.edit", user_id=user_id))


@bp.post("/users/<int:user_id>/password")
@staff_only
def password(user_id: int):
    return run_and_flash(lambda: users.reset_password(runtime(), user_id, request.form.get("password", ""), actor()),
                         _("Password reset. The user's open sessions have ended."),
                         url_for("admin.edit", user_id=user_id))


@bp.post("/users/<int:user_id>/tokens")
@staff_only
def token(user_id: int):
    rt, me = runtime(), actor()
    row = users.get_user(rt, user_id, me)
    label = request.form.get("label", "").strip()
    days = request.form.get("days", "")
    try:
        if not label:
            raise Invalid("请填写令牌名称", {"name": ["必填"]})
        issued = users.issue_token(rt, row.username, label, by=me,
                                   days=int(days) if days.isdigit() else users.TOKEN_DAYS)
    except Invalid as exc:
        flash(message_of(exc), "error")
        return redirect(url_for("admin.edit", user_id=user_id))
    response = _user_page(users.get_user(rt, user_id, me), token=issued)
    return response, 200, {"Cache-Control": "no-store"}


@bp.post("/users/<int:user_id>/tokens/<int:token_id>/revoke")
@staff_only
def revoke_token(user_id: int, token_id: int):
    rt, me = runtime(), actor()
    row = users.get_user(rt, user_id, me)
    if all(t.id != token_id for t in users.list_tokens(rt, me, row.username)):
        raise NotFound(f"令牌 {token_id} 不存在")
    return run_and_flash(lambda: users.revoke_token(rt, token_id, me), _("The token was revoked."),
                         url_for("admin.edit", user_id=user_id))
