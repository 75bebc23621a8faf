"""CSV sink for Neo4j: nodes and relationships files with ``neo4j-admin database import`` headers.

One file per node type (``nodes_Party.csv``: ``id:ID(Party),:LABEL,name,kind,...``) and one per
relation and pair of endpoint types (``rels_HAS_INTEREST_Party_Interest.csv``:
``:START_ID(Party),:END_ID(Interest),:TYPE,salience:int,source_ids:string[],...``). Each node type
is its own ID space, so ids need only be unique within a type. Columns are typed where the
value is not a string (``salience:int``, ``year:int``, ``integrative:boolean``, ``authors:string[]``);
arrays are joined with ``;`` (another delimiter is chosen if a value contains ``;``). Beside the
files, ``import.sh`` holds the exact ``neo4j-admin`` command. The label is the node type and the
relationship type the relation; ``type`` and ``rel`` are not stored as properties.

A path ending in ``.zip`` gives a zip archive (deterministic: fixed dates, sorted names);
any other path a directory. :func:`read` reads either back into the canonical graph, and
:func:`load_csv_statements` gives ``LOAD CSV`` statements for a running server.

>>> header_type([1, 2]), header_type([True]), header_type([["a"]]), header_type(["x", 3])
(':int', ':boolean', ':string[]', '')
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg import model
from kg.errors import InvalidInput
from kg.io import MANIFEST, atomic_dir, atomic_path

if TYPE_CHECKING:
    import networkx as nx

EXTENSION = "zip"
DELIMITERS = (";", "|", "¦", "\u241f")
SCRIPT = "import.sh"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def header_type(values: Iterable[Any]) -> str:
    """The admin-import type suffix of a column holding ``values`` (empty for strings)."""
    vals = list(values)
    if vals and all(isinstance(v, bool) for v in vals):
        return ":boolean"
    if vals and all(isinstance(v, int) and not isinstance(v, bool) for v in vals):
        return ":int"
    if vals and all(isinstance(v, float) for v in vals):
        return ":double"
    if vals and all(isinstance(v, list) for v in vals):
        return ":string[]"
    return ""


def _check_name(name: str, kind: str) -> str:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise InvalidInput(f"{kind} {name!r} is not a plain identifier")
    return name


def _columns(rows: list[dict[str, Any]], order: Iterable[str]) -> list[tuple[str, str]]:
    present = {k for r in rows for k in r}
    names = [k for k in order if k in present] + sorted(present - set(order))
    return [(_check_name(k, "property"), header_type(r[k] for r in rows if k in r)) for k in names]


def _delimiter(graph: nx.MultiDiGraph) -> str:
    items = [x for _, d in graph.nodes(data=True) for v in d.values() if isinstance(v, list) for x in v]
    items += [x for *_, d in graph.edges(data=True) for v in d.values() if isinstance(v, list) for x in v]
    for delim in DELIMITERS:
        if not any(delim in str(x) for x in items):
            return delim
    raise InvalidInput("every array delimiter candidate occurs in the data: " + " ".join(DELIMITERS))


def _cell(v: Any, delim: str) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return delim.join(map(str, v))
    return str(v)


def _field(cell: str) -> str:
    """One RFC 4180 field: quoted when it holds a comma, a quote or a line break (a lone ``\r`` too, which
    Python's csv module leaves bare when the line terminator is ``\n``)."""
    return f'"{cell.replace(chr(34), chr(34) * 2)}"' if any(c in cell for c in ',"\r\n') else cell


def _table(header: list[str], rows: Iterable[list[str]]) -> str:
    return "".join(",".join(map(_field, row)) + "\n" for row in (header, *rows))


def files(graph: nx.MultiDiGraph) -> dict[str, str]:
    """File name -> CSV text (and ``import.sh``) for ``graph``; names sorted, content deterministic."""
    delim = _delimiter(graph)
    out: dict[str, str] = {}
    by_type: dict[str, list[dict[str, Any]]] = {}
    for _, d in graph.nodes(data=True):
        by_type.setdefault(d["type"], []).append(d)
    for t, nodes in sorted(by_type.items()):
        if t not in model.NODE_TYPES:
            raise InvalidInput(f"node type {t!r} is not in kg.model")
        props = [{k: v for k, v in d.items() if k not in ("type", "id")} for d in nodes]
        cols = _columns(props, model.NODE_TYPES[t].properties)
        header = [f"id:ID({t})", ":LABEL", *(k + s for k, s in cols)]
        rows = ([d["id"], t, *(_cell(p.get(k), delim) for k, _ in cols)] for d, p in zip(nodes, props, strict=True))
        out[f"nodes_{t}.csv"] = _table(header, rows)
    by_rel: dict[tuple[str, str, str], list[tuple[str, str, dict[str, Any]]]] = {}
    for u, v, k, d in graph.edges(keys=True, data=True):
        if k not in model.RELATIONS:
            raise InvalidInput(f"relationship type {k!r} is not in kg.model")
        tu, tv = graph.nodes[u]["type"], graph.nodes[v]["type"]
        by_rel.setdefault((k, tu, tv), []).append((graph.nodes[u]["id"], graph.nodes[v]["id"], d))
    for (k, tu, tv), edges in sorted(by_rel.items()):
        props = [{a: x for a, x in d.items() if a != "rel"} for *_, d in edges]
        cols = _columns(props, model.RELATIONS[k].properties)
        header = [f":START_ID({tu})", f":END_ID({tv})", ":TYPE", *(a + s for a, s in cols)]
        rows = ([su, sv, k, *(_cell(p.get(a), delim) for a, _ in cols)] for (su, sv, _), p in zip(edges, props, strict=True))
        out[f"rels_{k}_{tu}_{tv}.csv"] = _table(header, rows)
    out[SCRIPT] = _script(sorted(out), delim)
    return dict(sorted(out.items()))


def _script(names: list[str], delim: str) -> str:
    args = [f"  --nodes={n} \\" for n in names if n.startswith("nodes_")]
    args += [f"  --relationships={n} \\" for n in names if n.startswith("rels_")]
    return "\n".join(
        [
            "#!/bin/sh",
            "# Import these files into a new, offline Neo4j database (default name: neo4j), e.g.",
            "#   neo4j stop && sh import.sh neo4j && neo4j start",
            "# neo4j-admin must be on the PATH (it is in the bin/ folder of a Neo4j installation).",
            "set -e",
            'cd "$(dirname "$0")"',
            f"exec neo4j-admin database import full --overwrite-destination --array-delimiter='{delim}' "
            "--multiline-fields=true \\",
            *args,
            '  -- "${1:-neo4j}"',  # "--": else the last --relationships takes the database name for one more file
            "",
        ]
    )


def write(graph: nx.MultiDiGraph, path: str | os.PathLike[str]) -> None:
    """Write the CSV files to a directory, or to a zip archive when ``path`` ends in ``.zip``.

    The directory is replaced whole and atomically, and only when negkg wrote it (:func:`kg.io.atomic_dir`).
    """
    content = files(graph)
    path = Path(path)
    if path.suffix == ".zip":
        with atomic_path(path) as tmp, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for name, text in content.items():
                info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = (0o755 if name == SCRIPT else 0o644) << 16
                z.writestr(info, text.encode("utf-8"))
        return
    with atomic_dir(path) as tmp:
        for name, text in content.items():
            (tmp / name).write_text(text, encoding="utf-8", newline="\n")
        (tmp / SCRIPT).chmod(0o755)


def _read_files(path: str | os.PathLike[str]) -> dict[str, str]:
    p = Path(path)
    if p.is_dir():
        out = {}
        for f in sorted(p.iterdir()):
            if f.is_file() and f.name != MANIFEST:
                with open(f, encoding="utf-8", newline="") as fh:  # a "\r" inside a quoted field stays one
                    out[f.name] = fh.read()
        return out
    with zipfile.ZipFile(p) as z:
        return {n: z.read(n).decode("utf-8") for n in sorted(z.namelist())}


def _parse_header(col: str) -> tuple[str, str]:
    """``"salience:int"`` -> ``("salience", "int")``; ``"name"`` -> ``("name", "string")``."""
    name, _, typ = col.partition(":")
    return name, typ or "string"


def _value(text: str, typ: str, delim: str) -> Any:
    if typ == "int":
        return int(text)
    if typ == "double":
        return float(text)
    if typ == "boolean":
        return text == "true"
    if typ == "string[]":
        return text.split(delim)
    return text


def array_delimiter(path: str | os.PathLike[str]) -> str:
    """The array delimiter that an export used (read from its ``import.sh``)."""
    m = re.search(r"--array-delimiter='([^']+)'", _read_files(path).get(SCRIPT, ""))
    return m.group(1) if m else ";"


def read(path: str | os.PathLike[str]) -> nx.MultiDiGraph:
    """Read an export (directory or zip) back into the canonical graph."""
    import networkx as nx

    content = _read_files(path)
    delim = array_delimiter(path)
    g = nx.MultiDiGraph()
    nodes: list[tuple[str, dict[str, Any]]] = []
    for name, text in content.items():
        if not name.startswith("nodes_"):
            continue
        reader = csv.reader(io.StringIO(text))
        header = [_parse_header(c) for c in next(reader)]
        for row in reader:
            d: dict[str, Any] = {}
            for (col, typ), cell in zip(header, row, strict=True):
                if col == "":  # :LABEL
                    d["type"] = cell
                elif typ.startswith("ID"):
                    d["id"] = cell
                elif cell != "":
                    d[col] = _value(cell, typ, delim)
            nodes.append((f"{d['type']}:{d['id']}", d))
    edges: list[tuple[str, str, str, dict[str, Any]]] = []
    for name, text in content.items():
        if not name.startswith("rels_"):
            continue
        reader = csv.reader(io.StringIO(text))
        raw = next(reader)
        header = [_parse_header(c) for c in raw]
        ends = [re.search(r"\((\w+)\)", c).group(1) for c in raw[:2]]  # type: ignore[union-attr]
        for row in reader:
            e: dict[str, Any] = {"rel": row[2]}
            for (col, typ), cell in zip(header[3:], row[3:], strict=True):
                if cell != "":
                    e[col] = _value(cell, typ, delim)
            edges.append((f"{ends[0]}:{row[0]}", f"{ends[1]}:{row[1]}", row[2], e))
    g.add_nodes_from(sorted(nodes, key=lambda x: x[0]))
    g.add_edges_from(sorted(edges, key=lambda x: x[:3]))
    return g


def _cypher_value(col: str, typ: str, delim: str) -> str:
    ref = f"row.`{col if typ == 'string' else col + ':' + typ}`"
    return {
        "int": f"toInteger({ref})",
        "double": f"toFloat({ref})",
        "boolean": f"toBoolean({ref})",
        "string[]": f"split({ref}, '{delim}')",
    }.get(typ, ref)


def load_csv_statements(path: str | os.PathLike[str]) -> list[tuple[str, str]]:
    """``(file name, Cypher statement)`` pairs that load an export into a running Neo4j with ``LOAD CSV``.

    Each statement reads the file from the parameter ``$url`` (where the server can fetch it: an
    ``http://`` URL or ``file:///`` in its import directory). Nodes first, then relationships.
    """
    content = _read_files(path)
    delim = array_delimiter(path)
    out = []
    for name, text in content.items():
        if not name.endswith(".csv"):
            continue
        raw = next(csv.reader(io.StringIO(text)))
        header = [_parse_header(c) for c in raw]
        if name.startswith("nodes_"):
            label = _check_name(raw[0][len("id:ID(") : -1], "label")
            sets = ", ".join(f"n.`{c}` = {_cypher_value(c, t, delim)}" for c, t in header[2:])
            stmt = f"LOAD CSV WITH HEADERS FROM $url AS row CREATE (n:`{label}` {{id: row.`{raw[0]}`}})"
            out.append((name, stmt + (f" SET {sets}" if sets else "")))
        else:
            a, b = (_check_name(re.search(r"\((\w+)\)", c).group(1), "label") for c in raw[:2])  # type: ignore[union-attr]
            rel = _check_name(name.split("_", 1)[1].rsplit("_", 2)[0], "relationship type")
            sets = ", ".join(f"r.`{c}` = {_cypher_value(c, t, delim)}" for c, t in header[3:])
            stmt = (
                f"LOAD CSV WITH HEADERS FROM $url AS row MATCH (a:`{a}` {{id: row.`{raw[0]}`}}) "
                f"MATCH (b:`{b}` {{id: row.`{raw[1]}`}}) CREATE (a)-[r:`{rel}`]->(b)"
            )
            out.append((name, stmt + (f" SET {sets}" if sets else "")))
    return sorted(out, key=lambda x: (not x[0].startswith("nodes_"), x[0]))
