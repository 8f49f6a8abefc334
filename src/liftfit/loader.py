"""Reading workout and profile files into models, with every problem located at once.

YAML is composed into nodes first, so that each value keeps its line and column and duplicate
keys are caught; pydantic then validates the plain data, and its errors are mapped back to the
node they concern: ``workouts/core.yaml:12:12: steps[2].reps: message``.
"""

from __future__ import annotations

import difflib
import importlib.util
import re
import sys
import traceback
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from liftfit.errors import InvalidInput, Problem
from liftfit.limits import DEFAULT_MAX_STEPS, MAX_STEPS_CAP
from liftfit.model import (
    STEP_KEYS,
    Circuit,
    CircuitRounds,
    Cooldown,
    Exercise,
    Profile,
    RampSet,
    Recover,
    Repeat,
    Run,
    Warmup,
    Workout,
    keys_in_order,
)
from liftfit.safe import clip, shown
from liftfit.yamlread import Document, Loc, Mark, read_yaml, render_loc

if TYPE_CHECKING:
    from liftfit.catalogue import Entry


@dataclass(frozen=True)
class Source:
    """A workout with where it came from: its output name (the file's stem) and path.

    ``marks`` are the lines and columns of its values (``("steps", 2, "load")`` → (9, 11)),
    for problems found after validation (a % 1RM load past what a FIT file holds).
    """

    slug: str
    path: Path
    workout: Workout
    marks: Mapping[Loc, Mark] = field(default_factory=dict, compare=False, repr=False)
    exercises: tuple[Entry, ...] = ()  # the library's own exercises it may use (custom.py)


def step_loc(workout: Workout, wanted: object) -> Loc:
    """Where a step object of ``workout`` is in its file: ``("steps", 2)``, or inside a circuit
    or repeat ``("steps", 2, "circuit", "exercises", 0)``; ``()`` when it is not there."""
    for i, step in enumerate(workout.steps):
        if step is wanted:
            return ("steps", i)
        inner: list[Any] = []
        prefix: Loc = ()
        if isinstance(step, Circuit):
            inner, prefix = list(step.circuit.exercises), ("steps", i, "circuit", "exercises")
        elif isinstance(step, Repeat):
            inner, prefix = list(step.steps), ("steps", i, "steps")
        for j, item in enumerate(inner):
            if item is wanted:
                return (*prefix, j)
    return ()


def located(source: Source, step: object, key: str | Loc, message: str) -> Problem:
    """A problem with a value of one step of a loaded workout (``key`` under it: ``load``, or
    ``("sets", 2, "load")``), at its line and column, else at its step's."""
    loc = step_loc(source.workout, step)
    keys = (key,) if isinstance(key, str) else key
    step_at = loc
    loc = (*loc, *keys) if loc else loc
    mark = source.marks.get(loc) or source.marks.get(loc[:-1]) or source.marks.get(step_at)
    line, col = mark if mark else (None, None)
    return Problem(source.path, message, line, col, render_loc(loc))


# Where a list holds tagged steps, pydantic puts the tag after the index; which model a tag is.
_STEP_TAGS: dict[str, type[BaseModel]] = {
    "exercise": Exercise,
    "circuit": Circuit,
    "repeat": Repeat,
    "warmup": Warmup,
    "cooldown": Cooldown,
    "run": Run,
    "recover": Recover,
}
_NESTED: dict[tuple[type[BaseModel], str], type[BaseModel] | str] = {
    (Workout, "steps"): "steps",
    (Repeat, "steps"): "steps",
    (Circuit, "circuit"): CircuitRounds,
    (CircuitRounds, "exercises"): Exercise,
    (Exercise, "sets"): RampSet,
}
_SETS_TAGS = frozenset({"count", "ramp"})


def _strip_tags(loc: Loc, root: type[BaseModel]) -> tuple[Loc, type[BaseModel]]:
    """The error's location in the data (without union tags), and the model it falls in."""
    model: type[BaseModel] = root
    out: list[str | int] = []
    expect_tag = False
    pending: type[BaseModel] | str | None = None
    for part in loc:
        if part in _SETS_TAGS and out and out[-1] == "sets":
            continue  # which form of sets: a count or a ramp
        if expect_tag:
            expect_tag = False
            if isinstance(part, str):
                model = _STEP_TAGS.get(part, model)
                continue
        out.append(part)
        if isinstance(part, int):
            if pending == "steps":
                expect_tag = True
            elif isinstance(pending, type):
                model = pending
            pending = None
            continue
        nested = _NESTED.get((model, part))
        if nested is None:
            found, listed = _field_model(model, part)
            if found is not None and not listed:
                model = found
                continue
            nested = found
        if isinstance(nested, type) and part == "circuit":
            model = nested
        else:
            pending = nested
    return tuple(out), model


def _field_model(model: type[BaseModel], name: str | int) -> tuple[type[BaseModel] | None, bool]:
    """The model a field holds (one, or a list of them), for files other than workouts."""
    info = model.model_fields.get(name) if isinstance(name, str) else None
    annotation: Any = info.annotation if info else None
    listed = typing.get_origin(annotation) is list
    if listed:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    union = typing.get_origin(annotation) in (typing.Union, types.UnionType)
    options = typing.get_args(annotation) if union else ()
    models = [
        a for a in options or (annotation,) if isinstance(a, type) and issubclass(a, BaseModel)
    ]
    return (models[0], listed) if len(models) == 1 else (None, False)


def _message(error: Any, model: type[BaseModel], loc: Loc) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        close = difflib.get_close_matches(key, keys_in_order(model), n=1, cutoff=0.5)
        hint = f": did you mean {close[0]!r}?" if close else ""
        allowed = ", ".join(keys_in_order(model))
        return f"unknown key {shown(key)}{hint} (allowed: {allowed})"
    if kind == "missing":
        return f"missing required key {str(loc[-1])!r}"
    message: str = re.sub(r"^(Value error|Assertion failed), ", "", error["msg"])
    value = error.get("input")
    limits = error.get("ctx") or {}
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        written = str(value).lower() if isinstance(value, bool) else shown(value)
        return f"expected a whole number, got {written}"
    if kind == "string_type":
        return f"expected text, got {shown(value)}"
    if kind in {"bool_type", "bool_parsing"}:
        return f"expected true or false, got {shown(value)}"
    if kind == "list_type":
        return f"expected a list, got {shown(value)}"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return f"expected a mapping of keys, got {shown(value)}"
    if kind == "literal_error":
        return f"expected {limits.get('expected', '')}, got {shown(value)}"
    if kind == "less_than_equal":
        return f"must be at most {limits['le']}, got {shown(value)}"
    if kind == "greater_than_equal":
        return f"must be at least {limits['ge']}, got {shown(value)}"
    if kind == "too_short":
        return f"needs at least {limits['min_length']} item(s), got none"
    if kind == "string_too_long":
        return f"too long: at most {limits['max_length']} characters"
    if kind == "step_kind" and isinstance(value, dict):
        present = [key for key in STEP_KEYS if key in value]
        if len(present) > 1:
            return f"a step is one kind, got {' and '.join(present)}: split it into steps"
    return message[0].lower() + message[1:] if message[1:2].islower() else message


def problems_from(
    error: ValidationError, doc: Document, path: Path, root: type[BaseModel]
) -> list[Problem]:
    """Map pydantic's errors onto the YAML: one located problem each, in file order."""
    problems = []
    for item in error.errors():
        loc, model = _strip_tags(tuple(item["loc"]), root)
        message = _message(item, model, loc)
        if item["type"] == "extra_forbidden":
            line, col = doc.key_marks.get(loc) or _nearest_mark(doc.marks, loc)
        else:
            line, col = _nearest_mark(doc.marks, loc)
        problems.append(Problem(path, message, line, col, render_loc(loc)))
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return list(dict.fromkeys(problems))


def _nearest_mark(marks: dict[Loc, tuple[int, int]], loc: Loc) -> tuple[int, int]:
    while loc not in marks and loc:
        loc = loc[:-1]
    return marks.get(loc, (1, 1))


def _validate(doc: Document, path: Path, model: type[Any]) -> Any:
    if model is Workout:
        _count_steps(doc, path)
    if not isinstance(doc.data, dict):
        raise InvalidInput(
            [
                Problem(
                    path,
                    f"expected a mapping of keys at the top, got {type(doc.data).__name__}",
                    1,
                    1,
                )
            ]
        )
    try:
        return model.model_validate(doc.data)
    except ValidationError as error:
        raise InvalidInput(problems_from(error, doc, path, model)) from None


def _count_steps(doc: Document, path: Path) -> None:
    """Refuse, before validating them one by one, more step entries than any cap allows."""
    data = doc.data
    steps = data.get("steps") if isinstance(data, dict) else None
    if not isinstance(steps, list):
        return
    count = len(steps)
    for step in steps:
        body = step.get("circuit") if isinstance(step, dict) else None
        inner = body.get("exercises") if isinstance(body, dict) else None
        if inner is None and isinstance(step, dict):
            inner = step.get("steps")
        if isinstance(inner, list):
            count += len(inner)
    if count > MAX_STEPS_CAP:
        line, col = doc.marks.get(("steps",), (None, None))
        raise InvalidInput(
            [
                Problem(
                    path,
                    f"{count:,} steps, more than the {MAX_STEPS_CAP} liftfit takes at most "
                    f"(a Garmin watch is known to take {DEFAULT_MAX_STEPS}): split the workout",
                    line,
                    col,
                    "steps",
                )
            ]
        )


def load_workout_file(path: Path) -> Workout:
    workout: Workout = _validate(read_yaml(path), path, Workout)
    return workout


def load_profile(path: Path) -> Profile:
    profile: Profile = _validate(read_yaml(path), path, Profile)
    return profile


def _python_workouts(path: Path) -> list[Source]:
    """Module-level Workout objects of a Python file, named by their variables."""
    name = f"liftfit_user_{re.sub(r'\\W', '_', path.stem)}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise InvalidInput([Problem(path, "cannot load this Python file")])
    module = importlib.util.module_from_spec(spec)
    try:
        # Running the file is how its workouts are made: validate runs it too (docs say so).
        spec.loader.exec_module(module)
    except ValidationError as error:
        line = _traceback_line(error, path)
        problems = []
        for item in error.errors():
            loc = tuple(item["loc"])
            where = render_loc(loc) or "workout"
            problems.append(Problem(path, f"{where}: {_message(item, Workout, loc)}", line))
        raise InvalidInput(problems) from None
    except (Exception, SystemExit, KeyboardInterrupt) as error:
        # SystemExit and KeyboardInterrupt raised by the file are its failure, not liftfit's:
        # a located problem, so that nothing is built from a file that did not finish.
        line = _traceback_line(error, path)
        text = " ".join(str(error).split())
        message = f"{type(error).__name__}: {clip(text, 200)}" if text else type(error).__name__
        raise InvalidInput([Problem(path, message, line)]) from None
    finally:
        sys.modules.pop(name, None)
    found = [
        Source(var.replace("_", "-").lower(), path, value)
        for var, value in vars(module).items()
        if isinstance(value, Workout) and not var.startswith("_")
    ]
    if not found:
        raise InvalidInput([Problem(path, "no module-level Workout objects in this file")])
    return found


def _traceback_line(error: BaseException, path: Path) -> int | None:
    line = None
    for frame in traceback.extract_tb(error.__traceback__):
        if Path(frame.filename).resolve() == path.resolve():
            line = frame.lineno
    return line
