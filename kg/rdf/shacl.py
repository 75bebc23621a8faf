"""SHACL validation of the RDF form of the graph with pySHACL, against the shipped shapes.

>>> from kg.rdf.shacl import shapes_graph
>>> len(shapes_graph()) > 100
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx
    import rdflib

__all__ = ["Violation", "shapes_graph", "validate_rdf", "validate"]


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL result: the focus node, the path (if any), the constraint and the message."""

    focus: str
    path: str
    component: str
    message: str
    value: str = ""

    def __str__(self) -> str:
        where = f"{self.focus} {self.path}" if self.path else self.focus
        return f"shacl: {where}: {self.message} [{self.component}]"


def shapes_graph() -> rdflib.Graph:
    """The shipped SHACL shapes (kg/rdf/shapes.ttl)."""
    import rdflib

    from kg.rdf.ontology import FILES

    return rdflib.Graph().parse(FILES["shapes"], format="turtle")


def validate_rdf(data: rdflib.Graph) -> list[Violation]:
    """Every SHACL violation of an RDF graph (empty when it conforms)."""
    import pyshacl
    from rdflib import RDF, SH

    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes_graph(), inference="none",
                                           advanced=True, allow_warnings=True)
    if conforms:
        return []
    out = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        path = report.value(r, SH.resultPath)
        value = report.value(r, SH.value)
        comp = str(report.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]
        where = "" if path is None else data.namespace_manager.normalizeUri(path)
        out.append(Violation(str(report.value(r, SH.focusNode)), where, comp,
                             str(report.value(r, SH.resultMessage) or ""), "" if value is None else str(value)))
    return sorted(out)


def validate(g: nx.MultiDiGraph) -> list[Violation]:
    """Every SHACL violation of the RDF form of a canonical graph."""
    from kg.rdf.mapping import to_graph

    return validate_rdf(to_graph(g))
