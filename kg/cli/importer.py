"""``negkg import`` and ``negkg fmt``: graph files back into case files, and the canonical form of case files."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli._common import data_dir, echo


@click.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--out", "out_dir", type=click.Path(file_okay=False), required=True,
              help="Data directory to write: cases/ID.yaml, and parties.yaml and sources.yaml when it has none.")
@click.option("--format", "fmt", metavar="FORMAT",
              help="nodelink, graphml, yed, gexf, turtle, ntriples, jsonld or trig. Default: from the file name.")
@click.option("--force", is_flag=True, help="Replace existing files that the import would change.")
@click.option("--check", is_flag=True, help="Validate only; write nothing.")
def cmd(path: str, out_dir: str, fmt: str | None, force: bool, check: bool) -> None:
    """Read a graph file written by `negkg export` (or edited since) back into validated case files.

    Every problem reads FILE:LINE ELEMENT: MESSAGE (the case-file path it would become), exit 2,
    and nothing is written. Existing files are never replaced without --force.

    \b
    Examples:
      negkg export --format graphml --select case=camp-david-1978 --out cd.graphml
      negkg import cd.graphml --out imported/
      negkg import edited.json --out data --force
    """
    from kg import api

    res = api.import_file(path, out_dir, fmt, force, write=not check)
    for p in res.files:
        click.echo(f"{'would write' if check else 'wrote'} {p}")
    for p in res.unchanged:
        click.echo(f"unchanged {p}")


@click.command("fmt")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--out", "out_dir", type=click.Path(file_okay=False),
              help="Write the canonical files (parties.yaml, sources.yaml, cases/) under this directory.")
@click.option("--force", is_flag=True, help="With --out: replace existing files.")
@click.pass_context
def fmt_cmd(ctx: click.Context, paths: tuple[str, ...], out_dir: str | None, force: bool) -> None:
    """Print case files (default: all) in the canonical form that `negkg import` writes.

    The canonical form says what the file says, in the order the graph keeps (see docs/export.md).
    """
    from kg import api
    from kg.errors import InvalidInput, Problem
    from kg.io import atomic_write

    files = api.canonical(list(paths) or None, data_dir(ctx))
    chosen = sorted(f for f in files if f.startswith("cases/")) if paths else sorted(files)
    if out_dir is None:
        echo("---\n".join(f"# {f}\n{files[f]}" for f in chosen))
        return
    targets = {Path(out_dir) / f: files[f] for f in chosen}
    clash = [p for p, t in targets.items() if p.exists() and p.read_text(encoding="utf-8") != t]
    if clash and not force:
        raise InvalidInput([Problem(str(p), 0, "", "exists and differs: use --force to replace it") for p in clash])
    for p, t in targets.items():
        atomic_write(p, t)
        click.echo(f"wrote {p}")
