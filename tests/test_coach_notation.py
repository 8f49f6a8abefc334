"""Coach notation (issue 13): each form a coach writes builds as written, or is refused with a
message that says how to write it. FIT values are read with Garmin's own decoder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from liftfit.api import compile_paths
from liftfit.cli import cli
from liftfit.library import load_library
from liftfit.lowering import lower_workout
from liftfit.model import Profile
from liftfit.plan import expand
from tests.conftest import garmin_decode

REST, WARMUP, ACTIVE = 1, 2, 0
TIME, OPEN, REPEAT, REPS = 0, 5, 6, 29


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def build(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    steps: str,
    profile: str | None = None,
    head: str = "",
) -> tuple[list[dict[str, Any]], Result]:
    """Build one workout (and a liftfit.yaml beside it) with the CLI; its FIT steps."""
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "w.yaml").write_text(f"name: W\n{head}steps:\n{steps}", "utf-8")
    if profile is not None:
        (folder / "liftfit.yaml").write_text(profile, "utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("build", "lib", "-o", "out", "-f", "fit", "-v")
    fit = tmp_path / "out" / "fit" / "w.fit"
    steps_read = garmin_decode(fit.read_bytes())["workout_step_mesgs"] if fit.exists() else []
    return steps_read, result


def shape(steps: list[dict[str, Any]]) -> list[tuple[Any, Any, Any]]:
    return [(s["duration_type"], s.get("duration_value"), s.get("notes")) for s in steps]


def test_a_range_of_sets_gives_the_watch_the_top_and_the_notes_the_range(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps, result = build(
        tmp_path, monkeypatch, "  - {exercise: push up, sets: 2-3, reps: 10, rest: 2-3min}\n"
    )
    assert result.exit_code == 0, result.output
    assert shape(steps) == [
        (REPS, 10, "2-3 sets · rest 2-3min"),
        (TIME, 180_000, None),
        (REPEAT, 0, None),
    ]
    assert steps[2]["target_value"] == 3
    assert (
        "note: w: ranges: the watch gets the top of each, the step notes say the range "
        "(rest 2-3min; Push-Up 2-3 sets)" in result.stderr
    )


@pytest.mark.parametrize(
    ("written", "seconds", "shown"),
    [("30s-1min", 60, "rest 30s-1min"), ("90-120s", 120, "rest 1:30-2min")],
)
def test_rest_ranges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: str, seconds: int, shown: str
) -> None:
    steps, result = build(
        tmp_path, monkeypatch, f"  - {{exercise: push up, sets: 3, reps: 10, rest: {written}}}\n"
    )
    assert result.exit_code == 0, result.output
    assert shape(steps)[:2] == [(REPS, 10, shown), (TIME, seconds * 1000, None)]


def test_a_hold_range_pogo_hops_3_x_20_30s(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    steps, result = build(
        tmp_path, monkeypatch, "  - {exercise: pogo hop, sets: 3, hold: 20-30s, rest: 60s}\n"
    )
    assert result.exit_code == 0, result.output
    assert (steps[0]["duration_type"], steps[0]["duration_value"]) == (TIME, 30_000)
    assert steps[0]["notes"].split(" · ")[1] == "20-30s"


def test_a_range_of_1rm_resolves_its_top_rounded_to_plates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps, result = build(
        tmp_path,
        monkeypatch,
        "  - {exercise: back squat, sets: 3, reps: 4-10, load: 75-85% 1RM, rest: 2min}\n",
        profile="one_rep_max:\n  back squat: 140 kg\n",
    )
    assert result.exit_code == 0, result.output
    # 85 % of 140 kg is 119 kg: 120 kg on 2.5 kg plates; 75 % is 105 kg.
    assert (steps[0]["exercise_weight"], steps[0]["weight_display_unit"]) == (12000, 1)
    assert steps[0]["notes"] == "4-10 reps · 75-85% 1RM · 105-120 kg"
    assert (
        "note: w: Back Squat: 75-85% 1RM resolved to 105-120 kg from a 1RM of 140 kg "
        "(rounded to 2.5 kg)" in result.stderr
    )


@pytest.mark.parametrize(
    ("profile", "weight", "unit"),
    [
        ("one_rep_max: {back squat: 140 kg}\n", 12000, 1),  # 119 → 120 (2.5 kg)
        ("round_to: 1 kg\none_rep_max: {back squat: 140 kg}\n", 11900, 1),
        ("round_to: 5 kg\none_rep_max: {back squat: 140 kg}\n", 12000, 1),
        ("units: lb\none_rep_max: {back squat: 140 kg}\n", 11793, 2),  # 262.4 lb → 260 lb
    ],
)
def test_plate_rounding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, profile: str, weight: int, unit: int
) -> None:
    steps, result = build(
        tmp_path,
        monkeypatch,
        "  - {exercise: back squat, reps: 3, load: 85% 1RM}\n",
        profile=profile,
    )
    assert result.exit_code == 0, result.output
    assert (steps[0]["exercise_weight"], steps[0]["weight_display_unit"]) == (weight, unit)


@pytest.mark.parametrize(
    ("reps", "notes"), [("AMRAP", "AMRAP"), ("max", "AMRAP"), ("5+", "5+ reps")]
)
def test_amrap_is_an_open_set_ended_by_lap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reps: str, notes: str
) -> None:
    steps, result = build(tmp_path, monkeypatch, f"  - {{exercise: push up, reps: {reps}}}\n")
    assert result.exit_code == 0, result.output
    assert shape(steps) == [(OPEN, None, notes)]
    assert f'note: w: Push-Up: {notes}: an open set, ended by Lap, "{notes}" in the notes' in (
        result.stderr
    )


def test_an_unknown_rep_word_suggests_amrap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, result = build(tmp_path, monkeypatch, "  - {exercise: push up, reps: amrep}\n")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: lib/w.yaml:3:31: steps[0].reps: expected reps as a whole number, a range like "
        "5-6, AMRAP, max or 5+ (at least 5), got 'amrep': did you mean AMRAP?"
    ]
    assert not (tmp_path / "out").exists()


def test_a_load_without_unit_takes_the_profile_units(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    steps, result = build(
        tmp_path,
        monkeypatch,
        "  - {exercise: back squat, reps: 5, load: 100}\n",
        profile="units: lb\n",
    )
    assert result.exit_code == 0, result.output
    assert (steps[0]["exercise_weight"], steps[0]["weight_display_unit"]) == (4536, 2)


def test_a_load_without_unit_and_no_profile_units_says_how(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, result = build(tmp_path, monkeypatch, "  - {exercise: back squat, reps: 5, load: 100}\n")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: lib/w.yaml:3:43: steps[0].load: 100 has no unit: write 100 kg or 100 lb, "
        "or give the profile (liftfit.yaml) units: kg or units: lb"
    ]
    assert not (tmp_path / "out").exists()


RAMP = (
    "  - exercise: back squat\n"
    "    rest: 2min\n"
    "    sets:\n"
    "      - {reps: 5, load: 50% 1RM, intensity: warmup}\n"
    "      - {reps: 3, load: 70% 1RM, intensity: warmup}\n"
    "      - {reps: 5, load: 85% 1RM, count: 3}\n"
)
SEPARATE = (
    "  - {exercise: back squat, rest: 2min, sets: 1, reps: 5, load: 50% 1RM, intensity: warmup}\n"
    "  - {exercise: back squat, rest: 2min, sets: 1, reps: 3, load: 70% 1RM, intensity: warmup}\n"
    "  - {exercise: back squat, rest: 2min, sets: 3, reps: 5, load: 85% 1RM}\n"
)


def test_a_ramp_is_lowered_as_the_separate_entries(tmp_path: Path) -> None:
    profile = Profile.model_validate({"one_rep_max": {"back squat": "140 kg"}})
    lowered = []
    for name, steps in (("ramp", RAMP), ("separate", SEPARATE)):
        path = tmp_path / f"{name}.yaml"
        path.write_text(f"name: Squat\nsteps:\n{steps}", "utf-8")
        (compiled,) = compile_paths([path], profile=profile)
        lowered.append(compiled.lowered)
    assert lowered[0].items == lowered[1].items
    assert lowered[0].fidelity == lowered[1].fidelity
    intensities = [s.intensity for s in lowered[0].steps() if s.role == "exercise"]
    assert intensities == ["warmup", "warmup", "active"]


def test_a_problem_in_a_ramp_set_is_located_at_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, result = build(
        tmp_path,
        monkeypatch,
        "  - exercise: back squat\n    sets:\n      - {reps: 5, load: 50% 1RM}\n"
        "      - {reps: 1, load: 150% 1RM}\n",
        profile="one_rep_max: {back squat: 500 kg}\n",
    )
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: lib/w.yaml:6:25: steps[0].sets[1].load: 150% 1RM of a 500 kg 1RM is 750 kg: "
        "more than 655 kg (1444 lb), the most a FIT file holds"
    ]


PLAN = """name: Block
weeks: 3
start: 2026-03-02
each_week: {load: +2.5 kg}
sessions:
  - {workout: squat, days: [mon]}
phases:
  - {name: volume, weeks: 1-2, sets: +1, reps: -2}
  - {name: peak, weeks: 3, load: +5 kg, warmup: true}
"""


def test_plans_leave_warm_up_sets_alone_and_add_load_each_week(tmp_path: Path) -> None:
    (tmp_path / "squat.yaml").write_text(f"name: Squat\nsteps:\n{RAMP}", "utf-8")
    (tmp_path / "block.yaml").write_text(PLAN, "utf-8")
    (plan,) = load_library([tmp_path / "block.yaml"]).plans
    profile = Profile.model_validate({"one_rep_max": {"back squat": "140 kg"}})
    weeks = []
    for session in expand(plan).sessions:
        lowered = lower_workout(session.variant.workout, profile=profile)
        weeks.append(
            [
                (s.intensity, s.length.value, s.weight_kg)
                for s in lowered.steps()
                if s.role == "exercise"
            ]
        )
    counts = [
        [getattr(i, "count", 1) for i in lower_workout(s.variant.workout).items]
        for s in expand(plan).sessions
    ]
    # Week 1: warm-ups as written (5 and 3 reps, 70 and 97.5 kg); the top sets +1 set, -2 reps.
    assert weeks[0] == [("warmup", 5, 70.0), ("warmup", 3, 97.5), ("active", 3, 120.0)]
    assert counts[0][-1] == 4
    # Week 2: 2.5 kg more on the working sets only.
    assert weeks[1] == [("warmup", 5, 70.0), ("warmup", 3, 97.5), ("active", 3, 122.5)]
    # Week 3, the peak: +5 kg and the week's +5 kg (two weeks of 2.5), warm-ups too.
    assert weeks[2] == [("warmup", 5, 80.0), ("warmup", 3, 107.5), ("active", 5, 130.0)]
    names = [s.variant.workout.name for s in expand(plan).sessions]
    assert names == [
        "Squat · +1 set, -2 reps",
        "Squat · +1set, -2reps, +2.5kg",
        "Squat · +10 kg",
    ]


def test_distance_and_rir_ranges(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    steps, result = build(
        tmp_path,
        monkeypatch,
        "  - {exercise: farmers carry, sets: 2, distance: 20-40m, rir: 1-2, rest: 1min}\n",
    )
    assert result.exit_code == 0, result.output
    assert (steps[0]["duration_type"], steps[0]["duration_value"]) == (1, 4000)  # cm
    assert steps[0]["notes"] == "20-40m · RIR 1-2"


def test_plan_show_gives_each_weeks_figures(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "squat.yaml").write_text(f"name: Squat\nsteps:\n{RAMP}", "utf-8")
    (tmp_path / "block.yaml").write_text(PLAN, "utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("plan", "show", "block.yaml")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[3:] == [
        "2026-03-02  Mon  Squat · +1 set, -2 reps           4     volume",
        "2026-03-09  Mon  Squat · +1 set, -2 reps, +2.5 kg  4     volume",
        "2026-03-16  Mon  Squat · +10 kg                    3     peak",
    ]


def test_a_ramp_set_takes_the_exercises_intensity_in_a_plan_too() -> None:
    from liftfit.model import Workout
    from liftfit.variants import Changes

    workout = Workout.model_validate(
        {
            "name": "Squat",
            "steps": [
                {
                    "exercise": "squat",
                    "intensity": "warmup",
                    "sets": [{"reps": 5}, {"reps": 3, "intensity": "active"}],
                }
            ],
        }
    )
    varied = Changes(reps_delta=-2).apply(workout)
    # The first set is a warm-up (the exercise's intensity), left as written; the second not.
    assert [(str(e.reps), e.intensity) for e in varied.exercises()] == [
        ("5", "warmup"),
        ("1", "active"),
    ]
