"""``liftfit plan``: what a plan puts on which day."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from liftfit.cli.options import start_option
from liftfit.safe import printable

if TYPE_CHECKING:
    from liftfit.library import Library
    from liftfit.plan import Calendar, PlanSource

PLANS_FOLDER = Path("workouts") / "plans"


def require_start(library: Library, named: tuple[Path, ...], start: datetime | None) -> None:
    """A plan named on the command line needs a start date: a usage error (exit 2) without.

    Plans found by searching a folder (the default workouts/) without one are built without a
    calendar instead, so that `liftfit build` works on the bundled library.
    """
    if start is not None:
        return
    files = {path.resolve() for path in named if path.is_file()}
    for plan in library.plans:
        if plan.plan.start is None and plan.path.resolve() in files:
            raise click.UsageError(_no_start(plan))


@click.group("plan")
def command() -> None:
    """Plans: workouts put on weekdays, varied by week (see docs/plans.md).

    A plan file has a sessions: key and lives in workouts/plans/; `liftfit
    build` turns it into workout variants and calendar files.
    """


@command.command("show")
@click.argument("plan", metavar="PLAN")
@start_option
def show(plan: str, start: datetime | None) -> None:
    """Print the dated sessions PLAN expands to, one line per session.

    PLAN is a plan file, or the name of one in workouts/plans/. Without
    --start, the plan's own start: is used.
    """
    calendar = dated_plan(plan, start)
    for line in calendar_table(calendar):
        click.echo(line)
    for note in calendar.notes:
        click.echo(printable(f"note: {note}"), err=True)


def dated_plan(plan: str, start: datetime | None) -> Calendar:
    """PLAN (a file, or a name in workouts/plans/) expanded from --start or its own start."""
    from liftfit.library import load_library
    from liftfit.plan import expand

    path = _plan_path(plan)
    library = load_library([path])
    if not library.plans:
        raise click.UsageError(
            printable(f"{path} is a workout, not a plan (a plan has a sessions: key)")
        )
    (source,) = library.plans
    if start is None and source.plan.start is None:
        raise click.UsageError(_no_start(source))
    return expand(source, start.date() if start else None)


def _plan_path(plan: str) -> Path:
    path = Path(plan)
    if path.exists():
        return path
    for suffix in (".yaml", ".yml"):
        named = PLANS_FOLDER / f"{plan}{suffix}"
        if named.is_file():
            return named
    raise click.UsageError(printable(f"no plan file {plan!r} (nor {PLANS_FOLDER / plan}.yaml)"))


def _no_start(plan: PlanSource) -> str:
    return printable(
        f"plan {plan.slug!r} has no start date: give --start YYYY-MM-DD "
        f"or write start: in {plan.path}"
    )


def calendar_table(calendar: Calendar) -> list[str]:
    """A heading, then date, weekday, workout and sets (and phase, if the plan has phases);
    control characters in names shown escaped."""
    from liftfit.variants import set_counts

    plan = calendar.plan
    days = len(calendar.sessions)
    lines = [
        f"{printable(plan.name)}: {plan.weeks} week{'s' if plan.weeks != 1 else ''} "
        f"from {calendar.start:%a %Y-%m-%d} to {calendar.end:%a %Y-%m-%d}, "
        f"{days} session{'s' if days != 1 else ''}",
        "",
    ]
    columns = ["date", "day", "workout", "sets"]
    if plan.phases:
        columns.append("phase")
    rows = [dict(zip(columns, columns, strict=True))]
    for session in calendar.sessions:
        rows.append(
            {
                "date": session.date.isoformat(),
                "day": session.weekday.capitalize(),
                "workout": printable(session.variant.title),
                "sets": set_counts(session.variant.workout),
                "phase": printable(session.phase or ""),
            }
        )
    widths = {c: max(len(row[c]) for row in rows) for c in columns}
    for row in rows:
        lines.append("  ".join(row[c].ljust(widths[c]) for c in columns).rstrip())
    return lines
