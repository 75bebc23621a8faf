"""``negkg viz``: write the interactive gallery (or one page) as self-contained HTML."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli._common import data_dir, parse_params


@click.command("viz")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="visualizations", show_default=True,
              help="Directory of the pages.")
@click.option("--query", "query_name", metavar="NAME", help="Only the page of this library question (see `negkg queries`).")
@click.option("--case", help="Only this negotiation's page; with --query, the question for this negotiation.")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="A query parameter; repeatable.")
@click.option("--lang", type=click.Choice(["native", "cypher", "sparql"]), default="native", show_default=True,
              help="Engine answering --query.")
@click.option("--focus", metavar="NODE", help="With --case: select and centre this node (id or Type:id).")
@click.pass_context
def cmd(ctx: click.Context, out_dir: str, query_name: str | None, case: str | None, params: tuple[str, ...],
        lang: str, focus: str | None) -> None:
    """Write the gallery: one page per negotiation, per query result, a cross-case overview and an index.

    Every page is one HTML file with all scripts and styles inline: it works offline.
    """
    from kg import api
    from kg.viz import pages

    if focus and (query_name or not case):
        raise click.UsageError("--focus needs --case (and no --query)")
    if (params or lang != "native") and not query_name:
        raise click.UsageError("--param and --lang need --query")
    g = api.graph(data_dir=data_dir(ctx))
    out = Path(out_dir)
    if query_name:
        given = parse_params(params)
        res = api.query(query_name, case=case, lang=lang, params=given, graph=g)
        path = out / pages.query_page_file(query_name, case, lang, given)
        pages.write(path, pages.query_page(g, res, case=case, params=given))
        written = [path]
    elif case:
        path = out / f"case-{case}.html"
        pages.write(path, pages.case_page(g, case, focus=focus))
        written = [path]
    else:
        written = pages.gallery(g, out)
    for p in written:
        click.echo(f"wrote {p}")
