"""The query library: one named question, answered the same way by every engine.

The reference answer of each question is a function in :mod:`kg.analysis`. The Cypher and
SPARQL texts live as files under ``queries/cypher/NAME.cypher`` and ``queries/sparql/NAME.rq``,
each starting with a header of comment lines::

    // name: shared-interests
    // description: Interests held by two or more parties of the same negotiation.
    // parameters: case (optional): negotiation id
    // columns: negotiation, interest, interest_name, category, parties[]

(``#`` instead of ``//`` in SPARQL). ``[]`` marks a multi-valued column, returned as a sorted
list. Tests check that every header agrees with :data:`LIBRARY`.

>>> LIBRARY["shared-interests"].columns[:2]
('negotiation', 'interest')
>>> sorted(LIBRARY["party-profile"].required)
['party']
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg import analysis
from kg.errors import UsageError
from kg.paths import queries_dir

__all__ = ["Param", "QuerySpec", "LIBRARY", "LANGS", "spec", "query_file", "parse_header", "normalize"]

Row = dict[str, Any]
LANGS = {"cypher": ("cypher", "//"), "sparql": ("rq", "#")}


@dataclass(frozen=True)
class Param:
    name: str
    description: str
    required: bool = False


@dataclass(frozen=True)
class QuerySpec:
    """A named question: its parameters, its columns and its reference implementation."""

    name: str
    description: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    multi: frozenset[str]
    native: Callable[..., list[Row]] = field(repr=False)

    @property
    def required(self) -> frozenset[str]:
        return frozenset(p.name for p in self.params if p.required)

    def header(self) -> dict[str, str]:
        """The header fields as they must read in every query file."""
        params = ", ".join(f"{p.name} ({'required' if p.required else 'optional'}): {p.description}" for p in self.params)
        cols = ", ".join(c + ("[]" if c in self.multi else "") for c in self.columns)
        return {"name": self.name, "description": self.description, "parameters": params or "none", "columns": cols}

    def bind(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """Check the user's parameters against this question; return them with absent optionals as None."""
        known = {p.name for p in self.params}
        unknown = sorted(set(params) - known)
        if unknown:
            raise UsageError(
                f"query {self.name!r} has no parameter {unknown[0]!r} (it takes: {', '.join(sorted(known)) or 'none'})"
            )
        missing = sorted(p for p in self.required if params.get(p) in (None, ""))
        if missing:
            raise UsageError(f"query {self.name!r} needs the parameter {missing[0]!r} (--param {missing[0]}=VALUE)")
        for k, v in params.items():
            if v is not None and not isinstance(v, str):
                raise UsageError(f"parameter {k!r} must be a string")
        return {p.name: params.get(p.name) for p in self.params}


_CASE = Param("case", "negotiation id; all negotiations when absent")


def _q(name: str, fn: Callable[..., list[Row]], params: tuple[Param, ...], columns: str) -> QuerySpec:
    cols = tuple(c.strip().removesuffix("[]") for c in columns.split(","))
    multi = frozenset(c.strip().removesuffix("[]") for c in columns.split(",") if c.strip().endswith("[]"))
    doc = (fn.__doc__ or "").strip().splitlines()[0]
    return QuerySpec(name, doc, params, cols, multi, fn)


LIBRARY: dict[str, QuerySpec] = {
    q.name: q
    for q in (
        _q("shared-interests", analysis.shared_interests, (_CASE,), "negotiation, interest, interest_name, category, parties[]"),
        _q(
            "value-creating-provisions",
            analysis.value_creating_provisions,
            (_CASE,),
            "negotiation, agreement, provision, provision_name, locator, mechanisms[], package, interests[], parties[], "
            "package_parties[], strength",
        ),
        _q(
            "interest-provision-links",
            analysis.interest_provision_links,
            (_CASE,),
            "negotiation, interest, interest_name, category, parties[], shared, provision, provision_name, locator, "
            "mechanisms[], package, strength, sources[]",
        ),
        _q(
            "unmet-interests",
            analysis.unmet_interests,
            (_CASE,),
            "negotiation, party, role, interest, interest_name, category, salience, best_strength",
        ),
        _q(
            "distributive-provisions",
            analysis.distributive_provisions,
            (_CASE,),
            "negotiation, agreement, provision, provision_name, locator, mechanisms[], package, interests[], parties[]",
        ),
        _q(
            "deferred-issues",
            analysis.deferred_issues,
            (_CASE,),
            "negotiation, issue, issue_name, provision, provision_name, locator, deferred_to, followed_by[]",
        ),
        _q(
            "contributions",
            analysis.contributions,
            (_CASE,),
            "negotiation, funder, funder_role, provision, provision_name, locator, amount, currency, year, interests[], "
            "parties[], sources[]",
        ),
        _q(
            "positions-and-interests",
            analysis.positions_and_interests,
            (_CASE, Param("party", "party id; all parties when absent")),
            "negotiation, party, position, statement, issue, interests[]",
        ),
        _q(
            "mechanism-mix",
            analysis.mechanism_mix,
            (_CASE,),
            "negotiation, mechanism, family, integrative, provisions, value_creating",
        ),
        _q(
            "party-profile",
            analysis.party_profile,
            (Param("party", "party id", required=True), _CASE),
            "negotiation, domain, role, interest, interest_name, category, salience",
        ),
        _q(
            "trades",
            analysis.trades,
            (_CASE,),
            "negotiation, provision, provision_name, traded_for, traded_for_name, package, sources[]",
        ),
        _q(
            "interest-lineage",
            analysis.interest_lineage,
            (
                Param("of", "interest id ('case/slug') whose lineage to show; all lineages when absent"),
                Param("party", "party id: lineages in which it holds an interest; all when absent"),
            ),
            "lineage, start_date, negotiation, interest, interest_name, category, parties[], best_strength, "
            "first_served_in, first_served_strength",
        ),
        _q(
            "precedents",
            analysis.precedents,
            (
                Param("category", "interest category of one principal", required=True),
                Param("other", "interest category of a different principal; any configuration when absent"),
                Param("domain", "only negotiations of this domain"),
                Param("mechanism", "only provisions using this mechanism"),
                Param("since", "only negotiations that began in or after this year (YYYY)"),
                Param("until", "only negotiations that began in or before this year (YYYY)"),
                Param("exclude", "leave out this negotiation (look for precedents elsewhere)"),
            ),
            "negotiation, start_date, domain, provision, provision_name, locator, mechanisms[], package, value_creating, "
            "interests[], parties[], strength, sources[]",
        ),
        _q(
            "evidence",
            analysis.evidence,
            (Param("id", "id of a node: a provision, position, interest, party, ...", required=True),),
            "claim, subject, object, source, source_title, locator",
        ),
    )
}


def spec(name: str) -> QuerySpec:
    """The question with this name, or a :class:`UsageError` listing the names."""
    try:
        return LIBRARY[name]
    except KeyError:
        raise UsageError(f"unknown query {name!r} (known: {', '.join(LIBRARY)})") from None


def query_file(name: str, lang: str, root: Path | None = None) -> Path:
    """The path of a question's text in a language (``cypher`` or ``sparql``)."""
    ext, _ = LANGS[lang]
    return (root or queries_dir()) / lang / f"{name}.{ext}"


_HEADER = re.compile(r"^\s*(?://|#)\s*(name|description|parameters|columns):\s*(.*?)\s*$")


def parse_header(text: str) -> dict[str, str]:
    """The header fields of a query text (comment lines of the form ``// key: value``)."""
    out: dict[str, str] = {}
    for line in text.splitlines():
        if m := _HEADER.match(line):
            out[m.group(1)] = m.group(2)
        elif line.strip() and not line.lstrip().startswith(("//", "#")):
            break
    return out


def normalize(q: QuerySpec, rows: list[Row]) -> list[Row]:
    """Rows in the library's canonical form: declared columns in order, multi-valued columns sorted, rows sorted.

    >>> normalize(LIBRARY["shared-interests"], [{"parties": ["b", "a"], "negotiation": "n", "interest": "i",
    ...     "interest_name": "I", "category": "c"}])[0]["parties"]
    ['a', 'b']
    """
    out = []
    for r in rows:
        row = {}
        for c in q.columns:
            v = r.get(c)
            if c in q.multi:
                v = sorted(v or [])
            row[c] = v
        out.append(row)
    return sorted(out, key=lambda r: [str(v) for v in r.values()])
