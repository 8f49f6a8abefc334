"""`liftfit init`: a starter library a newcomer can validate, build and put on a calendar."""

from __future__ import annotations

import shlex
from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from liftfit.cli import cli

FILES = [
    "liftfit.yaml",
    "workouts/exercises.yaml",
    "workouts/first-strength.yaml",
    "workouts/plans/first-month.yaml",
]


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_init_writes_a_library_and_the_next_commands_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("init", "club")
    assert result.exit_code == 0, result.output
    monday = date.today() + timedelta(days=7 - date.today().weekday())
    lines = result.stdout.splitlines()
    assert lines == [
        f"wrote a starter library in club/: {', '.join(FILES)}",
        "next:",
        "  cd club",
        "  liftfit validate        # check every file, each problem located",
        "  liftfit build           # FIT and every other format into build/",
        f"  liftfit plan show workouts/plans/first-month.yaml --start {monday.isoformat()}",
    ]
    assert (
        sorted(str(p.relative_to("club")) for p in Path("club").rglob("*") if p.is_file()) == FILES
    )
    monkeypatch.chdir(tmp_path / "club")
    for line in lines[3:]:
        command = shlex.split(line.split("#")[0])[1:]  # without "liftfit"
        done = run(*command)
        assert done.exit_code == 0, (line, done.output)
    fit = tmp_path / "club" / "build" / "fit" / "first-strength.fit"
    assert fit.read_bytes()[8:12] == b".FIT"
    # The profile was used: 60% of the 100 kg 1RM is a 60 kg load on the watch.
    assert "60 kg" in run("inspect", str(fit)).stdout


def test_init_writes_nothing_over_existing_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "workouts").mkdir()
    (tmp_path / "workouts" / "first-strength.yaml").write_text("mine\n", "utf-8")
    result = run("init")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: workouts/first-strength.yaml: already exists: liftfit init writes nothing\n"
    )
    assert (tmp_path / "workouts" / "first-strength.yaml").read_text("utf-8") == "mine\n"
    assert not (tmp_path / "liftfit.yaml").exists()
