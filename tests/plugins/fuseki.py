"""The ``fuseki_server`` fixture: a real Apache Jena Fuseki (jena-fuseki-main 5.6.0) on 127.0.0.1.

The launcher is :func:`kg.servers.fuseki_process` (the one ``negkg fuseki start`` uses too): the jars
come from Maven Central through servers/fuseki/pom.xml (cached in ~/.m2); the server runs in memory
with HTTP Basic authentication (a random password), one dataset ``/ds`` with update enabled, and
stops at the end of the session. Without ``java``/``mvn`` the tests skip, except under CI=true,
where they fail.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kg import servers


@dataclass(frozen=True)
class Fuseki:
    dataset_url: str
    query_url: str
    update_url: str
    gsp_url: str
    user: str
    password: str
    log: Path


def _unavailable(msg: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{msg} (see docs/testing.md)")
    pytest.skip(f"{msg}; see docs/testing.md")


def classpath() -> str:
    """The Fuseki classpath, resolved by Maven (jars cached in ~/.m2); skips (fails under CI=true) without it."""
    try:
        return servers.classpath("fuseki")
    except servers.Unavailable as e:
        _unavailable(str(e))
        raise


@pytest.fixture(scope="session")
def fuseki_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuseki]:
    """A running Fuseki: ``.dataset_url``, ``.query_url``, ``.update_url``, ``.gsp_url``, ``.user``, ``.password``."""
    work = tmp_path_factory.mktemp("fuseki")
    with contextlib.ExitStack() as stack:
        try:
            _, c = stack.enter_context(servers.fuseki_process(work))
        except servers.Unavailable as e:
            _unavailable(str(e))
        except servers.RuntimeFailure as e:
            pytest.fail(str(e))
        yield Fuseki(c.url, c.query_url, c.update_url, c.gsp_url, c.user, c.password, work / "fuseki.log")
