"""`liftfit build` compiles module-level Workout objects of a .py file."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from liftfit.cli import cli
from tests.conftest import garmin_decode

SOURCE = """
from liftfit import Exercise, Workout

hinge_day = Workout(
    name="Hinge day",
    steps=[Exercise(exercise="romanian deadlift", sets=3, reps=6, rpe=8, rest="90s")],
)
_private = Workout(name="Hidden", steps=[Exercise(exercise="squat", reps=5)])
"""


def test_py_file_builds_its_workouts(tmp_path: Path) -> None:
    source = tmp_path / "mine.py"
    source.write_text(SOURCE)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(source), "-o", str(out), "-f", "fit"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "fit").iterdir()) == ["hinge-day.fit"]
    steps = garmin_decode((out / "fit" / "hinge-day.fit").read_bytes())["workout_step_mesgs"]
    assert [s["duration_value"] for s in steps] == [6, 90000, 0]
    assert steps[0]["notes"] == "RPE 8"


def test_py_file_errors_are_located(tmp_path: Path) -> None:
    source = tmp_path / "bad.py"
    source.write_text(
        "from liftfit import Exercise, Workout\n\n"
        'w = Workout(name="X", steps=[Exercise(exercise="squatt", reps=5)])\n'
    )
    result = CliRunner().invoke(cli, ["validate", str(source)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {source}:3: exercise: unknown exercise 'squatt': did you mean Squat? "
        "(see `liftfit exercises`)\n"
    )
