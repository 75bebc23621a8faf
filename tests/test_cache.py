"""kg.cache: the version token of the engines' per-graph caches, and the on-disk cache of the command line.

Every test here points the on-disk cache at its own temporary directory; none times anything (bench/ does).
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg import api, cache
from tests.conftest import ANALYSIS, MINI, ROOT
from tests.equivalence import library_calls

LANGS = ("native", "sparql", "cypher")


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    """An empty on-disk cache for this test only."""
    where = tmp_path / "cache"
    monkeypatch.setenv(cache.DIRECTORY, str(where))
    monkeypatch.delenv(cache.SWITCH, raising=False)
    return where


@pytest.fixture
def data(tmp_path) -> Path:
    """A copy of the mini corpus that a test may change."""
    return Path(shutil.copytree(MINI, tmp_path / "data"))


@pytest.fixture(params=["mini", "analysis"])
def any_data(request, tmp_path) -> Path:
    """A copy of the mini corpus, then of tests/fixtures/analysis (every branch of the definitions)."""
    return Path(shutil.copytree({"mini": MINI, "analysis": ANALYSIS}[request.param], tmp_path / "data"))


def _entry_dir(cache_dir: Path) -> Path:
    (entry,) = [p for p in (cache_dir / f"v{cache.FORMAT}").iterdir() if not p.name.startswith(".")]
    return entry


def _same_graph(a, b) -> None:
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))


# ---------------------------------------------------------------- the version token


def test_version_changes_with_nodes_and_edges_only(mini_graph):
    g = mini_graph.copy()
    t = cache.version(g)
    assert cache.version(g) is t and cache.version(mini_graph.copy()) is not t
    g.nodes["Party:alpha"]["name"] = "renamed"  # attributes in place are not tracked (documented)
    assert cache.version(g) is t
    g.remove_edge("Party:alpha", "Interest:river-1990/alpha-irrigation", key="HAS_INTEREST")
    assert cache.version(g) is not t


def test_engines_rebuild_when_an_edge_goes(mini_graph):
    """The engines' per-graph stores follow the token: an edge removed is seen by the next query."""
    g = mini_graph.copy()
    q = "MATCH (:Party {id: 'alpha'})-[r:HAS_INTEREST]->() RETURN count(r) AS c"
    from kg.cypher import engine
    from kg.rdf import sparql

    before = engine.adhoc(q, graph=g)[1][0]["c"]
    n_before = len(sparql.store_for(g))
    g.remove_edge("Party:alpha", "Interest:river-1990/alpha-irrigation", key="HAS_INTEREST")
    assert engine.adhoc(q, graph=g)[1][0]["c"] == before - 1
    assert len(sparql.store_for(g)) < n_before


# ---------------------------------------------------------------- the on-disk cache


def test_off_switch_and_location(cache_dir, data, monkeypatch):
    monkeypatch.setenv(cache.SWITCH, "0")
    assert cache.entry(data) is None
    _same_graph(api.graph(data_dir=data), api.graph(api.load(data_dir=data)))
    assert not cache_dir.exists()
    monkeypatch.delenv(cache.DIRECTORY)
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_dir / "xdg"))
    assert cache.directory() == cache_dir / "xdg" / "negotiation-kg"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    assert cache.directory() == Path.home() / ".cache" / "negotiation-kg"


def test_cached_graph_is_the_built_graph(cache_dir, data):
    built = api.graph(api.load(data_dir=data))
    first, second = api.graph(data_dir=data), api.graph(data_dir=data)
    assert first is not second
    for g in (first, second):
        _same_graph(g, built)
    assert (_entry_dir(cache_dir) / "graph" / cache.MANIFEST).exists()


def test_every_engine_answers_from_the_cache_as_from_the_graph(cache_dir, any_data):
    """Every library call, on every embedded engine: the answer from the cached artifacts, then the one read back,
    are the answer computed on the graph (same rows, same types)."""
    data = any_data
    g = api.graph(api.load(data_dir=data))
    calls = library_calls(g, k=3)  # every question, a few values each: the engines' equality is tested elsewhere
    for lang in LANGS:
        for name, params in calls:
            want = api.query(name, params=params, lang=lang, graph=g).rows
            assert api.query(name, params=params, lang=lang, data_dir=data).rows == want, (lang, name, params)  # built
            assert api.query(name, params=params, lang=lang, data_dir=data).rows == want, (lang, name, params)  # read
    entry = _entry_dir(cache_dir)
    assert {p.name for p in entry.iterdir()} >= {"graph", "store", "ladybug", "answers"}
    asked = len(LANGS) * len({json.dumps([n, p], sort_keys=True) for n, p in calls})
    assert len(list((entry / "answers").glob("*.json"))) == min(asked, cache.ANSWERS)
    with pytest.raises(api.UsageError, match="unknown case 'nowhere'"):
        api.query("shared-interests", case="nowhere", lang="sparql", data_dir=data)


def test_a_changed_case_file_is_a_new_entry(cache_dir, data):
    api.query("shared-interests", lang="sparql", data_dir=data)
    case = data / "cases" / "river-1990.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("Regional stability", "Regional calm"), encoding="utf-8")
    for lang in LANGS:
        rows = api.query("shared-interests", lang=lang, data_dir=data).rows
        assert [r["interest_name"] for r in rows] == ["Regional calm"], lang
    assert len([p for p in (cache_dir / f"v{cache.FORMAT}").iterdir() if not p.name.startswith(".")]) == 2
    (data / "parties.yaml").write_text((data / "parties.yaml").read_text(encoding="utf-8") + "\n# a comment\n",
                                       encoding="utf-8")
    assert cache.key(data) != cache.key(MINI)


def test_the_shipped_corpus_from_the_cache(cache_dir, graph, tmp_path):
    """The shipped corpus (30 cases, dataset description): the cached graph is the built one, and the cached
    store and database answer a one-case question as the graph does; a changed dataset.yaml is a new key."""
    data = Path(shutil.copytree(ROOT / "data", tmp_path / "data", ignore=shutil.ignore_patterns("coding", "schema")))
    _same_graph(api.graph(data_dir=data), graph)
    assert api.graph(data_dir=data).graph == graph.graph and graph.graph.get("dataset_version")
    for lang in LANGS:
        want = api.query("value-creating-provisions", case="paris-2015", lang=lang, graph=graph).rows
        assert api.query("value-creating-provisions", case="paris-2015", lang=lang, data_dir=data).rows == want, lang
    before = cache.key(data)
    (data / "dataset.yaml").write_text((data / "dataset.yaml").read_text(encoding="utf-8") + "\n# changed\n",
                                       encoding="utf-8")
    assert cache.key(data) != before


def test_a_new_dataset_file_is_a_new_entry(cache_dir, data):
    """dataset.yaml is read by the loader when it exists: adding it changes the key and the cached graph."""
    assert "dataset_version" not in api.graph(data_dir=data).graph
    before = cache.key(data)
    shutil.copy(ROOT / "data" / "dataset.yaml", data / "dataset.yaml")
    assert cache.key(data) != before
    assert api.graph(data_dir=data).graph == api.graph(api.load(data_dir=data)).graph
    assert api.graph(data_dir=data).graph.get("dataset_version")


@pytest.mark.parametrize("damage", ["no manifest", "truncated", "rewritten", "garbage manifest"])
@pytest.mark.parametrize("kind", ["graph", "store", "ladybug"])
def test_a_damaged_artifact_is_rebuilt_never_used(cache_dir, data, kind, damage):
    lang = {"graph": "native", "store": "sparql", "ladybug": "cypher"}[kind]
    want = api.query("interest-provision-links", lang=lang, data_dir=data).rows
    entry = _entry_dir(cache_dir)
    shutil.rmtree(entry / "answers")  # so the next query needs the artifact again
    api._SHARED.clear()  # and not the graph kept in memory (kg.api.shared_graph)
    where = entry / kind
    files = json.loads((where / cache.MANIFEST).read_text())["files"]
    victim = where / max(files, key=lambda f: files[f][0])  # the largest file
    if damage == "no manifest":
        (where / cache.MANIFEST).unlink()
    elif damage == "garbage manifest":
        (where / cache.MANIFEST).write_text('{"format": 1, "files": {')
    elif damage == "truncated":
        with open(victim, "r+b") as f:
            f.truncate(victim.stat().st_size // 2)
    else:
        body = bytearray(victim.read_bytes())
        body[len(body) // 2 : len(body) // 2 + 64] = b"\xff" * 64
        victim.write_bytes(bytes(body))
    assert api.query("interest-provision-links", lang=lang, data_dir=data).rows == want
    assert cache._manifest(where, cache.key(data), kind) is not None  # a whole artifact again


def test_a_pickle_with_anything_but_a_graph_is_refused(cache_dir, data, tmp_path):
    """Even with a matching checksum, the graph's unpickler looks up nothing but networkx's graph class."""
    api.graph(data_dir=data)
    where = _entry_dir(cache_dir) / "graph"
    marker = tmp_path / "ran"
    evil = pickle.dumps(type("Evil", (), {"__reduce__": lambda self: (os.system, (f"touch {marker}",))})())
    with pytest.raises(pickle.UnpicklingError, match=r"refusing posix\.system"):
        cache._unpickle(evil)
    doc = json.loads((where / cache.MANIFEST).read_text())
    (where / "graph.pickle").write_bytes(evil)
    st = (where / "graph.pickle").stat()
    doc["files"]["graph.pickle"][:2] = [st.st_size, st.st_mtime_ns]
    doc["meta"]["sha256"] = __import__("hashlib").sha256(evil).hexdigest()
    (where / cache.MANIFEST).write_text(json.dumps(doc))
    _same_graph(api.graph(data_dir=data), api.graph(api.load(data_dir=data)))
    assert not marker.exists()


def test_a_damaged_answer_is_recomputed(cache_dir, data):
    want = api.query("shared-interests", lang="native", data_dir=data).rows
    (answer,) = (_entry_dir(cache_dir) / "answers").glob("*.json")
    doc = json.loads(answer.read_text())
    doc["rows"] = [{"negotiation": "forged"}]
    answer.write_text(json.dumps(doc))
    assert api.query("shared-interests", lang="native", data_dir=data).rows == want


def test_leftovers_of_a_killed_build_are_ignored(cache_dir, data):
    want = api.query("trades", lang="sparql", data_dir=data).rows
    entry = _entry_dir(cache_dir)
    shutil.rmtree(entry / "answers")
    shutil.move(entry / "store", entry / ".tmp-store-killed")  # as if killed before the rename
    assert api.query("trades", lang="sparql", data_dir=data).rows == want
    assert (entry / "store").is_dir()


def test_old_entries_are_pruned(cache_dir, data, monkeypatch):
    monkeypatch.setattr(cache, "KEEP", 2)
    case = data / "cases" / "river-1990.yaml"
    for i in range(4):
        case.write_text(case.read_text(encoding="utf-8") + f"\n# edit {i}\n", encoding="utf-8")
        api.graph(data_dir=data)
    assert len([p for p in (cache_dir / f"v{cache.FORMAT}").iterdir() if not p.name.startswith(".")]) <= 3


def test_pruning_leaves_what_the_cache_did_not_make(cache_dir, data, monkeypatch):
    """NEGKG_CACHE_DIR pointed at a folder of the user's: pruning removes old entries only, never their files."""
    monkeypatch.setattr(cache, "KEEP", 1)
    base = cache_dir / f"v{cache.FORMAT}"
    (base / "notes").mkdir(parents=True)
    (base / "notes" / "keep.txt").write_text("mine", encoding="utf-8")
    (base / "notes" / ".tmp-old").mkdir()
    os.utime(base / "notes" / ".tmp-old", (0, 0))
    case = data / "cases" / "river-1990.yaml"
    for i in range(3):
        case.write_text(case.read_text(encoding="utf-8") + f"\n# edit {i}\n", encoding="utf-8")
        api.graph(data_dir=data)
    assert (base / "notes" / "keep.txt").read_text(encoding="utf-8") == "mine" and (base / "notes" / ".tmp-old").is_dir()
    assert len([p for p in base.iterdir() if len(p.name) == 32]) <= 2


def _cli(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "kg", *args], cwd=ROOT, text=True, env={**os.environ, **env},
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_concurrent_cli_calls_share_one_cache(cache_dir, data):
    """Four CLI calls at once on an empty cache: all answer the same, and the cache they leave is whole."""
    env = {cache.DIRECTORY: str(cache_dir)}
    want = api.query("interest-provision-links", lang="cypher", graph=api.graph(api.load(data_dir=data))).to_json()
    procs = [_cli(["--data", str(data), "query", "interest-provision-links", "--lang", lang, "--format", "json"], env)
             for lang in ("cypher", "cypher", "sparql", "sparql")]
    outs = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [e for _, e in outs]
    assert all(json.loads(o) == json.loads(want) for o, _ in outs)
    entry = _entry_dir(cache_dir)
    for kind in ("graph", "store", "ladybug"):
        assert cache._manifest(entry / kind, cache.key(data), kind) is not None
    assert not [p for p in entry.iterdir() if p.name.startswith(".tmp-")]


def test_warm_cli_does_not_import_the_engines(cache_dir, data):
    """A repeated question is read back: neither networkx nor pyoxigraph nor LadybugDB is imported."""
    env = {**os.environ, cache.DIRECTORY: str(cache_dir)}
    args = ["--data", str(data), "query", "shared-interests", "--case", "river-1990"]
    code = ("import sys, runpy; sys.argv = ['negkg', *sys.argv[1:]]\n"
            "try:\n    runpy.run_module('kg', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "print(','.join(m for m in ('networkx', 'pyoxigraph', 'ladybug', 'rdflib', 'pydantic') if m in sys.modules),"
            " file=sys.stderr)")
    for lang in LANGS:
        first = subprocess.run([sys.executable, "-c", code, *args, "--lang", lang], cwd=ROOT, env=env, capture_output=True,
                               text=True, check=True)
        again = subprocess.run([sys.executable, "-c", code, *args, "--lang", lang], cwd=ROOT, env=env, capture_output=True,
                               text=True, check=True)
        assert again.stdout == first.stdout and "shared-interests" in first.stdout
        assert again.stderr.strip().splitlines()[-1:] in ([], [""]), (lang, again.stderr)
