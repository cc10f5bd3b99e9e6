"""The designer area's versions side by side and its migration of running cases (routes on the designer blueprint)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext

from engine.migration import migrate, preview
from engine.migration import reasons as why
from engine.permissions import allowed, check_can_migrate
from engine.studio import versions

from .common import actor, no_store, runtime, staff_only
from .designer import bp

REASON_LABELS = {
    why.REMOVED_TASK: lazy_gettext("A task it waits on was removed"),
    why.REMOVED_DEPENDENCY: lazy_gettext("An element it depends on was removed"),
    why.CHANGED_TYPE: lazy_gettext("A task it waits on became another kind of element"),
    why.REMOVED_PROCESS: lazy_gettext("The stage it is in was removed"),
    why.CALLED_PROCESS_CHANGED: lazy_gettext("The stage it is in now calls another process"),
    why.FAILED_STEP: lazy_gettext("Its last engine step failed"),
    why.NOT_RUNNING: lazy_gettext("It is not running"),
    why.SAME_VERSION: lazy_gettext("Already on this version"),
    why.OTHER_PROCESS: lazy_gettext("It runs another process"),
    why.ENGINE_REFUSED: lazy_gettext("The engine cannot go on with it on the new version"),
}


def _int(name: str, default: int | None) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else default


@bp.get("/processes/<key>/versions")
@staff_only
@no_store
def versions_page(key: str):
    me, rt = actor(), runtime()
    listed = versions.versions(rt, key, me)
    newest = listed[0].version
    new = _int("to", newest)
    old = _int("from", new - 1 if new > 1 else None)
    diff = versions.compare(rt, key, old, new, me) if old and old != new else None
    return render_template("designer/versions.html", key=key, versions=listed, diff=diff, old=old, new=new)


@bp.get("/processes/<key>/migration")
@staff_only
@no_store
def migration_page(key: str):
    me, rt = actor(), runtime()
    listed = versions.versions(rt, key, me)
    target = _int("to", listed[0].version)
    shown = preview.preview(rt, key, target, me)
    return render_template("designer/migration.html", key=key, versions=listed, target=target, shown=shown,
                           can_migrate=allowed(check_can_migrate, me), reason_labels=REASON_LABELS)


@bp.post("/processes/<key>/migration")
@staff_only
def run_migration(key: str):
    me = actor()
    check_can_migrate(me)
    target = int(request.form.get("to", "0") or 0) if (request.form.get("to") or "").isdigit() else 0
    chosen = [no for no in request.form.getlist("case") if no][:10000]
    back = url_for("designer.migration_page", key=key, to=target or None)
    if not chosen:
        flash(_("Choose the cases to move."), "error")
        return redirect(back)
    run = migrate.migrate(runtime(), key, target, me, chosen, request.form.get("note", "")[:2000])
    flash(_("%(moved)s cases moved to version %(version)s; %(refused)s could not move and were left as they were.",
            moved=len(run.moved), version=target, refused=len(run.refused)),
          "success" if not run.refused else "info")
    return redirect(back)
