"""Shared fixtures. Server fixtures (Neo4j, Fuseki, Chromium) live in tests/plugins/."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "fixtures" / "mini"
ANALYSIS = Path(__file__).resolve().parent / "fixtures" / "analysis"

pytest_plugins = ["tests.plugins.fuseki", "tests.plugins.neo4j", "tests.plugins.browser"]


@pytest.fixture(scope="session")
def corpus():
    """The shipped corpus, validated."""
    from kg import api

    return api.load(data_dir=ROOT / "data")


@pytest.fixture(scope="session")
def graph(corpus):
    """The canonical graph of the shipped corpus."""
    from kg import api

    return api.graph(corpus)


@pytest.fixture(scope="session")
def mini_graph():
    """The canonical graph of the small invented corpus in tests/fixtures/mini."""
    from kg import api

    return api.graph(api.load(data_dir=MINI))


@pytest.fixture(scope="session")
def analysis_graph():
    """The invented corpus in tests/fixtures/analysis, built to exercise every branch of the definitions."""
    from kg import api

    return api.graph(api.load(data_dir=ANALYSIS))


@pytest.fixture(scope="session")
def combined_graph(corpus, analysis_graph):
    """The shipped corpus and the analysis fixture in one graph (disjoint ids), for the server engines.

    Built from ``corpus``, not from the ``graph`` fixture, which tests/test_neo4j.py overrides with this one."""
    import networkx as nx

    from kg import api

    return nx.compose(api.graph(corpus), analysis_graph)
