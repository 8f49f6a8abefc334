"""The Garmin Connect JSON exporter, against Connect's own strength workout (reference file)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liftfit.api import compile_paths
from liftfit.exporters.garmin_connect import connect_name, connect_output, connect_workout
from liftfit.garmin.shape import (
    connect_exercises,
    content_hash,
    differences,
    find_marker,
    problems,
    step_signature,
)
from liftfit.lowering import lower_workout
from liftfit.model import Workout
from tests.conftest import ROOT, examples


def _workout(data: dict[str, Any]) -> dict[str, Any]:
    return connect_workout(lower_workout(Workout.model_validate(data), slug="test"))


def _steps(body: dict[str, Any]) -> list[dict[str, Any]]:
    return body["workoutSegments"][0]["workoutSteps"]  # type: ignore[no-any-return]


def _reference(reference: Path) -> dict[str, Any]:
    path = reference / "garmin-connect" / "strength-workout-get-response.json"
    return json.loads(path.read_text("utf-8"))  # type: ignore[no-any-return]


def test_connects_own_workout_passes_the_offline_checks(reference: Path) -> None:
    # The checks liftfit runs before an upload accept what Connect itself returns.
    assert problems(_reference(reference)) == []


def test_exercise_names_follow_connects_spelling(reference: Path) -> None:
    # fit-tool writes FIT's 90_degree_static_hold as n90_…; Connect writes _90_…
    assert connect_name("n90_degree_static_hold") == "_90_DEGREE_STATIC_HOLD"
    assert connect_name("romanian_deadlift") == "ROMANIAN_DEADLIFT"
    categories, pairs = connect_exercises()
    for step in _flat(_steps(_reference(reference))):
        if step.get("category"):
            assert step["category"] in categories
        if step.get("exerciseName"):
            assert (step["category"], step["exerciseName"]) in pairs


def _flat(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for step in steps:
        out.append(step)
        out += _flat(step.get("workoutSteps") or [])
    return out


def test_a_circuit_encodes_like_connects_own_repeat_group(reference: Path) -> None:
    # The reference's first repeat group: 3 × (plank 40 s, rest 15 s, dead bug 12, rest 15 s),
    # then 60 s rest, written the liftfit way.
    body = _workout(
        {
            "name": "Core",
            "steps": [
                {
                    "circuit": {
                        "rounds": 3,
                        "rest": "60s",
                        "exercises": [
                            {"exercise": "plank", "hold": "40s", "rest": "15s"},
                            {"exercise": "dead bug", "reps": 12, "rest": "15s"},
                        ],
                    }
                }
            ],
        }
    )
    ours = _steps(body)[0]
    theirs = next(s for s in _steps(_reference(reference)) if s["type"] == "RepeatGroupDTO")
    # Same meaning, notes aside (the reference's are the author's own words).
    assert [s[:-1] for s in step_signature(ours)[2]] == [s[:-1] for s in step_signature(theirs)[2]]
    assert step_signature(ours)[:2] == step_signature(theirs)[:2]
    # Same keys and values where both have them, ids included.
    for key in ("type", "stepType", "endCondition", "numberOfIterations", "skipLastRestStep"):
        assert ours[key] == theirs[key], key
    assert ours["endConditionValue"] == theirs["endConditionValue"]
    for mine, real in zip(ours["workoutSteps"], theirs["workoutSteps"], strict=True):
        for key in ("type", "stepType", "endCondition", "targetType", "category", "weightUnit"):
            assert mine[key] == real[key], key
        assert mine["endConditionValue"] == real["endConditionValue"]
        assert mine["stepOrder"] - ours["stepOrder"] == real["stepOrder"] - theirs["stepOrder"]
        assert set(mine) <= set(real) | {"zoneNumber", "targetValueOne", "targetValueTwo"}


def test_step_order_is_one_counter_and_groups_number_from_one() -> None:
    body = _workout(
        {
            "name": "Legs",
            "sets": 3,
            "rest": "90s",
            "steps": [
                {"warmup": "5min"},
                {"exercise": "romanian deadlift", "reps": 6, "load": "60 kg"},
                {"exercise": "goblet squat", "reps": 8, "load": "35 lb", "rest": "lap"},
                {"exercise": "plank", "hold": "30s", "sets": 1},
            ],
        }
    )
    steps = _steps(body)
    assert [s["stepOrder"] for s in _flat(steps)] == list(range(1, 10))
    assert [s["childStepId"] for s in _flat(steps)] == [None, 1, 1, 1, 2, 2, 2, None, None]
    rdl, rest = steps[1]["workoutSteps"]
    assert (rdl["category"], rdl["exerciseName"]) == ("DEADLIFT", "ROMANIAN_DEADLIFT")
    assert rdl["endCondition"]["conditionTypeId"] == 10 and rdl["endConditionValue"] == 6.0
    assert rdl["weightValue"] == 60.0 and rdl["weightUnit"]["unitKey"] == "kilogram"
    assert rest["stepType"]["stepTypeId"] == 5 and rest["endConditionValue"] == 90.0
    assert rest["category"] is None and rest["exerciseName"] is None
    squat, lap = steps[2]["workoutSteps"]
    assert squat["weightValue"] == 35.0
    assert squat["weightUnit"] == {"unitId": 9, "unitKey": "pound", "factor": 453.59237}
    assert lap["endCondition"]["conditionTypeKey"] == "lap.button"
    assert "endConditionValue" not in lap
    assert steps[3]["endCondition"]["conditionTypeId"] == 2
    assert steps[3]["endConditionValue"] == 30.0
    assert steps[1]["skipLastRestStep"] is False
    assert problems(body) == []


def test_a_run_has_no_exercises_and_keeps_its_targets() -> None:
    body = _workout(
        {
            "name": "Strides",
            "sport": "run",
            "steps": [
                {"warmup": "10min", "hr_zone": 2},
                {
                    "repeat": 4,
                    "steps": [{"run": "200m", "pace": "3:20-3:50/km"}, {"recover": "lap"}],
                },
            ],
        }
    )
    assert body["sportType"]["sportTypeId"] == 1
    warmup, group = _steps(body)
    assert warmup["targetType"]["workoutTargetTypeId"] == 4 and warmup["zoneNumber"] == 2
    run, recover = group["workoutSteps"]
    assert run["endCondition"]["conditionTypeId"] == 3 and run["endConditionValue"] == 200.0
    assert run["targetType"]["workoutTargetTypeId"] == 6
    assert run["targetValueOne"] == pytest.approx(1000 / 200)  # 3:20/km, the faster end
    assert run["targetValueTwo"] == pytest.approx(1000 / 230, abs=1e-4)
    assert recover["stepType"]["stepTypeKey"] == "recovery"
    assert all(s["category"] is None for s in _flat(_steps(body)) if "category" in s)
    assert problems(body) == []


def test_an_exercise_connect_lacks_goes_as_its_category_with_the_name_in_notes() -> None:
    out = connect_output(
        lower_workout(
            Workout.model_validate(
                {"name": "Shins", "steps": [{"exercise": "tibialis raise", "reps": 15}]}
            ),
            slug="shins",
        )
    )
    step = _steps(json.loads(out.data))[0]
    assert (step["category"], step["exerciseName"]) == ("CALF_RAISE", "")
    assert step["description"].startswith("Tibialis Raise")
    assert any("Tibialis Raise" in w for w in out.warnings)


def test_a_category_alone_goes_as_connect_writes_a_generic_exercise() -> None:
    out = connect_output(
        lower_workout(
            Workout.model_validate(
                {"name": "x", "steps": [{"exercise": "plank/any", "hold": "30s"}]}
            ),
            slug="x",
        )
    )
    assert out.warnings == ()
    body = json.loads(out.data)
    (step,) = [s for s in _flat(_steps(body)) if s.get("category")]
    assert (step["category"], step["exerciseName"]) == ("PLANK", "")
    assert step["description"] is None  # no name in the notes: Connect shows "Plank" itself
    assert problems(body) == []


def test_the_marker_carries_the_slug_and_a_hash_of_the_content() -> None:
    data = {
        "name": "Core",
        "description": "Brace.",
        "steps": [{"exercise": "plank", "hold": "30s"}],
    }
    body = _workout(data)
    marker = find_marker(body["description"])
    assert marker is not None and marker.slug == "test"
    assert body["description"] == f"Brace.\n\n{marker}"
    assert marker.content_hash == content_hash(body)
    changed = _workout({**data, "steps": [{"exercise": "plank", "hold": "45s"}]})
    assert find_marker(changed["description"]) != marker
    assert "step 1: end value 45 instead of 30" in differences(body, changed)
    assert differences(body, json.loads(json.dumps(body))) == []


def test_a_long_description_is_cut_but_keeps_the_marker() -> None:
    body = _workout(
        {
            "name": "Long",
            "description": "word " * 200,
            "steps": [{"exercise": "plank", "open": True}],
        }
    )
    assert len(body["description"]) <= 512
    assert find_marker(body["description"]) is not None


@pytest.mark.parametrize("path", sorted((ROOT / "workouts").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_bundled_workout_passes_the_offline_checks(path: Path) -> None:
    (compiled,) = compile_paths([path], formats=["garmin-connect"])
    data = compiled.outputs["garmin-connect"].data
    assert data == connect_output(compiled.lowered).data  # same input, same bytes
    body = json.loads(data)
    assert problems(body) == []
    assert find_marker(body["description"]) is not None


_JSON_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(min_value=1e-3, max_value=1e6)  # what liftfit writes: weights, speeds, times
    | st.text()
)
_JSON = st.recursive(
    _JSON_LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=examples(500), deadline=None)
@given(body=_JSON)
def test_json_files_are_the_bytes_of_pythons_own_encoder(body: Any) -> None:
    """orjson writes the JSON files (``exporters.json_output``) for speed; they must stay what
    ``json.dumps(indent=2, ensure_ascii=False)`` writes, key order and non-ASCII text kept."""
    from liftfit.exporters import json_output

    expected = json.dumps(body, indent=2, ensure_ascii=False) + "\n"
    assert json_output(body).data == expected.encode("utf-8")
