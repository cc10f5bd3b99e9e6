"""Languages: Chinese by default, English on request; the catalogues under web/translations.

The `.po` files are the source; their compiled `.mo` twins are built into the instance folder when
the app starts (and whenever a `.po` is newer), so no generated file lives in the repository.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, session

from .extensions import babel

LANGUAGES = {"zh": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh"
CATALOGUES = Path(__file__).parent / "translations"


def select_locale() -> str:
    """The language the user chose (kept in the session), else Chinese."""
    chosen = session.get("lang")
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def compile_catalogues(target: Path) -> Path:
    """Compile every messages.po under web/translations into `target`, keeping the same layout."""
    for po_path in CATALOGUES.glob("*/LC_MESSAGES/messages.po"):
        mo_path = target / po_path.relative_to(CATALOGUES).with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with po_path.open("rb") as handle:
            catalogue = read_po(handle, locale=po_path.parts[-3])
        fd, temporary = tempfile.mkstemp(dir=mo_path.parent, suffix=".mo")
        with os.fdopen(fd, "wb") as handle:
            write_mo(handle, catalogue)
        os.replace(temporary, mo_path)
    return target


def init_i18n(app: Flask) -> None:
    compiled = compile_catalogues(Path(app.instance_path) / "translations")
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compiled)
    babel.init_app(app, locale_selector=select_locale)
