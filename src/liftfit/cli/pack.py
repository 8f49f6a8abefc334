"""``liftfit pack``: one zip for a running club, whatever watch each member wears."""

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


@click.command("pack")
@inputs
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=Path("club.zip"),
    show_default=True,
    help="The zip file to write.",
)
@click.option(
    "--title",
    default="Strength workouts",
    show_default=True,
    help="Heading of the pack's index.html and README.txt.",
)
@start_option
@compile_options
@athletes_option
@click.option("-v", "--verbose", is_flag=True, help="Also print every workout's fidelity notes.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
def command(
    paths: tuple[Path, ...],
    output: Path,
    title: str,
    start: datetime | None,
    profile: Path | None,
    max_steps: int,
    athletes: Path | None,
    verbose: bool,
    quiet: bool,
) -> None:
    """Pack workouts (default: the workouts/ folder) into one zip for a club.

    For every workout: its FIT file, Garmin Connect JSON, COROS program and a
    printable HTML card; for every plan: its calendar (ICS and watch schedule,
    when it has a start date) and a page with its weeks as a grid; an
    index.html with a card per workout, and a README.txt with steps for each
    watch brand. With --athletes, each athlete's own files of the workouts
    with % 1RM loads go to athletes/NAME/, listed in the index. The same
    inputs give the same zip, byte for byte
    (SOURCE_DATE_EPOCH sets its timestamps). If any file has a problem,
    nothing is written (exit 1).
    """
    from liftfit.api import discovery_notes, find_profile
    from liftfit.athletes import load_athletes
    from liftfit.delivery import write_atomic
    from liftfit.notes import athletes_line, note_lines, plural
    from liftfit.pack import build_pack
    from liftfit.safe import printable

    named = paths_or_default(paths)
    pack = build_pack(
        named,
        title=title,
        start=start.date() if start else None,
        profile=find_profile(profile, named),
        max_steps=max_steps,
        athletes=load_athletes(athletes) if athletes is not None else (),
    )
    data = pack.zip_bytes()
    changed = write_atomic(output, data)
    if quiet:
        return
    for note in discovery_notes(named):
        click.echo(printable(f"  note: {note}"), err=True)
    for line in note_lines(pack.notes, verbose=verbose):
        click.echo(printable(line), err=True)
    plans = f" and {plural(len(pack.plans), 'plan')}" if pack.plans else ""
    state = "" if changed else " (unchanged)"
    click.echo(
        printable(
            f"packed {plural(len(pack.workouts), 'workout')}{plans} into {output}{state}: "
            f"{plural(len(pack.files), 'file')}, {len(data) // 1024} KiB"
        )
    )
    if pack.athletes:
        own = {team.athlete.name: len(team.compiled) for team in pack.athletes}
        click.echo(printable(athletes_line(own, f"{output}, athletes/")))
