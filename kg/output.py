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
          lines: bool = True, caption: str | None = None, no_wrap: tuple[str, ...] = ()) -> Any:
    """A rich Table of rows (data is rendered as text, never as markup; control characters escaped); the
    ``no_wrap`` columns keep each cell on one line."""
    from rich.table import Table
    from rich.text import Text

    from kg.text import escape

    t = Table(title=None if title is None else Text(escape(title)), show_lines=lines, header_style="bold",
              caption=Text(escape(caption)) if caption else None)
    for c in columns:
        t.add_column(Text(escape(str(c))), overflow="fold", no_wrap=c in no_wrap)
    for r in rows:
        t.add_row(*(Text(_cell(r.get(c))) for c in columns))
    return t


def render(result: Result, fmt: str, columns: list[str] | tuple[str, ...] | None = None, *,
           cards: bool = False) -> str | Any:
    """The result as csv/json text (every column), or a rich renderable for ``table`` (``columns`` only, when
    given: a terminal cannot show fifteen columns; csv and json carry them all). With ``cards``, a terminal too
    narrow for the columns (fewer than 18 characters each) gets one card per row (field: value) instead."""
    if fmt == "json":
        return result.to_json()
    if fmt == "csv":
        return result.to_csv()
    shown = columns or result.columns
    more = f"; csv or json for all {len(result.columns)} columns" if columns else ""
    title = f"{result.query} ({len(result.rows)} rows{more})"
    if cards:
        from rich.console import Console

        if Console().width < 18 * len(shown):
            return card_list(shown, result.rows, title)
    return table(shown, result.rows, title=title)


def card_list(columns: list[str] | tuple[str, ...], rows: list[dict[str, Any]], title: str) -> Any:
    """One card per row: a numbered rule, then a line per field (name, value), for long texts in a narrow terminal.

    >>> from rich.console import Console
    >>> c = Console(width=40, color_system=None)
    >>> with c.capture() as out:
    ...     c.print(card_list(["a", "b"], [{"a": "x", "b": ["y", "z"]}], "q (1 rows)"))
    >>> print(out.get().rstrip())
    q (1 rows)
    1 ──────────────────────────────────────
    a  x
    b  y
       z
    """
    from rich.console import Group
    from rich.rule import Rule
    from rich.table import Table
    from rich.text import Text

    from kg.text import escape

    parts: list[Any] = [Text(escape(title))]
    for i, r in enumerate(rows, 1):
        parts.append(Rule(Text(str(i)), align="left"))
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True, style="bold")
        grid.add_column(overflow="fold")
        for c in columns:
            grid.add_row(Text(escape(str(c))), Text(_cell(r.get(c))))
        parts.append(grid)
    return Group(*parts)
