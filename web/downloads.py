"""Files handed to a browser or an API client as downloads: always as an attachment, a Chinese file name kept
(RFC 6266's UTF-8 form), never sniffed as something else, never kept in a shared cache (case files, reports and
exports hold personal data)."""
from __future__ import annotations

import re
from urllib.parse import quote

from flask import Response

PLAIN_NAME = re.compile(r"[A-Za-z0-9_.-]+")


def attachment(content: bytes | str, filename: str, content_type: str) -> Response:
    """A download of `content` called `filename`; `content_type` may carry parameters (e.g. a charset)."""
    response = Response(content, headers={"Content-Type": content_type})
    disposition = f'filename="{filename}"' if PLAIN_NAME.fullmatch(filename) else f"filename*=UTF-8''{quote(filename)}"
    response.headers["Content-Disposition"] = f"attachment; {disposition}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
