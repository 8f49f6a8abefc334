"""Workout variants: what a plan's session and phase change in a workout, applied.

A session sets the sets, reps or load of its day, a phase changes them over weeks (``sets:
+1``, ``reps: -2``, ``load: 90%``, ``load: +2.5 kg``), and the plan or a phase may add load
every week (``each_week: {load: +2.5 kg}``). ``Changes`` holds one day's sum of them and
applies it to a workout, giving a new ``Workout`` named after the changes; warm-up sets
(``intensity: warmup``) are left as written unless the phase or session says ``warmup: true``.
What a plan adds to a load is added by lowering, which rounds the sum to the profile's plates.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from liftfit import units
from liftfit.loader import Source
from liftfit.lowering import slugify
from liftfit.model import SET_KEYS, Circuit, Exercise, Repeat, Workout
from liftfit.units import Amrap, Load, Range, WeightUnit

# FIT's wkt_name: Garmin Connect sizes it 32 bytes, one of them the terminating NUL.
NAME_BYTES = 31
MAX_SETS = 50


@dataclass(frozen=True)
class Changes:
    """What a session and its phase change in a workout. Absolute values win over changes."""

    sets: int | None = None
    sets_delta: int = 0
    reps: Range | None = None
    reps_delta: int = 0
    load: float = 100.0
    plus: float = 0.0  # weight added to every load, in plus_unit
    plus_unit: WeightUnit = "kg"
    warmup: bool = False  # also change warm-up sets

    def normalized(self) -> Changes:
        """One spelling per effect, so that identical variants compare equal."""
        sets, sets_delta = self.sets, self.sets_delta
        if sets is not None:
            sets, sets_delta = _clamp(sets + sets_delta), 0
        reps, reps_delta = self.reps, self.reps_delta
        if reps is not None:
            reps, reps_delta = _shift(reps, reps_delta), 0
        plus = round(self.plus, 2)
        return Changes(
            sets,
            sets_delta,
            reps,
            reps_delta,
            round(self.load, 1),
            plus,
            self.plus_unit if plus else "kg",
            self.warmup,
        )

    @property
    def is_empty(self) -> bool:
        return self.normalized() == Changes(warmup=self.warmup)

    def words(self, *, compact: bool = False) -> list[str]:
        """How the variant differs, for its name: ``["2 sets", "-2 reps", "90% load"]``.

        ``compact`` drops the word "load" (``90%``), for names that must be short.
        """
        out = []
        if self.sets is not None:
            out.append(f"{self.sets} set{'s' if self.sets != 1 else ''}")
        elif self.sets_delta:
            out.append(f"{self.sets_delta:+d} set{'s' if abs(self.sets_delta) != 1 else ''}")
        if self.reps is not None:
            out.append(f"{self.reps} rep{'s' if self.reps.high != 1 else ''}")
        elif self.reps_delta:
            out.append(f"{self.reps_delta:+d} reps")
        if self.load != 100:
            out.append(f"{self.load:g}%" if compact else f"{self.load:g}% load")
        if self.plus:
            out.append(f"{self.plus:+g} {self.plus_unit}")
        return out

    def slug_words(self) -> list[str]:
        out = []
        if self.sets is not None:
            out.append(f"{self.sets}-set{'s' if self.sets != 1 else ''}")
        elif self.sets_delta:
            out.append(
                f"{_signed_word(self.sets_delta)}-set{'s' if abs(self.sets_delta) != 1 else ''}"
            )
        if self.reps is not None:
            out.append(f"{slugify(str(self.reps))}-reps")
        elif self.reps_delta:
            out.append(f"{_signed_word(self.reps_delta)}-reps")
        if self.load != 100:
            out.append(f"load-{slugify(f'{self.load:g}')}")
        if self.plus:
            out.append(f"{_signed_word(self.plus)}-{self.plus_unit}")
        return out

    def apply(self, workout: Workout) -> Workout:
        """The workout with these changes: sets of every exercise and circuit, reps, loads."""
        default = self._sets(workout.sets)
        steps: list[Any] = []
        for step in workout.steps:
            if isinstance(step, Exercise):
                steps.append(self._exercise(step, workout.sets, default))
            elif isinstance(step, Circuit):
                body = step.circuit
                exercises = [e.model_copy(update=self._target(e)) for e in body.exercises]
                body = body.model_copy(
                    update={"rounds": self._sets(body.rounds), "exercises": exercises}
                )
                steps.append(step.model_copy(update={"circuit": body}))
            elif isinstance(step, Repeat):
                inner = [
                    s.model_copy(update=self._target(s)) if isinstance(s, Exercise) else s
                    for s in step.steps
                ]
                steps.append(step.model_copy(update={"steps": inner}))
            else:
                steps.append(step)
        return workout.model_copy(update={"sets": default, "steps": steps})

    def _exercise(self, step: Exercise, sets: Range, default: Range) -> Exercise:
        if isinstance(step.sets, list):
            # Each ramp set as the entry it is lowered as (``Exercise.entries``: its keys over
            # the exercise's), written out in full so that the changes apply to what it does.
            ramp = []
            for item, entry in zip(step.sets, step.entries(), strict=True):
                if self._skips(entry.intensity):
                    ramp.append(item)
                    continue
                filled = item.model_copy(update={k: getattr(entry, k) for k in SET_KEYS})
                update = {**self._target(filled), "count": self._sets(item.count)}
                ramp.append(filled.model_copy(update=update))
            return step.model_copy(update={"sets": ramp})
        own_sets = step.sets or sets
        if self._skips(step.intensity):
            return step if own_sets == default else step.model_copy(update={"sets": own_sets})
        changed = self._sets(own_sets)
        keep = step.sets is not None or changed != default
        return step.model_copy(update={"sets": changed if keep else None, **self._target(step)})

    def _skips(self, intensity: str) -> bool:
        return intensity == "warmup" and not self.warmup

    def _sets(self, sets: Range) -> Range:
        if self.sets is not None:
            return Range(_clamp(self.sets + self.sets_delta), _clamp(self.sets + self.sets_delta))
        return Range(_clamp(sets.low + self.sets_delta), _clamp(sets.high + self.sets_delta))

    def _target(self, step: Any) -> dict[str, Any]:
        if self._skips(step.intensity):
            return {}
        update: dict[str, Any] = {}
        if isinstance(step.reps, Amrap):
            if step.reps.at_least and self.reps_delta and self.reps is None:
                update["reps"] = Amrap(max(1, step.reps.at_least + self.reps_delta))
        elif step.reps is not None and (self.reps is not None or self.reps_delta):
            update["reps"] = _shift(self.reps or step.reps, self.reps_delta)
        if step.load is not None and (self.load != 100 or self.plus):
            update["load"] = _added(_scaled(step.load, self.load), self.plus, self.plus_unit)
        return update


def _clamp(sets: int) -> int:
    return max(1, min(MAX_SETS, sets))


def _shift(reps: Range, delta: int) -> Range:
    return Range(max(1, reps.low + delta), max(1, reps.high + delta))


def _scaled(load: Load, percent: float) -> Load:
    def by(value: float, *, weight: bool) -> float:
        if weight:
            return max(0.5, round(value * percent / 100 * 2) / 2)
        return min(150.0, max(1.0, round(value * percent / 100, 1)))

    if percent == 100 or load.kind == "bodyweight":
        return load
    weight = load.kind == "weight"
    low = by(load.low, weight=weight) if load.low is not None else None
    return Load(load.kind, by(load.value, weight=weight), load.unit, low, load.plus, load.plus_unit)


def _added(load: Load, plus: float, unit: WeightUnit) -> Load:
    if not plus or load.kind == "bodyweight":
        return load
    total = units.convert(load.plus, load.plus_unit, unit) + plus
    return Load(load.kind, load.value, load.unit, load.low, round(total, 2), unit)


def _signed_word(delta: float) -> str:
    return f"{'plus' if delta > 0 else 'minus'}-{slugify(f'{abs(delta):g}')}"


def _fits(text: str) -> bool:
    return len(text.encode("utf-8")) <= NAME_BYTES


def variant_name(base: str, words: list[str], compact: list[str] | None = None) -> str:
    """``"Ingebrigtsen lifting · 2 sets"``, kept within the 31 bytes of a FIT workout name.

    Too long, it drops the base name's last words (the changes are what tell variants apart on
    the watch's list), then tries the ``compact`` spelling of the changes, then that spelling
    without spaces (``+1set, -2reps, +2.5kg``), then drops the last changes. Every cut falls
    between words and leaves no dangling separator ("Session 1 -").
    """
    if not words:
        return base
    spellings = [words] if compact is None else [words, compact]
    spellings.append([word.replace(" ", "") for word in spellings[-1]])
    for spelling in spellings:
        suffix = " · " + ", ".join(spelling)
        kept = base.split() or [base]
        while kept:
            head = _without_separator(" ".join(kept))
            if head and _fits(head + suffix):
                return head + suffix
            kept.pop()
    # No spelling fits whole: drop the last changes of the readable one (with its spaces).
    name = _without_separator((base.split() or [base])[0]) + " · " + ", ".join(spellings[-2])
    while not _fits(name) and " " in name:
        name = _without_separator(name.rsplit(" ", 1)[0])
    return name if _fits(name) else name.encode("utf-8")[:NAME_BYTES].decode("utf-8", "ignore")


def _without_separator(text: str) -> str:
    """``"Session 1 -"`` → ``"Session 1"``: no separator left hanging at the end of a cut."""
    return text.rstrip(" -–—:;,·/|+&")


@dataclass(frozen=True)
class Variant:
    """A workout as one session does it: the workout itself, or a copy with changes applied."""

    source: Source
    base: Source
    changes: Changes
    title: str

    @property
    def slug(self) -> str:
        return self.source.slug

    @property
    def workout(self) -> Workout:
        return self.source.workout


def make_variant(base: Source, changes: Changes) -> Variant:
    if not any(
        e.load is not None and e.load.kind != "bodyweight" for e in base.workout.exercises()
    ):
        changes = replace(changes, load=100.0, plus=0.0)  # nothing to scale or add to
    changes = changes.normalized()
    varied = changes.apply(base.workout)
    if changes.is_empty or varied == base.workout:
        return Variant(base, base, Changes(), base.workout.name)
    words = changes.words()
    prefix = f"Plan variant ({', '.join(words)}). "
    workout = varied.model_copy(
        update={
            "name": variant_name(base.workout.name, words, changes.words(compact=True)),
            "description": prefix + (base.workout.description or ""),
        }
    )
    slug = f"{base.slug}--{'-'.join(changes.slug_words())}"
    title = f"{base.workout.name} · {', '.join(words)}"
    return Variant(
        Source(slug, base.path, workout, base.marks, base.exercises), base, changes, title
    )


def set_counts(workout: Workout) -> str:
    """The working sets of a workout's exercises and circuits: ``3``, ``2-4``, or ``-``."""
    counts: list[Range] = []
    for step in workout.steps:
        if isinstance(step, Exercise):
            for entry in step.entries():
                if entry.intensity != "warmup":  # warm-up sets are no training volume
                    counts.append(entry.sets if isinstance(entry.sets, Range) else workout.sets)
        elif isinstance(step, Circuit):
            counts.append(step.circuit.rounds)
    if not counts:
        return "-"
    low, high = min(c.low for c in counts), max(c.high for c in counts)
    return str(low) if low == high else f"{low}-{high}"
