"""Every error becomes one clear JSON body with its status; a bad request is never a 500."""
from __future__ import annotations

import logging

from flask import Flask, jsonify
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from engine.errors import YizhanError

log = logging.getLogger(__name__)

_NAMES = {400: "invalid", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
          409: "conflict", 413: "too_large", 415: "unsupported_media_type", 500: "internal_error"}


def error_body(status: int, message: str, fields: dict | None = None, **details):
    body = {"status": status, "error": _NAMES.get(status, "error"), "message": message}
    if fields:
        body["fields"] = fields
    body.update({k: v for k, v in details.items() if v is not None})
    return jsonify(body), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(YizhanError)
    def _engine_error(exc: YizhanError):
        return error_body(exc.status, exc.message, getattr(exc, "fields", None), **exc.details)

    @app.errorhandler(ValidationError)
    def _schema_error(exc: ValidationError):
        fields = exc.messages if isinstance(exc.messages, dict) else {"": exc.messages}
        return error_body(400, "请求参数有误", fields)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        messages = {404: "资源不存在", 405: "不支持的请求方法", 413: "上传内容过大", 400: "请求格式错误"}
        return error_body(exc.code or 500, messages.get(exc.code, exc.description or exc.name))

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error")
        return error_body(500, "服务器内部错误")
