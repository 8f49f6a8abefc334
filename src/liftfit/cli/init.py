"""``liftfit init``: a starter library that validates and builds, and what to run next."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import click

STARTER = "starter"  # the folder in liftfit/data that holds the files


@click.command("init")
@click.argument(
    "folder", required=False, default=".", type=click.Path(path_type=Path, file_okay=False)
)
def command(folder: Path) -> None:
    """Write a starter library into FOLDER (default: here) that validates and builds.

    Writes liftfit.yaml (the athlete profile: units and one-rep maxes), and in
    workouts/: first-strength.yaml (a workout), exercises.yaml (the library's
    own exercises) and plans/first-month.yaml (a plan), then prints the next
    three commands. Writes nothing if any of these files exists already.
    """
    from liftfit.delivery import write_atomic
    from liftfit.errors import InvalidInput, Problem
    from liftfit.safe import printable

    files = starter_files()
    taken = [name for name in files if (folder / name).exists()]
    if taken:
        raise InvalidInput(
            [
                Problem(folder / name, "already exists: liftfit init writes nothing")
                for name in taken
            ]
        )
    for name, data in files.items():
        write_atomic(folder / name, data)
    today = date.today()
    monday = today + timedelta(days=7 - today.weekday())
    shown = printable(str(folder))
    click.echo(f"wrote a starter library in {shown}/: {', '.join(files)}")
    click.echo("next:")
    if folder != Path("."):
        click.echo(f"  cd {shown}")
    click.echo("  liftfit validate        # check every file, each problem located")
    click.echo("  liftfit build           # FIT and every other format into build/")
    click.echo(f"  liftfit plan show workouts/plans/first-month.yaml --start {monday.isoformat()}")


def starter_files() -> dict[str, bytes]:
    """The starter library's files by their path in the folder, as the package ships them."""
    from importlib import resources

    root = resources.files("liftfit.data").joinpath(STARTER)
    found: dict[str, bytes] = {}
    pending = [(root, "")]
    while pending:
        here, prefix = pending.pop()
        for item in sorted(here.iterdir(), key=lambda i: i.name):
            if item.is_dir():
                pending.append((item, f"{prefix}{item.name}/"))
            elif item.name.endswith(".yaml"):
                found[f"{prefix}{item.name}"] = item.read_bytes()
    return dict(sorted(found.items()))
