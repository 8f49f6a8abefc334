"""The ``liftfit`` command: a thin layer over the library, one module per command."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from liftfit import __version__
from liftfit.cli.lazy import LazyGroup


class _Group(LazyGroup):
    """Turns the app's own errors into one line each on stderr and the documented exit code.

    Control characters in those lines are shown escaped (a name from a file cannot take over
    the terminal); ``--debug`` adds the traceback and keeps the exit code.
    """

    def invoke(self, ctx: click.Context) -> Any:
        # Imported here: `liftfit --help` needs neither (nor the pathlib they import).
        from liftfit.errors import LiftfitError
        from liftfit.safe import printable

        try:
            return super().invoke(ctx)
        except LiftfitError as error:
            _traceback(ctx)
            for line in error.lines():
                click.echo(f"error: {printable(line)}", err=True)
            ctx.exit(error.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort, BrokenPipeError):
            raise
        except Exception as error:
            _traceback(ctx)
            text = printable(f"{type(error).__name__}: {error}")
            click.echo(
                f"error: internal error: {text} "
                "(run with --debug for a traceback, and please report it)",
                err=True,
            )
            ctx.exit(1)


def _traceback(ctx: click.Context) -> None:
    if ctx.meta.get("liftfit.debug"):
        import traceback

        click.echo(traceback.format_exc().rstrip(), err=True)


# One module per command, each exposing `command`, imported only when the command runs; the
# help line is the first paragraph of the command's docstring (tests/test_imports.py checks
# it).
COMMANDS = {
    "build": ("build", "Compile workouts (default: the workouts/ folder) into OUTPUT."),
    "preview": ("preview", "Show what the watch, Garmin Connect and COROS will show for WORKOUT."),
    "validate": (
        "validate",
        "Check workout and plan files (default: workouts/) without writing anything.",
    ),
    "inspect": (
        "inspect",
        "Show the steps of a FIT workout file (liftfit's, Garmin's or any other).",
    ),
    "import": (
        "import_",
        "Turn a FIT workout (liftfit's, Garmin Connect's or any other) into a workout file.",
    ),
    "exercises": (
        "exercises",
        "Search the catalogue: runners' exercises first, then all 1,846 FIT exercises.",
    ),
    "schema": (
        "schema",
        "Print the JSON Schema of a workout file (or of a plan, the athlete profile, or the "
        "library's own exercises, exercises.yaml in the workouts folder).",
    ),
    "pack": ("pack", "Pack workouts (default: the workouts/ folder) into one zip for a club."),
    "copy": (
        "copy",
        "Build workouts (default: the workouts/ folder) and copy their FIT files into "
        "GARMIN/NewFiles on a Garmin watch connected over USB.",
    ),
    "init": (
        "init",
        "Write a starter library into FOLDER (default: here) that validates and builds.",
    ),
    "plan": ("plan", "Plans: workouts put on weekdays, varied by week (see docs/plans.md)."),
    "garmin": ("garmin", "Garmin Connect: log in once, then push workouts and schedule plans."),
    "coros": ("coros", "COROS Training Hub: log in once, then push workouts and schedule plans."),
}


@click.group(cls=_Group, lazy=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="liftfit")
@click.option("--debug", is_flag=True, help="Show a traceback on errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Turn strength routines written as YAML into workouts your watch runs.

    Write a workout file (see `liftfit schema`), run `liftfit build`, and copy
    build/fit/*.fit into GARMIN/NewFiles on your watch.
    """
    ctx.meta["liftfit.debug"] = debug


def help_width() -> int:
    """The width click lays help out in: the terminal's (COLUMNS, else the terminal on
    stdout, else 80), at most 80, less 2, at least 50. Worked out as click does it, but
    without the ``shutil`` click imports for it, which brings the compression modules along:
    a twentieth of ``liftfit --help``."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return max(min(columns or 80, 80) - 2, 50)


def main() -> None:
    # A user's pydantic plugins (found by scanning every installed package) are for their own
    # models, not liftfit's: skipping the scan is 1 % of `liftfit build`.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        cli(prog_name="liftfit", terminal_width=help_width())
    except BrokenPipeError:
        # The reader went away (`liftfit exercises | head`): stop quietly, as other tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
