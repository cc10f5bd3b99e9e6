"""The engine's error types: raised once here, mapped to HTTP statuses once in web/."""
from __future__ import annotations


class YizhanError(Exception):
    """Base of every error the engine raises on purpose."""

    status = 400

    def __init__(self, message: str, **details):
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(YizhanError):
    """The thing asked for does not exist (or the caller may not know it exists)."""

    status = 404


class Forbidden(YizhanError):
    """The caller is known but may not do this."""

    status = 403


class Unauthorized(YizhanError):
    """The caller did not prove who they are."""

    status = 401


class Conflict(YizhanError):
    """The command lost a race or no longer fits the case's state."""

    status = 409


class Invalid(YizhanError):
    """Input that cannot be accepted; `fields` maps field paths to messages."""

    status = 400

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None, **details):
        super().__init__(message, **details)
        self.fields = fields or {}


class TooLarge(YizhanError):
    """An upload above the configured size limit."""

    status = 413


class DefinitionRejected(Invalid):
    """A BPMN/DMN upload that cannot be deployed; names the element and the reason."""

    def __init__(self, message: str, element_id: str | None = None, file: str | None = None,
                 line: int | None = None, problems: list[dict] | None = None):
        super().__init__(message, element_id=element_id, file=file, line=line, problems=problems)
        self.element_id = element_id
        self.file = file
        self.line = line
        self.problems = problems or []


class ScriptFailed(Invalid):
    """A script, condition or expression in a diagram failed or was refused by the sandbox."""

    def __init__(self, message: str, element_id: str | None = None):
        super().__init__(message, element_id=element_id)
        self.element_id = element_id
