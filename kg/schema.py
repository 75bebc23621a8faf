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

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

from kg import model

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
QID = r"^Q[1-9][0-9]*$"
URL = r"^https?://[^\s\"'<>\\`{}|^]+$"
#: a case-scoped id in another case: "case-id/slug"
CASE_REF = r"^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$"
CURRENCY = r"^[A-Z]{3}$"
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
#: control characters refused in text (C0 but tab and line feed, DEL, C1), and bidirectional overrides
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _vocab(kind: str, vocab: dict[str, model.Concept]) -> Any:
    """A string field restricted to one vocabulary, with a message naming the bad value."""

    def check(value: str) -> str:
        if value not in vocab:
            raise ValueError(f"unknown {kind} {value!r} (expected one of: {', '.join(vocab)})")
        return value

    return Annotated[str, AfterValidator(check), WithJsonSchema({"type": "string", "enum": list(vocab)})]


def _date(value: Any) -> Any:
    if isinstance(value, _dt.datetime):
        raise ValueError(f"a date has no time of day (got {value.isoformat()!r}; expected YYYY, YYYY-MM or YYYY-MM-DD)")
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, int) and 1000 <= value <= 9999:
        return str(value)
    if isinstance(value, str):
        m = _DATE.match(value)
        if not m:
            raise ValueError(f"not a date {value!r} (expected YYYY, YYYY-MM or YYYY-MM-DD)")
        y, mo, d = (int(x) if x else None for x in m.groups())
        try:
            _dt.date(y or 1, mo or 1, d or 1)
        except ValueError:
            raise ValueError(f"no such date {value!r}") from None
    return value


def _plain(value: str) -> str:
    """Refuse control characters (other than tab and line feed) and bidirectional overrides in text."""
    if m := _CONTROL.search(value):
        raise ValueError(f"control character U+{ord(m.group()):04X} at offset {m.start()} is not allowed in text")
    return value


Slug = Annotated[str, Field(pattern=SLUG, min_length=1, max_length=80)]
#: any text field: 1 to 4,000 characters, no control characters but tab and line feed
Text = Annotated[str, Field(min_length=1, max_length=4000), AfterValidator(_plain)]
CaseRef = Annotated[str, Field(pattern=CASE_REF, max_length=161, description="An id in another case: 'case-id/slug'.")]
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
Strength = _vocab("strength", model.STRENGTHS)
Status = _vocab("status", model.STATUSES)
Uncertain = Annotated[
    str | None,
    Field(
        default=None, min_length=1, max_length=2000, description="Why this fact is uncertain; absent when the record is clear."
    ),
    AfterValidator(lambda v: v if v is None else _plain(v)),
]
Description = Annotated[Text | None, Field(default=None)]
#: lint rule id -> why the warning is accepted (see kg/lint.py)
LintWaivers = Annotated[
    dict[Slug, Text],
    Field(default_factory=dict, description="Lint warnings reviewed and accepted: rule id -> written justification."),
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
    publisher: Text | None = None
    url: str | None = Field(default=None, pattern=URL, max_length=2000)
    citation: Text | None = Field(default=None, description="Full bibliographic reference as it should print.")
    uncertain: Uncertain = None


class PartyDoc(_Strict):
    id: Slug
    name: Text
    kind: PartyKind
    wikidata: Qid | None = None
    member_of: list[Slug] = Field(default_factory=list)
    description: Description = None
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
    description: Description = None
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
    description: Description = None
    holders: list[Holder] = Field(min_length=1)
    continues: list[Continues] = Field(
        default_factory=list, description="The same concern of the same party in an earlier negotiation ('case/interest')."
    )
    uncertain: Uncertain = None
    lint_waivers: LintWaivers


class PositionDoc(_Strict):
    id: Slug
    party: Slug
    issue: Slug
    name: Text = Field(description="The position in a short sentence.")
    description: Description = None
    reflects: list[Slug] = Field(default_factory=list, description="Interests this position expresses (the reasons behind it).")
    sources: Claimed
    uncertain: Uncertain = None
    lint_waivers: LintWaivers


class Serves(_Strict):
    interest: Slug
    strength: Strength | None = Field(
        default=None,
        description="full, partial or nominal (on paper only: not implemented, emptied, or excluding what was sought).",
    )
    sources: Claimed
    uncertain: Uncertain = None


class TradedFor(_Strict):
    provision: Slug
    sources: Claimed
    uncertain: Uncertain = None


class FundedBy(_Strict):
    party: Slug
    amount: float | None = Field(default=None, gt=0, description="How much, in `currency`, where the sources say.")
    currency: str | None = Field(default=None, pattern=CURRENCY, description="ISO 4217 code, e.g. USD.")
    year: int | None = Field(default=None, ge=1000, le=2100, description="The year of the pledge or payment.")
    sources: Claimed
    uncertain: Uncertain = None

    @model_validator(mode="after")
    def _currency_with_amount(self) -> FundedBy:
        if (self.amount is None) != (self.currency is None):
            raise ValueError("amount and currency go together: give both or neither")
        return self


class Follows(_Strict):
    negotiation: Slug
    sources: Claimed
    uncertain: Uncertain = None


class Continues(_Strict):
    interest: CaseRef
    sources: Claimed
    uncertain: Uncertain = None


class ProvisionDoc(_Strict):
    id: Slug
    name: Text
    locator: Text = Field(description="Exact place in the agreement, e.g. 'Art. IV(1)', 'Annex I', 'Decision 1/CP.21 para 51'.")
    description: Description = None
    addresses: list[Slug] = Field(default_factory=list)
    mechanisms: list[MechanismId] = Field(min_length=1)
    serves: list[Serves] = Field(default_factory=list)
    traded_for: list[TradedFor] = Field(default_factory=list)
    funded_by: list[FundedBy] = Field(default_factory=list)
    deferred_to: Text | None = Field(default=None, description="Where a deferred issue was sent: a forum, a date, a process.")
    sources: Claimed
    uncertain: Uncertain = None
    lint_waivers: LintWaivers


class AgreementDoc(_Strict):
    id: Slug
    name: Text
    date_adopted: Date | None = Field(default=None, description="When the text was agreed: adopted, initialled or concluded.")
    date_signed: Date | None = Field(default=None, description="When the parties first signed it.")
    date_in_force: Date | None = Field(default=None, description="When it entered into force.")
    wikidata: Qid | None = None
    description: Description = None
    sources: Sources
    provisions: list[ProvisionDoc] = Field(min_length=1)
    uncertain: Uncertain = None


class CaseDoc(_Strict):
    """One negotiation: the top level of a file under data/cases/."""

    id: Slug
    name: Text
    domain: Annotated[str, Field(pattern=SLUG, description="e.g. climate, peace, commons, nuclear")]
    status: Status = Field(default="concluded", description="concluded, ongoing or failed.")
    start_date: Date
    end_date: Date | None = Field(default=None, description="Required unless the negotiation is ongoing.")
    venue: Text | None = None
    wikidata: Qid | None = None
    description: Text
    sources: list[SourceDoc] = Field(default_factory=list, description="Sources used only by this case.")
    parties: list[Participation] = Field(min_length=2)
    issues: list[IssueDoc] = Field(min_length=1)
    interests: list[InterestDoc] = Field(min_length=1)
    positions: list[PositionDoc] = Field(default_factory=list)
    agreements: list[AgreementDoc] = Field(default_factory=list)
    follows: list[Follows] = Field(default_factory=list, description="Earlier negotiations this one took up.")
    uncertain: Uncertain = None

    @model_validator(mode="after")
    def _status_fits(self) -> CaseDoc:
        if self.status == "concluded" and not self.agreements:
            raise ValueError("a concluded negotiation needs at least one agreement (or status: ongoing / failed)")
        if self.status != "ongoing" and self.end_date is None:
            raise ValueError(
                f"missing required field 'end_date' (only an ongoing negotiation has none; status is {self.status!r})"
            )
        return self


class License(_Strict):
    id: Text = Field(description="SPDX identifier, e.g. CC-BY-4.0.")
    name: Text
    url: str = Field(pattern=URL, max_length=2000)


class DatasetDoc(_Strict):
    """data/dataset.yaml: the corpus as a citable dataset (version, licence, creators)."""

    title: Text
    version: Annotated[str, Field(pattern=r"^\d+\.\d+\.\d+$", description="Semantic version of the data.")]
    date: Date = Field(description="Release date of this version.")
    license: License
    creators: list[Text] = Field(min_length=1)
    description: Text
    codebook: str | None = Field(default=None, pattern=URL)
    homepage: str | None = Field(default=None, pattern=URL)
    keywords: list[Text] = Field(default_factory=list)


def json_schemas() -> dict[str, dict[str, Any]]:
    """JSON Schemas of the three file kinds, for editors (keyed by file name)."""
    out = {}
    for name, cls in (("case", CaseDoc), ("parties", PartiesFile), ("sources", SourcesFile)):
        schema = cls.model_json_schema()
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"https://w3id.org/negotiation-kg/schema/{name}.schema.json"
        out[f"{name}.schema.json"] = schema
    return out
