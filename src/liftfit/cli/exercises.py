"""``liftfit exercises``: search the exercise catalogue."""

from __future__ import annotations

import shlex

import click

SHOWN = 50


@click.command("exercises")
@click.argument("query", required=False, default="")
@click.option(
    "--all", "show_all", is_flag=True, help=f"List every match, not just the first {SHOWN}."
)
def command(query: str, show_all: bool) -> None:
    """Search the catalogue: runners' exercises first, then all 1,846 FIT exercises.

    Without QUERY, list the curated runners' exercises. Use any name, id or
    alias shown here (or a FIT code like squat/goblet_squat, or plank/any for a
    category alone, which the watch shows as the category's name) in a workout file.
    """
    from liftfit.catalogue import catalogue
    from liftfit.safe import printable

    found = catalogue().search(query, limit=100_000)
    if not found:
        raise click.ClickException(f"no exercise matches {query!r}")
    hits = found if show_all else found[:SHOWN]
    width = max(len(e.id) for e in hits)
    for entry in hits:
        extra = f"  (also: {', '.join(entry.aliases)})" if entry.aliases else ""
        nearest = "  [nearest FIT exercise]" if entry.fit_nearest else ""
        if entry.category_only and not entry.curated:
            nearest = "  [category only]"
        line = f"{entry.id:<{width}}  {entry.name}  [{entry.fit_code}]{nearest}{extra}"
        click.echo(printable(line))
    if len(found) > len(hits):
        more = len(found) - len(hits)
        again = (
            f"liftfit exercises {shlex.quote(query)} --all" if query else "liftfit exercises --all"
        )
        click.echo(
            printable(f"… and {more} more: narrow the search, or see them all with `{again}`")
        )
