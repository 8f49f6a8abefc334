"""``liftfit validate``: report every problem ``build`` would refuse, write nothing."""

from __future__ import annotations

from pathlib import Path

import click

from liftfit.cli.options import compile_options, inputs, paths_or_default


@click.command("validate")
@inputs
@compile_options
def command(paths: tuple[Path, ...], profile: Path | None, max_steps: int) -> None:
    """Check workout and plan files (default: workouts/) without writing anything.

    Prints every problem as file:line:col: field.path: message and exits 1 if
    there is any; exits 0 and says how many workouts (and plans) are fine
    otherwise. A plan's workout variants are compiled too.
    """
    from liftfit.api import compile_sources, discovery_notes, find_profile
    from liftfit.calendars import library_sources
    from liftfit.library import load_library
    from liftfit.notes import plural
    from liftfit.safe import printable

    named = paths_or_default(paths)
    library = load_library(named)
    # Lowered only (formats=()): the step cap is on the lowered workout, nothing is encoded.
    compile_sources(
        library_sources(library),
        formats=(),
        profile=find_profile(profile, named),
        max_steps=max_steps,
    )
    for note in discovery_notes(named):
        click.echo(printable(f"  note: {note}"), err=True)
    plans = f"{plural(len(library.plans), 'plan')}, " if library.plans else ""
    click.echo(f"{plans}{plural(len(library.workouts), 'workout')} OK")
