"""``liftfit preview``: what each target will show for a workout, step by step."""

from __future__ import annotations

from pathlib import Path

import click

from liftfit.cli.options import compile_options


@click.command("preview")
@click.argument("workout", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "-t",
    "--target",
    "targets",
    type=click.Choice(["fit", "garmin-connect", "coros"]),
    multiple=True,
    help="Only this target (repeatable) [default: all three].",
)
@compile_options
def command(workout: Path, targets: tuple[str, ...], profile: Path | None, max_steps: int) -> None:
    """Show what the watch, Garmin Connect and COROS will show for WORKOUT.

    Step by step: the title, the dose (reps, time, distance or until Lap), the
    rest and the notes, and where a target shows another name than the one
    written (a nearest exercise, your own exercise, a COROS substitute). Writes
    nothing; the notes `build` prints are printed too.
    """
    from liftfit.api import compile_sources, find_profile
    from liftfit.library import load_sources
    from liftfit.preview import TARGETS, preview

    chosen = targets or TARGETS
    compiled = compile_sources(
        load_sources([workout]),
        formats=chosen,
        profile=find_profile(profile, [workout]),
        max_steps=max_steps,
    )
    for one in compiled:
        for target in chosen:
            click.echo("\n".join(preview(one.lowered, target, one.outputs[target])))
            click.echo()
        for line in (*one.lowered.fidelity, *one.warnings):
            click.echo(f"  note: {one.source.slug}: {line}", err=True)
