"""Parsing of the small value languages in workout files: durations, distances, loads, ranges.

Each parser takes what a person writes (``90 s``, ``1:30``, ``2km``, ``75% 1RM``, ``5-6``) and
returns a plain value, or raises ``ValueError`` with a message fit to show the user.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from liftfit.safe import shown

LB_IN_KG = 0.45359237

_DURATION_UNITS = {
    "s": 1,
    "sec": 1,
    "secs": 1,
    "second": 1,
    "seconds": 1,
    "min": 60,
    "mins": 60,
    "minute": 60,
    "minutes": 60,
    "m": 60,
    "h": 3600,
    "hr": 3600,
    "hour": 3600,
    "hours": 3600,
}
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)\s*([a-z]+)")
_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")

DURATION_HELP = "a duration like 45s, 90 s, 2min, 1:30 or 1min30s"

# What every target holds, with room to spare: FIT keeps times in ms and distances in cm as
# 32-bit numbers (1,193 h, 42,949 km) and weights as kg × 100 in 16 bits (655.35 kg).
MAX_SECONDS = 24 * 3600
MAX_METERS = 1_000_000.0
MIN_METERS = 0.01  # FIT's resolution: 1 cm
MAX_KG = 655.0
MAX_LB = math.floor(MAX_KG / 0.45359237)


def parse_duration(text: str | int | float) -> int:
    """Whole seconds from ``45s``, ``90 s``, ``2min``, ``1:30``, ``1min30s`` or bare seconds."""
    if isinstance(text, bool):
        raise ValueError(f"expected {DURATION_HELP}")
    if isinstance(text, int | float):
        seconds = float(text)
    else:
        raw = text.strip().lower()
        clock = _CLOCK.match(raw)
        if clock:
            hours, minutes, secs = clock.groups()
            if int(secs) > 59 or (hours is not None and int(minutes) > 59):
                raise ValueError(f"a clock time counts to 59 before the colon, got {shown(text)}")
            seconds = int(hours or 0) * 3600 + int(minutes) * 60 + int(secs)
        else:
            seconds = _sum_units(raw)
    if not math.isfinite(seconds):
        raise ValueError(f"expected {DURATION_HELP}, got {shown(text)}")
    if seconds != int(seconds):
        raise ValueError(f"durations are whole seconds, got {shown(text)}")
    if seconds <= 0:
        raise ValueError(f"a duration must be longer than 0 s, got {shown(text)}")
    if seconds > MAX_SECONDS:
        raise ValueError(f"a duration must be at most 24h, got {shown(text)}")
    return int(seconds)


def _sum_units(raw: str) -> float:
    compact = raw.replace(" ", "")
    if re.fullmatch(r"\d+(\.\d+)?", compact):
        return float(compact)
    parts = _DURATION_PART.findall(raw)
    if not parts or "".join(n + u for n, u in parts) != compact:
        raise ValueError(f"expected {DURATION_HELP}, got {shown(raw)}")
    total = 0.0
    for number, unit in parts:
        if unit not in _DURATION_UNITS:
            raise ValueError(f"unknown time unit {unit!r} in {shown(raw)}: use s, min or h")
        total += float(number) * _DURATION_UNITS[unit]
    return total


def format_duration(seconds: int) -> str:
    """The shortest natural spelling: ``45s``, ``2min``, ``1:30``."""
    if seconds < 60:
        return f"{seconds}s"
    minutes, secs = divmod(seconds, 60)
    if secs == 0:
        return f"{minutes}min"
    return f"{minutes}:{secs:02d}"


_DISTANCE = re.compile(r"^(\d+(?:\.\d+)?)\s*(m|km|mi|yd)$")
_DISTANCE_METERS = {"m": 1.0, "km": 1000.0, "mi": 1609.344, "yd": 0.9144}


def parse_distance(text: str) -> float | None:
    """Metres from ``400m``, ``2 km``, ``1mi``, ``100yd``; None when the text is no distance."""
    match = _DISTANCE.match(text.strip().lower())
    if not match:
        return None
    meters = float(match.group(1)) * _DISTANCE_METERS[match.group(2)]
    if meters < MIN_METERS:
        raise ValueError(f"a distance must be at least 1 cm (0.01m), got {shown(text)}")
    if meters > MAX_METERS:
        raise ValueError(f"a distance must be at most 1000km, got {shown(text)}")
    return meters


def format_distance(meters: float) -> str:
    if meters >= 1000 and meters % 100 == 0:
        return f"{meters / 1000:g}km"
    return f"{meters:g}m"


WeightUnit = Literal["kg", "lb"]


@dataclass(frozen=True)
class Load:
    """What the athlete lifts: a weight, body weight, or a share of a one-rep max.

    ``value`` is the top of a range written ``60-70 kg`` or ``75-85% 1RM`` and ``low`` its
    bottom (None: one value). A weight written without a unit has ``unit`` None until the
    profile's ``units`` gives it one (lowering does). ``plus`` is weight a plan adds to a
    load, in ``plus_unit``; lowering adds it and rounds the sum to the profile's plates.
    """

    kind: Literal["weight", "bodyweight", "percent_1rm"]
    value: float = 0.0
    unit: WeightUnit | None = "kg"
    low: float | None = None
    plus: float = 0.0
    plus_unit: WeightUnit = "kg"

    @property
    def kg(self) -> float:
        """The weight in kilograms (only for ``kind == "weight"``, with a unit)."""
        return self.value if self.unit != "lb" else self.value * LB_IN_KG

    @property
    def is_range(self) -> bool:
        return self.low is not None and self.low != self.value

    def numbers(self) -> str:
        """``60-70`` or ``70``: the value or range without its unit."""
        return f"{self.low:g}-{self.value:g}" if self.is_range else f"{self.value:g}"

    def __str__(self) -> str:
        if self.kind == "bodyweight":
            return "bodyweight"
        added = f" {self.plus:+g} {self.plus_unit}" if self.plus else ""
        if self.kind == "percent_1rm":
            return f"{self.numbers()}% 1RM{added}"
        return (f"{self.numbers()} {self.unit}" if self.unit else self.numbers()) + added


_WEIGHT = re.compile(r"^(\d+(?:\.\d+)?)\s*(kg|kgs|kilo|kilos|lb|lbs|pound|pounds)$")
_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)\s*%\s*(?:of\s+)?(?:1\s*rm|one[- ]rep[- ]max)$")
_SHARE = re.compile(r"^\d+(?:\.\d+)?\s*%$")
LOAD_HELP = "a load like 60 kg, 135 lb, bodyweight or 75% 1RM"


def parse_load(text: str, *, bare: bool = False) -> Load:
    """A load as written: ``60 kg``, ``135 lb``, ``bodyweight``, ``75% 1RM``, or a range of
    weights or shares, ``60-70 kg``, ``75-85% 1RM``. ``bare`` takes a number without a unit
    (``100``, ``90-100``), whose unit the profile gives."""
    raw = text.strip().lower()
    if raw in {"bodyweight", "body weight", "bw"}:
        return Load("bodyweight")
    pair = split_range(raw)
    if pair is not None:
        low, high = (parse_load(part, bare=bare) for part in pair)
        if low.kind != high.kind or low.kind == "bodyweight" or low.unit != high.unit:
            raise ValueError(f"a load range is two weights or two shares of 1RM, got {shown(text)}")
        if low.value > high.value:
            raise ValueError(f"a range goes from low to high, got {shown(text)}")
        return Load(high.kind, high.value, high.unit, low=low.value)
    weight = _WEIGHT.match(raw)
    if weight:
        value = float(weight.group(1))
        if value <= 0:
            raise ValueError(f"a load must be heavier than 0, got {shown(text)}")
        unit: WeightUnit = "kg" if weight.group(2).startswith("k") else "lb"
        load = Load("weight", value, unit)
        check_weight(load, f"a load of {shown(text)}")
        return load
    percent = _PERCENT.match(raw)
    if percent:
        value = float(percent.group(1))
        if not 0 < value <= 150:
            raise ValueError(f"a share of 1RM must be between 0% and 150%, got {shown(text)}")
        return Load("percent_1rm", value)
    if _SHARE.match(raw):
        raise ValueError(f"did you mean {raw.replace(' ', '')} 1RM? (a share of the one-rep max)")
    if re.fullmatch(r"\d+(\.\d+)?", raw):
        if bare and float(raw) > 0:
            return Load("weight", float(raw), None)
        raise ValueError(
            f"a load needs its unit: {raw} kg or {raw} lb (or units: kg in liftfit.yaml)"
        )
    raise ValueError(f"expected {LOAD_HELP}, got {shown(text)}")


_RANGE_SPLIT = re.compile(r"\s*(?:-|\u2013|\s+to\s+)\s*(?=\d)")
_LEADING_NUMBER = re.compile(r"^(\d+(?:\.\d+)?)(\s*)(.*)$")


def split_range(text: str) -> tuple[str, str] | None:
    """``"2-3min"`` → ``("2min", "3min")``; ``"75-85% 1rm"`` → ``("75% 1rm", "85% 1rm")``;
    ``"30s-1min"`` → ``("30s", "1min")``; None when the text is one value.

    The first value borrows the second's unit when it has none, or only the start of it
    (``75%-85% 1RM``)."""
    parts = _RANGE_SPLIT.split(text.strip(), maxsplit=1)
    if len(parts) != 2 or not parts[0]:
        return None
    first, second = parts
    head, tail = _LEADING_NUMBER.match(first), _LEADING_NUMBER.match(second)
    if head and tail and tail.group(3).startswith(head.group(3)):
        first = head.group(1) + tail.group(2) + tail.group(3)
    return first, second


def convert(value: float, unit: WeightUnit, to: WeightUnit) -> float:
    """A weight in ``unit`` as a number of ``to``."""
    if unit == to:
        return value
    return value * LB_IN_KG if unit == "lb" else value / LB_IN_KG


def round_to(value: float, step: float) -> float:
    """``value`` to the nearest multiple of ``step`` (halves up), as plates allow."""
    return math.floor(value / step + 0.5 + 1e-9) * step


def check_weight(load: Load, described: str) -> None:
    """Refuse a weight past what a FIT file holds (655 kg, 1444 lb); ``described`` says what
    the weight is, to begin the message."""
    if load.kg > MAX_KG + 1e-9:
        raise ValueError(
            f"{described}: more than {MAX_KG:g} kg ({MAX_LB} lb), the most a FIT file holds"
        )


def parse_weight(text: str) -> Load:
    """A plain weight (``140 kg``, ``300 lb``), as a one-rep max is written."""
    load = parse_load(text)
    if load.kind != "weight":
        raise ValueError(f"expected a weight like 140 kg or 300 lb, got {shown(text)}")
    return load


@dataclass(frozen=True)
class Range:
    """A whole-number value or range as written: ``8`` or ``5-6``."""

    low: int
    high: int

    @property
    def is_range(self) -> bool:
        return self.low != self.high

    def __str__(self) -> str:
        return f"{self.low}-{self.high}" if self.is_range else str(self.low)


_RANGE = re.compile(r"^(\d+)\s*(?:-|\u2013|to)\s*(\d+)$")
_SETS_BY_REPS = re.compile(r"^(\d+)\s*[x×]\s*(\d+)$", re.IGNORECASE)


def parse_range(value: int | str, *, what: str, low: int, high: int) -> Range:
    """``8`` or ``"5-6"`` within [low, high]."""
    if isinstance(value, bool):
        raise ValueError(f"expected {what} as a whole number or a range like 5-6")
    if isinstance(value, int):
        first = last = value
    else:
        text = value.strip()
        match = _RANGE.match(text)
        if match:
            first, last = int(match.group(1)), int(match.group(2))
        elif text.isdigit():
            first = last = int(text)
        elif what == "reps" and (sets_reps := _SETS_BY_REPS.match(text)):
            sets, reps = sets_reps.groups()
            raise ValueError(f"write sets: {sets} and reps: {reps}, got {shown(value)}")
        else:
            raise ValueError(
                f"expected {what} as a whole number or a range like 5-6, got {shown(value)}"
            )
    if first > last:
        raise ValueError(f"a range goes from low to high, got {shown(value)}")
    if first < low or last > high:
        raise ValueError(f"{what} must be between {low} and {high}, got {shown(value)}")
    return Range(first, last)


def parse_rpe(value: int | float | str) -> tuple[float, float]:
    """RPE as a number (``8``, ``8.5``) or a range (``"8-9"``), each 1 to 10."""
    if isinstance(value, bool):
        raise ValueError("expected an RPE from 1 to 10, like 8 or 7-8")
    if isinstance(value, int | float):
        low = high = float(value)
    else:
        parts = re.split(r"\s*(?:-|\u2013|to)\s*", value.strip())
        try:
            numbers = [float(p) for p in parts]
        except ValueError:
            raise ValueError(
                f"expected an RPE from 1 to 10, like 8 or 7-8, got {shown(value)}"
            ) from None
        if len(numbers) not in (1, 2):
            raise ValueError(f"expected an RPE from 1 to 10, like 8 or 7-8, got {shown(value)}")
        low, high = numbers[0], numbers[-1]
    if not (1 <= low <= 10 and 1 <= high <= 10):
        raise ValueError(f"RPE must be between 1 and 10, got {shown(value)}")
    if low > high:
        raise ValueError(f"a range goes from low to high, got {shown(value)}")
    return low, high


_PACE = re.compile(r"^(\d{1,2}):(\d{2})\s*(?:-|\u2013|to)\s*(\d{1,2}):(\d{2})\s*/\s*(km|mi)$")


def parse_pace(text: str) -> tuple[int, int, Literal["km", "mi"]]:
    """A pace range ``5:00-5:30/km`` as (fast seconds, slow seconds, unit)."""
    match = _PACE.match(text.strip().lower())
    if not match:
        raise ValueError(f"expected a pace range like 5:00-5:30/km, got {shown(text)}")
    m1, s1, m2, s2, unit = match.groups()
    first, second = int(m1) * 60 + int(s1), int(m2) * 60 + int(s2)
    if first == 0 or second == 0:
        raise ValueError(f"a pace must be slower than 0:00, got {shown(text)}")
    fast, slow = min(first, second), max(first, second)
    return fast, slow, "km" if unit == "km" else "mi"


@dataclass(frozen=True, slots=True)
class Span:
    """A duration (whole seconds) or a distance (metres) as written: ``30s``, or a range
    ``20-30s``, ``2-3min``, ``20-40m``, whose top ``high`` is what a watch counts."""

    kind: Literal["time", "distance"]
    low: float
    high: float

    @property
    def is_range(self) -> bool:
        return self.low != self.high

    @property
    def seconds(self) -> int:
        return int(self.high)

    def __str__(self) -> str:
        top, bottom = self._spell(self.high), self._spell(self.low)
        if not self.is_range:
            return top
        unit = re.sub(r"^[\d.]+", "", top)
        if unit and re.fullmatch(r"[a-z]+", unit) and re.sub(r"^[\d.]+", "", bottom) == unit:
            return f"{bottom[: -len(unit)]}-{top}"  # 20-30s, 2-3min, 20-40m
        return f"{bottom}-{top}"

    def _spell(self, value: float) -> str:
        return format_duration(int(value)) if self.kind == "time" else format_distance(value)


def _span(
    text: str | int | float, one: Callable[[str | int | float], float]
) -> tuple[float, float]:
    pair = split_range(text) if isinstance(text, str) else None
    if pair is None:
        value = one(text)
        return value, value
    low, high = one(pair[0]), one(pair[1])
    if low > high:
        raise ValueError(f"a range goes from low to high, got {shown(text)}")
    return low, high


def parse_duration_span(text: str | int | float) -> Span:
    """A duration or a range of them: ``45s``, ``20-30s``, ``2-3min``, ``30s-1min``."""
    return Span("time", *_span(text, parse_duration))


def parse_distance_span(text: str) -> Span | None:
    """A distance or a range of them (``20m``, ``20-40m``); None when the text is neither."""

    def one(part: str | int | float) -> float:
        meters = parse_distance(str(part))
        if meters is None:
            raise ValueError(f"expected a distance like 20m, got {shown(part)}")
        return meters

    pair = split_range(text)
    if pair is None and parse_distance(text) is None:
        return None
    if pair is not None and parse_distance(pair[1]) is None:
        return None
    return Span("distance", *_span(text, one))


@dataclass(frozen=True, slots=True)
class Amrap:
    """As many reps as possible: ``AMRAP`` or ``max`` (no floor), ``5+`` (at least 5)."""

    at_least: int = 0

    def __str__(self) -> str:
        return f"{self.at_least}+" if self.at_least else "AMRAP"

    @property
    def text(self) -> str:
        """What the notes say: ``AMRAP``, ``5+ reps``."""
        return f"{self.at_least}+ reps" if self.at_least else "AMRAP"


AMRAP_WORDS = ("amrap", "max")
_AT_LEAST = re.compile(r"^(\d+)\s*\+$")


def parse_reps(value: int | str) -> Range | Amrap:
    """Reps as written: ``8``, ``5-6``, ``AMRAP`` / ``max``, ``5+`` (at least 5)."""
    if isinstance(value, str):
        text = value.strip().lower()
        if text in AMRAP_WORDS:
            return Amrap()
        at_least = _AT_LEAST.match(text)
        if at_least:
            floor = int(at_least.group(1))
            if not 1 <= floor <= 999:
                raise ValueError(f"reps must be between 1 and 999, got {shown(value)}")
            return Amrap(floor)
        if text and not text[0].isdigit():
            close = difflib.get_close_matches(text, AMRAP_WORDS, n=1, cutoff=0.5)
            hint = f": did you mean {'AMRAP' if close == ['amrap'] else 'max'}?" if close else ""
            raise ValueError(
                f"expected reps as a whole number, a range like 5-6, AMRAP, max or 5+ "
                f"(at least 5), got {shown(value)}{hint}"
            )
    return parse_range(value, what="reps", low=1, high=999)
