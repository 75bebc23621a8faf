"""Render page data into one self-contained HTML file: every script and stylesheet inline.

Safety: data enters the page only as JSON inside ``<script type="application/json">``, with ``<``,
``>``, ``&`` and U+2028/U+2029 escaped, so no value can close the element or start markup; the page
script reads it with ``JSON.parse`` and shows it as text. Other text (titles, the result table)
goes through Jinja's autoescaping. A Content-Security-Policy allows only the page's own two
scripts (by hash), so even injected markup could neither run script nor load anything.

>>> script_json({"name": "</script><b>&"})
'{"name":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib.util
import json
from pathlib import Path
from typing import Any

__all__ = ["script_json", "render_page", "render_index", "vis_assets", "VIS_VERSION"]

VIS_VERSION = "9.1.2"
_HERE = Path(__file__).resolve().parent / "templates"
_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(obj: Any) -> str:
    """JSON that is safe inside a ``<script>`` element (and still the same JSON to ``JSON.parse``)."""
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for a, b in _ESCAPES.items():
        s = s.replace(a, b)
    return s


@functools.cache
def vis_assets() -> tuple[str, str]:
    """The vis-network script and stylesheet shipped inside the pyvis package (read, not imported)."""
    from kg.errors import RuntimeFailure

    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeFailure("pyvis is not installed (it ships vis-network); pip install pyvis")
    lib = Path(next(iter(spec.submodule_search_locations))) / "templates" / "lib" / f"vis-{VIS_VERSION}"
    try:
        js = (lib / "vis-network.min.js").read_text(encoding="utf-8")
        css = (lib / "vis-network.css").read_text(encoding="utf-8")
    except OSError as e:
        raise RuntimeFailure(f"vis-network {VIS_VERSION} not found in pyvis ({lib}): {e.strerror}") from None
    for text, tag in ((js, "</script"), (css, "</style")):
        if tag in text.lower():
            raise RuntimeFailure(f"vis-network asset contains {tag!r}; cannot inline it")
    return js, css


@functools.cache
def _asset(name: str) -> str:
    return (_HERE / name).read_text(encoding="utf-8")


def page_script() -> str:
    """The pages' own script: the layered layout (shared with :func:`kg.network`) and the page's controls."""
    return _asset("layered.js") + "\n" + _asset("app.js")


@functools.cache
def _env() -> Any:
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(_HERE)), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def _cells(v: Any) -> str:
    if isinstance(v, list):
        return "; ".join(map(str, v))
    return "" if v is None else str(v)


def render_page(data: dict[str, Any], *, title: str, subtitle: str = "", table: Any = None, nav: bool = True) -> str:
    """One network page. ``table`` is a :class:`kg.api.Result` to list under the network."""
    from markupsafe import Markup

    from kg import __version__

    vis_js, vis_css = vis_assets()
    app_js = page_script()
    tab = None
    if table is not None:
        tab = {"query": table.query, "lang": table.lang, "columns": list(table.columns),
               "rows": [[_cells(r.get(c)) for c in table.columns] for r in table.rows]}
    return _env().get_template("page.html.j2").render(
        title=title, subtitle=subtitle, nav=nav, table=tab, version=__version__,
        script_hashes=Markup(" ".join(_csp_hash(s) for s in (vis_js, app_js))),
        data=Markup(script_json(data)), vis_js=Markup(vis_js), vis_css=Markup(vis_css),
        app_js=Markup(app_js), app_css=Markup(_asset("app.css")))


def render_index(title: str, sections: list[tuple[str, list[dict[str, str]]]]) -> str:
    """The gallery's index: sections of links (``file``, ``title``, ``note``)."""
    from markupsafe import Markup

    from kg import __version__

    pages = [p for _, ps in sections for p in ps]
    return _env().get_template("index.html.j2").render(title=title, sections=sections, version=__version__,
                                                       app_css=Markup(_asset("app.css")), pages=pages)
