"""PDF copies of generated documents, when LibreOffice is installed (Debian: libreoffice-writer-nogui and
fonts-noto-cjk for the Chinese glyphs); without it documents are given as .docx only."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 60


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
        try:
            subprocess.run([program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                            "--convert-to", "pdf", "--outdir", folder, str(source)],
                           capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
        result = Path(folder) / "document.pdf"
        return result.read_bytes() if result.exists() else None
