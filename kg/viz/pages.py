"""The gallery's pages: one per negotiation, one per query result, a cross-case overview and an index."""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import UsageError
from kg.viz import payload as pl
from kg.viz.html import render_index, render_page

if TYPE_CHECKING:
    import networkx as nx

    from kg.api import Result

__all__ = ["case_page", "query_page", "query_page_file", "overview_page", "graph_page", "gallery", "pages", "show",
           "notebook_html", "resolve_node", "write", "GALLERY_QUERIES", "Page", "Inline"]

#: library questions drawn in the gallery (those that need no parameter)
GALLERY_QUERIES = ("interest-provision-links", "shared-interests", "value-creating-provisions", "unmet-interests",
                   "positions-and-interests", "trades", "mechanism-mix")


@dataclass(frozen=True)
class Page:
    file: str
    title: str
    note: str
    html: str


def resolve_node(g: nx.MultiDiGraph, ref: str) -> str:
    """A node key from a key (``Provision:case/slug``) or a bare id; UsageError when none or several match."""
    if ref in g:
        return ref
    hits = sorted(n for n, i in g.nodes(data="id") if i == ref)
    if len(hits) != 1:
        raise UsageError(f"--focus {ref!r} names {'no node' if not hits else 'several nodes: ' + ', '.join(hits)}")
    return hits[0]


def _case_title(g: nx.MultiDiGraph, case_id: str) -> str:
    d = g.nodes[f"Negotiation:{case_id}"]
    start, end = str(d.get("start_date", ""))[:4], str(d.get("end_date", ""))[:4]
    years = start if start == end else f"{start}–{end}"
    return f"{d.get('name', case_id)} ({years})" if years.strip("–") else str(d.get("name", case_id))


def _case_subgraph(g: nx.MultiDiGraph, case_id: str) -> nx.MultiDiGraph:
    from kg.api import check_case
    from kg.graph import subgraph_for_case

    check_case(g, case_id)
    return subgraph_for_case(g, case_id)


def case_page(g: nx.MultiDiGraph, case_id: str, *, focus: str | None = None, nav: bool = True,
              physics_max_nodes: int = pl.PHYSICS_MAX_NODES) -> str:
    """One negotiation: its parties, issues, positions, interests, agreements, provisions and sources."""
    sub = _case_subgraph(g, case_id)
    key = resolve_node(sub, focus) if focus else None
    data = pl.payload(g, set(sub), kind="case", title=_case_title(g, case_id), focus=key,
                      physics_max_nodes=physics_max_nodes)
    desc = str(g.nodes[f"Negotiation:{case_id}"].get("description", ""))
    return render_page(data, title=_case_title(g, case_id), subtitle=desc, nav=nav)


def _query_title(res: Result, case: str | None = None) -> str:
    bits = [res.query] + ([f"case {case}"] if case else []) + ([res.lang] if res.lang != "native" else [])
    return "Query: " + ", ".join(bits)


def query_page(g: nx.MultiDiGraph, result: Result, *, case: str | None = None, params: dict[str, str] | None = None,
               nav: bool = True, physics_max_nodes: int = pl.PHYSICS_MAX_NODES) -> str:
    """A query result: the nodes its rows name (ids in any id column) and those its parameters name
    (``case``, ``party``, ``id``), the edges between them, and the rows as a table."""
    from kg.queries import spec

    named = {k: v for k, v in {**(params or {}), "negotiation": case}.items() if v}
    keep = pl.query_nodes(g, [*result.rows, named])
    title = _query_title(result, case)
    data = pl.payload(g, keep, kind="query", title=title, physics_max_nodes=physics_max_nodes)
    return render_page(data, title=title, subtitle=spec(result.query).description, table=result, nav=nav)


def potential_page(g: nx.MultiDiGraph, case_id: str, *, nav: bool = True, result: Result | None = None,
                   physics_max_nodes: int = pl.PHYSICS_MAX_NODES) -> str:
    """A case's integrative potential (:func:`kg.integrative.potential`): its parties, positions and interests beside
    the precedent provisions other negotiations offer, with the interests those served; the suggestions as a table."""
    from kg.integrative import potential

    res = result if result is not None else potential(case_id, graph=g)
    own = {n for n, d in g.nodes(data=True) if d.get("negotiation") == case_id
           and d["type"] in ("Position", "Interest", "Issue")} | {f"Negotiation:{case_id}"}
    parties = {u for n in own for u in g.predecessors(n) if g.nodes[u]["type"] == "Party"}
    precedents = pl.query_nodes(g, [{"provision": r["provision"], "negotiation": r["negotiation"]} for r in res.rows])
    served = {v for p in precedents if g.nodes[p]["type"] == "Provision"
              for _, v, k in g.out_edges(p, keys=True) if k == "SERVES"}
    keep = own | parties | precedents | served
    title = f"Potential: {_case_title(g, case_id)}"
    data = pl.payload(g, keep, kind="query", title=title, physics_max_nodes=physics_max_nodes)
    return render_page(data, title=title, subtitle="Suggestions from other negotiations for this case's unmet interests, "
                       "bridging and logrolling candidates: each a real provision, with how it matched "
                       "(docs/precedents.md).", table=res, nav=nav)


def overview_page(g: nx.MultiDiGraph, *, nav: bool = True, physics_max_nodes: int = pl.PHYSICS_MAX_NODES) -> str:
    """Every negotiation and its parties: parties of several negotiations link the cases."""
    title = "Overview: parties across negotiations"
    data = pl.payload(g, pl.overview_nodes(g), kind="overview", title=title, physics_max_nodes=physics_max_nodes)
    return render_page(data, title=title, subtitle="Negotiations and the parties that took part. Parties in two or more "
                       "negotiations (gold) stand on the left; click a negotiation to show the parties of that "
                       "negotiation only. Dashed: a role other than principal (hover an edge for it).", nav=nav)


def graph_page(g: nx.MultiDiGraph, *, title: str = "Graph", nav: bool = False,
               physics_max_nodes: int = pl.PHYSICS_MAX_NODES) -> str:
    """Any graph with the canonical attributes (for example :func:`kg.viz.synthetic.synthetic_graph`)."""
    return render_page(pl.payload(g, kind="case", title=title, physics_max_nodes=physics_max_nodes), title=title, nav=nav)


def _negotiations(g: nx.MultiDiGraph) -> list[str]:
    return sorted(d["id"] for _, d in g.nodes(data=True) if d["type"] == "Negotiation")


def pages(g: nx.MultiDiGraph, *, queries: tuple[str, ...] = GALLERY_QUERIES,
          focus: dict[str, str] | None = None) -> list[Page]:
    """Every page of the gallery except the index, built in memory."""
    from kg import api
    from kg.analysis import holders
    from kg.queries import spec

    out = [Page("overview.html", "Overview: parties across negotiations",
                f"{len(_negotiations(g))} negotiations, {len(pl.overview_nodes(g)) - len(_negotiations(g))} parties",
                overview_page(g))]
    hl, _ = pl.headline(g)
    for cid in _negotiations(g):
        sub = _case_subgraph(g, cid)
        vc = sum(1 for n in sub if hl.get(n) == 2 and sub.nodes[n]["type"] == "Provision")
        shared = sum(1 for n in sub if sub.nodes[n]["type"] == "Interest" and len(holders(sub, n)) >= 2)
        note = f"{sub.number_of_nodes()} nodes; {shared} shared interests; {vc} value-creating provisions"
        out.append(Page(f"case-{cid}.html", _case_title(g, cid), note,
                        case_page(g, cid, focus=(focus or {}).get(cid))))
        from kg.integrative import potential

        res = potential(cid, graph=g)
        out.append(Page(f"potential-{cid}.html", f"Potential: {_case_title(g, cid)}",
                        f"{len(res.rows)} cited suggestions from other negotiations",
                        potential_page(g, cid, result=res)))
    for name in queries:
        res = api.query(name, graph=g)
        out.append(Page(f"query-{name}.html", f"Query: {name}", f"{len(res.rows)} rows — {spec(name).description}",
                        query_page(g, res)))
    return out


def query_page_file(name: str, case: str | None = None, lang: str = "native", params: dict[str, Any] | None = None) -> str:
    """The file name of a query's page: the question, then its case, parameters and engine, each slugged.

    Different parameters give different files (``party=usa`` and ``party=egypt`` do not overwrite each other).

    >>> query_page_file("party-profile", params={"party": "usa"})
    'query-party-profile-party-usa.html'
    >>> query_page_file("shared-interests", case="river-1990", lang="sparql")
    'query-shared-interests-river-1990-sparql.html'
    """
    from kg.paths import file_slug

    parts = [name, *([case] if case else [])]
    parts += [f"{file_slug(k)}-{file_slug(str(v))}" for k, v in sorted((params or {}).items()) if v is not None and k != "case"]
    parts += [] if lang == "native" else [lang]
    return "query-" + "-".join(parts) + ".html"


def write(path: str | os.PathLike[str], page: str) -> Path:
    """Write a page atomically."""
    from kg.io import atomic_write
    from kg.text import check_document

    atomic_write(path, check_document(page, f"the page {Path(path).name}"))
    return Path(path)


def gallery(g: nx.MultiDiGraph, out_dir: str | os.PathLike[str] = "visualizations", *,
            queries: tuple[str, ...] = GALLERY_QUERIES, focus: dict[str, str] | None = None) -> list[Path]:
    """Write every page and the index under ``out_dir`` (each file atomically, never over a file negkg did not
    write: :mod:`kg.io`); return the paths, index first."""
    from kg.io import check_out_dir, check_target
    from kg.text import check_document

    out = check_out_dir(out_dir)
    built = pages(g, queries=queries, focus=focus)
    for name in ["index.html", *(p.file for p in built)]:  # every target checked before any page is written
        check_target(out / name)
    for p in built:
        check_document(p.html, f"the page {p.file}")
    sections = [("Overview", [p for p in built if p.file == "overview.html"]),
                ("Negotiations", [p for p in built if p.file.startswith("case-")]),
                ("Integrative potential", [p for p in built if p.file.startswith("potential-")]),
                ("Query results", [p for p in built if p.file.startswith("query-")])]
    index = render_index("negotiation-kg gallery", [(s, [{"file": p.file, "title": p.title, "note": p.note}
                                                        for p in ps]) for s, ps in sections])
    return [write(out / "index.html", index)] + [write(out / p.file, p.html) for p in built]


def notebook_html(page: str, height: int = 650) -> str:
    """An ``<iframe srcdoc>`` holding a page, for notebooks: the page runs sandboxed (scripts only)."""
    return (f'<iframe srcdoc="{html.escape(page, quote=True)}" sandbox="allow-scripts" '
            f'style="width:100%;height:{int(height)}px;border:1px solid #ddd"></iframe>')


@dataclass(frozen=True)
class Inline:
    """A page to display in a notebook: Jupyter renders ``_repr_html_`` (a sandboxed ``<iframe srcdoc>``); a
    plain-text front end (the IPython terminal) shows a one-line summary, never the page itself."""

    page: str = field(repr=False)
    height: int = 650

    def _repr_html_(self) -> str:
        return notebook_html(self.page, self.height)

    def __repr__(self) -> str:
        title = re.search(r"<title>(.*?)</title>", self.page, re.S)
        name = html.unescape(title.group(1)) if title else "page"
        return f"<negotiation-kg page {name!r}: {len(self.page) // 1024} KB of HTML; display it in Jupyter>"


def show(obj: Any, case_id: str | None = None, *, result: Result | None = None, focus: str | None = None,
         height: int = 650) -> Inline | None:
    """Display a page inline in Jupyter: a page's HTML, or a graph with a case id, a query result, or neither
    (the whole graph). Inside IPython it displays the page and returns None; elsewhere it returns an
    :class:`Inline` whose ``_repr_html_`` any notebook front end renders. IPython is optional."""
    if isinstance(obj, str):
        page = obj
    elif result is not None:
        page = query_page(obj, result, case=case_id, nav=False)
    elif case_id is not None:
        page = case_page(obj, case_id, focus=focus, nav=False)
    else:
        page = graph_page(obj)
    inline = Inline(page, height)
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:
        return inline
    if get_ipython() is None:
        return inline
    display(inline)
    return None
