"""Each command imports only what it uses: run in a fresh interpreter, then ``sys.modules``.

fit-tool reads FIT files (``inspect``, ``import``), garminconnect and its HTTP stack talk to
Connect (``garmin`` commands), Garmin's SDK and fitdecode are test tools; ``--help`` builds
no command at all. The help lines ``--help`` prints without importing a command are checked
against the commands' own docstrings.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import click
import pytest

from liftfit.cli import COMMANDS, cli, help_width
from tests.conftest import ROOT, THOROUGH

REMOTE = {"garminconnect", "requests", "curl_cffi", "urllib3", "ssl", "asyncio"}
FIT_READERS = {"fit_tool", "garmin_fit_sdk", "fitdecode"}
COMMAND_MODULES = {f"liftfit.cli.{module}" for module, _ in COMMANDS.values()}
# Byte-code caches written and reused, as on a user's machine: without them (this workplace
# sets PYTHONDONTWRITEBYTECODE) every run compiles pydantic and the rest again.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

RUN = """
import json, sys
from liftfit.cli import main
try:
    main()
except SystemExit:
    pass
sys.stdout.flush()
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def imported(args: list[str], cwd: Path) -> set[str]:
    """Every module a run of ``liftfit ARGS`` left in ``sys.modules``."""
    done = subprocess.run(
        [sys.executable, "-c", RUN, *args],
        cwd=cwd,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    names: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return {name for name in names} | {name.split(".")[0] for name in names}


# command → (arguments, modules it must not import, a file it writes)
CASES: dict[str, tuple[list[str], set[str], str | None]] = {
    "--help": (
        ["--help"],
        REMOTE
        | FIT_READERS
        | COMMAND_MODULES
        | {"pydantic", "yaml", "pathlib", "shutil", "liftfit.catalogue", "liftfit.errors"},
        None,
    ),
    "build": (
        ["build", "workouts", "-o", "{tmp}/build", "-q"],
        REMOTE | FIT_READERS,
        "{tmp}/build/fit/core.fit",
    ),
    "validate": (
        ["validate", "workouts"],
        REMOTE
        | FIT_READERS
        | {"jinja2", "icalendar", "liftfit.exporters.fit", "liftfit.exporters.fitwriter"},
        None,
    ),
    "exercises": (["exercises", "lunge"], REMOTE | FIT_READERS | {"pydantic"}, None),
    "schema": (["schema"], REMOTE | FIT_READERS, None),
    "plan show": (["plan", "show", "winter-to-summer"], REMOTE | FIT_READERS, None),
    "pack": (
        ["pack", "workouts", "-o", "{tmp}/club.zip"],
        REMOTE | FIT_READERS,
        "{tmp}/club.zip",
    ),
    "copy": (
        ["copy", "workouts", "--to", "{tmp}/watch"],
        REMOTE | FIT_READERS,
        "{tmp}/watch/GARMIN/NewFiles/core.fit",
    ),
    "inspect": (
        ["inspect", "samples/fit/core.fit"],
        REMOTE | {"garmin_fit_sdk", "fitdecode"},
        None,
    ),
    "import": (
        ["import", "samples/fit/core.fit", "-o", "{tmp}/core.yaml"],
        REMOTE | {"garmin_fit_sdk", "fitdecode"},
        "{tmp}/core.yaml",
    ),
    "garmin push --help": (["garmin", "push", "--help"], REMOTE | FIT_READERS, None),
}


# Commands held to the same rule as another that runs by default (`build`'s: no remote or
# FIT-reading library; `inspect`'s: fit-tool only), each a second or so in a fresh
# interpreter: in CI only (HYPOTHESIS_PROFILE=ci, as .ci/run sets it).
SAME_RULE_AS_ANOTHER = {"pack", "copy", "plan show", "schema", "import"}


@pytest.mark.parametrize(
    "case", sorted(c for c in CASES if THOROUGH or c not in SAME_RULE_AS_ANOTHER)
)
def test_command_imports_only_what_it_uses(case: str, tmp_path: Path) -> None:
    template, unwanted, written = CASES[case]
    (tmp_path / "watch" / "GARMIN" / "NewFiles").mkdir(parents=True)
    found = imported([arg.format(tmp=tmp_path) for arg in template], ROOT)
    assert "liftfit.cli" in found
    assert sorted(found & unwanted) == []
    if written:  # the command did run
        assert Path(written.format(tmp=tmp_path)).is_file()


@pytest.mark.parametrize("name", sorted(COMMANDS))
@pytest.mark.parametrize("limit", [20, 34, 45, 74, 120])
def test_help_line_is_the_commands_own(name: str, limit: int) -> None:
    real = cli.get_command(click.Context(cli), name)
    assert real is not None
    stand_in = click.Command(name, help=COMMANDS[name][1])
    assert stand_in.get_short_help_str(limit) == real.get_short_help_str(limit)


@pytest.mark.parametrize(
    "columns", [None, "", "abc", "0", "-5", "30", "52", "60", "79", "80", "200"]
)
def test_help_width_is_clicks(columns: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    """`liftfit` lays its help out as wide as click would (click asks shutil, which --help
    does not import)."""
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setattr(click.formatting, "FORCED_WIDTH", None)
    assert help_width() == click.HelpFormatter().width
