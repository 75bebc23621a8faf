"""Answer library questions and ad-hoc Cypher: on the embedded engine by default, on Neo4j on request.

``kg.api.ENGINES["cypher"]`` points at :func:`run`. Every statement, from the library or typed by
an analyst, passes :func:`kg.cypher.readonly.check` and then the engine's own read-only gate before
it runs; parameters always travel as driver parameters, never inside the text.

A question's text is ``queries/cypher/NAME.cypher``; where a dialect forces a difference, the
embedded engine reads ``NAME.ladybug.cypher`` instead (see docs/cypher.md).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.cypher import readonly
from kg.errors import UsageError
from kg.queries import QuerySpec, query_file

if TYPE_CHECKING:
    import networkx as nx

    from kg.cypher.embedded import Embedded
    from kg.cypher.neo4jdb import Settings

__all__ = ["run", "query_text", "variant_path", "adhoc", "ENGINES"]

ENGINES = ("ladybug", "neo4j")


def variant_path(name: str, engine: str, root: Path | None = None) -> Path:
    """The file holding a question's text for an engine: its variant when there is one, else the common text."""
    common = query_file(name, "cypher", root)
    variant = common.with_name(f"{name}.{engine}.cypher")
    return variant if variant.exists() else common


#: LadybugDB's dialect for what the library texts write the Neo4j way: variable-length relationships with
#: Neo4j's semantics (a relationship is not repeated within a path: TRAIL; LadybugDB's default is to walk), and
#: ``split`` under its LadybugDB name
LADYBUG_DIALECT: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\*(\d*\.\.\d+)\]"), r"* TRAIL \1]"),
    (re.compile(r"\bsplit\("), "string_split("),
)


def ladybug_dialect(text: str) -> str:
    """A library text as LadybugDB must read it (see :data:`LADYBUG_DIALECT`).

    >>> ladybug_dialect("MATCH (a)-[:TRADED_FOR*0..30]-(b) RETURN split(a.id, '/')")
    "MATCH (a)-[:TRADED_FOR* TRAIL 0..30]-(b) RETURN string_split(a.id, '/')"
    """
    for pattern, repl in LADYBUG_DIALECT:
        text = pattern.sub(repl, text)
    return text


def query_text(name: str, engine: str, root: Path | None = None) -> str:
    """The Cypher text of a library question for ``engine`` (``ladybug`` or ``neo4j``): its variant file when
    there is one, else the common text (in :func:`ladybug_dialect` for LadybugDB)."""
    path = variant_path(name, engine, root)
    text = path.read_text(encoding="utf-8")
    return ladybug_dialect(text) if engine == "ladybug" and path.name == f"{name}.cypher" else text


def _engine(neo4j: Any) -> str:
    return "neo4j" if neo4j else "ladybug"


def adhoc(
    text: str,
    params: dict[str, Any] | None = None,
    *,
    graph: nx.MultiDiGraph | None = None,
    neo4j: Settings | bool | None = None,
    database: Embedded | None = None,
    max_rows: int | None = None,
    timeout: float | None = None,
) -> tuple[list[str], list[dict[str, Any]]]:
    """Run one read-only Cypher statement; return its columns and rows (refuses any write before running).

    It runs on Neo4j when ``neo4j`` is given, else on ``database`` (an embedded database, such as the on-disk
    cache's), else on the graph's embedded database. Values have one shape on every engine: a node
    ``{id, labels, properties}``, a relationship ``{type, start, end, properties}``, a path the alternating
    list of both; a property a node or relationship lacks is null. ``max_rows`` caps the rows read;
    ``timeout`` (seconds) bounds a Neo4j transaction on the server (on the embedded engine, stop the
    process: see :mod:`kg.serve.pool`).
    """
    from kg.text import check_text

    engine = _engine(neo4j)
    check_text(text, "the Cypher statement")
    for k, v in (params or {}).items():
        if isinstance(v, str):
            check_text(v, f"the parameter {k!r}")
    readonly.check(text, engine)
    if neo4j:
        from kg.cypher import neo4jdb

        return neo4jdb.read(neo4jdb.settings(neo4j), text, params or {}, max_rows=max_rows, timeout=timeout)
    if database is not None:
        return database.query(text, params or {}, max_rows=max_rows)
    from kg.cypher import embedded

    if graph is None:
        from kg import api

        graph = api.graph()
    return embedded.database(graph).query(text, params or {}, max_rows=max_rows)


def run(
    q: QuerySpec,
    params: dict[str, Any],
    *,
    graph: nx.MultiDiGraph | None = None,
    neo4j: Settings | bool | None = None,
    database: Embedded | None = None,
    **options: Any,
) -> list[dict[str, Any]]:
    """Answer a library question with Cypher (embedded LadybugDB, or Neo4j when ``neo4j`` is given).

    ``neo4j`` is a :class:`kg.cypher.neo4jdb.Settings`, a mapping of its fields, or True (from NEO4J_* variables).
    """
    if neo4j and params.get("case") is not None:
        from kg.cypher import neo4jdb

        known = neo4jdb.known_cases(neo4jdb.settings(neo4j))
        if params["case"] not in known:
            raise UsageError(f"unknown case {params['case']!r} (known in Neo4j: {', '.join(known) or 'none'})")
    text = query_text(q.name, _engine(neo4j))
    _, rows = adhoc(text, params, graph=graph, neo4j=neo4j, database=None if neo4j else database)
    return rows
