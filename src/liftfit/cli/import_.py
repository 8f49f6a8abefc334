"""``liftfit import``: a FIT workout back as a workout file."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("import")
# Not click's checks: an unreadable FILE, or a folder, is bad input (exit 1, one line).
@click.argument("file", type=click.Path(path_type=Path, readable=False))
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, allow_dash=True),
    help="Workout file to write, or - for stdout [default: FILE's name with .yaml, "
    "in the current folder].",
)
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors, not what changes.")
def command(file: Path, output: Path | None, force: bool, quiet: bool) -> None:
    """Turn a FIT workout (liftfit's, Garmin Connect's or any other) into a workout file.

    Sets, circuits, repeats, rests, weights, notes and cardio steps come back as a person
    writes them, so that `liftfit build` gives the same steps. What the workout file cannot
    say (a warm-up set, a power target…) is kept as close as it can be, and each change is
    printed as `note: …` on stderr. The output goes in the current folder (not next to
    FILE, which may be on a watch); an existing file is kept unless --force is given.
    """
    from liftfit.delivery import Unwritable, inside, write_atomic
    from liftfit.errors import InvalidInput, Problem
    from liftfit.fitread import read_fit_path
    from liftfit.importer import import_workout
    from liftfit.safe import printable

    to_stdout = output is not None and str(output) == "-"
    try:
        target = output if output is not None else inside(Path(), f"{file.stem}.yaml")
    except Unwritable as error:
        raise Unwritable(f"{error} (name the workout file to write with -o)") from None
    if not to_stdout and target.is_dir():
        raise InvalidInput([Problem(target, "is a folder: name the workout file to write")])
    if not to_stdout and target.exists() and not force:
        message = "already exists: choose another file with -o, or overwrite it with --force"
        raise InvalidInput([Problem(target, message)])
    imported = import_workout(read_fit_path(file))
    text = imported.yaml_text()
    if not quiet:
        for line in imported.notes:
            click.echo(printable(f"note: {line}"), err=True)
    if to_stdout:
        click.echo(text, nl=False)
        return
    write_atomic(target, text.encode("utf-8"))
    if not quiet:
        click.echo(
            printable(
                f"imported {imported.workout['name']!r} ({len(imported.steps)} steps) into {target}"
            )
        )
