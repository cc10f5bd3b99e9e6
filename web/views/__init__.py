"""The staff pages: server-rendered, one blueprint per part of the workbench."""
from __future__ import annotations

from flask import Flask


def register_pages(app: Flask) -> None:
    from . import (
        admin,
        board,
        cases,
        designer,
        documents,
        inbox,
        intake,
        notifications,
        repair,
        site,
        stats,
        studio,
        tasks,
        templates_admin,
    )
    for module in (inbox, tasks, cases, documents, intake, admin, repair, templates_admin, designer, studio,
                   notifications, board, stats, site):
        app.register_blueprint(module.bp)
