"""Node-link JSON source: reads what :mod:`kg.sinks.nodelink` writes (networkx's node-link format,
nodes keyed by ``key``, edges under ``edges``; ``links`` and ``id`` keys, as older networkx wrote,
are read too).

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "g.json"
>>> _ = p.write_text('{"nodes": [\\n {"key": "Party:a", "type": "Party", "id": "a"}\\n], "edges": []}')
>>> parsed = read(p, "g.json")
>>> list(parsed.graph.nodes), parsed.locate(("node", "Party:a"))
(['Party:a'], (2, 'nodes[0](Party:a)'))
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from kg.errors import InvalidInput, Problem
from kg.sources import Parsed, text_of

_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]\n:]')


def element_lines(text: str) -> dict[str, list[int]]:
    """Line of each element of the top-level arrays of a JSON object (``{"nodes": [...], ...}``)."""
    out: dict[str, list[int]] = {}
    depth, line, last, key, current = 0, 1, "", "", None
    for m in _TOKENS.finditer(text):
        t = m.group()
        if t == "\n":
            line += 1
        elif t[0] == '"':
            last = t
            line += t.count("\n")
        elif t == ":":
            if depth == 1:
                key = json.loads(last)
        elif t in "[{":
            if depth == 2 and current is not None:
                current.append(line)
            depth += 1
            if depth == 2 and t == "[":
                current = out.setdefault(key, [])
        else:
            depth -= 1
            if depth == 1:
                current = None
    return out


def read(path: Path, name: str, fmt: str = "nodelink") -> Parsed:
    """Read node-link JSON into a MultiDiGraph; every problem located by line and ``nodes[i]`` / ``edges[i]``."""
    import networkx as nx

    raw = text_of(path, name)
    try:
        text = raw.decode("utf-8-sig")
        data = json.loads(text)
    except UnicodeDecodeError as e:
        raise InvalidInput([Problem(name, raw[: e.start].count(b"\n") + 1, "", "not valid UTF-8")]) from None
    except json.JSONDecodeError as e:
        raise InvalidInput([Problem(name, e.lineno, "", f"JSON syntax error: {e.msg}")]) from None
    lines = element_lines(text)
    if not isinstance(data, dict) or not isinstance(data.get("nodes"), list):
        raise InvalidInput([Problem(name, 1, "", "expected node-link JSON: an object with a list of nodes")])
    edge_field = "edges" if "edges" in data or "links" not in data else "links"
    edges = data.get(edge_field) or []
    problems: list[Problem] = []
    g = nx.MultiDiGraph(**(data.get("graph") if isinstance(data.get("graph"), dict) else {}))
    node_index: dict[str, int] = {}
    edge_index: dict[tuple[str, str, str], int] = {}

    def at(kind: str, i: int) -> int:
        found = lines.get(kind, [])
        return found[i] if i < len(found) else 0

    for i, item in enumerate(data["nodes"]):
        key = item.get("key", item.get("id")) if isinstance(item, dict) else None
        if not isinstance(key, str):
            problems.append(Problem(name, at("nodes", i), f"nodes[{i}]", "a node needs a string 'key' (Type:id)"))
            continue
        if key in node_index:
            first = node_index[key]
            problems.append(Problem(name, at("nodes", i), f"nodes[{i}]", f"duplicate node {key!r} (first at nodes[{first}])"))
            continue
        node_index[key] = i
        g.add_node(key, **{k: v for k, v in item.items() if k != "key" and not (k == "id" and "key" not in item)})
    for i, item in enumerate(edges):
        ends = [item.get(x) for x in ("source", "target", "key")] if isinstance(item, dict) else [None]
        where = f"{edge_field}[{i}]"
        if not all(isinstance(x, str) for x in ends) or len(ends) != 3:
            problems.append(Problem(name, at(edge_field, i), where, "an edge needs string 'source', 'target' and 'key'"))
            continue
        u, v, k = ends
        missing = [x for x in (u, v) if x not in node_index]
        if missing:
            problems.append(Problem(name, at(edge_field, i), where, f"edge to a node that is not in the file: {missing[0]!r}"))
            continue
        if (u, v, k) in edge_index:
            first = edge_index[u, v, k]
            problems.append(Problem(name, at(edge_field, i), where, f"duplicate edge (first at {edge_field}[{first}])"))
            continue
        edge_index[(u, v, k)] = i
        g.add_edge(u, v, key=k, **{a: x for a, x in item.items() if a not in ("source", "target", "key")})
    if problems:
        raise InvalidInput(problems)

    def locate(element: tuple[str, ...]) -> tuple[int, str]:
        if element[0] == "node" and element[1] in node_index:
            i = node_index[element[1]]
            return at("nodes", i), f"nodes[{i}]({element[1]})"
        key: Any = tuple(element[1:])
        if element[0] == "edge" and key in edge_index:
            i = edge_index[key]
            return at(edge_field, i), f"{edge_field}[{i}]({key[0]} {key[2]} {key[1]})"
        return 0, " ".join(element[1:])

    return Parsed(g, locate)
