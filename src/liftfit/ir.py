"""The step program every exporter encodes: flat steps and repeat blocks, all values resolved.

Lowering (``liftfit.lowering``) is the only producer. Exporters read it and never re-decide
sets, sides, rest or notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from liftfit.catalogue import Entry

Intensity = Literal["active", "rest", "warmup", "cooldown", "recovery", "interval"]
DurationKind = Literal["time", "distance", "reps", "open"]


def _tree[C: type](cls: C) -> C:
    """A record of the lowered tree, whose repr skips dataclasses' guard against cycles
    (``reprlib.recursive_repr``): a tree of frozen records has none, and the guard was a third
    of the FIT serial number's cost, a checksum of the workout's repr."""
    cls.__repr__ = cls.__repr__.__wrapped__  # type: ignore[attr-defined, method-assign]
    return cls


@_tree
@dataclass(frozen=True, slots=True)
class Length:
    """How a step ends: after seconds, metres or reps, or when Lap is pressed."""

    kind: DurationKind
    value: float = 0

    @property
    def seconds(self) -> int:
        return int(self.value) if self.kind == "time" else 0


@_tree
@dataclass(frozen=True, slots=True)
class Target:
    """A cardio target: a heart-rate zone, or a speed range in m/s."""

    kind: Literal["hr_zone", "speed"]
    zone: int = 0
    low: float = 0.0
    high: float = 0.0


@_tree
@dataclass(frozen=True)
class Title:
    """The FIT (category, name) pair a step's exercise is sent as, and the title the watch shows
    for it: lowering gives each distinct exercise of a workout its own pair."""

    category: int
    name: int | None
    text: str


CueKind = Literal[
    "name", "side", "dose", "sets", "load", "weight", "rpe", "rir", "tempo", "rest", "note"
]
"""``dose``: reps, hold or distance when written as a range or AMRAP (``5-6 reps``, ``20-30s``,
``AMRAP``, ``5+ reps``); ``sets``: a range of sets or rounds (``2-3 sets``); ``weight``: a range
of weights, written or resolved from % 1RM (``60-70 kg``); ``rest``: a range of rest, on the
rest step (``rest 2-3min``)."""


@dataclass(frozen=True, slots=True)
class Cue:
    """One part of a step's notes, with what it is, for renderers that lay them out apart
    (the HTML cards); ``Step.notes`` is these texts joined, in this order."""

    kind: CueKind
    text: str


@_tree
@dataclass(frozen=True, slots=True)
class Step:
    intensity: Intensity
    length: Length
    exercise: Entry | None = None
    weight_kg: float | None = None
    weight_unit: Literal["kg", "lb"] | None = None
    notes: str | None = None
    target: Target | None = None
    side: Literal["left", "right"] | None = None
    role: Literal["exercise", "rest", "cardio"] = "exercise"
    title: Title | None = None
    # Kept out of repr: the FIT serial number is a checksum of the repr, and cues add nothing
    # that ``notes`` does not already hold.
    cues: tuple[Cue, ...] = field(default=(), repr=False)


@_tree
@dataclass(frozen=True, slots=True)
class Block:
    """Steps done ``count`` times: the sets of one exercise, a circuit's rounds, a repeat."""

    count: int
    steps: tuple[Step, ...]
    kind: Literal["sets", "circuit", "repeat"] = "sets"
    # A circuit whose last step is the rest after each round (not its last exercise's own
    # rest). Out of the repr: the FIT file, whose serial number is a checksum of it, is the same.
    round_rest: bool = field(default=False, repr=False)


Item = Step | Block


@_tree
@dataclass(frozen=True, slots=True)
class LoweredWorkout:
    slug: str
    name: str
    description: str | None
    sport: Literal["strength", "run"]
    items: tuple[Item, ...]
    fidelity: tuple[str, ...] = ()

    def steps(self) -> list[Step]:
        """Every step in order, a block's steps once."""
        return [
            s for item in self.items for s in (item.steps if isinstance(item, Block) else (item,))
        ]

    @property
    def titles(self) -> list[Title]:
        """The distinct titles of the workout's steps, in order of first use."""
        return list(dict.fromkeys(s.title for s in self.steps() if s.title is not None))

    @property
    def step_count(self) -> int:
        """Steps as a watch counts them: every step plus one per repeat block."""
        return sum(len(item.steps) + 1 if isinstance(item, Block) else 1 for item in self.items)

    def exercises(self) -> list[Entry]:
        """Distinct exercises in order of first use."""
        seen: dict[str, Entry] = {}
        for step in self.steps():
            if step.exercise is not None:
                seen.setdefault(step.exercise.id, step.exercise)
        return list(seen.values())
