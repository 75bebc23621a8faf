"""``negkg report``: a cited report of a case or a selection, as Markdown, HTML or PDF."""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli._common import STDOUT, data_dir, document, status, write_options
from kg.cli.export import select_options, selection


@click.command("report")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "html", "pdf", "docx"]),
    default="html",
    show_default=True,
    help="md (figures written beside it as NAME.svg), self-contained html, pdf (printed by headless Chromium, with "
    "page numbers and a table of contents), or docx (Word; needs the 'docx' extra: pip install negotiation-kg[docx]).",
)
@click.option(
    "--sections",
    metavar="LIST",
    help="Comma-separated parts to include, in their usual order: summary, comparison (several negotiations), figure, "
    "positions, shared, value-creating, unmet, contributions, deferred, potential, queries, bibliography. Default: all.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False),
    help="Output file; '-' for standard output. Default: out/report-CASE.FORMAT (out/report.FORMAT for a selection).",
)
@click.option("--no-timestamp", is_flag=True, help="Leave the generation time out, so the same data gives the same bytes.")
@click.option("--title", help="Title of the report. Default: from the negotiation.")
@select_options
@write_options
@click.pass_context
def cmd(
    ctx: click.Context,
    fmt: str,
    out: str | None,
    no_timestamp: bool,
    title: str | None,
    sections: str | None,
    case: str | None,
    select: tuple[str, ...],
    hops: int,
    across_cases: bool,
    lang: str,
    params: tuple[str, ...],
    force: bool,
    quiet: bool,
) -> None:
    """Write a report of --case ID or of a --select subgraph: summary, figure, positions, shared interests,
    value-creating provisions, unmet interests, the query, bibliography (--sections picks). A selection
    of several negotiations also compares them side by side.

    \b
    Examples:
      negkg report --case camp-david-1978 --format pdf
      negkg report --select party=usa --select category=security --format html --out usa.html
      negkg report --select query=value-creating-provisions --case oslo-1993 --format md --no-timestamp
      negkg report --case paris-2015 --sections summary,value-creating,bibliography --format pdf
      negkg report --select mechanism=bridging --format html      # several negotiations, compared
    """
    from kg import api, report
    from kg.errors import UsageError
    from kg.io import check_target, overwrite
    from kg.report.content import parse_sections
    from kg.select import select as select_

    crit = selection(case, select, hops, lang, params, across_cases)
    if not crit:
        raise UsageError("say what to report on: --case ID or --select KEY=VALUE (see negkg report --help)")
    path = out or f"out/report{'-' + crit['case'] if crit.get('case') else ''}.{fmt}"
    if path != STDOUT:  # before any work: a refused --out fails fast (report.write checks every figure too)
        for p in [path] + ([str(Path(path).with_suffix(".svg"))] if fmt == "md" else []):
            check_target(p, force=force)
    full = api.graph(data_dir=data_dir(ctx))
    g = select_(full, **crit)
    options = {"criteria": crit, "title": title, "timestamp": None if no_timestamp else "now",
               "sections": parse_sections(sections), "corpus": full}
    what = f"{g.number_of_nodes()} nodes, {g.number_of_edges()} relationships"
    if path == STDOUT:
        document(report.render(g, fmt, **options))
        status(ctx, f"wrote standard output ({what})")
        return
    with overwrite(force):
        files = report.write(g, path, fmt, **options)
    status(ctx, f"wrote {', '.join(map(str, files))} ({what})")
