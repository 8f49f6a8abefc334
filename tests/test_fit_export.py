"""FIT workouts as Garmin's own decoder reads them: raw field values, not just "it decodes"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from liftfit import Workout, to_fit_bytes
from liftfit.api import compile_paths
from liftfit.cli import cli
from liftfit.model import Profile
from liftfit.yamlread import read_yaml
from tests.conftest import ROOT, fitdecode_frames, garmin_decode

REST, WARMUP, ACTIVE, COOLDOWN, RECOVERY = 1, 2, 0, 3, 4
TIME, DISTANCE, OPEN, REPEAT, REPS = 0, 1, 5, 6, 29


def steps_of(yaml_text: str, tmp_path: Path, **kwargs: Any) -> list[dict[str, Any]]:
    path = tmp_path / "w.yaml"
    path.write_text(yaml_text)
    workout = Workout.model_validate(read_yaml(path).data)
    return garmin_decode(to_fit_bytes(workout, **kwargs))["workout_step_mesgs"]


def test_sets_block_as_garmin_connect_writes_it(tmp_path: Path) -> None:
    steps = steps_of(
        "name: Push\nsteps:\n  - {exercise: push-up, sets: 3, reps: 15, rest: 60s}\n", tmp_path
    )
    assert steps == [
        {
            "message_index": 0,
            "duration_type": REPS,
            "duration_value": 15,
            "target_type": 2,
            "target_value": 0,
            "intensity": ACTIVE,
            "exercise_category": 22,
            "exercise_name": 77,
        },
        {
            "message_index": 1,
            "duration_type": TIME,
            "duration_value": 60000,
            "target_type": 2,
            "target_value": 0,
            "intensity": REST,
        },
        {"message_index": 2, "duration_type": REPEAT, "duration_value": 0, "target_value": 3},
    ]


def test_hold_lap_rest_and_single_set(tmp_path: Path) -> None:
    steps = steps_of(
        "name: Core\nsteps:\n"
        "  - {exercise: plank, sets: 2, hold: 30s, rest: lap}\n"
        "  - {exercise: glute bridge, reps: 10, rest: 45s}\n",
        tmp_path,
    )
    assert [(s["duration_type"], s.get("duration_value"), s.get("intensity")) for s in steps] == [
        (TIME, 30000, ACTIVE),
        (OPEN, None, REST),
        (REPEAT, 0, None),
        (REPS, 10, ACTIVE),
        (TIME, 45000, REST),
    ]
    assert steps[2]["target_value"] == 2
    assert (steps[0]["exercise_category"], steps[0]["exercise_name"]) == (19, 43)
    assert (steps[3]["exercise_category"], steps[3]["exercise_name"]) == (10, 11)


def test_weights_in_kg_times_100_with_display_unit(tmp_path: Path) -> None:
    steps = steps_of(
        "name: Loads\nsteps:\n"
        "  - {exercise: goblet squat, reps: 8, load: 16 kg}\n"
        "  - {exercise: farmers carry, hold: 40s, load: 35 lb}\n"
        "  - {exercise: squat, reps: 8, load: bodyweight}\n",
        tmp_path,
    )
    assert (steps[0]["exercise_weight"], steps[0]["weight_display_unit"]) == (1600, 1)
    assert (steps[1]["exercise_weight"], steps[1]["weight_display_unit"]) == (1588, 2)
    assert "exercise_weight" not in steps[2]
    assert steps[2]["notes"] == "bodyweight"


def test_notes_carry_what_fit_cannot_say(tmp_path: Path) -> None:
    steps = steps_of(
        "name: Heavy\nsteps:\n"
        "  - exercise: romanian deadlift\n    sets: 3\n    reps: 5-6\n    load: 75% 1RM\n"
        "    rpe: 7-8\n    rir: 2\n    tempo: 3-1-1\n    note: flat back\n    rest: 2min\n",
        tmp_path,
    )
    assert steps[0]["notes"] == "5-6 reps · 75% 1RM · RPE 7-8 · RIR 2 · tempo 3-1-1 · flat back"
    assert steps[0]["duration_value"] == 6
    assert "exercise_weight" not in steps[0]


def test_percent_1rm_resolved_from_the_profile(tmp_path: Path) -> None:
    profile = Profile.model_validate({"one_rep_max": {"back squat": "140 kg"}})
    steps = steps_of(
        "name: Squat\nsteps:\n  - {exercise: back squat, sets: 4, reps: 4, load: 80% 1RM}\n",
        tmp_path,
        profile=profile,
    )
    # 112 kg, rounded to the default 2.5 kg of plates
    assert (steps[0]["exercise_weight"], steps[0]["weight_display_unit"]) == (11250, 1)
    assert steps[0]["notes"] == "80% 1RM"


def test_per_side_policies(tmp_path: Path) -> None:
    steps = steps_of(
        "name: Sides\nrest: 30s\nsteps:\n"
        "  - {exercise: lunge, sets: 2, reps: 6, per_side: true}\n"
        "  - {exercise: single leg deadlift, sets: 2, reps: 5, per_side: split}\n"
        "  - {exercise: side plank, hold: 20s, per_side: true}\n",
        tmp_path,
    )
    assert steps[0]["notes"] == "each side"
    assert [s.get("notes") for s in steps[3:7]] == ["Left", "Right", None, None]
    assert (steps[6]["duration_type"], steps[6]["duration_value"], steps[6]["target_value"]) == (
        REPEAT,
        3,
        2,
    )
    # A per-side hold is a left and a right step, each the hold, as Connect writes a side plank.
    side_plank = [(s["duration_value"], s.get("notes"), s.get("exercise_name")) for s in steps[7:]]
    assert side_plank == [(20000, "Left", 66), (20000, "Right", 66), (30000, None, None)]


def test_circuit_is_one_block_with_rest_after_the_round(tmp_path: Path) -> None:
    steps = steps_of(
        "name: Circuit\nsteps:\n"
        "  - warmup: 5min\n"
        "  - circuit:\n      rounds: 3\n      rest: 60s\n      exercises:\n"
        "        - {exercise: glute bridge, reps: 10}\n"
        "        - {exercise: russian twist, reps: 10}\n",
        tmp_path,
    )
    assert [(s["duration_type"], s.get("duration_value")) for s in steps] == [
        (TIME, 300000),
        (REPS, 10),
        (REPS, 10),
        (TIME, 60000),
        (REPEAT, 1),
    ]
    assert steps[0]["intensity"] == WARMUP
    assert steps[0]["exercise_category"] == 31
    assert steps[4]["target_value"] == 3


def test_run_workout_targets(tmp_path: Path) -> None:
    data_path = tmp_path / "run.yaml"
    data_path.write_text(
        "name: Strides\nsport: run\nsteps:\n"
        "  - {warmup: 2km, hr_zone: 2}\n"
        "  - repeat: 6\n    steps:\n      - {run: 20s, pace: '3:20-3:50/km'}\n"
        "      - {recover: lap}\n"
        "  - {cooldown: 5min}\n"
    )
    workout = Workout.model_validate(read_yaml(data_path).data)
    messages = garmin_decode(to_fit_bytes(workout))
    assert (
        messages["workout_mesgs"][0]["sport"],
        messages["workout_mesgs"][0].get("sub_sport"),
    ) in {
        (1, None),
        (1, 0),
    }
    steps = messages["workout_step_mesgs"]
    assert (steps[0]["duration_type"], steps[0]["duration_value"]) == (DISTANCE, 200000)
    assert (steps[0]["target_type"], steps[0]["target_value"]) == (1, 2)
    assert (steps[1]["target_type"], steps[1]["custom_target_value_low"]) == (0, 4348)
    assert steps[1]["custom_target_value_high"] == 5000
    assert (steps[2]["duration_type"], steps[2]["intensity"]) == (OPEN, RECOVERY)
    assert (steps[3]["duration_value"], steps[3]["target_value"]) == (1, 6)
    assert steps[4]["intensity"] == COOLDOWN
    assert all("exercise_category" not in s for s in steps)


def test_names_are_fitted_to_connects_sizes() -> None:
    long_name = "Très longue séance de force pour coureurs"
    workout = Workout(name=long_name, steps=[{"exercise": "squat", "reps": 5}])  # type: ignore[list-item]
    name = garmin_decode(to_fit_bytes(workout))["workout_mesgs"][0]["wkt_name"]
    assert len(name.encode()) <= 31
    assert long_name.startswith(name)


def test_every_bundled_workout_decodes_cleanly() -> None:
    results = compile_paths([ROOT / "workouts"])
    serials = set()
    for compiled in results:
        data = compiled.outputs["fit"].data
        assert data[0] == 14 and data[1] == 0x20, "14-byte header, protocol 2.0"
        messages = garmin_decode(data)
        assert len(fitdecode_frames(data)) > 0
        (file_id,) = messages["file_id_mesgs"]
        assert file_id["type"] == 5 and file_id["serial_number"] != 0
        serials.add(file_id["serial_number"])
        (workout,) = messages["workout_mesgs"]
        steps = messages["workout_step_mesgs"]
        assert workout["num_valid_steps"] == len(steps) <= 50
        assert [s["message_index"] for s in steps] == list(range(len(steps)))
        for step in steps:
            if step["duration_type"] == REPEAT:
                assert step["duration_value"] < step["message_index"]
            if step.get("intensity") == REST:
                assert "exercise_category" not in step and "exercise_name" not in step
            assert len(step.get("notes", "").encode()) <= 199
        titles = {
            (t["exercise_category"], t.get("exercise_name"))
            for t in messages.get("exercise_title_mesgs", [])
        }
        used = {
            (s["exercise_category"], s.get("exercise_name"))
            for s in steps
            if "exercise_category" in s
        }
        assert used == titles
    assert len(serials) == len(results)


def test_same_input_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    runner = CliRunner()
    # Two builds into folders of the same name (calendars name the build folder).
    for run in ("a", "b"):
        (tmp_path / run).mkdir()
        monkeypatch.chdir(tmp_path / run)
        assert (
            runner.invoke(cli, ["build", str(ROOT / "workouts"), "-o", "out", "-q"]).exit_code == 0
        )
    first = sorted((tmp_path / "a" / "out").rglob("*.*"))
    assert first
    for path in first:
        twin = tmp_path / "b" / path.relative_to(tmp_path / "a")
        assert path.read_bytes() == twin.read_bytes()


def test_a_category_alone_has_no_exercise_name_and_the_category_as_title() -> None:
    workout = Workout(name="x", steps=[{"exercise": "plank/any", "hold": "30s"}])  # type: ignore[list-item]
    messages = garmin_decode(to_fit_bytes(workout))
    (step,) = [s for s in messages["workout_step_mesgs"] if s.get("exercise_category") is not None]
    assert step["exercise_category"] == 19
    assert step.get("exercise_name") is None
    (title,) = messages["exercise_title_mesgs"]
    assert title["exercise_category"] == 19
    assert title.get("exercise_name") is None
    assert title["wkt_step_name"] == "Plank"


def test_time_created_from_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    workout = Workout(name="T", steps=[{"exercise": "squat", "reps": 5}])  # type: ignore[list-item]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    file_id = garmin_decode(to_fit_bytes(workout))["file_id_mesgs"][0]
    assert file_id["time_created"] == 1767225600 - 631065600


def test_step_cap_and_max_steps(tmp_path: Path) -> None:
    bad = ROOT / "tests" / "bad" / "too-many-steps.yaml"
    runner = CliRunner()
    refused = runner.invoke(cli, ["build", str(bad), "-o", str(tmp_path / "x")])
    assert refused.exit_code == 1
    assert not (tmp_path / "x").exists()
    allowed = runner.invoke(
        cli, ["build", str(bad), "-o", str(tmp_path / "y"), "--max-steps", "51"]
    )
    assert allowed.exit_code == 0, allowed.output
    steps = garmin_decode((tmp_path / "y" / "fit" / "too-many-steps.fit").read_bytes())[
        "workout_step_mesgs"
    ]
    assert len(steps) == 51


def test_build_reports_fidelity_notes(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["build", str(ROOT / "workouts" / "heavy-strength.yaml"), "-o", str(tmp_path), "-v"]
    )
    assert result.exit_code == 0
    assert (
        "note: heavy-strength: RPE written to the step notes (no such field on the watch)"
        in result.stderr
    )
    assert result.stdout.startswith("built 1 workout into")
