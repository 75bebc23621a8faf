"""``negkg precedents`` and ``negkg potential``: thin layers over :mod:`kg.integrative`."""

from __future__ import annotations

import click

from kg.cli._common import data_dir, echo

_LANG = click.option("--lang", type=click.Choice(["native", "cypher", "sparql"]), default="native", show_default=True,
                     help="The engine that answers the library question `precedents`.")
_FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
                       show_default=True)


@click.command("precedents")
@click.argument("categories", nargs=-1)
@click.option("--interest", help="An interest id ('case/slug'): precedents for its category, elsewhere.")
@click.option("--issue", help="An issue id ('case/slug'): precedents for the categories behind the parties' positions.")
@click.option("--domain", help="Only negotiations of this domain (e.g. peace, climate).")
@click.option("--mechanism", help="Only provisions using this mechanism (e.g. bridging).")
@click.option("--since", metavar="YYYY", help="Only negotiations that began in or after this year.")
@click.option("--until", metavar="YYYY", help="Only negotiations that began in or before this year.")
@click.option("--exclude", metavar="CASE", help="Leave out this negotiation.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Keep the best N rows.")
@_LANG
@_FORMAT
@click.pass_context
def cmd(ctx: click.Context, categories: tuple[str, ...], interest: str | None, issue: str | None, domain: str | None,
        mechanism: str | None, since: str | None, until: str | None, exclude: str | None, limit: int, lang: str,
        fmt: str) -> None:
    """Provisions elsewhere that served interests of these categories held by different principals, ranked.

    Give one or two interest CATEGORIES (e.g. `negkg precedents security sovereignty`), or --interest, or
    --issue. Each row says in one line (`why`) how it matched and why it ranks there; see docs/precedents.md.
    """
    from kg import api, output
    from kg.integrative import precedents

    g = api.graph(data_dir=data_dir(ctx))
    res = precedents(list(categories), interest=interest, issue=issue, domain=domain, mechanism=mechanism,
                     since=since, until=until, exclude=exclude, limit=limit, graph=g, lang=lang)
    echo(output.render(res, fmt, ["rank", "score", "negotiation", "provision_name", "locator", "mechanisms", "why"],
                       cards=True))


@click.command("potential")
@click.option("--case", required=True, help="Negotiation id (concluded, failed or ongoing).")
@click.option("--per-target", type=click.IntRange(min=1), default=3, show_default=True,
              help="Precedents kept for each unmet interest, bridging or logrolling candidate.")
@click.option("--limit", type=click.IntRange(min=1), help="Keep the best N suggestions.")
@click.option("--with", "with_data", multiple=True, metavar="DIR",
              type=click.Path(exists=True, file_okay=False),
              help="Another data directory (e.g. data/examples/gerd) whose cases join the corpus in one graph, "
                   "so that a case kept outside the corpus gets the corpus's precedents. Repeatable.")
@_LANG
@_FORMAT
@click.pass_context
def potential_cmd(ctx: click.Context, case: str, per_target: int, limit: int | None, with_data: tuple[str, ...],
                  lang: str, fmt: str) -> None:
    """Integrative potential of a case: cited suggestions from other cases for its unmet interests, bridging
    candidates and logrolling candidates. Every suggestion is a real provision of another negotiation.

    `negkg potential --case gerd --with data/examples/gerd` asks for the example's potential against the corpus.
    """
    from kg import api, output
    from kg.integrative import potential

    g = api.graph(data_dir=data_dir(ctx), with_data=with_data)
    res = potential(case, graph=g, per_target=per_target, limit=limit, lang=lang)
    echo(output.render(res, fmt, ["rank", "kind", "target", "negotiation", "provision_name", "locator", "why"],
                       cards=True))
