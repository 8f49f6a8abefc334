"""What the import's stages share: FIT values, the model's limits, the pieces one stage hands
the next, and small conversions of raw values into what a person writes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from liftfit import units
from liftfit.fitread import FitStep, FitWorkoutFile

YamlStep = dict[str, Any]
Layout = list[int | None]  # for each step the step program will have: the file's step it stands for


# FIT values (FORMATS.md §1)
_INTENSITY = {0: "active", 1: "rest", 2: "warmup", 3: "cooldown", 4: "recovery", 5: "interval"}
_INTENSITY_VALUE = {name: value for value, name in _INTENSITY.items()}
_REST, _WARMUP, _COOLDOWN, _RECOVERY = 1, 2, 3, 4
_TIME, _DISTANCE, _OPEN, _REPEAT, _REPETITION_TIME, _REPS, _TIME_ONLY = 0, 1, 5, 6, 28, 29, 31
_TARGET_SPEED, _TARGET_HR, _TARGET_OPEN = 0, 1, 2
_SPORT_RUNNING, _SPORT_TRAINING, _SUB_SPORT_STRENGTH = 1, 10, 20
_KG, _LB = 1, 2
_UINT32_VALID_MAX = 0xFFFFFFFE

# The model's limits (model.py)
_MAX_SETS = 50
_MAX_REPEAT = 99
_MAX_REPS = 999
_MAX_NAME = 100
_MAX_UNROLLED = 100  # nested repeats are written out only while the workout stays this small

_STEP_FIELDS = tuple(FitStep.__dataclass_fields__)
_TARGET_FIELDS = (
    "target_type",
    "target_value",
    "custom_target_value_low",
    "custom_target_value_high",
)
_COMPARED = tuple(name for name in _STEP_FIELDS if name != "message_index")


# --- the file's shape: steps and repeat blocks ---------------------------------------------


@dataclass
class _Plain:
    pos: int

    @property
    def start(self) -> int:
        return self.pos


@dataclass
class _Group:
    start: int
    repeat: int  # the repeat step's position
    count: int
    children: list[_Plain | _Group]


_Item = _Plain | _Group


@dataclass
class _Token:
    """One model step's worth of the file: an exercise (a left/right pair) and its rest, a
    cardio step, or a rest step with no exercise before it."""

    kind: Literal["exercise", "cardio", "rest"]
    steps: list[int]
    rest: int | None = None
    copy: bool = False  # a written-out copy of a nested repeat's steps

    def layout(self) -> Layout:
        positions = [*self.steps, *([self.rest] if self.rest is not None else [])]
        return [None if self.copy else pos for pos in positions]


@dataclass
class _Unit:
    step: YamlStep
    layout: Layout
    role: Literal["exercise", "circuit", "other"] = "other"


class _State:
    """What every stage of one import reads and writes (``workout._Importer`` sets it up): the
    file and its steps, the sport chosen, each step's label, and the reasons and events the
    notes give."""

    fit: FitWorkoutFile
    reasons: dict[tuple[int, str], str]
    events: list[str]
    steps: list[FitStep]
    sport: Literal["strength", "run"]
    label: list[str]


# --- small conversions ---------------------------------------------------------------------


def _pace(low: int, high: int) -> tuple[str, bool] | None:
    """A speed range (m/s × 1000) as a pace range, exact if lowering gives the same values."""
    best = None
    for unit, meters in (("km", 1000.0), ("mi", 1609.344)):
        slow = round(meters * 1000 / low)
        fast = round(meters * 1000 / high)
        if not (1 <= fast <= 5999 and 1 <= slow <= 5999):
            continue
        text = f"{_clock(min(fast, slow))}-{_clock(max(fast, slow))}/{unit}"
        got_low = round(meters / max(fast, slow) * 1000)
        got_high = round(meters / min(fast, slow) * 1000)
        if max(got_low, got_high) > _UINT32_VALID_MAX:
            continue
        exact = (got_low, got_high) == (low, high)
        if exact:
            return text, True
        best = best or (text, False)
    return best


def _clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def _duration(seconds: int) -> str:
    """``45s``, ``2min``, ``1:30``; ``1:40:00`` from 100 minutes (the parser's clock limit)."""
    if seconds < 6000:
        return units.format_duration(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"


def _distance(centimetres: int) -> str:
    if centimetres % 100_000 == 0:
        return f"{centimetres // 100_000}km"
    return f"{_decimal(centimetres / 100)}m"


def _decimal(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


def _weight_raw(kg: float) -> int:
    return round(round(kg * 100) / 100 * 100)


def _alnum(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def _one_line(text: str) -> str:
    return " ".join(text.split())
