"""`liftfit garmin pull`: Connect's workouts back as workout files, through the real client.

The ground truth is Connect's own strength workout (reference/garmin-connect/
strength-workout-get-response.json), served by the stand-in as a workout of the account: the
pulled file must validate, build, and give Connect the same steps again, except the
differences listed in ``INTENTIONAL`` (each with its reason).
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from liftfit.api import compile_paths
from liftfit.cli import cli
from liftfit.garmin.shape import fingerprint, strip_marker
from tests import test_garmin
from tests.conftest import ROOT
from tests.garmin_standin import StandIn
from tests.test_garmin import garmin

# test_garmin's fixtures: no socket beyond 127.0.0.1 (autouse), the stand-in, a token folder.
no_internet = test_garmin.no_internet
standin = test_garmin.standin
tokens = test_garmin.tokens

REFERENCE_FILE = Path("garmin-connect") / "strength-workout-get-response.json"
# Connect stepOrder → (fields, reason) of what comes back different on purpose: nothing, now
# that a generic exercise (category only) is ``category/any`` in the workout file.
INTENTIONAL: dict[int, tuple[tuple[str, ...], str]] = {}
GENERIC = (10, 14, 19, 22)  # Connect's generic exercises: a category, exerciseName null


def _steps(workout: dict[str, Any]) -> list[dict[str, Any]]:
    """Connect's steps in stepOrder, repeat groups before their children."""
    flat = []
    for step in workout["workoutSegments"][0]["workoutSteps"]:
        flat.append(step)
        flat.extend(step.get("workoutSteps") or [])
    return flat


def _fields(step: dict[str, Any]) -> dict[str, Any]:
    """What a step means to the watch; 0.0 weights and empty texts are none, as Connect reads."""
    if step["type"] == "RepeatGroupDTO":
        return {
            "step type": "repeat",
            "iterations": step["numberOfIterations"],
            "children": len(step["workoutSteps"]),
        }
    end = step["endCondition"]["conditionTypeKey"]
    return {
        "step type": step["stepType"]["stepTypeKey"],
        "end": end,
        "end value": None if end == "lap.button" else float(step["endConditionValue"]),
        "target": step["targetType"]["workoutTargetTypeKey"],
        "category": step["category"],
        "exercise": step["exerciseName"] or None,
        "weight": (step["weightValue"] or None, step["weightUnit"]["unitKey"]),
        "notes": (step["description"] or "").strip() or None,
    }


@pytest.fixture
def connect_reference(reference: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((reference / REFERENCE_FILE).read_text("utf-8"))
    del data["_comment"]
    return data


def pull(folder: Path, *more: str) -> Any:
    return garmin("pull", "-o", str(folder), *more)


# --- Connect's own workout -------------------------------------------------------------------


def test_connects_workout_comes_back_with_the_same_steps(
    tokens: Path, standin: StandIn, connect_reference: dict[str, Any], tmp_path: Path
) -> None:
    standin.add(connect_reference)
    result = pull(tmp_path / "pulled")
    assert result.exit_code == 0, result.output
    path = tmp_path / "pulled" / "copy-of-test-workout.yaml"
    assert path.is_file()
    assert "pulled    " in result.stdout and "1 pulled" in result.stdout
    # Login (2), the list (a page of one, then an empty one), the workout; nothing written.
    assert [r.path for r in standin.log[2:]] == [
        "/workout-service/workouts",
        "/workout-service/workouts",
        f"/workout-service/workout/{standin.next_id - 1}",
    ]
    assert standin.writes() == []

    validated = CliRunner().invoke(cli, ["validate", str(path)])
    assert validated.exit_code == 0, validated.output
    (built,) = compile_paths([path], formats=["garmin-connect"])
    assert built.warnings == []
    body = json.loads(built.outputs["garmin-connect"].data)

    assert body["workoutName"] == connect_reference["workoutName"]
    assert strip_marker(body["description"]) == connect_reference["description"].strip()
    assert body["sportType"]["sportTypeKey"] == "strength_training"
    want, got = _steps(connect_reference), _steps(body)
    assert [s["stepOrder"] for s in got] == [s["stepOrder"] for s in want]
    found: dict[int, tuple[str, ...]] = {}
    for mine, theirs in zip(want, got, strict=True):
        a, b = _fields(mine), _fields(theirs)
        differing = tuple(k for k in a if a[k] != b.get(k))
        if differing:
            found[mine["stepOrder"]] = differing
    assert found == {order: fields for order, (fields, _) in INTENTIONAL.items()}
    # The generic exercises keep their category and no name; the warm-up set keeps its
    # exercise and reps.
    for order in GENERIC:
        assert not want[order - 1]["exerciseName"]
        assert got[order - 1]["category"] == want[order - 1]["category"]
        assert got[order - 1]["exerciseName"] == ""
    assert (got[0]["category"], got[0]["exerciseName"], got[0]["endConditionValue"]) == (
        "PLANK",
        "_90_DEGREE_STATIC_HOLD",
        10.0,
    )
    # Each difference is said, on the step Connect numbers it.
    for order in INTENTIONAL:
        assert f"note: copy-of-test-workout: step {order} (" in result.stderr, order


def test_the_pulled_file_reads_as_a_person_writes_it(
    tokens: Path, standin: StandIn, connect_reference: dict[str, Any], tmp_path: Path
) -> None:
    standin.add(connect_reference)
    assert pull(tmp_path).exit_code == 0
    text = (tmp_path / "copy-of-test-workout.yaml").read_text("utf-8")
    assert text.startswith("# Pulled from Garmin Connect (workout ")
    document = yaml.safe_load(text)
    assert list(document)[:3] == ["name", "description", "sport"]
    assert document["description"] == "test workout"
    core = document["steps"][2]["circuit"]
    assert (core["rounds"], core["rest"]) == (3, "1min")
    assert [e["exercise"] for e in core["exercises"]] == ["plank", "dead-bug"]
    assert core["exercises"][0] == {
        "exercise": "plank",
        "hold": "40s",
        "rest": "15s",
        "note": "Front plank. Brace hard, squeeze glutes, no hip sag.",
    }
    carry = document["steps"][4]
    assert (carry["exercise"], carry["sets"], carry["hold"], carry["rest"]) == (
        "carry/any",  # Connect's generic Carry: its category alone
        2,
        "40s",
        "45s",
    )
    swing = document["steps"][5]
    assert swing == {"exercise": "kettlebell-swing", "reps": 10, "load": "6 kg"}


# --- liftfit's own workouts, pounds, runs ----------------------------------------------------


def test_pull_all_gives_back_what_push_sent(tokens: Path, standin: StandIn, tmp_path: Path) -> None:
    library = tmp_path / "workouts"
    shutil.copytree(ROOT / "workouts", library, ignore=shutil.ignore_patterns("plans"))
    assert garmin("push", str(library)).exit_code == 0
    sent = {w["workoutName"]: w for w in standin.workouts.values()}

    skipped = pull(tmp_path / "pulled")
    assert skipped.exit_code == 0, skipped.output
    assert not (tmp_path / "pulled").exists()
    assert f"0 pulled, 0 unchanged, 0 kept, {len(sent)} skipped" in skipped.stdout
    assert "pushed by liftfit from core (--all pulls it too)" in skipped.stdout

    everything = pull(tmp_path / "pulled", "--all")
    assert everything.exit_code == 0, everything.output
    files = sorted((tmp_path / "pulled").glob("*.yaml"))
    assert len(files) == len(sent)
    for compiled in compile_paths(files, formats=["garmin-connect"]):
        body = json.loads(compiled.outputs["garmin-connect"].data)
        original = sent[body["workoutName"]]
        assert fingerprint(body) == fingerprint(original), compiled.source.path
    pounds = (tmp_path / "pulled" / "plyo-strength.yaml").read_text("utf-8")
    assert "load: 25 lb" in pounds
    strides = (tmp_path / "pulled" / "strides.yaml").read_text("utf-8")
    assert "sport: run" in strides and "pace: 3:20-3:50/km" in strides


# --- files on disk ---------------------------------------------------------------------------


def test_an_existing_file_is_kept_unless_forced(
    tokens: Path, standin: StandIn, connect_reference: dict[str, Any], tmp_path: Path
) -> None:
    standin.add(connect_reference)
    path = tmp_path / "copy-of-test-workout.yaml"
    path.write_text("name: mine\nsteps:\n  - {exercise: plank, hold: 30s}\n", "utf-8")
    kept = pull(tmp_path)
    assert kept.exit_code == 0, kept.output
    assert f"kept      {path}: it exists and differs (--force overwrites it)" in kept.stdout
    assert path.read_text("utf-8").startswith("name: mine")
    assert list(tmp_path.glob(".*.tmp")) == []

    forced = pull(tmp_path, "--force")
    assert forced.exit_code == 0, forced.output
    assert path.read_text("utf-8").startswith("# Pulled from Garmin Connect")
    again = pull(tmp_path)
    assert "0 pulled, 1 unchanged, 0 kept" in again.stdout


def test_same_names_other_sports_and_empty_workouts(
    tokens: Path, standin: StandIn, connect_reference: dict[str, Any], tmp_path: Path
) -> None:
    standin.add(connect_reference)
    second = standin.add(connect_reference)  # a second workout of the same name
    ride = copy.deepcopy(connect_reference)
    ride["sportType"] = {"sportTypeId": 2, "sportTypeKey": "cycling", "displayOrder": 2}
    ride["workoutSegments"][0]["sportType"] = ride["sportType"]
    standin.add(ride)
    only_repeats = copy.deepcopy(connect_reference)
    group = only_repeats["workoutSegments"][0]["workoutSteps"][2]
    group["workoutSteps"] = []
    only_repeats["workoutSegments"][0]["workoutSteps"] = [group]
    only_repeats["workoutName"] = "Empty"
    empty = standin.add(only_repeats)

    result = pull(tmp_path)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.glob("*.yaml")) == [
        f"copy-of-test-workout-{second}.yaml",  # the first (lowest id) has the plain name
        "copy-of-test-workout.yaml",
    ]
    assert "a cycling workout: liftfit writes strength and run workouts" in result.stdout
    assert f"skipped   'Empty' ({empty}): nothing to import" in result.stdout
    assert "4 workouts, 2 pulled, 0 unchanged, 0 kept, 2 skipped" in result.stdout
