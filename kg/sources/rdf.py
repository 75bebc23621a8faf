"""RDF source: Turtle, N-Triples, JSON-LD and TriG, read by rdflib and mapped back to the canonical graph
by inverting :mod:`kg.rdf.mapping` (its tables, not a copy of them): typed subjects are nodes, their
properties node attributes, direct relation triples edges, qualified-relation nodes (``nkg:Holding``, ...)
the attributes and citations of their edge, and a node's ``prov:qualifiedDerivation`` citations its
CITES edges.

RDF keeps no order among the values of one property, so a source's ``authors`` (``dct:creator``)
come back sorted; everything else comes back as it was. JSON-LD contexts are never fetched: the
project's published context is replaced by the shipped copy, and any other remote context is refused.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from kg import model
from kg.errors import InvalidInput, Problem
from kg.sources import Parsed, text_of

if TYPE_CHECKING:
    import networkx as nx
    import rdflib

_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "trig": "trig"}
CONTEXT_URL = "https://w3id.org/negotiation-kg/context.jsonld"
_SUBJECT_LINE = re.compile(r'^\s*<([^>]+)>|"@id"\s*:\s*"([^"]+)"')


def _jsonld(text: str, name: str) -> str:
    """JSON-LD text with the project's remote context inlined; other remote contexts refused."""
    from kg.rdf.ontology import FILES

    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise InvalidInput([Problem(name, e.lineno, "", f"JSON syntax error: {e.msg}")]) from None
    shipped = json.loads(FILES["context"].read_text(encoding="utf-8"))["@context"]

    def fix(x: Any) -> Any:
        if isinstance(x, dict):
            return {k: (ctx(v) if k == "@context" else fix(v)) for k, v in x.items()}
        if isinstance(x, list):
            return [fix(v) for v in x]
        return x

    def ctx(v: Any) -> Any:
        if isinstance(v, list):
            return [ctx(c) for c in v]
        if isinstance(v, str):
            if v.rstrip("/") == CONTEXT_URL:
                return shipped
            raise InvalidInput([Problem(name, 0, "@context", f"remote JSON-LD context {v!r} is not fetched: inline it")])
        if isinstance(v, dict) and "@import" in v:
            raise InvalidInput([Problem(name, 0, "@context", "@import of a remote context is not fetched: inline it")])
        return v

    return json.dumps(fix(data))


def _parse(text: str, fmt: str, name: str) -> rdflib.Graph:
    import rdflib

    g = rdflib.Dataset() if fmt == "trig" else rdflib.Graph()
    try:
        g.parse(data=text, format=_FORMATS[fmt])
    except InvalidInput:
        raise
    except Exception as e:  # rdflib's parsers raise many kinds; each is one syntax problem
        line = getattr(e, "lines", 0) or getattr(e, "line", 0) or 0
        detail = " ".join(str(getattr(e, "message", None) or e).split())[:300]
        line = int(line) if str(line).isdigit() else 0
        raise InvalidInput([Problem(name, line, "", f"{fmt} syntax error: {detail}")]) from None
    if fmt == "trig":
        out = rdflib.Graph()
        for s, p, o, _ in g.quads():
            out.add((s, p, o))
        return out
    return g


def _value(lit: Any, prop: Any) -> Any:
    from kg.rdf.mapping import XSD

    text = str(lit)
    if prop.datatype in (XSD + "integer", XSD + "gYear") and re.fullmatch(r"-?\d+", text):
        return int(text)
    if prop.datatype == XSD + "boolean":
        return text == "true"
    return text


def _id_from(iri: str, type_: str) -> str | None:
    from kg.rdf.mapping import node_iri

    prefix = node_iri(type_, "")
    return unquote(iri[len(prefix) :]) if iri.startswith(prefix) else None


def to_graph(rg: rdflib.Graph, problems: list[tuple[str, str]]) -> tuple[nx.MultiDiGraph, dict[tuple[str, ...], str]]:
    """The canonical graph of RDF triples, and the IRI each node and edge came from."""
    import networkx as nx
    from rdflib import RDF, URIRef

    from kg.rdf import mapping as m

    classes = {URIRef(m.class_iri(t)): t for t in model.NODE_TYPES}
    qualified = {URIRef(m.class_iri(q.cls)): rel for rel, q in m.QUALIFIED.items()}
    relations = {URIRef(p): r for r, p in m.RELATION_PREDICATES.items() if r != "CITES"}
    edge_props = {URIRef(p.iri): (k, p) for k, p in m.EDGE_PROPERTIES.items()}
    ident, derivation = URIRef(m.PROPERTIES["id"].iri), URIRef(m.QUALIFIED_DERIVATION)
    entity, locator = URIRef(m.CITED_SOURCE), URIRef(m.LOCATOR)
    uncertain = URIRef(m.PROPERTIES["uncertain"].iri)

    keys: dict[Any, str] = {}
    g = nx.MultiDiGraph(name="negotiation-kg")
    where: dict[tuple[str, ...], str] = {}
    for s, _, c in sorted(rg.triples((None, RDF.type, None))):
        t = classes.get(c)
        if t is None or s in keys:
            continue
        i = rg.value(s, ident)
        if i is None:
            problems.append((str(s), f"a {t} without dct:identifier"))
            continue
        keys[s] = model.NODE_TYPES[t].key(str(i))
    props = {t: {URIRef(m.prop_for(t, k).iri): (k, m.prop_for(t, k)) for k in model.NODE_TYPES[t].properties}
             for t in model.NODE_TYPES}
    for s, k in sorted(keys.items(), key=lambda x: x[1]):
        t = k.split(":", 1)[0]
        attrs: dict[str, Any] = {"type": t}
        for _, p, o in sorted(rg.triples((s, None, None))):
            if p in props[t]:
                name, prop = props[t][p]
                v = (_id_from(str(o), prop.target or "") if prop.kind in ("object", "vocab") else _value(o, prop))
                if prop.multi:
                    attrs.setdefault(name, []).append(v)
                else:
                    attrs[name] = v
            elif str(p).startswith(m.NKG) and p not in relations:
                problems.append((str(s), f"unknown property {str(p).replace(m.NKG, 'nkg:')} on a {t}"))
        for name in [n for n, v in attrs.items() if isinstance(v, list)]:
            attrs[name] = sorted(attrs[name])
        g.add_node(k, **attrs)
        where[("node", k)] = str(s)

    def cites(subject: Any) -> list[tuple[str, str, str | None]]:
        out = []
        for c in rg.objects(subject, derivation):
            src, loc = rg.value(c, entity), rg.value(c, locator)
            sid = _id_from(str(src), "Source") if src is not None else None
            if sid is None or loc is None:
                problems.append((str(c), "a citation needs prov:entity (a source) and nkg:locator"))
                continue
            note = rg.value(c, uncertain)
            out.append((sid, str(loc), None if note is None else str(note)))
        return sorted(out, key=lambda x: (x[0], x[1]))

    for s, p, o in sorted(rg):
        if p in relations and s in keys and o in keys:
            rel = relations[p]
            g.add_edge(keys[s], keys[o], key=rel, rel=rel)
            where[("edge", keys[s], keys[o], rel)] = str(s)
    for q, _, c in sorted(rg.triples((None, RDF.type, None))):
        rel = qualified.get(c)
        if rel is None:
            continue
        qd = m.QUALIFIED[rel]
        u, v = rg.value(q, URIRef(m.NKG + qd.subject)), rg.value(q, URIRef(m.NKG + qd.object))
        if u not in keys or v not in keys:
            problems.append((str(q), f"a qualified {qd.cls} whose ends are not nodes of the file"))
            continue
        e: dict[str, Any] = {"rel": rel}
        pairs = cites(q)
        if pairs:
            e["source_ids"], e["locators"] = [x[0] for x in pairs], [x[1] for x in pairs]
        for _, p, o in rg.triples((q, None, None)):
            if p in edge_props:
                name, prop = edge_props[p]
                e[name] = _id_from(str(o), prop.target or "") if prop.kind == "vocab" else _value(o, prop)
        g.add_edge(keys[u], keys[v], key=rel, **e)
        where[("edge", keys[u], keys[v], rel)] = str(q)
    for s, k in keys.items():
        by_source: dict[str, tuple[list[str], set[str]]] = {}
        for sid, loc, note in cites(s):
            locs, notes = by_source.setdefault(sid, ([], set()))
            locs.append(loc)
            notes.update([note] if note else [])
        for sid, (locs, notes) in sorted(by_source.items()):
            target = model.NODE_TYPES["Source"].key(sid)
            if target not in g:
                problems.append((str(s), f"cites source {sid!r}, which is not in the file"))
                continue
            e = {"rel": "CITES", "locators": sorted(locs)}
            if notes:
                e["uncertain"] = "; ".join(sorted(notes))
            g.add_edge(k, target, key="CITES", **e)
            where[("edge", k, target, "CITES")] = str(s)
    return g, where


def read(path: Path, name: str, fmt: str = "turtle") -> Parsed:
    """Read an RDF file into the canonical graph; problems located by line and IRI."""
    raw = text_of(path, name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InvalidInput([Problem(name, raw[: e.start].count(b"\n") + 1, "", "not valid UTF-8")]) from None
    rg = _parse(_jsonld(text, name) if fmt == "jsonld" else text, fmt, name)
    lines: dict[str, int] = {}
    for i, line in enumerate(text.splitlines(), 1):
        if mt := _SUBJECT_LINE.search(line):
            lines.setdefault(mt.group(1) or mt.group(2), i)
    found: list[tuple[str, str]] = []
    g, where = to_graph(rg, found)
    if found:
        raise InvalidInput([Problem(name, lines.get(iri, 0), f"<{iri}>", msg) for iri, msg in found])

    def locate(element: tuple[str, ...]) -> tuple[int, str]:
        iri = where.get(element, "")
        return lines.get(iri, 0), f"<{iri}>" if iri else " ".join(element[1:])

    return Parsed(g, locate)
