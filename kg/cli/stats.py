"""``negkg stats``."""

from __future__ import annotations

import json

import click

from kg.cli._common import data_dir, echo


@click.command("stats")
@click.option("--case", help="Only this negotiation.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
def cmd(ctx: click.Context, case: str | None, fmt: str) -> None:
    """Coverage per case: node counts; value-creating, distributive, deferred and other provisions and their
    shares; share of claims with sources; provisions without SERVES links; unmet interests (of principals and
    affected parties, served by no provision at strength partial or full); principals without positions;
    facts flagged uncertain."""
    from kg import api, output
    from kg.stats import COLUMNS, case_stats

    g = api.graph(data_dir=data_dir(ctx))
    api.check_case(g, case)
    rows = case_stats(g, case)
    version = g.graph.get("dataset_version")
    corpus = f"corpus {version} ({g.graph.get('license_name')})" if version else "corpus without data/dataset.yaml"
    click.echo(f"negotiation-kg {corpus}", err=True)
    if fmt == "json":
        echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    # transpose: one column per case reads better than 17 narrow columns
    cases = [r["case"] for r in rows]
    table = [
        {"metric": c, **{r["case"]: (", ".join(r[c]) if isinstance(r[c], list) else r[c]) for r in rows}} for c in COLUMNS[1:]
    ]
    echo(output.table(["metric", *cases], table, title=f"Coverage per case, {corpus}"))
