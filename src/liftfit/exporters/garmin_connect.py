"""Garmin Connect workout JSON, shaped like the workouts Connect itself returns (FORMATS.md §2).

One segment; an ``ExecutableStepDTO`` per step and a ``RepeatGroupDTO`` per block, with one
``stepOrder`` counter across the workout (a group before its children) and ``childStepId``
numbering the groups from 1, as in ``reference/garmin-connect/strength-workout-get-response.json``.

Choices, each following the IR or the reference files rather than re-deciding the workout:
- the rest sits inside each block (lowering puts it there), so ``skipLastRestStep`` is false
  and the last set is followed by rest, as on the watch with the FIT file;
- ``weightValue`` is in the unit of ``weightUnit``: kilograms with ``kilogram`` (the reference
  response: 8.0 = 8 kg), pounds with ``pound`` (the factor is grams per unit; workouts built
  in Connect's editor by a pound user read back as 135.0 pound);
- an exercise Connect's editor does not list (the FIT profile's nearest, or a FIT name missing
  from Connect) goes as its category with ``exerciseName ""``, the way Connect stores a
  category-only exercise, and its real name leads the step's description;
- a pace target is ``pace.zone`` with the faster speed in ``targetValueOne`` (m/s), as in the
  body Connect's web UI posts.
The description ends with liftfit's marker ``liftfit:<slug>:<content-hash>``, which
``liftfit garmin push`` uses to find the workout again and to see whether it changed.
"""

from __future__ import annotations

import re
from typing import Any

from liftfit.catalogue import Entry
from liftfit.exporters import Output, json_output
from liftfit.garmin import ids
from liftfit.garmin.shape import connect_exercises, content_hash
from liftfit.ir import Block, LoweredWorkout, Step, Target
from liftfit.lowering import NOTE_SEPARATOR
from liftfit.upsert import Marker, marker_slug, with_marker

# Connect's limit on a workout description, as reported by people who hit it (not in any
# reference file); the user's text is cut so that the marker always fits.
DESCRIPTION_CHARS = 512
POUND_KG = 0.45359237

_STEP_TYPE = {
    "active": "interval",
    "interval": "interval",
    "rest": "rest",
    "warmup": "warmup",
    "cooldown": "cooldown",
    "recovery": "recovery",
}
_END = {"reps": "reps", "time": "time", "distance": "distance", "open": "lap.button"}


def connect_name(key: str) -> str:
    """A FIT enum name as Connect spells it: upper case; fit-tool's ``n90_…`` is ``_90_…``."""
    return re.sub(r"^n(?=\d)", "_", key).upper()


def connect_exercise(entry: Entry) -> tuple[str, str, str | None]:
    """(category, exerciseName, why the name was left out) for a catalogue entry."""
    categories, pairs = connect_exercises()
    category = connect_name(entry.fit_category_key)
    if category not in categories:
        return category, "", f"Garmin Connect has no exercise category {category}"
    if entry.fit_nearest:
        return category, "", "no such exercise on Garmin Connect"
    if entry.fit_name_key is None:
        return category, "", None
    name = connect_name(entry.fit_name_key)
    if (category, name) not in pairs:
        return category, "", f"Garmin Connect's exercise list has no {category}/{name}"
    return category, name, None


class _Encoder:
    def __init__(self, workout: LoweredWorkout) -> None:
        self.workout = workout
        self.order = 0
        self.group = 0
        self.warnings: list[str] = []

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    def items(self) -> list[dict[str, Any]]:
        steps: list[dict[str, Any]] = []
        for item in self.workout.items:
            if isinstance(item, Block):
                steps.append(self.block(item))
            else:
                steps.append(self.step(item, None))
        return steps

    def block(self, block: Block) -> dict[str, Any]:
        self.order += 1
        self.group += 1
        group = {
            "type": "RepeatGroupDTO",
            "stepOrder": self.order,
            "stepType": ids.step_type("repeat"),
            "childStepId": self.group,
            "numberOfIterations": block.count,
            "workoutSteps": [],
            "endCondition": ids.condition("iterations"),
            "endConditionValue": float(block.count),
            "skipLastRestStep": False,
            "smartRepeat": False,
        }
        group["workoutSteps"] = [self.step(step, self.group) for step in block.steps]
        return group

    def step(self, step: Step, group: int | None) -> dict[str, Any]:
        self.order += 1
        end = _END[step.length.kind]
        encoded: dict[str, Any] = {
            "type": "ExecutableStepDTO",
            "stepOrder": self.order,
            "stepType": ids.step_type(_STEP_TYPE[step.intensity]),
            "childStepId": group,
            "description": None,
            "endCondition": ids.condition(end),
        }
        if end != "lap.button":
            encoded["endConditionValue"] = float(step.length.value)
        encoded.update(self.target(step.target))
        encoded["strokeType"] = dict(ids.STROKE_TYPE)
        encoded["equipmentType"] = dict(ids.EQUIPMENT_TYPE)
        notes = step.notes
        category: str | None = None
        name: str | None = None
        # A cool-down has no exercise on Connect (its nearest, WARM_UP, would title it
        # "Warm Up"): the step type says what it is.
        cardio_nearest = step.role == "cardio" and step.exercise and step.exercise.fit_nearest
        if step.exercise is not None and step.role != "rest" and not cardio_nearest:
            category, name, why = connect_exercise(step.exercise)
            # A warm-up or cool-down step says what it is by its step type already.
            if why and step.role == "exercise":
                self.warn(f"{step.exercise.name}: {why}; sent as category {category}")
            # Connect shows its own name for the exercise: the user's leads the description.
            shown = (notes or "").split(NOTE_SEPARATOR)
            if (
                (why or step.exercise.like)
                and step.role == "exercise"
                and step.exercise.name not in shown
            ):
                notes = NOTE_SEPARATOR.join(filter(None, [step.exercise.name, notes]))
        encoded["category"] = category
        encoded["exerciseName"] = name
        encoded["description"] = notes or None
        unit = step.weight_unit or "kg"
        weight = None
        if step.weight_kg is not None:
            weight = round(step.weight_kg / POUND_KG if unit == "lb" else step.weight_kg, 2)
        encoded["weightValue"] = weight
        encoded["weightUnit"] = ids.weight_unit(unit)
        return encoded

    @staticmethod
    def target(target: Target | None) -> dict[str, Any]:
        if target is None:
            return {"targetType": ids.target_type("no.target")}
        if target.kind == "hr_zone":
            return {"targetType": ids.target_type("heart.rate.zone"), "zoneNumber": target.zone}
        return {
            "targetType": ids.target_type("pace.zone"),
            "targetValueOne": round(target.high, 4),
            "targetValueTwo": round(target.low, 4),
        }


def connect_workout(workout: LoweredWorkout) -> dict[str, Any]:
    """The Connect JSON for a lowered workout, marker included (warnings dropped)."""
    return _encode(workout)[0]


def _encode(workout: LoweredWorkout) -> tuple[dict[str, Any], list[str]]:
    encoder = _Encoder(workout)
    sport = ids.sport_type(workout.sport)
    body: dict[str, Any] = {
        "workoutName": workout.name,
        "description": None,
        "sportType": sport,
        "workoutSegments": [
            {"segmentOrder": 1, "sportType": dict(sport), "workoutSteps": encoder.items()}
        ],
    }
    text = (workout.description or "").strip()
    room = DESCRIPTION_CHARS - len(str(Marker(marker_slug(workout.slug), "0" * 12))) - 2
    if len(text) > room:
        text = text[: room - 1].rstrip() + "…"
        encoder.warn(
            f"description cut to {DESCRIPTION_CHARS} characters, liftfit's marker included"
        )
    body["description"] = text or None
    marker = Marker(marker_slug(workout.slug), content_hash(body))
    body["description"] = with_marker(text, marker)
    return body, encoder.warnings


def connect_output(workout: LoweredWorkout) -> Output:
    """The Connect JSON as UTF-8 bytes: indent 2, keys in a fixed order, newline at the end."""
    body, warnings = _encode(workout)
    return json_output(body, tuple(warnings))
