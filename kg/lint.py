"""The data lint: warnings about coding that validates but that a negotiation scholar would question.

``negkg validate --lint`` prints them (exit 0). Each rule is in :data:`RULES`; an item may carry
``lint_waivers: {rule: "why this is right as it stands"}``, which silences that rule for that item (the
justification stays in the data and in the graph). The rules follow docs/model.md and docs/codebook.md:

- an interest is the *reason* behind a position, so its wording must not repeat the position's, nor read as a
  demand (Fisher and Ury's "ask why");
- a provision that serves two principals in substance without any integrative mechanism is either a
  compromise (distributive: say so with a waiver) or a mislabelled bridge;
- every SERVES has a strength, every position reflects an interest, every deferral says where it went.

>>> from kg.load import load
>>> [w.rule for w in lint(load(data_dir="tests/fixtures/mini"))]
[]
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg import model

if TYPE_CHECKING:
    from kg import schema
    from kg.load import Corpus, Lines

__all__ = ["RULES", "LintWarning", "lint", "restates", "DEMAND"]

RULES: dict[str, str] = {
    "interest-restates-position": "an interest's wording nearly repeats a position of the same party: "
    "state the reason behind the position instead",
    "demand-wording": "an interest reads as a demand (must, should, shall, insist, refuse, no ...): state the need",
    "position-without-interest": "a position reflects no interest: link it to the interest it expresses",
    "serves-without-strength": "a SERVES link has no strength: set full, partial or nominal from the sources",
    "multi-party-without-integrative": "a provision serves two or more principals in substance but uses no "
    "integrative mechanism: a compromise (waive, saying so) or a mislabelled bridge",
    "deferral-without-target": "a deferral does not say where the issue went (deferred_to)",
}

#: demand wording in an interest (a position's grammar, not a need's)
DEMAND = re.compile(r"\b(must|should|shall|insists?|demands?|refuses?|refusal)\b|^(no|never|not|keep|keeping)\b",
                    re.IGNORECASE)
_STOP = frozenset(("a", "an", "and", "any", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it", "its", "of",
                   "on", "or", "over", "the", "their", "them", "they", "this", "to", "with", "all"))
#: restatement threshold: the share of the interest's content words found in the position, or the difflib ratio
#: of the two word sequences, whichever is higher (calibrated on the corpus: restatements score 0.5-0.8)
SIMILAR = 0.5


@dataclass(frozen=True, order=True)
class LintWarning:
    """One lint finding, located like a validation problem."""

    file: str
    line: int
    path: str
    rule: str
    message: str
    waived: str | None = None  # the justification, when the item waives the rule

    def __str__(self) -> str:
        note = f" (waived: {self.waived})" if self.waived else ""
        return f"{self.file}:{self.line} {self.path}: {self.message} [{self.rule}]{note}"


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"\w+", text.lower()) if w not in _STOP]


def restates(interest: str, position: str) -> float:
    """How much an interest's wording repeats a position's (0-1, over content words).

    >>> restates("No liability or compensation claims", "Any text must exclude liability and compensation")
    0.5
    >>> restates("Security against surprise attack", "Israel must keep the airfields") < SIMILAR
    True
    """
    a, b = _words(interest), _words(position)
    if not a or not b:
        return 0.0
    shared = set(a) & set(b)
    contained = len(shared) / len(set(a)) if len(shared) >= 2 else 0.0  # one common word is not a restatement
    return max(contained, difflib.SequenceMatcher(None, a, b, autojunk=False).ratio())


def _line(lines: Lines, loc: tuple[Any, ...]) -> int:
    while loc and loc not in lines:
        loc = loc[:-1]
    return lines.get(loc, 1)


def _fmt(loc: tuple[Any, ...]) -> str:
    from kg.load import _fmt_path

    return _fmt_path(loc)


def _case_warnings(c: schema.CaseDoc, roles: dict[str, str]) -> Iterator[tuple[tuple[Any, ...], str, str, dict[str, str]]]:
    """(location, rule, message, the item's waivers) for one case."""
    positions_by_party: dict[str, list[tuple[int, str]]] = {}
    for i, p in enumerate(c.positions):
        positions_by_party.setdefault(p.party, []).append((i, p.name))
        if not p.reflects:
            yield ("positions", i, "reflects"), "position-without-interest", RULES["position-without-interest"], p.lint_waivers
    for i, x in enumerate(c.interests):
        if m := DEMAND.search(x.name):
            message = f"interest reads as a demand ({m.group().strip()!r})"
            yield ("interests", i, "name"), "demand-wording", message, x.lint_waivers
        for h in x.holders:
            for j, text in positions_by_party.get(h.party, []):
                score = restates(x.name, text)
                if score >= SIMILAR:
                    yield (("interests", i, "name"), "interest-restates-position",
                           f"interest nearly repeats position positions[{j}] of {h.party!r} ({score:.2f} alike)",
                           x.lint_waivers)
    for a_i, a in enumerate(c.agreements):
        for p_i, p in enumerate(a.provisions):
            loc = ("agreements", a_i, "provisions", p_i)
            for s_i, s in enumerate(p.serves):
                if s.strength is None:
                    yield (*loc, "serves", s_i), "serves-without-strength", RULES["serves-without-strength"], p.lint_waivers
            if "deferral" in p.mechanisms and not p.deferred_to:
                yield (*loc, "mechanisms"), "deferral-without-target", RULES["deferral-without-target"], p.lint_waivers
            if set(p.mechanisms) & model.INTEGRATIVE_MECHANISMS:
                continue
            served = {s.interest for s in p.serves if s.strength in model.MEETING_STRENGTHS}
            principals = {h.party for x in c.interests if x.id in served for h in x.holders
                          if roles.get(h.party) in model.VALUE_ROLES}
            if len(principals) >= 2 and not p.traded_for:
                yield ((*loc, "mechanisms"), "multi-party-without-integrative",
                       f"serves {', '.join(sorted(principals))} in substance with {', '.join(p.mechanisms)} only",
                       p.lint_waivers)


def lint(corpus: Corpus, *, include_waived: bool = False) -> list[LintWarning]:
    """Every lint warning of the corpus, sorted (waived ones only with ``include_waived``)."""
    from kg.load import read_yaml

    out = []
    for c in corpus.cases:
        name = corpus.files.get(c.id, c.id)
        try:
            _, lines = read_yaml(Path(name), name)
        except Exception:
            lines = {}
        roles = {p.party: p.role for p in c.parties}
        for loc, rule, message, waivers in _case_warnings(c, roles):
            waived = waivers.get(rule)
            if waived and not include_waived:
                continue
            out.append(LintWarning(name, _line(lines, loc), _fmt(loc), rule, message, waived))
    return sorted(out)
