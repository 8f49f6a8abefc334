"""Lowering: a validated workout → the step program every exporter encodes.

This module is the one place that decides how a workout becomes steps:
- sets → a repeat block holding the exercise and its rest, as Garmin Connect encodes them
  (so the last set is followed by rest too); one set → plain steps, no block;
- rest → a timed rest step, an open step for ``lap``, nothing for ``none``;
- per side → ``true``: one step noted "each side", but a hold is a left and a right step,
  each the hold (as Garmin Connect writes a side plank); ``split``: a left and a right step;
- titles → each distinct exercise its own FIT (category, name) pair (``liftfit.titles``);
- RPE, RIR, tempo, rep ranges, unresolved loads and notes → the step's notes text;
- % 1RM → kilograms when the profile has the exercise's 1RM, else notes;
- circuits → one block of exercises with the rest after each round; cardio repeats → a block.
Each degradation is recorded as a fidelity note that ``build`` prints.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from liftfit import titles, units
from liftfit.catalogue import Entry, catalogue
from liftfit.ir import Block, Cue, Intensity, Item, Length, LoweredWorkout, Step, Target
from liftfit.model import (
    CardioStep,
    Circuit,
    Exercise,
    Profile,
    Repeat,
    Workout,
)
from liftfit.units import Range, WeightUnit
from liftfit.yamlread import Loc

NOTE_SEPARATOR = " · "
_CARDIO_INTENSITY: dict[str, Intensity] = {
    "warmup": "warmup",
    "cooldown": "cooldown",
    "run": "active",
    "recover": "recovery",
}
# In a strength workout Garmin Connect gives cardio steps an exercise (warm-up has its own
# category); a run workout's steps carry none.
_CARDIO_EXERCISE = {"warmup": "warm-up", "cooldown": "cool-down", "run": "run"}


class Unrepresentable(ValueError):
    """Values that validate but no target can hold once resolved (a % 1RM past 655 kg), or
    that need a profile the workout is lowered without (a load written without its unit).

    ``problems`` pairs each with the step it concerns and the key under it (``load``, or
    ``sets[2].load`` in a ramp), so that the caller can locate it.
    """

    def __init__(self, problems: list[tuple[Exercise, Loc, str]]) -> None:
        super().__init__("; ".join(message for *_, message in problems))
        self.problems = problems


def _with_cue(step: Step, cue: Cue) -> Step:
    """``step`` with one more cue: a count of sets after the name and side that lead the
    notes, a rest before the user's own note at their end."""
    cues = list(step.cues)
    if cue.kind == "sets":
        leading = [c.kind == "name" or c.text in ("Left", "Right") for c in cues]
        at = leading.index(False) if False in leading else len(cues)
    else:
        at = len(cues) - (1 if cues and cues[-1].kind == "note" else 0)
    cues.insert(at, cue)
    return step._replace(cues=tuple(cues), notes=NOTE_SEPARATOR.join([c.text for c in cues]))


def _rested(
    steps: list[Step], rest: list[Step], after: str = "", *, last_only: bool = False
) -> list[Step]:
    """``steps`` followed by ``rest``; a range of rest (the rest step's cue) also goes into the
    notes of the exercises before it, which COROS rows and the watch's set screen show."""
    written = [cue for step in rest for cue in step.cues if cue.kind == "rest"]
    if not written:
        return [*steps, *rest]
    cue = Cue("rest", written[0].text + after)
    last = max((i for i, s in enumerate(steps) if s.role == "exercise"), default=-1)
    marked = [
        _with_cue(s, cue) if s.role == "exercise" and (not last_only or i == last) else s
        for i, s in enumerate(steps)
    ]
    return [*marked, *rest]


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "workout"


class _Lowering:
    def __init__(self, workout: Workout, profile: Profile | None) -> None:
        self.workout = workout
        self.fidelity: list[str] = []
        self.ranges: list[str] = []
        self.problems: list[tuple[Exercise, Loc, str]] = []
        self.maxes: dict[str, units.Load] = {}
        self.profile = profile
        self.where: tuple[Exercise, Loc] | None = None  # the entry being lowered, for problems
        self.entries: dict[str, Entry] = {}
        if profile:
            for name, load in profile.one_rep_max.items():
                self.maxes[catalogue().resolve(name).id] = load
        # Each distinct exercise's FIT title, worked out before the steps are made.
        self.titles, self.title_notes = titles.assign(self._entries())

    def _entries(self) -> Iterator[Entry]:
        """The exercises of the workout's steps, in the order its steps will have them."""
        for step in self.workout.steps:
            if isinstance(step, Exercise | Circuit):
                each = step.entries() if isinstance(step, Exercise) else step.circuit.exercises
                for exercise in each:
                    yield self.entry(exercise.exercise)
            else:
                for inner in step.steps if isinstance(step, Repeat) else [step]:
                    entry = (
                        self.entry(inner.exercise)
                        if isinstance(inner, Exercise)
                        else self._cardio_exercise(inner)
                    )
                    if entry is not None:
                        yield entry

    def entry(self, name: str) -> Entry:
        """The catalogue entry of a name, looked up once per lowering."""
        found = self.entries.get(name)
        if found is None:
            found = self.entries[name] = catalogue().resolve(name)
        return found

    def _cardio_exercise(self, step: CardioStep) -> Entry | None:
        if self.workout.sport == "strength" and step.kind in _CARDIO_EXERCISE:
            return self.entry(_CARDIO_EXERCISE[step.kind])
        return None

    def note(self, text: str) -> None:
        if text not in self.fidelity:
            self.fidelity.append(text)

    def range_note(self, text: str) -> None:
        if text not in self.ranges:
            self.ranges.append(text)

    def items(self) -> list[Item]:
        out: list[Item] = []
        for step in self.workout.steps:
            if isinstance(step, Exercise):
                ramp = isinstance(step.sets, list)
                for index, entry in enumerate(step.entries()):
                    self.where = (step, ("sets", index) if ramp else ())
                    out.extend(self.sets(entry, written_rest=step.rest is not None))
            elif isinstance(step, Circuit):
                body = step.circuit
                steps: list[Step] = []
                for exercise in body.exercises:
                    self.where = (exercise, ())
                    steps += _rested(self.exercise(exercise), self.rest(exercise.rest or "none"))
                rest = body.rest if body.rest is not None else self.workout.rest
                after_round = self.rest(rest)
                steps = _rested(steps, after_round, " after each round", last_only=True)
                steps = self.counted(steps, body.rounds, "rounds", "circuit")
                out.extend(self.block(body.rounds.high, steps, "circuit", bool(after_round)))
            elif isinstance(step, Repeat):
                steps = []
                for inner in step.steps:
                    if isinstance(inner, Exercise):
                        self.where = (inner, ())
                        steps += _rested(self.exercise(inner), self.rest(inner.rest or "none"))
                    else:
                        steps.append(self.cardio(inner))
                out.extend(self.block(step.repeat, steps, "repeat"))
            else:
                out.append(self.cardio(step))
        if self.ranges:
            self.note(
                "ranges: the watch gets the top of each, the step notes say the range ("
                + "; ".join(self.ranges)
                + ")"
            )
        return out

    def sets(self, step: Exercise, *, written_rest: bool) -> list[Item]:
        """One entry of an exercise: its sets as a block of the exercise and its rest."""
        sets = step.sets if isinstance(step.sets, Range) else self.workout.sets
        rest = step.rest if step.rest is not None else self.workout.rest
        name = self.entry(step.exercise).name
        unrested = step.rest is None and not written_rest
        if sets.high > 1 and unrested and "rest" not in self.workout.model_fields_set:
            self.note(
                f"{name}: {sets} sets and no rest written anywhere, so none between them "
                "(give rest: 90s, or rest: lap)"
            )
        steps = self.counted(_rested(self.exercise(step), self.rest(rest)), sets, "sets", name)
        return self.block(sets.high, steps, "sets")

    def counted(self, steps: list[Step], count: Range, word: str, name: str) -> list[Step]:
        """``steps`` with "2-3 sets" (or rounds) in the exercises' notes when ``count`` is a
        range: the block repeats the top of it."""
        if not count.is_range:
            return steps
        self.range_note(f"{name} {count} {word}")
        cue = Cue("sets", f"{count} {word}")
        return [step if step.role != "exercise" else _with_cue(step, cue) for step in steps]

    @staticmethod
    def block(
        count: int,
        steps: list[Step],
        kind: Literal["sets", "circuit", "repeat"],
        round_rest: bool = False,
    ) -> list[Item]:
        if count == 1:
            return list(steps)
        return [Block(count, tuple(steps), kind, round_rest)]

    def rest(self, rest: units.Span | str) -> list[Step]:
        if rest == "none":
            return []
        if rest == "lap":
            return [Step("rest", Length("open"), role="rest")]
        assert isinstance(rest, units.Span)
        if not rest.is_range:
            return [Step("rest", Length("time", rest.seconds), role="rest")]
        self.range_note(f"rest {rest}")
        # The range goes to the exercises' notes (``_rested``): rest steps carry no notes on
        # Garmin Connect; the cue tells cards and calendars.
        cue = Cue("rest", f"rest {rest}")
        return [Step("rest", Length("time", rest.seconds), role="rest", cues=(cue,))]

    def exercise(self, step: Exercise) -> list[Step]:
        entry = self.entry(step.exercise)
        notes: list[Cue] = []
        if entry.fit_nearest:
            notes.append(Cue("name", entry.name))
        if entry.like is not None:
            base = catalogue().resolve(entry.like)
            self.note(
                f"{entry.name}: your own exercise, like {base.name}: the watch shows "
                f"{entry.name}; Garmin Connect and COROS get {base.name} with {entry.name} "
                "in the text they show"
            )
        length = self._length(step, entry, notes)
        weight_kg, weight_unit = self._load(step, entry, notes)
        if step.rpe is not None:
            low, high = step.rpe
            notes.append(Cue("rpe", f"RPE {low:g}" if low == high else f"RPE {low:g}-{high:g}"))
            self.note("RPE written to the step notes (no such field on the watch)")
        if step.rir is not None:
            notes.append(Cue("rir", f"RIR {step.rir}"))
            self.note("RIR written to the step notes (no such field on the watch)")
        if step.tempo:
            notes.append(Cue("tempo", f"tempo {step.tempo}"))
            self.note("tempo written to the step notes (no such field on the watch)")
        if step.note:
            notes.append(Cue("note", step.note))

        def make(side: Literal["left", "right"] | None, extra: list[Cue]) -> Step:
            cues = (*extra, *notes)
            return Step(
                step.intensity,
                length,
                exercise=entry,
                weight_kg=weight_kg,
                weight_unit=weight_unit,
                notes=NOTE_SEPARATOR.join([cue.text for cue in cues]) or None,
                side=side,
                title=self.titles[entry.id],
                cues=cues,
            )

        if step.per_side == "split" or (step.per_side is True and step.hold is not None):
            return [make("left", [Cue("side", "Left")]), make("right", [Cue("side", "Right")])]
        return [make(None, [])]

    def _length(self, step: Exercise, entry: Entry, notes: list[Cue]) -> Length:
        if isinstance(step.reps, units.Amrap):
            notes.append(Cue("dose", step.reps.text))
            self.note(
                f"{entry.name}: {step.reps.text}: an open set, ended by Lap, "
                f'"{step.reps.text}" in the notes'
            )
            length = Length("open")
        elif step.reps is not None:
            if step.reps.is_range:
                notes.append(Cue("dose", f"{step.reps} reps"))
                self.range_note(f"{entry.name} {step.reps} reps")
            length = Length("reps", step.reps.high)
        elif step.hold is not None:
            if step.hold.is_range:
                notes.append(Cue("dose", str(step.hold)))
                self.range_note(f"{entry.name} {step.hold}")
            return Length("time", step.hold.seconds)
        elif step.distance is not None:
            if step.distance.is_range:
                notes.append(Cue("dose", str(step.distance)))
                self.range_note(f"{entry.name} {step.distance}")
            length = Length("distance", step.distance.high)
        else:
            length = Length("open")
        if step.per_side is True:
            notes.append(Cue("side", "each side"))
        return length

    def _load(
        self, step: Exercise, entry: Entry, notes: list[Cue]
    ) -> tuple[float | None, Literal["kg", "lb"] | None]:
        load = step.load
        if load is None:
            return None, None
        if load.kind == "bodyweight":
            notes.append(Cue("load", "bodyweight"))
            return None, None
        if load.kind == "weight":
            return self._weight(load, entry, notes)
        notes.append(Cue("load", f"{load.numbers()}% 1RM"))
        one_rm = self.maxes.get(entry.id)
        if one_rm is None:
            why = (
                f"no 1RM for {entry.name} in the profile"
                if self.profile is not None
                else "no profile found: looked for liftfit.yaml beside the workouts, in the "
                "folders above them up to this one, and here (--profile names one)"
            )
            if load.plus:
                notes.append(Cue("load", f"{load.plus:+g} {load.plus_unit}"))
            self.note(f"{entry.name}: {load} written to the notes ({why})")
            return None, None
        assert one_rm.unit is not None
        unit = self.profile.units if self.profile and self.profile.units else one_rm.unit
        base = units.convert(one_rm.value, one_rm.unit, unit)
        share = load.low if load.low is not None else load.value
        resolved = self._plated(load, base * load.value / 100, base * share / 100, unit)
        self._weighed(resolved, f"{load} of a {one_rm} 1RM is {resolved}", notes)
        if resolved.is_range:
            self.range_note(f"{entry.name} {load.numbers()}% 1RM")
        self.note(
            f"{entry.name}: {load} resolved to {resolved} from a 1RM of {one_rm} "
            f"(rounded to {self.plates(unit):g} {unit})"
        )
        return resolved.kg, unit

    def _weight(
        self, load: units.Load, entry: Entry, notes: list[Cue]
    ) -> tuple[float | None, Literal["kg", "lb"] | None]:
        """A written weight: in the profile's units when written without one; with what a plan
        adds, rounded to the plates."""
        unit = load.unit or (self.profile.units if self.profile else None)
        if unit is None:
            self.problem(
                f"{load.numbers()} has no unit: write {load.numbers()} kg or {load.numbers()} "
                "lb, or give the profile (liftfit.yaml) units: kg or units: lb"
            )
            return None, None
        weight = units.Load("weight", load.value, unit, low=load.low)
        if load.plus:
            weight = self._plated(load, load.value, load.low or load.value, unit)
        self._weighed(weight, f"{weight} in {self.workout.name!r}", notes)
        if weight.is_range:
            self.range_note(f"{entry.name} {weight}")
        return weight.kg, unit

    def _plated(self, load: units.Load, high: float, low: float, unit: WeightUnit) -> units.Load:
        """A weight from ``low`` to ``high`` in ``unit``, with what a plan adds to ``load``,
        each end rounded to the plates."""
        added = units.convert(load.plus, load.plus_unit, unit)
        step = self.plates(unit)
        top = units.round_to(high + added, step)
        bottom = units.round_to(low + added, step)
        return units.Load("weight", top, unit, low=bottom if bottom != top else None)

    def _weighed(self, weight: units.Load, described: str, notes: list[Cue]) -> None:
        """Check a step's weight fits the watch; a range of weights goes into its notes."""
        self._check_weight(weight, described)
        if weight.is_range:
            notes.append(Cue("weight", str(weight)))

    def plates(self, unit: Literal["kg", "lb"]) -> float:
        """What resolved loads are rounded to: the profile's ``round_to``, else 2.5 kg / 5 lb."""
        given = self.profile.round_to if self.profile else None
        if given is None or given.unit is None:
            return 2.5 if unit == "kg" else 5.0
        return units.convert(given.value, given.unit, unit)

    def problem(self, message: str) -> None:
        assert self.where is not None
        step, prefix = self.where
        self.problems.append((step, (*prefix, "load"), message))

    def _check_weight(self, load: units.Load, described: str) -> None:
        try:
            units.check_weight(load, described)
        except ValueError as error:
            self.problem(str(error))

    def cardio(self, step: CardioStep) -> Step:
        value = step.length
        if value == "lap":
            length = Length("open")
        elif isinstance(value, float):
            length = Length("distance", value)
        else:
            length = Length("time", value)
        target = None
        if step.hr_zone is not None:
            target = Target("hr_zone", zone=step.hr_zone)
        elif step.pace is not None:
            fast, slow, unit = units.parse_pace(step.pace)
            meters = 1000.0 if unit == "km" else 1609.344
            target = Target("speed", low=meters / slow, high=meters / fast)
        exercise = self._cardio_exercise(step)
        return Step(
            _CARDIO_INTENSITY[step.kind],
            length,
            exercise=exercise,
            notes=step.note,
            target=target,
            role="cardio",
            title=self.titles[exercise.id] if exercise is not None else None,
            cues=(Cue("note", step.note),) if step.note else (),
        )


def lower_workout(
    workout: Workout, *, slug: str | None = None, profile: Profile | None = None
) -> LoweredWorkout:
    """The step program for a workout; % 1RM loads use the profile's one-rep maxes."""
    lowering = _Lowering(workout, profile)
    items = lowering.items()
    if lowering.problems:
        raise Unrepresentable(lowering.problems)
    for text in lowering.title_notes:
        lowering.note(text)
    return LoweredWorkout(
        slug=slug or slugify(workout.name),
        name=workout.name,
        description=workout.description,
        sport=workout.sport,
        items=tuple(items),
        fidelity=tuple(lowering.fidelity),
    )
