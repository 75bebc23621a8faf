"""Benchmarks with targets (issue 8). Run: python bench/run.py [--quick] [--only NAME ...] [--json PATH]

Prints one table: each stage's figure, its target, and whether it is met. Stages that need a server
(Neo4j) start it the same way the test suite does. Not part of the test suite: timings belong here.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
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


def stage(name: str) -> Callable[[Callable[..., list[Row]]], Callable[..., list[Row]]]:
    def deco(fn: Callable[..., list[Row]]) -> Callable[..., list[Row]]:
        STAGES[name] = fn
        return fn

    return deco


def timed(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """Median wall time of ``repeat`` calls, and the last result."""
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def run_child(args: list[str]) -> tuple[float, int]:
    """Wall time and peak RSS (bytes) of a child process."""
    t = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    subprocess.run(args, check=True, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return time.perf_counter() - t, max(after, before) * 1024


def synth_corpus(tmp: Path, negotiations: int) -> Path:
    from kg.synth import generate

    out = tmp / f"synth-{negotiations}"
    if not (out / "cases").exists():
        generate(negotiations, seed=1, out_dir=out)
    return out


@stage("cli")
def bench_cli(args: argparse.Namespace, tmp: Path) -> list[Row]:
    exe = shutil.which("negkg") or str(Path(sys.executable).parent / "negkg")
    times = []
    for _ in range(10):
        t = time.perf_counter()
        subprocess.run([exe, "--help"], check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    med = statistics.median(times)
    return [{"stage": "CLI cold start (negkg --help)", "figure": f"{med:.3f} s", "target": "< 0.3 s", "met": med < 0.3}]


@stage("build")
def bench_build(args: argparse.Namespace, tmp: Path) -> list[Row]:
    import kg

    t, res = timed(lambda: kg.build(tmp / "out-curated", data_dir=ROOT / "data"))
    rows = [{"stage": f"validate + build curated corpus ({res.summary['total_nodes']} nodes)", "figure": f"{t:.2f} s",
             "target": "< 2 s", "met": t < 2}]
    n = 300 if args.quick else 3300
    data = synth_corpus(tmp, n)
    wall, rss = run_child([sys.executable, "-m", "kg", "--data", str(data), "build", "--out", str(tmp / "out-synth"),
                           "--format", "json"])
    g = kg.build_graph(kg.load_corpus(data_dir=data))
    triples = _triples(g)
    rows.append({"stage": f"validate + build synthetic corpus ({n} cases, {g.number_of_nodes()} nodes, ~{triples} triples)",
                 "figure": f"{wall:.1f} s, {rss / 2**30:.2f} GiB peak", "target": "< 60 s, < 4 GiB",
                 "met": wall < 60 and rss < 4 * 2**30})
    return rows


def _triples(g: Any) -> int:
    try:
        from kg.rdf.mapping import to_rdflib  # type: ignore[attr-defined]

        return len(to_rdflib(g))
    except Exception:  # noqa: BLE001 - the RDF mapping may not be there; estimate instead
        return -1


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--quick", action="store_true", help="small corpora, for a smoke run")
    p.add_argument("--only", nargs="*", choices=sorted(STAGES), help="run only these stages")
    p.add_argument("--json", help="also write the rows as JSON here")
    p.add_argument("--keep", help="keep corpora in this directory (reused across runs)")
    args = p.parse_args()
    tmp = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="negkg-bench-"))
    tmp.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    for name in args.only or STAGES:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        rows += STAGES[name](args, tmp)
    width = max(len(r["stage"]) for r in rows)
    print(f"\n{'stage':<{width}}  {'figure':<28}  {'target':<22}  met")
    for r in rows:
        print(f"{r['stage']:<{width}}  {r['figure']:<28}  {r['target']:<22}  {'yes' if r['met'] else 'NO'}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))
    if not args.keep:
        shutil.rmtree(tmp, ignore_errors=True)
    os._exit(0)


if __name__ == "__main__":
    main()
