"""Building a library with plans: the workouts, the plans' workout variants, and calendars.

``compile_library`` is what ``liftfit build`` runs: every workout and every variant a plan
uses goes through the normal pipeline (``api.compile_sources``, all formats), identical
variants once; then each plan with a start date gets its calendar files, built from the same
lowered workouts so that the FIT schedule names exactly the files in ``fit/``.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from liftfit.api import Compiled, compile_sources
from liftfit.delivery import name_problem
from liftfit.errors import InvalidInput, Problem
from liftfit.exporters import FORMATS, Output
from liftfit.library import Library
from liftfit.limits import DEFAULT_MAX_STEPS
from liftfit.loader import Source
from liftfit.model import Profile
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


def output_files(built: LibraryBuild) -> dict[str, bytes]:
    """Every file a build writes, by its path in the output folder, in the order to write
    them: the workouts, then the calendars that point at them (so that a run killed midway
    never leaves a calendar naming workouts that are not there)."""
    files = {
        f"{FORMATS[name].folder}/{compiled.source.slug}{FORMATS[name].extension}": out.data
        for compiled in built.compiled
        for name, out in compiled.outputs.items()
    }
    for plan in built.plans:
        files.update({f"{CALENDAR_FOLDER}/{name}": out.data for name, out in plan.outputs.items()})
    return files


def library_sources(library: Library, calendars: Sequence[Calendar] = ()) -> list[Source]:
    """The workouts, then every plan variant not among them; one per slug.

    A plan with a calendar contributes the variants its sessions use; one without, every
    variant it can use.
    """
    by_plan = {c.slug: c for c in calendars}
    sources = {source.slug: source for source in library.workouts}
    problems = []
    for plan in library.plans:
        calendar = by_plan.get(plan.slug)
        variants = calendar.variants if calendar else plan_variants(plan)
        for variant in variants:
            known = sources.setdefault(variant.slug, variant.source)
            if known.workout != variant.workout:
                problems.append(
                    Problem(
                        plan.path,
                        f"plan workout {variant.slug!r} differs from the workout of that name "
                        f"in {known.path}: rename one of them",
                    )
                )
    problems += output_name_problems([*sources.values(), *library.plans])
    problems += case_collisions("workout", list(sources.values()))
    problems += case_collisions("plan", library.plans)
    if problems:
        raise InvalidInput(problems)
    return list(sources.values())


def output_name_problems(named: Sequence[Source | PlanSource]) -> list[Problem]:
    """A problem for every name that cannot name output files (``delivery.name_problem``):
    found here, where ``validate`` finds it too, before a writer refuses it."""
    problems = []
    for item in named:
        why = name_problem(f"{item.slug}.fit")
        if why:
            message = f"the name '{printable(item.slug)}' cannot name output files: {why}"
            problems.append(Problem(item.path, message))
    return problems


def case_collisions(kind: str, named: Sequence[Source | PlanSource]) -> list[Problem]:
    """A problem for every name that differs from an earlier one only in case: their files
    (``Core.fit``, ``core.fit``) would be one file on a watch's FAT drive, or on macOS and
    Windows."""
    first: dict[str, Source | PlanSource] = {}
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
    from liftfit.exporters.calendar import coros_schedule, fit_schedule, ics_calendar

    formats = list(formats)
    calendars = [
        expand(plan, start) for plan in library.plans if start or plan.plan.start is not None
    ]
    compiled = compile_sources(
        library_sources(library, calendars), formats=formats, profile=profile, max_steps=max_steps
    )
    lowered = {c.source.slug: c.lowered for c in compiled}
    by_plan = {c.slug: c for c in calendars}
    plans = []
    for plan in library.plans:
        calendar = by_plan.get(plan.slug)
        build = PlanBuild(plan, calendar)
        plans.append(build)
        if calendar is None:
            continue
        build.notes.extend(calendar.notes)
        watch = fit_folder if "fit" in formats else None
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
    return LibraryBuild(compiled, plans)
