"""A first pass over an XML input (GraphML, GEXF): refuse DTDs and entities, and note the line of
every node and edge element, and the keys that hold JSON arrays. The data itself is then read
by networkx."""

from __future__ import annotations

import xml.parsers.expat
from dataclasses import dataclass, field

from kg.errors import InvalidInput, Problem


@dataclass
class Scan:
    nodes: dict[str, int] = field(default_factory=dict)  # node id -> line
    edges: dict[tuple[str, str, str], int] = field(default_factory=dict)  # (source, target, id or label) -> line
    json_keys: set[str] = field(default_factory=set)  # attribute names whose key is described as a JSON array
    yfiles: bool = False  # the file carries yEd graphics


def scan(raw: bytes, name: str, edge_key: str = "id") -> Scan:
    """Scan XML bytes; :class:`InvalidInput` on a syntax error, a DTD or an entity declaration."""
    out = Scan()
    p = xml.parsers.expat.ParserCreate()
    stack: list[tuple[str, dict[str, str]]] = []
    text: list[str] = []

    def refuse(*_: object) -> None:
        raise InvalidInput([Problem(name, p.CurrentLineNumber, "", "DTDs and entity declarations are not allowed")])

    def start(tag: str, attrs: dict[str, str]) -> None:
        local = tag.rsplit(":", 1)[-1]
        stack.append((local, attrs))
        text.clear()
        if local == "node" and "id" in attrs:
            out.nodes.setdefault(attrs["id"], p.CurrentLineNumber)
        elif local == "edge":
            out.edges.setdefault((attrs.get("source", ""), attrs.get("target", ""), attrs.get(edge_key, "")),
                                 p.CurrentLineNumber)
        elif attrs.get("yfiles.type"):
            out.yfiles = True

    def end(tag: str) -> None:
        local, _ = stack.pop()
        if local == "desc" and stack and stack[-1][0] == "key" and "".join(text).startswith("JSON array"):
            out.json_keys.add(stack[-1][1].get("attr.name", ""))
        text.clear()

    p.StartDoctypeDeclHandler = refuse
    p.EntityDeclHandler = refuse
    p.StartElementHandler = start
    p.EndElementHandler = end
    p.CharacterDataHandler = text.append
    try:
        p.Parse(raw, True)
    except xml.parsers.expat.ExpatError as e:
        raise InvalidInput([Problem(name, e.lineno, "", f"XML syntax error: {xml.parsers.expat.ErrorString(e.code)}")]) from None
    return out
