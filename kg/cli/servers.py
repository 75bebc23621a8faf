"""``negkg neo4j start|stop|status`` and ``negkg fuseki start|stop|status``: the user's local servers (kg.servers).

Standard output gets the connection as shell lines (``eval "$(negkg neo4j start)"``); status goes to standard error.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from kg.cli._common import data_dir

_PORT = click.option("--port", type=click.IntRange(1, 65535), help="Port on 127.0.0.1 [default: the last one, else a free one].")


def _started(name: str, port: int | None) -> Any:
    from kg import servers

    conn, new = servers.start(name, port)
    where = servers.data_home() / name
    click.echo(f"{name}: {'started' if new else 'already running'} at {conn.url} (data: {where}; "
               f"password in {where / 'password'}, mode 0600)", err=True)
    return conn


def _print(conn: Any) -> None:
    from kg import servers

    sys.stdout.write("\n".join(servers.shell_lines(conn)) + "\n")


def _stop(name: str) -> None:
    from kg import servers

    stopped = servers.stop(name)
    click.echo(f"{name}: {'stopped' if stopped else 'not running'}", err=True)


def _status(name: str) -> None:
    from kg import servers

    conn = servers.status(name)
    if conn is None:
        click.echo(f"{name}: not running (start it with `negkg {name} start`)", err=True)
        sys.exit(3)
    click.echo(f"{name}: running at {conn.url} (data: {servers.data_home() / name})", err=True)
    _print(conn)


@click.group("neo4j")
def neo4j() -> None:
    """A local Neo4j Community 5.26 (from Maven Central; needs Java 17 and Maven), data in the user's data directory.

    \b
      negkg neo4j start --load                       # start, load the corpus, print NEO4J_* lines
      negkg query shared-interests --lang cypher --neo4j
      eval "$(negkg neo4j status)"                   # NEO4J_* variables for other tools
      negkg neo4j stop
    """


@neo4j.command("start")
@_PORT
@click.option("--load", is_flag=True, help="Load the corpus (negkg load-neo4j) once the server runs.")
@click.pass_context
def neo4j_start(ctx: click.Context, port: int | None, load: bool) -> None:
    """Start the local Neo4j (or find it running) on 127.0.0.1; print its connection as NEO4J_* variables."""
    conn = _started("neo4j", port)
    if load:
        from kg import api
        from kg.cypher import neo4jdb

        s = neo4jdb.Settings(conn.url, conn.user, conn.password)
        stats = neo4jdb.load(api.graph(data_dir=data_dir(ctx)), s)
        neo4jdb.close_all()
        click.echo(f"neo4j: loaded {len(stats.cases)} negotiations ({stats.nodes} nodes, {stats.relationships} "
                   f"relationships) in {stats.seconds:.1f} s", err=True)
    _print(conn)


@neo4j.command("stop")
def neo4j_stop() -> None:
    """Stop the local Neo4j (an orderly shutdown; its data stays for the next start)."""
    _stop("neo4j")


@neo4j.command("status")
def neo4j_status() -> None:
    """Say whether the local Neo4j runs (exit 3 if not); print its connection as NEO4J_* variables."""
    _status("neo4j")


@click.group("fuseki")
def fuseki() -> None:
    """A local Apache Jena Fuseki 5.6.0 (from Maven Central; needs Java 17 and Maven): dataset /ds in TDB2.

    \b
      negkg fuseki start --push                      # start, upload the corpus, print credentials
      negkg sparql --endpoint http://127.0.0.1:PORT/ds/query 'SELECT ...'
      negkg fuseki stop
    """


@fuseki.command("start")
@_PORT
@click.option("--push", is_flag=True, help="Upload the corpus (negkg push) once the server runs.")
@click.pass_context
def fuseki_start(ctx: click.Context, port: int | None, push: bool) -> None:
    """Start the local Fuseki (or find it running) on 127.0.0.1; print its credentials and endpoints."""
    conn = _started("fuseki", port)
    if push:
        from kg import api
        from kg.rdf import sparql

        res = sparql.push(api.graph(data_dir=data_dir(ctx)), conn.gsp_url, user=conn.user, password=conn.password)
        click.echo(f"fuseki: pushed {res['triples']} triples to {res['endpoint']}", err=True)
    _print(conn)


@fuseki.command("stop")
def fuseki_stop() -> None:
    """Stop the local Fuseki (its TDB2 data stays for the next start)."""
    _stop("fuseki")


@fuseki.command("status")
def fuseki_status() -> None:
    """Say whether the local Fuseki runs (exit 3 if not); print its credentials and endpoints."""
    _status("fuseki")
