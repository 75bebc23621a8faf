"""The agreement coefficients of kg.reliability against published worked examples, and the coding files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kg.reliability import agreement, cohen_kappa, confusion, weighted_kappa

CODING = Path(__file__).resolve().parent.parent / "data" / "coding"


def _pairs(yy: int, yn: int, ny: int, nn: int) -> tuple[list[str], list[str]]:
    a = ["y"] * (yy + yn) + ["n"] * (ny + nn)
    b = ["y"] * yy + ["n"] * yn + ["y"] * ny + ["n"] * nn
    return a, b


@pytest.mark.parametrize("cells, p_o, kappa", [
    # Wikipedia, "Cohen's kappa", worked example: 50 grant proposals read by two readers
    ((20, 5, 10, 15), 0.70, 0.40),
    # Wikipedia, same article, "same percentages but different numbers": equal agreement, different kappas
    ((45, 15, 25, 15), 0.60, 0.1304),
    ((25, 35, 5, 35), 0.60, 0.2593),
])
def test_cohen_kappa_matches_published_examples(cells, p_o, kappa):
    a, b = _pairs(*cells)
    assert agreement(a, b) == pytest.approx(p_o)
    assert cohen_kappa(a, b) == pytest.approx(kappa, abs=5e-5)


def test_weighted_kappa():
    a, b = _pairs(20, 5, 10, 15)
    # with two categories, linear weights reduce to the unweighted coefficient
    assert weighted_kappa(a, b, ["n", "y"]) == pytest.approx(cohen_kappa(a, b))
    # a near miss on an ordered scale costs half a far miss
    scale = ["nominal", "partial", "full"]
    a = ["full", "partial", "nominal", "full"]
    assert weighted_kappa(a, ["partial", "partial", "nominal", "full"], scale) > weighted_kappa(
        a, ["nominal", "partial", "nominal", "full"], scale)
    assert weighted_kappa(a, a, scale) == 1.0


def test_confusion_table():
    labels, table = confusion(["a", "a", "b"], ["a", "b", "b"])
    assert labels == ["a", "b"] and table == [[1, 1], [0, 1]]
    with pytest.raises(ValueError):
        cohen_kappa(["a"], [])


def test_coding_files_are_complete_and_blind():
    """Both codings cover the sample; the sample the second coder saw carries no code and no coding note."""
    sample = yaml.safe_load((CODING / "sample.yaml").read_text(encoding="utf-8"))["items"]
    ids = [i["item"] for i in sample]
    for coder in ("coder-a.yaml", "coder-b.yaml"):
        codes = yaml.safe_load((CODING / coder).read_text(encoding="utf-8"))["codes"]
        assert sorted(codes) == sorted(ids), coder
    text = (CODING / "sample.yaml").read_text(encoding="utf-8").lower()
    for word in ("strength:", "mechanisms:", "category:", "uncertain", "lint_waivers"):
        assert word not in text, word
    assert len(ids) >= 80 and len({i["case"] for i in sample}) >= 8
    decided = yaml.safe_load((CODING / "adjudication.yaml").read_text(encoding="utf-8"))["decisions"]
    a = yaml.safe_load((CODING / "coder-a.yaml").read_text(encoding="utf-8"))["codes"]
    b = yaml.safe_load((CODING / "coder-b.yaml").read_text(encoding="utf-8"))["codes"]
    norm = lambda v: sorted(v) if isinstance(v, list) else v  # noqa: E731
    disagreements = {i for i in a if norm(a[i]) != norm(b[i])}
    assert {d["item"] for d in decided} == disagreements  # every disagreement adjudicated in writing
    assert all(d["reason"].strip() and "data_changed" in d for d in decided)
