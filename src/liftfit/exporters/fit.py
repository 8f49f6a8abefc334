"""FIT workout files, laid out as Garmin Connect writes them (see FORMATS.md §1).

``file_id`` → ``workout`` → ``workout_step`` × N → ``exercise_title`` × M, with a 14-byte
header with CRC, protocol 2.0. The serial number is derived from the content and
``time_created`` is fixed, so the same workout always gives the same bytes.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable
from typing import Any

from liftfit.exporters import Output
from liftfit.exporters.fitwriter import FitWriter, fit_time, profile
from liftfit.ir import Block, LoweredWorkout, Step, Title

# Connect sizes these string fields; one byte goes to the terminating NUL.
NAME_BYTES = 31
NOTES_BYTES = 199
TITLE_BYTES = 199
DESCRIPTION_BYTES = 159  # wkt_description: Connect's own export sizes it 160 bytes
DEFAULT_TIME_CREATED = 1_704_067_200  # 2024-01-01T00:00:00Z; SOURCE_DATE_EPOCH overrides it


def fit_text(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes, never inside a character."""
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", errors="ignore").rstrip()


def time_created() -> int:
    """Seconds since the Unix epoch: SOURCE_DATE_EPOCH when set, else a fixed date."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else DEFAULT_TIME_CREATED


def serial_number(workout: LoweredWorkout) -> int:
    """A non-zero 32-bit number from the workout's content, so files differ by content."""
    return zlib.crc32(repr(workout).encode("utf-8")) or 1


def fit_output(workout: LoweredWorkout) -> Output:
    """Encode a lowered workout as a FIT workout file."""
    warnings: list[str] = []

    def fitted(text: str, limit: int, what: str) -> str:
        cut = fit_text(text, limit)
        if cut != text:
            warnings.append(f"{what} cut to {limit} bytes: {cut!r}")
        return cut

    enum = profile().enum
    writer = FitWriter()
    writer.write(
        "file_id",
        {
            "type": enum("file", "workout"),
            "manufacturer": enum("manufacturer", "development"),
            "product": 0,
            "serial_number": serial_number(workout),
            "time_created": fit_time(time_created()),
        },
    )
    name = fitted(workout.name, NAME_BYTES, "workout name")
    steps = _steps(workout, fitted)
    strength = workout.sport != "run"
    header: dict[str, Any] = {
        "sport": enum("sport", "training" if strength else "running"),
        "capabilities": enum("workout_capabilities", "tcx"),
        "num_valid_steps": len(steps),
        "wkt_name": name,
    }
    if strength:
        header["sub_sport"] = enum("sub_sport", "strength_training")
    if workout.description:
        header["wkt_description"] = fitted(
            " ".join(workout.description.split()), DESCRIPTION_BYTES, "workout description"
        )
    writer.write("workout", header)
    for step in steps:
        writer.write("workout_step", step)

    for index, pair in enumerate(workout.titles):
        title: dict[str, Any] = {"message_index": index}
        _exercise(pair, title)
        title["wkt_step_name"] = fitted(pair.text, TITLE_BYTES, "exercise title")
        writer.write("exercise_title", title)
    return Output(writer.file(), tuple(warnings))


Fitted = Callable[[str, int, str], str]


def _steps(workout: LoweredWorkout, fitted: Fitted) -> list[dict[str, Any]]:
    """The workout_step messages' values, in file order: a block's steps, then its repeat."""
    repeat = profile().enum("wkt_step_duration", "repeat_until_steps_cmplt")
    messages: list[dict[str, Any]] = []
    for item in workout.items:
        if isinstance(item, Block):
            first = len(messages)
            for step in item.steps:
                messages.append(_step(step, len(messages), fitted))
            messages.append(
                {
                    "message_index": len(messages),
                    "duration_type": repeat,
                    "duration_step": first,
                    "repeat_steps": item.count,
                }
            )
        else:
            messages.append(_step(item, len(messages), fitted))
    return messages


def _step(step: Step, index: int, fitted: Fitted) -> dict[str, Any]:
    enums = profile().enums
    length = step.length
    values: dict[str, Any] = {
        "message_index": index,
        "duration_type": enums["wkt_step_duration"][length.kind],
    }
    if length.kind == "reps":
        values["duration_reps"] = int(length.value)
    elif length.kind == "time":
        values["duration_time"] = float(length.value)
    elif length.kind == "distance":
        values["duration_distance"] = float(length.value)

    target = step.target
    targets = enums["wkt_step_target"]
    if target is None:
        values["target_type"] = targets["open"]
        values["target_value"] = 0
    elif target.kind == "hr_zone":
        values["target_type"] = targets["heart_rate"]
        values["target_hr_zone"] = target.zone
    else:
        values["target_type"] = targets["speed"]
        values["target_value"] = 0
        values["custom_target_speed_low"] = target.low
        values["custom_target_speed_high"] = target.high

    values["intensity"] = enums["intensity"][step.intensity]
    if step.notes:
        values["notes"] = fitted(step.notes, NOTES_BYTES, "step notes")
    if step.title is not None:
        _exercise(step.title, values)
    if step.weight_kg is not None:
        values["exercise_weight"] = round(step.weight_kg * 100) / 100
        unit = "pound" if step.weight_unit == "lb" else "kilogram"
        values["weight_display_unit"] = enums["fit_base_unit"][unit]
    return values


def _exercise(title: Title, values: dict[str, Any]) -> None:
    """A step's or title's exercise fields into ``values``: the category, and the name unless
    the exercise is its category alone (which FIT writes without one)."""
    values["exercise_category"] = title.category
    if title.name is not None:
        values["exercise_name"] = title.name
