"""Render query results and summaries for the terminal: table (rich), csv or json."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.api import Result

FORMATS = ("table", "csv", "json")


def _cell(v: Any) -> str:
    from kg.text import escape

    if v is None:
        return ""
    if isinstance(v, list):
        return escape("\n".join(map(str, v)))
    return escape(str(v))


def table(columns: list[str] | tuple[str, ...], rows: list[dict[str, Any]], title: str | None = None,
          lines: bool = True) -> Any:
    """A rich Table of rows (data is rendered as text, never as markup; control characters escaped)."""
    from rich.table import Table
    from rich.text import Text

    from kg.text import escape

    t = Table(title=None if title is None else Text(escape(title)), show_lines=lines, header_style="bold")
    for c in columns:
        t.add_column(Text(escape(str(c))), overflow="fold")
    for r in rows:
        t.add_row(*(Text(_cell(r.get(c))) for c in columns))
    return t


def render(result: Result, fmt: str) -> str | Any:
    """The result as csv/json text, or a rich renderable for ``table``."""
    if fmt == "json":
        return result.to_json()
    if fmt == "csv":
        return result.to_csv()
    return table(result.columns, result.rows, title=f"{result.query} ({len(result.rows)} rows)")
