"""The staff pages: server-rendered, one blueprint per part of the workbench."""
from __future__ import annotations

from flask import Flask


def register_pages(app: Flask) -> None:
    from . import admin, board, cases, designer, inbox, intake, notifications, repair, site, studio, tasks
    for module in (inbox, tasks, cases, intake, admin, repair, designer, studio, notifications, board, site):
        app.register_blueprint(module.bp)
