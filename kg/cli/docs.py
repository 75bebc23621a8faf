"""``negkg docs``: regenerate the generated documentation."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli._common import STDOUT, data_dir, status, write_options

#: every generated doc says this; an existing file that does is negkg's to replace (see kg.io)
SIGNATURE = "by `negkg docs`; do not edit by hand."


@click.command("docs")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="docs", show_default=True)
@write_options
@click.pass_context
def cmd(ctx: click.Context, out_dir: str, force: bool, quiet: bool) -> None:
    """Write docs/vocabulary.md (from the model) and docs/cases.md (from the graph)."""
    from kg import api
    from kg.docgen import cases_markdown, vocabulary_markdown
    from kg.errors import UsageError
    from kg.io import atomic_write, check_out_dir, check_target, overwrite

    if out_dir == STDOUT:
        raise UsageError("docs writes two files: --out - cannot be used")
    names = ("vocabulary.md", "cases.md")
    for name in names:
        check_target(check_out_dir(out_dir) / name, force=force, signature=SIGNATURE)
    g = api.graph(data_dir=data_dir(ctx))
    with overwrite(force):
        for name, text in zip(names, (vocabulary_markdown(), cases_markdown(g)), strict=True):
            atomic_write(Path(out_dir) / name, text, signature=SIGNATURE)
            status(ctx, f"wrote {Path(out_dir) / name}")
