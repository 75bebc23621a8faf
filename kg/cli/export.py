"""``negkg export``: write the graph, or one case's subgraph, in any sink format."""

from __future__ import annotations

import click

from kg.cli._common import data_dir


@click.command("export")
@click.option("--format", "fmt", required=True, metavar="FORMAT",
              help="Output format; see kg.sinks.SINKS (graphml, nodelink, turtle, ...).")
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Output file. Default: out/graph.EXT.")
@click.option("--case", help="Only this negotiation's subgraph.")
@click.pass_context
def cmd(ctx: click.Context, fmt: str, out: str | None, case: str | None) -> None:
    """Export the graph (or --case subgraph) in FORMAT, written atomically."""
    from kg import api, sinks
    from kg.graph import subgraph_for_case

    s = sinks.sink(fmt)
    g = api.graph(data_dir=data_dir(ctx))
    api.check_case(g, case)
    if case:
        g = subgraph_for_case(g, case)
    path = out or f"out/graph.{s.EXTENSION}"
    s.write(g, path)
    click.echo(f"wrote {path} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)")
