"""``negkg build``."""

from __future__ import annotations

import json

import click

from kg.cli._common import STDOUT, data_dir, echo, status, write_options


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
@write_options
@click.pass_context
def cmd(ctx: click.Context, out_dir: str, fmt: str, force: bool, quiet: bool) -> None:
    """Validate and build the graph; print a summary and the headline; write the graph files."""
    from kg import api, output
    from kg.errors import UsageError

    if out_dir == STDOUT:
        raise UsageError("build writes two files, so --out - cannot be used; "
                         "`negkg export --format graphml --out -` prints the graph")
    res = api.build(out_dir, data_dir(ctx), force=force)
    s = res.summary
    if fmt == "json":
        echo(
            json.dumps(
                {"summary": s, "files": [str(f) for f in res.files], "headline": res.headline.rows}, ensure_ascii=False, indent=2
            )
        )
        return
    rows = [{"type": k, "count": v} for k, v in s["nodes"].items()]
    echo(output.table(["type", "count"], rows, title=f"{s['total_nodes']} nodes, {s['total_edges']} edges", lines=False))
    # case-local ids read better without their case prefix, which the negotiation column already shows
    local = [{**r, "provision": r["provision"].split("/", 1)[-1], "interest": r["interest"].split("/", 1)[-1]}
             for r in res.headline.rows]
    cols = ["negotiation", "provision", "locator", "mechanisms", "interest", "category", "parties"]
    title = f"Headline: interests served by value-creating provisions ({len(local)} links)"
    echo(output.table(cols, local, title=title, lines=False))
    for f in res.files:
        status(ctx, f"wrote {f}")
