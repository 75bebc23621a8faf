"""``negkg query`` and ``negkg queries``."""

from __future__ import annotations

import click

from kg.cli._common import data_dir, echo, parse_params


@click.command("query")
@click.argument("name")
@click.option("--case", help="Negotiation id (e.g. camp-david-1978).")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="A query parameter; repeatable.")
@click.option(
    "--lang",
    type=click.Choice(["native", "cypher", "sparql"]),
    default="native",
    show_default=True,
    help="Engine: networkx-native, Cypher (embedded) or SPARQL (embedded).",
)
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.pass_context
def cmd(ctx: click.Context, name: str, case: str | None, params: tuple[str, ...], lang: str, fmt: str) -> None:
    """Run the library question NAME (see `negkg queries`); --format json prints an array of row objects."""
    from kg import api, output

    res = api.query(name, case=case, lang=lang, params=parse_params(params), data_dir=data_dir(ctx))
    echo(output.render(res, fmt))


@click.command("queries")
def list_cmd() -> None:
    """List the query library."""
    from kg import output
    from kg.queries import LIBRARY

    rows = [q.header() for q in LIBRARY.values()]
    echo(output.table(["name", "description", "parameters", "columns"], rows, title="Query library"))
