"""Importing FIT workouts as workout files: lowering (``liftfit.lowering``) run backwards.

``import_workout`` takes any FIT workout (liftfit's own, Garmin Connect's, a watch's, the SDK's
examples) and gives back the workout file a person would have written for it, so that
``liftfit build`` writes the same steps again. It reads the steps as lowering lays them out:

- a repeat block of one exercise and its rest → ``sets`` and ``rest`` (an open rest →
  ``rest: lap``); of several exercises → a ``circuit``, the block's last rest being the rest
  after the round; of cardio steps → a ``repeat``;
- a left and a right step noted ``Left · …`` / ``Right · …`` → ``per_side: split``;
- the parts lowering writes into notes (``5-6 reps``, ``each side``, ``bodyweight``,
  ``75% 1RM``, ``RPE 8``, ``RIR 2``, ``tempo 3-1-1``) → their fields, but only when lowering
  the result gives back the very same notes; otherwise the notes stay one ``note``;
- the exercise → its curated catalogue id, else its FIT code ``category/name``, with the
  file's own title leading the note when the catalogue names the exercise differently; a
  category alone (no exercise name: Connect's generic exercises) → ``category/any``;
- a weight → its display unit, rounded to what a person types (``25 lb``, ``12.5 kg``);
- warm-up, cool-down, run and recovery steps → cardio steps, with HR-zone or pace targets.

What the format cannot say is kept as close as it can be, and every step that will come back
different is reported: the result is lowered again and each step's raw FIT values are compared
with the file's; ``Imported.notes`` says what changed and why, one line each.
``predicted_steps`` mirrors ``exporters.fit`` for that comparison; the round-trip tests hold
the two together.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import ValidationError

from liftfit import fitread, units
from liftfit.catalogue import Entry, UnknownExercise, catalogue
from liftfit.errors import InvalidInput, Problem
from liftfit.exporters.fit import NAME_BYTES, NOTES_BYTES, fit_text
from liftfit.fitread import FitStep, FitWorkoutFile
from liftfit.ir import Block, LoweredWorkout
from liftfit.ir import Step as IRStep
from liftfit.lowering import NOTE_SEPARATOR, lower_workout
from liftfit.model import Workout
from liftfit.safe import clip
from liftfit.yamlread import render_loc

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

_RANGE_NOTE = re.compile(r"^(\d+)-(\d+) reps$")
_EACH_SIDE = re.compile(r"^(.+) each side$")
_PERCENT_NOTE = re.compile(r"^(\d+(?:\.\d+)?)% 1RM$")
_RPE_NOTE = re.compile(r"^RPE (\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$")
_RIR_NOTE = re.compile(r"^RIR (\d{1,2})$")
_TEMPO_NOTE = re.compile(r"^tempo (\S(?:.{0,18}\S)?)$")


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


def workout_yaml(document: dict[str, Any]) -> str:
    """YAML of a workout document: block style, keys as given, multi-line notes as ``|``."""
    return yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=100,
    )


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, writing multi-line text as a literal block."""


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    if any(char in text for char in _OTHER_LINE_BREAKS):
        style = '"'  # escaped: PyYAML folds a NEL in its other styles into a line break
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_OTHER_LINE_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


_Dumper.add_representer(str, _represent_str)


# --- the step program lowering gives, as raw FIT values ------------------------------------


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


@dataclass
class _Importer:
    fit: FitWorkoutFile
    reasons: dict[tuple[int, str], str] = field(default_factory=dict)
    events: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.steps = list(self.fit.steps)
        self.sport = self._sport()
        self.label = [fitread.step_label(self.fit, step) for step in self.steps]

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
        what = fitread.sport_name(sport) or (f"sport {sport}" if sport is not None else None)
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
    def _defaults(units_: list[_Unit]) -> tuple[int, str]:
        """The workout's ``sets`` and ``rest``: what most exercises share, as a person writes."""
        sets = Counter(u.step["sets"] for u in units_ if u.role == "exercise")
        rests = Counter(u.step["rest"] for u in units_ if u.role == "exercise")
        rests.update(u.step["circuit"]["rest"] for u in units_ if u.role == "circuit")
        common_sets = sets.most_common(1)
        common_rest = rests.most_common(1)
        default_sets = common_sets[0][0] if common_sets and common_sets[0][1] >= 2 else 1
        default_rest = common_rest[0][0] if common_rest and common_rest[0][1] >= 2 else "none"
        return int(default_sets), str(default_rest)

    # -- structure

    def _structure(self) -> list[_Item]:
        """The file's steps as plain steps and repeat blocks (nested ones included)."""
        index_of: dict[int, int] = {}
        in_order = True
        for pos, step in enumerate(self.steps):
            if step.message_index is not None:
                index_of.setdefault(step.message_index, pos)
            in_order = in_order and step.message_index == pos
        if not in_order:
            self.events.append(
                "the file's message indexes are not 0, 1, 2…: steps read in file order"
            )
        items: list[_Item] = []
        for pos, step in enumerate(self.steps):
            if not step.is_repeat:
                items.append(_Plain(pos))
                continue
            group = self._group(pos, step, items, index_of, in_order)
            if group is not None:
                items.append(group)
        return items

    def _group(
        self, pos: int, step: FitStep, items: list[_Item], index_of: dict[int, int], in_order: bool
    ) -> _Group | None:
        """Take the items a repeat step covers off ``items``; None when it cannot be a block."""

        def refuse(why: str) -> _Group | None:
            self.reasons[(pos, "step")] = why
            return None

        if step.duration_type != _REPEAT:
            return refuse("the format repeats a number of times only; the steps are written once")
        value = step.duration_value
        start = value if in_order or value is None else index_of.get(value, value)
        if start is None or not 0 <= start < pos:
            return refuse("it repeats no earlier step")
        first = len(items)
        while first > 0 and items[first - 1].start >= start:
            first -= 1
        covered = items[first:]
        if not covered:
            return refuse("it starts inside the repeat before it (the format cannot nest them)")
        count = step.target_value or 0
        if count < 1:
            return refuse("it gives no number of rounds; the steps are written once")
        if covered[0].start != start:
            self.events.append(
                f"step {pos} ({fitread.duration_text(step)}): it starts inside the repeat "
                f"before it; the block starts at step {covered[0].start}"
            )
        if count > _MAX_REPEAT:
            self.reasons[(pos, "repeat")] = f"the format repeats at most {_MAX_REPEAT} times"
            count = _MAX_REPEAT
        del items[first:]
        return _Group(covered[0].start, pos, count, covered)

    def _flatten(self, items: Iterable[_Item], copy: bool = False) -> Iterator[tuple[int, bool]]:
        """A block's steps in order, nested repeats written out (copies marked)."""
        for item in items:
            if isinstance(item, _Plain):
                yield item.pos, copy
                continue
            body = list(self._flatten(item.children, copy))
            rounds = item.count if len(body) * item.count <= _MAX_UNROLLED else 1
            written = f"written out {rounds} times" if rounds > 1 else "written once"
            self.reasons[(item.repeat, "step")] = (
                f"a repeat inside a repeat (watches do not nest them): steps {item.start}-"
                f"{item.repeat - 1} {written}"
                + (f" instead of {item.count}" if rounds != item.count else "")
            )
            for round_ in range(rounds):
                for pos, was_copy in body:
                    yield pos, was_copy or round_ > 0

    # -- model steps

    def _units(self, items: list[_Item]) -> Iterator[_Unit]:
        flat: list[tuple[int, bool]] = []
        for item in items:
            if isinstance(item, _Plain):
                flat.append((item.pos, False))
                continue
            yield from self._flat_units(flat)
            flat = []
            yield from self._block_units(item)
        yield from self._flat_units(flat)

    def _flat_units(self, steps: list[tuple[int, bool]]) -> Iterator[_Unit]:
        for token in self._tokens(steps):
            if token.kind == "exercise":
                step = self._exercise(token, sets=1)
                yield _Unit(step, token.layout(), "exercise")
            else:
                yield _Unit(self._cardio(token.steps[0]), token.layout())

    def _block_units(self, group: _Group) -> Iterator[_Unit]:
        steps = list(self._flatten(group.children))
        tokens = self._tokens(steps)
        count = group.count
        if count == 1:
            self.reasons[(group.repeat, "step")] = "1 round: plain steps in the format"
            yield from self._flat_units(steps)
            return
        layout = [pos for token in tokens for pos in token.layout()] + [group.repeat]
        body = tokens
        trailing_rest = None
        if len(tokens) > 1 and tokens[-1].kind == "rest":
            body, trailing_rest = tokens[:-1], tokens[-1]
        if count <= _MAX_SETS and all(t.kind == "exercise" for t in body):
            if len(body) == 1 and trailing_rest is None:
                yield _Unit(self._exercise(body[0], sets=count), layout, "exercise")
                return
            exercises = [self._exercise(t, sets=None) for t in body]
            if trailing_rest is not None:
                round_rest = self._rest_value(trailing_rest.steps[0])
            else:
                round_rest = exercises[-1].pop("rest")
            for exercise in exercises:
                if exercise.get("rest") == "none":
                    del exercise["rest"]
            circuit = {"rounds": count, "rest": round_rest, "exercises": exercises}
            yield _Unit({"circuit": circuit}, layout, "circuit")
            return
        inner: list[YamlStep] = []
        for token in tokens:
            if token.kind == "exercise":
                exercise = self._exercise(token, sets=None)
                if exercise.get("rest") == "none":
                    del exercise["rest"]
                inner.append(exercise)
            else:
                inner.append(self._cardio(token.steps[0]))
        yield _Unit({"repeat": count, "steps": inner}, layout)

    def _tokens(self, steps: list[tuple[int, bool]]) -> list[_Token]:
        tokens: list[_Token] = []
        i = 0
        while i < len(steps):
            pos, copy = steps[i]
            kind = self._kind(pos)
            after = _following(steps, i)
            if (
                kind == "cardio"
                and self.steps[pos].exercise is not None
                and after is not None
                and self._kind(after) == "rest"
            ):
                kind = "exercise"  # a run with its rest: an exercise done for a time
            token = _Token(kind, [pos], copy=copy)
            if kind == "exercise":
                right = _following(steps, i)
                if right is not None and self._split_pair(pos, right):
                    token.steps.append(right)
                    i += 1
                rest = _following(steps, i)
                if rest is not None and self._kind(rest) == "rest":
                    token.rest = rest
                    i += 1
            tokens.append(token)
            i += 1
        return tokens

    def _kind(self, pos: int) -> Literal["exercise", "cardio", "rest"]:
        step = self.steps[pos]
        pair = step.exercise
        if pair is None:
            return "rest" if step.intensity == _REST else "cardio"
        if self.sport != "strength" or step.duration_type == _REPS:
            return "exercise"
        first_note = (step.notes or "").split(NOTE_SEPARATOR)[0]
        if any(e.fit_nearest and e.name == first_note for e in _curated_with(pair)):
            return "exercise"  # lowering names a nearest exercise first in its notes
        warmup = pair == _pair("warm-up")
        retitled = _retitled(self.fit.titles, pair)
        if retitled is not None and retitled.id in ("warm-up", "cool-down"):
            warmup = True  # lowering gives a cool-down a warm-up name of its own
        if warmup and step.intensity in (_WARMUP, _COOLDOWN):
            return "cardio"
        if pair == _pair("run") and step.intensity in (0, 5, None):
            return "cardio" if step.exercise_weight is None else "exercise"
        return "exercise"

    def _split_pair(self, left: int, right: int) -> bool:
        """Two steps lowering makes of ``per_side: split``: the same but for Left/Right."""
        a, b = self.steps[left], self.steps[right]
        if self._kind(right) != "exercise":
            return False
        same = all(getattr(a, name) == getattr(b, name) for name in _COMPARED if name != "notes")
        return (
            same
            and _side_rest(a.notes, "Left") is not None
            and (_side_rest(a.notes, "Left") == _side_rest(b.notes, "Right"))
        )

    # -- exercises

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
            out["rest"] = rest
            if step.intensity in (_WARMUP, _COOLDOWN):
                out["intensity"] = _INTENSITY[step.intensity]
            note = NOTE_SEPARATOR.join(note_parts)
            if note:
                out["note"] = note
            return _ordered_exercise(out)

        plain = build(length, parts)
        candidates = [plain]
        parsed = _parse_notes(parts, length, has_load=load is not None, split=split)
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
            name = fitread.intensity_name(step.intensity) or f"intensity {step.intensity}"
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
        step = {key: value for key, value in candidate.items() if key != "sets"}
        step["rest"] = "none"
        try:
            workout = Workout.model_validate({"name": "x", "sport": self.sport, "steps": [step]})
        except ValidationError:
            return None
        lowered = predicted_steps(lower_workout(workout))
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
            shown = title or fitread.exercise_display_name(category, name)
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

    # -- what comes back different

    def _header_notes(self, lowered: LoweredWorkout, count: int) -> list[str]:
        notes = []
        name = fit_text(lowered.name, NAME_BYTES)
        if self.fit.name is not None and name != self.fit.name:
            notes.append(f"workout name {self.fit.name!r} → {name!r}")
        elif self.fit.name is None:
            notes.append(f"the file's workout has no name: named {name!r}")
        sub_sport = None if self.sport == "run" else _SUB_SPORT_STRENGTH
        if self.fit.sub_sport != sub_sport and self.fit.sport in (_SPORT_RUNNING, _SPORT_TRAINING):
            was = fitread.sub_sport_name(self.fit.sub_sport) or self.fit.sub_sport
            notes.append(
                f"sub sport {was} → {fitread.sub_sport_name(sub_sport) or 'none'} "
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
                    _quote(fitread.duration_text(old)),
                    _quote(fitread.duration_text(new)),
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
            ("duration", ("duration_type", "duration_value"), fitread.duration_text),
            (
                "target",
                _TARGET_FIELDS,
                lambda s: fitread.target_text(s, sport) or "none",
            ),
            ("intensity", ("intensity",), lambda s: fitread.intensity_name(s.intensity) or "none"),
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
        category = fitread.category_name(pair[0]) or f"category {pair[0]}"
        return f"{category} (no name)" if pair[1] is None else f"{category}/name {pair[1]}"


# --- small helpers -------------------------------------------------------------------------


def _following(steps: list[tuple[int, bool]], i: int) -> int | None:
    """The step after ``steps[i]`` if it belongs to the same copy of the steps."""
    if i + 1 < len(steps) and steps[i + 1][1] == steps[i][1]:
        return steps[i + 1][0]
    return None


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
        try:
            found = catalogue().resolve(key)
        except UnknownExercise:
            continue
        if found is entry or (found.fit_category, found.fit_name) == pair:
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
        try:
            found = catalogue().resolve(title)
        except UnknownExercise:
            found = None
        if found is not None and not found.fit_nearest:
            return found
    return catalogue().resolve("warm-up")


def _parse_notes(
    parts: list[str], length: YamlStep, *, has_load: bool, split: bool
) -> tuple[YamlStep, list[str]] | None:
    """The fields lowering wrote into the notes, read back in its order; None if none."""
    fields: YamlStep = dict(length)
    i = 0

    def at(pattern: re.Pattern[str]) -> re.Match[str] | None:
        return pattern.match(parts[i]) if i < len(parts) else None

    if "reps" in length and (match := at(_RANGE_NOTE)):
        low, high = int(match.group(1)), int(match.group(2))
        if 1 <= low < high == length["reps"]:
            fields["reps"] = f"{low}-{high}"
            i += 1
    if not split and i < len(parts):
        if "hold" in length:
            match = at(_EACH_SIDE)
            hold = units.parse_duration(length["hold"])
            if match and _parses_to(match.group(1), lambda s: units.parse_duration(s) * 2 == hold):
                fields["hold"] = _duration(units.parse_duration(match.group(1)))
                fields["per_side"] = True
                i += 1
        elif parts[i] == "each side":
            fields["per_side"] = True
            i += 1
    if not has_load and i < len(parts):
        if parts[i] == "bodyweight":
            fields["load"] = "bodyweight"
            i += 1
        elif (match := at(_PERCENT_NOTE)) and 0 < float(match.group(1)) <= 150:
            fields["load"] = parts[i]
            i += 1
    if match := at(_RPE_NOTE):
        low_text, high_text = match.group(1), match.group(2)
        fields["rpe"] = f"{low_text}-{high_text}" if high_text else _number(low_text)
        i += 1
    if (match := at(_RIR_NOTE)) and int(match.group(1)) <= 10:
        fields["rir"] = int(match.group(1))
        i += 1
    if match := at(_TEMPO_NOTE):
        fields["tempo"] = match.group(1)
        i += 1
    if i == 0:
        return None
    return fields, parts[i:]


def _parses_to(text: str, check: Callable[[str], bool]) -> bool:
    try:
        return check(text)
    except ValueError:
        return False


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


def _side_rest(notes: str | None, side: str) -> str | None:
    """The notes after lowering's ``Left · `` / ``Right · `` prefix ("" when only the side)."""
    if notes == side:
        return ""
    prefix = side + NOTE_SEPARATOR
    if notes and notes.startswith(prefix):
        return notes[len(prefix) :]
    return None


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


def _weight_text(step: FitStep) -> str:
    if step.exercise_weight is None:
        return "none"
    text = fitread.weight_text(step)
    if step.weight_display_unit not in (_KG, _LB):
        text += f" (unit {step.weight_display_unit})"
    return text


def _alnum(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", text.lower())


def _one_line(text: str) -> str:
    return " ".join(text.split())


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


__all__ = ["Imported", "import_fit", "import_workout", "predicted_steps", "workout_yaml"]
