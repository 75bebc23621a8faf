"""PDF (and PNG) from HTML by headless Chromium (Debian's ``chromium`` package).

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

__all__ = ["chromium", "html_to_pdf", "html_to_png", "TIMEOUT", "MAX_PIXELS"]

TIMEOUT = 120  # seconds
MAX_PIXELS = 16384  #: the longest side of a PNG that Chromium draws reliably
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


def _run(html: str, out_name: str, args: list[str], what: str, timeout: float) -> bytes:
    """Load ``html`` from a file in a fresh temporary profile, run Chromium with ``args`` writing
    ``out_name`` there, and return that file's bytes."""
    exe = chromium()
    with tempfile.TemporaryDirectory(prefix="negkg-chromium-") as tmp:
        src, out, profile = Path(tmp) / "page.html", Path(tmp) / out_name, Path(tmp) / "profile"
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
            *(a.replace("{out}", str(out)) for a in args),
            src.as_uri(),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False, stdin=subprocess.DEVNULL,
                                  cwd=tmp)
        except subprocess.TimeoutExpired:
            raise RuntimeFailure(f"Chromium did not write the {what} within {timeout:.0f} s") from None
        except OSError as e:
            raise RuntimeFailure(f"cannot run Chromium ({exe}): {e.strerror or e}") from None
        if not out.is_file() or out.stat().st_size == 0:
            lines = [ln for ln in (proc.stderr or "").splitlines() if ln.strip()]
            detail = lines[-1].strip() if lines else f"exit code {proc.returncode}"
            raise RuntimeFailure(f"Chromium failed to write the {what}: {detail}")
        return out.read_bytes()


def html_to_pdf(html: str, timeout: float = TIMEOUT) -> bytes:
    """Print an HTML document to PDF with headless Chromium (A4 from the page's CSS, headings as
    the PDF's outline); return the PDF's bytes."""
    args = ["--print-to-pdf={out}", "--no-pdf-header-footer", "--generate-pdf-document-outline"]
    return _run(html, "report.pdf", args, "PDF", timeout)


def html_to_png(html: str, width: int, height: int, scale: float, timeout: float = TIMEOUT) -> bytes:
    """Draw an HTML page of ``width`` x ``height`` CSS pixels to a PNG at ``scale`` device pixels each."""
    if max(width, height) * scale > MAX_PIXELS:
        raise RuntimeFailure(
            f"the picture is too large for PNG ({width}x{height} px at {scale}x): select less, or use --format svg"
        )
    args = ["--screenshot={out}", f"--window-size={width},{height}", f"--force-device-scale-factor={scale}",
            "--hide-scrollbars", "--default-background-color=ffffffff"]
    return _run(html, "picture.png", args, "PNG", timeout)
