"""The whole import: the file's units as a workout document, validated, lowered again and
compared, with the notes on what will differ."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from liftfit import fitread, fittext
from liftfit.errors import InvalidInput, Problem
from liftfit.fitread import FitStep, FitWorkoutFile
from liftfit.importer.common import _MAX_NAME, _SPORT_RUNNING, _SPORT_TRAINING, _one_line, _Unit
from liftfit.importer.differences import _Differences, predicted_steps
from liftfit.importer.steps import _Steps
from liftfit.importer.yamltext import workout_yaml
from liftfit.lowering import lower_workout
from liftfit.model import Workout
from liftfit.safe import clip
from liftfit.yamlread import render_loc


@dataclass(frozen=True)
class Imported:
    """A FIT workout read back as a workout file, and what will differ when it is built."""

    source: str
    workout: dict[str, Any]  # the workout file's data, keys in the format's order
    notes: tuple[str, ...]  # one line per change: what comes back different, and why
    step_map: tuple[int | None, ...]  # the file's step i → its position when built (None: gone)
    steps: tuple[FitStep, ...]  # the raw steps ``liftfit build`` will write for ``workout``

    def yaml_text(self) -> str:
        """The workout file, as YAML a person would write (block style, the format's order)."""
        header = f"# Imported from {_one_line(Path(self.source).name)} by liftfit import.\n"
        return header + workout_yaml(self.workout)


def import_fit(data: bytes, source: str) -> Imported:
    """Read FIT bytes and import the workout; damaged files raise ``InvalidInput``, one line."""
    return import_workout(fitread.read_fit_workout(data, source))


def import_workout(fit: FitWorkoutFile) -> Imported:
    """The workout file for a FIT workout, with a note for every step that will differ."""
    return _Importer(fit).run()


@dataclass
class _Importer(_Steps, _Differences):
    """One import: every stage over the same file."""

    fit: FitWorkoutFile
    reasons: dict[tuple[int, str], str] = field(default_factory=dict)
    events: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.steps = list(self.fit.steps)
        self.sport = self._sport()
        self.label = [fittext.step_label(self.fit, step) for step in self.steps]

    # -- the whole workout

    def run(self) -> Imported:
        units_ = list(self._units(self._structure()))
        if not units_:
            raise InvalidInput(
                [Problem(self.fit.source, "nothing to import: the file holds only repeat steps")]
            )
        document = self._document(units_)
        try:
            workout = Workout.model_validate(document)
        except ValidationError as error:
            raise InvalidInput(
                [
                    Problem(
                        self.fit.source,
                        f"holds a value liftfit cannot take: {render_loc(tuple(item['loc']))}: "
                        f"{clip(item['msg'].removeprefix('Value error, '), 160)}",
                    )
                    for item in error.errors()
                ]
            ) from None
        lowered = lower_workout(workout)
        predicted = predicted_steps(lowered)
        layout = [pos for unit in units_ for pos in unit.layout]
        step_map: list[int | None] = [None] * len(self.steps)
        for index, pos in enumerate(layout):
            if pos is not None and step_map[pos] is None:
                step_map[pos] = index
        notes = [*self._header_notes(lowered, len(predicted)), *self.events]
        if len(layout) == len(predicted):
            notes += self._step_notes(predicted, step_map)
        else:  # a bug in the importer; say so rather than compare the wrong steps
            notes.append(
                f"the workout comes back with {len(predicted)} steps in a different layout "
                "than announced (please report it)"
            )
        if len(predicted) > 50:
            notes.append(
                f"{len(predicted)} steps, more than Garmin Connect's 50: "
                f"build it with --max-steps {len(predicted)}"
            )
        return Imported(
            source=self.fit.source,
            workout=document,
            notes=tuple(notes),
            step_map=tuple(step_map),
            steps=tuple(predicted),
        )

    def _sport(self) -> Literal["strength", "run"]:
        sport = self.fit.sport
        has_exercises = any(s.exercise is not None and not s.is_repeat for s in self.fit.steps)
        if sport == _SPORT_RUNNING:
            return "run"
        if sport == _SPORT_TRAINING:
            return "strength"
        chosen: Literal["strength", "run"] = "strength" if has_exercises else "run"
        what = fittext.sport_name(sport) or (f"sport {sport}" if sport is not None else None)
        self.events.append(
            f"the file's sport is {what or 'not set'}: written as a {chosen} workout "
            "(the format has strength and run)"
        )
        return chosen

    def _document(self, units_: list[_Unit]) -> dict[str, Any]:
        name = (self.fit.name or "").strip() or Path(self.fit.source).stem.strip() or "Imported"
        if len(name) > _MAX_NAME:
            name = name[:_MAX_NAME].rstrip()
        document: dict[str, Any] = {"name": name, "sport": self.sport}
        sets, rest = self._defaults(units_)
        if sets != 1:
            document["sets"] = sets
        if rest != "none":
            document["rest"] = rest
        steps = []
        for unit in units_:
            step = dict(unit.step)
            if unit.role == "exercise":
                if step.get("sets") == sets:
                    del step["sets"]
                if step.get("rest") == rest:
                    del step["rest"]
            elif unit.role == "circuit":
                body = dict(step["circuit"])
                if body.get("rest") == rest:
                    del body["rest"]
                step["circuit"] = body
            steps.append(step)
        document["steps"] = steps
        return document

    @staticmethod
    def _defaults(units_: list[_Unit]) -> tuple[int | str, str]:
        """The workout's ``sets`` and ``rest``: what most exercises share, as a person writes."""
        sets = Counter(u.step["sets"] for u in units_ if u.role == "exercise")
        rests = Counter(u.step["rest"] for u in units_ if u.role == "exercise")
        rests.update(u.step["circuit"]["rest"] for u in units_ if u.role == "circuit")
        common_sets = sets.most_common(1)
        common_rest = rests.most_common(1)
        default_sets = common_sets[0][0] if common_sets and common_sets[0][1] >= 2 else 1
        default_rest = common_rest[0][0] if common_rest and common_rest[0][1] >= 2 else "none"
        return default_sets, str(default_rest)  # sets: 3, or a range "1-3"
