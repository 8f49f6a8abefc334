"""``liftfit build``: compile workouts into files for watches and apps."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from liftfit.cli.options import (
    athletes_option,
    compile_options,
    inputs,
    paths_or_default,
    start_option,
)
from liftfit.cli.plan import require_start
from liftfit.exporters import FORMATS


@click.command("build")
@inputs
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Folder to write into; each format gets a subfolder (fit/, …).",
)
@click.option(
    "-f",
    "--format",
    "formats",
    type=click.Choice(list(FORMATS)),
    multiple=True,
    help="Only these formats (repeatable) [default: all].",
)
@compile_options
@athletes_option
@start_option
@click.option(
    "--schedule-weeks",
    type=click.IntRange(1, 104),
    default=4,
    show_default=True,
    help="Weeks of a plan the watch's FIT schedule holds (watches keep a short schedule).",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("-v", "--verbose", is_flag=True, help="Print every note (what each target degrades).")
def command(
    paths: tuple[Path, ...],
    output: Path,
    formats: tuple[str, ...],
    profile: Path | None,
    max_steps: int,
    athletes: Path | None,
    start: datetime | None,
    schedule_weeks: int,
    quiet: bool,
    verbose: bool,
) -> None:
    """Compile workouts (default: the workouts/ folder) into OUTPUT.

    Every file is checked first; if any has a problem, each is reported as
    file:line:col and nothing is written (exit 1). Plans (files with a
    sessions: key, in workouts/plans/) add their workout variants and, from
    --start or their own start date, calendar/PLAN.ics, PLAN.schedule.fit and
    PLAN.coros-schedule.json. With --athletes, each athlete's own files of
    the workouts with % 1RM loads go to OUTPUT/athletes/NAME/.
    """
    from liftfit.api import discovery_notes, find_profile
    from liftfit.athletes import ATHLETES_FOLDER, load_athletes
    from liftfit.calendars import CALENDAR_FOLDER, LibraryStream
    from liftfit.delivery import Staging
    from liftfit.errors import InvalidInput
    from liftfit.library import load_library
    from liftfit.notes import athletes_line, note_lines, plural
    from liftfit.safe import printable

    chosen = formats or tuple(FORMATS)
    named = paths_or_default(paths)
    # The profile is needed to lower each workout as it is loaded; its problems are told
    # after the workouts' (as when it was read after them).
    unusable: InvalidInput | None = None
    try:
        athlete = find_profile(profile, named)
        team = load_athletes(athletes) if athletes is not None else []
    except InvalidInput as error:
        athlete, team, unusable = None, [], error
    with Staging(output) as staging:
        stream = LibraryStream(
            staging, formats=chosen, profile=athlete, max_steps=max_steps, athletes=team
        )
        library = load_library(named, each=stream.take)
        require_start(library, paths, start)
        if unusable is not None:
            raise unusable
        built = stream.finish(
            library,
            start=start.date() if start else None,
            schedule_weeks=schedule_weeks,
            fit_folder=f"{output}/{FORMATS['fit'].folder}",
        )
        written = staging.commit()
    if quiet:
        return
    click.echo(
        printable(
            f"built {plural(len(built.workouts), 'workout')} into {output}/ "
            f"({', '.join(chosen)}): {plural(built.files, 'file')}, {written} changed"
        )
    )
    if built.athletes:
        click.echo(printable(athletes_line(built.athletes, f"{output}/{ATHLETES_FOLDER}/")))
    for plan in built.plans:
        click.echo(printable(plan.summary(f"{output}/{CALENDAR_FOLDER}")))
    for note in discovery_notes(named):
        click.echo(printable(f"  note: {note}"), err=True)
    for line in note_lines(built.notes(), verbose=verbose):
        click.echo(printable(line), err=True)
    noted = [workout.path for workout in built.workouts if workout.notes]
    if noted:
        click.echo(
            printable(f"  `liftfit preview {noted[0]}` shows what each target will show"),
            err=True,
        )
