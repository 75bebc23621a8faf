"""The authoring format: pydantic models of the YAML files, with the vocabularies from :mod:`kg.model`.

These models check shape, types and vocabularies; :mod:`kg.load` adds the checks that span
documents (references, duplicate ids, sources). ``negkg schema`` writes the JSON Schema that
editors use, derived from these models.

>>> Citation(source="egypt-israel-treaty-1979", locator="Annex I, Art. II").locator
'Annex I, Art. II'
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from kg import model

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
QID = r"^Q[1-9][0-9]*$"
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def _vocab(kind: str, vocab: dict[str, model.Concept]) -> Any:
    """A string field restricted to one vocabulary, with a message naming the bad value."""

    def check(value: str) -> str:
        if value not in vocab:
            raise ValueError(f"unknown {kind} {value!r} (expected one of: {', '.join(vocab)})")
        return value

    return Annotated[str, AfterValidator(check), WithJsonSchema({"type": "string", "enum": list(vocab)})]


def _date(value: Any) -> Any:
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, int) and 1000 <= value <= 9999:
        return str(value)
    if isinstance(value, str) and not _DATE.match(value):
        raise ValueError(f"not a date {value!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    return value


Slug = Annotated[str, Field(pattern=SLUG, min_length=1, max_length=80)]
Text = Annotated[str, Field(min_length=1, max_length=4000)]
Date = Annotated[
    str,
    BeforeValidator(_date),
    WithJsonSchema(
        {"anyOf": [{"type": "string", "pattern": _DATE.pattern}, {"type": "integer", "minimum": 1000, "maximum": 9999}]}
    ),
]
Qid = Annotated[str, Field(pattern=QID)]
Category = _vocab("interest category", model.INTEREST_CATEGORIES)
MechanismId = _vocab("mechanism", model.MECHANISMS)
PartyKind = _vocab("party kind", model.PARTY_KINDS)
Role = _vocab("role", model.ROLES)
SourceKind = _vocab("source kind", model.SOURCE_KINDS)
Uncertain = Annotated[
    str | None,
    Field(
        default=None, min_length=1, max_length=2000, description="Why this fact is uncertain; absent when the record is clear."
    ),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Citation(_Strict):
    """A pointer into a source: which source, and where in it."""

    source: Slug
    locator: Text = Field(description="Page, article, paragraph or section, e.g. 'Art. IV(1)' or 'pp. 212-215'.")
    uncertain: Uncertain = None


Sources = Annotated[list[Citation], Field(default_factory=list)]
Claimed = Annotated[list[Citation], Field(min_length=1, description="At least one citation.")]


class SourceDoc(_Strict):
    id: Slug
    kind: SourceKind
    title: Text
    authors: list[Text] = Field(default_factory=list)
    year: int | None = Field(default=None, ge=1000, le=2100)
    publisher: str | None = None
    url: str | None = Field(default=None, pattern=r"^https?://")
    citation: str | None = Field(default=None, description="Full bibliographic reference as it should print.")
    uncertain: Uncertain = None


class PartyDoc(_Strict):
    id: Slug
    name: Text
    kind: PartyKind
    wikidata: Qid | None = None
    member_of: list[Slug] = Field(default_factory=list)
    description: str | None = None
    uncertain: Uncertain = None


class PartiesFile(_Strict):
    parties: list[PartyDoc]


class SourcesFile(_Strict):
    sources: list[SourceDoc]


class Participation(_Strict):
    party: Slug
    role: Role
    sources: Sources
    uncertain: Uncertain = None


class IssueDoc(_Strict):
    id: Slug
    name: Text
    description: str | None = None
    uncertain: Uncertain = None


class Holder(_Strict):
    party: Slug
    salience: int | None = Field(
        default=None, ge=1, le=5, description="1 (minor) to 5 (vital), only where the evidence supports one."
    )
    sources: Claimed
    uncertain: Uncertain = None


class InterestDoc(_Strict):
    id: Slug
    name: Text
    category: Category
    description: str | None = None
    holders: list[Holder] = Field(min_length=1)
    uncertain: Uncertain = None


class PositionDoc(_Strict):
    id: Slug
    party: Slug
    issue: Slug
    name: Text = Field(description="The position in a short sentence.")
    description: str | None = None
    reflects: list[Slug] = Field(default_factory=list, description="Interests this position expresses.")
    sources: Claimed
    uncertain: Uncertain = None


class Serves(_Strict):
    interest: Slug
    sources: Claimed
    uncertain: Uncertain = None


class TradedFor(_Strict):
    provision: Slug
    sources: Claimed
    uncertain: Uncertain = None


class FundedBy(_Strict):
    party: Slug
    sources: Claimed
    uncertain: Uncertain = None


class ProvisionDoc(_Strict):
    id: Slug
    name: Text
    locator: Text = Field(description="Exact place in the agreement, e.g. 'Art. IV(1)', 'Annex I', 'Decision 1/CP.21 para 51'.")
    description: str | None = None
    addresses: list[Slug] = Field(default_factory=list)
    mechanisms: list[MechanismId] = Field(min_length=1)
    serves: list[Serves] = Field(default_factory=list)
    traded_for: list[TradedFor] = Field(default_factory=list)
    funded_by: list[FundedBy] = Field(default_factory=list)
    sources: Claimed
    uncertain: Uncertain = None


class AgreementDoc(_Strict):
    id: Slug
    name: Text
    date_signed: Date | None = None
    date_in_force: Date | None = None
    wikidata: Qid | None = None
    description: str | None = None
    sources: Sources
    provisions: list[ProvisionDoc] = Field(min_length=1)
    uncertain: Uncertain = None


class CaseDoc(_Strict):
    """One negotiation: the top level of a file under data/cases/."""

    id: Slug
    name: Text
    domain: Annotated[str, Field(pattern=SLUG, description="e.g. climate, peace, commons, nuclear")]
    start_date: Date
    end_date: Date
    venue: str | None = None
    wikidata: Qid | None = None
    description: Text
    sources: list[SourceDoc] = Field(default_factory=list, description="Sources used only by this case.")
    parties: list[Participation] = Field(min_length=2)
    issues: list[IssueDoc] = Field(min_length=1)
    interests: list[InterestDoc] = Field(min_length=1)
    positions: list[PositionDoc] = Field(default_factory=list)
    agreements: list[AgreementDoc] = Field(default_factory=list)
    uncertain: Uncertain = None


def json_schemas() -> dict[str, dict[str, Any]]:
    """JSON Schemas of the three file kinds, for editors (keyed by file name)."""
    out = {}
    for name, cls in (("case", CaseDoc), ("parties", PartiesFile), ("sources", SourcesFile)):
        schema = cls.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"https://w3id.org/negotiation-kg/schema/{name}.schema.json"
        out[f"{name}.schema.json"] = schema
    return out
