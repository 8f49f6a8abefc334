"""Reading FIT schedule files (file type 7): which workout a watch puts on which day.

A schedule entry names its workout by the workout file's file_id (manufacturer, product,
serial number, time created) and gives the day as a FIT ``local_date_time``. ``workouts_near``
finds the workout files it points at where ``liftfit build`` puts them: beside the schedule,
and in the ``fit/`` folder next to its ``calendar/`` folder.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import NoReturn

from liftfit.errors import InvalidInput, Problem
from liftfit.fitfile import (
    check_container,
    int_value,
    messages,
    one_line,
    quiet_fit_tool,
    read_fit_bytes,
)
from liftfit.fitread import FitWorkoutFile, read_fit_path, read_fit_workout

FILE_TYPE_SCHEDULES = 7
_MESG_FILE_ID = 0
_MESG_SCHEDULE = 28
MAX_ENTRIES = 1000  # watches keep 30 to ~100; liftfit writes 4 weeks by default
MAX_NEARBY_FILES = 1000
_FIT_DAY_ZERO = date(1989, 12, 31)


@dataclass(frozen=True)
class ScheduleEntry:
    """One scheduled workout: the workout file it points at, and its day."""

    manufacturer: int | None
    product: int | None
    serial_number: int | None
    time_created: int | None
    completed: int | None
    kind: int | None  # 0 workout, 1 course
    scheduled_time: int | None  # local_date_time: seconds since 1989-12-31 00:00 local

    @property
    def day(self) -> date | None:
        if self.scheduled_time is None:
            return None
        return _FIT_DAY_ZERO + timedelta(seconds=self.scheduled_time)


@dataclass(frozen=True)
class FitScheduleFile:
    source: str
    serial_number: int | None
    time_created: int | None
    entries: tuple[ScheduleEntry, ...]


def read_fit_file(path: Path) -> FitWorkoutFile | FitScheduleFile:
    """A FIT workout or schedule file from disk; anything else is one ``InvalidInput`` line."""
    data = read_fit_bytes(path)
    if _file_type(data, str(path)) == FILE_TYPE_SCHEDULES:
        return read_fit_schedule(data, str(path))
    return read_fit_workout(data, str(path))


def _file_type(data: bytes, source: str) -> int | None:
    """The file_id's type, or None where the file is too damaged to tell (the workout reader
    then says what is wrong)."""

    def fail(message: str) -> NoReturn:
        raise InvalidInput([Problem(source, message)])

    try:
        _, _, _, segment = check_container(data, fail)
        with quiet_fit_tool():
            first = next(iter(messages(segment)), None)
    except Exception:  # damage of any kind: read_fit_workout reports it in one line
        return None
    return int_value(first, 0) if first is not None and first.global_id == _MESG_FILE_ID else None


def read_fit_schedule(data: bytes, source: str) -> FitScheduleFile:
    """Decode a FIT schedule file; damage raises ``InvalidInput`` with one line."""

    def fail(message: str) -> NoReturn:
        raise InvalidInput([Problem(source, message)])

    _, _, _, segment = check_container(data, fail)
    file_id = None
    entries: list[ScheduleEntry] = []
    try:
        with quiet_fit_tool():
            for message in messages(segment):
                if file_id is None:
                    file_id = message
                elif message.global_id == _MESG_SCHEDULE:
                    if len(entries) == MAX_ENTRIES:
                        fail(f"more than {MAX_ENTRIES} schedule entries: liftfit reads no further")
                    fields = (int_value(message, number) for number in range(7))
                    entries.append(ScheduleEntry(*fields))
    except InvalidInput:
        raise
    except Exception as error:  # fit-tool's FitError, IndexError, struct.error…
        fail(f"damaged FIT file: {one_line(error)}")
    if file_id is None:
        fail("not a FIT schedule: the file holds no messages")
    return FitScheduleFile(source, int_value(file_id, 3), int_value(file_id, 4), tuple(entries))


def workouts_near(schedule: Path) -> dict[int, tuple[Path, FitWorkoutFile]]:
    """The readable FIT workout files beside a schedule and in ``../fit/``, by serial number."""
    folders = [schedule.parent, schedule.parent.parent / "fit"]
    found: dict[int, tuple[Path, FitWorkoutFile]] = {}
    for path in _fit_files(folders):
        try:
            workout = read_fit_path(path)
        except InvalidInput:
            continue
        if workout.serial_number is not None:
            found.setdefault(workout.serial_number, (path, workout))
    return found


def _fit_files(folders: Iterable[Path]) -> list[Path]:
    paths: list[Path] = []
    for folder in folders:
        if folder.is_dir():
            paths += sorted(p for p in folder.glob("*.fit") if p.is_file())
    return paths[:MAX_NEARBY_FILES]
