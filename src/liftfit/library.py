"""A library: every workout and plan a list of files and folders holds, all problems at once.

Workout files are read by ``loader``, plans by ``plan``; here the two meet, so that neither
imports the other. A folder's own exercises (``exercises.yaml``, read by ``custom``) are read
once for all its workouts, a plan's workouts are looked up among the loaded ones and next to
the plan, and an output name given twice is a problem.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from liftfit.errors import InvalidInput, Problem
from liftfit.loader import Source, _python_workouts, _validate
from liftfit.model import Profile, Workout, suggestion_budget
from liftfit.plan import PlanSource, is_plan, load_plan
from liftfit.yamlread import Document, Loc, Mark, read_yaml

if TYPE_CHECKING:
    from liftfit.catalogue import Entry


CUSTOM_FILE = "exercises.yaml"  # a library's own exercises, read by custom.py
PROFILE_FILE = "liftfit.yaml"  # the athlete profile, read by api.find_profile
NOT_WORKOUTS = frozenset({CUSTOM_FILE, PROFILE_FILE})  # files of a library that no folder
# search reads as workouts


def is_profile(data: object) -> bool:
    """A profile file is told from a workout by its keys: only a profile's (``one_rep_max``,
    ``units``, ``round_to``), so that a folder of athletes' profiles beside the workouts is
    not read as workouts."""
    return (
        isinstance(data, dict)
        and bool(data)
        and all(isinstance(key, str) and key in Profile.model_fields for key in data)
    )


def _workout_source(path: Path, doc: Document, customs: _Customs) -> Source:
    """A workout file validated with the library's own exercises of its folder."""
    from liftfit.catalogue import using_custom

    exercises = customs.get(path)
    with using_custom(exercises):
        workout = _validate(doc, path, Workout)
        return Source(path.stem, path, workout, _kept_marks(doc.marks), exercises)


def _kept_marks(marks: Mapping[Loc, Mark]) -> dict[Loc, Mark]:
    """The marks ``located`` may need after validation (each step and its load): a workout
    keeps a few dozen instead of one per value, which counts in a 10,000-file build."""
    return {
        loc: mark
        for loc, mark in marks.items()
        if loc and (loc[-1] == "load" or isinstance(loc[-1], int))
    }


class _Customs:
    """Each folder's ``exercises.yaml``, read once; its problems raised with the first use."""

    def __init__(self) -> None:
        self.read: dict[Path, tuple[Entry, ...]] = {}

    def get(self, workout: Path) -> tuple[Entry, ...]:
        from liftfit.custom import file_for, load_custom

        path = file_for(workout)
        if path is None:
            return ()
        if path not in self.read:
            self.read[path] = ()
            self.read[path] = load_custom(path)
        return self.read[path]


def workout_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The workout and plan files a list of files and folders names.

    Folders are searched in name order, sub-folders included (plans live in ``workouts/plans/``).
    """
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p
                for p in path.rglob("*")
                if p.suffix in {".yaml", ".yml", ".py"}
                and p.is_file()
                and p.name not in NOT_WORKOUTS
            )
        else:
            yield path


@dataclass(frozen=True)
class Library:
    """What the paths hold: workouts, and plans (files with a top-level ``sessions`` key).

    ``by_slug``: every workout loaded (those plans found next to them too), by slug; in a
    load that handed each workout on (``load_library(each=…)``), read again when asked.
    """

    workouts: list[Source]
    plans: list[PlanSource]
    by_slug: Mapping[str, Source] = field(default_factory=dict)


def load_sources(paths: Iterable[Path]) -> list[Source]:
    """Every workout the paths hold (plans among them are checked too); all problems at once."""
    return load_library(paths).workouts


def load_library(paths: Iterable[Path], each: Callable[[Source], object] | None = None) -> Library:
    """Every workout and plan the paths hold; every problem in every file raised at once.

    A plan's workouts are looked up by slug among the loaded workouts, then next to the plan
    (its folder, and the folder above a ``plans/`` folder), so a plan can be built on its own.

    With ``each``, every workout file's workouts go to ``each`` as they are loaded, as long
    as no file has had a problem, and are not kept (``workouts`` is empty): a build of
    10,000 files lowers and encodes each and lets its model go. A plan's workouts are then
    read again from their files (``by_slug``).
    """
    with suggestion_budget():
        return _load_library(paths, each)


def _load_library(paths: Iterable[Path], each: Callable[[Source], object] | None) -> Library:
    sources: list[Source] = []
    named: list[tuple[str, Path]] = []
    plan_docs: list[tuple[Path, Document]] = []
    problems: list[Problem] = []
    customs = _Customs()
    loaded = _Loaded(customs, reread=each is not None)
    for path in workout_files(paths):
        if not path.exists():
            problems.append(Problem(path, "no such file or folder"))
            continue
        try:
            if path.suffix == ".py":
                found = _python_workouts(path)
            else:
                doc = read_yaml(path)
                if is_plan(doc.data):
                    plan_docs.append((path, doc))
                    continue
                if is_profile(doc.data):
                    continue  # an athlete's profile (athletes/anna.yaml), not a workout
                found = [_workout_source(path, doc, customs)]
        except InvalidInput as error:
            problems.extend(error.problems)
            continue
        for source in found:
            named.append((source.slug, source.path))
            loaded.add(source)
            if each is None:
                sources.append(source)
            elif not problems:
                each(source)
    problems += _second_names("workout", named)
    plans: list[PlanSource] = []
    for path, doc in plan_docs:
        nearby = _Nearby(path, loaded, customs)
        try:
            plans.append(load_plan(path, doc, nearby.find, nearby.names()))
        except InvalidInput as error:
            problems.extend(error.problems)
    problems += _second_names("plan", [(p.slug, p.path) for p in plans])
    if problems:
        raise InvalidInput(problems)
    return Library(sources, plans, loaded)


def _second_names(kind: str, named: list[tuple[str, Path]]) -> list[Problem]:
    """A problem for every name given a second time (outputs are named after it)."""
    first: dict[str, Path] = {}
    problems = []
    for slug, path in named:
        if slug in first:
            message = f"a second {kind} named {slug!r} (first in {first[slug]})"
            problems.append(Problem(path, message))
        first.setdefault(slug, path)
    return problems


class _Loaded(MutableMapping[str, Source]):
    """The loaded workouts by slug, the last of a slug given twice. With ``reread``, a YAML
    workout is kept as its path and read again when asked for (a plan's few workouts), so
    that a load handing its workouts on keeps none of their models; a Python file's are
    kept (reading one again would run it again)."""

    def __init__(self, customs: _Customs, *, reread: bool) -> None:
        self.customs = customs
        self.reread = reread
        self.kept: dict[str, Source | Path] = {}

    def add(self, source: Source) -> None:
        keep = not self.reread or source.path.suffix == ".py"
        self.kept[source.slug] = source if keep else source.path

    def __getitem__(self, slug: str) -> Source:
        kept = self.kept[slug]
        if isinstance(kept, Path):
            kept = self.kept[slug] = _workout_source(kept, read_yaml(kept), self.customs)
        return kept

    def __contains__(self, slug: object) -> bool:
        return slug in self.kept

    def __setitem__(self, slug: str, source: Source) -> None:
        self.kept[slug] = source

    def __delitem__(self, slug: str) -> None:
        del self.kept[slug]

    def __iter__(self) -> Iterator[str]:
        return iter(self.kept)

    def __len__(self) -> int:
        return len(self.kept)


class _Nearby:
    """A plan's workouts: the loaded ones, else ``<slug>.yaml`` next to the plan."""

    def __init__(self, plan: Path, loaded: MutableMapping[str, Source], customs: _Customs) -> None:
        self.loaded = loaded
        self.customs = customs
        self.folders = [plan.parent]
        if plan.parent.name == "plans":
            self.folders.append(plan.parent.parent)

    def names(self) -> list[str]:
        found = set(self.loaded)
        for folder in self.folders:
            found.update(p.stem for p in folder.glob("*.y*ml") if p.suffix in {".yaml", ".yml"})
        return sorted(found)

    def find(self, slug: str) -> Source | None:
        if slug in self.loaded:
            return self.loaded[slug]
        for folder in self.folders:
            for suffix in (".yaml", ".yml"):
                path = folder / f"{slug}{suffix}"
                if path.is_file():
                    doc = read_yaml(path)
                    if isinstance(doc.data, dict) and "sessions" in doc.data:
                        return None
                    source = _workout_source(path, doc, self.customs)
                    self.loaded[slug] = source
                    return source
        return None
