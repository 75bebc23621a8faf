"""Data loss: no command deletes, moves or overwrites what negkg did not write; replacement is atomic.

Every command that writes (build, export in every format, report, viz, synth, docs, schema) is pointed
at every kind of hostile target: the working directory, its parent, the home directory, ``/``, a user's
file or directory (with a sentinel file in it), a symbolic link, a FIFO, a path under a regular file.
Each is refused in one line with exit 1 or 2, the sentinel survives byte for byte, and no temporary
file is left behind. ``--force`` replaces a user's file, but never the protected directories. Outputs
negkg wrote itself are replaced (files by rename, directories by an exchange in one system call),
and a reader polling them during replacement never finds them missing.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest

from kg import io as kio
from tests.conftest import MINI
from tests.security_helpers import cli, one_line_error

pytestmark = [pytest.mark.timeout(300), pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")]

SENTINEL = b"precious: the user's own bytes\n"
TEXT_FORMATS = ["graphml", "gexf", "nodelink", "turtle", "ntriples", "jsonld", "trig", "cypher"]

#: name -> (argv with OUT for the target, kind): "file" writes OUT, "dir" replaces OUT whole,
#: "into" writes files into the directory OUT (each listed in OUTPUTS)
WRITERS: dict[str, tuple[list[str], str]] = {
    **{f"export-{f}": (["export", "--format", f, "--out", "OUT"], "file") for f in TEXT_FORMATS},
    "export-csv": (["export", "--format", "csv", "--out", "OUT"], "dir"),
    "export-csv-zip": (["export", "--format", "csv", "--out", "OUT"], "file"),
    "report-md": (["report", "--case", "river-1990", "--format", "md", "--no-timestamp", "--out", "OUT"], "file"),
    "report-html": (["report", "--case", "river-1990", "--format", "html", "--no-timestamp", "--out", "OUT"], "file"),
    "synth": (["synth", "--negotiations", "2", "--out", "OUT"], "dir"),
    "build": (["build", "--out", "OUT"], "into"),
    "viz": (["viz", "--out", "OUT"], "into"),
    "viz-case": (["viz", "--case", "river-1990", "--out", "OUT"], "into"),
    "docs": (["docs", "--out", "OUT"], "into"),
    "schema": (["schema", "--out", "OUT"], "into"),
}
#: for "into" writers: one file each writes inside OUT
OUTPUTS = {"build": "graph.graphml", "viz": "index.html", "viz-case": "case-river-1990.html", "docs": "cases.md",
           "schema": "case.schema.json"}
FILE_NAMES = {"export-csv-zip": "out.zip", "report-md": "r.md", "report-html": "r.html"}
HOSTILE = ["cwd", "parent", "home", "root", "user-file", "user-dir", "symlink", "fifo", "under-a-file"]


@pytest.fixture
def place(tmp_path, monkeypatch):
    """A working directory work/ inside tmp_path holding a sentinel file; HOME is tmp_path/home (also with one)."""
    work = tmp_path / "work"
    home = tmp_path / "home"
    for d in (work, home):
        d.mkdir()
        (d / "precious.txt").write_bytes(SENTINEL)
    monkeypatch.chdir(work)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("NEGKG_DATA", str(MINI))
    return tmp_path


def _argv(name: str, out: str, *extra: str) -> list[str]:
    return [out if a == "OUT" else a for a in WRITERS[name][0]] + list(extra)


def _sentinels_intact(root: Path) -> None:
    """Every sentinel under root holds its bytes; no temporary file of negkg is left anywhere."""
    found = 0
    for dirpath, _, files in os.walk(root):
        for f in files:
            p = Path(dirpath) / f
            assert not f.endswith(".negkg-tmp"), p
            if f == "precious.txt" and not p.is_symlink():
                assert p.read_bytes() == SENTINEL, p
                found += 1
    assert found >= 2


def _target(name: str, how: str, root: Path) -> str:
    """Make the hostile state ``how`` for writer ``name``; return the --out to give."""
    kind = WRITERS[name][1]
    work = root / "work"
    user_dir = work / "mine"
    if how == "cwd":
        return "."
    if how == "parent":
        return ".."
    if how == "home":
        return str(root / "home")
    if how == "root":
        return "/"
    if how == "user-dir":  # a directory of the user's, with a sentinel in it
        user_dir.mkdir()
        (user_dir / "precious.txt").write_bytes(SENTINEL)
        if kind == "into":  # the user's own file where the command would write one
            (user_dir / OUTPUTS[name]).write_bytes(SENTINEL)
        return str(user_dir)
    if how == "user-file":
        user_dir.mkdir()
        (user_dir / "precious.txt").write_bytes(SENTINEL)
        return str(user_dir / "precious.txt")
    if how == "symlink":
        link = work / FILE_NAMES.get(name, "link.out")
        link.symlink_to(work / "precious.txt")
        return str(link)
    if how == "fifo":
        fifo = work / FILE_NAMES.get(name, "fifo.out")
        os.mkfifo(fifo)
        return str(fifo)
    if how == "under-a-file":
        return str(work / "precious.txt" / FILE_NAMES.get(name, "sub"))
    raise AssertionError(how)


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_every_writer_refuses_every_hostile_target(name, place, capsys):
    for how in HOSTILE:
        work = place / "work"
        for p in work.iterdir():  # a fresh state for each target
            if p.name != "precious.txt":
                os.unlink(p) if not p.is_dir() or p.is_symlink() else shutil.rmtree(p)
        out = _target(name, how, place)
        code, _stdout, err = cli(_argv(name, out), capsys)
        assert code in (1, 2), (name, how, code, err)
        line = one_line_error(err)
        assert line.startswith("error: "), line
        _sentinels_intact(place)
        if how == "fifo":
            assert Path(out).exists() and not Path(out).is_file()
        if how == "symlink":
            assert os.readlink(out) == str(place / "work" / "precious.txt")


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_every_writer_replaces_its_own_output_and_forces_only_when_told(name, place, capsys):
    """Run twice on a new target (the second replaces what the first wrote); a user's file at the target is
    replaced only with --force; --force never unlocks the working directory or home."""
    kind = WRITERS[name][1]
    out = FILE_NAMES.get(name, "out.file" if kind == "file" else "outdir")
    for _ in range(2):
        code, _, err = cli(_argv(name, out), capsys)
        assert code == 0, err
    written = Path(out) / OUTPUTS[name] if kind == "into" else Path(out)
    assert written.exists()
    # the user edits what negkg wrote: it is theirs now
    victim = written if written.is_file() else written / kio.MANIFEST
    if written.is_file():
        written.write_bytes(SENTINEL)
    else:
        (written / "precious.txt").write_bytes(SENTINEL)
    code, _, err = cli(_argv(name, out), capsys)
    assert code == 2 and "refusing" in one_line_error(err), err
    assert (written.read_bytes() if written.is_file() else (written / "precious.txt").read_bytes()) == SENTINEL
    code, _, err = cli(_argv(name, out, "--force"), capsys)
    assert code == 0, err
    assert victim.exists()
    assert not written.is_file() or written.read_bytes() != SENTINEL
    for protected in (".", str(place / "home")):
        code, _, err = cli(_argv(name, protected, "--force"), capsys)
        assert code == 2 and ("refusing" in one_line_error(err) or "is a directory" in err), err
    _sentinels_intact(place)


# ------------------------------------------------------------------------ the examples of the issue


def test_issue_example_export_into_a_users_directory(place, capsys):
    """`mkdir d; echo x > d/precious.txt; negkg export --format csv --out d --case river-1990` kept precious.txt."""
    d = place / "work" / "d"
    d.mkdir()
    (d / "precious.txt").write_bytes(SENTINEL)
    code, _, err = cli(["export", "--format", "csv", "--out", str(d), "--case", "river-1990"], capsys)
    assert code == 2 and "refusing to replace directory" in one_line_error(err)
    assert sorted(os.listdir(d)) == ["precious.txt"] and (d / "precious.txt").read_bytes() == SENTINEL


def test_issue_example_export_into_the_working_directory(place, capsys):
    before = sorted(os.listdir("."))
    for fmt in ("csv", "graphml"):
        code, _, err = cli(["export", "--format", fmt, "--out", ".", "--case", "river-1990"], capsys)
        assert code == 2 and "refusing" in one_line_error(err)
    assert sorted(os.listdir(".")) == before
    _sentinels_intact(place)


def test_issue_example_existing_file_is_not_renamed(place, capsys):
    code, _, err = cli(["export", "--format", "csv", "--out", "precious.txt", "--case", "river-1990"], capsys)
    assert code == 2 and "refusing to overwrite precious.txt" in one_line_error(err)
    assert sorted(os.listdir(".")) == ["precious.txt"]  # no hidden .precious.txt.old
    _sentinels_intact(place)


# ------------------------------------------------------------------------ atomic replacement


def _poll(stop: threading.Event, check) -> list[str]:
    seen: list[str] = []
    while not stop.is_set():
        try:
            check()
        except AssertionError as e:
            seen.append(str(e))
    return seen


_POLLER = r"""
import os, sys
path, stop, missing, n = sys.argv[1], sys.argv[2], 0, 0
print("ready", flush=True)
while not os.path.exists(stop):
    for _ in range(500):
        n += 1
        try:
            os.stat(path)
        except FileNotFoundError:
            if not missing:
                print("miss", flush=True)
            missing += 1
print(missing, n)
"""


def _missing_while_replaced(tmp_path: Path, times: int, until_missed: bool = False) -> tuple[int, int]:
    """How often a separate process polling the path found nothing there while it was replaced up to ``times``
    times (``until_missed``: stop at the first miss)."""
    import select
    import subprocess
    import sys

    target, stop = tmp_path / "csv", tmp_path / "stop"
    names = [f"f{i}.csv" for i in range(5)]

    def write(gen: int) -> None:
        with kio.atomic_dir(target) as d:
            for n in names:
                (d / n).write_text(f"{gen}\n")
        assert sorted(os.listdir(target)) == sorted([*names, kio.MANIFEST])
        assert {(target / n).read_text() for n in names} == {f"{gen}\n"}

    write(0)
    poller = subprocess.Popen([sys.executable, "-c", _POLLER, str(target), str(stop)], stdout=subprocess.PIPE, text=True)
    try:
        assert poller.stdout.readline().strip() == "ready"
        for gen in range(1, times + 1):
            write(gen)
            if until_missed and select.select([poller.stdout], [], [], 0)[0]:
                break
    finally:
        stop.write_text("")
        lines = poller.communicate(timeout=60)[0].split()
    stop.unlink()
    missing, polls = map(int, lines[-2:])
    return missing, polls


def test_a_directory_is_never_missing_while_it_is_replaced(tmp_path, monkeypatch):
    """A process polling the output path during 100 replacements always finds a directory there: the new one is
    exchanged with the old in one system call. Control: the two-rename fallback (systems without an exchange call)
    does leave a window, and the same poller sees it."""
    assert kio._RENAME2 is not None, "this system should have renameat2 (Linux) or renamex_np (macOS)"
    missing, polls = _missing_while_replaced(tmp_path / "a", 100)
    assert polls > 10_000 and missing == 0
    monkeypatch.setattr(kio, "_RENAME2", None)
    missing, polls = _missing_while_replaced(tmp_path / "b", 3000, until_missed=True)
    assert missing > 0, polls


def test_a_file_is_always_whole_while_it_is_replaced(tmp_path):
    target = tmp_path / "g.json"
    bodies = {("x" * 100_000 + str(i)) for i in range(20)}
    kio.atomic_write(target, "x" * 100_000 + "0")

    def check() -> None:
        try:
            assert target.read_text() in bodies, "torn"
        except FileNotFoundError:
            raise AssertionError("missing") from None

    stop = threading.Event()
    result: list[list[str]] = []
    t = threading.Thread(target=lambda: result.append(_poll(stop, check)))
    t.start()
    try:
        for i in range(1, 20):
            kio.atomic_write(target, "x" * 100_000 + str(i))
    finally:
        stop.set()
        t.join()
    assert result == [[]]


def test_a_directory_swap_falls_back_to_two_renames_when_the_exchange_is_missing(tmp_path, monkeypatch):
    """Without renameat2/renamex_np (other systems) the replacement still happens, and user files still stop it."""
    monkeypatch.setattr(kio, "_RENAME2", None)
    target = tmp_path / "out"
    for gen in range(3):
        with kio.atomic_dir(target) as d:
            (d / "a.txt").write_text(str(gen))
    assert (target / "a.txt").read_text() == "2"
    (target / "precious.txt").write_bytes(SENTINEL)
    with pytest.raises(kio.Refused, match=r"precious\.txt"), kio.atomic_dir(target) as d:
        (d / "a.txt").write_text("x")
    assert (target / "precious.txt").read_bytes() == SENTINEL and (target / "a.txt").read_text() == "2"


def test_concurrent_writers_keep_the_manifest_true(tmp_path):
    """Three writers on one file at once: each write succeeds (none is taken for a stranger's file while another
    renames), and the manifest matches what is there."""
    target = tmp_path / "graph.json"
    errors: list[BaseException] = []

    def writer(tag: str) -> None:
        try:
            for i in range(40):
                kio.atomic_write(target, f"{tag}{i}\n" * 1000)
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=writer, args=(t,)) for t in "abc"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    kio.check_target(target)  # still recognised as negkg's: the manifest holds the hash of what is there
    assert sorted(os.listdir(tmp_path)) == sorted(["graph.json", kio.MANIFEST])


def test_interrupted_write_leaves_the_old_output_and_no_temporary_file(tmp_path):
    target = tmp_path / "r.html"
    kio.atomic_write(target, "old")
    with pytest.raises(KeyboardInterrupt), kio.atomic_path(target) as tmp:
        tmp.write_text("half")
        raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt), kio.atomic_dir(tmp_path / "d") as d:
        (d / "x").write_text("half")
        raise KeyboardInterrupt
    assert target.read_text() == "old"
    assert sorted(os.listdir(tmp_path)) == sorted(["r.html", kio.MANIFEST])


def test_generated_docs_in_a_checkout_are_recognised_by_their_signature(place, capsys):
    """docs/ and data/schema/ come from git, without a manifest: their generated-file mark makes them negkg's."""
    from tests.conftest import ROOT

    docs = place / "work" / "docs"
    docs.mkdir()
    for name in ("vocabulary.md", "cases.md"):
        (docs / name).write_bytes((ROOT / "docs" / name).read_bytes())
    code, _, err = cli(["docs", "--out", str(docs)], capsys)
    assert code == 0, err
    schema = place / "work" / "schema"
    schema.mkdir()
    (schema / "case.schema.json").write_bytes((ROOT / "data" / "schema" / "case.schema.json").read_bytes())
    code, _, err = cli(["schema", "--out", str(schema)], capsys)
    assert code == 0, err
    (docs / "cases.md").write_text("my own notes\n")
    code, _, err = cli(["docs", "--out", str(docs)], capsys)
    assert code == 2 and "refusing to overwrite" in one_line_error(err)
    assert (docs / "cases.md").read_text() == "my own notes\n"


# ------------------------------------------------------------------------ standard output and status


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_out_dash_is_standard_output_for_every_text_format(fmt, place, capsys):
    code, out, err = cli(["export", "--format", fmt, "--out", "-", "--case", "river-1990"], capsys)
    assert code == 0 and err.startswith("wrote standard output"), err
    code, _, _ = cli(["export", "--format", fmt, "--out", "f", "--case", "river-1990", "--quiet"], capsys)
    assert code == 0
    assert out == Path("f").read_text(encoding="utf-8")
    code, out2, err = cli(["--quiet", "export", "--format", fmt, "--out", "-", "--case", "river-1990"], capsys)
    assert code == 0 and err == "" and out2 == out
    assert not Path("-").exists()


def test_out_dash_for_reports_and_pages_and_refusals(place, capsys):
    for args in (["report", "--case", "river-1990", "--format", "md", "--no-timestamp"],
                 ["report", "--case", "river-1990", "--format", "html", "--no-timestamp"],
                 ["viz", "--case", "river-1990"], ["viz", "--query", "shared-interests"]):
        code, out, err = cli([*args, "--out", "-", "--quiet"], capsys)
        assert code == 0 and err == "" and out.strip(), (args, err)
    for args in (["build"], ["export", "--format", "csv"], ["viz"], ["docs"], ["schema"], ["synth", "--negotiations", "1"]):
        code, out, err = cli([*args, "--out", "-"], capsys)
        assert code == 2 and out == "", (args, err)
        one_line_error(err)
    assert sorted(os.listdir(".")) == ["precious.txt"]


def test_status_goes_to_standard_error_and_quiet_silences_it(place, capsys):
    code, out, err = cli(["build", "--out", "o", "--format", "json"], capsys)
    assert code == 0 and out.lstrip().startswith("{")
    code, out, err = cli(["build", "--out", "o"], capsys)
    assert code == 0 and "wrote o/graph.graphml" in err and "wrote" not in out
    code, out, err = cli(["build", "--out", "o", "--quiet"], capsys)
    assert code == 0 and err == "" and out
    code, out, err = cli(["synth", "--negotiations", "1", "--out", "s"], capsys)
    assert code == 0 and out == "" and err.startswith("wrote 1 cases")


def test_the_packages_own_data_files_are_negkgs(tmp_path):
    """`python -m kg.rdf.ontology` regenerates kg/rdf/*.ttl, which git (not a manifest) brought: allowed, and no
    manifest is left in the package. Its code (.py files) is not data: refused."""
    from kg.rdf import ontology

    for f in ontology.FILES.values():
        assert kio.check_target(f) == f
    assert not (ontology.FILES["ontology"].parent / kio.MANIFEST).exists()
    with pytest.raises(kio.Refused):
        kio.check_target(Path(kio.__file__))  # the package's code is not data
