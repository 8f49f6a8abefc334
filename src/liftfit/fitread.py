"""Reading FIT workout files: liftfit's own, Garmin Connect's, or any other (see FORMATS.md §1).

``read_fit_workout`` checks the container (``fitfile``) so that any damage is one clear line,
then decodes the records with fit-tool. Steps keep the *raw* values stored in the file
(milliseconds, centimetres, kg × 100, step indexes), as Garmin's own decoder reports them with
scaling off; ``fittext`` turns them into names and readable text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

from liftfit.errors import InvalidInput, Problem
from liftfit.fitfile import (
    Fail,
    check_container,
    int_value,
    messages,
    one_line,
    quiet_fit_tool,
    read_fit_bytes,
    str_value,
)
from liftfit.fittext import exercise_display_name, file_type_name, is_repeat
from liftfit.limits import MAX_STEPS_CAP

# As many steps as `build --max-steps` allows; beyond, no watch or app takes the workout.
MAX_FIT_STEPS = MAX_STEPS_CAP
# Steps, one exercise title per step at most, and a few others (file_id, workout, creator…).
MAX_FIT_MESSAGES = 2 * MAX_FIT_STEPS + 100
FIT_EPOCH = 631_065_600  # 1989-12-31T00:00:00Z, in Unix seconds
_MIN_SYSTEM_TIME = 0x10000000  # smaller date_time values are relative, not wall-clock

FILE_TYPE_WORKOUT = 5
_MESG_FILE_ID = 0
_MESG_WORKOUT = 26
_MESG_WORKOUT_STEP = 27
_MESG_EXERCISE_TITLE = 264

ExercisePair = tuple[int, int | None]


@dataclass(frozen=True)
class FitStep:
    """One ``workout_step`` message, raw values as stored in the file (None where absent)."""

    message_index: int | None = None
    wkt_step_name: str | None = None
    duration_type: int | None = None
    duration_value: int | None = None  # ms (time), cm (distance), reps, step index (repeats)
    target_type: int | None = None
    target_value: int | None = None  # zone, or rounds on a repeat step
    custom_target_value_low: int | None = None
    custom_target_value_high: int | None = None
    intensity: int | None = None
    notes: str | None = None
    exercise_category: int | None = None
    exercise_name: int | None = None
    exercise_weight: int | None = None  # kg × 100
    weight_display_unit: int | None = None  # 1 kilogram, 2 pound

    @property
    def is_repeat(self) -> bool:
        return self.duration_type is not None and is_repeat(self.duration_type)

    @property
    def exercise(self) -> ExercisePair | None:
        if self.exercise_category is None:
            return None
        return (self.exercise_category, self.exercise_name)

    def raw(self) -> dict[str, int | str | None]:
        """Every field by its FIT name, None where the file leaves it out."""
        return {name: getattr(self, name) for name in _STEP_FIELDS}


@dataclass(frozen=True)
class FitWorkoutFile:
    """What a FIT workout file holds: its file id, workout header, steps and exercise titles."""

    source: str
    header_size: int
    protocol_version: str
    profile_version: int
    file_type: int | None
    manufacturer: int | None
    product: int | None
    serial_number: int | None
    time_created: int | None  # raw FIT date_time: seconds since 1989-12-31T00:00:00Z
    name: str | None
    sport: int | None
    sub_sport: int | None
    num_valid_steps: int | None
    steps: tuple[FitStep, ...]
    titles: Mapping[ExercisePair, str] = field(default_factory=dict)

    @property
    def time_created_utc(self) -> datetime | None:
        """``time_created`` as a UTC datetime; None when absent or a relative (device) time."""
        if self.time_created is None or self.time_created < _MIN_SYSTEM_TIME:
            return None
        return datetime.fromtimestamp(FIT_EPOCH + self.time_created, UTC)

    def exercise_title(self, step: FitStep) -> str | None:
        """The name of the step's exercise: the file's own title, else the catalogue's."""
        pair = step.exercise
        if pair is None:
            return None
        return self.titles.get(pair) or exercise_display_name(*pair)


_STEP_FIELDS: dict[str, int] = {
    "message_index": 254,
    "wkt_step_name": 0,
    "duration_type": 1,
    "duration_value": 2,
    "target_type": 3,
    "target_value": 4,
    "custom_target_value_low": 5,
    "custom_target_value_high": 6,
    "intensity": 7,
    "notes": 8,
    "exercise_category": 10,
    "exercise_name": 11,
    "exercise_weight": 12,
    "weight_display_unit": 13,
}
_STRING_FIELDS = frozenset({"wkt_step_name", "notes"})


def read_fit_workout(data: bytes, source: str) -> FitWorkoutFile:
    """Decode a FIT workout file; anything else raises ``InvalidInput`` with one clear line."""

    def fail(message: str) -> NoReturn:
        raise InvalidInput([Problem(source, message)])

    header_size, protocol, profile, segment = check_container(data, fail)
    try:
        with quiet_fit_tool():
            return _decode(segment, source, header_size, protocol, profile, fail)
    except InvalidInput:
        raise
    except Exception as error:  # fit-tool's FitError, IndexError, struct.error, KeyError…
        if isinstance(error, UnicodeError) or isinstance(error.__cause__, UnicodeError):
            fail("damaged FIT file: a text field is not valid UTF-8")
        fail(f"damaged FIT file: {one_line(error)}")


def read_fit_path(path: Path) -> FitWorkoutFile:
    """Read a FIT workout file from disk; a missing, unreadable, non-regular (a FIFO, a
    device), too large or damaged file raises ``InvalidInput`` with one line."""
    return read_fit_workout(read_fit_bytes(path), str(path))


def _decode(
    segment: bytes, source: str, header_size: int, protocol: str, profile: int, fail: Fail
) -> FitWorkoutFile:
    file_id: Any = None
    workout: Any = None
    steps: list[FitStep] = []
    titles: dict[ExercisePair, str] = {}
    for count, message in enumerate(messages(segment), 1):
        if count > MAX_FIT_MESSAGES:
            fail(f"more than {MAX_FIT_MESSAGES:,} messages: not a workout file liftfit reads")
        number = message.global_id
        if file_id is None:
            if number != _MESG_FILE_ID:
                fail("not a FIT workout: the file does not start with a file_id message")
            file_id = message
            file_type = int_value(message, 0)
            if file_type != FILE_TYPE_WORKOUT:
                fail(_not_a_workout(file_type))
        elif number == _MESG_WORKOUT and workout is None:
            workout = message
        elif number == _MESG_WORKOUT_STEP:
            if len(steps) == MAX_FIT_STEPS:
                fail(
                    f"more than {MAX_FIT_STEPS} workout steps: more than any watch or app "
                    "takes (Garmin Connect's editor stops at 50), so liftfit reads no further"
                )
            steps.append(_step(message))
        elif number == _MESG_EXERCISE_TITLE:
            category, name = int_value(message, 0), int_value(message, 1)
            title = str_value(message, 2)
            if category is not None and title:
                titles.setdefault((category, name), title)
    if file_id is None:
        fail("not a FIT workout: the file holds no messages")
    if not steps:
        fail("no workout steps")
    return FitWorkoutFile(
        source=source,
        header_size=header_size,
        protocol_version=protocol,
        profile_version=profile,
        file_type=int_value(file_id, 0),
        manufacturer=int_value(file_id, 1),
        product=int_value(file_id, 2),
        serial_number=int_value(file_id, 3),
        time_created=int_value(file_id, 4),
        name=str_value(workout, 8) if workout is not None else None,
        sport=int_value(workout, 4) if workout is not None else None,
        sub_sport=int_value(workout, 11) if workout is not None else None,
        num_valid_steps=int_value(workout, 6) if workout is not None else None,
        steps=tuple(steps),
        titles=titles,
    )


def _step(message: Any) -> FitStep:
    values: dict[str, Any] = {}
    for name, field_id in _STEP_FIELDS.items():
        values[name] = (
            str_value(message, field_id) if name in _STRING_FIELDS else int_value(message, field_id)
        )
    return FitStep(**values)


def _not_a_workout(file_type: int | None) -> str:
    if file_type is None:
        return "a FIT file without a file type, not a workout"
    name = file_type_name(file_type)
    if name is None:
        return f"a FIT file of unknown type {file_type}, not a workout"
    return f"a FIT {name.replace('_', ' ')} file (type {file_type}), not a workout"
