"""Building a library with plans: the workouts, the plans' workout variants, and calendars.

``compile_library`` (``pack``, ``copy``): every workout and every variant a plan uses goes
through the normal pipeline (``api.compile_sources``, all formats), identical variants once;
then each plan with a start date gets its calendar files, built from the same lowered workouts
so that the FIT schedule names exactly the files in ``fit/``.

``LibraryStream`` (``build``): the same, one workout at a time as the library is loaded
(``load_library(each=stream.take)``); of each workout only its files and notes are kept, so
that a build of 10,000 files does not hold 10,000 models and lowered workouts.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from liftfit.api import Compiled, compile_sources, lower_source
from liftfit.athletes import Athlete, needs_profile
from liftfit.delivery import Staging, Unwritable, name_problem
from liftfit.errors import InvalidInput, Problem
from liftfit.exporters import FORMATS, Output, workout_file
from liftfit.ir import LoweredWorkout
from liftfit.library import Library
from liftfit.limits import DEFAULT_MAX_STEPS
from liftfit.loader import Source
from liftfit.model import Profile
from liftfit.notes import Note, plan_notes, workout_notes
from liftfit.plan import Calendar, PlanSource, expand, plan_variants
from liftfit.safe import printable

if TYPE_CHECKING:
    from liftfit.exporters.calendar import CorosProgram

DEFAULT_SCHEDULE_WEEKS = 4
# Watches keep a limited schedule: 30 to ~100 entries are reported (FORMATS.md §1).
SCHEDULE_ENTRIES_KNOWN_SAFE = 30
CALENDAR_FOLDER = "calendar"


@dataclass
class PlanBuild:
    """One plan's calendar files (none without a start date) and what to tell the user."""

    source: PlanSource
    calendar: Calendar | None
    outputs: dict[str, Output] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    schedule_weeks: int = 0
    scheduled: int = 0  # sessions in the FIT schedule (the first ``schedule_weeks`` weeks)

    def summary(self, folder: str) -> str:
        """One line for the user: the calendar's span, and the watch schedule's window."""
        if self.calendar is None:
            return (
                f"plan {self.source.slug}: workouts only, no calendar "
                "(no start date: give --start YYYY-MM-DD or write start: in the plan)"
            )
        calendar = self.calendar
        line = (
            f"plan {self.source.slug}: {len(calendar.sessions)} sessions from "
            f"{calendar.start} to {calendar.end} in {folder}/"
        )
        if self.schedule_weeks:
            line += (
                f"; the watch schedule holds the first {self.schedule_weeks} weeks "
                f"({self.scheduled} sessions, --schedule-weeks to change)"
            )
        return line


@dataclass
class LibraryBuild:
    compiled: list[Compiled]
    plans: list[PlanBuild]


class Named(Protocol):
    """What names a build's outputs: a workout (loaded, or only its name and file) or a plan."""

    @property
    def slug(self) -> str: ...

    @property
    def path(self) -> Path: ...


def library_sources(library: Library, calendars: Sequence[Calendar] = ()) -> list[Source]:
    """The workouts, then every plan variant not among them; one per slug.

    A plan with a calendar contributes the variants its sessions use; one without, every
    variant it can use.
    """
    variants = plan_sources(library.workouts, library.by_slug, library.plans, calendars)
    return [*library.workouts, *variants]


def plan_sources(
    workouts: Sequence[Named],
    loaded: Mapping[str, Source],
    plans: Sequence[PlanSource],
    calendars: Sequence[Calendar],
) -> list[Source]:
    """The plans' variants not among ``workouts`` (one per slug); a variant named like one of
    the ``workouts`` (looked up in ``loaded``) must be that workout. Raises, all at once,
    those problems and every output name that cannot be written or differs only in case."""
    by_plan = {c.slug: c for c in calendars}
    listed = {workout.slug for workout in workouts}
    added: dict[str, Source] = {}
    problems = []
    for plan in plans:
        calendar = by_plan.get(plan.slug)
        variants = calendar.variants if calendar else plan_variants(plan)
        for variant in variants:
            if variant.slug in added:
                known = added[variant.slug]
            elif variant.slug in listed:
                known = loaded[variant.slug]
            else:
                known = added[variant.slug] = variant.source
            if known.workout != variant.workout:
                problems.append(
                    Problem(
                        plan.path,
                        f"plan workout {variant.slug!r} differs from the workout of that name "
                        f"in {known.path}: rename one of them",
                    )
                )
    named = [*workouts, *added.values()]
    problems += output_name_problems([*named, *plans])
    problems += case_collisions("workout", named)
    problems += case_collisions("plan", plans)
    if problems:
        raise InvalidInput(problems)
    return list(added.values())


def output_name_problems(named: Sequence[Named]) -> list[Problem]:
    """A problem for every name that cannot name output files (``delivery.name_problem``):
    found here, where ``validate`` finds it too, before a writer refuses it."""
    problems = []
    for item in named:
        why = name_problem(f"{item.slug}.fit")
        if why:
            message = f"the name '{printable(item.slug)}' cannot name output files: {why}"
            problems.append(Problem(item.path, message))
    return problems


def case_collisions(kind: str, named: Sequence[Named]) -> list[Problem]:
    """A problem for every name that differs from an earlier one only in case: their files
    (``Core.fit``, ``core.fit``) would be one file on a watch's FAT drive, or on macOS and
    Windows."""
    first: dict[str, Named] = {}
    problems = []
    for item in named:
        other = first.setdefault(item.slug.casefold(), item)
        if other is not item:
            problems.append(
                Problem(
                    item.path,
                    f"{kind} {item.slug!r} differs from {other.slug!r} ({other.path}) only in "
                    "case: their files would be one on a watch's drive; rename one of them",
                )
            )
    return problems


def coros_program() -> CorosProgram | None:
    """The COROS exporter's program builder, once ``exporters/coros.py`` provides it."""
    try:
        module = importlib.import_module("liftfit.exporters.coros")
    except ImportError:
        return None
    found: CorosProgram | None = getattr(module, "coros_program", None)
    return found


def compile_library(
    library: Library,
    *,
    start: date | None = None,
    formats: Iterable[str] = ("fit",),
    profile: Profile | None = None,
    max_steps: int = DEFAULT_MAX_STEPS,
    schedule_weeks: int = DEFAULT_SCHEDULE_WEEKS,
    fit_folder: str = "build/fit",
) -> LibraryBuild:
    """Compile workouts and plan variants, then each dated plan's calendar files.

    ``start`` overrides every plan's own start; a plan with neither gets no calendar (its
    summary says so). ``fit_folder`` is where the calendar's events say the FIT files are
    (the build folder's ``fit/``, or a pack's). Raises every problem at once, before anything
    is written.
    """
    formats = list(formats)
    calendars = dated_calendars(library.plans, start)
    compiled = compile_sources(
        library_sources(library, calendars), formats=formats, profile=profile, max_steps=max_steps
    )
    lowered = {c.source.slug: c.lowered for c in compiled}
    plans = plan_builds(library.plans, calendars, lowered, formats, schedule_weeks, fit_folder)
    return LibraryBuild(compiled, plans)


def athlete_calendars(
    athlete: Athlete,
    plans: Iterable[PlanSource],
    calendars: Sequence[Calendar],
    lowered: Mapping[str, LoweredWorkout],
    own: Mapping[str, LoweredWorkout],
    *,
    formats: Sequence[str],
    schedule_weeks: int,
    fit_folder: str,
) -> dict[str, bytes]:
    """An athlete's own calendar files, ``athletes/NAME/calendar/…``: each dated plan that
    uses one of their own workouts (``own``, lowered with their profile), its watch schedule
    naming their files and the shared ones (``lowered``) for the rest."""
    theirs = [c for c in calendars if any(v.slug in own for v in c.variants)]
    folder = (
        f"{fit_folder.removesuffix(FORMATS['fit'].folder)}{athlete.folder}/{FORMATS['fit'].folder}"
    )
    builds = plan_builds(
        plans,
        theirs,
        {**lowered, **own},
        formats,
        schedule_weeks,
        fit_folder,
        dict.fromkeys(own, folder),
    )
    return {
        f"{athlete.folder}/{CALENDAR_FOLDER}/{name}": output.data
        for build in builds
        for name, output in build.outputs.items()
    }


def dated_calendars(plans: Iterable[PlanSource], start: date | None) -> list[Calendar]:
    """Each plan laid out from ``start``, else from its own start; those with neither left out."""
    return [expand(plan, start) for plan in plans if start or plan.plan.start is not None]


def plan_builds(
    plans: Iterable[PlanSource],
    calendars: Sequence[Calendar],
    lowered: Mapping[str, LoweredWorkout],
    formats: Sequence[str],
    schedule_weeks: int,
    fit_folder: str,
    own: Mapping[str, str] | None = None,
) -> list[PlanBuild]:
    """Each plan's calendar files in the ``formats`` asked for, from the lowered workouts its
    sessions use; a plan without a calendar gets none. ``own``: workouts whose FIT file is in
    another folder than ``fit_folder`` (an athlete's own), slug → that folder."""
    from liftfit.exporters.calendar import coros_schedule, fit_schedule, ics_calendar

    folders = own or {}

    def fit_file(slug: str) -> str:
        return f"{folders.get(slug, fit_folder)}/{slug}{FORMATS['fit'].extension}"

    by_plan = {c.slug: c for c in calendars}
    builds = []
    for plan in plans:
        calendar = by_plan.get(plan.slug)
        build = PlanBuild(plan, calendar)
        builds.append(build)
        if calendar is None:
            continue
        build.notes.extend(calendar.notes)
        watch = fit_file if "fit" in formats else None
        build.outputs[f"{plan.slug}.ics"] = ics_calendar(calendar, lowered, watch)
        if "fit" in formats:
            window = calendar.first_weeks(schedule_weeks)
            build.outputs[f"{plan.slug}.schedule.fit"] = fit_schedule(calendar, window, lowered)
            build.schedule_weeks, build.scheduled = schedule_weeks, len(window)
            if len(window) > SCHEDULE_ENTRIES_KNOWN_SAFE:
                build.notes.append(
                    f"{len(window)} schedule entries: watches are reported to keep 30 to "
                    "~100; use fewer --schedule-weeks if the watch drops some"
                )
        if "coros" in formats:
            program = coros_program()
            if program is None:
                build.notes.append("COROS calendar not written: no COROS exporter yet")
            else:
                build.outputs[f"{plan.slug}.coros-schedule.json"] = coros_schedule(
                    calendar, lowered, program
                )
    return builds


@dataclass
class Encoded:
    """What a streamed build keeps of a workout: its name, file and notes (its files are
    staged on disk as soon as they are encoded)."""

    slug: str
    path: Path
    notes: list[Note] = field(default_factory=list)


@dataclass
class StreamedBuild:
    workouts: list[Encoded]  # the library's, then the plans' variants
    plans: list[PlanBuild]
    files: int  # the files staged, unchanged ones included
    athletes: Mapping[str, int] = field(default_factory=dict)  # name → workouts of their own

    def notes(self) -> list[Note]:
        """Every note: each workout's, then each plan's."""
        return [note for workout in self.workouts for note in workout.notes] + plan_notes(
            self.plans
        )


class LibraryStream:
    """``compile_library`` one workout at a time, into ``staging``: ``take`` lowers and
    encodes each workout as ``load_library(paths, each=stream.take)`` loads it, stages its
    files and keeps only its notes; ``finish`` adds the plans' variants and calendars, after
    the workouts (so that a calendar never names a file not yet in place). Problems are
    raised as ``compile_library`` raises them (the names' first, then every workout's, at
    once), then a file that could not be staged; once a problem is found, workouts are still
    lowered (to find theirs) but no longer encoded. The caller commits ``staging``."""

    def __init__(
        self,
        staging: Staging,
        *,
        formats: Iterable[str] = ("fit",),
        profile: Profile | None = None,
        max_steps: int = DEFAULT_MAX_STEPS,
        athletes: Sequence[Athlete] = (),
    ) -> None:
        self.staging = staging
        self.formats = list(formats)
        self.profile = profile
        self.max_steps = max_steps
        self.athletes = athletes
        self.workouts: list[Encoded] = []
        self.problems: list[Problem] = []
        self.unwritable: Unwritable | None = None
        self.athlete_workouts = dict.fromkeys((a.name for a in athletes), 0)

    def take(self, source: Source) -> LoweredWorkout | None:
        """Lower, encode and stage one workout, and each athlete's own files of it when a
        profile changes it (``athletes.needs_profile``); its lowered steps (None after a
        problem)."""
        encoded = Encoded(source.slug, source.path)
        self.workouts.append(encoded)
        lowered = self._encode(source, encoded, self.profile)
        if self.athletes and needs_profile(source.workout):
            for athlete in self.athletes:
                if self._encode(source, encoded, athlete.profile, athlete) is not None:
                    self.athlete_workouts[athlete.name] += 1
        return lowered

    def _encode(
        self,
        source: Source,
        encoded: Encoded,
        profile: Profile | None,
        athlete: Athlete | None = None,
    ) -> LoweredWorkout | None:
        lowered, problems = lower_source(source, profile=profile, max_steps=self.max_steps)
        if athlete is not None:
            problems = [athlete.problem(p) for p in problems]
        self.problems += problems
        if lowered is None or self.problems:
            return None
        outputs = {name: FORMATS[name].export(lowered) for name in self.formats}
        folder = f"{athlete.folder}/" if athlete else ""
        for name, output in outputs.items():
            self._stage(folder + workout_file(name, source.slug), output.data)
        notes = workout_notes(source.slug, lowered.fidelity, outputs)
        if athlete is None:
            encoded.notes = notes
        else:  # what differs for the athlete: their loads
            label = f"{athlete.folder}/{source.slug}"
            shared = {(n.target, n.text) for n in encoded.notes}
            encoded.notes += [
                replace(n, subject=label) for n in notes if (n.target, n.text) not in shared
            ]
        return lowered

    def _stage(self, name: str, data: bytes) -> None:
        """Stage a file; the first one that cannot be is told once every problem is known."""
        if self.unwritable is not None:
            return
        try:
            self.staging.stage(name, data)
        except Unwritable as error:
            self.unwritable = error

    def finish(
        self,
        library: Library,
        *,
        start: date | None = None,
        schedule_weeks: int = DEFAULT_SCHEDULE_WEEKS,
        fit_folder: str = "build/fit",
    ) -> StreamedBuild:
        """The plans' variants and calendars, once ``library`` is loaded; raises every problem
        at once."""
        calendars = dated_calendars(library.plans, start)
        variants = plan_sources(self.workouts, library.by_slug, library.plans, calendars)
        lowered = {source.slug: self.take(source) for source in variants}
        if self.problems:
            raise InvalidInput(self.problems)
        used: dict[str, LoweredWorkout] = {}
        for calendar in calendars:
            for variant in calendar.variants:
                if variant.slug in used:
                    continue
                known = lowered.get(variant.slug)
                used[variant.slug] = known or self._lower(library.by_slug[variant.slug])
        plans = plan_builds(
            library.plans, calendars, used, self.formats, schedule_weeks, fit_folder
        )
        for plan in plans:
            for name, output in plan.outputs.items():
                self._stage(f"{CALENDAR_FOLDER}/{name}", output.data)
        sources = {source.slug: source for source in variants}
        for athlete in self.athletes:
            own: dict[str, LoweredWorkout] = {}
            for slug in used:
                source = sources.get(slug) or library.by_slug[slug]
                if needs_profile(source.workout):
                    own[slug] = self._lower(source, athlete.profile)
            files = athlete_calendars(
                athlete,
                library.plans,
                calendars,
                used,
                own,
                formats=self.formats,
                schedule_weeks=schedule_weeks,
                fit_folder=fit_folder,
            )
            for name, data in files.items():
                self._stage(name, data)
        if self.unwritable is not None:
            raise self.unwritable
        return StreamedBuild(self.workouts, plans, self.staging.files, self.athlete_workouts)

    def _lower(self, source: Source, profile: Profile | None = None) -> LoweredWorkout:
        """A workout a calendar uses, lowered again (as it was when it was taken), with the
        library's profile or an athlete's."""
        lowered, problems = lower_source(
            source, profile=profile or self.profile, max_steps=self.max_steps
        )
        if lowered is None:
            raise InvalidInput(problems)
        return lowered
