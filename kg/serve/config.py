"""What a workbench server is configured with: one frozen, picklable value shared by the app and its workers."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Config", "is_loopback"]


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this machine only (127.0.0.0/8, ::1, localhost).

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0"), is_loopback("::1")
    (True, True, False, True)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Config:
    """Options of ``negkg serve`` (see ``negkg serve --help``)."""

    data_dir: str | None = None
    host: str = "127.0.0.1"
    port: int = 0
    token: str | None = field(default=None, repr=False)  # required (and then checked) off the loopback interface
    timeout: float = 30.0  # seconds a query may run before its worker is stopped
    page_timeout: float = 300.0  # seconds for the gallery, reports and exports
    max_rows: int = 10_000  # rows (or triples) a result may have
    workers: int = 2
    neo4j: dict[str, Any] | None = field(default=None, repr=False)  # fields of kg.cypher.neo4jdb.Settings
    sparql_endpoint: str | None = None
    cors: tuple[str, ...] = ()  # origins that may read GET /sparql answers (e.g. a hosted YASGUI)
    scratch: str | None = None  # the server's temporary directory (workers' engine files), removed at exit

    @property
    def engines(self) -> dict[str, str]:
        """Query language -> what answers it, for labels in the workbench."""
        return {"native": "networkx (reference)",
                "cypher": "Neo4j" if self.neo4j else "embedded LadybugDB",
                "sparql": "SPARQL endpoint" if self.sparql_endpoint else "embedded Oxigraph"}
