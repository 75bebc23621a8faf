"""``negkg export``: write the graph, or a selected subgraph, in any sink format.

The selection options (``--case``, ``--select KEY=VALUE``, ``--hops``, ``--lang``, ``--param``) are
shared with ``negkg report`` through :func:`select_options` and :func:`selection`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from kg.cli._common import STDOUT, data_dir, document, parse_params, status, write_options

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
              help="Output file (csv: a directory, or a .zip); '-' for standard output (text formats). "
                   "Default: out/graph.EXT. What negkg did not write is never replaced (see --force).")
@select_options
@write_options
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
    force: bool,
    quiet: bool,
) -> None:
    """Export the graph, or the subgraph that --case/--select keep, in FORMAT, written atomically.

    \b
    Examples:
      negkg export --format gexf --select case=camp-david-1978
      negkg export --format cypher --select node=Party:egypt --hops 2
      negkg export --format csv --out out/csv --select query=interest-provision-links --param case=camp-david-1978
      negkg export --format graphml --select party=usa --select category=security
      negkg export --format turtle --case oslo-1993 --out - | head
    """
    from kg import api, sinks
    from kg.io import check_target, overwrite
    from kg.select import select as select_

    s = sinks.sink(fmt)
    crit = selection(case, select, hops, lang, params, across_cases)
    path = out or f"out/graph.{s.EXTENSION}"
    to_stdout = path == STDOUT
    if to_stdout:
        sinks.text_sink(fmt)  # a format of several files cannot go to standard output
    else:  # before any work: a refused --out fails fast
        check_target(path, kind="dir" if fmt == "csv" and not path.endswith(".zip") else "file", force=force)
    g = api.graph(data_dir=data_dir(ctx))
    if crit:
        g = select_(g, **crit)
    what = f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges"
    if to_stdout:
        document(sinks.dumps(g, fmt))
        status(ctx, f"wrote standard output ({what})")
        return
    with overwrite(force):
        sinks.write(g, fmt, path)
    status(ctx, f"wrote {path} ({what})")
