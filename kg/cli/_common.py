"""Helpers shared by the subcommands: output to the terminal, status lines, and the options of commands that write."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

STDOUT = "-"  #: ``--out -``: standard output (same as kg.io.STDOUT; kept here so --help imports nothing more)


def data_dir(ctx: click.Context) -> str | None:
    """The --data directory given to the group, if any."""
    return (ctx.find_root().obj or {}).get("data_dir")


def echo(obj: Any) -> None:
    """Print data for a person: text with control characters escaped (:func:`kg.text.escape`), or a rich
    renderable through a rich console (cells are escaped by :func:`kg.output.table`; no markup in data)."""
    if isinstance(obj, str):
        from kg.text import escape

        obj = escape(obj)
        sys.stdout.write(obj if obj.endswith("\n") else obj + "\n")
        return
    from rich.console import Console

    Console(soft_wrap=False).print(obj)


def document(data: str | bytes) -> None:
    """Write a whole document (``--out -``) to standard output: as it is, but escaped when it is a terminal."""
    if isinstance(data, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    if sys.stdout.isatty():
        from kg.text import escape

        data = escape(data)
    sys.stdout.write(data)


def quiet(ctx: click.Context) -> bool:
    """Whether --quiet was given to the command or to the group."""
    return bool(ctx.params.get("quiet") or (ctx.find_root().obj or {}).get("quiet"))


def status(ctx: click.Context, message: str) -> None:
    """A status line ("wrote ...") on standard error, escaped; nothing with --quiet."""
    if not quiet(ctx):
        from kg.text import escape

        click.echo(escape(message), err=True)


def write_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """Add --force and --quiet to a command that writes files."""
    f = click.option("--quiet", "-q", "quiet", is_flag=True, help="Print no status lines (errors still go to stderr).")(f)
    return click.option(
        "--force", is_flag=True,
        help="Overwrite or replace what negkg did not write at --out (never the working directory, its parents, "
             "home or /).",
    )(f)


def parse_params(values: tuple[str, ...]) -> dict[str, str]:
    """``("k=v", ...)`` -> dict; a value may contain '='."""
    out = {}
    for v in values:
        if "=" not in v:
            raise click.BadParameter(f"expected KEY=VALUE, got {v!r}", param_hint="--param")
        k, _, val = v.partition("=")
        out[k.strip()] = val
    return out


def read_query_file(path: str, what: str) -> str:
    """The text of a ``--file`` query: a regular UTF-8 file of at most 1 MiB (a FIFO or a directory is refused)."""
    import os

    from kg.errors import UsageError
    from kg.io import ReadRefused, read_bytes

    try:
        raw = read_bytes(path, 1024 * 1024)
    except ReadRefused as e:
        raise UsageError(f"{path}: {e}") from None
    except OSError as e:
        raise UsageError(f"{path}: cannot read file: {e.strerror or e}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UsageError(f"{os.fspath(path)}: the {what} is not valid UTF-8 (byte 0x{raw[e.start]:02x} at offset "
                         f"{e.start})") from None
