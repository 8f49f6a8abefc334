"""liftfit's FIT encoder as it was before its own writer: fit-tool's message classes and
``FitFileBuilder(auto_define=True)``. Kept here only so that tests can check that the writer
(``liftfit.exporters.fitwriter``) gives the very same bytes for any workout.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

from liftfit.exporters.calendar import WORKOUT_PRODUCT, local_date_time
from liftfit.exporters.fit import (
    DESCRIPTION_BYTES,
    NAME_BYTES,
    NOTES_BYTES,
    TITLE_BYTES,
    fit_text,
    serial_number,
    time_created,
)
from liftfit.ir import Block, LoweredWorkout, Step
from liftfit.plan import Calendar, ScheduledSession

MANUFACTURER_DEVELOPMENT = 255


def fit_tool_workout(workout: LoweredWorkout) -> bytes:
    """The workout file as liftfit wrote it with fit-tool."""
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.exercise_title_message import ExerciseTitleMessage
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.workout_message import WorkoutMessage
    from fit_tool.profile.profile_type import FileType, Sport, SubSport

    def fitted(text: str, limit: int, what: str) -> str:
        return fit_text(text, limit)

    file_id = FileIdMessage()
    file_id.type = FileType.WORKOUT
    file_id.manufacturer = MANUFACTURER_DEVELOPMENT
    file_id.product = 0
    file_id.serial_number = serial_number(workout)
    file_id.time_created = time_created() * 1000

    steps = _step_messages(workout, fitted)

    header = WorkoutMessage()
    header.workout_name = fitted(workout.name, NAME_BYTES, "workout name")
    if workout.sport == "run":
        header.sport = Sport.RUNNING
    else:
        header.sport = Sport.TRAINING
        header.sub_sport = SubSport.STRENGTH_TRAINING
    header.capabilities = 0x20
    header.num_valid_steps = len(steps)
    if workout.description:
        header.workout_description = fitted(
            " ".join(workout.description.split()), DESCRIPTION_BYTES, "workout description"
        )

    titles: list[Any] = []
    for pair in workout.titles:
        title = ExerciseTitleMessage()
        title.message_index = len(titles)
        title.exercise_category = pair.category
        if pair.name is not None:
            title.exercise_name = pair.name
        title.workout_step_name = fitted(pair.text, TITLE_BYTES, "exercise title")
        titles.append(title)

    builder = FitFileBuilder(auto_define=True)
    builder.add(file_id)
    builder.add(header)
    builder.add_all(steps)
    builder.add_all(titles)
    return fit_file_bytes(builder.records)


def fit_file_bytes(records: list[Any]) -> bytes:
    """A FIT file around ``records``: 14-byte header with CRC, protocol 2.0, file CRC."""
    from fit_tool.fit_file_header import FitFileHeader, ProtocolVersion
    from fit_tool.utils.crc import crc16

    body = b"".join(record.to_bytes() for record in records)
    header: bytes = FitFileHeader(
        records_size=len(body), protocol_version=ProtocolVersion(2, 0), gen_crc=True
    ).to_bytes()
    crc: int = crc16(header + body)
    return header + body + struct.pack("<H", crc)


def _step_messages(workout: LoweredWorkout, fitted: Any) -> list[Any]:
    from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
    from fit_tool.profile.profile_type import WorkoutStepDuration

    messages: list[Any] = []
    for item in workout.items:
        if isinstance(item, Block):
            first = len(messages)
            for step in item.steps:
                messages.append(_step_message(step, len(messages), fitted))
            repeat = WorkoutStepMessage()
            repeat.message_index = len(messages)
            # Type before value: fit-tool picks the subfield (and its scale) from the type.
            repeat.duration_type = WorkoutStepDuration.REPEAT_UNTIL_STEPS_CMPLT
            repeat.duration_step = first
            repeat.target_repeat_steps = item.count
            messages.append(repeat)
        else:
            messages.append(_step_message(item, len(messages), fitted))
    return messages


def _step_message(step: Step, index: int, fitted: Any) -> Any:
    from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage
    from fit_tool.profile.profile_type import (
        FitBaseUnit,
        Intensity,
        WorkoutStepDuration,
        WorkoutStepTarget,
    )

    message = WorkoutStepMessage()
    message.message_index = index
    length = step.length
    if length.kind == "reps":
        message.duration_type = WorkoutStepDuration.REPS
        message.duration_reps = int(length.value)
    elif length.kind == "time":
        message.duration_type = WorkoutStepDuration.TIME
        message.duration_time = float(length.value)
    elif length.kind == "distance":
        message.duration_type = WorkoutStepDuration.DISTANCE
        message.duration_distance = float(length.value)
    else:
        message.duration_type = WorkoutStepDuration.OPEN

    target = step.target
    if target is None:
        message.target_type = WorkoutStepTarget.OPEN
        message.target_value = 0
    elif target.kind == "hr_zone":
        message.target_type = WorkoutStepTarget.HEART_RATE
        message.target_hr_zone = target.zone
    else:
        message.target_type = WorkoutStepTarget.SPEED
        message.target_value = 0
        message.custom_target_speed_low = target.low
        message.custom_target_speed_high = target.high

    message.intensity = Intensity[step.intensity.upper()]
    if step.notes:
        message.notes = fitted(step.notes, NOTES_BYTES, "step notes")
    if step.title is not None:
        message.exercise_category = step.title.category
        if step.title.name is not None:
            message.exercise_name = step.title.name
    if step.weight_kg is not None:
        message.exercise_weight = round(step.weight_kg * 100) / 100
        message.weight_display_unit = (
            FitBaseUnit.POUND.value if step.weight_unit == "lb" else FitBaseUnit.KILOGRAM.value
        )
    return message


def fit_tool_schedule(
    calendar: Calendar,
    sessions: Sequence[ScheduledSession],
    workouts: Mapping[str, LoweredWorkout],
) -> bytes:
    """The FIT schedule file as liftfit wrote it with fit-tool."""
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.schedule_message import ScheduleMessage
    from fit_tool.profile.profile_type import FileType, Schedule

    created = time_created() * 1000
    entries = [(serial_number(workouts[s.variant.slug]), local_date_time(s.date)) for s in sessions]
    file_id = FileIdMessage()
    file_id.type = FileType.SCHEDULES
    file_id.manufacturer = MANUFACTURER_DEVELOPMENT
    file_id.product = WORKOUT_PRODUCT
    file_id.serial_number = zlib.crc32(repr((calendar.slug, entries)).encode("utf-8")) or 1
    file_id.time_created = created
    builder = FitFileBuilder(auto_define=True)
    builder.add(file_id)
    for serial, when in entries:
        message = ScheduleMessage()
        message.manufacturer = MANUFACTURER_DEVELOPMENT
        message.product = WORKOUT_PRODUCT
        message.serial_number = serial
        message.time_created = created
        message.completed = False
        message.type = Schedule.WORKOUT
        message.scheduled_time = when
        builder.add(message)
    return fit_file_bytes(builder.records)
