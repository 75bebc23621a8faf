"""``negkg synth``."""

from __future__ import annotations

import click


@click.command("synth")
@click.option("--negotiations", "n", type=click.IntRange(1, 100_000), required=True, help="How many cases.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default="out/synth", show_default=True)
def cmd(n: int, seed: int, out_dir: str) -> None:
    """Write a synthetic corpus of N negotiations (case files + registries) for scale tests.

    Use it with `negkg --data OUT build`, or any other command.
    """
    from kg.synth import generate

    root = generate(n, seed, out_dir)
    click.echo(f"wrote {n} cases under {root}/cases (use: negkg --data {root} build)")
