"""Reading FIT workout files: liftfit's own, Garmin Connect's, or any other (see FORMATS.md §1).

``read_fit_workout`` checks the container itself (signature, sizes, CRCs) so that any damage is
one clear line, then decodes the records with fit-tool. Steps keep the *raw* values stored in
the file (milliseconds, centimetres, kg × 100, step indexes), as Garmin's own decoder reports
them with scaling off; the helpers below turn them into names and readable text.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import struct
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

from liftfit.errors import InvalidInput, Problem
from liftfit.limits import MAX_STEPS_CAP
from liftfit.safe import Unreadable, read_regular
from liftfit.units import LB_IN_KG

# Connect's largest workouts (~43 steps) take ~13 kB; a step takes at most ~300 bytes (notes of
# 199, a name of 15, the fields), so 512 kB holds any workout of MAX_FIT_STEPS and its titles.
MAX_FILE_BYTES = 512 * 1024
# As many steps as `build --max-steps` allows; beyond, no watch or app takes the workout.
MAX_FIT_STEPS = MAX_STEPS_CAP
# Steps, one exercise title per step at most, and a few others (file_id, workout, creator…).
MAX_FIT_MESSAGES = 2 * MAX_FIT_STEPS + 100
FIT_EPOCH = 631_065_600  # 1989-12-31T00:00:00Z, in Unix seconds
_MIN_SYSTEM_TIME = 0x10000000  # smaller date_time values are relative, not wall-clock
_FIT_TAG = b".FIT"

FILE_TYPE_WORKOUT = 5
_MESG_FILE_ID = 0
_MESG_WORKOUT = 26
_MESG_WORKOUT_STEP = 27
_MESG_EXERCISE_TITLE = 264

SPORT_RUNNING = 1
DURATION_TIME = 0
DURATION_DISTANCE = 1
DURATION_OPEN = 5
DURATION_REPEAT_STEPS = 6
DURATION_REPS = 29
TARGET_OPEN = 2
WEIGHT_POUND = 2
HR_BPM_OFFSET = 100  # workout HR values: below 100 % of max HR, else bpm + 100
POWER_WATTS_OFFSET = 1000  # workout power values: below 1000 % of FTP, else W + 1000

# Manufacturers whose ``product`` is a ``garmin_product`` (as in Garmin's profile).
_GARMIN_PRODUCT_MAKERS = frozenset({1, 13, 15, 89})

ExercisePair = tuple[int, int | None]
Fail = Callable[[str], NoReturn]


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
        return self.duration_type is not None and _is_repeat(self.duration_type)

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


# --- reading -------------------------------------------------------------------------------


def read_fit_workout(data: bytes, source: str) -> FitWorkoutFile:
    """Decode a FIT workout file; anything else raises ``InvalidInput`` with one clear line."""

    def fail(message: str) -> NoReturn:
        raise InvalidInput([Problem(source, message)])

    header_size, protocol, profile, segment = _check_container(data, fail)
    try:
        with _quiet_fit_tool():
            return _decode(segment, source, header_size, protocol, profile, fail)
    except InvalidInput:
        raise
    except Exception as error:  # fit-tool's FitError, IndexError, struct.error, KeyError…
        if isinstance(error, UnicodeError) or isinstance(error.__cause__, UnicodeError):
            fail("damaged FIT file: a text field is not valid UTF-8")
        fail(f"damaged FIT file: {_one_line(error)}")


def read_fit_path(path: Path) -> FitWorkoutFile:
    """Read a FIT workout file from disk; a missing, unreadable, non-regular (a FIFO, a
    device), too large or damaged file raises ``InvalidInput`` with one line."""
    return read_fit_workout(read_fit_bytes(path), str(path))


def read_fit_bytes(path: Path) -> bytes:
    """A FIT file's bytes: a regular file of at most ``MAX_FILE_BYTES``, else one
    ``InvalidInput`` line."""
    try:
        return read_regular(path, MAX_FILE_BYTES, "FIT file")
    except Unreadable as error:
        raise InvalidInput([Problem(path, str(error))]) from None


def _check_container(data: bytes, fail: Fail) -> tuple[int, str, int, bytes]:
    """Header size, protocol, profile version and the first FIT segment, all checked."""
    from fit_tool.utils.crc import crc16

    if not data:
        fail("not a FIT file (the file is empty)")
    if len(data) < 12:
        fail(f"not a FIT file (only {len(data)} bytes, shorter than a FIT header)")
    if data[8:12] != _FIT_TAG:
        fail("not a FIT file (no .FIT signature)")
    header_size = data[0]
    if header_size < 12:
        fail(f"damaged FIT file: header size {header_size} (12 or 14 expected)")
    (data_size,) = struct.unpack_from("<I", data, 4)
    total = header_size + data_size + 2
    if total > MAX_FILE_BYTES:
        fail(f"too large for a FIT workout file ({total:,} bytes announced in its header)")
    if len(data) < total:
        fail(
            f"truncated FIT file: its header announces {total:,} bytes, the file has {len(data):,}"
        )
    if header_size > 12:
        (header_crc,) = struct.unpack_from("<H", data, header_size - 2)
        if header_crc != 0 and header_crc != crc16(data[: header_size - 2]):
            fail("damaged FIT file: header CRC mismatch")
    (file_crc,) = struct.unpack_from("<H", data, total - 2)
    if file_crc != crc16(data[: total - 2]):
        fail("damaged FIT file: CRC mismatch")
    protocol = f"{data[1] >> 4}.{data[1] & 0x0F}"
    (profile,) = struct.unpack_from("<H", data, 2)
    return header_size, protocol, profile, bytes(data[:total])


def _decode(
    segment: bytes, source: str, header_size: int, protocol: str, profile: int, fail: Fail
) -> FitWorkoutFile:
    file_id: Any = None
    workout: Any = None
    steps: list[FitStep] = []
    titles: dict[ExercisePair, str] = {}
    for count, message in enumerate(_messages(segment), 1):
        if count > MAX_FIT_MESSAGES:
            fail(f"more than {MAX_FIT_MESSAGES:,} messages: not a workout file liftfit reads")
        number = message.global_id
        if file_id is None:
            if number != _MESG_FILE_ID:
                fail("not a FIT workout: the file does not start with a file_id message")
            file_id = message
            file_type = _int(message, 0)
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
            category, name, title = _int(message, 0), _int(message, 1), _str(message, 2)
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
        file_type=_int(file_id, 0),
        manufacturer=_int(file_id, 1),
        product=_int(file_id, 2),
        serial_number=_int(file_id, 3),
        time_created=_int(file_id, 4),
        name=_str(workout, 8) if workout is not None else None,
        sport=_int(workout, 4) if workout is not None else None,
        sub_sport=_int(workout, 11) if workout is not None else None,
        num_valid_steps=_int(workout, 6) if workout is not None else None,
        steps=tuple(steps),
        titles=titles,
    )


def _messages(segment: bytes) -> Iterator[Any]:
    """Data messages, decoded lazily (so a non-workout file stops at its file_id)."""
    from fit_tool.fit_file import FitFile

    # CRCs were checked by _check_container (which also accepts a header CRC of 0, "not set").
    for record in FitFile.iter_stream(io.BytesIO(segment), check_crc=False):
        if not record.is_definition:
            yield record.message


def _step(message: Any) -> FitStep:
    values: dict[str, Any] = {}
    for name, field_id in _STEP_FIELDS.items():
        values[name] = (
            _str(message, field_id) if name in _STRING_FIELDS else _int(message, field_id)
        )
    return FitStep(**values)


def _raw(message: Any, field_id: int) -> Any:
    """The field's first stored value, unscaled; None when absent or FIT's "invalid" value."""
    found = message.get_field(field_id)
    if found is None or not found.is_valid() or not found.encoded_values:
        return None
    value = found.encoded_values[0]
    if value is None or isinstance(value, str):
        return value
    invalid = found.base_type.invalid_raw_value()
    if value == invalid or (isinstance(value, float) and value != value):
        return None
    return value


def _int(message: Any, field_id: int) -> int | None:
    value = _raw(message, field_id)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _str(message: Any, field_id: int) -> str | None:
    value = _raw(message, field_id)
    return value if isinstance(value, str) and value else None


def _not_a_workout(file_type: int | None) -> str:
    if file_type is None:
        return "a FIT file without a file type, not a workout"
    name = file_type_name(file_type)
    if name is None:
        return f"a FIT file of unknown type {file_type}, not a workout"
    return f"a FIT {name.replace('_', ' ')} file (type {file_type}), not a workout"


def _one_line(error: Exception) -> str:
    text = " ".join(str(error).split()).rstrip(".") or type(error).__name__
    for pattern, plain in _DECODER_MESSAGES:
        text = pattern.sub(plain, text)
    return text[:200]


# fit-tool's wording for the commonest damage, in words a user can follow.
_DECODER_MESSAGES = [
    (re.compile(r"^(\d+) is not a valid BaseType$"), r"a field of unknown base type \1"),
    (
        re.compile(r"^DefinitionMessage not defined for local_id: (\d+)$"),
        r"a record of local message type \1, which no definition before it describes",
    ),
    (re.compile(r"^Field (\w+) is empty$"), r"field \1 is defined with a size of 0"),
    (re.compile(r"^Invalid definition architecture (\d+)"), r"unknown byte order \1"),
]


@contextlib.contextmanager
def _quiet_fit_tool() -> Iterator[None]:
    """fit-tool logs decoding oddities to stderr; the caller reports problems itself."""
    logger = logging.getLogger("fit_tool")
    was_disabled = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = was_disabled


# --- names ---------------------------------------------------------------------------------


def _enum_name(enum_name: str, value: int | None) -> str | None:
    """The lower-case member name of fit-tool's enum ``enum_name`` for ``value``."""
    if value is None:
        return None
    from fit_tool.profile import profile_type

    try:
        member = getattr(profile_type, enum_name)(value)
    except ValueError:
        return None
    return str(member.name).lower()


def duration_type_name(value: int | None) -> str | None:
    return _enum_name("WorkoutStepDuration", value)


def target_type_name(value: int | None) -> str | None:
    return _enum_name("WorkoutStepTarget", value)


def intensity_name(value: int | None) -> str | None:
    return _enum_name("Intensity", value)


def category_name(value: int | None) -> str | None:
    return _enum_name("ExerciseCategory", value)


def file_type_name(value: int | None) -> str | None:
    return _enum_name("FileType", value)


def sport_name(value: int | None) -> str | None:
    return _enum_name("Sport", value)


def sub_sport_name(value: int | None) -> str | None:
    return _enum_name("SubSport", value)


def manufacturer_name(value: int | None) -> str | None:
    return _enum_name("Manufacturer", value)


def product_name(manufacturer: int | None, product: int | None) -> str | None:
    """The Garmin product name, for Garmin-family manufacturers only."""
    if manufacturer not in _GARMIN_PRODUCT_MAKERS:
        return None
    return _enum_name("GarminProduct", product)


def weight_unit_name(value: int | None) -> str | None:
    return _enum_name("FitBaseUnit", value)


def exercise_display_name(category: int, name: int | None) -> str:
    """The catalogue's name for a FIT exercise, else ``category N / name M``."""
    from liftfit.catalogue import catalogue

    entry = catalogue().by_fit(category, name)
    if entry is not None:
        return entry.name
    key = category_name(category)
    if name is None:
        return _title(key) if key and key != "unknown" else f"category {category}"
    return f"category {category} / name {name}"


def _title(key: str) -> str:
    return " ".join(word.capitalize() for word in key.split("_"))


# --- readable text -------------------------------------------------------------------------

_INTENSITY_LABELS = {
    0: "Active",
    1: "Rest",
    2: "Warm-up",
    3: "Cool-down",
    4: "Recover",
    5: "Interval",
    6: "Other",
}


def _is_repeat(duration_type: int) -> bool:
    return 6 <= duration_type <= 13 or duration_type in (17, 18, 27)


def step_label(workout: FitWorkoutFile, step: FitStep) -> str:
    """What the step is: the exercise's name, Repeat, Rest, Warm-up, Run…"""
    if step.is_repeat:
        label = "Repeat"
    elif step.exercise is not None:
        return workout.exercise_title(step) or "Exercise"
    elif step.intensity in (0, 5, None) and workout.sport == SPORT_RUNNING:
        label = "Run"
    elif step.intensity is None:
        label = "Step"
    else:
        label = _INTENSITY_LABELS.get(step.intensity, f"intensity {step.intensity}")
    return f"{label}: {step.wkt_step_name}" if step.wkt_step_name else label


def duration_text(step: FitStep) -> str:
    """``15 reps``, ``60 s``, ``1:30``, ``400 m``, ``until Lap``, ``repeat ×3 from step 1``…"""
    kind, value = step.duration_type, step.duration_value
    if kind is None:
        return ""
    if kind == DURATION_OPEN:
        return "until Lap"
    if kind == DURATION_REPEAT_STEPS:
        return f"repeat ×{_n(step.target_value)} from step {_n(value)}"
    if _is_repeat(kind):
        until = _repeat_until(kind, step.target_value)
        return f"repeat from step {_n(value)} until {until}"
    if value is None:
        return duration_type_name(kind) or f"duration type {kind}"
    if kind in (DURATION_TIME, 28, 31):  # time, repetition_time, time_only
        text = clock(value / 1000)
        return f"every {text}" if kind == 28 else text
    if kind == DURATION_DISTANCE:
        return distance(value / 100)
    if kind == DURATION_REPS:
        return f"{value} rep" if value == 1 else f"{value} reps"
    if kind == 2:
        return f"until HR < {heart_rate(value)}"
    if kind == 3:
        return f"until HR > {heart_rate(value)}"
    if kind == 4:
        return f"{value} kcal"
    if kind in (14, 19, 20, 21, 25):
        return f"until power < {power(value)}"
    if kind in (15, 22, 23, 24, 26):
        return f"until power > {power(value)}"
    if kind == 16:
        return f"until TSS {value / 10:g}"
    return f"{duration_type_name(kind) or f'duration type {kind}'} {value}"


def _repeat_until(kind: int, value: int | None) -> str:
    if value is None:
        return duration_type_name(kind) or f"duration type {kind}"
    texts = {
        7: lambda v: clock(v / 1000),
        8: lambda v: distance(v / 100),
        9: lambda v: f"{v} kcal",
        10: lambda v: f"HR < {heart_rate(v)}",
        11: lambda v: f"HR > {heart_rate(v)}",
        12: lambda v: f"power < {power(v)}",
        13: lambda v: f"power > {power(v)}",
        17: lambda v: f"last lap power < {power(v)}",
        18: lambda v: f"last lap max power < {power(v)}",
        27: lambda v: f"TSS {v / 10:g}",
    }
    return texts[kind](value)


def target_text(step: FitStep, sport: int | None = None) -> str:
    """``HR zone 2``, ``3:20-3:50/km``, ``140-150 bpm``, ``200-250 W``…; empty when open."""
    kind = step.target_type
    if kind is None or kind == TARGET_OPEN or step.is_repeat:
        return ""
    zone, low, high = step.target_value, step.custom_target_value_low, step.custom_target_value_high
    label = {0: "speed", 1: "HR", 3: "cadence", 4: "power"}.get(kind)
    if label is None:
        name = target_type_name(kind) or f"target type {kind}"
        return f"{name} {zone}" if zone else name
    if zone:
        return f"{label} zone {zone}"
    if low is None or high is None:
        return label
    if kind == 0:
        return speed_range(low, high, sport)
    if kind == 1:
        return f"HR {_range(low, high, HR_BPM_OFFSET, '% max', ' bpm')}"
    if kind == 3:
        return f"cadence {low}-{high} rpm"
    return f"power {_range(low, high, POWER_WATTS_OFFSET, '% FTP', ' W')}"


def _range(low: int, high: int, offset: int, relative: str, absolute: str) -> str:
    """A HR or power range: both relative (below ``offset``), both absolute, or mixed."""
    if low < offset and high < offset:
        return f"{low}-{high}{relative}"
    if low >= offset and high >= offset:
        return f"{low - offset}-{high - offset}{absolute}"
    one = heart_rate if offset == HR_BPM_OFFSET else power
    return f"{one(low)} to {one(high)}"


def speed_range(low: int, high: int, sport: int | None = None) -> str:
    """A speed range in m/s × 1000, as pace (min/km) for running, else km/h."""
    if sport == SPORT_RUNNING and low > 0 and high > 0:
        fast, slow = sorted((1_000_000 / low, 1_000_000 / high))
        return f"{clock(fast, always=True)}-{clock(slow, always=True)}/km"
    return f"{low * 3.6 / 1000:.1f}-{high * 3.6 / 1000:.1f} km/h"


def weight_text(step: FitStep) -> str:
    """``8 kg``, or ``25 lb`` when the file says to show pounds (the value is always kg × 100)."""
    if step.exercise_weight is None:
        return ""
    kg = step.exercise_weight / 100
    if step.weight_display_unit == WEIGHT_POUND:
        return f"{_decimal(round(kg / LB_IN_KG, 1))} lb"
    return f"{_decimal(kg)} kg"


def notes_text(step: FitStep) -> str:
    """The notes on one line: line breaks shown as `` / `` (blank lines dropped)."""
    if not step.notes:
        return ""
    return " / ".join(line.strip() for line in step.notes.splitlines() if line.strip())


def clock(seconds: float, *, always: bool = False) -> str:
    """``45 s`` up to a minute (unless ``always``), then ``1:30`` or ``1:02:03``."""
    if seconds <= 60 and not always:
        return f"{_decimal(seconds)} s"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def distance(metres: float) -> str:
    return f"{_decimal(metres)} m" if metres < 1000 else f"{_decimal(metres / 1000)} km"


def heart_rate(value: int) -> str:
    """A workout HR value: below 100 a percentage (of max HR), else bpm + 100."""
    return f"{value}% max HR" if value < HR_BPM_OFFSET else f"{value - HR_BPM_OFFSET} bpm"


def power(value: int) -> str:
    """A workout power value: below 1000 a percentage of FTP, else watts + 1000."""
    return f"{value}% FTP" if value < POWER_WATTS_OFFSET else f"{value - POWER_WATTS_OFFSET} W"


def _decimal(value: float) -> str:
    return f"{round(value, 2):g}"


def _n(value: int | None) -> str:
    return "?" if value is None else str(value)
