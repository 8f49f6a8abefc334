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
from dataclasses import replace
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
    """Values that validate but no target can hold once resolved (a % 1RM past 655 kg).

    ``problems`` pairs each with the step it concerns, so that the caller can locate it.
    """

    def __init__(self, problems: list[tuple[Exercise, str]]) -> None:
        super().__init__("; ".join(message for _, message in problems))
        self.problems = problems


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "workout"


class _Lowering:
    def __init__(self, workout: Workout, profile: Profile | None) -> None:
        self.workout = workout
        self.fidelity: list[str] = []
        self.problems: list[tuple[Exercise, str]] = []
        self.maxes: dict[str, units.Load] = {}
        self.has_profile = profile is not None
        if profile:
            for name, load in profile.one_rep_max.items():
                self.maxes[catalogue().resolve(name).id] = load

    def note(self, text: str) -> None:
        if text not in self.fidelity:
            self.fidelity.append(text)

    def items(self) -> list[Item]:
        out: list[Item] = []
        for step in self.workout.steps:
            if isinstance(step, Exercise):
                sets = step.sets or self.workout.sets
                rest = step.rest if step.rest is not None else self.workout.rest
                if sets > 1 and step.rest is None and "rest" not in self.workout.model_fields_set:
                    self.note(
                        f"{catalogue().resolve(step.exercise).name}: {sets} sets and no rest "
                        "written anywhere, so none between them (give rest: 90s, or rest: lap)"
                    )
                out.extend(self.block(sets, [*self.exercise(step), *self.rest(rest)], "sets"))
            elif isinstance(step, Circuit):
                body = step.circuit
                steps: list[Step] = []
                for exercise in body.exercises:
                    steps += self.exercise(exercise)
                    steps += self.rest(exercise.rest or "none")
                rest = body.rest if body.rest is not None else self.workout.rest
                after_round = self.rest(rest)
                steps += after_round
                out.extend(self.block(body.rounds, steps, "circuit", bool(after_round)))
            elif isinstance(step, Repeat):
                steps = []
                for inner in step.steps:
                    if isinstance(inner, Exercise):
                        steps += self.exercise(inner)
                        steps += self.rest(inner.rest or "none")
                    else:
                        steps.append(self.cardio(inner))
                out.extend(self.block(step.repeat, steps, "repeat"))
            else:
                out.append(self.cardio(step))
        return out

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

    @staticmethod
    def rest(rest: int | str) -> list[Step]:
        if rest == "none":
            return []
        if rest == "lap":
            return [Step("rest", Length("open"), role="rest")]
        assert isinstance(rest, int)
        return [Step("rest", Length("time", rest), role="rest")]

    def exercise(self, step: Exercise) -> list[Step]:
        entry = catalogue().resolve(step.exercise)
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
                notes=NOTE_SEPARATOR.join(cue.text for cue in cues) or None,
                side=side,
                cues=cues,
            )

        if step.per_side == "split" or (step.per_side is True and step.hold is not None):
            return [make("left", [Cue("side", "Left")]), make("right", [Cue("side", "Right")])]
        return [make(None, [])]

    def _length(self, step: Exercise, entry: Entry, notes: list[Cue]) -> Length:
        if step.reps is not None:
            if step.reps.is_range:
                notes.append(Cue("reps", f"{step.reps} reps"))
                self.note(
                    f"{entry.name}: rep range {step.reps}: the watch counts {step.reps.high}, "
                    "the range is in the notes"
                )
            if step.per_side is True:
                notes.append(Cue("side", "each side"))
            return Length("reps", step.reps.high)
        if step.hold is not None:
            return Length("time", step.hold)
        if step.per_side is True:
            notes.append(Cue("side", "each side"))
        if step.distance is not None:
            return Length("distance", step.distance)
        return Length("open")

    def _load(
        self, step: Exercise, entry: Entry, notes: list[Cue]
    ) -> tuple[float | None, Literal["kg", "lb"] | None]:
        load = step.load
        if load is None:
            return None, None
        if load.kind == "weight":
            self._check_weight(step, load, f"{load} in {self.workout.name!r}")
            return load.kg, load.unit
        if load.kind == "bodyweight":
            notes.append(Cue("load", "bodyweight"))
            return None, None
        notes.append(Cue("load", str(load)))
        one_rm = self.maxes.get(entry.id)
        if one_rm is None:
            why = (
                f"no 1RM for {entry.name} in the profile"
                if self.has_profile
                else "no profile found: looked for liftfit.yaml beside the workouts, in the "
                "folders above them up to this one, and here (--profile names one)"
            )
            self.note(f"{entry.name}: {load} written to the notes ({why})")
            return None, None
        value = round(one_rm.value * load.value / 100 * 2) / 2
        resolved = units.Load("weight", value, one_rm.unit)
        self._check_weight(step, resolved, f"{load} of a {one_rm} 1RM is {resolved}")
        self.note(f"{entry.name}: {load} resolved to {resolved} from a 1RM of {one_rm}")
        return resolved.kg, resolved.unit

    def _check_weight(self, step: Exercise, load: units.Load, described: str) -> None:
        try:
            units.check_weight(load, described)
        except ValueError as error:
            self.problems.append((step, str(error)))

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
        exercise = None
        if self.workout.sport == "strength" and step.kind in _CARDIO_EXERCISE:
            exercise = catalogue().resolve(_CARDIO_EXERCISE[step.kind])
        return Step(
            _CARDIO_INTENSITY[step.kind],
            length,
            exercise=exercise,
            notes=step.note,
            target=target,
            role="cardio",
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
    steps = [s for item in items for s in (item.steps if isinstance(item, Block) else (item,))]
    named, notes = titles.assign(s.exercise for s in steps if s.exercise is not None)
    for text in notes:
        lowering.note(text)

    def titled(step: Step) -> Step:
        return step if step.exercise is None else replace(step, title=named[step.exercise.id])

    items = [
        replace(item, steps=tuple(titled(s) for s in item.steps))
        if isinstance(item, Block)
        else titled(item)
        for item in items
    ]
    return LoweredWorkout(
        slug=slug or slugify(workout.name),
        name=workout.name,
        description=workout.description,
        sport=workout.sport,
        items=tuple(items),
        fidelity=tuple(lowering.fidelity),
    )
