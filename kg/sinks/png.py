"""PNG picture: the layered figure of :mod:`kg.sinks.svg`, drawn by headless Chromium (the one that prints
the PDF reports) at print resolution: 300 dpi when printed at its natural width (the text width of an
A4 page, 180 mm), with that resolution recorded in the file (``pHYs``), so word processors place it
at that size. Pictures too tall for one PNG are refused with a message (use SVG, or select less)."""

from __future__ import annotations

import os
import re
import struct
import zlib
from typing import TYPE_CHECKING

from kg.io import atomic_write

if TYPE_CHECKING:
    import networkx as nx

EXTENSION = "png"
DPI = 300
SCALE = DPI / 96  #: device pixels per CSS pixel (CSS has 96 px per inch)


def with_dpi(png: bytes, dpi: int = DPI) -> bytes:
    """The PNG with a ``pHYs`` chunk saying ``dpi`` (after IHDR; an existing one is replaced).

    >>> import zlib, struct
    >>> ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    >>> chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    >>> png = b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")
    >>> b"pHYs" in with_dpi(png) and with_dpi(with_dpi(png)).count(b"pHYs") == 1
    True
    """
    ppm = round(dpi / 0.0254)
    data = struct.pack(">IIB", ppm, ppm, 1)
    chunk = struct.pack(">I", len(data)) + b"pHYs" + data + struct.pack(">I", zlib.crc32(b"pHYs" + data))
    head, rest = png[:33], png[33:]  # signature (8) + IHDR chunk (25)
    if rest[4:8] == b"pHYs":
        rest = rest[12 + struct.unpack(">I", rest[:4])[0] :]
    return head + chunk + rest


def dumps(graph: nx.MultiDiGraph) -> bytes:
    """The PNG bytes of the layered picture of ``graph``."""
    from kg.report.figure import render_svg
    from kg.report.pdf import html_to_png

    svg = render_svg(graph)
    m = re.search(r'width="(\d+)" height="(\d+)"', svg)
    width, height = (int(m.group(1)), int(m.group(2))) if m else (800, 600)
    html = ("<!DOCTYPE html><html><head><meta charset='utf-8'><style>html,body{margin:0;padding:0;background:#fff}"
            f"svg{{display:block}}</style></head><body>{svg}</body></html>")
    return with_dpi(html_to_png(html, width, height, SCALE))


def write(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write the picture of ``graph`` as PNG, atomically."""
    atomic_write(path, dumps(graph))
