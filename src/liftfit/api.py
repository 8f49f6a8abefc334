"""The Python API the CLI is built on: load, validate, lower and export workouts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from liftfit.catalogue import using_custom
from liftfit.errors import InvalidInput, Problem
from liftfit.exporters import FORMATS, Output
from liftfit.ir import LoweredWorkout
from liftfit.library import PROFILE_FILE, load_sources
from liftfit.limits import DEFAULT_MAX_STEPS
from liftfit.loader import Source, load_profile, located
from liftfit.lowering import Unrepresentable, lower_workout, slugify
from liftfit.model import Profile, Workout

WORKOUT_SUFFIXES = frozenset({".yaml", ".yml", ".py"})


@dataclass
class Compiled:
    """One workout, lowered and exported to every requested format."""

    source: Source
    lowered: LoweredWorkout
    outputs: dict[str, Output] = field(default_factory=dict)

    @property
    def warnings(self) -> list[str]:
        return [w for output in self.outputs.values() for w in output.warnings]


def find_profile(path: Path | None, near: Iterable[Path] = ()) -> Profile | None:
    """The athlete profile: ``path`` if given; else the first ``liftfit.yaml`` beside the
    workouts ``near`` names (each folder, or a file's folder, then the folders above it up to
    the working folder), else in the working folder."""
    if path is not None:
        if not path.is_file():
            raise InvalidInput([Problem(path, "profile not found")])
        return load_profile(path)
    for folder in _profile_folders(near):
        candidate = folder / PROFILE_FILE
        if candidate.is_file():
            return load_profile(candidate)
    return None


def _profile_folders(near: Iterable[Path]) -> list[Path]:
    here = Path.cwd().resolve()
    folders: list[Path] = []
    for given in near:
        folder = (given if given.is_dir() else given.parent).resolve()
        chain = [folder]
        if folder.is_relative_to(here):
            chain += [p for p in folder.parents if p.is_relative_to(here)]
        folders += [f for f in chain if f not in folders]
    return [*folders, here] if here not in folders else folders


def discovery_notes(paths: Iterable[Path]) -> list[str]:
    """What the folder search skipped that a user may miss: workout files that are symbolic
    links to nothing."""
    notes = []
    for folder in (path for path in paths if path.is_dir()):
        for link in sorted(folder.rglob("*")):
            if link.suffix in WORKOUT_SUFFIXES and link.is_symlink() and not link.exists():
                notes.append(f"{link}: skipped: a symbolic link to {link.readlink()}, not there")
    return notes


def step_cap_problem(compiled: LoweredWorkout, path: Path, max_steps: int) -> Problem | None:
    count = compiled.step_count
    if count <= max_steps:
        return None
    return Problem(
        path,
        f"{count} steps, more than the {max_steps} a Garmin watch is known to take: "
        "put sets in fewer blocks (circuits), split the workout, or raise the cap with "
        f"--max-steps {count} (side-loaded files of 71 steps are reported to work)",
    )


def lower_source(
    source: Source, *, profile: Profile | None = None, max_steps: int = DEFAULT_MAX_STEPS
) -> tuple[LoweredWorkout | None, list[Problem]]:
    """A source lowered, or None and its problems (a load it cannot hold, the step cap)."""
    try:
        with using_custom(source.exercises):
            lowered = lower_workout(source.workout, slug=source.slug, profile=profile)
    except Unrepresentable as error:
        return None, [located(source, step, key, message) for step, key, message in error.problems]
    problem = step_cap_problem(lowered, source.path, max_steps)
    return (None, [problem]) if problem else (lowered, [])


def compile_sources(
    sources: Sequence[Source],
    *,
    formats: Iterable[str] = ("fit",),
    profile: Profile | None = None,
    max_steps: int = DEFAULT_MAX_STEPS,
) -> list[Compiled]:
    """Lower and export every source; raise every problem at once, before anything is written."""
    formats = list(formats)
    results: list[Compiled] = []
    problems: list[Problem] = []
    for source in sources:
        lowered, found = lower_source(source, profile=profile, max_steps=max_steps)
        problems += found
        if lowered is None or problems:
            continue
        compiled = Compiled(source, lowered)
        for name in formats:
            compiled.outputs[name] = FORMATS[name].export(lowered)
        results.append(compiled)
    if problems:
        raise InvalidInput(problems)
    return results


def compile_paths(
    paths: Iterable[Path],
    *,
    formats: Iterable[str] = ("fit",),
    profile: Profile | None = None,
    max_steps: int = DEFAULT_MAX_STEPS,
) -> list[Compiled]:
    return compile_sources(
        load_sources(paths), formats=formats, profile=profile, max_steps=max_steps
    )


def to_fit_bytes(
    workout: Workout, *, profile: Profile | None = None, max_steps: int = DEFAULT_MAX_STEPS
) -> bytes:
    """The FIT workout file for a workout, as ``liftfit build`` writes it."""
    source = Source(slugify(workout.name), Path(f"<{workout.name}>"), workout)
    (compiled,) = compile_sources([source], profile=profile, max_steps=max_steps)
    return compiled.outputs["fit"].data
