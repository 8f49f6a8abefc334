"""What a Garmin Connect workout body must look like, and what it means, offline.

- ``content_hash``: the hash in the marker ``liftfit:<slug>:<hash>`` (``liftfit.upsert``)
  that liftfit writes into a workout's description, so that a push finds its own workouts
  again (never by name) and sees whether they were edited on Connect;
- ``fingerprint``: what a workout means (steps, ends, targets, exercises, weights, notes),
  read the same way from the body liftfit sends and from the one Connect returns, whose
  extra keys, ids and float values (10.0 for 10) it ignores;
- ``problems``: Connect's structural rules (ids agree with keys, one flat ``stepOrder``
  counter, ``childStepId`` per repeat group, known categories), checked before any upload,
  because Connect accepts a wrong id with HTTP 200 and silently rewrites the step.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from typing import Any

from liftfit.catalogue import fit_exercises
from liftfit.garmin import ids
from liftfit.upsert import HASH_CHARS, find_marker, strip_marker


@cache
def connect_exercises() -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """Connect's categories and (category, exerciseName) pairs, from its workout editor.

    The editor's catalogue (1,527 exercises, 47 categories) as garminconnect ships it, in the
    generated exercise table (``catalogue.fit_exercises``); an unknown category is refused
    with "400 Invalid category".
    """
    rows = [row for row in fit_exercises() if row.connect_exercise]
    pairs = frozenset((row.connect_category, row.connect_exercise) for row in rows)
    return frozenset(row.connect_category for row in rows), pairs


# --- what a workout means ---------------------------------------------------------------


def _number(value: Any) -> float | int | None:
    if value is None:
        return None
    number = round(float(value), 3)
    return int(number) if number.is_integer() else number


def _text(value: Any) -> str:
    return str(value or "").replace("\r\n", "\n").strip()


def _key(obj: Any, field: str) -> Any:
    return obj.get(field) if isinstance(obj, dict) else None


def step_signature(step: dict[str, Any]) -> list[Any]:
    """One step as liftfit means it; equal for the body sent and the body read back."""
    if step.get("type") == "RepeatGroupDTO":
        return [
            "repeat",
            _number(step.get("numberOfIterations")),
            [step_signature(child) for child in step.get("workoutSteps") or []],
        ]
    end = _key(step.get("endCondition"), "conditionTypeKey")
    target = _key(step.get("targetType"), "workoutTargetTypeKey") or "no.target"
    weight = _number(step.get("weightValue")) or None  # Connect writes 0.0 for "no weight"
    category = step.get("category") or None
    return [
        _key(step.get("stepType"), "stepTypeKey"),
        end,
        None if end == "lap.button" else _number(step.get("endConditionValue")),
        target,
        _number(step.get("zoneNumber")) if target == "heart.rate.zone" else None,
        _number(step.get("targetValueOne")) if target == "pace.zone" else None,
        _number(step.get("targetValueTwo")) if target == "pace.zone" else None,
        category,
        (step.get("exerciseName") or "") if category else None,
        weight,
        _key(step.get("weightUnit"), "unitKey") if weight else None,
        _text(step.get("description")),
    ]


def fingerprint(workout: dict[str, Any]) -> dict[str, Any]:
    """What a Connect workout means, without ids, dates, owners or the marker."""
    segments = workout.get("workoutSegments") or []
    return {
        "name": _text(workout.get("workoutName")),
        "description": strip_marker(workout.get("description")),
        "sport": _key(workout.get("sportType"), "sportTypeKey"),
        "segments": [
            [step_signature(step) for step in segment.get("workoutSteps") or []]
            for segment in segments
        ],
    }


def content_hash(workout: dict[str, Any]) -> str:
    canonical = json.dumps(
        fingerprint(workout), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:HASH_CHARS]


_SIGNATURE_FIELDS = (
    "step type",
    "end",
    "end value",
    "target",
    "zone",
    "pace (fast)",
    "pace (slow)",
    "category",
    "exercise",
    "weight",
    "weight unit",
    "notes",
)


def differences(sent: dict[str, Any], stored: dict[str, Any]) -> list[str]:
    """How the workout Connect stored differs from the one sent, in words; [] if it doesn't."""
    want, got = fingerprint(sent), fingerprint(stored)
    found = [
        f"{field} {got[field]!r} instead of {want[field]!r}"
        for field in ("name", "description", "sport")
        if want[field] != got[field]
    ]
    if find_marker(stored.get("description")) != find_marker(sent.get("description")):
        found.append("the liftfit marker in the description is missing or different")
    want_steps, got_steps = _flat(want["segments"]), _flat(got["segments"])
    if len(want_steps) != len(got_steps):
        found.append(f"{len(got_steps)} steps instead of {len(want_steps)}")
        return found
    for number, (mine, theirs) in enumerate(zip(want_steps, got_steps, strict=True), 1):
        if mine == theirs:
            continue
        if mine[0] == "repeat" or theirs[0] == "repeat":
            found.append(f"step {number}: {_describe(theirs)} instead of {_describe(mine)}")
            continue
        for field, a, b in zip(_SIGNATURE_FIELDS, mine, theirs, strict=True):
            if a != b:
                found.append(f"step {number}: {field} {b!r} instead of {a!r}")
    return found


def _flat(segments: list[list[Any]]) -> list[list[Any]]:
    flat: list[list[Any]] = []
    for segment in segments:
        for step in segment:
            if step[0] == "repeat":
                flat.append(["repeat", step[1], len(step[2])])
                flat.extend(step[2])
            else:
                flat.append(step)
    return flat


def _describe(signature: list[Any]) -> str:
    if signature[0] == "repeat":
        return f"a repeat of {signature[1]} rounds over {signature[2]} steps"
    return f"a {signature[0]} step"


def step_count(workout: dict[str, Any]) -> int:
    """Steps as Connect counts them against its cap: repeat groups included."""
    return len(_flat(fingerprint(workout)["segments"]))


# --- Connect's structural rules -----------------------------------------------------------


def problems(workout: dict[str, Any]) -> list[str]:
    """Every way this body breaks Connect's rules for a workout; [] when it is fine."""
    found: list[str] = []
    sport = workout.get("sportType")
    if sport not in ids.SPORT_TYPES.values():
        found.append(f"sportType {sport!r} is not running (1) or strength_training (5)")
    if not _text(workout.get("workoutName")):
        found.append("workoutName is empty")
    segments = workout.get("workoutSegments") or []
    if len(segments) != 1:
        found.append(f"{len(segments)} segments; liftfit sends exactly one")
    order = 0
    group = 0
    for segment in segments:
        if segment.get("segmentOrder") != 1 or segment.get("sportType") != sport:
            found.append("the segment must have segmentOrder 1 and the workout's sportType")
        for step in segment.get("workoutSteps") or []:
            order += 1
            if step.get("type") == "RepeatGroupDTO":
                group += 1
                found += _repeat_problems(step, order, group)
                for child in step.get("workoutSteps") or []:
                    order += 1
                    found += _step_problems(child, order, group, sport)
            else:
                found += _step_problems(step, order, None, sport)
    return found


def _pair(obj: Any, id_field: str, key_field: str, table: dict[str, int]) -> str | None:
    key = _key(obj, key_field)
    if key not in table or _key(obj, id_field) != table[key]:
        return f"{id_field}/{key_field} {_key(obj, id_field)!r}/{key!r} is not a known pair"
    return None


def _zone(value: Any) -> int | None:
    """A zone number; Connect's web UI sends it as a string ("2")."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _repeat_problems(step: dict[str, Any], order: int, group: int) -> list[str]:
    where = f"step {order} (repeat)"
    found = []
    if step.get("stepOrder") != order:
        found.append(f"{where}: stepOrder {step.get('stepOrder')!r}, expected {order}")
    if step.get("childStepId") != group:
        found.append(f"{where}: childStepId {step.get('childStepId')!r}, expected {group}")
    if _key(step.get("stepType"), "stepTypeKey") != "repeat":
        found.append(f"{where}: a RepeatGroupDTO must have stepType repeat")
    for problem in (
        _pair(step.get("stepType"), "stepTypeId", "stepTypeKey", ids.STEP_TYPE_IDS),
        _pair(
            step.get("endCondition"), "conditionTypeId", "conditionTypeKey", ids.CONDITION_TYPE_IDS
        ),
    ):
        if problem:
            found.append(f"{where}: {problem}")
    if _key(step.get("endCondition"), "conditionTypeKey") != "iterations":
        found.append(f"{where}: a repeat group ends by iterations")
    rounds = step.get("numberOfIterations")
    if (
        not isinstance(rounds, int)
        or rounds < 1
        or _number(step.get("endConditionValue")) != rounds
    ):
        found.append(f"{where}: numberOfIterations and endConditionValue must be the same count")
    children = step.get("workoutSteps") or []
    if not children:
        found.append(f"{where}: an empty repeat group")
    if any(child.get("type") == "RepeatGroupDTO" for child in children):
        found.append(f"{where}: a repeat group inside a repeat group (Connect has none)")
    return found


def _step_problems(step: dict[str, Any], order: int, group: int | None, sport: Any) -> list[str]:
    where = f"step {order}"
    found = []
    if step.get("type") != "ExecutableStepDTO":
        found.append(f"{where}: type {step.get('type')!r}")
        return found
    if step.get("stepOrder") != order:
        found.append(f"{where}: stepOrder {step.get('stepOrder')!r}, expected {order}")
    if step.get("childStepId") != group:
        found.append(f"{where}: childStepId {step.get('childStepId')!r}, expected {group}")
    for problem in (
        _pair(step.get("stepType"), "stepTypeId", "stepTypeKey", ids.STEP_TYPE_IDS),
        _pair(
            step.get("endCondition"), "conditionTypeId", "conditionTypeKey", ids.CONDITION_TYPE_IDS
        ),
        _pair(
            step.get("targetType"),
            "workoutTargetTypeId",
            "workoutTargetTypeKey",
            ids.TARGET_TYPE_IDS,
        ),
    ):
        if problem:
            found.append(f"{where}: {problem}")
    kind = _key(step.get("stepType"), "stepTypeKey")
    if kind == "repeat":
        found.append(f"{where}: an ExecutableStepDTO cannot have stepType repeat")
    end = _key(step.get("endCondition"), "conditionTypeKey")
    value = step.get("endConditionValue")
    if end == "iterations":
        found.append(f"{where}: only a repeat group ends by iterations")
    elif end in ("time", "distance", "reps") and not (isinstance(value, int | float) and value > 0):
        found.append(f"{where}: a {end} end needs a positive endConditionValue")
    elif end == "reps" and isinstance(value, int | float) and not float(value).is_integer():
        found.append(f"{where}: reps must be a whole number")
    target = _key(step.get("targetType"), "workoutTargetTypeKey")
    if target == "heart.rate.zone" and _zone(step.get("zoneNumber")) not in range(1, 6):
        found.append(f"{where}: a heart-rate zone target needs zoneNumber 1-5")
    if target == "pace.zone" and not all(
        isinstance(step.get(f), int | float) and step[f] > 0
        for f in ("targetValueOne", "targetValueTwo")
    ):
        found.append(f"{where}: a pace target needs targetValueOne and targetValueTwo in m/s")
    category, name = step.get("category"), step.get("exerciseName")
    if kind == "rest" and (category is not None or name is not None):
        found.append(f"{where}: a rest step carries no category or exerciseName")
    if category is not None:
        categories, pairs = connect_exercises()
        if category not in categories:
            found.append(f"{where}: category {category!r} is not one Connect knows")
        elif name and (category, name) not in pairs:
            found.append(f"{where}: {category}/{name} is not in Connect's exercise list")
    elif name:
        found.append(f"{where}: exerciseName {name!r} without a category")
    if sport == ids.SPORT_TYPES["run"] and category is not None:
        found.append(f"{where}: a running workout's steps carry no exercise")
    weight = step.get("weightValue")
    if weight is not None:
        if not isinstance(weight, int | float) or weight < 0:
            found.append(f"{where}: weightValue {weight!r} must be a number >= 0")
        if step.get("weightUnit") not in ids.WEIGHT_UNITS.values():
            found.append(f"{where}: weightUnit {step.get('weightUnit')!r} is not kilogram or pound")
    return found
