"""``negkg sparql`` (ad-hoc, read-only SPARQL) and ``negkg push`` (upload to a SPARQL 1.1 server)."""

from __future__ import annotations

import json

import click

from kg.cli._common import data_dir, echo, read_query_file

_USER = click.option("--user", envvar="NEGKG_SPARQL_USER", help="HTTP Basic user [env: NEGKG_SPARQL_USER].")
_PASSWORD = click.option("--password", envvar="NEGKG_SPARQL_PASSWORD",
                         help="HTTP Basic password [env: NEGKG_SPARQL_PASSWORD]; prefer the variable.")


@click.command("sparql")
@click.argument("query", required=False)
@click.option("--file", "file", type=click.Path(dir_okay=False, exists=True), help="Read the query from a .rq file.")
@click.option("--allow-service", is_flag=True, help="Permit SERVICE clauses, which make the engine fetch from other "
              "hosts (refused by default).")
@click.option("--service-timeout", type=click.FloatRange(min=0.1, max=3600), default=10.0, show_default=True,
              metavar="SECONDS", help="With --allow-service: how long the query may take.")
@click.option("--endpoint", metavar="URL", help="A SPARQL 1.1 query endpoint (default: the embedded store).")
@click.option("--default-graph", metavar="IRI", help="With --endpoint: the graph to query as default graph.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json", "sparql-json"]), default="table",
              show_default=True, help="Output of SELECT/ASK (CONSTRUCT/DESCRIBE always print N-Triples).")
@_USER
@_PASSWORD
@click.pass_context
def cmd(ctx: click.Context, query: str | None, file: str | None, allow_service: bool, service_timeout: float,
        endpoint: str | None, default_graph: str | None, fmt: str, user: str | None, password: str | None) -> None:
    """Run a read-only SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE); SPARQL Update is refused.

    The project's prefixes (nkg:, rdf:, rdfs:, owl:, xsd:, skos:, prov:, dct:/dcterms:, schema:, sh:, wd:) are
    predeclared; a query may still declare its own (see docs/rdf.md).
    """
    from kg import api, output
    from kg.errors import UsageError
    from kg.rdf import sparql

    if (query is None) == (file is None):
        raise UsageError("give a query or --file (one of them)")
    text = read_query_file(file, "query") if file else (query or "")
    form = sparql.check_read_only(text, allow_service=allow_service)  # before anything runs or loads
    ep = sparql.Endpoint.of(endpoint, user, password) if endpoint else None
    g = None if ep else api.graph(data_dir=data_dir(ctx))
    kind, raw = sparql.execute(text, graph=g, endpoint=ep, kind="graph" if form in ("construct", "describe") else "select",
                               default_graph=default_graph, prefixes=True, allow_service=allow_service,
                               service_timeout=service_timeout)
    if kind == "graph" or fmt == "sparql-json":
        if raw:
            echo(raw.decode("utf-8", "replace"))
        return
    doc = sparql.results_json(raw, "SPARQL endpoint" if ep else "embedded store")
    if "boolean" in doc:
        echo(json.dumps(doc["boolean"]) if fmt == "json" else str(doc["boolean"]).lower())
        return
    cols = tuple(doc["head"].get("vars", []))
    rows = sparql.rows_from_json(doc)
    res = api.Result("sparql", cols, rows, lang="sparql")
    echo(output.render(res, fmt) if fmt != "table" else output.table(cols, rows, title=f"{len(rows)} rows"))


@click.command("push")
@click.option("--sparql-endpoint", "url", required=True, metavar="URL",
              help="Graph Store endpoint (--protocol gsp, e.g. http://localhost:3030/ds/data) or update endpoint "
                   "(--protocol update, e.g. http://localhost:3030/ds/update).")
@click.option("--graph", "graph_iri", metavar="IRI", help="Target named graph (default: the default graph).")
@click.option("--protocol", type=click.Choice(["gsp", "update"]), default="gsp", show_default=True,
              help="SPARQL 1.1 Graph Store Protocol (HTTP PUT) or SPARQL 1.1 Update (CLEAR + INSERT DATA).")
@_USER
@_PASSWORD
@click.pass_context
def push_cmd(ctx: click.Context, url: str, graph_iri: str | None, protocol: str, user: str | None,
             password: str | None) -> None:
    """Upload the RDF form of the graph, replacing the target graph's content (idempotent)."""
    from kg import api
    from kg.rdf import sparql

    g = api.graph(data_dir=data_dir(ctx))
    res = sparql.push(g, url, graph_iri=graph_iri, protocol=protocol, user=user, password=password)
    echo(f"pushed {res['triples']} triples to {res['endpoint']} (graph: {res['graph']}, {res['protocol']})")
