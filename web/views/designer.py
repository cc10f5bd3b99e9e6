"""The designer's page: deployed process versions, their files, and deploying new BPMN/DMN."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import definitions
from engine.errors import DefinitionRejected, Invalid, NotFound, TooLarge
from engine.permissions import allowed, check_can_deploy
from engine.studio import drafts as studio_drafts
from engine.studio import groups as group_mapping
from engine.users import departments

from ..downloads import attachment
from .common import actor, message_of, no_store, run_and_flash, runtime, staff_only

bp = Blueprint("designer", __name__, url_prefix="/designer")


def _page(rejection: dict | None = None, status: int = 200):
    me, rt = actor(), runtime()
    listed = definitions.list_definitions(rt, me)
    may_edit = allowed(check_can_deploy, me)
    return render_template("designer/definitions.html", definitions=listed, can_deploy=may_edit,
                           drafts=studio_drafts.list_drafts(rt, me), rejection=rejection), status


@bp.get("/definitions")
@staff_only
@no_store
def index():
    return _page()


@bp.post("/definitions")
@staff_only
def deploy():
    me = actor()
    check_can_deploy(me)
    uploads = {f.filename: f.read() for f in request.files.getlist("files") if f.filename}
    if not uploads:
        flash(_("Choose one or more .bpmn or .dmn files."), "error")
        return redirect(url_for("designer.index"))
    try:
        info = definitions.deploy(runtime(), uploads, by=me)
    except (DefinitionRejected, Invalid, TooLarge) as exc:
        return _page({"message": message_of(exc), "element_id": getattr(exc, "element_id", None),
                      "file": getattr(exc, "file", None), "line": getattr(exc, "line", None),
                      "problems": getattr(exc, "problems", [])}, 400)
    if info.created:
        flash(_("Deployed %(key)s version %(version)s. New cases use it; running cases keep their version.",
                key=info.key, version=info.version), "success")
    else:
        flash(_("Nothing changed: %(key)s version %(version)s is identical.", key=info.key, version=info.version),
              "info")
    return redirect(url_for("designer.index"))


@bp.get("/definitions/<int:definition_id>/files/<path:filename>")
@staff_only
def file(definition_id: int, filename: str):
    text = definitions.definition_file(runtime(), definition_id, filename, actor())
    return attachment(text, filename, "application/xml")


@bp.get("/groups")
@staff_only
@no_store
def groups():
    me, rt = actor(), runtime()
    return render_template("designer/groups.html", mappings=group_mapping.list_mappings(rt, me),
                           departments=departments(rt), can_edit=allowed(check_can_deploy, me))


@bp.post("/groups")
@staff_only
def map_group():
    me = actor()
    group, department = request.form.get("group", ""), request.form.get("department_id", "")
    return run_and_flash(lambda: group_mapping.set_mapping(runtime(), group, department, me),
                         _("The group is mapped. Deploy or publish again for diagrams that use it."),
                         url_for("designer.groups"))


@bp.post("/groups/remove")
@staff_only
def unmap_group():
    me = actor()
    group = request.form.get("group", "")
    return run_and_flash(lambda: group_mapping.remove_mapping(runtime(), group, me), _("The mapping was removed."),
                         url_for("designer.groups"), refusals=(Invalid, NotFound))

from . import versions  # noqa: E402,F401  (versions side by side and migration: routes on this blueprint)
