"""Every error becomes one clear answer with its status: JSON under /api, a page elsewhere; no 500 for bad input."""
from __future__ import annotations

import logging

from flask import Flask, current_app, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError
from sqlalchemy.exc import DataError, DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from engine.errors import Unauthorized, YizhanError

log = logging.getLogger(__name__)

_NAMES = {400: "invalid", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          409: "conflict", 413: "too_large", 415: "unsupported_media_type", 429: "too_many_requests",
          500: "internal_error", 503: "unavailable"}
# What an error body may carry besides status, error, message and fields (the API's Error schema).
_DETAILS = ("element_id", "file", "line", "problems")
RETRY_AFTER_SECONDS = 5
BEARER_CHALLENGE = 'Bearer realm="yizhan"'


def flat_fields(messages, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages as `{"data.parties.0.name": ["..."]}`: one list of texts per field path."""
    if isinstance(messages, dict):
        flat: dict[str, list[str]] = {}
        for key, value in messages.items():
            path = f"{prefix}.{key}" if prefix and key != "" else (prefix or str(key))
            for name, texts in flat_fields(value, path).items():
                flat.setdefault(name, []).extend(texts)
        return flat
    if isinstance(messages, list | tuple):
        if all(isinstance(m, str) for m in messages):
            return {prefix: list(messages)}
        return flat_fields({str(i): m for i, m in enumerate(messages)}, prefix)
    return {prefix: [str(messages)]}


def error_body(status: int, message: str, fields: dict | None = None, **details):
    body = {"status": status, "error": _NAMES.get(status, "error"), "message": message}
    if fields:
        body["fields"] = flat_fields(fields)
    body.update({k: details[k] for k in _DETAILS if details.get(k) is not None})
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
            413: _("The upload is too large"), 500: _("Something went wrong on the server"),
            503: _("Temporarily unavailable")}


def error_page(status: int, message: str, fields: dict | None = None):
    title = _page_titles().get(status, _("The request could not be processed"))
    return render_template("errors/error.html", status=status, title=title, message=message,
                           fields=flat_fields(fields or {})), status


def _answer(status: int, message: str, fields: dict | None = None, **details):
    if _wants_json():
        return error_body(status, message, fields, **details)
    return error_page(status, message, fields)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(YizhanError)
    def _engine_error(exc: YizhanError):
        if isinstance(exc, Unauthorized):
            if not _wants_json():
                return redirect(url_for("auth.login", next=request.full_path))
            body, status = error_body(exc.status, exc.message)
            challenge = (f'{BEARER_CHALLENGE}, error="invalid_token"' if request.headers.get("Authorization")
                         else BEARER_CHALLENGE)
            return body, status, {"WWW-Authenticate": challenge}
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
        headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]  # e.g. a 405's Allow
        if _wants_json():
            messages = {404: "资源不存在", 405: "不支持的请求方法", 413: "上传内容过大", 400: "请求格式错误",
                        415: "不支持的内容类型"}
            body, status = error_body(exc.code or 500, messages.get(exc.code, exc.description or exc.name))
            return body, status, headers
        page, status = error_page(exc.code or 500, "")
        return page, status, headers

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PoolTimeout)
    def _database_unavailable(exc: Exception):
        return _unavailable(exc)

    @app.errorhandler(DataError)
    def _value_out_of_range(exc: DataError):
        if exc.connection_invalidated:
            return _unavailable(exc)
        # The request checks refuse what no column holds; this is the net under them, not a crash.
        log.warning("a value the database refused, answered 400: %s", _first_line(exc.orig))
        return _answer(400, "提交的值超出数据库允许的范围")

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        if isinstance(exc, DBAPIError) and exc.connection_invalidated:
            return _unavailable(exc)
        log.exception("unhandled error")
        return _answer(500, "服务器内部错误")


def _first_line(exc: BaseException | None) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0] if text else ''}"


def _unavailable(exc: Exception):
    """The database cannot be reached: 503 with Retry-After, one warning line, and fresh connections next time
    (a pooled connection that outlived the outage is never handed out again)."""
    log.warning("database unavailable, answered 503 to %s %s: %s", request.method, request.path,
                _first_line(getattr(exc, "orig", None) or exc))
    current_app.extensions["yizhan"].session_factory.kw["bind"].dispose()
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    message = "数据库暂时不可用，请稍后重试"
    if _wants_json():
        body, status = error_body(503, message)
        return body, status, headers
    g.actor = None  # the page must not ask the database who is signed in (nor Flask-Login, for its templates)
    g._login_user = AnonymousUserMixin()
    page, status = error_page(503, _("The service is briefly unavailable. Please try again in a moment."))
    return page, status, headers
