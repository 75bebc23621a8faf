"""``negkg cypher`` (read-only ad-hoc Cypher) and ``negkg load-neo4j`` (batched, idempotent load)."""

from __future__ import annotations

import json
from typing import Any

import click

from kg.cli._common import data_dir, echo, parse_params, read_query_file
from kg.cli._neo4j import given, neo4j_options, neo4j_settings


@click.command("cypher")
@click.argument("query", required=False)
@click.option("--file", "file", type=click.Path(dir_okay=False, exists=True), help="Read the statement from a file.")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="A query parameter ($KEY); repeatable.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--neo4j", "use_neo4j", is_flag=True, help="Run on Neo4j instead of the embedded engine (LadybugDB).")
@neo4j_options()
@click.pass_context
def cmd(ctx: click.Context, query: str | None, file: str | None, params: tuple[str, ...], fmt: str, use_neo4j: bool,
        **conn: Any) -> None:
    """Run one read-only Cypher statement; any statement that writes is refused before it runs.

    Values go in as parameters: `negkg cypher 'MATCH (p:Party {id: $id}) RETURN p.name' --param id=egypt`.
    The mapping (labels, relationship types, properties) is in docs/cypher.md.
    """
    from kg import api, output
    from kg.cypher import engine
    from kg.errors import UsageError

    if (query is None) == (file is None):
        raise UsageError("give a statement or --file (one of them)")
    if given(conn) and not use_neo4j:
        raise UsageError("the connection options (--uri, --user, ...) need --neo4j")
    text = read_query_file(file, "statement") if file else (query or "")
    settings = neo4j_settings(conn) if use_neo4j else None
    graph = None if use_neo4j else api.graph(data_dir=data_dir(ctx))
    cols, rows = engine.adhoc(text, parse_params(params), graph=graph, neo4j=settings)
    if fmt == "json":
        echo(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    res = api.Result("cypher", tuple(cols), [{c: output.json_cell(r.get(c)) for c in cols} for r in rows], lang="cypher")
    echo(output.render(res, fmt) if fmt != "table" else output.table(cols, res.rows, title=f"{len(rows)} rows"))


@click.command("load-neo4j")
@click.option("--case", help="Replace only this negotiation's subgraph (one transaction); nothing else changes.")
@click.option("--batch-size", type=click.IntRange(1, 1_000_000), default=5000, show_default=True,
              help="Rows per UNWIND statement.")
@click.option("--progress/--no-progress", default=None, help="Show a progress bar [default: when stderr is a terminal].")
@neo4j_options()
@click.pass_context
def load_cmd(ctx: click.Context, case: str | None, batch_size: int, progress: bool | None, **conn: Any) -> None:
    """Load the graph into Neo4j: batched UNWIND ... MERGE in managed transactions, idempotent.

    A full load replaces every negotiation and removes nodes the corpus no longer has; --case replaces one
    negotiation's subgraph only (shared parties and sources are merged, never deleted). Uniqueness
    constraints and indexes are created first (IF NOT EXISTS).
    """
    import sys

    from kg import api
    from kg.cypher import neo4jdb

    settings = neo4j_settings(conn)
    g = api.graph(data_dir=data_dir(ctx))
    show = sys.stderr.isatty() if progress is None else progress
    stats = neo4jdb.load(g, settings, case=case, batch_size=batch_size, progress=show)
    now = neo4jdb.counts(settings)
    what = f"case {case}" if case else f"{len(stats.cases)} negotiations"
    echo(
        f"loaded {what}: {stats.nodes} nodes and {stats.relationships} relationships into {neo4jdb.redact(settings.uri)}"
        f"{' (database ' + settings.database + ')' if settings.database else ''} in {stats.seconds:.2f} s "
        f"({stats.rate:,.0f} nodes+relationships/s); the database holds {now['nodes']} nodes and "
        f"{now['relationships']} relationships of the model"
    )
