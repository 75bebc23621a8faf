"""Load test of ``negkg serve`` on 127.0.0.1: 20 concurrent clients asking library questions.

Bounded in count and time: each client sends at most ``--requests`` requests and stops at ``--seconds``;
traffic goes to 127.0.0.1 only. Prints, per engine, requests per second, median and p95 latency and the
error count; ``--markdown`` appends the table to a file. Also measures what a worker process costs a query
(the same question answered in-process vs through /api/run by one client).

    python bench/serve_load.py                       # the shipped corpus, 20 clients, 20 requests each
    python bench/serve_load.py --clients 20 --requests 50 --seconds 120 --workers 2
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def questions(g) -> list[str]:  # type: ignore[no-untyped-def]
    """One request per library question (a value from the graph for required parameters), in a fixed order."""
    from kg.queries import LIBRARY

    party = sorted(d["id"] for _, d in g.nodes(data=True) if d["type"] == "Party")[0]
    prov = sorted(d["id"] for _, d in g.nodes(data=True) if d["type"] == "Provision")[0]
    case = sorted(d["id"] for _, d in g.nodes(data=True) if d["type"] == "Negotiation")[0]
    values = {"party": party, "id": prov, "case": case}
    out = []
    for q in LIBRARY.values():
        params = {f"p.{p.name}": values.get(p.name, "") for p in q.params if p.required}
        out.append(urllib.parse.urlencode({"q": q.name, **params}))
        if any(p.name == "case" for p in q.params):
            out.append(urllib.parse.urlencode({"q": q.name, **params, "p.case": case}))
    return out


def load(base: str, lang: str, qs: list[str], clients: int, requests: int, seconds: float) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(k: int) -> None:
        for i in range(requests):
            if time.monotonic() > deadline:
                return
            url = f"{base}/api/run?{qs[(k + i) % len(qs)]}&lang={lang}"
            t0 = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=60) as r:
                    r.read()
                    ok = r.status == 200
            except (urllib.error.URLError, OSError) as e:
                ok = False
                with lock:
                    errors.append(str(e))
            dt = time.perf_counter() - t0
            with lock:
                latencies.append(dt)
                if not ok and len(errors) < 1:
                    errors.append(url)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    lat = sorted(latencies)
    return {"lang": lang, "requests": len(lat), "seconds": wall, "rps": len(lat) / wall,
            "median_ms": statistics.median(lat) * 1000, "p95_ms": lat[int(0.95 * (len(lat) - 1))] * 1000,
            "errors": len(errors)}


def overhead(base: str, g, qs: list[str], repeat: int = 30) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """Median ms of the same question in-process (kg.api.query) and through the server (one client)."""
    from kg import api

    q = urllib.parse.parse_qs(qs[1])
    name, params = q["q"][0], {k[2:]: v[0] for k, v in q.items() if k.startswith("p.")}
    inproc, served = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        api.query(name, params=params, graph=g)
        inproc.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        with urllib.request.urlopen(f"{base}/api/run?{qs[1]}", timeout=60) as r:
            r.read()
        served.append(time.perf_counter() - t0)
    return statistics.median(inproc) * 1000, statistics.median(served) * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=20, help="requests per client per engine")
    ap.add_argument("--seconds", type=float, default=60.0, help="time bound per engine")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--data", default=str(ROOT / "data"))
    ap.add_argument("--markdown", type=Path)
    a = ap.parse_args()

    from kg import api
    from tests.serve_helpers import serve

    g = api.graph(data_dir=a.data)
    qs = questions(g)
    rows = []
    with serve("--workers", str(a.workers), "--timeout", "60", data=Path(a.data)) as s:
        base = s.base
        for lang in ("native", "cypher", "sparql"):
            load(base, lang, qs, 4, 2, 30)  # warm the engines' caches
            rows.append(load(base, lang, qs, a.clients, a.requests, a.seconds))
            r = rows[-1]
            print(f"{lang:7s} {r['requests']:5d} requests in {r['seconds']:.1f} s: {r['rps']:.1f} req/s, "
                  f"median {r['median_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms, {r['errors']} errors", flush=True)
        inproc, served = overhead(base, g, qs)
        print(f"overhead: in-process {inproc:.1f} ms, through the server {served:.1f} ms (median of 30)")
    if a.markdown:
        lines = ["| Engine | Requests | Requests/s | Median | p95 | Errors |", "|---|---|---|---|---|---|"]
        lines += [f"| {r['lang']} | {r['requests']} | {r['rps']:.1f} | {r['median_ms']:.0f} ms | {r['p95_ms']:.0f} ms | "
                  f"{r['errors']} |" for r in rows]
        lines.append(f"\nOne client, `{qs[1]}`: in-process {inproc:.1f} ms, through the server {served:.1f} ms.")
        a.markdown.write_text("\n".join(lines) + "\n")
    if any(r["errors"] for r in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
