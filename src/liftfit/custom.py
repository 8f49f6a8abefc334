"""A library's own exercises: ``exercises.yaml`` in the workouts folder.

```yaml
exercises:
  - name: Spanish Squat
    aliases: [spanish squats]
    like: wall sit
```

Each exercise is shown on the watch by its own name and sent to every target as the catalogue
exercise it is ``like`` (the FIT category, Connect's exercise, COROS's exercise). Workouts next
to the file (and in its ``plans/`` folder) use them by name or alias. A name that the catalogue
already knows, or an unknown ``like``, is an error, located in the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from liftfit.catalogue import Entry, UnknownExercise, base_catalogue, custom_entry, normalise
from liftfit.errors import InvalidInput, Problem
from liftfit.loader import problems_from
from liftfit.yamlread import Loc, read_yaml, render_loc

FILE_NAME = "exercises.yaml"
NAME_BYTES = 31  # shown as the watch's exercise title, as a workout name is


class CustomExercise(BaseModel):
    """One exercise of the library's own."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    name: str = Field(min_length=1, description="shown on the watch (at most 31 bytes)")
    aliases: list[str] = Field(default_factory=list, description="other names workouts may use")
    like: str = Field(description="the catalogue exercise it is sent as (see `liftfit exercises`)")


class ExercisesFile(BaseModel):
    """``exercises.yaml``: the library's own exercises."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    exercises: list[CustomExercise] = Field(min_length=1)


def file_for(workout: Path) -> Path | None:
    """The exercises file a workout file uses: in its folder, else the folder above ``plans/``."""
    folders = [workout.parent]
    if workout.parent.name == "plans":
        folders.append(workout.parent.parent)
    for folder in folders:
        path = folder / FILE_NAME
        if path.is_file():
            return path
    return None


def load_custom(path: Path) -> tuple[Entry, ...]:
    """The exercises a file defines; every problem in it raised at once, located."""
    doc = read_yaml(path)
    if not isinstance(doc.data, dict):
        raise InvalidInput([Problem(path, "expected a mapping with an exercises: list", 1, 1)])
    try:
        parsed = ExercisesFile.model_validate(doc.data)
    except ValidationError as error:
        raise InvalidInput(problems_from(error, doc, path, ExercisesFile)) from None
    entries: list[Entry] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}

    def problem(loc: Loc, message: str) -> None:
        line, col = doc.marks.get(loc, (1, 1))
        problems.append(Problem(path, message, line, col, render_loc(loc)))

    for i, item in enumerate(parsed.exercises):
        where: Loc = ("exercises", i)
        if len(item.name.encode("utf-8")) > NAME_BYTES:
            problem((*where, "name"), f"too long for the watch: at most {NAME_BYTES} bytes")
        names = [((*where, "name"), item.name)]
        names += [((*where, "aliases", j), alias) for j, alias in enumerate(item.aliases)]
        for loc, text in names:
            clash = _known(text)
            if clash is not None:
                problem(loc, f"{text!r} is already the catalogue's {clash}: use it as it is")
            elif normalise(text) in seen:
                problem(loc, f"{text!r} is given twice (first for {seen[normalise(text)]})")
            seen.setdefault(normalise(text), item.name)
        try:
            like = base_catalogue().resolve(item.like)
        except UnknownExercise as error:
            problem((*where, "like"), str(error))
            continue
        entries.append(custom_entry(item.name, item.aliases, like, _slug(item.name)))
    if problems:
        raise InvalidInput(problems)
    return tuple(entries)


def _known(text: str) -> str | None:
    try:
        entry = base_catalogue().resolve(text)
    except UnknownExercise:
        return None
    return f"{entry.name} ({entry.id})"


def _slug(name: str) -> str:
    return "-".join(normalise(name).split())


def load_all(paths: Iterable[Path]) -> dict[Path, tuple[Entry, ...]]:
    """Each exercises file once; problems of every file raised together."""
    found: dict[Path, tuple[Entry, ...]] = {}
    problems: list[Problem] = []
    for path in dict.fromkeys(paths):
        try:
            found[path] = load_custom(path)
        except InvalidInput as error:
            problems.extend(error.problems)
    if problems:
        raise InvalidInput(problems)
    return found
