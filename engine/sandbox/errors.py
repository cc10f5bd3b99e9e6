"""The sandbox's own errors: a reason in plain Chinese plus the offending source and line."""
from __future__ import annotations

# PythonScriptEngine finds the failing line by looking for frames of this file name; keep it.
SCRIPT_FILENAME = "<string>"
SNIPPET_CHARS = 200


class ScriptError(Exception):
    """Base of the sandbox's own errors: a reason in plain words plus the offending source."""

    def __init__(self, reason: str, source: str = "", line: int | None = None):
        self.reason = reason
        self.source = source
        self.line = line
        super().__init__(self._message())

    @property
    def snippet(self) -> str:
        """The offending line if known, else the start of the source, shortened."""
        text = self.source or ""
        if self.line and 0 < self.line <= len(text.splitlines()):
            text = text.splitlines()[self.line - 1]
        text = " ".join(text.split())
        return text if len(text) <= SNIPPET_CHARS else text[:SNIPPET_CHARS - 1] + "…"

    def _message(self) -> str:
        where = f"第 {self.line} 行" if self.line else ""
        snippet = self.snippet
        if snippet:
            return f"{self.reason}（{where + '：' if where else ''}{snippet}）"
        return self.reason

    def attach(self, source: str, line: int | None) -> ScriptError:
        """Fill in the source and line once known (guards raise before they know them)."""
        if not self.source:
            self.source = source
        if self.line is None:
            self.line = line
        self.args = (self._message(),)
        return self

    def __str__(self) -> str:
        return self._message()

    def __reduce__(self):
        return self.__class__, (self.reason, self.source, self.line)


class ScriptRejected(ScriptError):
    """The sandbox refused the script: forbidden name, attribute, call, import or size."""


class ScriptTimeout(ScriptRejected):
    """The script ran longer than the environment's time limit and was stopped."""


class ScriptTooLarge(ScriptRejected):
    """The script used more memory than allowed, or would write back more data than a case may hold."""


ERROR_CLASSES = {cls.__name__: cls for cls in (ScriptError, ScriptRejected, ScriptTimeout, ScriptTooLarge)}
