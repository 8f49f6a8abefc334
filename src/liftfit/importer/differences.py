"""What comes back different: the step program lowering gives, as raw FIT values
(``predicted_steps``), compared with the file's steps, one note per change and its reason."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from liftfit import fittext
from liftfit.catalogue import catalogue
from liftfit.exporters.fit import NAME_BYTES, NOTES_BYTES, fit_text
from liftfit.fitread import FitStep
from liftfit.importer.common import (
    _DISTANCE,
    _INTENSITY_VALUE,
    _KG,
    _LB,
    _OPEN,
    _REPEAT,
    _REPS,
    _SPORT_RUNNING,
    _SPORT_TRAINING,
    _SUB_SPORT_STRENGTH,
    _TARGET_FIELDS,
    _TARGET_HR,
    _TARGET_OPEN,
    _TARGET_SPEED,
    _TIME,
    _State,
)
from liftfit.ir import Block, LoweredWorkout
from liftfit.ir import Step as IRStep


def predicted_exercise_steps(workout: LoweredWorkout) -> list[FitStep]:
    """The raw values of a lowered workout's exercise steps, each once (no rest, no repeat)."""
    exercises = [step for step in workout.steps() if step.role == "exercise"]
    return [_raw_step(step, index) for index, step in enumerate(exercises)]


def predicted_steps(workout: LoweredWorkout) -> list[FitStep]:
    """The raw ``workout_step`` values ``exporters.fit`` writes for a lowered workout."""
    out: list[FitStep] = []
    for item in workout.items:
        if isinstance(item, Block):
            first = len(out)
            for step in item.steps:
                out.append(_raw_step(step, len(out)))
            out.append(
                FitStep(
                    message_index=len(out),
                    duration_type=_REPEAT,
                    duration_value=first,
                    target_value=item.count,
                )
            )
        else:
            out.append(_raw_step(item, len(out)))
    return out


def _raw_step(step: IRStep, index: int) -> FitStep:
    length = step.length
    duration: tuple[int, int | None]
    if length.kind == "reps":
        duration = (_REPS, int(length.value))
    elif length.kind == "time":
        duration = (_TIME, round(float(length.value) * 1000))
    elif length.kind == "distance":
        duration = (_DISTANCE, round(float(length.value) * 100))
    else:
        duration = (_OPEN, None)
    target: tuple[int, int, int | None, int | None] = (_TARGET_OPEN, 0, None, None)
    if step.target is not None and step.target.kind == "hr_zone":
        target = (_TARGET_HR, step.target.zone, None, None)
    elif step.target is not None:
        low, high = round(step.target.low * 1000), round(step.target.high * 1000)
        target = (_TARGET_SPEED, 0, low, high)
    weight = unit = None
    if step.weight_kg is not None:
        weight = round(round(step.weight_kg * 100) / 100 * 100)
        unit = _LB if step.weight_unit == "lb" else _KG
    title = step.title
    return FitStep(
        message_index=index,
        duration_type=duration[0],
        duration_value=duration[1],
        target_type=target[0],
        target_value=target[1],
        custom_target_value_low=target[2],
        custom_target_value_high=target[3],
        intensity=_INTENSITY_VALUE[step.intensity],
        notes=fit_text(step.notes, NOTES_BYTES) if step.notes else None,
        exercise_category=title.category if title else None,
        exercise_name=title.name if title else None,
        exercise_weight=weight,
        weight_display_unit=unit,
    )


class _Differences(_State):
    """The notes on what the rebuilt workout changes: the workout's header, then each step."""

    def _header_notes(self, lowered: LoweredWorkout, count: int) -> list[str]:
        notes = []
        name = fit_text(lowered.name, NAME_BYTES)
        if self.fit.name is not None and name != self.fit.name:
            notes.append(f"workout name {self.fit.name!r} → {name!r}")
        elif self.fit.name is None:
            notes.append(f"the file's workout has no name: named {name!r}")
        sub_sport = None if self.sport == "run" else _SUB_SPORT_STRENGTH
        if self.fit.sub_sport != sub_sport and self.fit.sport in (_SPORT_RUNNING, _SPORT_TRAINING):
            was = fittext.sub_sport_name(self.fit.sub_sport) or self.fit.sub_sport
            notes.append(
                f"sub sport {was} → {fittext.sub_sport_name(sub_sport) or 'none'} "
                "(the format's strength workouts are strength training)"
            )
        if self.fit.num_valid_steps is not None and self.fit.num_valid_steps != count:
            notes.append(
                f"num_valid_steps {self.fit.num_valid_steps} → {count} "
                "(liftfit counts every step, repeat steps included)"
            )
        return notes

    def _step_notes(self, predicted: list[FitStep], step_map: list[int | None]) -> list[str]:
        notes = []
        for pos, step in enumerate(self.steps):
            index = step_map[pos]
            here = f"step {pos} ({self.label[pos]})"
            if index is None:
                why = self.reasons.get((pos, "step"))
                notes.append(f"{here}: left out: {why}" if why else f"{here}: left out")
                continue
            new = predicted[index]
            for aspect, before, after in self._changes(step, new, step_map):
                reason = self.reasons.get((pos, aspect))
                line = f"{here}: {aspect} {before} → {after}"
                notes.append(f"{line}: {reason}" if reason else line)
        return notes

    def _changes(
        self, old: FitStep, new: FitStep, step_map: list[int | None]
    ) -> Iterator[tuple[str, str, str]]:
        if old.is_repeat or new.is_repeat:
            start = old.duration_value
            mapped = step_map[start] if start is not None and 0 <= start < len(step_map) else None
            if (old.duration_type, mapped, old.target_value) != (
                new.duration_type,
                new.duration_value,
                new.target_value,
            ):
                yield (
                    "repeat",
                    _quote(fittext.duration_text(old)),
                    _quote(fittext.duration_text(new)),
                )
            extra = [
                name
                for name in ("target_type", "intensity", "wkt_step_name", "notes")
                if getattr(old, name) != getattr(new, name)
            ]
            if extra:
                before = ", ".join(f"{n} {_shown(getattr(old, n))}" for n in extra)
                yield "repeat step", before, "none (as Garmin Connect writes repeat steps)"
            return
        sport = self.fit.sport
        checks: list[tuple[str, tuple[str, ...], Callable[[FitStep], str]]] = [
            ("duration", ("duration_type", "duration_value"), fittext.duration_text),
            (
                "target",
                _TARGET_FIELDS,
                lambda s: fittext.target_text(s, sport) or "none",
            ),
            ("intensity", ("intensity",), lambda s: fittext.intensity_name(s.intensity) or "none"),
            ("exercise", ("exercise_category", "exercise_name"), self._exercise_text),
            ("weight", ("exercise_weight", "weight_display_unit"), _weight_text),
            ("notes", ("notes",), lambda s: _quote(s.notes) if s.notes else "none"),
            ("wkt_step_name", ("wkt_step_name",), lambda s: _shown(s.wkt_step_name)),
        ]
        for aspect, names, text in checks:
            if any(getattr(old, n) != getattr(new, n) for n in names):
                before, after = text(old), text(new)
                if before == after:  # same text, different raw values (e.g. target_value 0)
                    before = _shown([getattr(old, n) for n in names])
                    after = _shown([getattr(new, n) for n in names])
                yield aspect, before, after

    @staticmethod
    def _exercise_text(step: FitStep) -> str:
        pair = step.exercise
        if pair is None:
            return "none"
        entry = catalogue().by_fit(*pair)
        if entry is not None:
            return entry.fit_code
        category = fittext.category_name(pair[0]) or f"category {pair[0]}"
        return f"{category} (no name)" if pair[1] is None else f"{category}/name {pair[1]}"


def _weight_text(step: FitStep) -> str:
    if step.exercise_weight is None:
        return "none"
    text = fittext.weight_text(step)
    if step.weight_display_unit not in (_KG, _LB):
        text += f" (unit {step.weight_display_unit})"
    return text


def _quote(text: str | None, limit: int = 60) -> str:
    if text is None:
        return "none"
    flat = " / ".join(line.strip() for line in text.splitlines() if line.strip())
    if len(flat) > limit:
        flat = flat[: limit - 1].rstrip() + "…"
    return repr(flat)


def _shown(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, str):
        return _quote(value)
    if isinstance(value, list):
        return "/".join(_shown(v) for v in value)
    return str(value)
