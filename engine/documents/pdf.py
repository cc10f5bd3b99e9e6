"""PDF copies of generated documents, when LibreOffice is installed (Debian: libreoffice-writer-nogui and
fonts-noto-cjk for the Chinese glyphs); without it documents are given as .docx only."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 60
SYSTEM_FONTS = Path("/etc/fonts/fonts.conf")
# The templates ask for 宋体 (SimSun), which a Linux server seldom has: print it in a Simplified Chinese face
# (Noto from fonts-noto-cjk) rather than whichever CJK face the converter picks first (often the Japanese one).
FONT_ALIASES = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">{system}</include>
  <alias binding="same"><family>宋体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>SimSun</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>黑体</family><prefer><family>Noto Sans CJK SC</family></prefer></alias>
  <alias binding="same"><family>SimHei</family><prefer><family>Noto Sans CJK SC</family></prefer></alias>
</fontconfig>
"""


def converter() -> str | None:
    """The LibreOffice program on PATH, if any."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx: bytes) -> bytes | None:
    """The document as PDF, or None when no converter is installed or it fails or takes too long."""
    program = converter()
    if program is None:
        return None
    with tempfile.TemporaryDirectory(prefix="yizhan-pdf-") as folder:
        source = Path(folder) / "document.docx"
        source.write_bytes(docx)
        profile = Path(folder) / "profile"  # its own profile, so parallel conversions never share a lock
        fonts = Path(folder) / "fonts.conf"
        fonts.write_text(FONT_ALIASES.format(system=SYSTEM_FONTS), encoding="utf-8")
        try:
            subprocess.run([program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                            "--convert-to", "pdf", "--outdir", folder, str(source)],
                           capture_output=True, timeout=TIMEOUT_SECONDS, check=False,
                           env={**os.environ, "FONTCONFIG_FILE": str(fonts)})
        except (OSError, subprocess.TimeoutExpired):
            return None
        result = Path(folder) / "document.pdf"
        return result.read_bytes() if result.exists() else None
