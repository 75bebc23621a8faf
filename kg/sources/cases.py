"""Graph -> case files: the inverse of :func:`kg.graph.build`, derived from the models of :mod:`kg.schema`.

Nothing here names a field of the case-file format. Each pydantic model of a node type
(``CaseDoc`` for Negotiation, ``IssueDoc`` for Issue, ...) is read field by field, and each field
is classified by its type:

- ``id``: the node's id, without its case prefix;
- a list of a node model (``issues: list[IssueDoc]``): the child nodes (those whose ``negotiation``
  or ``agreement`` attribute names the parent; a case's own sources by their ``case/`` prefix);
- a list of ``Citation`` (``sources``): the node's CITES edges, one citation per locator;
- a list of another model (``serves: list[Serves]``): edges of the one relation between the two
  node types (its reference field, ``interest``, names the other end); the model's ``sources``
  are the edge's ``source_ids``/``locators``, its other fields edge attributes of the same name;
- a list of ids that is not a node property (``reflects``, ``mechanisms``): edges of the relation
  of that name, or of the one relation to the type the field names;
- anything else: the node attribute of the same name (``title`` of a source is its ``name``).

A field added to :mod:`kg.schema` (and carried by :mod:`kg.graph`) therefore round-trips with no
change here. Lists come out sorted, as the graph stores them; this is the canonical form
(see :mod:`kg.sources.canonical`).

>>> from kg import api
>>> docs = documents(api.graph(api.load(data_dir="tests/fixtures/mini")))
>>> sorted(docs.cases), [p["id"] for p in docs.parties["parties"]]
(['river-1990'], ['alpha', 'beta', 'gamma'])
>>> docs.cases["river-1990"]["interests"][0]["holders"][0]["party"]
'alpha'
"""

from __future__ import annotations

import functools
import re
import types
import typing
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from kg import model, schema

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Documents", "Origin", "FieldMap", "documents", "fields_of", "doc_class", "REGISTRIES", "RENAMES"]

#: a case-file field whose graph attribute has another name: (node type, field) -> attribute
RENAMES: dict[tuple[str, str], str] = {("Source", "title"): "name"}
#: field names that name a node type without being its name in lower case
_SYNONYMS = {"case": "Negotiation"}
#: the registry files: file name -> (file model, its list field, node type); ids without a case prefix
REGISTRIES: dict[str, tuple[type[BaseModel], str, str]] = {
    "parties.yaml": (schema.PartiesFile, "parties", "Party"),
    "sources.yaml": (schema.SourcesFile, "sources", "Source"),
}
_SLUG = re.compile(schema.SLUG)


def doc_class(type_: str) -> type[BaseModel] | None:
    """The case-file model of a node type (``CaseDoc`` for a Negotiation), or None for vocabulary types."""
    return schema.CaseDoc if type_ == "Negotiation" else getattr(schema, f"{type_}Doc", None)


@functools.cache
def _doc_types() -> dict[type[BaseModel], str]:
    return {cls: t for t in model.NODE_TYPES if (cls := doc_class(t)) is not None}


def _unwrap(ann: Any) -> tuple[bool, Any]:
    """(is a list, the item or value type) of an annotation, without Annotated and Optional."""
    while True:
        origin = typing.get_origin(ann)
        if origin is typing.Annotated:
            ann = typing.get_args(ann)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(ann) if a is not type(None)]
            if len(args) != 1:
                return False, ann
            ann = args[0]
        elif origin is list:
            return True, _unwrap(typing.get_args(ann)[0])[1]
        elif origin is dict:
            return False, dict
        else:
            return False, ann


def _type_named(name: str) -> str | None:
    """The node type a field name refers to: ``party`` -> Party, ``mechanisms`` -> Mechanism."""
    names = {t.lower(): t for t in model.NODE_TYPES} | _SYNONYMS
    key = name.replace("_", "").lower()
    return names.get(key) or names.get(key.removesuffix("s"))


def _relation(owner: str, other: str, field_name: str) -> tuple[str, bool]:
    """The relation between two node types for a field: (name, outgoing from ``owner``)."""
    named = field_name.upper()
    if named in model.RELATIONS and {model.RELATIONS[named].source, model.RELATIONS[named].target} == {owner, other}:
        r = model.RELATIONS[named]
        return r.name, r.source == owner
    found = [r for r in model.RELATIONS.values() if {r.source, r.target} == {owner, other}]
    if len(found) != 1:
        raise LookupError(f"no single relation between {owner} and {other} for field {field_name!r}")
    return found[0].name, found[0].source == owner


@dataclass(frozen=True)
class FieldMap:
    """How one field of a case-file model is found in the graph."""

    name: str
    kind: str  # id | attr | children | citations | edges | refs | absent
    attr: str = ""  # the node or edge attribute (attr)
    type_: str = ""  # the child type (children), the type at the other end (edges, refs)
    rel: str = ""  # the relation (edges, refs)
    outgoing: bool = True
    item: type[BaseModel] | None = None  # the edge model (edges)
    ref: str = ""  # the edge model's field naming the other end (edges)
    is_list: bool = False
    reference: bool = False  # an attr whose value is a node id (case prefix stripped)
    mapping: bool = False  # a dict field, kept in the graph as "key: value" strings


@functools.cache
def fields_of(cls: type[BaseModel], type_: str) -> tuple[FieldMap, ...]:
    """The field maps of a node model, in the model's field order."""
    props = model.NODE_TYPES[type_].properties
    hints = typing.get_type_hints(cls, include_extras=True)  # resolves forward references
    out = []
    for name in cls.model_fields:
        is_list, inner = _unwrap(hints[name])
        is_model = isinstance(inner, type) and issubclass(inner, BaseModel)
        attr = RENAMES.get((type_, name), name)
        if name == "id":
            out.append(FieldMap(name, "id", "id"))
        elif is_list and inner is schema.Citation:
            out.append(FieldMap(name, "citations", rel="CITES", type_="Source"))
        elif is_list and inner in _doc_types():
            out.append(FieldMap(name, "children", type_=_doc_types()[inner]))
        elif is_list and is_model:
            ref = next(n for n in inner.model_fields if _type_named(n) and n != "sources")
            other = _type_named(ref) or ""
            rel, outgoing = _relation(type_, other, name)
            out.append(FieldMap(name, "edges", type_=other, rel=rel, outgoing=outgoing, item=inner, ref=ref))
        elif attr in props:
            target = _type_named(name)
            out.append(FieldMap(name, "attr", attr, is_list=is_list, reference=bool(target) and target != type_,
                                mapping=inner is dict))
        elif is_list and (other := _refs_type(type_, name)):
            rel, outgoing = _relation(type_, other, name)
            out.append(FieldMap(name, "refs", type_=other, rel=rel, outgoing=outgoing))
        else:
            out.append(FieldMap(name, "absent"))  # not carried by the graph (it cannot round-trip)
    return tuple(out)


@functools.cache
def _parent_attrs() -> frozenset[str]:
    """Node attributes that point at the parent in the nesting (``negotiation``, ``agreement``)."""
    return frozenset(
        t.lower() for t, cls in ((t, doc_class(t)) for t in model.NODE_TYPES)
        if cls is not None and any(f.kind == "children" for f in fields_of(cls, t))
    )


def _refs_type(owner: str, name: str) -> str | None:
    rel = model.RELATIONS.get(name.upper())
    if rel and owner in (rel.source, rel.target):
        return rel.target if rel.source == owner else rel.source
    return _type_named(name)


def _edge_fields(item: type[BaseModel]) -> list[tuple[str, bool]]:
    """(field, is a citation list) of an edge model, in order."""
    hints = typing.get_type_hints(item, include_extras=True)
    return [(n, _unwrap(hints[n]) == (True, schema.Citation)) for n in item.model_fields]


def from_pairs(value: Any) -> Any:
    """A dict field as the graph keeps it (``["key: value", ...]``, as kg.graph writes lint waivers) back to a dict.

    >>> from_pairs(["rule-a: because", "rule-b: x: y"])
    {'rule-a': 'because', 'rule-b': 'x: y'}
    """
    if isinstance(value, list) and all(isinstance(x, str) and ": " in x for x in value):
        return dict(x.split(": ", 1) for x in value)
    return value


@dataclass(frozen=True)
class Origin:
    """Where a value of a case file comes from: a node (``("node", key)``) or an edge
    (``("edge", u, v, key)``) of the graph, and the attribute."""

    element: tuple[str, ...]
    attr: str | None = None


@dataclass
class Documents:
    """The case files of a graph, as plain data (shaped like the models), with the origin of every path."""

    parties: dict[str, Any]
    sources: dict[str, Any]
    cases: dict[str, dict[str, Any]]
    origins: dict[str, dict[str, Origin]]  # file ("parties.yaml", "cases/ID.yaml") -> path -> origin
    problems: list[tuple[Origin, str]] = field(default_factory=list)  # what cannot become a case file at all


def _path(base: str, part: str | int) -> str:
    if isinstance(part, int):
        return f"{base}[{part}]"
    return f"{base}.{part}" if base else part


class _Reader:
    def __init__(self, g: nx.MultiDiGraph):
        self.g = g
        self.problems: list[tuple[Origin, str]] = []
        self.children: dict[tuple[str, str], list[str]] = {}  # (parent key, child type) -> child keys

    def local(self, value: Any, case: str | None) -> Any:
        if case and isinstance(value, str) and value.startswith(case + "/"):
            return value[len(case) + 1 :]
        return value

    def doc(self, cls: type[BaseModel], n: str, case: str | None, path: str, origins: dict[str, Origin]) -> dict[str, Any]:
        """The plain data of one node's document, and the origin of each of its paths."""
        g, d = self.g, self.g.nodes[n]
        type_ = d["type"]
        out: dict[str, Any] = {}
        origins[path] = Origin(("node", n))
        used = {"type", "id", *_parent_attrs()}  # parent pointers follow from the nesting
        for fm in fields_of(cls, type_):
            p = _path(path, fm.name)
            if fm.kind == "id":
                out["id"] = self.local(d["id"], case)
                origins[p] = Origin(("node", n), "id")
            elif fm.kind == "attr":
                used.add(fm.attr)
                v = d.get(fm.attr)
                if v is not None and v != []:
                    out[fm.name] = self.local(v, case) if fm.reference else from_pairs(v) if fm.mapping else v
                    origins[p] = Origin(("node", n), fm.attr)
            elif fm.kind == "children":
                kids = self.children.get((n, fm.type_), [])
                cls_kid = doc_class(fm.type_)
                if kids and cls_kid:
                    out[fm.name] = [self.doc(cls_kid, k, case, _path(p, i), origins) for i, k in enumerate(kids)]
            elif fm.kind == "citations":
                cites = []
                for _, s, k, e in sorted(g.out_edges(n, keys=True, data=True), key=lambda x: x[1]):
                    if k != "CITES":
                        continue
                    for loc in _as_list(e.get("locators")):
                        origins[_path(p, len(cites))] = Origin(("edge", n, s, k), "locators")
                        cites.append(_clean({"source": self.local(g.nodes[s]["id"], case), "locator": loc,
                                             "uncertain": e.get("uncertain")}))
                if cites:
                    out[fm.name] = cites
            elif fm.kind == "edges":
                items = [self.edge(fm, n, m, k, case, _path(p, i), origins) for i, (m, k) in enumerate(self.edges(n, fm))]
                if items:
                    out[fm.name] = items
            elif fm.kind == "refs":
                ids = [self.local(self.g.nodes[m]["id"], case) for m, _ in self.edges(n, fm)]
                if ids:
                    out[fm.name] = ids
                    for i, (m, k) in enumerate(self.edges(n, fm)):
                        origins[_path(p, i)] = Origin(("edge", *((n, m) if fm.outgoing else (m, n)), k))
        # attributes the model does not know go through, so that validation names them (unknown field)
        for k, v in d.items():
            if k not in used and k not in out:
                out[k] = v
                origins[_path(path, k)] = Origin(("node", n), k)
        return out

    def edges(self, n: str, fm: FieldMap) -> list[tuple[str, str]]:
        """(other end, key) of the node's edges of a field's relation, sorted by the other end."""
        if fm.outgoing:
            found = [(v, k) for _, v, k in self.g.out_edges(n, keys=True) if k == fm.rel]
        else:
            found = [(u, k) for u, _, k in self.g.in_edges(n, keys=True) if k == fm.rel]
        return sorted(found)

    def edge(self, fm: FieldMap, owner: str, other: str, k: str, case: str | None, path: str,
             origins: dict[str, Origin]) -> dict[str, Any]:
        """The plain data of one edge model (``serves[0]``): the other end, citations, attributes."""
        assert fm.item is not None
        g = self.g
        u, v = (owner, other) if fm.outgoing else (other, owner)
        e = g.edges[u, v, k]
        el = Origin(("edge", u, v, k))
        origins[path] = el
        out: dict[str, Any] = {}
        used = {"rel"}
        for name, is_cites in _edge_fields(fm.item):
            if name == fm.ref:
                out[name] = self.local(g.nodes[other]["id"], case)
                origins[_path(path, name)] = el
            elif is_cites:
                used |= {"source_ids", "locators"}
                pairs = list(zip(_as_list(e.get("source_ids")), _as_list(e.get("locators")), strict=False))
                if len(_as_list(e.get("source_ids"))) != len(_as_list(e.get("locators"))):
                    self.problems.append((Origin(el.element, "locators"), "source_ids and locators differ in length"))
                if pairs:
                    out[name] = [{"source": self.local(s, case), "locator": loc} for s, loc in pairs]
                    for i in range(len(pairs)):
                        origins[_path(_path(path, name), i)] = Origin(el.element, "source_ids")
            else:
                used.add(name)
                if e.get(name) is not None:
                    out[name] = e[name]
                    origins[_path(path, name)] = Origin(el.element, name)
        for a, x in e.items():
            if a not in used:
                out[a] = x
                origins[_path(path, a)] = Origin(el.element, a)
        return out


def _as_list(v: Any) -> list[Any]:
    return v if isinstance(v, list) else [] if v is None else [v]


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != []}


def _parent(g: nx.MultiDiGraph, n: str, d: dict[str, Any]) -> tuple[str | None, str | None]:
    """(parent key, problem) of a node in the nesting of the case files."""
    t = d["type"]
    if t == "Provision":
        a = f"Agreement:{d.get('agreement')}"
        return (a, None) if a in g else (None, f"its agreement {d.get('agreement')!r} is not in the file")
    if model.NODE_TYPES[t].case_scoped:
        neg = f"Negotiation:{d.get('negotiation')}"
        return (neg, None) if neg in g else (None, f"its negotiation {d.get('negotiation')!r} is not in the file")
    if t == "Source" and "/" in d["id"]:
        neg = "Negotiation:" + d["id"].split("/", 1)[0]
        return (neg, None) if neg in g else (None, f"its case {d['id'].split('/', 1)[0]!r} is not in the file")
    return None, None


def _check(g: nx.MultiDiGraph, problems: list[tuple[Origin, str]]) -> set[str]:
    """Nodes and edges that can be read at all; the others become problems. Returns the usable nodes."""
    ok = set()
    for n, d in g.nodes(data=True):
        t, i = d.get("type"), d.get("id")
        where = Origin(("node", n))
        if t not in model.NODE_TYPES:
            problems.append((Origin(("node", n), "type"), f"unknown node type {t!r} (known: {', '.join(model.NODE_TYPES)})"))
        elif not isinstance(i, str) or not i:
            problems.append((Origin(("node", n), "id"), "missing id"))
        elif n != model.NODE_TYPES[t].key(i):
            problems.append((where, f"node key {n!r} does not match its type and id (expected {model.NODE_TYPES[t].key(i)!r})"))
        elif t in model.VOCABULARIES and i not in model.VOCABULARIES[t]:
            vocab = model.VOCABULARIES[t]
            problems.append((Origin(("node", n), "id"), f"unknown {t} {i!r} (expected one of: {', '.join(vocab)})"))
        else:
            ok.add(n)
    for u, v, k, d in g.edges(keys=True, data=True):
        el = Origin(("edge", u, v, k))
        rel = model.RELATIONS.get(k)
        if rel is None:
            problems.append((el, f"unknown relation {k!r} (known: {', '.join(model.RELATIONS)})"))
        elif d.get("rel", k) != k:
            problems.append((Origin(el.element, "rel"), f"rel {d.get('rel')!r} differs from the edge key {k!r}"))
        elif u in ok and v in ok:
            tu, tv = g.nodes[u]["type"], g.nodes[v]["type"]
            if rel.source not in ("*", tu) or rel.target not in ("*", tv):
                problems.append((el, f"{k} goes from {rel.source} to {rel.target}, not from {tu} to {tv}"))
    return ok


def documents(g: nx.MultiDiGraph) -> Documents:
    """The registries and the case files that :func:`kg.graph.build` would turn into ``g``."""
    problems: list[tuple[Origin, str]] = []
    ok = _check(g, problems)
    r = _Reader(g)
    r.problems = problems
    roots: dict[str, list[str]] = {}
    for n in sorted(ok, key=lambda n: g.nodes[n]["id"]):
        d = g.nodes[n]
        if d["type"] in model.VOCABULARIES:
            continue
        parent, why = _parent(g, n, d)
        if why:
            problems.append((Origin(("node", n)), f"cannot be placed in a case file: {why}"))
        elif parent:
            r.children.setdefault((parent, d["type"]), []).append(n)
        else:
            roots.setdefault(d["type"], []).append(n)
    origins: dict[str, dict[str, Origin]] = {}
    registries: dict[str, dict[str, Any]] = {}
    for fname, (_, list_field, type_) in REGISTRIES.items():
        o = origins.setdefault(fname, {})
        cls = doc_class(type_)
        assert cls is not None
        registries[fname] = {list_field: [r.doc(cls, n, None, f"{list_field}[{i}]", o)
                                          for i, n in enumerate(roots.get(type_, []))]}
    cases = {}
    for n in roots.get("Negotiation", []):
        cid = g.nodes[n]["id"]
        if not _SLUG.match(cid):
            problems.append((Origin(("node", n), "id"), f"not a valid case id {cid!r} (it names a file)"))
            continue
        cases[cid] = r.doc(schema.CaseDoc, n, cid, "", origins.setdefault(f"cases/{cid}.yaml", {}))
    return Documents(registries["parties.yaml"], registries["sources.yaml"], cases, origins, problems)
