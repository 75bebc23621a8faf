"""``negkg viz``: write the interactive gallery (or one page) as self-contained HTML."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli._common import STDOUT, data_dir, document, parse_params, status, write_options


@click.command("viz")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="visualizations", show_default=True,
              help="Directory of the pages; '-' prints the one page of --case or --query to standard output.")
@click.option("--query", "query_name", metavar="NAME", help="Only the page of this library question (see `negkg queries`).")
@click.option("--case", help="Only this negotiation's page; with --query, the question for this negotiation.")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="A query parameter; repeatable.")
@click.option("--lang", type=click.Choice(["native", "cypher", "sparql"]), default="native", show_default=True,
              help="Engine answering --query.")
@click.option("--focus", metavar="NODE", help="With --case: select and centre this node (id or Type:id).")
@write_options
@click.pass_context
def cmd(ctx: click.Context, out_dir: str, query_name: str | None, case: str | None, params: tuple[str, ...],
        lang: str, focus: str | None, force: bool, quiet: bool) -> None:
    """Write the gallery: one page per negotiation, per query result, a cross-case overview and an index.

    Every page is one HTML file with all scripts and styles inline: it works offline.
    """
    from kg import api
    from kg.io import check_out_dir, check_target, overwrite
    from kg.viz import pages

    if focus and (query_name or not case):
        raise click.UsageError("--focus needs --case (and no --query)")
    if (params or lang != "native") and not query_name:
        raise click.UsageError("--param and --lang need --query")
    if out_dir == STDOUT and not (query_name or case):
        raise click.UsageError("--out - prints one page: give --case or --query")
    out = Path(out_dir)
    given = parse_params(params)
    single = pages.query_page_file(query_name, case, lang, given) if query_name else f"case-{case}.html" if case else None
    if out_dir != STDOUT:  # before any work: a refused --out fails fast
        check_out_dir(out)
        if single:
            check_target(out / single, force=force)
    g = api.graph(data_dir=data_dir(ctx))
    if query_name:
        res = api.query(query_name, case=case, lang=lang, params=given, graph=g)
        page = pages.query_page(g, res, case=case, params=given)
    elif case:
        page = pages.case_page(g, case, focus=focus)
    if single and out_dir == STDOUT:
        from kg.text import check_document

        document(check_document(page, f"the page {single}"))
        return
    with overwrite(force):
        written = [pages.write(out / single, page)] if single else pages.gallery(g, out)
    for p in written:
        status(ctx, f"wrote {p}")
