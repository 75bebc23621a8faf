"""``negkg validate`` and ``negkg schema``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kg.cli._common import data_dir


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--shacl", is_flag=True, help="Also validate the RDF form against the SHACL shapes (pySHACL).")
@click.pass_context
def cmd(ctx: click.Context, paths: tuple[str, ...], shacl: bool = False) -> None:
    """Validate case files (default: all of data/cases) and report every problem at once.

    Each problem reads FILE:LINE PATH: MESSAGE. Exit code 2 when any file is invalid.
    """
    from kg import api
    from kg.errors import InvalidInput

    corpus = api.load(list(paths) or None, data_dir(ctx))
    if not corpus.cases:
        raise InvalidInput("no case files found")
    n_prov = sum(len(a.provisions) for c in corpus.cases for a in c.agreements)
    click.echo(
        f"ok: {len(corpus.cases)} cases, {len(corpus.parties)} parties, {len(corpus.sources)} sources, {n_prov} provisions valid"
    )
    if shacl:
        from kg.rdf.shacl import validate as shacl_validate

        violations = shacl_validate(api.graph(corpus))
        if violations:
            raise InvalidInput("\n".join(map(str, violations)))
        click.echo("ok: RDF conforms to the SHACL shapes (0 violations)")


@click.command("schema")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="data/schema", show_default=True)
def schema_cmd(out_dir: str) -> None:
    """Write the JSON Schemas of case, parties and sources files (for editors)."""
    from kg.io import atomic_write
    from kg.schema import json_schemas

    for name, s in json_schemas().items():
        atomic_write(Path(out_dir) / name, json.dumps(s, indent=2, ensure_ascii=False) + "\n")
        click.echo(str(Path(out_dir) / name))
