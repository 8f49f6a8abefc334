"""Option bundles shared by several commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from liftfit.limits import DEFAULT_MAX_STEPS, MAX_STEPS_CAP

DEFAULT_INPUT = Path("workouts")


def inputs[F: Callable[..., Any]](function: F) -> F:
    """PATH… arguments: workout files (.yaml, .py) and folders; default ``workouts/``."""
    return click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[PATH]...")(
        function
    )


def compile_options[F: Callable[..., Any]](function: F) -> F:
    """--profile and --max-steps, which decide what a workout compiles to."""
    function = click.option(
        "--max-steps",
        type=click.IntRange(1, MAX_STEPS_CAP),
        default=DEFAULT_MAX_STEPS,
        show_default=True,
        help="Refuse workouts with more FIT steps than this (Garmin Connect's editor caps at 50).",
    )(function)
    function = click.option(
        "--profile",
        type=click.Path(path_type=Path, dir_okay=False),
        help="Athlete profile with units and one-rep maxes [default: liftfit.yaml beside the "
        "workouts or in a folder above them, else ./liftfit.yaml].",
    )(function)
    return function


def paths_or_default(paths: tuple[Path, ...]) -> list[Path]:
    if paths:
        return list(paths)
    if not DEFAULT_INPUT.is_dir():
        raise click.UsageError(
            "no PATH given and no workouts/ folder here: name workout files or folders"
        )
    return [DEFAULT_INPUT]


def start_option[F: Callable[..., Any]](function: F) -> F:
    """--start DATE: the first day of a plan's week 1 (overrides the plan's start)."""
    return click.option(
        "--start",
        type=click.DateTime(formats=["%Y-%m-%d"]),
        callback=_start_in_range,
        help="First day of week 1, YYYY-MM-DD (overrides the plan's start:).",
    )(function)


def _start_in_range(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """A start any plan can be laid out from: FIT dates begin in 1989, dates end in 9999."""
    from liftfit.plan import start_problem

    problem = start_problem(value.date()) if value is not None else None
    if problem:
        raise click.BadParameter(problem)
    return value


def push_options[F: Callable[..., Any]](*, dry_run: str, force: str) -> Callable[[F], F]:
    """PATH…, --dry-run, --force and the compile options of a push to a remote service."""

    def decorate(function: F) -> F:
        function = compile_options(function)
        function = click.option("--force", is_flag=True, help=force)(function)
        function = click.option("--dry-run", is_flag=True, help=dry_run)(function)
        return inputs(function)

    return decorate


def schedule_options[F: Callable[..., Any]](
    *, dry_run: str, force: str | None = None
) -> Callable[[F], F]:
    """PLAN, --start, --dry-run, --force (where the service has it) and the compile options
    of a schedule on a remote service."""

    def decorate(function: F) -> F:
        function = compile_options(function)
        if force is not None:
            function = click.option("--force", is_flag=True, help=force)(function)
        function = click.option("--dry-run", is_flag=True, help=dry_run)(function)
        function = start_option(function)
        return click.argument("plan", metavar="PLAN")(function)

    return decorate


def athletes_option[F: Callable[..., Any]](function: F) -> F:
    """--athletes DIR: one profile per athlete, each getting their own files."""
    return click.option(
        "--athletes",
        type=click.Path(path_type=Path, file_okay=False),
        help="Folder of athlete profiles (anna.yaml, ben.yaml): each athlete also gets their "
        "own files of the workouts with % 1RM loads, in athletes/NAME/.",
    )(function)
