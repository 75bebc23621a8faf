"""The domain model: node types, relations and vocabularies, defined once.

Everything else derives from this module: the authoring schema (:mod:`kg.schema`),
the canonical graph (:mod:`kg.graph`), the RDF/OWL/SHACL mapping, the property-graph
mapping, the docs and the tests. Nothing here imports a heavy library.

>>> NODE_TYPES["Provision"].key("camp-david-1978/limited-force-zones")
'Provision:camp-david-1978/limited-force-zones'
>>> RELATIONS["SERVES"].source, RELATIONS["SERVES"].target
('Provision', 'Interest')
>>> "security" in INTEREST_CATEGORIES
True
>>> sorted(INTEGRATIVE_MECHANISMS)[:2], sorted(DISTRIBUTIVE_MECHANISMS)
(['bridging', 'cost-cutting'], ['compromise', 'concession'])
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "NodeType",
    "Relation",
    "Concept",
    "NODE_TYPES",
    "RELATIONS",
    "INTEREST_CATEGORIES",
    "MECHANISMS",
    "INTEGRATIVE_MECHANISMS",
    "DISTRIBUTIVE_MECHANISMS",
    "MECHANISM_FAMILIES",
    "STRENGTHS",
    "STRENGTH_RANK",
    "MEETING_STRENGTHS",
    "STATUSES",
    "PARTY_KINDS",
    "ROLES",
    "VALUE_ROLES",
    "UNMET_ROLES",
    "SOURCE_KINDS",
    "VOCABULARIES",
    "EVIDENCE_RELATIONS",
    "CITED_RELATIONS",
    "LIST_PROPERTIES",
]


@dataclass(frozen=True)
class Concept:
    """One entry of a controlled vocabulary."""

    id: str
    label: str
    definition: str
    integrative: bool | None = None  # only meaningful for mechanisms
    family: str | None = None  # mechanisms: integrative, distributive or deferral


@dataclass(frozen=True)
class NodeType:
    """A node label of the graph and the properties its nodes carry."""

    name: str
    definition: str
    properties: tuple[str, ...]
    case_scoped: bool = True  # ids are qualified by the case id ("case/slug")

    def key(self, id_: str) -> str:
        """The networkx node key for an entity id of this type."""
        return f"{self.name}:{id_}"


@dataclass(frozen=True)
class Relation:
    """A relationship type: its endpoints, properties, and whether it carries evidence."""

    name: str
    source: str
    target: str
    definition: str
    properties: tuple[str, ...] = ()
    evidence: bool = False  # the relation itself is a claim and cites sources
    extension: bool = False  # added beyond the v1 model (see docs/model.md)


def _concepts(*rows: tuple[str, str, str] | tuple[str, str, str, bool]) -> dict[str, Concept]:
    return {r[0]: Concept(*r) for r in rows}  # type: ignore[arg-type]


INTEREST_CATEGORIES: dict[str, Concept] = _concepts(
    ("security", "Security", "Protection from military threat, attack or violence."),
    ("sovereignty", "Sovereignty", "Control over territory, resources or decisions; freedom from outside rule."),
    ("economic", "Economic", "Wealth, trade, growth, costs, finance and access to markets or technology."),
    ("domestic-politics", "Domestic politics", "Survival and standing of leaders and coalitions at home; ratification."),
    ("recognition", "Recognition", "Legitimacy, status, dignity or acknowledgement by others."),
    ("environment", "Environment", "Protection of ecosystems, the climate or the ozone layer."),
    ("humanitarian", "Humanitarian", "Welfare, rights and safety of people, including refugees and victims."),
    ("legal-order", "Legal order", "Clear, lasting, enforceable rules and institutions; precedent."),
    ("relationship", "Relationship", "The quality of the parties' ongoing relations with each other or with third parties."),
)

MECHANISM_FAMILIES: dict[str, str] = {
    "integrative": "Creates value: the parties together get more than a split of the original demands (Pruitt 1981; "
    "Walton and McKersie 1965).",
    "distributive": "Claims value: one side's gain is the other's loss on the dimension settled (Walton and McKersie 1965).",
    "deferral": "Neither: the issue is postponed to a later process, so no value is created or claimed yet.",
}

MECHANISMS: dict[str, Concept] = _concepts(
    (
        "expanding-the-pie",
        "Expanding the pie",
        "Adds resources or options so that every side can get more.",
        True,
        "integrative",
    ),
    (
        "nonspecific-compensation",
        "Nonspecific compensation",
        "One side gets what it wants and pays the other in an unrelated currency.",
        True,
        "integrative",
    ),
    (
        "logrolling",
        "Logrolling",
        "Each side concedes on issues it values less to win on those it values more; judged as a package.",
        True,
        "integrative",
    ),
    (
        "cost-cutting",
        "Cost cutting",
        "One side gets what it wants while the other's costs of conceding are reduced.",
        True,
        "integrative",
    ),
    (
        "bridging",
        "Bridging",
        "A new option serves the interests underlying both sides' positions.",
        True,
        "integrative",
    ),
    ("compromise", "Compromise", "The sides split the difference on a single dimension.", False, "distributive"),
    ("concession", "Concession", "One side gives way with no matching gain.", False, "distributive"),
    ("deferral", "Deferral", "The issue is postponed to a later process or negotiation.", False, "deferral"),
)
INTEGRATIVE_MECHANISMS: frozenset[str] = frozenset(k for k, c in MECHANISMS.items() if c.family == "integrative")
DISTRIBUTIVE_MECHANISMS: frozenset[str] = frozenset(k for k, c in MECHANISMS.items() if c.family == "distributive")

#: how fully a provision serves an interest (the SERVES strength)
STRENGTHS: dict[str, Concept] = _concepts(
    ("full", "Full", "The provision gives the interest what it needed, and it was implemented."),
    ("partial", "Partial", "The provision serves the interest in part, or with limits the holder had resisted."),
    (
        "nominal",
        "Nominal",
        "On paper only: the provision mentions the interest but was not implemented, was emptied of substance, "
        "or expressly excludes what the holder sought.",
    ),
)
#: strengths in increasing order; "none" (no provision serves the interest) ranks 0
STRENGTH_RANK: dict[str, int] = {"none": 0, "nominal": 1, "partial": 2, "full": 3}
#: the strengths at which an interest counts as served (met) and a provision as serving it in substance
MEETING_STRENGTHS: frozenset[str] = frozenset({"partial", "full"})

STATUSES: dict[str, Concept] = _concepts(
    ("concluded", "Concluded", "The negotiation produced at least one agreement."),
    ("ongoing", "Ongoing", "The negotiation has not ended; no agreement yet."),
    ("failed", "Failed", "The negotiation ended without the agreement it sought."),
)

PARTY_KINDS: dict[str, Concept] = _concepts(
    ("state", "State", "A sovereign state."),
    ("coalition", "Coalition", "A negotiating group of states, such as the G77 or AOSIS."),
    ("international-organization", "International organization", "An intergovernmental body such as the UN or the World Bank."),
    ("political-party", "Political party", "A party or movement in domestic politics."),
    ("non-state-actor", "Non-state actor", "An armed group, liberation organization, NGO or firm."),
)

ROLES: dict[str, Concept] = _concepts(
    ("principal", "Principal", "A party whose own commitments are negotiated."),
    ("mediator", "Mediator", "A third party that actively shapes proposals."),
    ("facilitator", "Facilitator", "A third party that hosts or chairs without proposing terms."),
    ("guarantor", "Guarantor", "A third party that underwrites the agreement."),
    ("observer", "Observer", "A party present without a negotiating role."),
    (
        "affected",
        "Affected party",
        "A party not at the table whose interests the agreement decided (e.g. the Palestinians at Camp David).",
    ),
)
#: roles whose interests make a provision value-creating
VALUE_ROLES: frozenset[str] = frozenset({"principal"})
#: roles whose interests are reported as unmet when no provision serves them in substance
UNMET_ROLES: frozenset[str] = frozenset({"principal", "affected"})

SOURCE_KINDS: dict[str, Concept] = _concepts(
    ("treaty-text", "Treaty or decision text", "The authoritative text of an agreement or decision."),
    ("official", "Official record", "Government or organization documents, statements and records."),
    ("scholarly", "Scholarly account", "Peer-reviewed articles and academic books."),
    ("memoir", "Memoir", "A participant's own account."),
    ("journalistic", "Journalistic account", "Contemporary reporting."),
)

VOCABULARIES: dict[str, dict[str, Concept]] = {
    "InterestCategory": INTEREST_CATEGORIES,
    "Mechanism": MECHANISMS,
    "PartyKind": PARTY_KINDS,
    "Role": ROLES,
    "SourceKind": SOURCE_KINDS,
    "ServingStrength": STRENGTHS,
    "NegotiationStatus": STATUSES,
}

_COMMON = ("id", "name", "description", "uncertain")

NODE_TYPES: dict[str, NodeType] = {
    t.name: t
    for t in (
        NodeType(
            "Negotiation",
            "A negotiation process, from first talks to signature (or to failure, or still under way).",
            (*_COMMON, "domain", "status", "start_date", "end_date", "venue", "wikidata"),
            case_scoped=False,
        ),
        NodeType(
            "Party",
            "A state, coalition, organization or movement that took part in negotiations.",
            (*_COMMON, "kind", "wikidata"),
            case_scoped=False,
        ),
        NodeType("Issue", "A question on the table in a negotiation.", (*_COMMON, "negotiation")),
        NodeType(
            "Position",
            "What a party publicly demanded on an issue.",
            (*_COMMON, "negotiation", "party", "issue", "lint_waivers"),
        ),
        NodeType(
            "Interest",
            "A need, concern or goal: the reason behind positions.",
            (*_COMMON, "negotiation", "category", "lint_waivers"),
        ),
        NodeType(
            "Agreement",
            "A text adopted or signed in a negotiation.",
            (*_COMMON, "negotiation", "date_adopted", "date_signed", "date_in_force", "wikidata"),
        ),
        NodeType(
            "Provision",
            "An article, paragraph or annex of an agreement.",
            (*_COMMON, "negotiation", "agreement", "locator", "deferred_to", "lint_waivers"),
        ),
        NodeType(
            "Source",
            "A document that supports claims: a treaty text or an account.",
            ("id", "name", "uncertain", "kind", "authors", "year", "publisher", "url", "citation"),
            case_scoped=False,
        ),
        NodeType(
            "InterestCategory", "A vocabulary concept classifying interests.", ("id", "name", "description"), case_scoped=False
        ),
        NodeType(
            "Mechanism",
            "A vocabulary concept naming how a provision settles an issue.",
            ("id", "name", "description", "integrative", "family"),
            case_scoped=False,
        ),
    )
}

EVIDENCE = ("source_ids", "locators", "uncertain")

RELATIONS: dict[str, Relation] = {
    r.name: r
    for r in (
        Relation("PARTICIPATED_IN", "Party", "Negotiation", "The party took part, in the given role.", ("role", *EVIDENCE)),
        Relation("CONCERNS", "Negotiation", "Issue", "The issue was on the table."),
        Relation("HOLDS", "Party", "Position", "The party took the position."),
        Relation("ON_ISSUE", "Position", "Issue", "The position is about the issue."),
        Relation("REFLECTS", "Position", "Interest", "The position expresses the interest."),
        Relation("HAS_INTEREST", "Party", "Interest", "The party held the interest.", ("salience", *EVIDENCE), evidence=True),
        Relation("IN_CATEGORY", "Interest", "InterestCategory", "The interest's category."),
        Relation("PRODUCED", "Negotiation", "Agreement", "The negotiation produced the agreement."),
        Relation("CONTAINS", "Agreement", "Provision", "The agreement contains the provision."),
        Relation("ADDRESSES", "Provision", "Issue", "The provision settles, or defers, the issue."),
        Relation(
            "SERVES",
            "Provision",
            "Interest",
            "The provision serves the interest, at a strength (full, partial or nominal).",
            ("strength", *EVIDENCE),
            evidence=True,
        ),
        Relation("USES_MECHANISM", "Provision", "Mechanism", "How the provision settles its issue."),
        # CITES leaves any node whose content is a claim (Position, Provision, Interest, Agreement, ...).
        Relation(
            "CITES", "*", "Source", "The node's claims are supported by the source, at the locator.", ("locators", "uncertain")
        ),
        Relation(
            "TRADED_FOR",
            "Provision",
            "Provision",
            "The provision was conceded in exchange for the other.",
            EVIDENCE,
            evidence=True,
            extension=True,
        ),
        Relation(
            "FUNDS",
            "Party",
            "Provision",
            "The party pays for or underwrites the provision (amount, currency and year where sourced).",
            ("amount", "currency", "year", *EVIDENCE),
            evidence=True,
            extension=True,
        ),
        Relation("MEMBER_OF", "Party", "Party", "The party is a member of the coalition or organization.", extension=True),
        Relation(
            "FOLLOWS",
            "Negotiation",
            "Negotiation",
            "The negotiation took up where the earlier one left off (a follow-up, a sequel, a renewed attempt).",
            EVIDENCE,
            evidence=True,
            extension=True,
        ),
        Relation(
            "CONTINUES",
            "Interest",
            "Interest",
            "The interest is the same party's same underlying concern as an interest of an earlier negotiation.",
            EVIDENCE,
            evidence=True,
            extension=True,
        ),
    )
}

#: properties whose values are lists of strings (on nodes and relations alike)
LIST_PROPERTIES: frozenset[str] = frozenset({"authors", "source_ids", "locators", "lint_waivers"})
#: node types whose existence is a claim that must cite sources
CLAIM_NODE_TYPES: tuple[str, ...] = ("Position", "Provision")
#: relations that are claims and must cite sources
EVIDENCE_RELATIONS: tuple[str, ...] = tuple(r.name for r in RELATIONS.values() if r.evidence)
#: relations that may carry sources on the edge (evidence relations, plus PARTICIPATED_IN where sourced)
CITED_RELATIONS: tuple[str, ...] = tuple(r.name for r in RELATIONS.values() if "source_ids" in r.properties)
