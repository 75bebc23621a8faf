"""PDF (and PNG) from HTML by headless Chromium (Debian's ``chromium`` package).

Chromium is found as ``$NEGKG_CHROMIUM``, else ``chromium``, ``chromium-browser`` or
``google-chrome`` on the PATH. It runs with a fresh profile in a temporary directory, no
network use beyond the file it prints (the report is self-contained), and a time limit.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from kg.errors import RuntimeFailure

__all__ = ["chromium", "html_to_pdf", "html_to_png", "dest_pages", "TIMEOUT", "MAX_PIXELS"]

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


_OBJ = re.compile(rb"(?<![0-9])(\d+) 0 obj\s*(.*?)endobj", re.S)


def dest_pages(pdf: bytes) -> dict[str, int]:
    """Named destination -> page number (from 1) of a PDF printed by Chromium, which names a destination
    after each element id that a link points to. Empty when the file has none or is not laid out as
    Chromium writes it (uncompressed objects), so that the caller can go without page numbers.

    >>> pdf = (b"1 0 obj <</Type /Catalog /Pages 2 0 R /Dests 5 0 R>> endobj 2 0 obj <</Type /Pages /Kids [3 0 R 4 0 R]>> "
    ...        b"endobj 3 0 obj <</Type /Page>> endobj 4 0 obj <</Type /Page>> endobj 5 0 obj <</a [3 0 R /XYZ 0 0 0] "
    ...        b"/sec-b [4 0 R /XYZ 0 0 0]>> endobj")
    >>> dest_pages(pdf)
    {'a': 1, 'sec-b': 2}
    """
    objs = {int(m.group(1)): m.group(2) for m in _OBJ.finditer(pdf)}
    catalog = next((o for o in objs.values() if re.search(rb"/Type\s*/Catalog", o)), b"")
    root, dests = re.search(rb"/Pages (\d+) 0 R", catalog), re.search(rb"/Dests (\d+) 0 R", catalog)
    if not root or not dests:
        return {}

    def leaves(n: int, depth: int = 0) -> list[int]:
        o = objs.get(n, b"")
        kids = re.search(rb"/Kids\s*\[([^\]]*)\]", o)
        if depth > 32 or not re.search(rb"/Type\s*/Pages\b", o) or not kids:
            return [n]
        return [leaf for k in re.findall(rb"(\d+) 0 R", kids.group(1)) for leaf in leaves(int(k), depth + 1)]

    page_no = {n: i + 1 for i, n in enumerate(leaves(int(root.group(1))))}
    found = re.findall(rb"/([^\s/\[\]<>()]+)\s*\[\s*(\d+) 0 R", objs.get(int(dests.group(1)), b""))
    return {name.decode("latin-1"): page_no[int(p)] for name, p in found if int(p) in page_no}
