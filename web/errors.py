"""Every error becomes one clear answer with its status: JSON under /api, a page elsewhere; no 500 for bad input."""
from __future__ import annotations

import logging

from flask import Flask, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from engine.errors import Unauthorized, YizhanError

log = logging.getLogger(__name__)

_NAMES = {400: "invalid", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          409: "conflict", 413: "too_large", 415: "unsupported_media_type", 429: "too_many_requests",
          500: "internal_error"}


def error_body(status: int, message: str, fields: dict | None = None, **details):
    body = {"status": status, "error": _NAMES.get(status, "error"), "message": message}
    if fields:
        body["fields"] = fields
    body.update({k: v for k, v in details.items() if v is not None})
    return jsonify(body), status


def _wants_json() -> bool:
    """The API, and the studio's own calls from its page script (they ask for JSON)."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def _page_titles() -> dict[int, str]:
    return {400: _("The request could not be processed"), 403: _("You may not open this page"),
            404: _("Not found"), 405: _("Not allowed"), 409: _("Someone else changed this first"),
            413: _("The upload is too large"), 500: _("Something went wrong on the server")}


def error_page(status: int, message: str, fields: dict | None = None):
    title = _page_titles().get(status, _("The request could not be processed"))
    return render_template("errors/error.html", status=status, title=title, message=message,
                           fields=fields or {}), status


def _answer(status: int, message: str, fields: dict | None = None, **details):
    if _wants_json():
        return error_body(status, message, fields, **details)
    return error_page(status, message, fields)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(YizhanError)
    def _engine_error(exc: YizhanError):
        if isinstance(exc, Unauthorized) and not _wants_json():
            return redirect(url_for("auth.login", next=request.full_path))
        return _answer(exc.status, exc.message, getattr(exc, "fields", None), **exc.details)

    @app.errorhandler(ValidationError)
    def _schema_error(exc: ValidationError):
        fields = exc.messages if isinstance(exc.messages, dict) else {"": exc.messages}
        return _answer(400, "请求参数有误", fields)

    @app.errorhandler(CSRFError)
    def _csrf_error(exc: CSRFError):
        if _wants_json():
            return error_body(400, "缺少或无效的 CSRF 令牌")
        return error_page(400, _("The form has expired or did not come from this site. "
                                 "Go back, reload the page and try again."))

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if _wants_json():
            messages = {404: "资源不存在", 405: "不支持的请求方法", 413: "上传内容过大", 400: "请求格式错误"}
            return error_body(exc.code or 500, messages.get(exc.code, exc.description or exc.name))
        return error_page(exc.code or 500, "")

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error")
        return _answer(500, "服务器内部错误")
