"""``negkg synth``."""

from __future__ import annotations

import click

from kg.cli._common import STDOUT, status, write_options


@click.command("synth")
@click.option("--negotiations", "n", type=click.IntRange(1, 100_000), required=True, help="How many cases.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="out/synth", show_default=True,
              help="The corpus directory, written whole; an existing one is replaced only if negkg wrote it.")
@write_options
@click.pass_context
def cmd(ctx: click.Context, n: int, seed: int, out_dir: str, force: bool, quiet: bool) -> None:
    """Write a synthetic corpus of N negotiations (case files + registries) for scale tests.

    Use it with `negkg --data OUT build`, or any other command.
    """
    from kg.errors import UsageError
    from kg.io import check_target, overwrite
    from kg.synth import generate

    if out_dir == STDOUT:
        raise UsageError("synth writes a directory of files: --out - cannot be used")
    check_target(out_dir, kind="dir", force=force)
    with overwrite(force):
        root = generate(n, seed, out_dir)
    status(ctx, f"wrote {n} cases under {root}/cases (use: negkg --data {root} build)")
