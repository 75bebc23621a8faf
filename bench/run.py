"""Benchmarks with targets (issues 8 and 16). Run: python bench/run.py [--quick] [--only NAME ...] [--docs]

Prints one table: each figure, its target and whether it is met (``-``: a figure without a target), then,
with the ``growth`` stage, how the costs grow with the corpus (build, loads, every library question on every
embedded engine, one case and all cases, with the growth exponent). ``--docs`` writes the tables into
docs/performance.md between its ``bench:begin``/``bench:end`` markers. Stages that need a server (Neo4j)
start it the same way the test suite does. Not part of the test suite: timings belong here.
See docs/performance.md for the results and how to read them.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import pickle
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

Row = dict[str, Any]
STAGES: dict[str, Callable[[argparse.Namespace, Path], list[Row]]] = {}
DEFAULT = ("cli", "build", "rdf", "sparql", "cypher", "neo4j", "viz", "growth")
LANGS = ("native", "sparql", "cypher")

# Corpus sizes (synthetic negotiations; seed 1). One case is ~630 triples and ~34 nodes, so:
TRIPLES_1M = 1600  # ~1.0M triples (~54k nodes)
NODES_100K = 3000  # ~100k nodes, ~330k relationships
RDFLIB = 400  # rdflib's default store is measured on this smaller corpus (~250k triples): see docs/performance.md
GROWTH = (400, 800, 1600)  # ~252k, ~500k, ~1.01M triples
QUICK = {"TRIPLES_1M": 150, "NODES_100K": 150, "RDFLIB": 150, "GROWTH": (50, 100, 150)}
CLI_CASE = "paris-2015"  # the shipped corpus's case for the CLI figures


def size(args: argparse.Namespace, name: str) -> Any:
    return QUICK[name] if args.quick else globals()[name]


def stage(name: str) -> Callable[[Callable[..., list[Row]]], Callable[..., list[Row]]]:
    def deco(fn: Callable[..., list[Row]]) -> Callable[..., list[Row]]:
        STAGES[name] = fn
        return fn

    return deco


_STAGE = ""  # the stage running: each row names the command that produced it


def row(stage: str, figure: str, target: str = "-", met: bool | None = None, **extra: Any) -> Row:
    return {"stage": stage, "figure": figure, "target": target, "met": met, "how": f"--only {_STAGE}", **extra}


def timed(fn: Callable[[], Any], repeat: int = 3, warmup: int = 0) -> tuple[float, Any]:
    """Median wall time of ``repeat`` calls (after ``warmup`` untimed ones), and the last result."""
    out = None
    for _ in range(warmup):
        out = fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def cpu_timed(fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall time, CPU time of this process (all its threads) and result of one call."""
    t, c = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - t, time.process_time() - c, out


def secs(t: float) -> str:
    """A duration for the table.

    >>> secs(0.01234), secs(2.5), secs(75)
    ('12.3 ms', '2.50 s', '75 s')
    """
    return f"{t * 1000:.1f} ms" if t < 1 else f"{t:.2f} s" if t < 10 else f"{t:.0f} s"


def gib(b: float) -> str:
    return f"{b / 2**30:.2f} GiB"


_PEAK = ("import json, resource, subprocess, sys, time; t = time.perf_counter(); "
         "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); w = time.perf_counter() - t; "
         "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
         "print(json.dumps([w, u.ru_utime + u.ru_stime, u.ru_maxrss * 1024])); sys.exit(r.returncode)")


def run_child(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """Wall time, CPU time and peak RSS (bytes) of a child process.

    The child is started by a small wrapper process: a child forked straight from this (large) process
    would report this process's resident size as its own peak.
    """
    p = subprocess.run([sys.executable, "-c", _PEAK, *args], capture_output=True, text=True, cwd=ROOT,
                       env={**os.environ, **(env or {})})
    if p.returncode:
        raise RuntimeError(f"{' '.join(args[:4])} ... failed ({p.returncode}): {p.stderr[-500:]}")
    wall, cpu, peak = json.loads(p.stdout.split("\n")[-2])
    return wall, cpu, peak


def synth_corpus(tmp: Path, negotiations: int) -> Path:
    """The synthetic corpus of that many negotiations (seed 1), generated once under ``tmp``."""
    from kg.synth import generate

    out = tmp / f"synth-{negotiations}"
    if len(list((out / "cases").glob("synth-*.yaml"))) != negotiations:
        generate(negotiations, seed=1, out_dir=out)
    return out


_GRAPHS: dict[int, Any] = {}
_BUILDS: dict[int, tuple[float, float, int]] = {}  # cases -> (wall, cpu, peak RSS) of negkg build, shared with growth


def synth_graph(tmp: Path, negotiations: int) -> Any:
    """The canonical graph of a synthetic corpus (built once per run, without the on-disk cache)."""
    from kg import api

    if negotiations not in _GRAPHS:
        _GRAPHS[negotiations] = api.graph(api.load(data_dir=synth_corpus(tmp, negotiations)))
    return _GRAPHS[negotiations]


def graph_pickle(tmp: Path, negotiations: int) -> Path:
    """The graph pickled, for child processes."""
    path = tmp / f"graph-{negotiations}.pickle"
    if not path.exists():
        path.write_bytes(pickle.dumps(synth_graph(tmp, negotiations), protocol=pickle.HIGHEST_PROTOCOL))
    return path


def params_for(g: Any) -> tuple[dict[str, dict[str, Any]], str]:
    """Parameters of the library's questions on ``g`` (the busiest party, one of its provisions) and one case id."""
    party = max((n for n, t in g.nodes(data="type") if t == "Party"), key=g.out_degree)
    case = min(g.nodes[v]["id"] for _, v, k in g.out_edges(party, keys=True) if k == "PARTICIPATED_IN")
    prov = min(d["id"] for _, d in g.nodes(data=True) if d["type"] == "Provision" and d.get("negotiation") == case)
    return {"party-profile": {"party": g.nodes[party]["id"]}, "evidence": {"id": prov}}, case


def has_case(name: str) -> bool:
    from kg.queries import LIBRARY

    return any(p.name == "case" for p in LIBRARY[name].params)


def bound(name: str, params: dict[str, dict[str, Any]], case: str | None) -> dict[str, Any]:
    from kg.queries import LIBRARY

    given = dict(params.get(name, {}))
    if case is not None and has_case(name):
        given["case"] = case
    return LIBRARY[name].bind(given)


def required_ok(name: str, params: dict[str, dict[str, Any]]) -> bool:
    """Whether the bench knows a value for every required parameter of a question (new questions may need more)."""
    from kg.queries import LIBRARY

    return all(p in params.get(name, {}) or p == "case" for p in LIBRARY[name].required)


def engine_times(g: Any, lang: str, case: str | None, params: dict[str, dict[str, Any]],
                 repeat: int = 3) -> dict[str, tuple[float, int]]:
    """Per library question: median time of ``kg.api.query`` on engine ``lang`` (graph given: no on-disk cache;
    one warm-up run), and rows. With ``case``, only the questions that take one."""
    from kg import api
    from kg.queries import LIBRARY

    out = {}
    for name in LIBRARY:
        if (case is not None and not has_case(name)) or not required_ok(name, params):
            continue
        b = bound(name, params, case)
        t, res = timed(lambda name=name, b=b: api.query(name, params=b, lang=lang, graph=g), repeat=repeat, warmup=1)
        out[name] = (t, len(res.rows))
    return out


# ---------------------------------------------------------------- stages


def negkg() -> str:
    return shutil.which("negkg") or str(Path(sys.executable).parent / "negkg")


def child_rusage(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU time of one command (its own process)."""
    import resource

    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, env=env, cwd=ROOT)
    w = time.perf_counter() - t
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    return w, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)


def import_ms(modules: str) -> float:
    """Milliseconds of importing ``modules`` in a new process (self times of -X importtime, summed; median of 5)."""
    out = []
    for _ in range(5):
        p = subprocess.run([sys.executable, "-X", "importtime", "-c", f"import {modules}"], capture_output=True, text=True,
                           cwd=ROOT)
        out.append(sum(int(line.split("|")[0].split(":")[1]) for line in p.stderr.splitlines()
                       if line.startswith("import time:") and line.split("|")[0].split(":")[1].strip().isdigit()) / 1000)
    return statistics.median(out)


@stage("cli")
def bench_cli(args: argparse.Namespace, tmp: Path) -> list[Row]:
    from kg.queries import LIBRARY

    exe = negkg()
    env = {**os.environ, "NEGKG_CACHE_DIR": str(tmp / "cli-cache")}
    helps = [child_rusage([exe, "--help"], env) for _ in range(10)]
    med, cpu = statistics.median(w for w, _ in helps), statistics.median(c for _, c in helps)
    rows = [row("CLI cold start (negkg --help, median of 10)", f"{secs(med)} (CPU {secs(cpu)})", "< 0.15 s", med < 0.15,
                seconds=med, cpu=cpu)]
    imports = {m: import_ms(m) for m in ("click", "kg.api", "rich.console, rich.table", "pyoxigraph", "networkx", "ladybug")}
    rows.append(row("  import times in a new process (median of 5, python -X importtime, self times summed)",
                    "; ".join(f"{m} {t:.0f} ms" for m, t in imports.items())))
    others = [n for n in LIBRARY if has_case(n) and n != "shared-interests" and required_ok(n, {})][:4]
    for fmt in ("table", "json"):
        for lang in LANGS:
            shutil.rmtree(tmp / "cli-cache", ignore_errors=True)
            ask = [exe, "--data", str(ROOT / "data"), "query", "--case", CLI_CASE, "--lang", lang, "--format", fmt]
            cold = child_rusage([*ask, "shared-interests"], env)  # builds the graph, the store or the database
            other = [child_rusage([*ask, n], env) for n in others]  # artifacts cached, answers not yet
            same = [child_rusage([*ask, "shared-interests"], env) for _ in range(5)]  # the same question again
            o, s = statistics.median(w for w, _ in other), statistics.median(w for w, _ in same)
            oc, sc = statistics.median(c for _, c in other), statistics.median(c for _, c in same)
            rows.append(row(f"CLI warm query, {lang}, --format {fmt} (15-case corpus, --case {CLI_CASE}; "
                            f"cold {secs(cold[0])})", f"same question {secs(s)} (CPU {secs(sc)}); another question "
                            f"{secs(o)} (CPU {secs(oc)})", "<= 0.2 s", max(o, s) <= 0.2, lang=lang, fmt=fmt, same=s,
                            other=o, cold=cold[0], same_cpu=sc, other_cpu=oc))
    return rows


def build_child(tmp: Path, n: int) -> tuple[float, float, int]:
    """Validate + build a synthetic corpus with the CLI in a child process, without the on-disk cache."""
    if n not in _BUILDS:
        data = synth_corpus(tmp, n)
        _BUILDS[n] = run_child([sys.executable, "-m", "kg", "--data", str(data), "build", "--out", str(tmp / f"out-{n}"),
                                "--format", "json"], env={"NEGKG_CACHE": "0"})
    return _BUILDS[n]


def triples(g: Any) -> int:
    """Distinct triples of the graph's RDF form (kg.rdf.mapping), as loaded into the embedded store."""
    from kg.rdf import sparql

    return len(sparql.store_for(g))


@stage("build")
def bench_build(args: argparse.Namespace, tmp: Path) -> list[Row]:
    import kg
    from kg.sinks import graphml

    os.environ["NEGKG_CACHE"] = "0"
    try:
        t, res = timed(lambda: kg.build(tmp / "out-curated", data_dir=ROOT / "data"))
    finally:
        del os.environ["NEGKG_CACHE"]
    kg.build(tmp / "out-curated", data_dir=ROOT / "data")
    t_warm, _ = timed(lambda: kg.build(tmp / "out-curated", data_dir=ROOT / "data"))
    rows = [row(f"validate + build curated corpus ({res.summary['total_nodes']} nodes, in-process, cache off, median of 3)",
                f"{secs(t)}; with the on-disk cache warm {secs(t_warm)}", "< 0.5 s", t < 0.5, seconds=t, warm=t_warm)]
    n = size(args, "TRIPLES_1M")
    wall, cpu, rss = build_child(tmp, n)
    g = synth_graph(tmp, n)
    rows.append(row(f"validate + build synthetic corpus ({n} cases, {g.number_of_nodes() / 1e3:.0f}k nodes, "
                    f"{triples(g) / 1e6:.2f}M triples; negkg build, cache off)",
                    f"{secs(wall)} (CPU {secs(cpu)}), {gib(rss)} peak", "< 10 s, < 4 GiB", wall < 10 and rss < 4 * 2**30,
                    seconds=wall, cpu=cpu))
    rows.append(row("  phases of that build, in process (CPU of this process; validation also runs in worker processes)",
                    build_phases(tmp, n)))
    for label, graph in (("curated corpus", res.graph), (f"{n} cases", g)):
        t_gml, _ = timed(lambda graph=graph: graphml.dumps(graph), repeat=3 if label == "curated corpus" else 1)
        rows.append(row(f"GraphML writing, {label}: kg.sinks.graphml.dumps (networkx's writer)", secs(t_gml)))
    return rows


def build_phases(tmp: Path, n: int) -> str:
    """Wall and CPU time of each phase of a build, in process, without the cache."""
    import resource

    from kg import api, sinks

    out = []

    def phase(name: str, fn: Callable[[], Any]) -> Any:
        w, c, r = cpu_timed(fn)
        out.append(f"{name} {secs(w)} (CPU {secs(c)})")
        return r

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    corpus = phase("load + validate", lambda: api.load(data_dir=synth_corpus(tmp, n)))
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    workers = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    g = phase("graph", lambda: api.graph(corpus))
    phase("GraphML", lambda: sinks.write(g, "graphml", tmp / "phase.graphml"))
    phase("node-link JSON", lambda: sinks.write(g, "nodelink", tmp / "phase.json"))
    phase("headline", lambda: api.query("interest-provision-links", graph=g))
    return "; ".join(out) + f"; validation in worker processes: CPU {secs(workers)}"


_WRITE = """
import json, pickle, resource, sys, time
g = pickle.load(open(sys.argv[1], "rb"))
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
t, c = time.perf_counter(), time.process_time()
if sys.argv[3] == "before":
    from bench import before
    data = before.ntriples(g).encode() if sys.argv[2] == "ntriples" else before.serialize(g, sys.argv[2])
    open(sys.argv[4], "wb").write(data)
else:
    from kg import sinks
    sinks.write(g, sys.argv[2], sys.argv[4])
w, c = time.perf_counter() - t, time.process_time() - c
print(json.dumps([w, c, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, base]))
"""


_RELAY = ("import subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
          "sys.stdout.write(r.stdout); sys.stderr.write(r.stderr); sys.exit(r.returncode)")


def write_child(graph: Path, fmt: str, which: str, out: Path) -> tuple[float, float, int, int]:
    """Wall, CPU, peak RSS and RSS before writing, of one RDF export in a child process (``which``: new or before).

    Started by a small relay process, for the reason :func:`run_child` gives.
    """
    p = subprocess.run([sys.executable, "-c", _RELAY, sys.executable, "-c", _WRITE, str(graph), fmt, which, str(out)],
                       capture_output=True, text=True, cwd=ROOT)
    if p.returncode:
        raise RuntimeError(p.stderr.strip().splitlines()[-1])
    return tuple(json.loads(p.stdout.strip().splitlines()[-1]))  # type: ignore[return-value]


@stage("rdf")
def bench_rdf(args: argparse.Namespace, tmp: Path) -> list[Row]:
    import pyoxigraph as ox

    from bench import before
    from kg import sinks
    from kg.rdf import mapping

    n = size(args, "TRIPLES_1M")
    g = synth_graph(tmp, n)
    wall, cpu, store = cpu_timed(lambda: mapping.to_store(g))
    nt = len(store)
    w_old, c_old, old = cpu_timed(lambda: before.to_store(g))
    same = set(store) == set(old)
    store = old = None
    rows = [row(f"RDF store: load {nt / 1e6:.2f}M triples into pyoxigraph (mapping + N-Triples + bulk load)",
                f"{secs(wall)} (CPU {secs(cpu)}, both threads); before {secs(w_old)} (CPU {secs(c_old)}); "
                f"{'same triples' if same else 'TRIPLES DIFFER'}", "<= 3 s", wall <= 3 and same, seconds=wall, cpu=cpu)]
    w_nt, c_nt, text = cpu_timed(lambda: mapping.ntriples(g).encode())
    w_bl, c_bl, _ = cpu_timed(lambda: ox.Store().bulk_load(text, ox.RdfFormat.N_TRIPLES, lenient=True))
    text = None
    rows.append(row("  of which: the N-Triples text alone; Oxigraph's bulk load of it alone",
                    f"{secs(w_nt)} (CPU {secs(c_nt)}); {secs(w_bl)} (CPU {secs(c_bl)})"))
    _, c_blocks, _ = cpu_timed(lambda: sum(1 for _ in mapping.blocks(g)))
    _, c_text, _ = cpu_timed(lambda: sum(1 for _ in mapping.text(g, "ntriples")))
    _, c_write, _ = cpu_timed(lambda: sinks.write(g, "ntriples", tmp / "phase.nt"))
    rows.append(row("  N-Triples export, in process: the blocks of statements; + joining the lines; + encoding and writing",
                    f"CPU {secs(c_blocks)} ({c_blocks / nt * 1e6:.2f} us per statement); {secs(c_text - c_blocks)}; "
                    f"{secs(c_write - c_text)}: {secs(c_write)} in all"))
    pickled = graph_pickle(tmp, n)
    for fmt, ext in (("ntriples", "nt"), ("turtle", "ttl"), ("trig", "trig")):
        new = write_child(pickled, fmt, "new", tmp / f"new.{ext}")
        old = write_child(pickled, fmt, "before", tmp / f"old.{ext}")
        oxf = {"ntriples": ox.RdfFormat.N_TRIPLES, "turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG}[fmt]
        same = set(ox.parse(path=str(tmp / f"new.{ext}"), format=oxf)) == set(ox.parse(path=str(tmp / f"old.{ext}"), format=oxf))
        ratio = old[0] / new[0]
        rows.append(row(f"RDF export {fmt}, {nt / 1e6:.2f}M triples (negkg export's sink, in a child process)",
                        f"{secs(new[0])} (CPU {secs(new[1])}), peak {gib(new[2])} (graph alone {gib(new[3])}); before "
                        f"{secs(old[0])}, peak {gib(old[2])}: {ratio:.1f}x; {'same graph' if same else 'GRAPHS DIFFER'}",
                        ">= 10x, < 1 GiB", ratio >= 10 and new[2] < 2**30 and same, fmt=fmt, ratio=ratio, peak=new[2]))
        for ext_ in (f"new.{ext}", f"old.{ext}"):
            (tmp / ext_).unlink(missing_ok=True)
    return rows


class _Timeout(Exception):
    pass


def _alarm(*_: Any) -> None:
    raise _Timeout


def capped(fn: Callable[[], Any], cap: float) -> tuple[float | None, Any]:
    """Wall time and result of ``fn()``, or (None, None) when it runs past ``cap`` seconds (SIGALRM: pure Python only)."""
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, cap)
    t = time.perf_counter()
    try:
        out = fn()
        return time.perf_counter() - t, out
    except _Timeout:
        return None, None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def query_rows(engine: str, where: str, target: float, one_target: float, whole: dict[str, tuple[float, int]],
               one: dict[str, tuple[float, int]]) -> list[Row]:
    rows = []
    for name, (t, k) in whole.items():
        t1 = one.get(name, (None,))[0]
        fig = f"{secs(t)} ({k} rows)" + (f"; one case {secs(t1)}" if t1 is not None else "")
        met = t < target and (t1 is None or t1 <= one_target)
        rows.append(row(f"{engine} {name}, {where}", fig, f"< {secs(target)}; one case <= {secs(one_target)}", met,
                        query=name, seconds=t, one_case=t1))
    return rows


@stage("sparql")
def bench_sparql(args: argparse.Namespace, tmp: Path) -> list[Row]:
    import rdflib

    from kg.queries import LIBRARY
    from kg.rdf import mapping, sparql

    n = size(args, "TRIPLES_1M")
    g = synth_graph(tmp, n)
    nt = triples(g)  # the engine's own cached store
    params, case = params_for(g)
    whole, one = engine_times(g, "sparql", None, params), engine_times(g, "sparql", case, params)
    rows = query_rows("SPARQL", f"pyoxigraph, {nt / 1e6:.2f}M triples, all cases", 0.5, 0.05, whole, one)
    # rdflib's default store (Memory), same query text, same run; on a smaller corpus (see RDFLIB)
    m = size(args, "RDFLIB")
    gs = synth_graph(tmp, m)
    params_s, _ = params_for(gs)
    text = mapping.ntriples(gs)
    t_parse, rg = timed(lambda: rdflib.Graph().parse(data=text, format="nt"), repeat=1)
    text = ""
    ox = engine_times(gs, "sparql", None, params_s)
    rows.append(row(f"rdflib: parse {len(rg) / 1e3:.0f}k triples ({m} cases) into its default store", secs(t_parse)))
    cap = args.rdflib_cap
    for name, q in LIBRARY.items():
        if name not in ox:
            continue
        qtext = sparql.bind(sparql.query_text(q), bound(name, params_s, None))
        t1, res = capped(lambda qtext=qtext: list(rg.query(qtext)), cap)
        if t1 is not None and t1 < 2:  # fast enough to take a median of 3
            t1, res = timed(lambda qtext=qtext: list(rg.query(qtext)), repeat=3)
        t_ox, k = ox[name]
        if t1 is None:
            fig, ratio = f"pyoxigraph {secs(t_ox)}, rdflib > {cap:.0f} s: > {cap / t_ox:.0f}x", cap / t_ox
            met = True if ratio >= 20 else None  # a lower bound: met if it already clears 20x, else unknown
        else:
            ratio = t1 / t_ox
            fig, met = f"pyoxigraph {secs(t_ox)}, rdflib {secs(t1)}: {ratio:.{0 if ratio >= 10 else 1}f}x", ratio >= 20
            if len(res) != k:
                fig += f" (ROW COUNTS DIFFER: {len(res)} vs {k})"
                met = False
        rows.append(row(f"SPARQL {name}: pyoxigraph vs rdflib, {len(rg) / 1e3:.0f}k triples", fig, ">= 20x", met,
                        query=name, ratio=ratio, capped=t1 is None))
    return rows


def ladybug_load(g: Any, tmp: Path, csv: bool = True) -> tuple[float, float]:
    """Wall and CPU time of loading ``g`` into a new LadybugDB database (schema, bulk load, checkpoint)."""
    import ladybug

    from kg.cypher import embedded

    where = Path(tempfile.mkdtemp(dir=tmp))
    try:
        db = ladybug.Database(str(where / "graph.lbug"))
        wall, cpu, _ = cpu_timed(lambda: (embedded.load(db, g, csv=csv), db.close()))
        return wall, cpu
    finally:
        shutil.rmtree(where, ignore_errors=True)


@stage("cypher")
def bench_cypher(args: argparse.Namespace, tmp: Path) -> list[Row]:
    n = size(args, "NODES_100K")
    g = synth_graph(tmp, n)
    items = g.number_of_nodes() + g.number_of_edges()
    wall, cpu = ladybug_load(g, tmp)
    small = synth_graph(tmp, size(args, "RDFLIB"))
    k_small = small.number_of_nodes() + small.number_of_edges()
    w_rows, _ = ladybug_load(small, tmp, csv=False)
    w_csv, _ = ladybug_load(small, tmp)
    from kg.cypher import embedded

    _, c_rows, tables = cpu_timed(lambda: embedded._tables(g))
    _, c_csv, _ = cpu_timed(lambda: [t.csv() for t in tables])
    tables = None
    params, case = params_for(g)
    rows = [row(f"Cypher: load {g.number_of_nodes() / 1e3:.0f}k nodes + {g.number_of_edges() / 1e3:.0f}k relationships "
                "into LadybugDB (COPY FROM CSV files, one transaction)",
                f"{secs(wall)}, {items / wall / 1e3:.0f}k/s (CPU {secs(cpu)}: {items / cpu / 1e3:.0f}k per CPU second)",
                ">= 100k/s", items / wall >= 100_000, rate=items / wall, cpu=cpu),
            row("  of which, in Python: the rows by table; the CSV text",
                f"CPU {secs(c_rows)}; {secs(c_csv)} (the rest is LadybugDB's COPY and commit)"),
            row(f"  LadybugDB, {k_small / 1e3:.0f}k items: CSV files vs rows as a parameter (UNWIND batches, before)",
                f"{secs(w_csv)} vs {secs(w_rows)}: {w_rows / w_csv:.1f}x")]
    whole, one = engine_times(g, "cypher", None, params), engine_times(g, "cypher", case, params)
    rows += query_rows("Cypher", f"LadybugDB, {g.number_of_nodes() / 1e3:.0f}k nodes, all cases", 0.2, 0.05, whole, one)
    return rows


@stage("neo4j")
def bench_neo4j(args: argparse.Namespace, tmp: Path) -> list[Row]:
    from bench import neo4jbench
    from kg.cypher import neo4jdb

    n = size(args, "NODES_100K")
    g = synth_graph(tmp, n)
    pickled = graph_pickle(tmp, n)
    items = g.number_of_nodes() + g.number_of_edges()
    try:
        import neo4j._rust  # noqa: F401
        rust = True
    except ImportError:
        rust = False
    rows: list[Row] = []

    def fig(r: dict[str, Any]) -> str:
        return f"{secs(r['seconds'])}, {r['rate'] / 1e3:.1f}k/s (client CPU {secs(r['cpu'])})"

    for label, jvm in (("test JVM (-Xmx1g, serial GC, C1 only)", None), ("tuned JVM (-Xms2g -Xmx4g, G1, full JIT)",
                                                                          neo4jbench.TUNED_JVM)):
        try:
            ctx = neo4jbench.server(tmp, jvm)
            srv = ctx.__enter__()
        except RuntimeError as e:
            rows.append(row(f"Neo4j load, {label}", f"not run: {e}", ">= 30k/s", None))
            continue
        try:
            s = srv.settings
            # warm the server's JIT on another corpus first, so the order of the runs below matters less
            neo4jbench.load_child(graph_pickle(tmp, size(args, "RDFLIB")), s, rust)
            neo4jbench.wipe(s)
            if jvm is None:  # the naive loader on a sample: the first cases, their nodes and relationships
                sample_nodes, sample_edges = neo4jbench.sample(g, args.sample_cases)
                k, t_naive = neo4jbench.row_by_row(g, s, sample_nodes, sample_edges)
                naive = k / t_naive
                rows.append(row(f"Neo4j row-by-row loader (one MERGE per transaction; sample of {args.sample_cases} cases, "
                                f"{k} rows)", f"{naive:.0f} rows/s (~{items / naive / 60:.0f} min for the corpus)", rate=naive))
            runs: list[tuple[str, dict[str, Any]]] = []
            for use_rust in (False, True) if rust else (False,):
                neo4jbench.wipe(s)
                runs.append((f"CREATE into an empty database, {'neo4j-rust-ext' if use_rust else 'pure-Python driver'}",
                             neo4jbench.load_child(pickled, s, rust=use_rust)))
            neo4jbench.wipe(s)
            runs.append(("MERGE into an empty database (always_merge)", neo4jbench.load_child(pickled, s, rust, merge=True)))
            c1 = neo4jdb.counts(s)
            runs.append(("re-load: MERGE over the same graph, then the prune check",
                         neo4jbench.load_child(pickled, s, rust)))
            c2 = neo4jdb.counts(s)
            neo4jbench.wipe(s)
            k, t2 = neo4jbench.load_threads(g, s, threads=2)
            c3 = neo4jdb.counts(s)
            runs.append(("MERGE from two threads (a session each: client and server overlap)",
                         {"seconds": t2, "rate": k / t2, "cpu": float("nan")}))
            neo4jbench.wipe(s)
            runs.append(("CREATE, --batch-size 1000 (the default before; statements of up to 1,000 rows)",
                         neo4jbench.load_child(pickled, s, rust, batch_size=1000)))
        finally:
            ctx.__exit__(None, None, None)
        ok = c1 == c2 == c3 and c1["nodes"] == g.number_of_nodes() and c1["relationships"] == g.number_of_edges()
        for what, r in runs:
            rows.append(row(f"Neo4j load {g.number_of_nodes() / 1e3:.0f}k nodes + {g.number_of_edges() / 1e3:.0f}k "
                            f"relationships, {label}: {what}", fig(r).replace("client CPU nan s", "two threads"),
                            ">= 30k/s", r["rate"] >= 30_000, rate=r["rate"], jvm=label, variant=what))
        rows.append(row(f"Neo4j counts after MERGE, re-load and two threads ({label})",
                        f"{'identical' if ok else 'DIFFER'} ({c1['nodes']} nodes, {c1['relationships']} relationships)",
                        "identical counts", ok))
    work = tmp / "admin-import"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        k, t, summary = neo4jbench.admin_import(g, work)
        rows.append(row("neo4j-admin database import full of the CSV export (its import.sh; new offline database; "
                        "harness class path)", f"{secs(t)}, {k / t / 1e3:.1f}k/s incl. JVM start ({summary})",
                        ">= 30k/s", k / t >= 30_000 and k == items, rate=k / t))
    except RuntimeError as e:
        rows.append(row("neo4j-admin database import", f"not run: {str(e)[:200]}"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return rows


@stage("viz")
def bench_viz(args: argparse.Namespace, tmp: Path) -> list[Row]:
    from kg.viz import graph_page, synthetic_graph

    rows = []
    for n in (200, 2000) if args.quick else (200, 2000, 20000):
        t_gen, g = timed(lambda n=n: synthetic_graph(n, seed=1), repeat=1)
        t, page = timed(lambda g=g, n=n: graph_page(g, title=f"{n} nodes"), repeat=3 if n < 20000 else 1)
        kib = len(page.encode()) / 1024
        rows.append(row(f"viz: graph page of {n} nodes ({g.number_of_edges()} edges)",
                        f"{secs(t)}, {kib / 1024:.1f} MiB HTML" if kib > 1024 else f"{secs(t)}, {kib:.0f} KiB HTML",
                        seconds=t, bytes=len(page.encode()), graph_seconds=t_gen))
    return rows


@stage("growth")
def bench_growth(args: argparse.Namespace, tmp: Path) -> list[Row]:
    """Build, loads and every library question on every embedded engine at several corpus sizes."""
    from kg.rdf import mapping

    out = []
    neo = None
    try:
        from bench import neo4jbench

        ctx = neo4jbench.server(tmp, neo4jbench.TUNED_JVM)
        neo = (ctx, ctx.__enter__())
    except RuntimeError:
        pass
    try:
        for n in size(args, "GROWTH"):
            wall, _, rss = build_child(tmp, n)
            g = synth_graph(tmp, n)
            params, case = params_for(g)
            t_store, _, store = cpu_timed(lambda g=g: mapping.to_store(g))
            nt = len(store)
            store = None
            t_lb, _ = ladybug_load(g, tmp)
            t_neo = None
            if neo is not None:
                neo4jbench.wipe(neo[1].settings)
                t_neo = neo4jbench.load_child(graph_pickle(tmp, n), neo[1].settings, rust=True)["seconds"]
            q = {}
            for lang in LANGS:
                for scope, c in (("all", None), ("one", case)):
                    for name, (t, _) in engine_times(g, lang, c, params).items():
                        q[f"{lang}|{name}|{scope}"] = t
            out.append({"growth": True, "cases": n, "nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
                        "triples": nt, "build_s": wall, "build_gib": rss / 2**30, "store_s": t_store, "ladybug_s": t_lb,
                        "neo4j_s": t_neo, "q": q})
            if n not in (size(args, "TRIPLES_1M"), size(args, "NODES_100K")):
                _GRAPHS.pop(n, None)
    finally:
        if neo is not None:
            neo[0].__exit__(None, None, None)
    return out


# ---------------------------------------------------------------- output


def exponent(a: float | None, b: float | None, na: float, nb: float) -> float | None:
    """The growth exponent k in t ~ N**k between two sizes (1: linear)."""
    if not a or not b or a <= 0 or b <= 0:
        return None
    return math.log(b / a) / math.log(nb / na)


def _exp(k: float | None) -> str:
    if k is None:
        return "-"
    return f"**{k:.2f}**" if k > 1.2 else f"{k:.2f}"


def growth_markdown(rows: list[Row]) -> list[str]:
    if not rows:
        return []
    first, last = rows[0], rows[-1]
    n0, n1 = first["triples"], last["triples"]
    out = ["Build and loads (seconds; exponent k in t ~ N^k between the smallest and the largest corpus, **bold** above 1.2):",
           "", "| cases | nodes | edges | triples | build s | peak GiB | pyoxigraph store s | LadybugDB s | Neo4j s |",
           "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        neo = f"{r['neo4j_s']:.1f}" if r.get("neo4j_s") else "-"
        out.append(f"| {r['cases']} | {r['nodes']} | {r['edges']} | {r['triples']} | {r['build_s']:.1f} | "
                   f"{r['build_gib']:.2f} | {r['store_s']:.2f} | {r['ladybug_s']:.2f} | {neo} |")
    out.append(f"| k | | | | {_exp(exponent(first['build_s'], last['build_s'], n0, n1))} | | "
               f"{_exp(exponent(first['store_s'], last['store_s'], n0, n1))} | "
               f"{_exp(exponent(first['ladybug_s'], last['ladybug_s'], n0, n1))} | "
               f"{_exp(exponent(first.get('neo4j_s'), last.get('neo4j_s'), n0, n1))} |")
    sizes = " | ".join(f"{r['triples'] / 1e3:.0f}k" for r in rows)
    for lang in LANGS:
        names = sorted({k.split("|")[1] for k in first["q"] if k.startswith(lang + "|")})
        out += ["", f"{lang}: median of 3 (ms), all cases and one case (`--case`), at {sizes} triples:", "",
                f"| question | all: {sizes} | k | one case: {sizes} | k |",
                "|---|" + "---|" * (2 * len(rows) + 2)]
        for name in names:
            cells = []
            for scope in ("all", "one"):
                ts = [r["q"].get(f"{lang}|{name}|{scope}") for r in rows]
                cells += [" | ".join("-" if t is None else f"{t * 1000:.1f}" for t in ts), _exp(exponent(ts[0], ts[-1], n0, n1))]
            out.append(f"| {name} | " + " | ".join(cells) + " |")
    return out


def markdown(rows: list[Row], started: str, command: str, note: str = "") -> str:
    """The tables as Markdown (for docs/performance.md)."""
    out = [f"Measured {started} on this machine ({os.cpu_count()} cores, shared; load average "
           f"{os.getloadavg()[0]:.1f} at the end) with `{command}`{note}. Each row says which stage produced it "
           "(`python bench/run.py --only STAGE`).", "",
           "| What | Figure | Target | Met | Stage |", "|---|---|---|---|---|"]
    for r in rows:
        if not r.get("growth"):
            met = "-" if r["met"] is None else "yes" if r["met"] else "**no**"
            out.append(f"| {r['stage']} | {r['figure']} | {r['target']} | {met} | {r['how'].split()[-1]} |")
    growth = [r for r in rows if r.get("growth")]
    if growth:
        out += ["", *growth_markdown(growth)]
    return "\n".join(out) + "\n"


BEGIN, END = "<!-- bench:begin (written by python bench/run.py --docs) -->", "<!-- bench:end -->"


def write_docs(text: str) -> None:
    """Put the tables between the markers of docs/performance.md (the rest of the file is left as it is)."""
    path = ROOT / "docs" / "performance.md"
    doc = path.read_text(encoding="utf-8")
    if BEGIN not in doc or END not in doc:
        raise SystemExit(f"docs/performance.md has no {BEGIN} ... {END} markers")
    head, rest = doc.split(BEGIN, 1)
    path.write_text(f"{head}{BEGIN}\n\n{text}\n{END}{rest.split(END, 1)[1]}", encoding="utf-8")


def main() -> None:
    global _STAGE
    from kg.io import atomic_write  # never over a file negkg did not write (kg.io)

    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--quick", action="store_true", help="small corpora, for a smoke run")
    p.add_argument("--only", nargs="*", choices=sorted(STAGES), help="run only these stages")
    p.add_argument("--json", help="also write the rows as JSON here")
    p.add_argument("--markdown", help="also write the tables as Markdown here")
    p.add_argument("--docs", action="store_true", help="write the tables into docs/performance.md (between its markers)")
    p.add_argument("--keep", help="keep corpora in this directory (reused across runs)")
    p.add_argument("--with", dest="previous", help="a --json file of an earlier run: its rows of the stages not run now "
                   "join this run's tables (each row names its stage)")
    p.add_argument("--rdflib-cap", type=float, default=20.0, help="seconds before an rdflib query is given up")
    p.add_argument("--sample-cases", type=int, default=15, help="cases loaded by the row-by-row Neo4j loader")
    args = p.parse_args()
    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="negkg-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    os.environ["NEGKG_CACHE_DIR"] = str(tmp / "cache")  # never the user's cache
    rows: list[Row] = []
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    for name in args.only or DEFAULT:
        _STAGE = name
        t = time.perf_counter()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        try:
            rows += STAGES[name](args, tmp)
        except Exception as e:  # one broken stage must not lose the others' figures
            rows.append(row(f"{name}: FAILED", f"{type(e).__name__}: {str(e).splitlines()[0][:120] if str(e) else ''}",
                            "runs", False))
        if args.json:  # after every stage: a late failure keeps what was measured
            atomic_write(args.json, json.dumps({"started": started, "quick": args.quick, "rows": rows}, indent=2))
        print(f"  {name} took {time.perf_counter() - t:.0f} s", file=sys.stderr, flush=True)
    note = ""
    if args.previous:
        ran = set(args.only or DEFAULT)
        doc = json.loads(Path(args.previous).read_text())
        earlier = doc["rows"]
        note = f" (the other stages' rows: the run of {doc['started']})"
        kept = [r for r in earlier if (r["how"].split()[-1] if "how" in r else "growth") not in ran]
        order = {s: i for i, s in enumerate(STAGES)}
        rows = sorted(kept + rows, key=lambda r: order.get(r.get("how", "--only growth").split()[-1], 99))
    table = [r for r in rows if not r.get("growth")]
    print(f"\nnegotiation-kg benchmarks, {started}, {os.cpu_count()} cores{' (--quick)' if args.quick else ''}")
    if table:
        w = [max(len(str(r[k])) for r in table) for k in ("stage", "figure", "target")]
        print(f"\n{'stage':<{w[0]}}  {'figure':<{w[1]}}  {'target':<{w[2]}}  met")
        for r in table:
            met = "-" if r["met"] is None else "yes" if r["met"] else "NO"
            print(f"{r['stage']:<{w[0]}}  {r['figure']:<{w[1]}}  {r['target']:<{w[2]}}  {met}")
    growth = [r for r in rows if r.get("growth")]
    if growth:
        print("\n" + "\n".join(growth_markdown(growth)))
    argv = sys.argv[1:]
    drop = {i for i, a in enumerate(argv) if a in ("--keep", "--json", "--markdown", "--with")}
    cmd = " ".join(["python bench/run.py", *(a for i, a in enumerate(argv) if i not in drop and i - 1 not in drop)])
    text = markdown(rows, started, re.sub(r" --docs\b", "", cmd), note)
    if args.markdown:
        atomic_write(args.markdown, text)
    if args.docs:
        write_docs(text)
    if args.json:
        atomic_write(args.json, json.dumps({"started": started, "quick": args.quick, "rows": rows}, indent=2))
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
