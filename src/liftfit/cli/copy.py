"""``liftfit copy``: build the FIT files and put them on a Garmin watch connected over USB."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from liftfit.cli.options import compile_options, inputs, paths_or_default, start_option


@click.command("copy")
@inputs
@click.option(
    "--to",
    "to",
    type=click.Path(path_type=Path, file_okay=False),
    metavar="MOUNT",
    help="The watch's drive (the folder holding GARMIN/) [default: the one connected watch].",
)
@start_option
@compile_options
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
def command(
    paths: tuple[Path, ...],
    to: Path | None,
    start: datetime | None,
    profile: Path | None,
    max_steps: int,
    quiet: bool,
) -> None:
    """Build workouts (default: the workouts/ folder) and copy their FIT files
    into GARMIN/NewFiles on a Garmin watch connected over USB.

    Without --to, the watch is looked for in /media/*/*, /run/media/*/* and
    /Volumes/*. Files already on the watch with the same content are skipped.
    Plans with a start date (--start, or start: in the plan) add their watch
    schedule. Unplug the watch afterwards: it imports NewFiles then.
    """
    from liftfit.api import discovery_notes, find_profile
    from liftfit.calendars import compile_library
    from liftfit.library import load_library
    from liftfit.safe import printable
    from liftfit.watch import choose_watch, copy_to_watch

    mount, found = choose_watch(to)
    if found and not quiet:
        click.echo(printable(f"Garmin watch found at {mount}"))
    named = paths_or_default(paths)
    built = compile_library(
        load_library(named),
        start=start.date() if start else None,
        formats=["fit"],
        profile=find_profile(profile, named),
        max_steps=max_steps,
    )
    files = {f"{c.source.slug}.fit": c.outputs["fit"].data for c in built.compiled}
    for plan in built.plans:
        files.update(
            {name: out.data for name, out in plan.outputs.items() if name.endswith(".fit")}
        )
    report = copy_to_watch(files, mount)
    if quiet:
        return
    for note in discovery_notes(named):
        click.echo(printable(f"  note: {note}"), err=True)
    click.echo(
        printable(
            f"copied {len(report.copied) + len(report.replaced)} of {len(files)} files into "
            f"{report.folder} ({len(report.copied)} new, {len(report.replaced)} replaced, "
            f"{len(report.skipped)} already there)"
        )
    )
    if report.skipped:
        skipped = ", ".join(report.skipped)
        click.echo(printable(f"skipped, same content already on the watch: {skipped}"))
    if report.copied or report.replaced:
        click.echo("Eject the drive and unplug the watch: it imports the files then.")
