"""Where liftfit finds the athlete profile, and that it is never read as a workout."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from liftfit.cli import cli

WORKOUT = "name: Heavy\nsteps:\n  - {exercise: back squat, reps: 3, load: 80% 1RM}\n"
PROFILE = "units: kg\none_rep_max:\n  back squat: 150 kg\n"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_a_profile_beside_the_workouts_is_found_from_another_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = tmp_path / "club" / "workouts"
    library.mkdir(parents=True)
    (library / "heavy.yaml").write_text(WORKOUT, "utf-8")
    (tmp_path / "club" / "liftfit.yaml").write_text(PROFILE, "utf-8")  # the folder above
    monkeypatch.chdir(tmp_path)
    result = run("build", "club/workouts", "-o", "out", "-f", "fit", "-v")
    assert result.exit_code == 0, result.output
    assert "Back Squat: 80% 1RM resolved to 120 kg from a 1RM of 150 kg" in result.stderr


def test_validate_here_does_not_read_the_profile_as_a_workout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "heavy.yaml").write_text(WORKOUT, "utf-8")
    (tmp_path / "liftfit.yaml").write_text(PROFILE, "utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("validate", ".")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "1 workout OK\n", "")


def test_without_a_profile_the_note_says_where_it_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "heavy.yaml").write_text(WORKOUT, "utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("build", "heavy.yaml", "-o", "out", "-f", "fit", "-v")
    assert result.exit_code == 0, result.output
    assert (
        "  note: heavy: Back Squat: 80% 1RM written to the notes (no profile found: looked for "
        "liftfit.yaml beside the workouts, in the folders above them up to this one, and here "
        "(--profile names one))"
    ) in result.stderr.splitlines()
