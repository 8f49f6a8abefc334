"""What the user means: workouts, their steps and the athlete profile, validated once.

The classes mirror the workout file one to one (a YAML key is a field), so that the same
names serve the file format, the Python API and the JSON Schema. They know nothing of FIT.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PlainSerializer,
    PlainValidator,
    Strict,
    Tag,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from liftfit import units
from liftfit.safe import printable, shown
from liftfit.units import Amrap, Load, Range, Span

Count = Annotated[int, Strict()]
"""A whole number written as one: ``true`` is no count (pydantic would read it as 1)."""


def _visible(value: Any) -> Any:
    """A name shown on a watch: some visible text, no control characters or line breaks."""
    if isinstance(value, str):
        if not value.strip():
            raise ValueError("a name needs some visible text")
        if printable(value) != value:
            raise ValueError(
                f"a name cannot hold control characters or line breaks: {shown(value)}"
            )
    return value


DisplayName = Annotated[str, BeforeValidator(_visible)]


def _duration_span(value: Any) -> Span:
    if isinstance(value, Span):
        return value
    if isinstance(value, str | int | float):
        return units.parse_duration_span(value)
    raise ValueError(f"expected {units.DURATION_HELP}, or a range like 20-30s")


HoldValue = Annotated[
    Span,
    PlainValidator(_duration_span),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": ["string", "integer"],
            "description": "a timed set: 45s, 1:30, or a range like 20-30s (the watch times 30s)",
        }
    ),
]


def _rest(value: Any) -> Span | Literal["lap", "none"]:
    if isinstance(value, str) and value.strip().lower() in {"lap", "none"}:
        return "lap" if value.strip().lower() == "lap" else "none"
    if value == 0 and not isinstance(value, bool):
        return "none"
    if value is None:
        return "none"
    try:
        return _duration_span(value)
    except ValueError as error:
        if not str(error).startswith("expected"):
            raise  # a duration, but one out of range: say which limit
        raise ValueError(
            f"expected {units.DURATION_HELP}, a range like 2-3min, lap or none, got {shown(value)}"
        ) from None


RestValue = Annotated[
    Span | Literal["lap", "none"],
    PlainValidator(_rest),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": ["string", "integer"],
            "description": "rest after each set: 90s, 2min, 1:30, a range like 2-3min "
            "(the watch rests 3min), lap (until Lap) or none",
        }
    ),
]


def _sets(what: str) -> Any:
    def parse(value: Any) -> Range:
        if isinstance(value, Range):
            return value
        if isinstance(value, bool):
            raise ValueError(f"expected a whole number, got {str(value).lower()}")
        if isinstance(value, int | str):
            return units.parse_range(value, what=what, low=1, high=50)
        raise ValueError(f"expected {what} as a whole number or a range like 2-3")

    return PlainValidator(parse)


def _count_schema(description: str) -> dict[str, Any]:
    return {
        "anyOf": [
            {"type": "integer", "minimum": 1, "maximum": 50},
            {"type": "string", "pattern": "^\\s*\\d+\\s*(-|\u2013|to)\\s*\\d+\\s*$"},
        ],
        "description": description,
    }


SetsValue = Annotated[
    Range,
    _sets("sets"),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(_count_schema("sets: 3, or a range like 2-3 (the watch does 3)")),
]
RoundsValue = Annotated[
    Range,
    _sets("rounds"),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(_count_schema("rounds: 3, or a range like 2-3 (the watch does 3)")),
]


def _load(value: Any) -> Load:
    if isinstance(value, Load):
        return value
    if isinstance(value, str):
        return units.parse_load(value, bare=True)
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        return Load("weight", float(value), None)  # in the profile's units
    raise ValueError(f"expected {units.LOAD_HELP}")


LoadValue = Annotated[
    Load,
    PlainValidator(_load),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": ["string", "number"],
            "description": "60 kg, 135 lb, bodyweight, 75% 1RM, a range like 60-70 kg or "
            "75-85% 1RM (the watch gets the top), or a number in the profile's units",
        }
    ),
]


def _weight(value: Any) -> Load:
    load = _load(value)
    if load.kind == "weight" and load.unit is None and not load.is_range:
        raise ValueError(f"a load needs its unit: {load} kg or {load} lb")
    if load.kind != "weight" or load.is_range or load.unit is None:
        raise ValueError(f"expected a weight like 140 kg or 300 lb, got {shown(value)}")
    return load


WeightValue = Annotated[
    Load,
    PlainValidator(_weight),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "description": "a weight: 140 kg or 300 lb"}),
]


def _reps(value: Any) -> Range | Amrap:
    if isinstance(value, Range | Amrap):
        return value
    if isinstance(value, int | str) and not isinstance(value, bool):
        return units.parse_reps(value)
    raise ValueError("expected reps as a whole number, a range like 5-6, AMRAP, max or 5+")


RepsValue = Annotated[
    Range | Amrap,
    PlainValidator(_reps),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": ["integer", "string"],
            "description": "reps: 8, a range like 5-6 (the watch counts 6), AMRAP or max "
            "(an open set ended by Lap), or 5+ (at least 5)",
        }
    ),
]


def _rir(value: Any) -> Range:
    if isinstance(value, Range):
        return value
    if isinstance(value, bool):
        raise ValueError(f"expected a whole number, got {str(value).lower()}")
    if isinstance(value, int | str) and not isinstance(value, bool):
        return units.parse_range(value, what="RIR", low=0, high=10)
    raise ValueError("expected reps in reserve as a whole number or a range like 1-2")


RirValue = Annotated[
    Range,
    PlainValidator(_rir),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {"type": ["integer", "string"], "description": "reps in reserve: 2, or a range like 1-2"}
    ),
]


def _rpe(value: Any) -> tuple[float, float]:
    if isinstance(value, tuple):
        return value
    if isinstance(value, int | float | str):
        return units.parse_rpe(value)
    raise ValueError("expected an RPE from 1 to 10, like 8 or 7-8")


def _format_rpe(value: tuple[float, float]) -> str:
    low, high = value
    return f"{low:g}" if low == high else f"{low:g}-{high:g}"


RpeValue = Annotated[
    tuple[float, float],
    PlainValidator(_rpe),
    PlainSerializer(_format_rpe, return_type=str),
    WithJsonSchema({"type": ["number", "string"], "description": "RPE 1-10, or a range like 7-8"}),
]


def _length(value: Any) -> int | float | Literal["lap"]:
    """A cardio step's length: seconds (int), metres (float) or lap."""
    if isinstance(value, str):
        text = value.strip().lower()
        if text in {"lap", "open"}:
            return "lap"
        meters = units.parse_distance(text)
        if meters is not None:
            return meters
    if isinstance(value, str | int) and not isinstance(value, bool):
        try:
            return units.parse_duration(value)
        except ValueError as error:
            if not str(error).startswith("expected"):
                raise  # a time, but one out of range: say which limit
    raise ValueError(
        f"expected a time (10min, 45s, 1:30), a distance (400m, 2km) or lap, got {shown(value)}"
    )


def _format_length(value: int | float | str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        return units.format_distance(value)
    return units.format_duration(value)


CardioLength = Annotated[
    int | float | Literal["lap"],
    PlainValidator(_length),
    PlainSerializer(_format_length, return_type=str),
    WithJsonSchema(
        {
            "type": ["string", "integer"],
            "description": "a time (10min, 45s, 1:30), a distance (400m, 2km) or lap",
        }
    ),
]


def _distance(value: Any) -> Span:
    if isinstance(value, Span):
        return value
    span = units.parse_distance_span(value) if isinstance(value, str) else None
    if span is None:
        raise ValueError(f"expected a distance like 20m, 400m or 2km, got {shown(value)}")
    return span


DistanceValue = Annotated[
    Span,
    PlainValidator(_distance),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {"type": "string", "description": "a distance: 20m, 400m, 2km, 1mi, or a range: 20-40m"}
    ),
]


def _pace(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("expected a pace range like 5:00-5:30/km")
    units.parse_pace(value)
    return value.strip()


PaceValue = Annotated[
    str,
    PlainValidator(_pace),
    WithJsonSchema({"type": "string", "description": "a pace range like 5:00-5:30/km"}),
]


def _per_side(value: Any) -> bool | Literal["split"]:
    if isinstance(value, bool):
        return value
    if value == "split":
        return "split"
    raise ValueError(f"expected true, false or split, got {shown(value)}")


PerSide = Annotated[
    bool | Literal["split"],
    PlainValidator(_per_side),
    WithJsonSchema(
        {
            "enum": [True, False, "split"],
            "description": 'true: one step noted "each side"; split: a left and a right step',
        }
    ),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


# How many unknown exercise names still get "did you mean" suggestions (each costs a fuzzy
# search of 1,846 names): set by ``library.load_library``, so that 3,000 typos are refused in
# a second.
_SUGGESTIONS: ContextVar[list[int] | None] = ContextVar("liftfit_suggestions", default=None)
SUGGESTIONS = 20


@contextmanager
def suggestion_budget(count: int = SUGGESTIONS) -> Iterator[None]:
    """Within this block, only the first ``count`` unknown names get suggestions."""
    token = _SUGGESTIONS.set([count])
    try:
        yield
    finally:
        _SUGGESTIONS.reset(token)


def _known_exercise(name: str) -> str:
    from liftfit.catalogue import catalogue

    if "/" in name and not all(part.strip() for part in name.split("/")):
        raise ValueError(
            f"expected category/name, like squat/goblet_squat (or squat/any), got {shown(name)}"
        )
    if catalogue().find(name) is None:
        budget = _SUGGESTIONS.get()
        if budget is not None and budget[0] <= 0:
            raise ValueError(f"unknown exercise {shown(name)} (see `liftfit exercises`)")
        if budget is not None:
            budget[0] -= 1
        catalogue().resolve(name)
    return name


_TARGETS = ("reps", "hold", "distance")


def _targets(step: Any) -> list[str]:
    """What a set is given as: reps, hold, distance, open (one is right)."""
    given = [name for name in _TARGETS if getattr(step, name) is not None]
    return [*given, "open"] if step.open else given


def _one_target(given: list[str]) -> None:
    if len(given) > 1:
        raise ValueError(
            f"{' and '.join(given)} given: a set is either reps, a hold, a distance or open"
        )
    if not given:
        raise ValueError("nothing to do: give reps, hold (a timed set), distance or open: true")


def _sets_kind(value: Any) -> str:
    return "ramp" if isinstance(value, list) else "count"


class _SetKeys(_Strict):
    """What a set is (reps, a hold, a distance or open) and how it is done: the keys an
    exercise and each set of its ramp share."""

    reps: RepsValue | None = None
    hold: HoldValue | None = Field(None, description="a timed set instead of reps")
    distance: DistanceValue | None = Field(None, description="a set over a distance: 20m")
    open: bool = Field(False, description="the set ends when Lap is pressed")
    load: LoadValue | None = None
    rpe: RpeValue | None = None
    rir: RirValue | None = Field(None, description="reps in reserve: 2, or a range like 1-2")
    tempo: str | None = Field(None, max_length=20, description='e.g. "3-1-1" or "31X0"')
    rest: RestValue | None = Field(None, description="rest after each set (default: the workout's)")
    note: str | None = None
    intensity: Literal["active", "warmup", "cooldown"] = Field(
        "active", description="warmup: a warm-up set, shown as one on the watch"
    )


SET_KEYS = tuple(_SetKeys.model_fields)  # what one set is done with, in an entry or a ramp


class RampSet(_SetKeys):
    """One set of a ramp (``sets: [{reps: 5, load: 50% 1RM, intensity: warmup}, …]``): the
    exercise's own keys for ``count`` sets, anything not given taken from the exercise."""

    count: SetsValue = Field(Range(1, 1), description="how many sets like this")


class Exercise(_SetKeys):
    """One exercise done for sets of reps, a timed hold, or until Lap is pressed; ``sets`` may
    be a list of sets that differ (a ramp), each like a separate entry of the exercise."""

    exercise: str = Field(description="catalogue name, id or alias (see `liftfit exercises`)")
    sets: (
        Annotated[
            Annotated[SetsValue, Tag("count")] | Annotated[list[RampSet], Tag("ramp")],
            Discriminator(_sets_kind),
        ]
        | None
    ) = Field(None, description="sets (default: the workout's), or a ramp: a list of sets")
    per_side: PerSide = False

    @field_validator("exercise")
    @classmethod
    def _exercise_known(cls, value: str) -> str:
        return _known_exercise(value)

    @field_validator("sets")
    @classmethod
    def _ramp_not_empty(cls, sets: Any) -> Any:
        if isinstance(sets, list) and not sets:
            raise ValueError("a ramp needs at least one set")
        return sets

    @model_validator(mode="after")
    def _one_target(self) -> Exercise:
        if not isinstance(self.sets, list):
            _one_target(_targets(self))
            return self
        for ramp in self.sets:
            _one_target(_targets(ramp) or _targets(self))
        return self

    def entries(self) -> list[Exercise]:
        """The exercise as separate entries: itself, or one per set of its ramp, each with the
        ramp's keys over the exercise's own (a ramp set's reps replace the exercise's hold)."""
        if not isinstance(self.sets, list):
            return [self]
        out = []
        for ramp in self.sets:
            update = {key: getattr(ramp, key) for key in ramp.model_fields_set if key != "count"}
            if _targets(ramp):
                update = {**dict.fromkeys(_TARGETS), "open": False, **update}
            out.append(self.model_copy(update={**update, "sets": ramp.count}))
        return out


def keys_in_order(model: type[BaseModel]) -> list[str]:
    """A model's keys, its own before those it inherits (``exercise, sets, …, reps, hold``)."""
    keys: dict[str, None] = {}
    for cls in model.__mro__:
        for name in inspect.get_annotations(cls):
            if name in model.model_fields:
                keys.setdefault(name)
    return list(keys)


def _without_sets(schema: dict[str, Any]) -> None:
    schema["properties"].pop("sets", None)


class BlockExercise(Exercise):
    """An exercise inside a circuit or repeat: done once per round, so it has no sets."""

    model_config = ConfigDict(json_schema_extra=_without_sets)

    @field_validator("sets")
    @classmethod
    def _no_sets(cls, sets: int | None) -> int | None:
        if sets is not None:
            raise ValueError("sets have no meaning inside a circuit or repeat: use rounds")
        return sets


class CircuitRounds(_Strict):
    """Exercises done back to back, with rest after each round."""

    rounds: RoundsValue
    rest: RestValue | None = Field(
        None, description="rest after each round (default: the workout's)"
    )
    exercises: list[BlockExercise] = Field(min_length=1)


class Circuit(_Strict):
    circuit: CircuitRounds


class _Cardio(_Strict):
    note: str | None = None
    hr_zone: Count | None = Field(None, ge=1, le=5, description="heart-rate zone 1-5")
    pace: PaceValue | None = None

    @model_validator(mode="after")
    def _one_target(self) -> _Cardio:
        if self.hr_zone is not None and self.pace is not None:
            raise ValueError("hr_zone and pace both given: a step has one target")
        return self

    @property
    def kind(self) -> Literal["warmup", "cooldown", "run", "recover"]:
        raise NotImplementedError

    @property
    def length(self) -> int | float | Literal["lap"]:
        value: int | float | Literal["lap"] = getattr(self, self.kind)
        return value


class Warmup(_Cardio):
    warmup: CardioLength

    @property
    def kind(self) -> Literal["warmup"]:
        return "warmup"


class Cooldown(_Cardio):
    cooldown: CardioLength

    @property
    def kind(self) -> Literal["cooldown"]:
        return "cooldown"


class Run(_Cardio):
    run: CardioLength

    @property
    def kind(self) -> Literal["run"]:
        return "run"


class Recover(_Cardio):
    recover: CardioLength

    @property
    def kind(self) -> Literal["recover"]:
        return "recover"


CardioStep = Warmup | Cooldown | Run | Recover

STEP_KEYS = ("exercise", "circuit", "repeat", "warmup", "cooldown", "run", "recover")
STEP_KINDS = ", ".join(STEP_KEYS)


def _step_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        present = [key for key in STEP_KEYS if key in value]
        return present[0] if len(present) == 1 else None
    if isinstance(value, BaseModel):
        for key in STEP_KEYS:
            if key in type(value).model_fields:
                return key
    return None


_STEP_ERROR = {
    "custom_error_type": "step_kind",
    "custom_error_message": f"a step needs exactly one of: {STEP_KINDS}",
}


class Repeat(_Strict):
    """Steps repeated as a block (strides: run 20 s, recover 60 s, × 6)."""

    repeat: Count = Field(ge=1, le=99, description="how many times")
    steps: list[
        Annotated[
            Annotated[BlockExercise, Tag("exercise")]
            | Annotated[Warmup, Tag("warmup")]
            | Annotated[Cooldown, Tag("cooldown")]
            | Annotated[Run, Tag("run")]
            | Annotated[Recover, Tag("recover")],
            Discriminator(_step_kind, **_STEP_ERROR),
        ]
    ] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _no_nesting(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for step in data.get("steps") or []:
                if isinstance(step, dict) and ("repeat" in step or "circuit" in step):
                    raise ValueError(
                        "a repeat cannot hold a repeat or a circuit (watches don't nest repeats)"
                    )
        return data


Step = Annotated[
    Annotated[Exercise, Tag("exercise")]
    | Annotated[Circuit, Tag("circuit")]
    | Annotated[Repeat, Tag("repeat")]
    | Annotated[Warmup, Tag("warmup")]
    | Annotated[Cooldown, Tag("cooldown")]
    | Annotated[Run, Tag("run")]
    | Annotated[Recover, Tag("recover")],
    Discriminator(_step_kind, **_STEP_ERROR),
]


class Workout(_Strict):
    """A workout as the user wrote it."""

    name: DisplayName = Field(min_length=1, max_length=100)
    description: str | None = None
    sport: Literal["strength", "run"] = "strength"
    sets: SetsValue = Field(Range(1, 1), description="default sets for every exercise")
    rest: RestValue = Field("none", description="default rest after each set")
    steps: list[Step] = Field(min_length=1)

    def exercises(self) -> Iterator[Exercise]:
        """Every exercise entry: a ramp's sets one by one, circuits' and repeats' too."""
        for step in self.steps:
            if isinstance(step, Exercise):
                yield from step.entries()
            elif isinstance(step, Circuit):
                yield from step.circuit.exercises
            elif isinstance(step, Repeat):
                yield from (s for s in step.steps if isinstance(s, Exercise))


class Profile(_Strict):
    """The athlete: units, one-rep maxes for % 1RM loads, and the plates they load with."""

    units: Literal["kg", "lb"] | None = Field(
        None,
        description="the unit of loads written without one, and of loads resolved from % 1RM "
        "(default: each 1RM's own unit)",
    )
    round_to: WeightValue | None = Field(
        None,
        description="resolved loads are rounded to a multiple of this: what the plates allow "
        "(default: 2.5 kg, or 5 lb for loads in lb)",
    )
    one_rep_max: dict[str, WeightValue] = Field(
        default_factory=dict, description="exercise → 1RM, e.g. back squat: 140 kg"
    )

    @field_validator("one_rep_max")
    @classmethod
    def _exercises_known(cls, maxes: dict[str, Load]) -> dict[str, Load]:
        from liftfit.catalogue import catalogue

        first: dict[str, str] = {}
        for name in maxes:
            _known_exercise(name)
            entry = catalogue().resolve(name)
            if entry.id in first:
                raise ValueError(
                    f"{shown(name)} and {shown(first[entry.id])} are both {entry.name}: "
                    "give its 1RM once"
                )
            first[entry.id] = name
        return maxes
