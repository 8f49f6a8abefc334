"""The step program every exporter encodes: flat steps and repeat blocks, all values resolved.

Lowering (``liftfit.lowering``) is the only producer. Exporters read it and never re-decide
sets, sides, rest or notes.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any, Literal, NamedTuple

from liftfit.catalogue import Entry

Intensity = Literal["active", "rest", "warmup", "cooldown", "recovery", "interval"]
DurationKind = Literal["time", "distance", "reps", "open"]


# The records are named tuples: immutable, and made by tuple.__new__, a third of what a frozen
# dataclass's __init__ costs (one object.__setattr__ per field); lowering makes a dozen a
# workout. Their repr is a dataclass's, "Step(intensity='active', length=Length(...), ...)":
# the FIT serial number is a checksum of the lowered workout's repr.


def _hiding[C: type[tuple[Any, ...]]](*hidden: str) -> Callable[[C], C]:
    """The record's repr without the fields ``hidden``, as a dataclass with ``repr=False`` on
    them writes it."""

    def hide(cls: C) -> C:
        fields: tuple[str, ...] = cls._fields  # type: ignore[attr-defined]
        shown = [i for i, name in enumerate(fields) if name not in hidden]
        layout = f"{cls.__name__}(" + ", ".join(f"{fields[i]}=%r" for i in shown) + ")"
        values = operator.itemgetter(*shown)

        def __repr__(self: tuple[Any, ...]) -> str:
            text: str = layout % values(self)
            return text

        cls.__repr__ = __repr__  # type: ignore[assignment, method-assign]
        return cls

    return hide


class Length(NamedTuple):
    """How a step ends: after seconds, metres or reps, or when Lap is pressed."""

    kind: DurationKind
    value: float = 0

    @property
    def seconds(self) -> int:
        return int(self.value) if self.kind == "time" else 0


class Target(NamedTuple):
    """A cardio target: a heart-rate zone, or a speed range in m/s."""

    kind: Literal["hr_zone", "speed"]
    zone: int = 0
    low: float = 0.0
    high: float = 0.0


class Title(NamedTuple):
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


class Cue(NamedTuple):
    """One part of a step's notes, with what it is, for renderers that lay them out apart
    (the HTML cards); ``Step.notes`` is these texts joined, in this order."""

    kind: CueKind
    text: str


@_hiding("cues")
class Step(NamedTuple):
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
    cues: tuple[Cue, ...] = ()


@_hiding("round_rest")
class Block(NamedTuple):
    """Steps done ``count`` times: the sets of one exercise, a circuit's rounds, a repeat."""

    # Over tuple's count method, on purpose: the name is in the repr the serial number sums.
    count: int  # type: ignore[assignment]
    steps: tuple[Step, ...]
    kind: Literal["sets", "circuit", "repeat"] = "sets"
    # A circuit whose last step is the rest after each round (not its last exercise's own
    # rest). Out of the repr: the FIT file, whose serial number is a checksum of it, is the same.
    round_rest: bool = False


Item = Step | Block


class LoweredWorkout(NamedTuple):
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
