"""``negkg validate`` and ``negkg schema``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from kg.cli._common import STDOUT, data_dir, status, write_options


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--shacl", is_flag=True, help="Also validate the RDF form against the SHACL shapes (pySHACL).")
@click.option("--lint", "lint_", is_flag=True,
              help="Also print the data lint's warnings (interests that restate positions, missing strengths, ...).")
@click.option("--show-waived", is_flag=True, help="With --lint: also the warnings the data waives, with their reasons.")
@click.pass_context
def cmd(ctx: click.Context, paths: tuple[str, ...], shacl: bool = False, lint_: bool = False,
        show_waived: bool = False) -> None:
    """Validate case files (default: all of data/cases) and report every problem at once.

    Each problem reads FILE:LINE PATH: MESSAGE. Exit code 2 when any file is invalid. --lint adds
    warnings (FILE:LINE PATH: MESSAGE [RULE]) on standard output; they never change the exit code.
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
    if lint_:
        from kg.lint import lint

        warnings = lint(corpus, include_waived=show_waived)
        for w in warnings:
            click.echo(str(w))
        waived = sum(1 for w in lint(corpus, include_waived=True) if w.waived)
        click.echo(f"lint: {sum(1 for w in warnings if not w.waived)} warnings ({waived} waived with a reason)", err=True)


#: every JSON Schema negkg writes has an $id under this; an existing file that does is negkg's to replace
SCHEMA_SIGNATURE = '"$id": "https://w3id.org/negotiation-kg/schema/'


@click.command("schema")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="data/schema", show_default=True)
@write_options
@click.pass_context
def schema_cmd(ctx: click.Context, out_dir: str, force: bool, quiet: bool) -> None:
    """Write the JSON Schemas of case, parties and sources files (for editors)."""
    from kg.errors import UsageError
    from kg.io import atomic_write, check_out_dir, check_target, overwrite
    from kg.schema import json_schemas

    if out_dir == STDOUT:
        raise UsageError("schema writes three files: --out - cannot be used")
    schemas = json_schemas()
    for name in schemas:
        check_target(check_out_dir(out_dir) / name, force=force, signature=SCHEMA_SIGNATURE)
    with overwrite(force):
        for name, s in schemas.items():
            atomic_write(Path(out_dir) / name, json.dumps(s, indent=2, ensure_ascii=False) + "\n", signature=SCHEMA_SIGNATURE)
            status(ctx, f"wrote {Path(out_dir) / name}")
