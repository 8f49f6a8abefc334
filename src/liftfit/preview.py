"""``liftfit preview``: what each target will show, step by step, read from what is sent.

FIT lines come from the lowered workout the FIT exporter encodes as it is (the titles are the
``exercise_title`` texts); Garmin Connect lines from the Connect JSON (Connect shows its own
name for a category and exercise name, and the description under it); COROS lines from the
program's rows (COROS's own exercise names) and its overview. Each line says which name was
put in place of the one written, so a coach can check a workout before sending it.
"""

from __future__ import annotations

import json
from typing import Any

from liftfit import units
from liftfit.catalogue import normalise
from liftfit.exporters import Output
from liftfit.exporters.html import amount
from liftfit.ir import Block, LoweredWorkout, Step

TARGETS = ("fit", "garmin-connect", "coros")
TITLES = {"fit": "FIT (Garmin watch)", "garmin-connect": "Garmin Connect", "coros": "COROS"}
_RUN_ROWS = {1: "Warm Up", 3: "Cool Down", 4: "Rest"}  # COROS's names of run rows
_STEP_LABELS = {"warmup": "Warm-Up", "cooldown": "Cool-Down", "recovery": "Recover"}


def preview(workout: LoweredWorkout, target: str, output: Output) -> list[str]:
    """The lines ``liftfit preview`` prints for one target."""
    lines = [f"{workout.name} → {TITLES[target]}"]
    if target == "fit":
        lines += _fit(workout)
    elif target == "garmin-connect":
        lines += _connect(workout, json.loads(output.data))
    else:
        lines += _coros(json.loads(output.data))
    return lines


def _fit(workout: LoweredWorkout) -> list[str]:
    lines: list[str] = []
    for item in workout.items:
        if isinstance(item, Block):
            lines.append(f"  {item.count} ×")
            lines += [f"    {_fit_step(step)}" for step in item.steps]
        else:
            lines.append(f"  {_fit_step(item)}")
    return lines


def _fit_step(step: Step) -> str:
    if step.role == "rest":
        return f"Rest {amount(step.length)}"
    title = step.title.text if step.title else _STEP_LABELS.get(step.intensity, "Run")
    text = f"{title}: {amount(step.length)}"
    if step.notes:
        text += f" — {step.notes}"
    entry = step.exercise
    if entry is not None and step.title is not None:
        own = (entry.fit_category, entry.fit_name)
        if entry.fit_nearest or entry.like or own != (step.title.category, step.title.name):
            text += f"  [sent as FIT {_fit_code(step)}, titled {title!r}]"
    return text


def _fit_code(step: Step) -> str:
    from liftfit import titles

    assert step.title is not None
    return titles.code((step.title.category, step.title.name))


def _connect_name(dto: dict[str, Any]) -> str | None:
    key = dto.get("exerciseName") or dto.get("category")
    return " ".join(part.capitalize() for part in key.split("_")) if key else None


def _connect(workout: LoweredWorkout, body: dict[str, Any]) -> list[str]:
    steps = iter(workout.steps())
    lines: list[str] = []

    def one(dto: dict[str, Any], indent: str) -> None:
        step = next(steps)
        value = dto.get("endConditionValue")
        kind = dto["endCondition"]["conditionTypeKey"]
        dose = {
            "reps": f"{value:g} reps" if value else "",
            "time": units.format_duration(int(value or 0)),
            "distance": units.format_distance(value or 0),
        }.get(kind, "until Lap")
        step_type = dto["stepType"]["stepTypeKey"]
        if step_type == "rest":
            lines.append(f"{indent}Rest {dose}")
            return
        name = _connect_name(dto) or step_type.capitalize()
        text = f"{indent}{name}: {dose}"
        if dto.get("description"):
            text += f" — {dto['description']}"
        entry = step.exercise
        renamed = entry is not None and normalise(name) != normalise(entry.name)
        if entry is not None and step.role == "exercise" and renamed:
            text += f"  [Connect shows {name!r} for {entry.name}]"
        lines.append(text)

    for dto in body["workoutSegments"][0]["workoutSteps"]:
        if dto["type"] == "RepeatGroupDTO":
            lines.append(f"  {dto['numberOfIterations']} ×")
            for child in dto["workoutSteps"]:
                one(child, "    ")
        else:
            one(dto, "  ")
    return lines


def _coros(program: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    for row in program["exercises"]:
        if row.get("isGroup"):
            lines.append(f"  {row['sets']} ×")
            continue
        kind, value = row["targetType"], row["targetValue"]
        dose = {3: f"{value} reps", 2: units.format_duration(int(value))}.get(kind, "until Lap")
        if program["sportType"] == 1 and kind == 5:
            dose = units.format_distance(value / 100)
        sets = f"{row['sets']} × " if row["sets"] > 1 else ""
        rest = {1: f", rest {units.format_duration(row['restValue'])}", 0: ", rest until Lap"}
        name = row.get("nameText") or _RUN_ROWS.get(row["exerciseType"], "Run")
        indent = "    " if row.get("groupId") else "  "
        lines.append(f"{indent}{name}: {sets}{dose}{rest.get(row['restType'], '')}")
    lines.append("  overview:")
    lines += [f"    {line}" for line in program["overview"].splitlines()] or ["    (empty)"]
    return lines
