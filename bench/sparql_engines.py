"""Benchmark: the SPARQL query library on pyoxigraph (the embedded engine) vs rdflib's own engine.

Not a test. Run from the repository root::

    /work/venv/bin/python bench/sparql_engines.py [--data DIR] [--scale N] [--repeat R]

``--scale N`` loads N copies of the corpus (instance IRIs renamed per copy) to see how both engines grow.
Prints, per query, the median time of R runs on each engine and the ratio, then the totals.
"""

from __future__ import annotations

import argparse
import signal
import statistics
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Abandoned(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise Abandoned


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(ROOT / "data"))
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--cap", type=int, default=20, help="seconds after which an rdflib run is abandoned")
    args = ap.parse_args()
    warnings.simplefilter("ignore", DeprecationWarning)

    import pyoxigraph
    import rdflib

    from kg import api
    from kg.queries import LIBRARY
    from kg.rdf import mapping, sparql

    g = api.graph(api.load(data_dir=args.data))
    nt = mapping.ntriples(g)
    text = "".join(nt.replace(mapping.ID, f"{mapping.ID}copy{k}/") if k else nt for k in range(args.scale))
    t0 = time.perf_counter()
    store = pyoxigraph.Store()
    store.bulk_load(text.encode(), pyoxigraph.RdfFormat.N_TRIPLES)
    t_ox_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    rg = rdflib.Graph().parse(data=text, format="nt")
    t_rdflib_load = time.perf_counter() - t0
    print(f"{len(store)} triples (scale {args.scale}); load: pyoxigraph {t_ox_load:.3f}s, rdflib {t_rdflib_load:.3f}s")

    party = next(d["id"] for _, d in g.nodes(data=True) if d["type"] == "Party")
    prov = next(d["id"] for _, d in g.nodes(data=True) if d["type"] == "Provision")
    params = {"party-profile": {"party": party}, "evidence": {"id": prov}}
    tot_ox = tot_rl = 0.0
    print(f"{'query':28} {'pyoxigraph ms':>14} {'rdflib ms':>10} {'ratio':>7}")
    for name, q in LIBRARY.items():
        qtext = sparql.bind(sparql.query_text(q), params.get(name, {}))
        ox, rl = [], []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            n_ox = len(list(store.query(qtext)))
            ox.append(time.perf_counter() - t0)
        signal.signal(signal.SIGALRM, _alarm)
        try:
            for _ in range(args.repeat):
                signal.alarm(args.cap)
                t0 = time.perf_counter()
                n_rl = len(list(rg.query(qtext)))
                rl.append(time.perf_counter() - t0)
                signal.alarm(0)
                assert n_ox == n_rl, (name, n_ox, n_rl)
        except Abandoned:
            rl = [float(args.cap)]
            print(f"{name:28} {statistics.median(ox) * 1000:14.1f} {'> ' + str(args.cap * 1000):>10}  (rdflib abandoned)")
            tot_ox, tot_rl = tot_ox + statistics.median(ox), tot_rl + args.cap
            continue
        m_ox, m_rl = statistics.median(ox), statistics.median(rl)
        tot_ox, tot_rl = tot_ox + m_ox, tot_rl + m_rl
        print(f"{name:28} {m_ox * 1000:14.1f} {m_rl * 1000:10.1f} {m_rl / m_ox:6.0f}x")
    print(f"{'total (rdflib at least)':28} {tot_ox * 1000:14.1f} {tot_rl * 1000:10.1f} {tot_rl / tot_ox:6.0f}x")


if __name__ == "__main__":
    main()
