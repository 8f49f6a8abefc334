"""What the commands of remote services (``garmin``, ``coros``) print alike: the writes a dry
run would send, what a push or a schedule did, and counts of things."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from liftfit.cli.options import paths_or_default

if TYPE_CHECKING:
    from liftfit.api import Compiled
    from liftfit.calendar_sync import CalendarPlan
    from liftfit.calendar_sync import Report as CalendarReport
    from liftfit.upsert import Action, Plan, Report


def compile_named(
    paths: tuple[Path, ...], profile: Path | None, max_steps: int, formats: list[str]
) -> list[Compiled]:
    """The workouts a push or status names (default: workouts/), compiled."""
    from liftfit.api import compile_paths, find_profile

    named = paths_or_default(paths)
    return compile_paths(
        named, formats=formats, profile=find_profile(profile, named), max_steps=max_steps
    )


def count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def echo_planned_pushes[I](
    plan: Plan[I], conflicts: list[str], request: Callable[[Action[I]], str]
) -> None:
    """A dry run's push: each write as its request, then what is left alone and why."""
    for action in plan.writes:
        why = "new" if action.kind == "create" else "changed"
        click.echo(f"{request(action)}  {action.local.slug} ({why}: {action.local.name})")
    for line in conflicts:
        click.echo(f"skip  {line}")


def echo_dry_run_push[I](
    plan: Plan[I], conflicts: list[str], request: Callable[[Action[I]], str]
) -> None:
    """What a push's dry run prints once the service was compared."""
    echo_planned_pushes(plan, conflicts, request)
    click.echo(
        f"dry run: {len(plan.writes)} writes planned, {len(plan.of('unchanged'))} unchanged; "
        "nothing sent"
    )


def echo_pushed[I](service: str, plan: Plan[I], report: Report[I], conflicts: list[str]) -> None:
    """A line per workout created or updated, then the counts."""
    for action, remote_id in report.done:
        verb = "created" if action.kind == "create" else "updated"
        click.echo(f"{verb:<9} {action.local.slug}  (id {remote_id})")
    created = sum(1 for a, _ in report.done if a.kind == "create")
    click.echo(
        f"{service}: {created} created, {len(report.done) - created} updated, "
        f"{len(plan.of('unchanged'))} unchanged"
        + (f", {len(conflicts)} left alone" if conflicts else "")
    )


def echo_scheduled(
    title: str, plan: CalendarPlan[Any, Any], report: CalendarReport[Any, Any]
) -> None:
    """A line per session scheduled or entry removed, then the counts."""
    for change in report.done:
        verb = "scheduled" if change.kind == "add" else "removed"
        click.echo(f"{verb:<9} {change.day:%Y-%m-%d %a}  {change.what}")
    added = len([c for c in report.done if c.kind == "add"])
    click.echo(
        f"{title}: {added} scheduled, {len(report.done) - added} removed, "
        f"{len(plan.kept)} already there"
    )
