"""The designer's page: deployed process versions, their files, and deploying new BPMN/DMN."""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from engine import definitions
from engine.errors import DefinitionRejected, Invalid, TooLarge
from engine.permissions import check_can_deploy

from .common import actor, message_of, no_store, runtime, staff_only

bp = Blueprint("designer", __name__, url_prefix="/designer")


@bp.get("/definitions")
@staff_only
@no_store
def index():
    me = actor()
    listed = definitions.list_definitions(runtime(), me)
    return render_template("designer/definitions.html", definitions=listed,
                           can_deploy=me.role in ("designer", "admin"), rejection=None)


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
        listed = definitions.list_definitions(runtime(), me)
        return render_template("designer/definitions.html", definitions=listed, can_deploy=True,
                               rejection={"message": message_of(exc), "element_id": getattr(exc, "element_id", None),
                                          "file": getattr(exc, "file", None), "line": getattr(exc, "line", None)}
                               ), 400
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
    response = Response(text, mimetype="application/xml")
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
