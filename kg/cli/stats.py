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
    if len(rows) <= TRANSPOSE_UP_TO:  # one column per case reads better than 23 narrow columns
        cases = [r["case"] for r in rows]
        table = [{"metric": c, **{r["case"]: _cell(r[c]) for r in rows}} for c in COLUMNS[1:]]
        echo(output.table(["metric", *cases], table, title=f"Coverage per case, {corpus}"))
        return
    # many cases: one row per case, the columns a reader compares across cases (json carries them all)
    table = [{label: f"{r[c]:.0%}" if c.endswith("_share") and r[c] is not None else _cell(r[c])
              for c, label in SUMMARY.items()} for r in rows]
    key = "; ".join(f"{label} = {c}" for c, label in SUMMARY.items() if label != c)
    echo(output.table(list(SUMMARY.values()), table, title=f"Coverage per case, {corpus}", lines=False,
                      no_wrap=tuple(SUMMARY.values()),
                      caption=f"{len(rows)} cases. {key}. --case ID or --format json: all {len(COLUMNS)} columns."))


#: up to this many cases, the table has one column per case and a row per metric
TRANSPOSE_UP_TO = 4
#: the columns of the one-row-per-case table, with their short headers
SUMMARY = {"case": "case", "interests": "int.", "provisions": "prov.", "value_creating_provisions": "VC",
           "distributive_provisions": "distr.", "deferred_provisions": "def.", "integrative_share": "VC %",
           "unmet_interests": "unmet"}


def _cell(v: object) -> object:
    return ", ".join(map(str, v)) if isinstance(v, list) else v
