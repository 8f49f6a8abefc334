"""``liftfit exercises``: search the exercise catalogue."""

from __future__ import annotations

import click


@click.command("exercises")
@click.argument("query", required=False, default="")
@click.option("--all", "show_all", is_flag=True, help="List every match, not just the first 50.")
def command(query: str, show_all: bool) -> None:
    """Search the catalogue: runners' exercises first, then all 1,846 FIT exercises.

    Without QUERY, list the curated runners' exercises. Use any name, id or
    alias shown here (or a FIT code like squat/goblet_squat, or plank/any for a
    category alone, which the watch shows as the category's name) in a workout file.
    """
    from liftfit.catalogue import catalogue

    hits = catalogue().search(query, limit=100_000 if show_all else 50)
    if not hits:
        raise click.ClickException(f"no exercise matches {query!r}")
    width = max(len(e.id) for e in hits)
    for entry in hits:
        extra = f"  (also: {', '.join(entry.aliases)})" if entry.aliases else ""
        nearest = "  [nearest FIT exercise]" if entry.fit_nearest else ""
        if entry.category_only and not entry.curated:
            nearest = "  [category only]"
        click.echo(f"{entry.id:<{width}}  {entry.name}  [{entry.fit_code}]{nearest}{extra}")
