"""The ``negkg`` command: a thin layer over :mod:`kg.api`.

Subcommands live one per module and import on use, so ``negkg --help`` starts fast.
Errors from the API print as one line each (no traceback): exit 2 for bad input, 1 for
runtime failures, 130 for Ctrl-C. Set NEGKG_DEBUG=1 to see tracebacks.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

#: command name -> "module:attribute" of its click command (imported only when used)
COMMANDS: dict[str, tuple[str, str]] = {
    "validate": ("kg.cli.validate:cmd", "Validate case files; report every problem with file, line and path."),
    "build": ("kg.cli.build:cmd", "Validate and build the graph; print a summary and the headline; write out/."),
    "query": ("kg.cli.query:cmd", "Run a named question of the query library."),
    "queries": ("kg.cli.query:list_cmd", "List the query library: names, parameters, columns."),
    "precedents": ("kg.cli.precedents:cmd", "Ranked precedents elsewhere for a configuration of interests."),
    "potential": ("kg.cli.precedents:potential_cmd", "Integrative potential of a case: cited suggestions from others."),
    "schema": ("kg.cli.validate:schema_cmd", "Write the JSON Schemas of the case-file format."),
    "docs": ("kg.cli.docs:cmd", "Regenerate docs/vocabulary.md (from the model) and docs/cases.md (from the graph)."),
    "synth": ("kg.cli.synth:cmd", "Write a synthetic corpus of N negotiations for scale tests."),
    "stats": ("kg.cli.stats:cmd", "Coverage per case: counts, sourced claims, unmet interests, uncertain facts."),
    "export": ("kg.cli.export:cmd", "Export the graph or a subgraph (GraphML, node-link JSON, RDF, ...)."),
    "report": ("kg.cli.report:cmd", "Write a cited report of a case or selection (Markdown, HTML or PDF)."),
    "sparql": ("kg.cli.sparql:cmd", "Run a read-only ad-hoc SPARQL query (embedded store or --endpoint)."),
    "push": ("kg.cli.sparql:push_cmd", "Upload the RDF graph to a SPARQL 1.1 server."),
    "cypher": ("kg.cli.cypher:cmd", "Run a read-only ad-hoc Cypher query (embedded engine or --neo4j)."),
    "load-neo4j": ("kg.cli.cypher:load_cmd", "Load the graph into Neo4j (batched, idempotent)."),
    "viz": ("kg.cli.viz:cmd", "Write the interactive visual gallery under visualizations/."),
    "import": ("kg.cli.importer:cmd", "Read an exported (or edited) graph file back into validated case files."),
    "fmt": ("kg.cli.importer:fmt_cmd", "Print case files in the canonical form that import writes."),
    "serve": ("kg.cli.serve:cmd", "Run the analyst workbench and a read-only SPARQL endpoint on 127.0.0.1."),
    "neo4j": ("kg.cli.servers:neo4j", "Start, stop or check a local Neo4j (Java 17 + Maven); --load fills it."),
    "fuseki": ("kg.cli.servers:fuseki", "Start, stop or check a local Fuseki (Java 17 + Maven); --push fills it."),
}


class LazyGroup(click.Group):
    """A click group whose subcommands are imported only when invoked."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attr = COMMANDS[name][0].split(":")
        return getattr(importlib.import_module(module), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # short help from the registry, so --help imports no command module
        with formatter.section("Commands"):
            formatter.write_dl([(n, COMMANDS[n][1]) for n in self.list_commands(ctx)])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="negotiation-kg", prog_name="negkg")
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False),
    envvar="NEGKG_DATA",
    help="Data directory (parties.yaml, sources.yaml, cases/). Default: ./data, else the shipped corpus.",
)
@click.option("--quiet", "-q", is_flag=True, help="Print no status lines (\"wrote ...\") on standard error.")
@click.pass_context
def cli(ctx: click.Context, data_dir: str | None, quiet: bool) -> None:
    """negotiation-kg: how negotiators created value, as a knowledge graph.

    Parties, positions, interests, issues, agreements and provisions of historical
    negotiations, with a source for every claim. Start with `negkg build`.
    """
    ctx.obj = {"data_dir": data_dir, "quiet": quiet}


def _say(message: str) -> None:
    """An error or notice on standard error: credentials scrubbed, control characters escaped."""
    from kg.redact import scrub
    from kg.text import escape

    click.echo(escape(scrub(message)), err=True)


def main(argv: list[str] | None = None) -> Any:
    """Entry point: run the CLI and turn every error into one line and an exit code (2 bad input, 1 runtime).

    With NEGKG_DEBUG=1 the traceback is printed too (scrubbed of credentials like every message).
    """
    from kg.errors import KGError

    try:
        return cli.main(args=argv, prog_name="negkg", standalone_mode=False)
    except click.exceptions.Abort:
        _say("interrupted")
        sys.exit(130)
    except click.ClickException as e:
        _debug()
        hint = f" (see '{e.ctx.command_path} --help')" if isinstance(e, click.UsageError) and e.ctx else ""
        _say(f"error: {' '.join(e.format_message().split())}{hint}")
        sys.exit(e.exit_code)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except KGError as e:
        _debug()
        _say(str(e) if getattr(e, "problems", None) else f"error: {e}")
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        _say("interrupted")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    except (OSError, MemoryError, RecursionError) as e:  # the machine, not the input: one line
        _debug()
        _say(f"error: {getattr(e, 'strerror', None) or e or type(e).__name__}"
             + (f": {e.filename}" if getattr(e, "filename", None) else ""))
        sys.exit(1)
    except Exception as e:
        _debug()
        _say(f"error: internal error ({type(e).__name__}: {' '.join(str(e).split())[:300]}); "
             "set NEGKG_DEBUG=1 to see where, and please report it")
        sys.exit(1)


def _debug() -> None:
    """With NEGKG_DEBUG set, print the traceback of the exception being handled, scrubbed of credentials."""
    if os.environ.get("NEGKG_DEBUG"):
        import traceback

        from kg.redact import scrub

        sys.stderr.write(scrub(traceback.format_exc()))
