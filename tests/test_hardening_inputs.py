"""Input that must never hang liftfit, eat its memory or end in an internal error.

Big and hostile inputs are generated here (never committed); each must be refused with one
located line per problem, exit 1, and nothing written. The hand-written cases with their
exact lines are in tests/bad/.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from liftfit.cli import cli
from liftfit.errors import SHOWN_PROBLEMS
from liftfit.model import SUGGESTIONS


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def errors(result: Result) -> list[str]:
    return result.stderr.splitlines()


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    # In a subprocess with a deadline: a blocking open would hang the test run otherwise.
    done = subprocess.run(
        [sys.executable, "-m", "liftfit", "validate", str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr == (
        f"error: {fifo}: not a regular file (a device, pipe or socket): not a YAML file\n"
    )


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_a_link_to_an_endless_device_is_refused(tmp_path: Path, device: str) -> None:
    link = tmp_path / "workout.yaml"
    link.symlink_to(device)
    result = run("validate", str(link))
    assert result.exit_code == 1
    assert errors(result) == [
        f"error: {link}: not a regular file (a device, pipe or socket): not a YAML file"
    ]


def test_a_yaml_file_over_2_mb_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text("name: Huge\n" + "# padding\n" * 220_000, "utf-8")
    out = tmp_path / "out"
    result = run("build", str(path), "-o", str(out))
    assert result.exit_code == 1
    assert errors(result) == [f"error: {path}: too large for a YAML file (over 2 MB)"]
    assert not out.exists()


def test_a_hundred_thousand_steps_are_refused_before_validation(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    path.write_text(
        "name: Many\nsteps:\n  - &set {exercise: squat, reps: 5}\n" + "  - *set\n" * 99_999,
        "utf-8",
    )
    result = run("validate", str(path))
    assert result.exit_code == 1
    # Refused while reading, from the count of values alone: nothing was validated.
    assert errors(result) == [
        f"error: {path}:10001:5: more than 50,000 values (with aliases expanded): "
        "far more than any workout or plan"
    ]


def test_step_entries_past_any_cap_are_counted_not_validated(tmp_path: Path) -> None:
    path = tmp_path / "long.yaml"
    steps = "".join("  - {exercise: no such move, reps: 5}\n" for _ in range(600))
    path.write_text("name: Long\nsteps:\n" + steps, "utf-8")
    result = run("validate", str(path))
    assert result.exit_code == 1
    # One line, about the count: the 600 unknown names were never looked at.
    assert errors(result) == [
        f"error: {path}:3:3: steps: 600 steps, more than the 500 liftfit takes at most "
        "(a Garmin watch is known to take 50): split the workout"
    ]


def test_suggestions_stop_after_the_first_unknown_names(tmp_path: Path) -> None:
    path = tmp_path / "typos.yaml"
    exercises = "".join(f"        - {{exercise: squatt{i}, reps: 5}}\n" for i in range(400))
    path.write_text(
        "name: Typos\nsteps:\n  - circuit:\n      rounds: 2\n      exercises:\n" + exercises,
        "utf-8",
    )
    result = run("validate", str(path))
    assert result.exit_code == 1
    lines = errors(result)
    assert len(lines) == SHOWN_PROBLEMS + 1
    assert lines[-1] == (
        f"error: … and {400 - SHOWN_PROBLEMS} more problems (fix these first, then run it again)"
    )
    assert sum("did you mean" in line for line in lines) == SUGGESTIONS


def test_python_files_that_exit_are_located_problems(tmp_path: Path) -> None:
    for name, body in {
        "exits.py": "import sys\nsys.exit(0)\n",
        "interrupts.py": "raise KeyboardInterrupt\n",
        "multiline.py": "raise ValueError('first line\\nsecond line')\n",
    }.items():
        (tmp_path / name).write_text(body, "utf-8")
    result = run("validate", str(tmp_path))
    assert result.exit_code == 1
    assert errors(result) == [
        f"error: {tmp_path / 'exits.py'}:2: SystemExit: 0",
        f"error: {tmp_path / 'interrupts.py'}:1: KeyboardInterrupt",
        f"error: {tmp_path / 'multiline.py'}:1: ValueError: first line second line",
    ]


def test_merge_keys_share_defaults(tmp_path: Path) -> None:
    path = tmp_path / "merged.yaml"
    path.write_text(
        "name: Merged\nsteps:\n"
        "  - &squat {exercise: squat, reps: 5, rest: 90s}\n"
        "  - <<: *squat\n    reps: 3\n"
        "  - <<: [*squat]\n    exercise: lunge\n",
        "utf-8",
    )
    result = run("inspect", "--json", str(_built(tmp_path, path)))
    assert result.exit_code == 0, result.output
    steps = [(s["label"], s["duration"]) for s in json.loads(result.stdout)["steps"]]
    assert steps == [
        ("Squat", "5 reps"),
        ("Rest", "1:30"),
        ("Squat", "3 reps"),
        ("Rest", "1:30"),
        ("Lunge", "5 reps"),
        ("Rest", "1:30"),
    ]


def _built(tmp_path: Path, path: Path) -> Path:
    out = tmp_path / "out"
    result = run("build", str(path), "-o", str(out), "-f", "fit")
    assert result.exit_code == 0, result.output
    return out / "fit" / f"{path.stem}.fit"


def test_a_resolved_load_past_the_fit_limit_is_located(tmp_path: Path) -> None:
    (tmp_path / "liftfit.yaml").write_text("one_rep_max:\n  back squat: 600 kg\n", "utf-8")
    workout = tmp_path / "heavy.yaml"
    workout.write_text(
        "name: Heavy\nsteps:\n  - exercise: back squat\n    reps: 2\n    load: 120% 1RM\n",
        "utf-8",
    )
    for command in ("validate", "build"):
        result = run(command, str(workout), "--profile", str(tmp_path / "liftfit.yaml"))
        assert result.exit_code == 1
        assert errors(result) == [
            f"error: {workout}:5:11: steps[0].load: 120% 1RM of a 600 kg 1RM is 720 kg: "
            "more than 655 kg (1444 lb), the most a FIT file holds"
        ]
    assert not (tmp_path / "build").exists()


def test_a_plan_scaling_a_load_past_the_limit_is_located(tmp_path: Path) -> None:
    (tmp_path / "heavy.yaml").write_text(
        "name: Heavy\nsteps:\n  - exercise: back squat\n    reps: 2\n    load: 400 kg\n",
        "utf-8",
    )
    (tmp_path / "plan.yaml").write_text(
        "name: Overload\nweeks: 1\nsessions:\n  - {workout: heavy, days: [mon], load: 200%}\n",
        "utf-8",
    )
    result = run("validate", str(tmp_path))
    assert result.exit_code == 1
    assert errors(result) == [
        f"error: {tmp_path / 'heavy.yaml'}:5:11: steps[0].load: 800 kg in "
        "'Heavy · 200% load': more than 655 kg (1444 lb), the most a FIT file holds"
    ]


def test_two_spellings_of_one_exercise_in_the_profile(tmp_path: Path) -> None:
    profile = tmp_path / "liftfit.yaml"
    profile.write_text("one_rep_max:\n  back squat: 100 kg\n  Back-Squat: 120 kg\n", "utf-8")
    result = run("validate", "workouts", "--profile", str(profile))
    assert result.exit_code == 1
    assert errors(result) == [
        f"error: {profile}:2:3: one_rep_max: 'Back-Squat' and 'back squat' are both "
        "Back Squat: give its 1RM once"
    ]


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ("1989-12-30", "start 1989-12-30 is before 1989-12-31, the first day a FIT file can date"),
        ("9999-01-04", "start 9999-01-04: 104 weeks from then run past the year 9999"),
    ],
)
def test_a_start_date_no_calendar_can_hold(start: str, message: str) -> None:
    result = run("plan", "show", "workouts/plans/ingebrigtsen-week.yaml", "--start", start)
    assert result.exit_code == 2
    assert f"Invalid value for '--start': {message}" in result.stderr


def test_a_newline_in_a_file_name_stays_on_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "we\nird"
    folder.mkdir()
    (folder / "a.yaml").write_text("name: x\nsteps: []\n", "utf-8")
    result = run("validate", str(folder / "a.yaml"))
    assert result.exit_code == 1
    assert errors(result) == [
        f"error: {tmp_path}/we\\nird/a.yaml:2:8: steps: needs at least 1 item(s), got none"
    ]


def test_a_one_rep_max_without_a_unit_says_how_to_write_it(tmp_path: Path) -> None:
    profile = tmp_path / "liftfit.yaml"
    profile.write_text("one_rep_max:\n  back squat: 140\n", "utf-8")
    result = run("validate", "workouts/core.yaml", "--profile", str(profile))
    assert result.exit_code == 1
    assert errors(result) == [
        f"error: {profile}:2:15: one_rep_max.back squat: a load needs its unit: 140 kg or 140 lb"
    ]
