"""PDF from HTML by headless Chromium printing (Debian's ``chromium`` package).

Chromium is found as ``$NEGKG_CHROMIUM``, else ``chromium``, ``chromium-browser`` or
``google-chrome`` on the PATH. It runs with a fresh profile in a temporary directory, no
network use beyond the file it prints (the report is self-contained), and a time limit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from kg.errors import RuntimeFailure

__all__ = ["chromium", "html_to_pdf", "TIMEOUT"]

TIMEOUT = 120  # seconds
_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def chromium() -> str:
    """The path of the Chromium binary, or RuntimeFailure saying how to install it."""
    env = os.environ.get("NEGKG_CHROMIUM")
    if env:
        if shutil.which(env):
            return shutil.which(env)  # type: ignore[return-value]
        raise RuntimeFailure(f"NEGKG_CHROMIUM={env} is not an executable")
    for name in _NAMES:
        if found := shutil.which(name):
            return found
    raise RuntimeFailure(
        "PDF output needs Chromium, which was not found: install it (Debian: apt-get install chromium) "
        "or set NEGKG_CHROMIUM to its path; --format html gives the same report without it"
    )


def html_to_pdf(html: str, timeout: float = TIMEOUT) -> bytes:
    """Print an HTML document to PDF with headless Chromium; return the PDF's bytes."""
    exe = chromium()
    with tempfile.TemporaryDirectory(prefix="negkg-pdf-") as tmp:
        src, out, profile = Path(tmp) / "report.html", Path(tmp) / "report.pdf", Path(tmp) / "profile"
        src.write_text(html, encoding="utf-8")
        cmd = [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            f"--user-data-dir={profile}",
            f"--print-to-pdf={out}",
            "--no-pdf-header-footer",
            src.as_uri(),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise RuntimeFailure(f"Chromium did not print the PDF within {timeout:.0f} s") from None
        except OSError as e:
            raise RuntimeFailure(f"cannot run Chromium ({exe}): {e.strerror or e}") from None
        if not out.is_file() or out.stat().st_size == 0:
            lines = [ln for ln in (proc.stderr or "").splitlines() if ln.strip()]
            detail = lines[-1].strip() if lines else f"exit code {proc.returncode}"
            raise RuntimeFailure(f"Chromium failed to print the PDF: {detail}")
        return out.read_bytes()
