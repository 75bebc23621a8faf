"""``negkg build``."""

from __future__ import annotations

import json
from typing import Any

import click

from kg.cli._common import STDOUT, data_dir, echo, status, write_options

DEFAULT_LIMIT = 20  #: headline rows printed in a table unless --limit or --all say otherwise


def top_headline(rows: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """``limit`` headline rows, spread over the negotiations: each one's most telling rows first (shared
    interests, then those of more parties), taken in turn, then printed in the headline's own order.

    >>> rows = [{"negotiation": n, "shared": s, "parties": ["a"]} for n, s in (("a", False), ("a", True), ("b", False))]
    >>> [(r["negotiation"], r["shared"]) for r in top_headline(rows, 2)]
    [('a', True), ('b', False)]
    """
    groups: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        groups.setdefault(r["negotiation"], []).append(i)
    for idx in groups.values():
        idx.sort(key=lambda i: (not rows[i].get("shared"), -len(rows[i].get("parties") or []), i))
    picked: list[int] = []
    depth = 0
    while len(picked) < min(limit, len(rows)):
        picked += [idx[depth] for idx in groups.values() if depth < len(idx)][: limit - len(picked)]
        depth += 1
    return [rows[i] for i in sorted(picked)]


@click.command("build")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default="out",
    show_default=True,
    help="Where to write graph.graphml and graph.json (files negkg did not write there are never overwritten).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="How to print the summary and the headline.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    help=f"Print this many headline rows (default: {DEFAULT_LIMIT} in a table, all in json); the count of the rest follows.",
)
@click.option("--all", "show_all", is_flag=True, help="Print every headline row.")
@write_options
@click.pass_context
def cmd(ctx: click.Context, out_dir: str, fmt: str, limit: int | None, show_all: bool, force: bool, quiet: bool) -> None:
    """Validate and build the graph; print a summary and the top rows of the headline; write the graph files.

    The rows printed are spread over the negotiations, each one's shared interests first.
    """
    from kg import api, output
    from kg.errors import UsageError

    if show_all and limit is not None:
        raise click.UsageError("--limit and --all exclude each other")
    if out_dir == STDOUT:
        raise UsageError("build writes two files, so --out - cannot be used; "
                         "`negkg export --format graphml --out -` prints the graph")
    res = api.build(out_dir, data_dir(ctx), force=force)
    s = res.summary
    rows = res.headline.rows
    if show_all or (limit is None and fmt == "json"):
        limit = len(rows)
    elif limit is None:
        limit = DEFAULT_LIMIT
    shown = top_headline(rows, limit)
    rest = len(rows) - len(shown)
    if fmt == "json":
        out = {"summary": s, "files": [str(f) for f in res.files], "headline": shown, "headline_total": len(rows)}
        echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    counts = [{"type": k, "count": v} for k, v in s["nodes"].items()]
    echo(output.table(["type", "count"], counts, title=f"{s['total_nodes']} nodes, {s['total_edges']} edges", lines=False))
    # case-local ids read better without their case prefix, which the negotiation column already shows
    local = [{**r, "provision": r["provision"].split("/", 1)[-1], "interest": r["interest"].split("/", 1)[-1],
              "mechanisms": ", ".join(r["mechanisms"]), "parties": ", ".join(r["parties"])} for r in shown]
    cols = ["negotiation", "provision", "locator", "mechanisms", "interest", "category", "parties"]
    title = f"Headline: interests served by value-creating provisions ({len(rows)} links)"
    caption = f"… and {rest} more (--limit N or --all to show them)" if rest else None
    echo(output.table(cols, local, title=title, lines=False, caption=caption))
    for f in res.files:
        status(ctx, f"wrote {f}")
