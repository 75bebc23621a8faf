"""Neo4j connection options shared by `negkg load-neo4j`, `negkg cypher` and `negkg query` (click only: no driver import)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

_HELP = {
    "uri": "bolt://, neo4j:// (routing: clusters, Aura) or their +s/+ssc forms [env: NEO4J_URI; default bolt://localhost:7687]",
    "user": "[env: NEO4J_USERNAME; default neo4j]",
    "password": "[env: NEO4J_PASSWORD] Prefer the variable: a flag shows in the process list.",
    "database": "[env: NEO4J_DATABASE; default: the server's default database]",
}


def neo4j_options(short: bool = True) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Add --neo4j-uri, --neo4j-user, --neo4j-password, --neo4j-database (and --uri, --user, ... when ``short``).

    Flags override the NEO4J_* variables. Commands that talk to other servers too use ``short=False``.
    """

    def deco(f: Callable[..., Any]) -> Callable[..., Any]:
        for name in reversed(_HELP):
            flags = (f"--neo4j-{name}", f"--{name}") if short else (f"--neo4j-{name}",)
            f = click.option(*flags, f"neo4j_{name}", metavar="URI" if name == "uri" else "TEXT", help=_HELP[name])(f)
        return f

    return deco


def neo4j_settings(kwargs: dict[str, Any]) -> Any:
    """Pop the connection options out of a command's keyword arguments; return a ``kg.cypher.neo4jdb.Settings``."""
    from kg.cypher.neo4jdb import Settings

    return Settings.from_env(
        uri=kwargs.pop("neo4j_uri", None),
        user=kwargs.pop("neo4j_user", None),
        password=kwargs.pop("neo4j_password", None),
        database=kwargs.pop("neo4j_database", None),
    )


def given(kwargs: dict[str, Any]) -> bool:
    """Whether any connection option was given on the command line."""
    return any(kwargs.get(k) for k in ("neo4j_uri", "neo4j_user", "neo4j_password", "neo4j_database"))
