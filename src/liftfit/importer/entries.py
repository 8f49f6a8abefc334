"""Rebuilding workout entries from the file's steps: exercises (catalogue entry, length, load,
the notes read back), their rest, and cardio steps with their targets."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import ValidationError

from liftfit import fittext, units
from liftfit.catalogue import Entry, catalogue
from liftfit.exporters.fit import NOTES_BYTES
from liftfit.fitread import FitStep
from liftfit.importer.common import (
    _COMPARED,
    _COOLDOWN,
    _DISTANCE,
    _INTENSITY,
    _KG,
    _LB,
    _MAX_REPS,
    _OPEN,
    _RECOVERY,
    _REPETITION_TIME,
    _REPS,
    _REST,
    _TARGET_HR,
    _TARGET_OPEN,
    _TARGET_SPEED,
    _TIME,
    _TIME_ONLY,
    _WARMUP,
    YamlStep,
    _alnum,
    _decimal,
    _distance,
    _duration,
    _pace,
    _State,
    _Token,
    _weight_raw,
)
from liftfit.importer.differences import predicted_exercise_steps
from liftfit.importer.notes import _parse_notes, _side_rest
from liftfit.ir import Block
from liftfit.lowering import NOTE_SEPARATOR, lower_workout
from liftfit.model import Workout


class _Entries(_State):
    """Workout entries from one model step's worth of the file; what changes goes to
    ``reasons``."""

    def _exercise(self, token: _Token, sets: int | None) -> YamlStep:
        """An exercise and its rest; ``sets=None`` inside a circuit or repeat."""
        pos = token.steps[0]
        step = self.steps[pos]
        split = len(token.steps) == 2
        notes = step.notes
        if split:
            notes = _side_rest(notes, "Left")
        parts = notes.split(NOTE_SEPARATOR) if notes else []
        entry, parts, title = self._entry(pos, step, parts)
        length = self._exercise_length(pos, step)
        load = self._load(pos, step)
        base: YamlStep = {"exercise": _exercise_key(entry)}
        if sets is not None:
            base["sets"] = sets
        rest: str = self._rest_value(token.rest) if token.rest is not None else "none"

        def build(fields: YamlStep, note_parts: list[str]) -> YamlStep:
            out = dict(base)
            out.update(fields)
            if load and "load" not in out:
                out["load"] = load
            if split:
                # A hold on each side is two steps either way; `true` is how one writes it.
                out["per_side"] = True if "hold" in out else "split"
            out.setdefault("rest", rest)
            if step.intensity in (_WARMUP, _COOLDOWN):
                out["intensity"] = _INTENSITY[step.intensity]
            note = NOTE_SEPARATOR.join(note_parts)
            if note:
                out["note"] = note
            return _ordered_exercise(out)

        plain = build(length, parts)
        candidates = [plain]
        parsed = _parse_notes(
            parts, length, has_load=load is not None, split=split, sets=sets, rest=rest
        )
        if parsed is not None:
            candidates.insert(0, build(*parsed))
        best, best_diff = plain, None
        for candidate in candidates:
            diff = self._exercise_diff(candidate, token)
            if diff is not None and (best_diff is None or diff < best_diff):
                best, best_diff = candidate, diff
        prefixes = [p for p in (self._step_name(pos, entry.name), title) if p]
        if prefixes:
            best = self._with_prefixes(best, prefixes, token, title and entry.name)
        if token.rest is not None:
            self._reason_rest(token.rest)
        if step.intensity not in (0, None, _WARMUP, _COOLDOWN):
            name = fittext.intensity_name(step.intensity) or f"intensity {step.intensity}"
            why = f"the format has no {name} exercises"
            for p in token.steps:
                self.reasons[(p, "intensity")] = why
        for p in token.steps:
            self.reasons.setdefault(
                (p, "target"), "exercises have no target in the format (cardio steps do)"
            )
        return best

    def _exercise_diff(self, candidate: YamlStep, token: _Token) -> int | None:
        """How many raw values of the token's exercise steps a candidate gets wrong."""
        # Sets and rest as the candidate says when they are ranges (their notes are in the
        # exercise's), else none: the exercise steps alone are compared.
        step = {
            key: value
            for key, value in candidate.items()
            if key not in ("sets", "rest") or "-" in str(value)
        }
        try:
            workout = Workout.model_validate({"name": "x", "sport": self.sport, "steps": [step]})
        except ValidationError:
            return None
        lowered = predicted_exercise_steps(lower_workout(workout))
        if len(lowered) != len(token.steps):
            return None
        wrong = 0
        for got, pos in zip(lowered, token.steps, strict=True):
            want = self.steps[pos]
            wrong += sum(getattr(got, n) != getattr(want, n) for n in _COMPARED)
        return wrong

    def _with_prefixes(
        self, step: YamlStep, prefixes: list[str], token: _Token, retitled: str | None
    ) -> YamlStep:
        """The step with names the format cannot carry leading its note, if the notes fit."""
        note = NOTE_SEPARATOR.join([*prefixes, *([step["note"]] if step.get("note") else [])])
        candidate = _ordered_exercise({**step, "note": note})
        shown = " · ".join(repr(p) for p in prefixes)
        try:
            workout = Workout.model_validate(
                {"name": "x", "sport": self.sport, "steps": [dict(candidate, rest="none")]}
            )
            item = lower_workout(workout).items[0]
        except ValidationError:
            return step
        first = item.steps[0] if isinstance(item, Block) else item
        if len((first.notes or "").encode("utf-8")) > NOTES_BYTES:
            for pos in token.steps:
                self.reasons[(pos, "notes")] = f"{shown} would not fit in the notes too: lost"
            return step
        why = f"{shown} now leads the note"
        if retitled:
            why += f" (liftfit titles the exercise {retitled!r})"
        for pos in token.steps:
            self.reasons[(pos, "notes")] = why
        return candidate

    def _step_name(self, pos: int, shown: str | None) -> str | None:
        """The step's name, when the note should keep it (the format has no step names)."""
        name = self.steps[pos].wkt_step_name
        if name and (shown is None or _alnum(name) != _alnum(shown)):
            self.reasons[(pos, "wkt_step_name")] = "the format has no step names"
            self.reasons[(pos, "notes")] = f"the step name {name!r} now leads the note"
            return name
        if name:
            self.reasons[(pos, "wkt_step_name")] = "the format has no step names"
        return None

    def _entry(
        self, pos: int, step: FitStep, parts: list[str]
    ) -> tuple[Entry, list[str], str | None]:
        """The catalogue entry, the notes' parts still to read, and a title to keep in them."""
        category = step.exercise_category
        name = step.exercise_name
        assert category is not None
        pair = (category, name)
        title = self.fit.titles.get(pair)
        retitled = _retitled(self.fit.titles, pair)
        if retitled is not None:
            if retitled.fit_nearest and parts[:1] == [retitled.name]:
                parts = parts[1:]
            return retitled, parts, None
        siblings = _curated_with(pair)
        if parts:
            for entry in siblings:
                if entry.fit_nearest and entry.name == parts[0]:
                    return entry, parts[1:], None
        found = catalogue().by_fit(category, name)
        if found is not None and found.fit_nearest:
            found = None
        if found is None:
            found = _nearest_exercise(category, name, title)
            shown = title or fittext.exercise_display_name(category, name)
            nearest = found.id if found.category_only and not found.curated else found.fit_code
            self.reasons[(pos, "exercise")] = (
                f"{shown!r} has no exact name in the catalogue; the nearest is {nearest}"
            )
        known = {_alnum(e.name) for e in (found, *siblings)}
        keep = title if title and _alnum(title) not in known else None
        return found, parts, keep

    def _exercise_length(self, pos: int, step: FitStep) -> YamlStep:
        kind, value = step.duration_type, step.duration_value
        if kind == _REPS and value is not None and value >= 1:
            if value > _MAX_REPS:
                self.reasons[(pos, "duration")] = f"the format counts at most {_MAX_REPS} reps"
            return {"reps": min(value, _MAX_REPS)}
        if kind in (_TIME, _REPETITION_TIME, _TIME_ONLY) and value:
            seconds = self._seconds(pos, value)
            if kind != _TIME:
                self.reasons[(pos, "duration")] = "written as a timed set (hold)"
            return {"hold": _duration(seconds)}
        if kind == _DISTANCE and value:
            return {"distance": _distance(value)}
        if kind != _OPEN:
            self.reasons[(pos, "duration")] = (
                "the format ends exercises by reps, time, distance or Lap; written as open"
            )
        return {"open": True}

    def _seconds(self, pos: int, ms: int) -> int:
        seconds = max(1, round(ms / 1000))
        if seconds > units.MAX_SECONDS:
            self.reasons[(pos, "duration")] = "liftfit takes steps of at most 24h"
            return units.MAX_SECONDS
        if seconds * 1000 != ms:
            self.reasons[(pos, "duration")] = "the format counts whole seconds"
        return seconds

    def _load(self, pos: int, step: FitStep) -> str | None:
        raw = step.exercise_weight
        if raw is None:
            return None
        if not 0 < raw < 0xFFFF:
            self.reasons[(pos, "weight")] = f"{raw / 100:g} kg is no load the format can write"
            return None
        if raw / 100 > units.MAX_KG:
            self.reasons[(pos, "weight")] = f"{raw / 100:g} kg: liftfit takes at most 655 kg"
            return None
        if step.weight_display_unit not in (_KG, _LB):
            self.reasons[(pos, "weight")] = "shown in kilograms (the file names no known unit)"
        if step.weight_display_unit == _LB:
            pounds = raw / 100 / units.LB_IN_KG
            for step_size in (0.5, 0.1, 0.01):
                value = round(pounds / step_size) * step_size
                text = _decimal(value)
                if _weight_raw(float(text) * units.LB_IN_KG) == raw:
                    return f"{text} lb"
            self.reasons[(pos, "weight")] = "rounded to 0.01 lb"
            return f"{_decimal(round(pounds, 2))} lb"
        return f"{_decimal(raw / 100)} kg"

    # -- rest and cardio

    def _rest_value(self, pos: int) -> str:
        step = self.steps[pos]
        if step.duration_type == _TIME and step.duration_value:
            return _duration(self._seconds(pos, step.duration_value))
        if step.duration_type != _OPEN:
            self.reasons[(pos, "duration")] = (
                "the format rests for a time or until Lap; written as until Lap"
            )
        return "lap"

    def _reason_rest(self, pos: int) -> None:
        self.reasons[(pos, "notes")] = "rest steps carry no notes in the format"
        self.reasons[(pos, "target")] = "rest steps have no target in the format"
        self.reasons[(pos, "wkt_step_name")] = "rest steps have no names in the format"
        self.reasons[(pos, "exercise")] = "rest steps have no exercise in the format"

    def _cardio(self, pos: int) -> YamlStep:
        step = self.steps[pos]
        intensity = step.intensity
        kind = {_WARMUP: "warmup", _COOLDOWN: "cooldown", _RECOVERY: "recover"}.get(
            intensity or 0, "run"
        )
        if intensity == _REST:
            kind = "recover"
            self.reasons[(pos, "intensity")] = (
                "a rest step with no exercise before it is a recover step in the format"
            )
        elif intensity not in (0, 2, 3, 4, 5, None):
            self.reasons[(pos, "intensity")] = "the format's run steps are active"
        out: YamlStep = {kind: self._cardio_length(pos, step)}
        target = self._target(pos, step)
        out.update(target)
        name = self._step_name(pos, None)
        note = NOTE_SEPARATOR.join(p for p in (name, step.notes) if p)
        if note:
            out["note"] = note
        if self.sport == "strength" and step.exercise is None and kind != "recover":
            self.reasons[(pos, "exercise")] = (
                f"the format gives every {kind} step of a strength workout its exercise"
            )
        elif step.exercise is not None and (kind == "recover" or self.sport == "run"):
            self.reasons[(pos, "exercise")] = f"the format's {kind} steps carry no exercise here"
        return out

    def _cardio_length(self, pos: int, step: FitStep) -> str:
        kind, value = step.duration_type, step.duration_value
        if kind in (_TIME, _REPETITION_TIME, _TIME_ONLY) and value:
            return _duration(self._seconds(pos, value))
        if kind == _DISTANCE and value:
            return _distance(value)
        if kind != _OPEN:
            self.reasons[(pos, "duration")] = (
                "the format ends cardio steps by time, distance or Lap; written as until Lap"
            )
        return "lap"

    def _target(self, pos: int, step: FitStep) -> YamlStep:
        kind, zone = step.target_type, step.target_value
        low, high = step.custom_target_value_low, step.custom_target_value_high
        if kind is None or kind == _TARGET_OPEN:
            return {}
        if kind == _TARGET_HR and zone is not None and 1 <= zone <= 5:
            return {"hr_zone": zone}
        if kind == _TARGET_SPEED and not zone and low and high:
            pace = _pace(low, high)
            if pace is not None:
                text, exact = pace
                if not exact:
                    self.reasons[(pos, "target")] = "the format's paces are whole seconds"
                return {"pace": text}
        self.reasons[(pos, "target")] = (
            "the format's targets are HR zones 1-5 and pace ranges; left out"
        )
        return {}


def _curated_with(pair: tuple[int, int | None]) -> list[Entry]:
    return [e for e in catalogue().curated if (e.fit_category, e.fit_name) == pair]


def _retitled(
    titles: Mapping[tuple[int, int | None], str], pair: tuple[int, int | None]
) -> Entry | None:
    """The exercise a pair's title names when lowering sent it as another name of its category
    because another exercise of the workout has its own pair (so that each exercise has a
    title of its own); None for any other title."""
    title = titles.get(pair)
    found = catalogue().find(title) if title else None
    if found is None:
        return None
    own = (found.fit_category, found.fit_name)
    if found.fit_category != pair[0] or own == pair or own not in titles:
        return None
    return found


def _pair(name: str) -> tuple[int, int | None]:
    entry = catalogue().resolve(name)
    return (entry.fit_category, entry.fit_name)


def _exercise_key(entry: Entry) -> str:
    """How the workout file names the entry: its id, if the catalogue reads it back as such."""
    pair = (entry.fit_category, entry.fit_name)
    for key in (entry.id, entry.fit_code, entry.name):
        found = catalogue().find(key)
        if found is not None and (found is entry or (found.fit_category, found.fit_name) == pair):
            return key
    return entry.id


def _nearest_exercise(category: int, name: int | None, title: str | None) -> Entry:
    """An entry for a FIT exercise the catalogue does not name: by title, else its category
    alone (``category/any``, the category's generic exercise); an unknown category by title,
    else Warm-Up."""
    pool = [e for e in catalogue().curated if not e.fit_nearest] + catalogue().fit_taxonomy
    same = [e for e in pool if e.fit_category == category]
    if title:
        wanted = _alnum(title)
        for entry in same:
            if _alnum(entry.name) == wanted:
                return entry
    if same:
        generic = catalogue().by_fit(category, None)
        if generic is not None:
            return generic
    if title:
        found = catalogue().find(title)
        if found is not None and not found.fit_nearest:
            return found
    return catalogue().resolve("warm-up")


_EXERCISE_KEYS = (
    "exercise",
    "sets",
    "reps",
    "hold",
    "distance",
    "open",
    "per_side",
    "load",
    "rpe",
    "rir",
    "tempo",
    "rest",
    "note",
    "intensity",
)


def _ordered_exercise(step: YamlStep) -> YamlStep:
    return {key: step[key] for key in _EXERCISE_KEYS if key in step}
