"""``negkg docs``: regenerate the generated documentation."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli._common import data_dir


@click.command("docs")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="docs", show_default=True)
@click.pass_context
def cmd(ctx: click.Context, out_dir: str) -> None:
    """Write docs/vocabulary.md (from the model) and docs/cases.md (from the graph)."""
    from kg import api
    from kg.docgen import cases_markdown, vocabulary_markdown
    from kg.io import atomic_write

    g = api.graph(data_dir=data_dir(ctx))
    for name, text in (("vocabulary.md", vocabulary_markdown()), ("cases.md", cases_markdown(g))):
        atomic_write(Path(out_dir) / name, text)
        click.echo(f"wrote {Path(out_dir) / name}")
