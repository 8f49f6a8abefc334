"""``liftfit build``: compile workouts into files for watches and apps."""

from __future__ import annotations

import gc
from datetime import datetime
from pathlib import Path

import click

from liftfit.cli.options import compile_options, inputs, paths_or_default, start_option
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
    PLAN.coros-schedule.json.
    """
    from liftfit.api import discovery_notes, find_profile
    from liftfit.calendars import CALENDAR_FOLDER, compile_library, output_files
    from liftfit.delivery import write_files
    from liftfit.library import load_library
    from liftfit.notes import library_notes, note_lines, plural
    from liftfit.safe import printable

    chosen = formats or tuple(FORMATS)
    named = paths_or_default(paths)
    library = load_library(named)
    # The models live until the command ends: the collector need not walk them again and
    # again while the outputs pile up (10,000 files: 4.0 s of collection while compiling,
    # 2.2 s with the models frozen).
    gc.freeze()
    require_start(library, paths, start)
    built = compile_library(
        library,
        start=start.date() if start else None,
        formats=chosen,
        profile=find_profile(profile, named),
        max_steps=max_steps,
        schedule_weeks=schedule_weeks,
        fit_folder=f"{output}/{FORMATS['fit'].folder}",
    )
    results = built.compiled
    files = output_files(built)
    written = write_files(output, files)
    if quiet:
        return
    click.echo(
        printable(
            f"built {plural(len(results), 'workout')} into {output}/ ({', '.join(chosen)}): "
            f"{plural(len(files), 'file')}, {written} changed"
        )
    )
    for plan in built.plans:
        click.echo(printable(plan.summary(f"{output}/{CALENDAR_FOLDER}")))
    for note in discovery_notes(named):
        click.echo(printable(f"  note: {note}"), err=True)
    for line in note_lines(library_notes(results, built.plans), verbose=verbose):
        click.echo(printable(line), err=True)
    noted = [c.source.path for c in results if c.lowered.fidelity or c.warnings]
    if noted:
        click.echo(
            printable(f"  `liftfit preview {noted[0]}` shows what each target will show"),
            err=True,
        )
