"""Files that are not files, and input that is not text: one line each, at once, never a hang or a traceback.

Case files and registries are read through :func:`kg.io.read_bytes`: regular files only (a FIFO, a
device, a directory, a symlink loop are one problem each), never more than the size limit (read with
a bound: a file whose size the file system misreports cannot get past it), and at most
:data:`kg.load.MAX_NODES` YAML nodes, with at most :data:`kg.load.MAX_PROBLEMS` problems listed per
file. ``--file`` of ``negkg cypher`` and ``negkg sparql`` follows the same rules. A non-UTF-8 byte in an
argument, a parameter or a ``--file`` is one line, exit 2. Hangs are caught by running real processes
with a timeout.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.errors import InvalidInput
from kg.io import ReadRefused, read_bytes
from kg.load import MAX_NODES, MAX_PROBLEMS, load
from tests.conftest import MINI
from tests.security_helpers import ROOT, cli, one_line_error

pytestmark = [pytest.mark.timeout(300), pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib")]

CASE = (MINI / "cases" / "river-1990.yaml").read_text()


def negkg(args: list[str | bytes], cwd: Path | None = None, timeout: float = 60, **kw) -> subprocess.CompletedProcess[bytes]:
    """``negkg ARGS`` in a real process (arguments may be bytes: non-UTF-8), with a timeout that catches hangs."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "NEGKG_"))}
    return subprocess.run([sys.executable, "-m", "kg", *args], capture_output=True, cwd=cwd or ROOT, env=env,
                          timeout=timeout, stdin=subprocess.DEVNULL, **kw)


def one_line(res: subprocess.CompletedProcess[bytes], code: int = 2) -> str:
    err = res.stderr.decode("utf-8", "replace")
    assert res.returncode == code, (res.returncode, err)
    return one_line_error(err)


@pytest.fixture
def data(tmp_path):
    """A copy of the mini data directory."""
    d = tmp_path / "data"
    shutil.copytree(MINI, d)
    return d


# ------------------------------------------------------------------------ files that are not files


@pytest.mark.parametrize("where", ["cases/z.yaml", "parties.yaml", "sources.yaml"])
def test_a_fifo_is_refused_at_once_by_every_command_that_reads(data, where):
    """`mkfifo data/cases/z.yaml` made every command hang."""
    target = data / where
    target.unlink(missing_ok=True)
    os.mkfifo(target)
    commands = [["validate"], ["build", "--out", str(data.parent / "o")], ["query", "shared-interests"], ["stats"],
                ["export", "--format", "nodelink", "--out", "-"]]
    for args in commands if where.startswith("cases") else commands[:1]:
        t0 = time.monotonic()
        res = negkg(["--data", str(data), *args], timeout=30)
        assert time.monotonic() - t0 < 20
        err = res.stderr.decode()
        assert res.returncode == 2 and "Traceback" not in err, err
        assert f"{where.split('/')[-1]}: not a regular file (a FIFO)" in err, err
        if where.startswith("cases"):
            one_line_error(err)  # a registry that cannot be read also leaves every party or source unknown


def test_devices_loops_and_directories_are_one_line_each(data):
    cases = data / "cases"
    (cases / "zero.yaml").symlink_to("/dev/zero")  # read until memory ran out
    (cases / "loop.yaml").symlink_to("loop.yaml")
    (cases / "a.yaml").symlink_to("b.yaml")
    (cases / "b.yaml").symlink_to("a.yaml")
    (cases / "dir.yaml").mkdir()
    (cases / "dangling.yaml").symlink_to("nowhere.yaml")
    res = negkg(["--data", str(data), "validate"], timeout=30)
    assert res.returncode == 2
    lines = res.stderr.decode().strip().splitlines()
    assert "Traceback" not in res.stderr.decode()
    got = {Path(ln.split(":")[0]).name: ln.split(": ", 1)[1] for ln in lines}
    assert got == {
        "zero.yaml": "not a regular file (a character device)",
        "loop.yaml": "cannot read file: Too many levels of symbolic links",
        "a.yaml": "cannot read file: Too many levels of symbolic links",
        "b.yaml": "cannot read file: Too many levels of symbolic links",
        "dir.yaml": "not a regular file (a directory)",
        "dangling.yaml": "cannot read file: No such file or directory",
    }, lines


def test_a_symlink_to_a_regular_file_is_followed(data):
    (data / "cases" / "river-1990.yaml").rename(data / "elsewhere.yaml")
    (data / "cases" / "river-1990.yaml").symlink_to(data / "elsewhere.yaml")
    assert [c.id for c in load(data_dir=data).cases] == ["river-1990"]


def _unprivileged(args: list[str]) -> tuple[int, str]:
    """Run the CLI in a forked child that has dropped root (root ignores permissions); return exit code, stderr."""
    import io
    import pickle

    from kg.cli import main

    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns to pytest
        code, err = 1, "child failed"
        try:
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
            sys.stderr = io.StringIO()
            try:
                main(args)
                code = 0
            except SystemExit as e:
                code = int(e.code or 0)
            err = sys.stderr.getvalue()
        finally:
            os.write(w, pickle.dumps((code, err)))
            os._exit(0)
    os.close(w)
    with os.fdopen(r, "rb") as f:
        code, err = pickle.loads(f.read())
    os.waitpid(pid, 0)
    return code, err


def test_an_unreadable_directory_is_one_line():
    import tempfile

    top = Path(tempfile.mkdtemp(prefix="negkg-perm-"))  # not under pytest's 0700 directory: nobody must reach it
    try:
        os.chmod(top, 0o755)
        data = top / "data"
        shutil.copytree(MINI, data)
        (data / "cases" / "locked").mkdir()
        os.chmod(data / "cases" / "locked", 0)
        code, err = _unprivileged(["--data", str(data), "validate", str(data / "cases" / "locked")])
        assert code == 2 and "is not readable" in one_line_error(err), err  # click checks the argument first
        os.chmod(data / "cases", 0o311)  # cases/ itself: searchable, not listable
        code, err = _unprivileged(["--data", str(data), "validate"])
        assert code == 2 and "cannot read directory: Permission denied" in one_line_error(err), err
    finally:
        for root, dirs, _ in os.walk(top):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
        os.chmod(data / "cases", 0o755)
        os.chmod(data / "cases" / "locked", 0o755)
        shutil.rmtree(top)


def test_reads_are_bounded_not_trusting_the_size_the_file_system_reports(tmp_path):
    """/proc files report size 0; the read stops at the limit anyway."""
    with pytest.raises(ReadRefused, match="more than 10 bytes"):
        read_bytes("/proc/self/maps", 10)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"x" * 101)
    with pytest.raises(ReadRefused, match=r"file is too large \(101 bytes; the limit is 100\)"):
        read_bytes(big, 100)
    assert read_bytes(big, 101) == b"x" * 101
    os.mkfifo(tmp_path / "f")
    with pytest.raises(ReadRefused, match="a FIFO"):
        read_bytes(tmp_path / "f", 100)


# ------------------------------------------------------------------------ big and noisy files


def test_a_long_list_of_bad_items_is_cut_short(data):
    """The issue's 4.8 MB file of bad items took 52 s, 5 GB and printed 2.4 million lines."""
    items = "".join(f"  - id: Bad Id {i}\n    name: x\n" for i in range(140_000))
    path = data / "cases" / "river-1990.yaml"
    path.write_text(CASE.replace("issues:\n", "issues:\n" + items, 1))
    assert 4_500_000 < path.stat().st_size < 5 * 1024 * 1024
    t0 = time.monotonic()
    res = negkg(["--data", str(data), "validate"], timeout=60)
    assert time.monotonic() - t0 < 10
    line = one_line(res)
    assert f"too many YAML nodes (the limit is {MAX_NODES} per file)" in line


def test_at_most_100_problems_per_file_and_a_count_of_the_rest(data, capsys):
    items = "".join(f"  - id: Bad Id {i}\n    name: x\n" for i in range(1000))
    (data / "cases" / "river-1990.yaml").write_text(CASE.replace("issues:\n", "issues:\n" + items, 1))
    with pytest.raises(InvalidInput) as e:
        load(data_dir=data)
    probs = e.value.problems
    assert len(probs) == MAX_PROBLEMS + 1
    assert probs[0].message == f"{1000 + 0} problems; only the first {MAX_PROBLEMS} are listed" or any(
        "only the first 100 are listed" in p.message for p in probs)
    code, _out, err = cli(["--data", str(data), "validate"], capsys)
    assert code == 2 and len(err.strip().splitlines()) == MAX_PROBLEMS + 1 and "Traceback" not in err


@pytest.mark.parametrize(("text", "message"), [
    ("end_date: 2001-02-30", "end_date: not a valid date '2001-02-30' (day is out of range for month)"),
    ("end_date: 2001-13-01", "end_date: not a valid date '2001-13-01' (month must be in 1..12)"),
    ("end_date: !!int abc", "end_date: not a valid int 'abc'"),
    ("end_date: !!float abc", "end_date: not a valid float 'abc'"),
    ("end_date: !!bool maybe", "end_date: not a valid bool 'maybe'"),
    ("end_date: " + "9" * 5000, "end_date: not a valid int '" + "9" * 5000 + "'"),
])
def test_values_yaml_cannot_construct_are_located_problems(data, capsys, text, message):
    """Impossible dates and explicit tags raised inside YAML construction: a traceback before."""
    (data / "cases" / "river-1990.yaml").write_text(CASE.replace("end_date: 1990-05-01", text, 1))
    code, out, err = cli(["--data", str(data), "validate"], capsys)
    assert code == 2 and out == ""
    assert one_line_error(err).endswith(":5 " + message), err


# ------------------------------------------------------------------------ --file and non-UTF-8 input


@pytest.mark.parametrize("command", ["cypher", "sparql"])
def test_query_files_that_are_not_files(tmp_path, command, capsys):
    """`negkg cypher --file FIFO` hung; a directory, a device, bad bytes and a huge file are one line too."""
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "dir").mkdir()
    (tmp_path / "latin1").write_bytes("RETURN 'caf\xe9'".encode("latin-1"))
    (tmp_path / "huge").write_bytes(b"#" * (1024 * 1024 + 1))
    res = negkg(["--data", str(MINI), command, "--file", str(tmp_path / "fifo")], timeout=30)  # a real process: hangs
    assert "not a regular file (a FIFO)" in one_line(res), res.stderr
    for name, expect in (("dir", "is a directory"), ("latin1", "is not valid UTF-8 (byte 0xe9 at offset 11)"),
                         ("huge", "file is too large"), ("/dev/zero", "not a regular file (a character device)")):
        code, _out, err = cli(["--data", str(MINI), command, "--file", str(tmp_path / name)], capsys)
        assert code == 2 and expect in one_line_error(err), (name, err)


NON_UTF8 = [
    ["query", "party-profile", "--lang", "sparql", "--param", b"party=a\xffb"],
    ["query", "party-profile", "--lang", "cypher", "--param", b"party=a\xffb"],
    ["query", "party-profile", "--param", b"party=a\xffb"],
    ["query", "shared-interests", "--case", b"river\xff"],
    ["sparql", b'SELECT * WHERE { ?s ?p "\xff" }'],
    ["cypher", b"RETURN '\xff' AS x"],
    ["cypher", "MATCH (p:Party {id: $id}) RETURN p.name", "--param", b"id=\xfe"],
    ["sparql", "--endpoint", b"http://127.0.0.1:1/\xff", "ASK {}"],
    ["load-neo4j", "--uri", b"bolt://127.0.0.1:1/\xff"],
    ["export", "--format", "graphml", "--select", b"party=\xff", "--out", "-"],
    ["report", "--select", b"category=\xff", "--out", "-"],
    [b"\xff"],
]


def test_non_utf8_bytes_in_arguments_are_one_line(capsys):
    """Python keeps a non-UTF-8 byte of argv as an unpaired surrogate (os.fsdecode); one real process checks that."""
    for args in NON_UTF8:
        code, _out, err = cli(["--data", str(MINI), *(os.fsdecode(a) for a in args)], capsys)
        assert code in (1, 2) and "internal error" not in err, (args, err)
        one_line_error(err)
    res = negkg(["--data", str(MINI), *NON_UTF8[0]], timeout=60)
    assert "not valid UTF-8" in one_line(res), res.stderr


def test_non_utf8_file_names_are_fine(tmp_path):
    """A non-UTF-8 file name is a valid path on POSIX: it is written, and the status line shows it escaped."""
    out = os.fsencode(tmp_path) + b"/g\xff.graphml"
    res = negkg(["--data", str(MINI), "export", "--format", "graphml", "--out", out], timeout=60)
    assert res.returncode == 0, res.stderr
    assert os.path.exists(out)
