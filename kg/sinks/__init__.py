"""Sinks: each output format is one module with ``write(graph, path)`` (and ``EXTENSION``).

Adding a format is adding a module and a line to :data:`SINKS`; modules import lazily, so
heavy libraries load only for the format in use. A format that is one text also has
``dumps(graph) -> str`` (what ``negkg export --out -`` prints).

Every sink writes through :mod:`kg.io` (atomic, never over what negkg did not write) and
produces valid output or fails with one line: XML formats refuse characters XML cannot hold
(:func:`check_xml`), and text that is not valid Unicode is refused (:class:`~kg.errors.InvalidInput`).

>>> [f for f in sorted(SINKS) if f in ("graphml", "nodelink")]
['graphml', 'nodelink']
"""

from __future__ import annotations

import contextlib
import importlib
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Protocol

from kg.errors import InvalidInput, UsageError

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["SINKS", "Sink", "sink", "text_sink", "write", "dumps", "check_xml", "well_formed"]

#: format name -> module implementing it
SINKS: dict[str, str] = {
    "graphml": "kg.sinks.graphml",
    "yed": "kg.sinks.yed",
    "nodelink": "kg.sinks.nodelink",
    "turtle": "kg.sinks.turtle",
    "ntriples": "kg.sinks.ntriples",
    "jsonld": "kg.sinks.jsonld",
    "trig": "kg.sinks.trig",
    "gexf": "kg.sinks.gexf",
    "csv": "kg.sinks.neo4j_csv",
    "cypher": "kg.sinks.cypher_script",
    "svg": "kg.sinks.svg",
    "png": "kg.sinks.png",
}


class Sink(Protocol):
    EXTENSION: str

    def write(self, graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None: ...


def sink(fmt: str) -> Sink:
    """The module that writes a format (UsageError for an unknown one)."""
    if fmt not in SINKS:
        raise UsageError(f"unknown format {fmt!r} (known: {', '.join(sorted(SINKS))})")
    return importlib.import_module(SINKS[fmt])  # type: ignore[return-value]


def write(graph: nx.MultiDiGraph, fmt: str, path: str | os.PathLike[str]) -> None:
    """Write ``graph`` to ``path`` in format ``fmt``, atomically."""
    with _unicode_guard(fmt):
        sink(fmt).write(graph, path)


def text_sink(fmt: str) -> Any:
    """The module of a format that is one text (has ``dumps``); UsageError for one that is several files."""
    s = sink(fmt)
    if not hasattr(s, "dumps"):
        raise UsageError(f"--format {fmt} writes several files: give a directory or a .zip file, not standard output")
    return s


def dumps(graph: nx.MultiDiGraph, fmt: str) -> str:
    """The text of ``graph`` in format ``fmt`` (UsageError for a format that is several files)."""
    s = text_sink(fmt)
    with _unicode_guard(fmt):
        text: str = s.dumps(graph)
        text.encode("utf-8")
    return text


@contextlib.contextmanager
def _unicode_guard(fmt: str) -> Iterator[None]:
    try:
        yield
    except UnicodeEncodeError as e:
        raise InvalidInput(f"cannot write {fmt}: the graph holds U+{ord(e.object[e.start]):04X}, which is not valid "
                           "Unicode (an unpaired surrogate)") from None


def check_xml(graph: nx.MultiDiGraph, fmt: str) -> None:
    """Refuse (one line, :class:`~kg.errors.InvalidInput`) a graph holding text that XML 1.0 cannot represent."""
    from kg.text import xml_problem

    def bad(where: str, value: Any) -> None:
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str) and (why := xml_problem(v)):
                raise InvalidInput(f"cannot write {fmt}: {where} holds {why}, which XML cannot represent")

    for n, d in graph.nodes(data=True):
        bad(f"node {n!r}", n)
        for k, v in d.items():
            bad(f"node {n!r} property {k!r}", k)
            bad(f"node {n!r} property {k!r}", v)
    for u, v, key, d in graph.edges(keys=True, data=True):
        bad(f"relationship {u!r} -[{key}]-> {v!r}", key)
        for k, x in d.items():
            bad(f"relationship {u!r} -[{key}]-> {v!r} property {k!r}", k)
            bad(f"relationship {u!r} -[{key}]-> {v!r} property {k!r}", x)


def well_formed(text: str, what: str) -> str:
    """``text`` if lxml parses it as XML; else a one-line :class:`~kg.errors.InvalidInput` (never write bad XML)."""
    from lxml import etree

    try:
        etree.fromstring(text.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
    except etree.XMLSyntaxError as e:
        raise InvalidInput(f"cannot write {what}: the output would not be well-formed XML ({' '.join(str(e).split())})") \
            from None
    return text
