"""Leave-one-out evaluation of `negkg potential` (issue 13). Run: python bench/precedents.py [--k 10] [--write]

For each concluded case of the corpus: hide its agreements and provisions (kg.integrative.without_provisions),
ask for its integrative potential from the rest of the corpus, and count how many of the case's real
value-creating combinations (integrative mechanism, pair of interest categories held by different principals)
appear among the top k suggestions. Three rankings of the same pool of candidate suggestions:

- ours: kg.integrative.order, as `negkg potential` prints them: the best precedent of every target first (by the
  documented score: value-creating, own integrative mechanism, strength, principals, the mechanism sought, the
  same domain), then the second of every target, each precedent once;
- category: by category match alone (pairs before single categories), then provision id;
- random: shuffled (seeded), averaged over 50 draws.

A suggestion covers a combination (m, {a, b}) when its precedent uses mechanism m and its categories are {a, b}
(bridging and logrolling suggestions), or include a or b (a suggestion for one unmet interest of category a).
With --write, the table replaces the part of docs/precedents.md between its BENCH markers.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg import analysis, api, model  # noqa: E402
from kg.integrative import order, suggestions, without_provisions  # noqa: E402

DOC = ROOT / "docs" / "precedents.md"
BEGIN, END = "<!-- BENCH:BEGIN -->", "<!-- BENCH:END -->"


def real_combinations(g: Any, case: str) -> set[tuple[str, tuple[str, str]]]:
    """(integrative mechanism, sorted category pair) of the case's value-creating provisions (packages as units)."""
    out = set()
    role = analysis.roles(g, case)
    for r in analysis.value_creating_provisions(g, case):
        unit = analysis._unit(g, f"Provision:{r['provision']}")
        mechs = {g.nodes[m]["id"] for u in unit for m in analysis._out(g, u, "USES_MECHANISM")}
        held = [(g.nodes[i]["category"], p) for u in unit for i in analysis._substantive(g, u)
                for p in analysis.holders(g, i) if role.get(p) in model.VALUE_ROLES]
        pairs = {tuple(sorted((a, b))) for a, x in held for b, y in held if x != y}
        out |= {(m, pair) for m in mechs & model.INTEGRATIVE_MECHANISMS for pair in pairs}  # type: ignore[misc]
    return out  # type: ignore[return-value]


def covers(s: Any, combo: tuple[str, tuple[str, str]]) -> bool:
    m, pair = combo
    if m not in s.precedent["mechanisms"]:
        return False
    if len(s.categories) == 2:
        return tuple(sorted(s.categories)) == pair
    return s.categories[0] in pair


def recall(top: list[Any], real: set[tuple[str, tuple[str, str]]]) -> float:
    return sum(any(covers(s, c) for s in top) for c in real) / len(real)


def evaluate(k: int, draws: int = 50) -> tuple[list[dict[str, Any]], dict[str, float]]:
    g = api.graph()
    rows = []
    for d in sorted((d for _, d in g.nodes(data=True) if d["type"] == "Negotiation"), key=lambda d: d["id"]):
        case = d["id"]
        real = real_combinations(g, case)
        if d.get("status", "concluded") != "concluded" or not real:
            continue
        t = time.perf_counter()
        pool = suggestions(without_provisions(g, case), case, per_target=3)
        seconds = time.perf_counter() - t
        ours = order(pool)[:k]
        by_category = sorted(pool, key=lambda s: (-len(s.categories), s.precedent["provision"], s.target))[:k]
        rng = random.Random(13)
        rand = []
        for _ in range(draws):
            shuffled = pool[:]
            rng.shuffle(shuffled)
            rand.append(recall(shuffled[:k], real))
        rows.append({"case": case, "real": len(real), "pool": len(pool), "ours": recall(ours, real),
                     "category": recall(by_category, real), "random": statistics.mean(rand), "seconds": seconds})
    total = sum(r["real"] for r in rows)
    overall = {name: sum(r[name] * r["real"] for r in rows) / total for name in ("ours", "category", "random")} if total else {}
    return rows, overall


def table(rows: list[dict[str, Any]], overall: dict[str, float], k: int) -> str:
    out = [f"Recall@{k} of each case's real value-creating (mechanism, category pair) combinations "
           f"(`python bench/precedents.py --k {k}`):", "",
           "| Case | Real combinations | Candidate suggestions | Ours | Category only | Random (mean of 50) |",
           "|---|---|---|---|---|---|"]
    for r in rows:
        out.append(f"| `{r['case']}` | {r['real']} | {r['pool']} | {r['ours']:.2f} | {r['category']:.2f} | {r['random']:.2f} |")
    if overall:
        out.append(f"| **all (weighted by combinations)** | {sum(r['real'] for r in rows)} | "
                   f"{sum(r['pool'] for r in rows)} | **{overall['ours']:.2f}** | {overall['category']:.2f} | "
                   f"{overall['random']:.2f} |")
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--k", type=int, default=10, help="Suggestions kept per case (default 10).")
    ap.add_argument("--write", action="store_true", help="Write the table into docs/precedents.md.")
    args = ap.parse_args()
    t = time.perf_counter()
    rows, overall = evaluate(args.k)
    text = table(rows, overall, args.k)
    print(text)
    print(f"{len(rows)} cases in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    if args.write:
        doc = DOC.read_text(encoding="utf-8")
        head, _, rest = doc.partition(BEGIN)
        _, _, tail = rest.partition(END)
        DOC.write_text(f"{head}{BEGIN}\n{text}{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
