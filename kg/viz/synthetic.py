"""Random graphs with the canonical node and edge attributes, for scale tests and benchmarks.

>>> g = synthetic_graph(300, seed=1)
>>> g.number_of_nodes()
300
>>> sorted({d["type"] for _, d in g.nodes(data=True)})[:3]
['Agreement', 'Interest', 'InterestCategory']
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from kg import model

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["synthetic_graph"]


def synthetic_graph(n_nodes: int = 2000, seed: int = 0, n_parties: int = 60, n_sources: int = 40) -> nx.MultiDiGraph:
    """A graph of exactly ``n_nodes`` nodes shaped like the canonical graph: shared parties and sources,
    the vocabularies, and negotiations of ~40 nodes each (issues, interests, positions, an agreement,
    provisions serving interests, with cited evidence)."""
    import networkx as nx

    rnd = random.Random(seed)
    g = nx.MultiDiGraph(name="synthetic")

    def node(t: str, id_: str, **attrs: object) -> str | None:
        if g.number_of_nodes() >= n_nodes:
            return None
        k = model.NODE_TYPES[t].key(id_)
        g.add_node(k, type=t, id=id_, **attrs)
        return k

    def edge(u: str | None, rel: str, v: str | None, **attrs: object) -> None:
        if u and v:
            g.add_edge(u, v, key=rel, rel=rel, **attrs)

    def cite() -> dict[str, list[str]]:
        s = sorted(rnd.sample(sources, 2))
        return {"source_ids": [x.split(":", 1)[1] for x in s], "locators": [f"p. {rnd.randint(1, 400)}" for _ in s]}

    cats = [node("InterestCategory", c, name=x.label, description=x.definition)
            for c, x in model.INTEREST_CATEGORIES.items()]
    mechs = [node("Mechanism", m, name=x.label, description=x.definition, integrative=x.integrative)
             for m, x in model.MECHANISMS.items()]
    sources = [k for i in range(n_sources) if (k := node("Source", f"source-{i}", name=f"Source {i}", kind="scholarly",
                                                          year=1950 + i))]
    parties = [k for i in range(n_parties) if (k := node("Party", f"party-{i}", name=f"Party {i}", kind="state"))]
    c = 0
    while g.number_of_nodes() < n_nodes:
        cid = f"case-{c}"
        c += 1
        neg = node("Negotiation", cid, name=f"Negotiation {c}", domain="synthetic", start_date="1990",
                   end_date="1991", description=f"Synthetic negotiation {c}.")
        who = rnd.sample(parties, 3)
        for p in who:
            edge(p, "PARTICIPATED_IN", neg, role="principal", **cite())
        issues = [node("Issue", f"{cid}/issue-{i}", name=f"Issue {i} of {cid}", negotiation=cid) for i in range(3)]
        for i in issues:
            edge(neg, "CONCERNS", i)
        interests = []
        for i in range(10):
            k = node("Interest", f"{cid}/interest-{i}", name=f"Interest {i} of {cid}", negotiation=cid,
                     category=rnd.choice(list(model.INTEREST_CATEGORIES)), description="A synthetic interest.")
            edge(k, "IN_CATEGORY", rnd.choice(cats))
            for p in rnd.sample(who, rnd.choice((1, 1, 2))):
                edge(p, "HAS_INTEREST", k, salience=rnd.randint(1, 5), **cite())
            interests.append(k)
        for i in range(8):
            p = rnd.choice(who)
            k = node("Position", f"{cid}/position-{i}", name=f"Position {i} of {cid}", negotiation=cid,
                     party=p.split(":", 1)[1], issue=f"{cid}/issue-0")
            edge(p, "HOLDS", k)
            edge(k, "ON_ISSUE", rnd.choice(issues))
            edge(k, "REFLECTS", rnd.choice(interests))
            edge(k, "CITES", rnd.choice(sources), locators=["p. 1"])
        agr = node("Agreement", f"{cid}/agreement", name=f"Agreement of {cid}", negotiation=cid)
        edge(neg, "PRODUCED", agr)
        for i in range(9):
            k = node("Provision", f"{cid}/provision-{i}", name=f"Provision {i} of {cid}", negotiation=cid,
                     agreement=f"{cid}/agreement", locator=f"Art. {i + 1}")
            edge(agr, "CONTAINS", k)
            edge(k, "ADDRESSES", rnd.choice(issues))
            edge(k, "USES_MECHANISM", rnd.choice(mechs))
            edge(k, "CITES", rnd.choice(sources), locators=[f"Art. {i + 1}"])
            for x in rnd.sample([x for x in interests if x], min(2, len([x for x in interests if x]))):
                edge(k, "SERVES", x, **cite())
    return g
