"""How each node type and relation looks: colour, shape, label box. One table, shared by every page and by
:func:`kg.network` (pyvis).

Node types are told apart by colour (the border, and the fill of the label box); interests are filled with
the colour of their interest category and provisions with that of their mechanism family, so the vocabulary
shows without drawing its concepts as hub nodes.

>>> NODE_STYLE["Provision"].shape
'box'
>>> sorted(set(NODE_STYLE) - set(__import__("kg.model").model.NODE_TYPES))
[]
>>> category_fill("security"), family_fill("integrative")
('#f6cfcf', '#ffe3b8')
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NodeStyle", "NODE_STYLE", "EDGE_COLOR", "HEADLINE_COLOR", "CATEGORY_FILL", "FAMILY_FILL", "FONT_PX",
           "MIN_LABEL_PX", "legend", "category_fill", "family_fill"]

#: size of node labels in canvas pixels; the default view is never zoomed out below MIN_LABEL_PX / FONT_PX
FONT_PX = 14
#: the smallest label, in CSS pixels, the default view of a page shows
MIN_LABEL_PX = 12


@dataclass(frozen=True)
class NodeStyle:
    color: str  # the type's colour: border, legend swatch
    shape: str  # vis-network shape; label-inside shapes keep wrapped labels readable
    fill: str  # background of the label box
    width: int  # width of the label box in the layered view (canvas pixels); long names wrap within it
    label: str  # plural, for the legend

    @property
    def size(self) -> int:
        """A node size for the picture exports (GEXF viz:size, yEd): wider boxes, bigger nodes."""
        return round(self.width / 10)


NODE_STYLE: dict[str, NodeStyle] = {
    "Negotiation": NodeStyle("#6a3d9a", "box", "#e8def3", 200, "Negotiations"),
    "Party": NodeStyle("#1f78b4", "box", "#d5e5f4", 130, "Parties"),
    "Issue": NodeStyle("#b15928", "box", "#f4e3d5", 190, "Issues"),
    "Position": NodeStyle("#d9534f", "box", "#fbe1e0", 200, "Positions"),
    "Interest": NodeStyle("#4d9a2f", "box", "#e3f1da", 200, "Interests"),
    "Agreement": NodeStyle("#444444", "database", "#e4e4e4", 160, "Agreements"),
    "Provision": NodeStyle("#c77c02", "box", "#fff0d6", 220, "Provisions"),
    "Source": NodeStyle("#7f7f7f", "box", "#f1f1f1", 200, "Sources"),
    "InterestCategory": NodeStyle("#6f9a4f", "box", "#eef5e8", 120, "Interest categories"),
    "Mechanism": NodeStyle("#8e6bb0", "box", "#efe8f5", 130, "Mechanisms"),
}

#: interest category -> fill of an interest's label box (unlisted categories: the Interest fill)
CATEGORY_FILL: dict[str, str] = {
    "security": "#f6cfcf",
    "sovereignty": "#ddd5ee",
    "economic": "#fff0c2",
    "domestic-politics": "#fde0c5",
    "recognition": "#cfe6ea",
    "environment": "#d6ecd0",
    "humanitarian": "#f1d4e4",
    "legal-order": "#d2e3f5",
    "relationship": "#e8e6c6",
}

#: mechanism family -> fill of a provision's label box (integrative first when a provision mixes families)
FAMILY_FILL: dict[str, str] = {
    "integrative": "#ffe3b8",
    "deferral": "#dfe6ef",
    "distributive": "#e6e6e6",
}

#: relation -> edge colour (unlisted relations are grey)
EDGE_COLOR: dict[str, str] = {
    "PARTICIPATED_IN": "#6a3d9a",
    "HAS_INTEREST": "#1f78b4",
    "HOLDS": "#d9534f",
    "REFLECTS": "#33a02c",
    "SERVES": "#ff7f00",
    "CONTAINS": "#444444",
    "TRADED_FOR": "#e31a1c",
    "FUNDS": "#e31a1c",
    "USES_MECHANISM": "#8e6bb0",
    "CITES": "#bbbbbb",
    "IN_CATEGORY": "#6f9a4f",
}
#: border and edge colour of the headline: shared interests, value-creating provisions, their paths
HEADLINE_COLOR = "#d4a017"


def category_fill(category: str | None) -> str:
    """The fill of an interest of ``category``."""
    return CATEGORY_FILL.get(category or "", NODE_STYLE["Interest"].fill)


def family_fill(family: str | None) -> str:
    """The fill of a provision whose mechanisms are of ``family``."""
    return FAMILY_FILL.get(family or "", NODE_STYLE["Provision"].fill)


def legend(types: set[str] | None = None) -> list[dict[str, str]]:
    """Legend rows (type, label, colour, fill, shape) in model order, limited to ``types`` when given.

    >>> [r["type"] for r in legend({"Party", "Provision"})]
    ['Party', 'Provision']
    """
    return [{"type": t, "label": s.label, "color": s.color, "fill": s.fill, "shape": s.shape}
            for t, s in NODE_STYLE.items() if types is None or t in types]
