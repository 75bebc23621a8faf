"""The data lint: each rule fires on the coding it targets, a written waiver silences it, and it never fails a run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg import lint as lint_mod
from kg.cli import main
from kg.load import load

ANALYSIS = Path(__file__).resolve().parent / "fixtures" / "analysis"


def _corpus(tmp_path: Path, edit) -> Path:
    root = tmp_path / "data"
    shutil.copytree(ANALYSIS, root)
    f = root / "cases" / "lake-2001.yaml"
    f.write_text(edit(f.read_text()))
    return root


EDITS = {
    "demand-wording": ("    name: Water for the northern plains\n",
                       "    name: A share of the river that should feed the plains\n"),
    "interest-restates-position": ("    name: Water for the northern plains\n",
                                   "    name: The north takes all the water it needs for its plains\n"),
    "position-without-interest": ("    reflects: [south-sovereignty]\n", "    reflects: []\n"),
    "serves-without-strength": ("          - {interest: north-ports, strength: partial, ",
                                "          - {interest: north-ports, "),
    "deferral-without-target": ("        deferred_to: A conference in 2010\n", ""),
    "multi-party-without-integrative": ("        lint_waivers:\n          multi-party-without-integrative: A split of "
                                        "the difference that both sides accepted; no new option.\n", ""),
}


@pytest.mark.parametrize("rule", sorted(EDITS))
def test_each_rule_fires(rule, tmp_path):
    old, new = EDITS[rule]
    root = _corpus(tmp_path, lambda t: t.replace(old, new, 1) if old in t else pytest.fail(old))
    warnings = lint_mod.lint(load(data_dir=root))
    assert [w.rule for w in warnings] == [rule]
    w = warnings[0]
    assert w.file.endswith("lake-2001.yaml") and w.line > 1 and w.path


def test_rules_are_documented():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "model.md").read_text(encoding="utf-8")
    assert set(EDITS) == set(lint_mod.RULES)
    assert all(f"`{r}`" in doc for r in lint_mod.RULES)


def test_a_waiver_silences_its_rule_and_keeps_the_reason(tmp_path):
    old, new = EDITS["demand-wording"]
    waiver = "    lint_waivers: {demand-wording: The sources state it as a need in these words.}\n"
    root = _corpus(tmp_path, lambda t: t.replace(old, new + waiver, 1))
    corpus = load(data_dir=root)
    assert lint_mod.lint(corpus) == []
    [w] = [w for w in lint_mod.lint(corpus, include_waived=True) if w.rule == "demand-wording"]
    assert w.waived == "The sources state it as a need in these words."


def test_cli_prints_warnings_and_exits_0(tmp_path, capsys):
    old, new = EDITS["demand-wording"]
    root = _corpus(tmp_path, lambda t: t.replace(old, new, 1))
    main(["--data", str(root), "validate", "--lint"])  # returns: exit status 0
    out, err = capsys.readouterr()
    assert "[demand-wording]" in out and "interests[0].name" in out
    assert "lint: 1 warnings (1 waived with a reason)" in err, err
