"""Athletes: one profile per athlete in a folder (``--athletes DIR``: ``anna.yaml``,
``ben.yaml``), each getting their own files of the workouts a profile changes.

A workout depends on the profile when one of its loads is a share of 1RM or a number without
a unit: those are lowered once per athlete, with the athlete's 1RMs, units and plates, into
``athletes/NAME/fit/…`` (and every other format's folder). Every other workout is the same
for everyone, so it is built once, in the shared folders, and not repeated.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from liftfit.api import Compiled, compile_sources
from liftfit.delivery import name_problem
from liftfit.errors import InvalidInput, Problem
from liftfit.exporters import workout_file
from liftfit.loader import Source, load_profile
from liftfit.model import Profile, Workout

ATHLETES_FOLDER = "athletes"


@dataclass(frozen=True)
class Athlete:
    name: str  # the profile's file name without .yaml
    path: Path
    profile: Profile

    @property
    def folder(self) -> str:
        """Where the athlete's files go, inside the build folder or the pack."""
        return f"{ATHLETES_FOLDER}/{self.name}"

    def problem(self, problem: Problem) -> Problem:
        """A problem of a workout lowered with this athlete's profile, saying so."""
        return replace(problem, message=f"{problem.message} (for {self.name}, {self.path})")


@dataclass(frozen=True)
class AthleteBuild:
    """One athlete's workouts, compiled with their profile."""

    athlete: Athlete
    compiled: list[Compiled]

    def files(self) -> dict[str, bytes]:
        """Each output under the athlete's folder: ``athletes/anna/fit/heavy.fit``."""
        return {
            f"{self.athlete.folder}/{workout_file(name, c.source.slug)}": output.data
            for c in self.compiled
            for name, output in c.outputs.items()
        }


def load_athletes(folder: Path) -> list[Athlete]:
    """Every profile in ``folder`` (``*.yaml``, in name order); every problem at once."""
    if not folder.is_dir():
        raise InvalidInput(
            [Problem(folder, "no such folder: --athletes names a folder of athlete profiles")]
        )
    files = sorted(p for p in folder.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())
    if not files:
        raise InvalidInput(
            [Problem(folder, "no athlete profiles in it: write one per athlete, like anna.yaml")]
        )
    athletes: list[Athlete] = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for path in files:
        why = name_problem(f"{ATHLETES_FOLDER}/{path.stem}")
        if why:
            problems.append(Problem(path, f"no folder can be named after it: {why}"))
            continue
        if path.stem.lower() in seen:
            first = seen[path.stem.lower()]
            problems.append(Problem(path, f"a second athlete named {path.stem!r} (first {first})"))
            continue
        seen[path.stem.lower()] = path
        try:
            athletes.append(Athlete(path.stem, path, load_profile(path)))
        except InvalidInput as error:
            problems += error.problems
    if problems:
        raise InvalidInput(problems)
    return athletes


def needs_profile(workout: Workout) -> bool:
    """Whether the workout's files differ from one profile to another: a load that is a
    share of 1RM, or a number in the profile's units."""
    return any(
        e.load is not None
        and (e.load.kind == "percent_1rm" or (e.load.kind == "weight" and e.load.unit is None))
        for e in workout.exercises()
    )


def compile_athletes(
    sources: Sequence[Source],
    athletes: Sequence[Athlete],
    *,
    formats: Iterable[str],
    max_steps: int,
) -> list[AthleteBuild]:
    """The workouts that need a profile, compiled for each athlete; every problem at once,
    each naming the athlete it is for."""
    own = [source for source in sources if needs_profile(source.workout)]
    builds: list[AthleteBuild] = []
    problems: list[Problem] = []
    for athlete in athletes:
        try:
            compiled = compile_sources(
                own, formats=formats, profile=athlete.profile, max_steps=max_steps
            )
        except InvalidInput as error:
            problems += [athlete.problem(p) for p in error.problems]
            continue
        builds.append(AthleteBuild(athlete, compiled))
    if problems:
        raise InvalidInput(problems)
    return builds
