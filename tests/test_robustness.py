"""Robustness: property-based tests on the loader and query parameters, and Ctrl-C during a build."""

from __future__ import annotations

import copy
import functools
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kg
from kg.errors import InvalidInput, UsageError
from kg.io import MANIFEST
from kg.load import load

MINI = Path(__file__).parent / "fixtures" / "mini"
CASE = yaml.safe_load((MINI / "cases" / "river-1990.yaml").read_text())

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10, 10**6), st.floats(allow_nan=False), st.text(max_size=20))
values = st.recursive(
    scalars, lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4), max_leaves=20
)


@functools.cache
def _mini_graph():
    return kg.build_graph(kg.load_corpus(data_dir=MINI))


def _write(tmp_path: Path, text: str | bytes) -> Path:
    p = tmp_path / "river-1990.yaml"
    p.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    return p


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_any_bytes_are_valid_or_refused_cleanly(tmp_path, data):
    try:
        load([_write(tmp_path, data)], data_dir=MINI)
    except InvalidInput as e:
        assert e.problems and all(p.message for p in e.problems)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(sorted(CASE)), min_size=1, max_size=3), values)
def test_mutated_case_is_valid_or_refused_with_locations(tmp_path, keys, value):
    """Replace top-level fields of a valid case with arbitrary values: never a crash, always a located problem."""
    doc = copy.deepcopy(CASE)
    for k in keys:
        doc[k] = value
    path = _write(tmp_path, yaml.safe_dump(doc, allow_unicode=True))
    try:
        load([path], data_dir=MINI)
    except InvalidInput as e:
        for p in e.problems:
            assert p.file.endswith("river-1990.yaml")
            assert p.line >= 0 and p.message


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.sampled_from(["shared-interests", "party-profile", "evidence", "positions-and-interests"]))
def test_query_parameters_are_data(value, name):
    """Any string as a parameter either answers (usually nothing) or is refused as bad input; the graph is unchanged."""
    g = _mini_graph()
    before = (g.number_of_nodes(), g.number_of_edges())
    param = {"shared-interests": "case", "party-profile": "party", "evidence": "id", "positions-and-interests": "party"}[name]
    try:
        rows = kg.query(name, graph=g, params={param: value}).rows
        assert rows == [] or value in ("alpha", "beta", "gamma", "river-1990") or value.startswith("river-1990/")
    except UsageError as e:
        assert "unknown case" in str(e) or "needs the parameter" in str(e)
    assert (g.number_of_nodes(), g.number_of_edges()) == before


def test_ctrl_c_during_build_leaves_previous_outputs(tmp_path):
    from kg.synth import generate

    data = generate(400, seed=3, out_dir=tmp_path / "synth")
    out = tmp_path / "out"
    subprocess.run([sys.executable, "-m", "kg", "--data", str(MINI), "build", "--out", str(out)], check=True, capture_output=True)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg", "--data", str(data), "build", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "NEGKG_CACHE": "0"},  # a cached graph would let the build finish before the interrupt
    )
    time.sleep(1.5)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the build finished before the interrupt; machine too fast for this corpus size")
    assert proc.returncode == 130, err
    assert b"Traceback" not in err and b"interrupted" in err
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before  # no temporary files left, previous files intact (and the manifest that says so)
    assert not any(n.startswith(".") and n != MANIFEST for n in os.listdir(out))
