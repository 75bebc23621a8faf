"""``negkg serve``: the analyst workbench and a read-only SPARQL endpoint (kg.serve)."""

from __future__ import annotations

import os
from typing import Any

import click

from kg.cli._common import data_dir
from kg.cli._neo4j import neo4j_options, neo4j_settings


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Interface to listen on; anything but loopback needs an access token.")
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True, help="Port; 0 picks a free one.")
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=30.0, show_default=True,
              help="Seconds a query may run before it is stopped.")
@click.option("--max-rows", type=click.IntRange(1, 10_000_000), default=10_000, show_default=True,
              help="Rows (or triples) a result may have.")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True,
              help="Worker processes answering queries (each holds the graph).")
@click.option("--neo4j", "use_neo4j", is_flag=True, help="Cypher runs on Neo4j (NEO4J_* variables, --neo4j-uri ..., "
              "or the local server of `negkg neo4j start`) instead of the embedded engine.")
@click.option("--sparql-endpoint", metavar="URL", help="The SPARQL console and library queries use this SPARQL 1.1 "
              "query endpoint instead of the embedded store (credentials: $NEGKG_SPARQL_USER, $NEGKG_SPARQL_PASSWORD).")
@click.option("--cors", "cors", multiple=True, metavar="ORIGIN",
              help="An origin whose pages may read GET /sparql answers (e.g. https://yasgui.triply.cc); repeatable.")
@neo4j_options(short=False)
@click.pass_context
def cmd(ctx: click.Context, host: str, port: int, timeout: float, max_rows: int, workers: int, use_neo4j: bool,
        sparql_endpoint: str | None, cors: tuple[str, ...], **conn: Any) -> None:
    """Run the workbench (library forms, Cypher and SPARQL consoles, exports, reports, gallery) and /sparql.

    Listens on 127.0.0.1 and a free port unless told otherwise, and prints the URL. Everything is read-only.
    Off the loopback interface an access token is required: $NEGKG_SERVE_TOKEN, else one is generated and
    printed in the URL. See docs/serve.md.
    """
    import secrets

    from kg.cli._neo4j import given
    from kg.errors import UsageError
    from kg.serve import serve
    from kg.serve.config import Config, is_loopback

    if given(conn) and not use_neo4j:
        raise UsageError("--neo4j-uri/-user/-password/-database need --neo4j")
    neo4j = None
    if use_neo4j:
        s = neo4j_settings(conn)
        neo4j = {"uri": s.uri, "user": s.user, "password": s.password, "database": s.database}
    if sparql_endpoint:
        from kg.rdf.sparql import Endpoint

        Endpoint.of(sparql_endpoint)  # a bad URL fails now
    token = os.environ.get("NEGKG_SERVE_TOKEN") or (None if is_loopback(host) else secrets.token_urlsafe(24))
    config = Config(data_dir=data_dir(ctx), host=host, port=port, token=token, timeout=timeout, max_rows=max_rows,
                    workers=workers, neo4j=neo4j, sparql_endpoint=sparql_endpoint, cors=cors)

    def ready(url: str) -> None:
        click.echo(f"negkg serve: workbench at {url}  (SPARQL endpoint: {url.split('?')[0]}sparql; Ctrl-C stops)",
                   err=True)

    serve(config, ready=ready)
