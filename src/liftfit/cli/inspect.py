"""``liftfit inspect``: what a FIT workout file holds."""

from __future__ import annotations

from pathlib import Path

import click


@click.command("inspect")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def command(file: Path, as_json: bool) -> None:
    """Show the steps of a FIT workout file (liftfit's, Garmin's or any other)."""
    raise click.ClickException("not implemented yet")
