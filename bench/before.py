"""The RDF outputs and store load as they were before issue 16, for the benchmarks' "before" figures.

The statements come from the plain, term-by-term rendering of the mapping that the tests check the fast path
against (:func:`kg.rdf.mapping.quads`, through :func:`tests.test_fastpaths.reference_quads`); the rest is what
kg.rdf.mapping did with them: N-Triples sorted and de-duplicated in Python, Turtle and TriG through a sorted
list of pyoxigraph ``Quad`` objects, the store bulk-loaded from that N-Triples text. Not used by the package.
"""

from __future__ import annotations

from typing import Any

from kg.rdf import mapping

__all__ = ["ntriples", "serialize", "to_store"]


def _quads(g: Any) -> Any:
    from tests.test_fastpaths import reference_quads

    return reference_quads(g)


def _nt(t: tuple[str, ...]) -> str:
    if t[0] == "iri":
        return f"<{t[1]}>"
    v = t[1].replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{v}"' if t[2] == mapping.XSD + "string" else f'"{v}"^^<{t[2]}>'


def ntriples(g: Any) -> str:
    """Sorted, de-duplicated N-Triples, named graphs merged."""
    return "".join(sorted({f"{_nt(s)} {_nt(p)} {_nt(o)} .\n" for s, p, o, _ in _quads(g)}))


def to_store(g: Any) -> Any:
    """An in-memory pyoxigraph store, bulk-loaded from :func:`ntriples`."""
    import pyoxigraph

    store = pyoxigraph.Store()
    store.bulk_load(ntriples(g).encode(), pyoxigraph.RdfFormat.N_TRIPLES)
    return store


def _ox(t: tuple[str, ...]) -> Any:
    import pyoxigraph as ox

    return ox.NamedNode(t[1]) if t[0] == "iri" else ox.Literal(t[1], datatype=ox.NamedNode(t[2]))


def serialize(g: Any, fmt: str) -> bytes:
    """Turtle or TriG written by pyoxigraph from sorted ``Quad`` objects."""
    import pyoxigraph as ox

    formats = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG}
    named = formats[fmt].supports_datasets
    rows = sorted({(gname or "" if named else "", s, p, o) for s, p, o, gname in _quads(g)})
    out = [ox.Quad(_ox(s), _ox(p), _ox(o), ox.NamedNode(gn) if gn else ox.DefaultGraph()) if named
           else ox.Triple(_ox(s), _ox(p), _ox(o)) for gn, s, p, o in rows]
    prefixes = {k: v for k, v in mapping.PREFIXES.items() if k != "sh"}
    return ox.serialize(out, format=formats[fmt], prefixes=prefixes) or b""
