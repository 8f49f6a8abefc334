"""COROS programs: the capture of Training Hub rebuilt, every bundled workout, loads, rows."""

from __future__ import annotations

import csv
import json
import runpy
from pathlib import Path
from typing import Any

import pytest
import yaml

from liftfit import (
    BlockExercise,
    Circuit,
    CircuitRounds,
    Cooldown,
    Exercise,
    Recover,
    Repeat,
    Run,
    Warmup,
    Workout,
    compile_paths,
    load_workout_file,
    lower_workout,
)
from liftfit.exporters import FORMATS
from liftfit.exporters.coros import coros_output, coros_program
from liftfit.exporters.coros_catalogue import RUN_TEMPLATES, coros_table, fit_map
from liftfit.exporters.coros_overview import BUDGET, MARKER_RESERVE, OVERVIEW_CHARS
from tests.conftest import ROOT, thorough_only

CAPTURE_WORKOUT = ROOT / "tests" / "data" / "coros-capture.yaml"
ROW_FIELDS = (
    "name",
    "originId",
    "overview",
    "targetType",
    "targetValue",
    "sets",
    "restType",
    "restValue",
    "exerciseType",
    "sportType",
    "muscle",
    "muscleRelevance",
    "part",
    "equipment",
    "animationId",
    "nameText",
    "intensityType",
    "intensityValue",
    "intensityCustom",
    "intensityDisplayUnit",
    "isGroup",
    "groupId",
)
PROGRAM_FIELDS = (
    "name",
    "overview",
    "sportType",
    "subType",
    "pbVersion",
    "sets",
    "totalSets",
    "distance",
    "duration",
)


def program_of(workout: Workout) -> dict[str, Any]:
    return coros_program(lower_workout(workout))


def capture(reference: Path) -> dict[str, Any]:
    path = reference / "coros" / "strength-program-add-request.json"
    return json.loads(path.read_text("utf-8"))  # type: ignore[no-any-return]


def catalogue_csv(reference: Path) -> dict[str, dict[str, str]]:
    with (reference / "coros" / "strength-exercise-catalog.csv").open(encoding="utf-8") as f:
        return {row["code"]: row for row in csv.DictReader(f)}


def built() -> dict[str, Any]:
    return coros_program(lower_workout(load_workout_file(CAPTURE_WORKOUT)))


# ----- the capture ------------------------------------------------------------------------


def test_capture_rebuilt_field_by_field(reference: Path) -> None:
    expected, program = capture(reference), built()
    for key in PROGRAM_FIELDS:
        assert program[key] == expected[key], key
    assert len(program["exercises"]) == len(expected["exercises"])
    for ours, theirs in zip(program["exercises"], expected["exercises"], strict=True):
        for key in ROW_FIELDS:
            assert ours[key] == theirs[key], (theirs["name"], key)


def test_only_the_captures_keys_with_the_captures_types(reference: Path) -> None:
    expected, program = capture(reference), built()
    for key, value in program.items():
        assert key in expected, key
        assert type(value) is type(expected[key]), key
    for ours, theirs in zip(program["exercises"], expected["exercises"], strict=True):
        for key, value in ours.items():
            assert key in theirs, key
            assert type(value) is type(theirs[key]), key
    assert list(program) == [key for key in expected if key in program], "key order"


def test_catalogue_maps_the_captured_exercises_to_its_codes() -> None:
    from liftfit.catalogue import catalogue

    for name, code in (("push-up", "T1004"), ("pull-up", "T1002"), ("squat", "T1061")):
        entry = catalogue().resolve(name)
        assert entry.coros == code and not entry.coros_nearest, name


def test_format_registered_and_output_is_json() -> None:
    fmt = FORMATS["coros"]
    assert (fmt.folder, fmt.extension) == ("coros", ".json")
    out = fmt.export(lower_workout(load_workout_file(CAPTURE_WORKOUT)))
    text = out.data.decode("utf-8")
    assert text.endswith("}\n") and text.startswith('{\n  "access": 1,')
    assert json.loads(text) == built()


# ----- the table ----------------------------------------------------------------------------


def test_table_covers_every_catalogue_code() -> None:
    entries = yaml.safe_load((ROOT / "src/liftfit/data/exercises.yaml").read_text("utf-8"))
    codes = {entry["coros"] for entry in entries}
    codes |= {code for names in fit_map().values() for code in names.values()}
    assert codes | {"T1120", "T1121", "T1122", "T1123"} == set(coros_table())


def test_table_is_what_the_script_makes(reference: Path) -> None:
    script = runpy.run_path(str(ROOT / "scripts" / "coros_table.py"))
    text = script["render"](script["build_table"](reference))
    stored = (ROOT / "src/liftfit/data/coros.json").read_text("utf-8")
    assert stored == text, "stale: run `uv run python scripts/coros_table.py`"


def test_table_agrees_with_the_catalogue_csv(reference: Path) -> None:
    rows = catalogue_csv(reference)
    for code, facts in coros_table().items():
        row = rows[code]
        assert facts["originId"] == row["originId"], code
        assert facts["overview"] == row["overview"], code
        assert facts["muscle"] == [int(x) for x in row["muscle"].split()], code


# ----- every bundled workout --------------------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> list[tuple[str, dict[str, Any], tuple[str, ...]]]:
    results = compile_paths([ROOT / "workouts"], formats=["coros"])
    assert len(results) >= 10
    out = []
    for compiled in results:
        output = compiled.outputs["coros"]
        out.append((compiled.source.slug, json.loads(output.data), output.warnings))
    return out


def test_every_bundled_workout_exports(bundled: list[tuple[str, dict[str, Any], Any]]) -> None:
    for slug, program, _ in bundled:
        rows = program["exercises"]
        assert rows, slug
        assert program["sportType"] in (1, 4), slug
        assert program["pbVersion"] == 2 and program["subType"] == 65535, slug
        assert len(program["overview"]) <= OVERVIEW_CHARS, slug
        assert program["sets"] == program["totalSets"] > 0, slug
        assert program["duration"] > 0, slug
        if program["sportType"] == 4:
            assert program["totalSets"] == sum(row["sets"] for row in rows), slug
            assert [row["id"] for row in rows] == list(range(1, len(rows) + 1)), slug


def test_every_strength_row_is_a_real_catalogue_code(
    bundled: list[tuple[str, dict[str, Any], Any]], reference: Path
) -> None:
    rows_by_code = catalogue_csv(reference)
    for slug, program, _ in bundled:
        if program["sportType"] != 4:
            continue
        for row in program["exercises"]:
            real = rows_by_code[row["name"]]
            assert row["originId"] == real["originId"], (slug, row["name"])
            assert row["overview"] == real["overview"], (slug, row["name"])
            assert row["exerciseType"] in (1, 2, 3, 4), (slug, row["name"])


def test_every_run_row_is_a_known_run_template(
    bundled: list[tuple[str, dict[str, Any], Any]],
) -> None:
    templates = {(code, origin) for code, origin, _, _ in RUN_TEMPLATES.values()}
    runs = [program for _, program, _ in bundled if program["sportType"] == 1]
    assert runs
    for program in runs:
        for row in program["exercises"]:
            if row["isGroup"]:
                assert row["exerciseType"] == 5 and row["sets"] > 1
            else:
                assert (row["name"], row["originId"]) in templates


def test_output_is_deterministic() -> None:
    lowered = lower_workout(load_workout_file(ROOT / "workouts" / "core.yaml"))
    assert coros_output(lowered).data == coros_output(lowered).data


# ----- loads ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("load", "grams", "unit"), [("16 kg", 16000, "6"), ("35 lb", 15876, "7"), ("2.5kg", 2500, "6")]
)
def test_loads_in_grams_with_their_display_unit(load: str, grams: int, unit: str) -> None:
    workout = Workout(
        name="Loaded", steps=[Exercise(exercise="goblet squat", sets=3, reps=10, load=load)]
    )
    (row,) = program_of(workout)["exercises"]
    assert (row["intensityType"], row["intensityValue"]) == (1, grams)
    assert row["intensityDisplayUnit"] == unit
    assert row["sets"] == 3


def test_unloaded_rows_as_the_web_app_saves_them() -> None:
    workout = Workout(name="No load", steps=[Exercise(exercise="push up", reps=10)])
    (row,) = program_of(workout)["exercises"]
    assert (row["intensityType"], row["intensityValue"], row["intensityCustom"]) == (1, 0, 0)


def test_bodyweight_rows() -> None:
    workout = Workout(
        name="Bodyweight",
        steps=[Exercise(exercise="push up", reps=10, load="bodyweight")],
    )
    program = program_of(workout)
    (row,) = program["exercises"]
    assert (row["intensityType"], row["intensityValue"], row["intensityCustom"]) == (1, "", 1)
    assert "Push-Up: bodyweight" in program["overview"]


# ----- rows -------------------------------------------------------------------------------


def test_sets_rest_and_lap_rest() -> None:
    workout = Workout(
        name="Rests",
        rest=60,
        steps=[
            Exercise(exercise="plank", sets=3, hold=30, rest="lap"),
            Exercise(exercise="squat", sets=2, reps=12, rest="none"),
            Exercise(exercise="push up", reps=10),
        ],
    )
    plank, squat, push = program_of(workout)["exercises"]
    assert (plank["targetType"], plank["targetValue"], plank["sets"]) == (2, 30, 3)
    assert (plank["restType"], plank["restValue"]) == (0, 0)
    assert (squat["targetType"], squat["targetValue"], squat["sets"]) == (3, 12, 2)
    assert (squat["restType"], squat["restValue"]) == (3, 0)
    assert (push["sets"], push["restType"], push["restValue"]) == (1, 1, 60)


def test_split_per_side_is_one_row_with_each_side_in_the_overview() -> None:
    workout = Workout(
        name="Sides",
        rest=45,
        steps=[
            Exercise(exercise="single leg deadlift", sets=3, reps=8, per_side="split", rpe=7),
            Exercise(exercise="side plank", sets=2, hold=30, per_side="split"),
        ],
    )
    lowered = lower_workout(workout)
    program = coros_program(lowered)
    deadlift, plank = program["exercises"]
    assert (deadlift["targetValue"], deadlift["sets"], deadlift["restValue"]) == (8, 3, 45)
    assert (plank["targetType"], plank["targetValue"], plank["sets"]) == (2, 60, 2)
    assert "Single-Leg Deadlift: each side · RPE 7" in program["overview"]
    assert "Side Plank: 30s each side" in program["overview"]
    warnings = coros_output(lowered).warnings
    assert any("left and right sent as one COROS row" in w for w in warnings)


def test_circuit_unrolled_round_by_round() -> None:
    workout = Workout(
        name="Circuit",
        steps=[
            Warmup(warmup=300),
            Circuit(
                circuit=CircuitRounds(
                    rounds=3,
                    rest=90,
                    exercises=[
                        BlockExercise(exercise="burpee", reps=10, rest=15),
                        BlockExercise(exercise="squat", reps=15),
                    ],
                )
            ),
            Cooldown(cooldown=300),
        ],
    )
    program = program_of(workout)
    rows = program["exercises"]
    names = [row["name"] for row in rows]
    assert names == ["T1120", *["T1007", "T1061"] * 3, "T1122"]
    assert [row["exerciseType"] for row in rows] == [1, *[2] * 6, 3]
    assert all(row["sets"] == 1 for row in rows)
    assert [row["restValue"] for row in rows[1:7]] == [15, 90] * 3
    assert program["totalSets"] == 8


def test_two_rests_in_a_row_give_a_rest_row() -> None:
    workout = Workout(
        name="Rest row",
        steps=[
            Circuit(
                circuit=CircuitRounds(
                    rounds=2, rest=120, exercises=[BlockExercise(exercise="squat", reps=5, rest=30)]
                )
            )
        ],
    )
    rows = program_of(workout)["exercises"]
    assert [(r["name"], r["exerciseType"], r["targetValue"], r["restValue"]) for r in rows] == [
        ("T1061", 2, 5, 30),
        ("T1123", 4, 120, 0),
    ] * 2


def test_nearest_and_uncurated_exercises_named_in_the_overview() -> None:
    workout = Workout(
        name="Nearest",
        steps=[
            Exercise(exercise="back squat", reps=5),
            Exercise(exercise="squat/goblet_squat", reps=5),
            Exercise(exercise="push_up/weighted_wide_hands_push_up", reps=5),
            Exercise(exercise="pose/warrior_two", hold=30),
        ],
    )
    lowered = lower_workout(workout)
    program = coros_program(lowered)
    back, goblet, wide, warrior = program["exercises"]
    assert [back["name"], goblet["name"], wide["name"], warrior["name"]] == [
        "T1117",  # Power Squats: the curated back squat's reviewed nearest
        "T1301",  # Goblet Squat: the same exercise, so no real name needed
        "T1232",  # Wide Grip Push-Up
        "T1121",  # nothing close: Training, and listed in scripts/coros_review.yaml
    ]
    assert program["overview"].splitlines() == [
        "Back Squat (as Power Squats)",
        "Weighted Wide-hands Push-up (as Wide Grip Push-Up)",
        "Warrior Two (as Training)",
    ]
    assert [row["animationId"] for row in (back, goblet)] == [0, 0]  # not in any reference
    assert len(coros_output(lowered).warnings) >= 3


def test_long_notes_keep_to_the_overview_limit() -> None:
    steps = [
        Exercise(exercise=name, reps=10, note="a long cue that goes on and on " * 2)
        for name in ("squat", "push up", "burpee", "sit up", "lunge", "plank")
    ]
    workout = Workout(name="Wordy", description="A description. " * 10, steps=steps)
    lowered = lower_workout(workout)
    program = coros_program(lowered)
    overview = program["overview"]
    assert len(overview) <= OVERVIEW_CHARS - MARKER_RESERVE
    # What the rows cannot show first (the lunge's real name), then the description, then
    # the cues while they fit; the cues that did not are named.
    assert overview.startswith("A description. A description.")
    assert overview.splitlines()[1].startswith("Lunge (as Dumbbell Lunges)")
    warnings = coros_output(lowered).warnings
    (left_out,) = [w for w in warnings if w.startswith("COROS overview: no room for ")]
    assert "Squat: a long cue" in left_out and "Plank: a long cue" in left_out


# ----- runs -------------------------------------------------------------------------------


def test_run_program_with_a_repeat_group() -> None:
    workout = Workout(
        name="Intervals",
        sport="run",
        steps=[
            Warmup(warmup="2km"),
            Repeat(repeat=5, steps=[Run(run="400m", pace="4:00-4:10/km"), Recover(recover=90)]),
            Cooldown(cooldown="lap"),
        ],
    )
    program = program_of(workout)
    assert program["sportType"] == 1
    warm, group, fast, easy, cool = program["exercises"]
    assert (warm["name"], warm["exerciseType"]) == ("T1120", 1)
    assert (warm["targetType"], warm["targetValue"], warm["targetDisplayUnit"]) == (5, 200000, 1)
    assert group["isGroup"] and group["exerciseType"] == 5 and group["sets"] == 5
    assert fast["groupId"] == easy["groupId"] == group["id"]
    assert (fast["targetType"], fast["targetValue"]) == (5, 40000)
    assert (fast["intensityType"], fast["intensityValue"], fast["intensityValueExtend"]) == (
        3,
        240000,
        250000,
    )
    assert (easy["targetType"], easy["targetValue"]) == (2, 90)
    assert (cool["name"], cool["targetType"]) == ("T1122", 1)
    assert program["distance"] == f"{200000 + 5 * 40000:.2f}"
    sort = [row["sortNo"] for row in program["exercises"]]
    assert sort == sorted(sort)


def test_strides_sample_matches_the_workout() -> None:
    results = compile_paths([ROOT / "workouts" / "strides.yaml"], formats=["coros"])
    program = json.loads(results[0].outputs["coros"].data)
    group = next(row for row in program["exercises"] if row["isGroup"])
    assert group["sets"] == 6
    assert "Warm-Up: HR zone 2 · easy jog" in program["overview"]
    assert program["duration"] == 600 + 6 * (20 + 60) + 300


# ----- every exercise mapped, the overview by priority --------------------------------------


def reviewed_training() -> list[str]:
    review = yaml.safe_load((ROOT / "scripts" / "coros_review.yaml").read_text("utf-8"))
    return sorted(review["training"])


def test_every_curated_and_fit_exercise_builds_and_generic_rows_are_the_reviewed_ones() -> None:
    from liftfit.catalogue import catalogue

    generic = []
    entries = [*catalogue().curated, *catalogue().fit_taxonomy]
    for chunk in range(0, len(entries), 40):
        steps = [Exercise(exercise=e.id, reps=5) for e in entries[chunk : chunk + 40]]
        rows = program_of(Workout(name="All", steps=steps))["exercises"]
        assert len(rows) == len(steps)
        for entry, row in zip(entries[chunk : chunk + 40], rows, strict=True):
            if row["name"] == "T1121":
                assert not entry.curated, entry.id  # every curated one has its own
                generic.append(entry.fit_code if entry.fit_name_key else f"{entry.fit_code}/any")
    assert sorted(generic) == reviewed_training()
    assert len(generic) < len(entries) / 5


@thorough_only  # the script scores every FIT exercise against COROS's catalogue: ~3 s
def test_map_is_what_the_script_makes(reference: Path) -> None:
    script = runpy.run_path(str(ROOT / "scripts" / "coros_map.py"))
    table, training = script["build_map"](reference)
    stored = (ROOT / "src/liftfit/data/coros_map.json").read_text("utf-8")
    assert stored == script["render"](table), "stale: run `uv run python scripts/coros_map.py`"
    assert sorted(training) == reviewed_training()


def test_overview_keeps_each_side_before_the_description() -> None:
    workout = load_workout_file(ROOT / "workouts" / "legs.yaml")
    lowered = lower_workout(workout)
    output = coros_output(lowered)
    overview = json.loads(output.data)["overview"]
    assert len(overview) <= BUDGET
    for lunge in ("Lunge (as Dumbbell Lunges): each side", "Reverse Lunge: each side"):
        assert any(line.startswith(lunge) for line in overview.splitlines()), lunge
    assert any(
        line.startswith("Dumbbell Lunge") and "each side" in line for line in overview.splitlines()
    )
    left_out = [w for w in output.warnings if w.startswith("COROS overview:")]
    assert left_out, "what did not fit is named"


def test_no_overview_loses_information_silently(
    bundled: list[tuple[str, dict[str, Any], tuple[str, ...]]],
) -> None:
    lowered_bundled = {c.source.slug: c.lowered for c in compile_paths([ROOT / "workouts"])}
    for slug, program, warnings in bundled:
        assert len(program["overview"]) <= BUDGET, slug
        for line in program["overview"].splitlines():
            assert not line.endswith("…") or line == program["overview"].splitlines()[0], slug
        lowered = lowered_bundled[slug]
        cues = [c.text for s in lowered.steps() for c in s.cues if c.kind in ("rpe", "rir")]
        noted = " ".join(warnings)
        for cue in cues:
            assert cue in program["overview"] or cue in noted, (slug, cue)
