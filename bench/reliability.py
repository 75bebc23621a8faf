"""Inter-coder reliability of the corpus's coding (issue 20).

    python bench/reliability.py --sample [--round N]   # draw the seeded sample; write the blind sample and coder A
    python bench/reliability.py [--round N] [--write]  # agreement per field, from data/coding/ (into docs/codebook.md)

The sample: interest categories, mechanism labels of provisions and strengths of SERVES, drawn with a fixed seed
from the cases listed in ROUNDS (round-robin over the cases, so that every case contributes). The blind sample
(``sample[-N].yaml``) gives each item's texts with codes, coding notes and coding vocabulary removed; coder A's
codes are the corpus's (``coder-a[-N].yaml``); coder B coded the blind sample from docs/codebook.md and the
sources alone (``coder-b[-N].yaml``). Agreement: raw, Cohen's kappa, and for strength the linearly weighted
kappa (kg.reliability), with confusion tables.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg import api, model, reliability  # noqa: E402

CODING = ROOT / "data" / "coding"
DOC = ROOT / "docs" / "codebook.md"
BEGIN, END = "<!-- RELIABILITY:BEGIN -->", "<!-- RELIABILITY:END -->"

#: round -> (seed, cases the sample is drawn from, items per field)
ROUNDS: dict[int, tuple[int, list[str], int]] = {
    1: (2026, ["paris-2015", "kyoto-1997", "montreal-1987", "copenhagen-2009", "kigali-2016", "glasgow-2021",
               "cop27-2022", "london-amendment-1990", "mfo-protocol-1981", "inf-1987", "camp-david-2000"], 30),
}
#: words that give a code away: sentences of descriptions holding them are left out of the blind sample
_GIVEAWAY = re.compile(
    r"bridg|compromise|concession|logroll|cost[- ]cutting|expanding[- ]the[- ]pie|nonspecific|deferral|"
    r"on paper only|nominal|partial|strength|lint|coded|coding|waiv|integrative|distributive|category",
    re.IGNORECASE,
)


def _clean(text: str | None) -> str | None:
    if not text:
        return None
    kept = [s for s in re.split(r"(?<=[.;])\s+", text) if not _GIVEAWAY.search(s)]
    return " ".join(kept) or None


def _cites(g: Any, attrs: dict[str, Any]) -> list[str]:
    return [f"{g.nodes['Source:' + s]['name']} @ {loc}"
            for s, loc in zip(attrs.get("source_ids", []), attrs.get("locators", []), strict=True)]


def _node_cites(g: Any, n: str) -> list[str]:
    return [f"{g.nodes[s]['name']} @ {loc}" for _, s, k, e in g.out_edges(n, keys=True, data=True) if k == "CITES"
            for loc in e["locators"]]


def _name(g: Any, key: str) -> str:
    return g.nodes[key].get("name") or g.nodes[key]["id"]


def _holders(g: Any, interest: str) -> list[str]:
    return [_name(g, u) for u, _, k in g.in_edges(interest, keys=True) if k == "HAS_INTEREST"]


def items(g: Any, cases: list[str]) -> dict[str, list[tuple[str, dict[str, Any], Any]]]:
    """field -> [(item id, blind texts, coder A's code)] for the given cases."""
    out: dict[str, list[tuple[str, dict[str, Any], Any]]] = {"category": [], "mechanisms": [], "strength": []}
    for n, d in sorted(g.nodes(data=True)):
        case = d.get("negotiation")
        if case not in cases:
            continue
        base = {"case": case, "negotiation": _name(g, f"Negotiation:{case}")}
        if d["type"] == "Interest":
            holders = [(u, e) for u, _, k, e in g.in_edges(n, keys=True, data=True) if k == "HAS_INTEREST"]
            positions = [f"{_name(g, 'Party:' + g.nodes[p]['party'])}: {g.nodes[p]['name']}"
                         for p, _, k in g.in_edges(n, keys=True) if k == "REFLECTS"]
            texts = {**base, "interest": d["name"], "description": _clean(d.get("description")),
                     "held_by": [_name(g, u) for u, _ in holders], "behind_positions": positions,
                     "citations": [c for _, e in holders for c in _cites(g, e)]}
            out["category"].append((f"interest:{d['id']}", texts, d["category"]))
        elif d["type"] == "Provision":
            serves = [v for _, v, k in g.out_edges(n, keys=True) if k == "SERVES"]
            texts = {**base, "agreement": _name(g, f"Agreement:{d['agreement']}"), "provision": d["name"],
                     "locator": d["locator"], "description": _clean(d.get("description")),
                     "addresses": [_name(g, v) for _, v, k in g.out_edges(n, keys=True) if k == "ADDRESSES"],
                     "serves": [f"{_name(g, v)} (held by {', '.join(_holders(g, v))})" for v in serves],
                     "traded_for": [f"{_name(g, v)} ({'; '.join(_cites(g, e))})" for _, v, k, e in
                                    g.out_edges(n, keys=True, data=True) if k == "TRADED_FOR"],
                     "funded_by": [_name(g, u) for u, _, k in g.in_edges(n, keys=True) if k == "FUNDS"],
                     "citations": _node_cites(g, n)}
            mech = sorted(g.nodes[m]["id"] for _, m, k in g.out_edges(n, keys=True) if k == "USES_MECHANISM")
            out["mechanisms"].append((f"provision:{d['id']}", {k: v for k, v in texts.items() if v}, mech))
            for _, v, k, e in g.out_edges(n, keys=True, data=True):
                if k != "SERVES":
                    continue
                holders = _holders(g, v)
                t = {**base, "provision": d["name"], "locator": d["locator"],
                     "provision_description": _clean(d.get("description")), "interest": _name(g, v),
                     "interest_description": _clean(g.nodes[v].get("description")), "held_by": holders,
                     "citations": _cites(g, e)}
                out["strength"].append((f"serves:{d['id']}>{g.nodes[v]['id']}", {k: x for k, x in t.items() if x},
                                        e.get("strength")))
    return out


def draw(round_: int) -> None:
    seed, cases, per_field = ROUNDS[round_]
    g = api.graph()
    rng = random.Random(seed)
    sample, codes = [], {}
    for field, pool in items(g, cases).items():
        by_case: dict[str, list[Any]] = {}
        for it in pool:
            by_case.setdefault(it[1]["case"], []).append(it)
        for v in by_case.values():
            rng.shuffle(v)
        order = sorted(by_case)
        rng.shuffle(order)
        chosen: list[Any] = []
        while len(chosen) < per_field and any(by_case.values()):
            for c in order:
                if by_case[c] and len(chosen) < per_field:
                    chosen.append(by_case[c].pop())
        for item_id, texts, code in chosen:
            sample.append({"item": item_id, "field": field, **{k: v for k, v in texts.items() if v}})
            codes[item_id] = code
    order_ids = [s["item"] for s in sample]
    rng.shuffle(sample)  # mixed order: the coder does not see the fields in blocks
    suffix = "" if round_ == 1 else f"-{round_}"
    CODING.mkdir(parents=True, exist_ok=True)
    head = (f"# Round {round_}: seed {seed}, {per_field} items per field from {len(cases)} cases "
            f"(bench/reliability.py). Blind: no codes, no coding notes.\n")
    (CODING / f"sample{suffix}.yaml").write_text(head + yaml.safe_dump({"items": sample}, allow_unicode=True,
                                                                       sort_keys=False, width=110), encoding="utf-8")
    (CODING / f"coder-a{suffix}.yaml").write_text(
        "# Coder A: the corpus's own coding of the sample (the case files at the time of the draw).\n"
        + yaml.safe_dump({"codes": {i: codes[i] for i in order_ids}}, allow_unicode=True, sort_keys=False),
        encoding="utf-8")
    print(f"{len(sample)} items from {len({s['case'] for s in sample})} cases -> {CODING}", file=sys.stderr)


def _family(mechs: list[str]) -> str:
    fams = sorted({model.MECHANISMS[m].family or "" for m in mechs})
    return "+".join(fams)


def measure(round_: int) -> str:
    suffix = "" if round_ == 1 else f"-{round_}"
    sample = yaml.safe_load((CODING / f"sample{suffix}.yaml").read_text(encoding="utf-8"))["items"]
    a = yaml.safe_load((CODING / f"coder-a{suffix}.yaml").read_text(encoding="utf-8"))["codes"]
    b = yaml.safe_load((CODING / f"coder-b{suffix}.yaml").read_text(encoding="utf-8"))["codes"]
    field = {s["item"]: s["field"] for s in sample}
    cases = {s["case"] for s in sample}
    lines = [f"Round {round_}: {len(sample)} items from {len(cases)} cases (seed {ROUNDS[round_][0]}; "
             f"`python bench/reliability.py --round {round_}`).", "",
             "| Field | Items | Raw agreement | Cohen's kappa | Note |", "|---|---|---|---|---|"]
    tables = []

    def add(name: str, xa: list[str], xb: list[str], note: str = "", scale: list[str] | None = None) -> None:
        k = reliability.cohen_kappa(xa, xb)
        extra = f"; linear weighted kappa {reliability.weighted_kappa(xa, xb, scale):.2f}" if scale else ""
        lines.append(f"| {name} | {len(xa)} | {reliability.agreement(xa, xb):.2f} | {k:.2f} | {note}{extra} |")
        labels, table = reliability.confusion(xa, xb)
        t = [f"**{name}** (rows: coder A, the corpus; columns: coder B)", "",
             "| A \\ B | " + " | ".join(labels) + " |", "|---|" + "---|" * len(labels)]
        t += [f"| {lab} | " + " | ".join(str(c) if c else "·" for c in row) + " |"
              for lab, row in zip(labels, table, strict=True)]
        tables.append("\n".join(t) + "\n")

    cat = [i for i in a if field[i] == "category"]
    add("Interest category", [a[i] for i in cat], [b[i] for i in cat])
    mech = [i for i in a if field[i] == "mechanisms"]
    add("Mechanisms (the set of labels)", ["+".join(sorted(a[i])) for i in mech], ["+".join(sorted(b[i])) for i in mech])
    add("Mechanism family", [_family(a[i]) for i in mech], [_family(b[i]) for i in mech],
        "integrative / distributive / deferral, which decides value creation")
    st = [i for i in a if field[i] == "strength"]
    add("SERVES strength", [a[i] for i in st], [b[i] for i in st], "ordinal", scale=["nominal", "partial", "full"])
    return "\n".join(lines) + "\n\n" + "\n".join(tables)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", action="store_true", help="Draw the sample and write the blind sample and coder A.")
    ap.add_argument("--round", type=int, default=1, help="Which round (a fresh sample after a codebook revision).")
    ap.add_argument("--write", action="store_true", help="Write the figures into docs/codebook.md.")
    args = ap.parse_args()
    if args.sample:
        draw(args.round)
        return
    done = [r for r in sorted(ROUNDS) if r <= args.round and (CODING / f"coder-b{'' if r == 1 else f'-{r}'}.yaml").exists()]
    text = "\n".join(measure(r) for r in done)
    print(text)
    if args.write:
        doc = DOC.read_text(encoding="utf-8")
        head, _, rest = doc.partition(BEGIN)
        _, _, tail = rest.partition(END)
        DOC.write_text(f"{head}{BEGIN}\n{text}{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    main()
