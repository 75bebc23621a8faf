"""The bad-input corpus: every file is refused with exact, located messages, exit code 2 and no traceback."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from kg.cli import main
from kg.errors import InvalidInput
from kg.load import MAX_BYTES, load, read_yaml

BAD = Path(__file__).parent / "bad"
MINI = Path(__file__).parent / "fixtures" / "mini"


def _expected() -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for line in (BAD / "EXPECTED.txt").read_text(encoding="utf-8").splitlines():
        name, ln, path, msg = (p.strip() for p in line.split(" | ", 3))
        out[name].append(f"{ln} | {path} | {msg}")
    return out


EXPECTED = _expected()
FILES = sorted(p.name for p in BAD.glob("*.yaml"))


def test_corpus_is_large_and_fully_described():
    assert len(FILES) >= 50
    assert sorted(EXPECTED) == FILES


@pytest.mark.parametrize("name", FILES)
def test_bad_file_gives_exact_messages(name: str):
    with pytest.raises(InvalidInput) as e:
        load([BAD / name], data_dir=MINI)
    got = [f"{p.line} | {p.path} | {p.message}" for p in e.value.problems]
    assert got == EXPECTED[name]
    assert all(p.file.endswith(f"bad/{name}") for p in e.value.problems)


@pytest.mark.parametrize("name", FILES)
def test_cli_exit_2_without_traceback(name: str, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as e:
        main(["--data", str(MINI), "validate", str(BAD / name)])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    first = EXPECTED[name][0].split(" | ")
    line, path, msg = first[0], first[1], first[2]
    where = f"{name}:{line}" if line != "0" else name
    assert f"{where} {path}: {msg}" in err if path else f"{where}: {msg}" in err


def test_cli_subprocess_reports_every_problem_at_once(tmp_path):
    """A real process: two bad files, all their problems listed, exit 2, nothing on stdout."""
    files = [BAD / "unknown-category.yaml", BAD / "duplicate-id.yaml"]
    r = subprocess.run(
        [sys.executable, "-m", "kg", "--data", str(MINI), "validate", *map(str, files)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == len(EXPECTED["unknown-category.yaml"]) + len(EXPECTED["duplicate-id.yaml"])
    assert any("interests[2].category: unknown interest category 'securty'" in x for x in lines)
    assert "Traceback" not in r.stderr


def test_valid_mini_corpus_passes(capsys):
    main(["--data", str(MINI), "validate"])
    assert capsys.readouterr().out.startswith("ok: 1 cases, 3 parties")


def test_huge_file_refused_before_parsing(tmp_path):
    big = tmp_path / "huge.yaml"
    big.write_text("id: huge\ndescription: '" + "x" * (MAX_BYTES + 1) + "'\n")
    with pytest.raises(InvalidInput, match="file is too large"):
        read_yaml(big)


def test_missing_path(tmp_path):
    with pytest.raises(InvalidInput, match="no such file or directory"):
        load([tmp_path / "nope.yaml"], data_dir=MINI)


def _data_dir(tmp_path: Path, parties: str) -> Path:
    root = tmp_path / "data"
    (root / "cases").mkdir(parents=True)
    (root / "parties.yaml").write_text(parties)
    (root / "sources.yaml").write_text((MINI / "sources.yaml").read_text())
    (root / "cases" / "river-1990.yaml").write_text((MINI / "cases" / "river-1990.yaml").read_text())
    return root


def test_conflicting_party_registry(tmp_path):
    text = (MINI / "parties.yaml").read_text() + "  - id: alpha\n    name: Another Alpha\n    kind: state\n"
    with pytest.raises(InvalidInput) as e:
        load(data_dir=_data_dir(tmp_path, text))
    assert [str(p).split(" ", 1)[1] for p in e.value.problems] == ["parties[3].id: duplicate party id 'alpha' (first on line 2)"]


def test_unknown_coalition_membership(tmp_path):
    text = (MINI / "parties.yaml").read_text() + "  - id: delta\n    name: Delta\n    kind: state\n    member_of: [nato]\n"
    with pytest.raises(InvalidInput, match=r"parties\[3\]\.member_of\[0\]: unknown party 'nato'"):
        load(data_dir=_data_dir(tmp_path, text))


def test_membership_cycle_is_refused(tmp_path):
    text = (MINI / "parties.yaml").read_text() + (
        "  - id: delta\n    name: Delta\n    kind: coalition\n    member_of: [epsilon]\n"
        "  - id: epsilon\n    name: Epsilon\n    kind: coalition\n    member_of: [delta]\n"
        "  - id: zeta\n    name: Zeta\n    kind: coalition\n    member_of: [zeta]\n"
    )
    with pytest.raises(InvalidInput) as e:
        load(data_dir=_data_dir(tmp_path, text))
    assert [str(p).split(" ", 1)[1] for p in e.value.problems] == [
        "parties[3].member_of: membership cycle: delta -> epsilon -> delta",
        "parties[5].member_of: membership cycle: zeta -> zeta",
    ]


def test_lineage_into_a_loaded_case_is_checked(tmp_path):
    """CONTINUES must name an interest of the other case held by the same party; FOLLOWS a case of the corpus."""
    root = _data_dir(tmp_path, (MINI / "parties.yaml").read_text())
    river = (root / "cases" / "river-1990.yaml").read_text()
    later = (
        river.replace("id: river-1990\n", "id: river-2000\n", 1)
        .replace("parties:\n  - party: alpha", "follows:\n  - negotiation: river-1990\n"
                 "    sources: [{source: smith-2001, locator: p. 50}]\nparties:\n  - party: alpha", 1)
        .replace("    category: economic\n    holders:\n      - party: alpha\n",
                 "    category: economic\n    continues:\n      - interest: river-1990/beta-power\n"
                 "        sources: [{source: smith-2001, locator: p. 51}]\n      - interest: river-1990/nothing\n"
                 "        sources: [{source: smith-2001, locator: p. 51}]\n    holders:\n      - party: alpha\n", 1)
    )
    (root / "cases" / "river-2000.yaml").write_text(later)
    with pytest.raises(InvalidInput) as e:
        load(data_dir=root)
    assert [str(p).split(" ", 1)[1] for p in e.value.problems] == [
        "interests[0].continues[0].interest: interest 'river-1990/beta-power' is held by none of this interest's "
        "parties (same party, same concern)",
        "interests[0].continues[1].interest: unknown interest 'river-1990/nothing'",
    ]
    fixed = later.replace("river-1990/beta-power", "river-1990/alpha-irrigation").replace("river-1990/nothing",
                                                                                       "river-1990/stability")
    (root / "cases" / "river-2000.yaml").write_text(fixed)
    from kg.graph import build

    g = build(load(data_dir=root))
    assert g.has_edge("Negotiation:river-2000", "Negotiation:river-1990", "FOLLOWS")
    assert g.has_edge("Interest:river-2000/alpha-irrigation", "Interest:river-1990/stability", "CONTINUES")
    # a partial corpus (the later case alone) validates, and the links into the absent case are left out
    g = build(load([root / "cases" / "river-2000.yaml"], data_dir=root))
    assert not any(k in ("FOLLOWS", "CONTINUES") for *_, k in g.edges(keys=True))


def test_duplicate_case_id_across_files(tmp_path):
    root = _data_dir(tmp_path, (MINI / "parties.yaml").read_text())
    (root / "cases" / "copy.yaml").write_text((root / "cases" / "river-1990.yaml").read_text())
    with pytest.raises(InvalidInput) as e:
        load(data_dir=root)
    msgs = [p.message for p in e.value.problems]
    assert msgs == [
        "case id 'river-1990' does not match the file name 'copy.yaml'",
        f"duplicate case id 'river-1990' (also in {e.value.problems[0].file})",
    ]


def test_nothing_built_from_invalid_input(tmp_path, monkeypatch):
    root = _data_dir(tmp_path, (MINI / "parties.yaml").read_text())
    (root / "cases" / "river-1990.yaml").write_text(
        (root / "cases" / "river-1990.yaml").read_text().replace("category: security", "category: securty")
    )
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as e:
        main(["--data", str(root), "build", "--out", str(tmp_path / "out")])
    assert e.value.code == 2
    assert not (tmp_path / "out").exists()
