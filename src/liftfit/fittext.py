"""FIT values in words: the names of FIT's enums and each workout step as readable text
(for ``inspect`` and ``import``'s notes), from the raw values ``fitread`` keeps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from liftfit.units import LB_IN_KG

if TYPE_CHECKING:
    from liftfit.fitread import FitStep, FitWorkoutFile

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


_INTENSITY_LABELS = {
    0: "Active",
    1: "Rest",
    2: "Warm-up",
    3: "Cool-down",
    4: "Recover",
    5: "Interval",
    6: "Other",
}


def is_repeat(duration_type: int) -> bool:
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
    if is_repeat(kind):
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
