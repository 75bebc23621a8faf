"""``negkg export``: write the graph, or a selected subgraph, in any sink format.

The selection options (``--case``, ``--select KEY=VALUE``, ``--hops``, ``--lang``, ``--param``) are
shared with ``negkg report`` through :func:`select_options` and :func:`selection`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from kg.cli._common import data_dir, parse_params

SELECT_HELP = (
    "Keep a subgraph: case=ID, node=ID (with --hops), query=NAME (with --lang, --param), party=ID, "
    "category=ID, mechanism=ID. Repeatable; criteria combine with AND."
)


def select_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """Add the selection options to a command."""
    opts = [
        click.option("--case", help="Only this negotiation (same as --select case=ID)."),
        click.option("--select", "select", multiple=True, metavar="KEY=VALUE", help=SELECT_HELP),
        click.option(
            "--hops",
            type=click.IntRange(min=0),
            default=1,
            show_default=True,
            help="With --select node=ID: how many hops around the node.",
        ),
        click.option(
            "--across-cases",
            is_flag=True,
            help="With --select node=ID: let the walk cross into other negotiations through shared parties, "
            "sources and vocabulary (default: stay in the node's own negotiation).",
        ),
        click.option(
            "--lang",
            type=click.Choice(["native", "cypher", "sparql"]),
            default="native",
            show_default=True,
            help="With --select query=NAME: the engine that runs the query.",
        ),
        click.option(
            "--param",
            "params",
            multiple=True,
            metavar="KEY=VALUE",
            help="With --select query=NAME: a query parameter; repeatable.",
        ),
    ]
    for o in reversed(opts):
        f = o(f)
    return f


def selection(
    case: str | None,
    select: tuple[str, ...],
    hops: int,
    lang: str,
    params: tuple[str, ...],
    across_cases: bool = False,
) -> dict[str, Any]:
    """Keyword arguments of :func:`kg.select.select` from the command-line options."""
    from kg.errors import UsageError
    from kg.select import parse_select

    crit = parse_select(select)
    if case is not None:
        if crit.get("case", case) != case:
            raise UsageError("--case and --select case=... disagree")
        crit["case"] = case
    if params and "query" not in crit:
        raise UsageError("--param goes with --select query=NAME")
    if "query" in crit:
        crit.update(lang=lang, params=parse_params(params))
    if "node" in crit:
        crit["hops"] = hops
        if across_cases:
            crit["across_cases"] = True
    elif across_cases:
        raise UsageError("--across-cases goes with --select node=ID")
    return crit


@click.command("export")
@click.option(
    "--format",
    "fmt",
    required=True,
    metavar="FORMAT",
    help="Output format; see kg.sinks.SINKS (graphml, gexf, nodelink, csv, cypher, turtle, ...).",
)
@click.option("--out", "out", type=click.Path(),
              help="Output file (csv: a directory, or a .zip; '-': standard output, for one-file formats). "
                   "Default: out/graph.EXT.")
@select_options
@click.pass_context
def cmd(
    ctx: click.Context,
    fmt: str,
    out: str | None,
    case: str | None,
    select: tuple[str, ...],
    hops: int,
    across_cases: bool,
    lang: str,
    params: tuple[str, ...],
) -> None:
    """Export the graph, or the subgraph that --case/--select keep, in FORMAT, written atomically.

    \b
    Examples:
      negkg export --format gexf --select case=camp-david-1978
      negkg export --format cypher --select node=Party:egypt --hops 2
      negkg export --format csv --out out/csv --select query=interest-provision-links --param case=camp-david-1978
      negkg export --format graphml --select party=usa --select category=security
    """
    from kg import api, sinks
    from kg.select import select as select_

    s = sinks.sink(fmt)
    crit = selection(case, select, hops, lang, params, across_cases)
    g = api.graph(data_dir=data_dir(ctx))
    if crit:
        g = select_(g, **crit)
    if out == "-":
        _to_stdout(s, g)
        click.echo(f"wrote standard output ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)", err=True)
        return
    path = out or f"out/graph.{s.EXTENSION}"
    s.write(g, path)
    click.echo(f"wrote {path} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)")


def _to_stdout(s: Any, g: Any) -> None:
    """Write a one-file format to standard output (through a temporary file, so every sink works unchanged)."""
    import sys
    import tempfile
    from pathlib import Path

    from kg.errors import UsageError

    with tempfile.TemporaryDirectory(prefix="negkg-export-") as tmp:
        path = Path(tmp) / f"graph.{s.EXTENSION}"
        s.write(g, path)
        if not path.is_file():
            raise UsageError(f"--out - needs a format written as one file ({s.EXTENSION!r} is not)")
        sys.stdout.buffer.write(path.read_bytes())
        sys.stdout.flush()
