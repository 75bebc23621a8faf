"""Render query results and summaries for the terminal: table (rich), csv or json."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.api import Result

FORMATS = ("table", "csv", "json")


def json_cell(v: Any) -> Any:
    """Nested values (nodes, relationships, maps, lists of them) as compact JSON text, for tables and CSV.

    >>> json_cell({"id": "a"}), json_cell(["x", "y"]), json_cell(3)
    ('{"id": "a"}', ['x', 'y'], 3)
    """
    import json

    if isinstance(v, dict) or (isinstance(v, list) and any(isinstance(x, dict | list) for x in v)):
        return json.dumps(v, ensure_ascii=False, default=str)
    return v


def _cell(v: Any) -> str:
    from kg.text import escape

    if v is None:
        return ""
    if isinstance(v, list):
        return escape("\n".join(map(str, v)))
    return escape(str(v))


def table(columns: list[str] | tuple[str, ...], rows: list[dict[str, Any]], title: str | None = None,
          lines: bool = True, caption: str | None = None) -> Any:
    """A rich Table of rows (data is rendered as text, never as markup; control characters escaped)."""
    from rich.table import Table
    from rich.text import Text

    from kg.text import escape

    t = Table(title=None if title is None else Text(escape(title)), show_lines=lines, header_style="bold",
              caption=Text(escape(caption)) if caption else None)
    for c in columns:
        t.add_column(Text(escape(str(c))), overflow="fold")
    for r in rows:
        t.add_row(*(Text(_cell(r.get(c))) for c in columns))
    return t


def render(result: Result, fmt: str, columns: list[str] | tuple[str, ...] | None = None) -> str | Any:
    """The result as csv/json text (every column), or a rich renderable for ``table`` (``columns`` only, when
    given: a terminal cannot show fifteen columns; csv and json carry them all)."""
    if fmt == "json":
        return result.to_json()
    if fmt == "csv":
        return result.to_csv()
    shown = columns or result.columns
    more = f"; csv or json for all {len(result.columns)} columns" if columns else ""
    return table(shown, result.rows, title=f"{result.query} ({len(result.rows)} rows{more})")
