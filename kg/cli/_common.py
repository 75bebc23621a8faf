"""Helpers shared by the subcommands."""

from __future__ import annotations

import sys
from typing import Any

import click


def data_dir(ctx: click.Context) -> str | None:
    """The --data directory given to the group, if any."""
    return (ctx.find_root().obj or {}).get("data_dir")


def echo(obj: Any) -> None:
    """Print text as is, or a rich renderable through a rich console (no markup in data)."""
    if isinstance(obj, str):
        sys.stdout.write(obj if obj.endswith("\n") else obj + "\n")
        return
    from rich.console import Console

    Console(soft_wrap=False).print(obj)


def parse_params(values: tuple[str, ...]) -> dict[str, str]:
    """``("k=v", ...)`` -> dict; a value may contain '='."""
    out = {}
    for v in values:
        if "=" not in v:
            raise click.BadParameter(f"expected KEY=VALUE, got {v!r}", param_hint="--param")
        k, _, val = v.partition("=")
        out[k.strip()] = val
    return out
