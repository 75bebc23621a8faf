"""A synthetic corpus for scale tests, written as ordinary case files so it goes through the real loader.

Shapes follow the curated cases: 2-6 principals plus occasional mediators, 6-12 interests (about one in five
shared), 8-14 provisions with one or two mechanisms (mostly integrative), positions for every principal, a
treaty text and an account as sources. Parties are reused across negotiations with a Zipf-like skew, as the
USA, the EU and China recur in the real corpus. The same seed gives the same files.

>>> import tempfile
>>> from kg import api
>>> d = generate(3, seed=1, out_dir=tempfile.mkdtemp())
>>> len(api.load(data_dir=d).cases)
3
"""

from __future__ import annotations

import os
import random
from pathlib import Path
from typing import Any

import yaml

from kg import model
from kg.io import atomic_dir

__all__ = ["generate"]

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_CATS = list(model.INTEREST_CATEGORIES)
_INTEGRATIVE = sorted(model.INTEGRATIVE_MECHANISMS)
_OTHER = sorted(set(model.MECHANISMS) - model.INTEGRATIVE_MECHANISMS)
_KINDS = ["state"] * 8 + ["coalition", "international-organization"]


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=120)


def _cite(rng: random.Random, source: str, prefix: str) -> list[dict[str, str]]:
    return [{"source": source, "locator": f"{prefix} {rng.randint(1, 40)}"}]


def _case(rng: random.Random, i: int, parties: list[str], weights: list[float]) -> dict[str, Any]:
    cid = f"synth-{i:06d}"
    n_principals = rng.choice([2, 2, 2, 3, 3, 4, 6])
    chosen: list[str] = []
    while len(chosen) < n_principals:
        p = rng.choices(parties, weights)[0]
        if p not in chosen:
            chosen.append(p)
    third = [p for p in rng.sample(parties, 2) if p not in chosen][: rng.choice([0, 0, 1])]
    part = [{"party": p, "role": "principal"} for p in chosen] + [{"party": p, "role": "mediator"} for p in third]
    everyone = chosen + third
    issues = [{"id": f"issue-{k}", "name": f"Issue {k} of {cid}"} for k in range(rng.randint(3, 6))]
    interests = []
    for k in range(rng.randint(6, 12)):
        holders = rng.sample(everyone, 2 if rng.random() < 0.2 and len(everyone) > 1 else 1)
        interests.append(
            {
                "id": f"interest-{k}",
                "name": f"Interest {k} of {cid}",
                "category": rng.choice(_CATS),
                "holders": [{"party": h, "salience": rng.randint(1, 5), "sources": _cite(rng, "account", "p.")} for h in holders],
            }
        )
    held = {p: [x["id"] for x in interests if any(h["party"] == p for h in x["holders"])] for p in everyone}
    positions = []
    for p in chosen:
        for k in range(rng.randint(1, 2)):
            refl = held[p][:1] or [interests[0]["id"]]
            positions.append(
                {
                    "id": f"position-{p}-{k}",
                    "party": p,
                    "issue": rng.choice(issues)["id"],
                    "name": f"{p} demands outcome {k}",
                    "reflects": refl,
                    "sources": _cite(rng, "account", "p."),
                }
            )
    provisions = []
    for k in range(rng.randint(8, 14)):
        mech = [rng.choice(_INTEGRATIVE if rng.random() < 0.7 else _OTHER)]
        served = rng.sample(interests, rng.choice([0, 1, 1, 2, 2, 3]))
        provisions.append(
            {
                "id": f"provision-{k}",
                "name": f"Provision {k} of {cid}",
                "locator": f"Art. {k + 1}",
                "addresses": [rng.choice(issues)["id"]],
                "mechanisms": mech,
                "serves": [{"interest": x["id"], "sources": _cite(rng, "treaty", "Art.")} for x in served],
                "sources": _cite(rng, "treaty", "Art."),
            }
        )
    if len(provisions) > 3 and rng.random() < 0.3:
        provisions[1]["traded_for"] = [{"provision": provisions[2]["id"], "sources": _cite(rng, "account", "p.")}]
    year = rng.randint(1945, 2020)
    return {
        "id": cid,
        "name": f"Synthetic negotiation {i}",
        "domain": rng.choice(["climate", "peace", "commons", "trade"]),
        "start_date": str(year),
        "end_date": str(year + rng.randint(0, 3)),
        "description": "Synthetic case generated for scale tests.",
        "sources": [
            {"id": "treaty", "kind": "treaty-text", "title": f"Treaty of {cid}", "year": year},
            {"id": "account", "kind": "scholarly", "title": f"An account of {cid}", "year": year + 5},
        ],
        "parties": part,
        "issues": issues,
        "interests": interests,
        "positions": positions,
        "agreements": [
            {
                "id": "agreement",
                "name": f"Agreement of {cid}",
                "date_signed": str(year),
                "sources": _cite(rng, "treaty", "Art."),
                "provisions": provisions,
            }
        ],
    }


def generate(negotiations: int, seed: int = 0, out_dir: str | os.PathLike[str] = "out/synth", parties: int | None = None) -> Path:
    """Write ``negotiations`` synthetic cases plus registries as the directory ``out_dir``; return it.

    The directory is written whole and swapped in atomically; an existing one is replaced only when negkg
    wrote it (:func:`kg.io.atomic_dir`).
    """
    rng = random.Random(seed)
    root = Path(out_dir)
    n_parties = parties or max(20, negotiations // 4)
    ids = [f"party-{k:05d}" for k in range(n_parties)]
    weights = [1 / (rank + 1) ** 1.1 for rank in range(n_parties)]
    with atomic_dir(root) as tmp:  # the whole corpus at once; an earlier one is replaced only if negkg wrote it
        (tmp / "parties.yaml").write_text(
            _dump({"parties": [{"id": p, "name": f"Party {k}", "kind": _KINDS[k % len(_KINDS)]} for k, p in enumerate(ids)]}),
            encoding="utf-8",
        )
        (tmp / "sources.yaml").write_text(_dump({"sources": []}), encoding="utf-8")
        (tmp / "cases").mkdir()
        for i in range(1, negotiations + 1):
            doc = _case(rng, i, ids, weights)
            (tmp / "cases" / f"{doc['id']}.yaml").write_text(_dump(doc), encoding="utf-8")
    return root
