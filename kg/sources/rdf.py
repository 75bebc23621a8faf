"""RDF source: Turtle, N-Triples, JSON-LD and TriG, parsed by pyoxigraph and mapped back to the canonical graph
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

_FORMATS = {"turtle": "TURTLE", "ntriples": "N_TRIPLES", "jsonld": "JSON_LD", "trig": "TRIG"}
CONTEXT_URL = "https://w3id.org/negotiation-kg/context.jsonld"
_SUBJECT_LINE = re.compile(r'^\s*<([^>]+)>|"@id"\s*:\s*"([^"]+)"')
Term = str | tuple[str, str]  # an IRI (or blank node "_:x"), or a literal (value, datatype)


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


class Triples:
    """The triples of a file, indexed by subject (pyoxigraph parses; named graphs are merged)."""

    def __init__(self, text: str, fmt: str, name: str):
        import pyoxigraph as ox

        self.by_subject: dict[str, list[tuple[str, Term]]] = {}
        try:
            for q in ox.parse(text.encode("utf-8"), getattr(ox.RdfFormat, _FORMATS[fmt])):
                o = q.object
                term: Term = (o.value, o.datatype.value) if isinstance(o, ox.Literal) else _iri(o)
                self.by_subject.setdefault(_iri(q.subject), []).append((q.predicate.value, term))
        except SyntaxError as e:
            raise InvalidInput([Problem(name, e.lineno or 0, "", f"{fmt} syntax error: {e.msg}")]) from None
        for v in self.by_subject.values():
            v.sort(key=str)

    def objects(self, s: str, p: str) -> list[Term]:
        return [o for q, o in self.by_subject.get(s, []) if q == p]

    def value(self, s: str, p: str) -> Term | None:
        found = self.objects(s, p)
        return found[0] if found else None


def _iri(t: Any) -> str:
    return t.value if hasattr(t, "value") else f"_:{t}"


def _value(lit: Term, prop: Any) -> Any:
    from kg.rdf.mapping import XSD

    text = lit[0] if isinstance(lit, tuple) else lit
    if prop.datatype in (XSD + "integer", XSD + "gYear") and re.fullmatch(r"-?\d+", text):
        return int(text)
    if prop.datatype == XSD + "boolean":
        return text == "true"
    if prop.datatype == XSD + "decimal" and re.fullmatch(r"-?\d+(\.\d+)?", text):
        return float(text)  # the authoring schema's amounts are floats
    return text


def _id_from(iri: Term, type_: str) -> str | None:
    from kg.rdf.mapping import node_iri

    prefix = node_iri(type_, "")
    return unquote(iri[len(prefix) :]) if isinstance(iri, str) and iri.startswith(prefix) else None


def to_graph(rg: Triples, problems: list[tuple[str, str]]) -> tuple[nx.MultiDiGraph, dict[tuple[str, ...], str]]:
    """The canonical graph of RDF triples, and the IRI each node and edge came from."""
    import networkx as nx

    from kg.rdf import mapping as m

    rdf_type = m.RDF_TYPE
    classes = {m.class_iri(t): t for t in model.NODE_TYPES}
    qualified = {m.class_iri(q.cls): rel for rel, q in m.QUALIFIED.items()}
    relations = {p: r for r, p in m.RELATION_PREDICATES.items() if r != "CITES"}
    edge_props = {p.iri: (k, p) for k, p in m.EDGE_PROPERTIES.items()}
    ident, derivation, entity, locator = m.PROPERTIES["id"].iri, m.QUALIFIED_DERIVATION, m.CITED_SOURCE, m.LOCATOR
    uncertain = m.PROPERTIES["uncertain"].iri

    keys: dict[str, str] = {}
    quals: list[tuple[str, str]] = []
    g = nx.MultiDiGraph(name="negotiation-kg")
    where: dict[tuple[str, ...], str] = {}
    for s in sorted(rg.by_subject):
        for c in rg.objects(s, rdf_type):
            if c in qualified:
                quals.append((s, qualified[c]))  # type: ignore[index]
            t = classes.get(c)  # type: ignore[arg-type]
            if t is None or s in keys:
                continue
            i = rg.value(s, ident)
            if i is None:
                problems.append((s, f"a {t} without dct:identifier"))
                continue
            keys[s] = model.NODE_TYPES[t].key(i[0] if isinstance(i, tuple) else i)
    props = {t: {m.prop_for(t, k).iri: (k, m.prop_for(t, k)) for k in model.NODE_TYPES[t].properties}
             for t in model.NODE_TYPES}
    for s, k in sorted(keys.items(), key=lambda x: x[1]):
        t = k.split(":", 1)[0]
        attrs: dict[str, Any] = {"type": t}
        for p, o in rg.by_subject[s]:
            if p in props[t]:
                name, prop = props[t][p]
                v = _id_from(o, prop.target or "") if prop.kind in ("object", "vocab") else _value(o, prop)
                if prop.multi:
                    attrs.setdefault(name, []).append(v)
                else:
                    attrs[name] = v
            elif p.startswith(m.NKG) and p not in relations:
                problems.append((s, f"unknown property {p.replace(m.NKG, 'nkg:')} on a {t}"))
        for name in [n for n, v in attrs.items() if isinstance(v, list)]:
            attrs[name] = sorted(attrs[name])
        g.add_node(k, **attrs)
        where[("node", k)] = s

    def cites(subject: str) -> list[tuple[str, str, str | None]]:
        out = []
        for c in rg.objects(subject, derivation):
            src, loc = rg.value(str(c), entity), rg.value(str(c), locator)
            sid = _id_from(src, "Source") if src is not None else None
            if sid is None or not isinstance(loc, tuple):
                problems.append((str(c), "a citation needs prov:entity (a source) and nkg:locator"))
                continue
            note = rg.value(str(c), uncertain)
            out.append((sid, loc[0], note[0] if isinstance(note, tuple) else None))
        return sorted(out, key=lambda x: (x[0], x[1]))

    for s, k in keys.items():
        for p, o in rg.by_subject[s]:
            if p in relations and o in keys:
                rel = relations[p]
                g.add_edge(k, keys[o], key=rel, rel=rel)  # type: ignore[index]
                where[("edge", k, keys[o], rel)] = s  # type: ignore[index]
    for q, rel in quals:
        qd = m.QUALIFIED[rel]
        u, v = rg.value(q, m.NKG + qd.subject), rg.value(q, m.NKG + qd.object)
        if u not in keys or v not in keys:
            problems.append((q, f"a qualified {qd.cls} whose ends are not nodes of the file"))
            continue
        e: dict[str, Any] = {"rel": rel}
        pairs = cites(q)
        if pairs:
            e["source_ids"], e["locators"] = [x[0] for x in pairs], [x[1] for x in pairs]
        for p, o in rg.by_subject[q]:
            if p in edge_props:
                name, prop = edge_props[p]
                e[name] = _id_from(o, prop.target or "") if prop.kind == "vocab" else _value(o, prop)
        ku, kv = keys[u], keys[v]  # type: ignore[index]
        g.add_edge(ku, kv, key=rel, **e)
        where[("edge", ku, kv, rel)] = q
    for s, k in keys.items():
        by_source: dict[str, tuple[list[str], set[str]]] = {}
        for sid, loc, note in cites(s):
            locs, notes = by_source.setdefault(sid, ([], set()))
            locs.append(loc)
            notes.update([note] if note else [])
        for sid, (locs, notes) in sorted(by_source.items()):
            target = model.NODE_TYPES["Source"].key(sid)
            if target not in g:
                problems.append((s, f"cites source {sid!r}, which is not in the file"))
                continue
            e = {"rel": "CITES", "locators": sorted(locs)}
            if notes:
                e["uncertain"] = "; ".join(sorted(notes))
            g.add_edge(k, target, key="CITES", **e)
            where[("edge", k, target, "CITES")] = s
    return g, where


def read(path: Path, name: str, fmt: str = "turtle") -> Parsed:
    """Read an RDF file into the canonical graph; problems located by line and IRI."""
    raw = text_of(path, name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InvalidInput([Problem(name, raw[: e.start].count(b"\n") + 1, "", "not valid UTF-8")]) from None
    rg = Triples(_jsonld(text, name) if fmt == "jsonld" else text, fmt, name)
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
