"""``liftfit import``: FIT workouts back as workout files, and the round trip import → build.

The round trip is checked with Garmin's own decoder on every reference file and every bundled
workout: each step of the original file must come back with the same raw values, except the
differences listed in ``INTENTIONAL`` below (each with its reason).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from liftfit.api import compile_paths, to_fit_bytes
from liftfit.cli import cli
from liftfit.errors import InvalidInput
from liftfit.importer import Imported, import_fit
from liftfit.loader import load_workout_file
from tests.conftest import REFERENCE, ROOT, garmin_decode
from tests.test_inspect import build_fit, file_id, workout_header
from tests.test_inspect import step as fit_step

CONNECT = "garmin-connect-strength-export.fit"
THIRD_PARTY = "third-party-strength-71-steps.fit"
SDK_TARGETS = "sdk-WorkoutCustomTargetValues.fit"
SDK_STEPS = "sdk-WorkoutIndividualSteps.fit"
SDK_UNTIL_HR = "sdk-WorkoutRepeatGreaterThanStep.fit"
SDK_REPEAT = "sdk-WorkoutRepeatSteps.fit"
REFERENCE_FILES = [CONNECT, THIRD_PARTY, SDK_TARGETS, SDK_STEPS, SDK_UNTIL_HR, SDK_REPEAT]

# --- what the round trip changes on purpose: (steps, fields, reason) --------------------------
STEP_NAME = "the format has no step names: the name leads the note instead"
POWER = "the format's targets are HR zones and paces: power targets are left out"
HR_UNTIL = "the format ends cardio steps by time, distance or Lap: 'until HR < 125' → Lap"
SDK_SPORT = "the SDK examples set no sport: a workout without exercises imports as a run"
REPEAT_STEP = "liftfit writes repeat steps as Connect does: no target type, intensity or name"
ALL_SDK = (0, 1, 2, 3)
INTENTIONAL: dict[str, list[tuple[tuple[int | None, ...], tuple[str, ...], str]]] = {
    CONNECT: [],  # the catalogue names FIT exercises as Connect does ("Incline Reverse Fly")
    THIRD_PARTY: [],
    SDK_TARGETS: [
        ((None,), ("sport",), SDK_SPORT),
        (ALL_SDK, ("wkt_step_name", "notes"), STEP_NAME),
        (
            (0,),
            ("target_type", "custom_target_value_low", "custom_target_value_high"),
            "a custom HR range (50-60% max HR): the format has HR zones only",
        ),
        (
            (1, 2, 3),
            ("target_type", "custom_target_value_low", "custom_target_value_high"),
            POWER,
        ),
        ((3,), ("duration_type", "duration_value"), HR_UNTIL),
    ],
    SDK_STEPS: [
        ((None,), ("sport",), SDK_SPORT),
        (ALL_SDK, ("wkt_step_name", "notes"), STEP_NAME),
        ((1, 2, 3), ("target_type", "target_value"), POWER),
        ((3,), ("duration_type", "duration_value"), HR_UNTIL),
    ],
    SDK_UNTIL_HR: [
        ((None,), ("sport",), SDK_SPORT),
        ((0, 1, 2, 4), ("wkt_step_name", "notes"), STEP_NAME),
        ((1, 2, 4), ("target_type", "target_value"), POWER),
        ((4,), ("duration_type", "duration_value"), HR_UNTIL),
        (
            (3,),
            ("*",),
            "'repeat until HR > 80%': the format repeats a number of times; steps written once",
        ),
    ],
    SDK_REPEAT: [
        ((None,), ("sport",), SDK_SPORT),
        ((None,), ("num_valid_steps",), "the SDK example counts 4 of its 5 steps"),
        ((0, 1, 2, 4), ("wkt_step_name", "notes"), STEP_NAME),
        ((1, 2, 4), ("target_type", "target_value"), POWER),
        ((4,), ("duration_type", "duration_value"), HR_UNTIL),
        ((3,), ("target_type", "intensity", "wkt_step_name"), REPEAT_STEP),
    ],
}


def intentional(name: str) -> set[tuple[int | None, str]]:
    return {
        (index, field)
        for steps, fields, _ in INTENTIONAL.get(name, [])
        for index in steps
        for field in fields
    }


# --- the round trip -------------------------------------------------------------------------


def rebuild(imported: Imported, tmp_path: Path) -> bytes:
    """Write the imported workout file, load it as `liftfit build` does, and encode it."""
    path = tmp_path / "imported.yaml"
    path.write_text(imported.yaml_text(), "utf-8")
    return to_fit_bytes(load_workout_file(path), max_steps=500)


def differences(original: bytes, imported: Imported, rebuilt: bytes) -> set[tuple[int | None, str]]:
    """(step, field) of every raw value that differs; ``(None, field)`` for the workout."""
    before, after = garmin_decode(original), garmin_decode(rebuilt)
    old_steps, new_steps = before["workout_step_mesgs"], after["workout_step_mesgs"]
    # The importer says which step becomes which; it also predicts the raw values exactly.
    assert len(imported.steps) == len(new_steps)
    for predicted, step in zip(imported.steps, new_steps, strict=True):
        assert predicted.raw() == {name: step.get(name) for name in predicted.raw()}
    found: set[tuple[int | None, str]] = set()
    for index, old in enumerate(old_steps):
        position = imported.step_map[index]
        if position is None:
            found.add((index, "*"))
            continue
        new = dict(new_steps[position])
        assert new["message_index"] == position
        for name in sorted(set(old) | set(new), key=str):
            if name == "message_index":
                continue
            want = old.get(name)
            if name == "duration_value" and old.get("duration_type") == 6:
                want = imported.step_map[want]  # a repeat points at its first step's new index
            if new.get(name) != want:
                found.add((index, str(name)))
    (old_header,), (new_header,) = before["workout_mesgs"], after["workout_mesgs"]
    for name in ("wkt_name", "sport", "sub_sport", "num_valid_steps"):
        if old_header.get(name) != new_header.get(name):
            found.add((None, name))
    mapped = [p for p in imported.step_map if p is not None]
    assert len(set(mapped)) == len(mapped) and len(mapped) == len(new_steps)
    return found


def assert_noted(imported: Imported, found: set[tuple[int | None, str]]) -> None:
    """Every changed step has its `note:` line."""
    for index, _ in found:
        if index is not None:
            assert any(note.startswith(f"step {index} (") for note in imported.notes), index


def reference_bytes(name: str) -> bytes:
    path = REFERENCE / "fit" / name
    if not path.is_file():
        pytest.skip(f"reference files not found at {REFERENCE} (set LIFTFIT_REFERENCE)")
    return path.read_bytes()


@pytest.mark.parametrize("name", REFERENCE_FILES)
def test_reference_round_trip(name: str, tmp_path: Path) -> None:
    original = reference_bytes(name)
    imported = import_fit(original, name)
    found = differences(original, imported, rebuild(imported, tmp_path))
    assert found == intentional(name)
    assert_noted(imported, found)


def test_every_reference_file_is_covered(reference: Path) -> None:
    assert sorted(p.name for p in (reference / "fit").glob("*.fit")) == sorted(REFERENCE_FILES)


@functools.cache
def bundled() -> dict[str, bytes]:
    return {
        compiled.source.slug: compiled.outputs["fit"].data
        for compiled in compile_paths([ROOT / "workouts"])
    }


@pytest.mark.parametrize("slug", sorted(bundled()))
def test_bundled_round_trip(slug: str, tmp_path: Path) -> None:
    original = bundled()[slug]
    imported = import_fit(original, f"{slug}.fit")
    assert differences(original, imported, rebuild(imported, tmp_path)) == set()
    assert imported.notes == ()


@pytest.mark.parametrize("name", [CONNECT, THIRD_PARTY, SDK_REPEAT])
def test_import_is_stable(name: str, tmp_path: Path) -> None:
    """Importing what an import builds gives the same workout file again."""
    imported = import_fit(reference_bytes(name), name)
    again = import_fit(rebuild(imported, tmp_path), name)
    assert again.workout == imported.workout


# --- what comes back, as a person writes it ---------------------------------------------------


def imported_bundled(slug: str) -> dict[str, Any]:
    return import_fit(bundled()[slug], f"{slug}.fit").workout


def test_lowering_notes_come_back_as_fields() -> None:
    heavy = imported_bundled("heavy-strength")
    assert heavy["rest"] == "2min"  # what most of its exercises rest (the file said 2:30)
    # A ramp comes back as the separate entries it is lowered as, warm-up sets marked.
    assert [s.get("intensity") for s in heavy["steps"][1:4]] == ["warmup", "warmup", None]
    squat = heavy["steps"][3]
    assert squat == {
        "exercise": "back-squat",
        "sets": 4,
        "reps": 4,
        "load": "80% 1RM",
        "rpe": "8-9",
        "rest": "3min",
        "note": "thighs to parallel, explode up",
    }
    deadlift = heavy["steps"][4]
    assert (deadlift["reps"], deadlift["rpe"], deadlift["rest"]) == ("5-6", "7-8", "2-3min")
    assert heavy["steps"][5]["sets"] == "2-3"  # the split squat's range, read back
    legs = imported_bundled("legs")["steps"]
    lunge = next(s for s in legs if s.get("exercise") == "dumbbell-lunge")
    assert (lunge["load"], lunge["rir"], lunge["per_side"]) == ("10 kg", 2, True)
    deadlift = next(s for s in legs if s.get("per_side") == "split")
    assert deadlift["note"] == "hips square, reach long behind; light dumbbell optional"
    calves = imported_bundled("ankles-and-calves")["steps"][0]
    assert (calves["tempo"], calves["load"]) == ("3-0-1-5", "bodyweight")


def test_pounds_pace_zones_circuits_and_repeats() -> None:
    plyo = imported_bundled("plyo-strength")["steps"]
    assert next(s for s in plyo if s.get("exercise") == "step-up")["load"] == "25 lb"
    assert next(s for s in plyo if s.get("exercise") == "pogo-hop")["hold"] == "20-30s"
    strides = imported_bundled("strides")
    assert strides["sport"] == "run"
    assert strides["steps"][0] == {"warmup": "10min", "hr_zone": 2, "note": "easy jog"}
    run = strides["steps"][1]["steps"][0]
    assert (strides["steps"][1]["repeat"], run["run"], run["pace"]) == (6, "20s", "3:20-3:50/km")
    drills = imported_bundled("ingebrigtsen-drills")["steps"]
    assert drills[0] == {"warmup": "2km", "note": "easy jog"}
    assert drills[1]["circuit"]["rounds"] == 2 and drills[1]["circuit"]["rest"] == "1min"
    assert drills[1]["circuit"]["exercises"][0]["open"] is True
    assert drills[2]["rest"] == "lap"


def test_connect_export_reads_as_a_person_writes_it() -> None:
    imported = import_fit(reference_bytes(CONNECT), CONNECT)
    text = imported.yaml_text()
    document = yaml.safe_load(text)
    assert document == imported.workout
    assert list(document) == ["name", "sport", "sets", "rest", "steps"]
    steps = document["steps"]
    assert steps[0] == {"warmup": "lap", "note": "Mobilisations articulaires"}
    assert steps[1]["exercise"] == "push_up/wide_hands_push_up"
    assert "note: |-\n    Rétraction scapulaire\n" in text  # multi-line notes as a block
    warmup_and_work = steps[2]["circuit"]
    assert warmup_and_work["rounds"] == 2 and warmup_and_work["rest"] == "lap"
    assert [e["load"] for e in warmup_and_work["exercises"]] == ["8 kg", "10 kg"]
    assert [e.get("intensity") for e in warmup_and_work["exercises"]] == ["warmup", None]
    assert steps[3]["sets"] == 6 and steps[3]["rest"] == "1:30"
    assert not any("intensity" in n for n in imported.notes)


# --- shapes the format cannot say: kept close, and noted ------------------------------------


def small(*steps: Any, sport: int = 10, titles: tuple[Any, ...] = ()) -> bytes:
    header = workout_header("Shapes", len(steps), sport=sport)
    if sport == 10:
        header.sub_sport = 20
    return build_fit(file_id(5), header, *steps, *titles)


def step(index: int, **fields: Any) -> Any:
    """A workout step as Connect writes them: intensity and an open target unless given."""
    if fields.get("duration_type") != 6:
        fields.setdefault("intensity", 0)
        fields.setdefault("target_type", 2)
        if fields["target_type"] == 2:
            fields.setdefault("target_value", 0)
    return fit_step(index, **fields)


def test_nested_repeat_is_written_out(tmp_path: Path) -> None:
    data = small(
        step(0, duration_type=29, duration_reps=5, exercise_category=28, exercise_name=37),
        step(1, duration_type=0, duration_time=30.0, intensity=1),
        step(2, duration_type=6, duration_step=0, target_repeat_steps=2),
        step(3, duration_type=29, duration_reps=8, exercise_category=22, exercise_name=77),
        step(4, duration_type=6, duration_step=0, target_repeat_steps=3),
    )
    imported = import_fit(data, "nested.fit")
    (circuit,) = imported.workout["steps"]
    assert circuit["circuit"]["rounds"] == 3
    assert [s["reps"] for s in circuit["circuit"]["exercises"]] == [5, 5, 8]
    assert (
        "step 2 (Repeat): left out: a repeat inside a repeat (watches do not nest them): "
        "steps 0-1 written out 2 times"
    ) in imported.notes
    assert imported.step_map[2] is None
    rebuild(imported, tmp_path)


def test_repeat_of_one_and_stray_rest(tmp_path: Path) -> None:
    data = small(
        step(0, duration_type=0, duration_time=60.0, intensity=1, notes="breathe"),
        step(1, duration_type=29, duration_reps=5, exercise_category=28, exercise_name=37),
        step(2, duration_type=6, duration_step=1, target_repeat_steps=1),
    )
    imported = import_fit(data, "odd.fit")
    assert imported.workout["steps"] == [
        {"recover": "1min", "note": "breathe"},
        {"exercise": "goblet-squat", "reps": 5},
    ]
    assert "step 2 (Repeat): left out: 1 round: plain steps in the format" in imported.notes
    assert any(n.startswith("step 0 (Rest): intensity rest → recovery") for n in imported.notes)
    differences(data, imported, rebuild(imported, tmp_path))


def test_split_sides_circuit_rest_and_lap(tmp_path: Path) -> None:
    data = small(
        step(
            0,
            duration_type=29,
            duration_reps=8,
            exercise_category=17,
            exercise_name=32,
            notes="Left · slow",
        ),
        step(
            1,
            duration_type=29,
            duration_reps=8,
            exercise_category=17,
            exercise_name=32,
            notes="Right · slow",
        ),
        step(2, duration_type=0, duration_time=20.0, intensity=1),
        *(
            step(
                index,
                duration_type=0,
                duration_time=15.0,
                exercise_category=19,
                exercise_name=43,
                notes=f"{side} · RPE 7.5 · RIR 3 · tempo 2-0-2 · keep it flat",
            )
            for index, side in ((3, "Left"), (4, "Right"))
        ),
        step(5, duration_type=5, intensity=1),
        step(6, duration_type=6, duration_step=0, target_repeat_steps=3),
    )
    imported = import_fit(data, "split.fit")
    (circuit,) = imported.workout["steps"]
    assert circuit == {
        "circuit": {
            "rounds": 3,
            "rest": "lap",
            "exercises": [
                {
                    "exercise": "lunge",
                    "reps": 8,
                    "per_side": "split",
                    "rest": "20s",
                    "note": "slow",
                },
                {
                    "exercise": "plank",
                    "hold": "15s",
                    "per_side": True,
                    "rpe": 7.5,
                    "rir": 3,
                    "tempo": "2-0-2",
                    "note": "keep it flat",
                },
            ],
        }
    }
    assert differences(data, imported, rebuild(imported, tmp_path)) == set()
    assert imported.notes == ()


def test_notes_that_only_look_like_fields_stay_notes(tmp_path: Path) -> None:
    data = small(
        step(
            0,
            duration_type=29,
            duration_reps=8,
            exercise_category=28,
            exercise_name=37,
            notes="RPE 08 · heavy",
        ),
        step(
            1,
            duration_type=29,
            duration_reps=8,
            exercise_category=28,
            exercise_name=37,
            notes="each side",
        ),
    )
    imported = import_fit(data, "notes.fit")
    first, second = imported.workout["steps"]
    assert first["note"] == "RPE 08 · heavy" and "rpe" not in first
    assert second["per_side"] is True and "note" not in second
    assert differences(data, imported, rebuild(imported, tmp_path)) == set()


def test_weights_in_their_display_unit(tmp_path: Path) -> None:
    def weighted(index: int, kg: float, unit: int) -> Any:
        return step(
            index,
            duration_type=29,
            duration_reps=5,
            exercise_category=28,
            exercise_name=37,
            exercise_weight=kg,
            weight_display_unit=unit,
        )

    data = small(
        weighted(0, 35 * 0.45359237, 2),
        weighted(1, 22.5 * 0.45359237, 2),
        weighted(2, 12.5, 1),
        weighted(3, 0.01, 1),
        weighted(4, 7.0, 0),
    )
    imported = import_fit(data, "weights.fit")
    loads = [s["load"] for s in imported.workout["steps"]]
    assert loads == ["35 lb", "22.5 lb", "12.5 kg", "0.01 kg", "7 kg"]
    found = differences(data, imported, rebuild(imported, tmp_path))
    assert found == {(4, "weight_display_unit")}
    assert_noted(imported, found)


def test_titles_and_unknown_exercises(tmp_path: Path) -> None:
    from fit_tool.profile.messages.exercise_title_message import ExerciseTitleMessage

    def title(index: int, category: int, name: int | None, text: str) -> Any:
        message = ExerciseTitleMessage()
        message.message_index = index
        message.exercise_category = category
        if name is not None:
            message.exercise_name = name
        message.workout_step_name = text
        return message

    data = small(
        step(0, duration_type=29, duration_reps=5, exercise_category=28, exercise_name=37),
        step(1, duration_type=29, duration_reps=5, exercise_category=22, exercise_name=9999),
        step(2, duration_type=29, duration_reps=5, exercise_category=9999),
        titles=(title(0, 28, 37, "Kettlebell goblet"), title(1, 9999, None, "Mystery")),
    )
    imported = import_fit(data, "titles.fit")
    goblet, push_up, mystery = imported.workout["steps"]
    assert goblet == {"exercise": "goblet-squat", "reps": 5, "note": "Kettlebell goblet"}
    assert push_up["exercise"] == "push_up/any"  # an unknown name: the category alone
    assert mystery == {"exercise": "warm-up", "reps": 5, "note": "Mystery"}
    found = differences(data, imported, rebuild(imported, tmp_path))
    assert found == {
        (0, "notes"),
        (1, "exercise_name"),
        (2, "exercise_category"),
        (2, "notes"),
    }
    assert_noted(imported, found)


def test_targets_and_durations_kept_close(tmp_path: Path) -> None:
    data = small(
        step(
            0,
            duration_type=1,
            duration_distance=1609.34,
            target_type=1,
            target_value=7,
            intensity=2,
        ),
        step(
            1,
            duration_type=0,
            duration_time=90.6,
            target_type=0,
            target_value=0,
            custom_target_speed_low=2.9,
            custom_target_speed_high=3.1,
            intensity=0,
        ),
        step(2, duration_type=4, duration_calories=100, intensity=3),
        sport=1,
    )
    imported = import_fit(data, "run.fit")
    warmup, run, cooldown = imported.workout["steps"]
    assert warmup == {"warmup": "1609.34m"}
    assert run["run"] == "1:31" and run["pace"].endswith("/km")
    assert cooldown == {"cooldown": "lap"}
    found = differences(data, imported, rebuild(imported, tmp_path))
    assert (0, "target_type") in found and (1, "duration_value") in found
    assert (2, "duration_type") in found
    assert_noted(imported, found)


def test_only_repeat_steps_is_invalid() -> None:
    data = small(step(0, duration_type=6, duration_step=0, target_repeat_steps=2))
    with pytest.raises(InvalidInput) as caught:
        import_fit(data, "repeat.fit")
    assert len(caught.value.lines()) == 1


# --- the command ------------------------------------------------------------------------------


def run(*args: str) -> Any:
    return CliRunner().invoke(cli, ["import", *args])


def test_import_writes_into_the_working_folder_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "watch" / "core.fit"
    source.parent.mkdir()
    source.write_bytes(bundled()["core"])
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    result = run(str(source))
    assert result.exit_code == 0, result.output
    written = here / "core.yaml"
    assert written.is_file() and not (source.parent / "core.yaml").exists()
    assert "imported 'Core' (16 steps) into core.yaml" in result.output
    assert load_workout_file(written).name == "Core"
    again = run(str(source))
    assert again.exit_code == 1
    assert again.output.strip() == (
        "error: core.yaml: already exists: choose another file with -o, "
        "or overwrite it with --force"
    )
    assert run(str(source), "--force").exit_code == 0


def test_import_to_stdout_with_notes_on_stderr() -> None:
    path = REFERENCE / "fit" / CONNECT
    if not path.is_file():
        pytest.skip("reference files not found")
    result = CliRunner().invoke(cli, ["import", str(path), "-o", "-"])
    assert result.exit_code == 0
    assert yaml.safe_load(result.stdout)["name"] == "FullBody - Beginner - B"
    assert result.stderr == ""  # Connect's own file comes back exactly: nothing to note
    third = CliRunner().invoke(cli, ["import", str(REFERENCE / "fit" / THIRD_PARTY), "-o", "-"])
    assert third.exit_code == 0
    assert yaml.safe_load(third.stdout)["name"]
    assert third.stderr.splitlines() == [
        "note: 71 steps, more than Garmin Connect's 50: build it with --max-steps 71"
    ]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "not a FIT file (the file is empty)"),
        (b"\x0e\x10" + b"x" * 30, "not a FIT file"),
        (None, "a FIT activity file (type 4), not a workout"),
    ],
)
def test_import_refuses_what_is_not_a_workout(
    tmp_path: Path, content: bytes | None, fragment: str
) -> None:
    source = tmp_path / "in.fit"
    source.write_bytes(build_fit(file_id(4)) if content is None else content)
    output = tmp_path / "out.yaml"
    result = run(str(source), "-o", str(output))
    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    assert line.startswith("error: ") and fragment in line
    assert not output.exists()


@pytest.mark.parametrize(
    "note",
    ["two\nlines", "ends with a break\n\n", " leading space\nx", "crlf\r\nx", "nel\x85x", "yes"],
)
def test_yaml_keeps_notes_exactly(note: str) -> None:
    from liftfit.importer import workout_yaml

    document = {"name": "N", "steps": [{"exercise": "squat", "reps": 5, "note": note}]}
    assert yaml.safe_load(workout_yaml(document)) == document
