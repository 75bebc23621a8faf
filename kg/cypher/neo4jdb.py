"""Neo4j through the official driver: connection settings, read-only queries, and the batched loader.

Settings come from NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD and NEO4J_DATABASE; explicit values
override them. Any scheme the driver knows works (``bolt://``, ``neo4j://`` for routing to clusters
and Aura, and their ``+s`` / ``+ssc`` TLS forms): the URI goes to the driver untouched, except that
credentials written into it (``neo4j://user:pass@host``) are taken out and used as the login.
Passwords are never printed, and URIs in messages are shown without credentials.

Loading (:func:`load`) MERGEs the graph in batches of ``UNWIND $rows ...`` inside managed write
transactions (``execute_write``: retried on transient errors), then removes the nodes of the model's
labels and the relationships of its types that the graph no longer has; into a database without any
node of the model it CREATEs instead. ``case=`` replaces one negotiation in one transaction: its nodes
and relationships are written in place (MERGE, then SET) and only what the graph no longer has is
deleted; shared parties, sources and vocabulary concepts are merged, never deleted. A reader sees the
case before or after, never half of it, and never without its nodes and relationships (they are not
deleted and created again). Loading twice changes no counts.

>>> Settings("bolt://localhost:7687", "neo4j", "secret")
Settings(uri='bolt://localhost:7687', user='neo4j', password='***', database=None)
"""

from __future__ import annotations

import atexit
import contextlib
import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kg import model
from kg.cypher import mapping
from kg.errors import RuntimeFailure, UsageError
from kg.redact import redact, scrub, split_userinfo
from kg.text import check_text

if TYPE_CHECKING:
    import neo4j
    import networkx as nx

__all__ = ["Settings", "settings", "redact", "driver", "read", "load", "counts", "LoadStats", "DEFAULT_BATCH_SIZE"]

DEFAULT_URI = "bolt://localhost:7687"
CONNECT_TIMEOUT = 15.0  #: seconds to connect and to get a connection (also from a server that never answers)
DEFAULT_BATCH_SIZE = 5000  #: rows per UNWIND statement (5,000 loads ~1.8x faster than 1,000: docs/performance.md)


@dataclass(frozen=True)
class Settings:
    """Where and as whom to connect. ``database=None`` is the server's default database."""

    uri: str = DEFAULT_URI
    user: str = "neo4j"
    password: str | None = field(default=None, repr=False)
    database: str | None = None

    def __repr__(self) -> str:
        pw = "***" if self.password else None
        return f"Settings(uri={redact(self.uri)!r}, user={self.user!r}, password={pw!r}, database={self.database!r})"

    @classmethod
    def from_env(
        cls,
        uri: str | None = None,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Settings:
        """Explicit values, else NEO4J_URI / NEO4J_USERNAME / NEO4J_PASSWORD / NEO4J_DATABASE, else the local
        server of ``negkg neo4j start`` when it runs (and neither a URI nor a password was given), else defaults.

        >>> Settings.from_env(env={"NEO4J_URI": "neo4j://u:p%40ss@h:7687"}).password
        'p@ss'
        """
        if env is None and uri is None and password is None and not (os.environ.get("NEO4J_URI")
                                                                       or os.environ.get("NEO4J_PASSWORD")):
            from kg.servers import local_connection

            local = local_connection("neo4j")
            if local is not None:
                uri, user, password = local.url, user or local.user, local.password
        env = os.environ if env is None else env
        uri = uri or env.get("NEO4J_URI") or DEFAULT_URI
        user = user or env.get("NEO4J_USERNAME") or env.get("NEO4J_USER")
        password = password if password is not None else env.get("NEO4J_PASSWORD")
        database = database or env.get("NEO4J_DATABASE") or None
        # credentials inside the URI: taken out before it is parsed, used unless given otherwise, never sent on
        try:
            uri, u, p = split_userinfo(uri)
        except ValueError as e:
            raise UsageError(f"invalid Neo4j URI: {e}") from None
        for value, what in ((uri, "the Neo4j URI"), (user, "the Neo4j user"), (u, "the Neo4j user"),
                            (password, "the Neo4j password"), (p, "the Neo4j password"), (database, "the database")):
            if value is not None:
                check_text(value, what)
        user = user or u
        password = password if password is not None else p
        return cls(uri, user or "neo4j", password, database)


def settings(value: Settings | Mapping[str, Any] | bool | None) -> Settings:
    """A :class:`Settings` from what ``neo4j=`` was given: settings, a mapping of fields, or True (environment)."""
    if isinstance(value, Settings):
        return value
    if isinstance(value, Mapping):
        return Settings.from_env(**value)
    return Settings.from_env()


def _first_line(e: BaseException) -> str:
    msg = getattr(e, "message", None) or str(e) or type(e).__name__
    text = " ".join(str(msg).split())  # some driver messages put the cause on a second line
    return scrub(text if len(text) <= 300 else text[:299] + "…")


_DRIVERS: dict[Settings, neo4j.Driver] = {}


def driver(s: Settings) -> neo4j.Driver:
    """A connected driver for ``s`` (connectivity and credentials checked once, then reused); failures as one line."""
    if s in _DRIVERS:
        return _DRIVERS[s]
    import logging

    import neo4j
    from neo4j import exceptions as ne

    logging.getLogger("neo4j").addHandler(logging.NullHandler())  # failures are reported once, as one line

    where = redact(s.uri)
    scheme = s.uri.partition("://")[0].lower()
    if scheme not in ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc"):  # the driver's http:// is a preview
        raise UsageError(f"invalid Neo4j URI {where!r}: use bolt:// or neo4j:// (or their +s / +ssc forms)")
    try:
        d = neo4j.GraphDatabase.driver(s.uri, auth=(s.user, s.password or ""), connection_timeout=CONNECT_TIMEOUT,
                                       connection_acquisition_timeout=CONNECT_TIMEOUT)
    except (ne.ConfigurationError, ValueError) as e:
        raise UsageError(f"invalid Neo4j URI {where!r}: {_first_line(e)}") from None
    try:
        d.verify_connectivity()
    except ne.AuthError:
        d.close()
        raise RuntimeFailure(f"Neo4j at {where} refused the credentials of user {s.user!r}") from None
    except (ne.ServiceUnavailable, ne.SessionExpired, OSError) as e:
        d.close()
        if "handshake" in str(e).lower():
            raise RuntimeFailure(f"{where} is not a Neo4j server (it did not answer the Bolt handshake)") from None
        raise RuntimeFailure(f"Neo4j at {where} is unreachable: {_first_line(e)}") from None
    except ValueError as e:  # an address the driver cannot resolve, e.g. a port that is not a number
        d.close()
        raise UsageError(f"invalid Neo4j URI {where!r}: {_first_line(e)}") from None
    except ne.Neo4jError as e:  # e.g. the database does not exist
        d.close()
        raise RuntimeFailure(f"Neo4j at {where}: {_first_line(e)}") from None
    except ne.UnsupportedServerProduct:
        d.close()
        raise RuntimeFailure(f"{where} is not a Neo4j server (no Bolt protocol this driver speaks)") from None
    except ne.DriverError as e:
        d.close()
        raise RuntimeFailure(f"Neo4j at {where}: {_first_line(e)}") from None
    if not _DRIVERS:
        atexit.register(close_all)
    _DRIVERS[s] = d
    return d


def close_all() -> None:
    """Close every cached driver."""
    while _DRIVERS:
        _DRIVERS.popitem()[1].close()


def _plain(v: Any, ends: Mapping[str, Any] | None = None) -> Any:
    """Driver values as plain Python, in the shape the embedded engine gives too: a node
    ``{id, labels, properties}``, a relationship ``{type, start, end, properties}`` (``start``/``end``: the
    ``id`` of its nodes, looked up in ``ends`` by element id), a path the alternating list of nodes and
    relationships; temporal values as ISO text."""
    from neo4j import graph as ng

    ends = ends or {}
    if isinstance(v, ng.Node):
        props = {k: _plain(x) for k, x in v.items()}
        return {"id": props.get("id", v.element_id), "labels": sorted(v.labels), "properties": props}
    if isinstance(v, ng.Relationship):
        start, end = v.start_node, v.end_node
        return {"type": v.type, "start": ends.get(start.element_id) if start is not None else None,
                "end": ends.get(end.element_id) if end is not None else None,
                "properties": {k: _plain(x) for k, x in v.items()}}
    if isinstance(v, ng.Path):
        out = [_plain(v.start_node, ends)]
        for r, n in zip(v.relationships, v.nodes[1:], strict=True):
            out += [_plain(r, ends), _plain(n, ends)]
        return out
    if isinstance(v, list):
        return [_plain(x, ends) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x, ends) for k, x in v.items()}
    if hasattr(v, "iso_format"):
        return v.iso_format()
    return v


def _endpoints(values: Any) -> set[str]:
    """Element ids of the nodes at either end of every relationship in ``values`` (nested anywhere)."""
    from neo4j import graph as ng

    out: set[str] = set()
    stack = [values]
    while stack:
        v = stack.pop()
        if isinstance(v, ng.Relationship):
            out.update(n.element_id for n in (v.start_node, v.end_node) if n is not None)
        elif isinstance(v, ng.Path):
            stack.extend(v.relationships)
        elif isinstance(v, list | tuple):
            stack.extend(v)
        elif isinstance(v, dict):
            stack.extend(v.values())
    return out


def _errors(where: str) -> contextlib.AbstractContextManager[None]:
    from neo4j import exceptions as ne

    @contextlib.contextmanager
    def guard() -> Iterator[None]:
        try:
            yield
        except ne.ClientError as e:
            raise UsageError(f"Cypher (Neo4j): {_first_line(e)}") from None
        except (ne.ServiceUnavailable, ne.SessionExpired, OSError) as e:
            raise RuntimeFailure(f"Neo4j at {where} is unreachable: {_first_line(e)}") from None
        except (ne.Neo4jError, ne.DriverError) as e:
            raise RuntimeFailure(f"Neo4j at {where}: {_first_line(e)}") from None

    return guard()


def read(s: Settings, text: str, params: Mapping[str, Any], *, max_rows: int | None = None,
         timeout: float | None = None) -> tuple[list[str], list[dict[str, Any]]]:
    """Run one statement after Neo4j's planner says it only reads (EXPLAIN, query type ``r``).

    At most ``max_rows`` rows are read; ``timeout`` (seconds) makes the server stop the transaction.
    """
    import neo4j

    d = driver(s)
    with _errors(redact(s.uri)), d.session(database=s.database, default_access_mode=neo4j.READ_ACCESS) as session:
        summary = session.run("EXPLAIN " + text, dict(params)).consume()
        if summary.query_type != "r":
            raise UsageError(
                f"refused: Neo4j plans this statement as query type {summary.query_type!r}; only read-only ('r') runs here"
            )

        @neo4j.unit_of_work(timeout=timeout)
        def work(tx: neo4j.ManagedTransaction) -> tuple[list[str], list[dict[str, Any]]]:
            res = tx.run(text, dict(params))
            keys = list(res.keys())
            records = []
            for rec in res:
                if max_rows is not None and len(records) >= max_rows:
                    break
                records.append(rec.values())
            ids = _endpoints(records)
            ends: dict[str, Any] = {}
            if ids:
                found = tx.run("MATCH (n) WHERE elementId(n) IN $ids RETURN elementId(n) AS e, n.id AS id", ids=list(ids))
                ends = {r["e"]: r["id"] for r in found}
            return keys, [{k: _plain(v, ends) for k, v in zip(keys, vals, strict=True)} for vals in records]

        return session.execute_read(work)


def known_cases(s: Settings) -> list[str]:
    """Ids of the negotiations in the database."""
    _, rows = read(s, "MATCH (n:Negotiation) RETURN n.id AS id ORDER BY id", {})
    return [r["id"] for r in rows]


def counts(s: Settings) -> dict[str, int]:
    """Nodes with the model's labels and relationships of its types in the database, by label/type and in total."""
    labels, types = list(mapping.LABELS), list(mapping.REL_TYPES)
    _, nodes = read(s, "MATCH (n) UNWIND labels(n) AS l WITH l WHERE l IN $labels RETURN l, count(*) AS c", {"labels": labels})
    _, rels = read(s, "MATCH ()-[r]->() WITH type(r) AS t WHERE t IN $types RETURN t, count(*) AS c", {"types": types})
    out = {r["l"]: r["c"] for r in nodes} | {r["t"]: r["c"] for r in rels}
    out["nodes"] = sum(r["c"] for r in nodes)
    out["relationships"] = sum(r["c"] for r in rels)
    return dict(sorted(out.items()))


# ---------------------------------------------------------------- loading


@dataclass
class LoadStats:
    """What a load wrote (distinct nodes and relationships of the graph), and how fast."""

    nodes: int = 0
    relationships: int = 0
    seconds: float = 0.0
    cases: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        """Nodes plus relationships written per second."""
        return (self.nodes + self.relationships) / self.seconds if self.seconds else 0.0


def _node_stmt(label: str, create: bool = False) -> str:
    verb = "CREATE (n:{0}) SET n = row" if create else "MERGE (n:{0} {{id: row.id}}) SET n = row"
    return "UNWIND $rows AS row " + verb.format(mapping.check_label(label))


def _rel_stmt(rel: str, a: str, b: str, create: bool = False) -> str:
    mapping.check_rel_type(rel)
    return (
        f"UNWIND $rows AS row MATCH (a:{mapping.check_label(a)} {{id: row.u}}) MATCH (b:{mapping.check_label(b)} {{id: row.v}}) "
        f"{'CREATE' if create else 'MERGE'} (a)-[r:{rel}]->(b) SET r = row.props"
    )


#: a group of writes: statement -> rows (nodes first, then relationships, in the mapping's order)
Writes = dict[str, list[dict[str, Any]]]
_SHARED, _CROSS = "", "\0cross"  # groups of the shared nodes and their relationships; of relationships between cases


def _case_of(d: dict[str, Any]) -> str:
    return d["id"] if d["type"] == "Negotiation" else d.get("negotiation") or _SHARED


def _groups(g: nx.MultiDiGraph, create: bool = False, nodes: Any = None, edges: Any = None) -> dict[str, Writes]:
    """Every write of the graph (or of these nodes and edges), in one pass, grouped by negotiation.

    Group ``""`` holds the shared nodes (parties, sources, concepts) and the relationships among them; a
    negotiation's group holds its own nodes and every relationship at them, except relationships to another
    negotiation's own nodes, which are in a group of their own (written last, when both ends exist).
    """
    out: dict[str, Writes] = {}
    case_of: dict[tuple[str, str], str] = {}
    for label, rows in mapping.node_rows(g, nodes).items():
        stmt = _node_stmt(label, create)
        for r in rows:
            c = case_of[label, r["id"]] = r["id"] if label == "Negotiation" else r.get("negotiation") or _SHARED
            out.setdefault(c, {}).setdefault(stmt, []).append({k: v for k, v in r.items() if v is not None})
    for (rel, a, b), rows in mapping.rel_groups(g, edges).items():
        stmt = _rel_stmt(rel, a, b, create)
        for r in rows:
            cu, cv = case_of.get((a, r["u"]), _SHARED), case_of.get((b, r["v"]), _SHARED)
            group = cu if not cv or cu == cv else cv if not cu else _CROSS
            row = {"u": r["u"], "v": r["v"], "props": {k: v for k, v in r["props"].items() if v is not None}}
            out.setdefault(group, {}).setdefault(stmt, []).append(row)
    return out


def _run_writes(tx: neo4j.ManagedTransaction, writes: Writes, size: int) -> None:
    for stmt, rows in writes.items():
        for batch in mapping.batches(rows, size):
            tx.run(stmt, rows=batch).consume()


def _case_chunks(groups: dict[str, Writes], size: int) -> Iterator[tuple[list[str], Writes, int]]:
    """Whole negotiations, grouped until one of their statements has ``size`` rows: (negotiations, writes, rows).

    So each ``UNWIND`` statement of a transaction carries up to ``size`` rows (a negotiation adds a few to
    each of some twenty statements), and ``size`` 1 gives a transaction per negotiation.
    """
    cases: list[str] = []
    merged: Writes = {}
    n = 0
    for case in sorted(c for c in groups if c not in (_SHARED, _CROSS)):
        full = False
        for stmt, rows in groups[case].items():
            into = merged.setdefault(stmt, [])
            into.extend(rows)
            n += len(rows)
            full = full or len(into) >= size
        cases.append(case)
        if full:
            yield cases, _ordered(merged), n
            cases, merged, n = [], {}, 0
    if cases:
        yield cases, _ordered(merged), n


def _ordered(writes: Writes) -> Writes:
    """Node statements before relationship statements (a relationship needs both its nodes)."""
    return dict(sorted(writes.items(), key=lambda kv: " MERGE (a)-" in kv[0] or " CREATE (a)-" in kv[0]))


def _delete_case_leftovers(tx: neo4j.ManagedTransaction, g: nx.MultiDiGraph, case: str, own: list[str],
                           edges: list[tuple[str, str, str]]) -> None:
    """After a negotiation was written in place: remove its nodes and relationships the graph no longer has."""
    ids: dict[str, list[str]] = {t: [] for t, nt in model.NODE_TYPES.items() if "negotiation" in nt.properties}
    for n in own:
        d = g.nodes[n]
        if d["type"] in ids:
            ids[d["type"]].append(d["id"])
    for t, keep in ids.items():
        tx.run(f"MATCH (n:{mapping.check_label(t)} {{negotiation: $case}}) WHERE NOT n.id IN $keep DETACH DELETE n",
               case=case, keep=keep).consume()
    keep_rels = [[k, g.nodes[u]["type"], g.nodes[u]["id"], g.nodes[v]["type"], g.nodes[v]["id"]] for u, v, k in edges]
    match = [f"MATCH (n:{mapping.check_label(t)} {{negotiation: $case}})" for t in ids] + ["MATCH (n:Negotiation {id: $case})"]
    for m in match:
        tx.run(
            f"{m} MATCH (n)-[r]-() WITH DISTINCT r WHERE type(r) IN $types "
            "AND NOT [type(r), labels(startNode(r))[0], startNode(r).id, labels(endNode(r))[0], endNode(r).id] IN $keep "
            "DELETE r",
            case=case, keep=keep_rels, types=list(mapping.REL_TYPES),
        ).consume()


def schema(s: Settings) -> None:
    """Create the uniqueness constraints and indexes of :mod:`kg.cypher.mapping` (IF NOT EXISTS)."""
    d = driver(s)
    with _errors(redact(s.uri)), d.session(database=s.database) as session:
        for stmt in (*mapping.neo4j_constraints(), *mapping.neo4j_indexes()):
            session.run(stmt).consume()


def _empty(session: neo4j.Session) -> bool:
    """Whether the database holds no node of the model's labels (counted from Neo4j's count store)."""
    return all(session.run(f"MATCH (n:{t}) RETURN count(n) AS c").single()["c"] == 0 for t in mapping.LABELS)


def load(
    g: nx.MultiDiGraph,
    s: Settings,
    *,
    case: str | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: bool = False,
    always_merge: bool = False,
) -> LoadStats:
    """Load the graph (or, with ``case``, replace one negotiation's subgraph) into Neo4j; see the module doc.

    A full load writes the shared nodes and their relationships (a managed transaction per batch), then whole
    negotiations (one managed transaction per group of negotiations, until one statement has ``batch_size``
    rows: a negotiation is never split across transactions), then the relationships between negotiations,
    then removes what the graph no longer has (:func:`_prune`). Into a database holding none of the model's
    nodes it uses ``CREATE`` instead of ``MERGE`` (the uniqueness constraints still guard it; ``always_merge``
    turns that off).
    ``case`` writes that negotiation's subgraph in place and removes what it no longer has, all in one
    managed transaction.
    """
    import neo4j

    from kg.api import check_case

    if batch_size < 1:
        raise UsageError("--batch-size must be at least 1")
    check_case(g, case)
    t0 = time.perf_counter()
    schema(s)
    session = driver(s).session(database=s.database, default_access_mode=neo4j.WRITE_ACCESS)
    with _errors(redact(s.uri)), session:
        if case is None:
            create = not always_merge and _empty(session)
            groups = _groups(g, create)
            cases = sorted(c for c in groups if c not in (_SHARED, _CROSS))
            stats = LoadStats(g.number_of_nodes(), g.number_of_edges(), cases=cases)
        else:
            from kg.graph import by_negotiation

            own = by_negotiation(g)[case]
            edges = sorted({(u, v, k) for n in own for u, v, k in (*g.out_edges(n, keys=True), *g.in_edges(n, keys=True))})
            nodes = sorted(set(own) | {x for u, v, _ in edges for x in (u, v)})
            writes = _ordered({stmt: rows for group in _groups(g, False, nodes, edges).values() for stmt, rows in group.items()})
            stats = LoadStats(len(nodes), len(edges), cases=[case])
        with _progress(progress, stats.nodes + stats.relationships) as tick:
            if case is None:
                for stmt, rows in groups.get(_SHARED, {}).items():
                    for batch in mapping.batches(rows, batch_size):
                        session.execute_write(lambda tx, stmt=stmt, batch=batch: tx.run(stmt, rows=batch).consume())
                        tick(len(batch))
                for _, writes, n in _case_chunks(groups, batch_size):
                    session.execute_write(lambda tx, writes=writes: _run_writes(tx, writes, batch_size))
                    tick(n)
                cross = groups.get(_CROSS, {})
                session.execute_write(lambda tx: _run_writes(tx, cross, batch_size))
                tick(sum(map(len, cross.values())))
                if not create:
                    session.execute_write(_prune, g)
            else:

                def replace(tx: neo4j.ManagedTransaction) -> None:
                    _run_writes(tx, writes, batch_size)
                    _delete_case_leftovers(tx, g, case, own, edges)

                session.execute_write(replace)
                tick(stats.nodes + stats.relationships)
    stats.seconds = time.perf_counter() - t0
    return stats


def _prune(tx: neo4j.ManagedTransaction, g: nx.MultiDiGraph) -> None:
    """Remove what the graph no longer has: nodes of the model's labels, relationships of its types.

    Every node and relationship of the graph was just written, so a label or type whose count in the database
    (from Neo4j's count store: cheap) is the graph's has nothing else; only the others are scanned.
    """
    ids: dict[str, list[str]] = {t: [] for t in mapping.LABELS}
    for _, d in g.nodes(data=True):
        ids[d["type"]].append(d["id"])
    for t, keep in ids.items():
        label = mapping.check_label(t)
        if tx.run(f"MATCH (n:{label}) RETURN count(n) AS c").single()["c"] != len(keep):  # type: ignore[index]
            tx.run(f"MATCH (n:{label}) WHERE NOT n.id IN $keep DETACH DELETE n", keep=keep).consume()
    pairs: dict[str, dict[tuple[str, str], list[list[str]]]] = {
        r: {e: [] for e in mapping.endpoints(r)} for r in mapping.REL_TYPES
    }
    for (r, a, b), rows in mapping.rel_groups(g).items():
        pairs[r][a, b] = [[row["u"], row["v"]] for row in rows]
    for r, by_ends in pairs.items():
        rel = mapping.check_rel_type(r)
        if tx.run(f"MATCH ()-[r:{rel}]->() RETURN count(r) AS c").single()["c"] == sum(map(len, by_ends.values())):  # type: ignore[index]
            continue
        for (a, b), keep in by_ends.items():
            tx.run(f"MATCH (a:{mapping.check_label(a)})-[r:{rel}]->(b:{mapping.check_label(b)}) "
                   "WHERE NOT [a.id, b.id] IN $keep DELETE r", keep=keep).consume()


@contextlib.contextmanager
def _progress(show: bool, total: int) -> Iterator[Callable[[int], None]]:
    if not show:
        yield lambda n: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    with Progress(
        TextColumn("[bold]loading Neo4j"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("nodes+relationships"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
    ) as bar:
        task = bar.add_task("load", total=total)
        yield lambda n: bar.advance(task, n)
