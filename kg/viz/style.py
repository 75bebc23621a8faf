"""How each node type and relation looks: colour, shape, size. One table, shared by every page.

>>> NODE_STYLE["Provision"].shape
'box'
>>> sorted(set(NODE_STYLE) - set(__import__("kg.model").model.NODE_TYPES))
[]
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NodeStyle", "NODE_STYLE", "EDGE_COLOR", "HEADLINE_COLOR", "legend"]


@dataclass(frozen=True)
class NodeStyle:
    color: str
    shape: str
    size: int
    label: str  # plural, for the legend


NODE_STYLE: dict[str, NodeStyle] = {
    "Negotiation": NodeStyle("#6a3d9a", "star", 30, "Negotiations"),
    "Party": NodeStyle("#1f78b4", "dot", 22, "Parties"),
    "Issue": NodeStyle("#b15928", "triangle", 16, "Issues"),
    "Position": NodeStyle("#fb9a99", "square", 12, "Positions"),
    "Interest": NodeStyle("#a6dc8f", "ellipse", 16, "Interests"),
    "Agreement": NodeStyle("#444444", "hexagon", 22, "Agreements"),
    "Provision": NodeStyle("#fdbf6f", "box", 16, "Provisions"),
    "Source": NodeStyle("#a6a6a6", "triangleDown", 9, "Sources"),
    "InterestCategory": NodeStyle("#b2df8a", "dot", 8, "Interest categories"),
    "Mechanism": NodeStyle("#cab2d6", "diamond", 13, "Mechanisms"),
}

#: relation -> edge colour (unlisted relations are grey)
EDGE_COLOR: dict[str, str] = {
    "PARTICIPATED_IN": "#6a3d9a",
    "HAS_INTEREST": "#1f78b4",
    "HOLDS": "#fb9a99",
    "REFLECTS": "#33a02c",
    "SERVES": "#ff7f00",
    "CONTAINS": "#444444",
    "TRADED_FOR": "#e31a1c",
    "FUNDS": "#e31a1c",
    "USES_MECHANISM": "#cab2d6",
    "CITES": "#cccccc",
    "IN_CATEGORY": "#b2df8a",
}
#: border and edge colour of the headline: shared interests, value-creating provisions, their SERVES links
HEADLINE_COLOR = "#d4a017"


def legend(types: set[str] | None = None) -> list[dict[str, str]]:
    """Legend rows (type, label, colour, shape) in model order, limited to ``types`` when given.

    >>> [r["type"] for r in legend({"Party", "Provision"})]
    ['Party', 'Provision']
    """
    return [{"type": t, "label": s.label, "color": s.color, "shape": s.shape}
            for t, s in NODE_STYLE.items() if types is None or t in types]
