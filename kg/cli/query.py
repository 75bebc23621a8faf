"""``negkg query`` and ``negkg queries``."""

from __future__ import annotations

import click

from kg.cli._common import data_dir, echo, parse_params
from kg.cli._neo4j import given, neo4j_options, neo4j_settings


@click.command("query")
@click.argument("name")
@click.option("--case", help="Negotiation id (e.g. camp-david-1978).")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="A query parameter; repeatable.")
@click.option(
    "--lang",
    type=click.Choice(["native", "cypher", "sparql"]),
    default="native",
    show_default=True,
    help="Engine: networkx-native, Cypher (embedded) or SPARQL (embedded).",
)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "sparql-json"]), default="table",
              show_default=True, help="sparql-json: SPARQL 1.1 Query Results JSON.")
@click.option("--endpoint", metavar="URL", help="With --lang sparql: a SPARQL 1.1 query endpoint instead of the "
              "embedded store (credentials: $NEGKG_SPARQL_USER, $NEGKG_SPARQL_PASSWORD).")
@click.option("--neo4j", "use_neo4j", is_flag=True, help="With --lang cypher: run on Neo4j (NEO4J_* variables or "
              "--neo4j-uri/-user/-password/-database) instead of the embedded engine.")
@neo4j_options(short=False)
@click.pass_context
def cmd(ctx: click.Context, name: str, case: str | None, params: tuple[str, ...], lang: str, fmt: str,
        endpoint: str | None = None, use_neo4j: bool = False, **conn: str | None) -> None:
    """Run the library question NAME (see `negkg queries`); --format json prints an array of row objects."""
    from kg import api, output

    if endpoint and lang != "sparql":
        raise click.UsageError("--endpoint needs --lang sparql")
    if (use_neo4j and lang != "cypher") or (given(conn) and not use_neo4j):
        raise click.UsageError("--neo4j needs --lang cypher; --neo4j-uri/-user/-password/-database need --neo4j")
    res = api.query(name, case=case, lang=lang, params=parse_params(params), data_dir=data_dir(ctx),
                    **({"endpoint": endpoint} if endpoint else {}), **({"neo4j": neo4j_settings(conn)} if use_neo4j else {}))
    if fmt == "sparql-json":
        from kg.rdf.sparql import sparql_json

        echo(sparql_json(res.columns, res.rows))
        return
    echo(output.render(res, fmt))


@click.command("queries")
def list_cmd() -> None:
    """List the query library."""
    from kg import output
    from kg.queries import LIBRARY

    rows = [q.header() for q in LIBRARY.values()]
    echo(output.table(["name", "description", "parameters", "columns"], rows, title="Query library"))
