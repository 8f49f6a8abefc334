"""``liftfit validate``: report every problem ``build`` would refuse, write nothing."""

from __future__ import annotations

from pathlib import Path

import click

from liftfit.cli.options import compile_options, inputs, paths_or_default


@click.command("validate")
@inputs
@compile_options
def command(paths: tuple[Path, ...], profile: Path | None, max_steps: int) -> None:
    """Check workout files (default: workouts/) without writing anything.

    Prints every problem as file:line:col: field.path: message and exits 1 if
    there is any; exits 0 and says how many workouts are fine otherwise.
    """
    from liftfit.api import compile_paths, find_profile

    results = compile_paths(
        paths_or_default(paths), profile=find_profile(profile), max_steps=max_steps
    )
    click.echo(f"{len(results)} workouts OK")
