"""Plans: which workout on which day, week by week, and how each day's workout is varied.

A plan file names workouts by slug (their file name), puts them on weekdays, and varies them:
a session sets the sets, reps or load of its day (``{workout: lifting, days: [fri], sets: 2}``),
a phase changes them over a range of weeks (``{name: winter, weeks: 1-4, sets: +1}``).

This module is part of lowering: it is the one place that expands a plan into dated sessions,
each with a concrete workout variant (a new ``Workout`` with the changes applied, named after
them). Identical variants are one workout; a variant that changes nothing is the workout itself.
Exporters (``exporters/calendar.py``) and the CLI only read the result.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationError,
    WithJsonSchema,
)

from liftfit import units
from liftfit.errors import InvalidInput, LiftfitError, Problem
from liftfit.loader import Source, problems_from
from liftfit.model import Count, DisplayName, RepsValue
from liftfit.safe import printable, shown
from liftfit.units import Amrap, Range
from liftfit.variants import MAX_SETS, Changes, Variant, make_variant
from liftfit.yamlread import Document, render_loc

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SHOWN_NAMES = 6  # workout names listed after an unknown one


class NoStartDate(LiftfitError):
    """A plan needs a start date to become a calendar: a usage error (exit 2)."""

    exit_code = 2


def _any_case(word: str) -> str:
    """``mon`` → ``[Mm][Oo][Nn]``: JSON Schema patterns have no case-insensitive flag."""
    return "".join(f"[{c.upper()}{c}]" for c in word)


def _weekday(value: Any) -> str:
    if isinstance(value, str):
        text = value.strip().lower()
        if text in WEEKDAYS:
            return text
        if text in _FULL_DAYS:
            return WEEKDAYS[_FULL_DAYS.index(text)]
    raise ValueError(f"expected a weekday ({', '.join(WEEKDAYS)}), got {shown(value)}")


Weekday = Annotated[
    str,
    PlainValidator(_weekday),
    WithJsonSchema(
        {
            "type": "string",
            # As the loader reads them: short or full, in any case (mon, Monday, SAT).
            "pattern": "^\\s*(" + "|".join(_any_case(d) for d in WEEKDAYS + _FULL_DAYS) + ")\\s*$",
            "description": "a weekday: mon … sun, or monday … sunday",
        }
    ),
]


def _date(value: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"expected a date like 2026-03-02, got {shown(value)}")


DateValue = Annotated[
    date,
    PlainValidator(_date),
    PlainSerializer(date.isoformat, return_type=str),
    WithJsonSchema({"type": "string", "format": "date", "description": "a date: 2026-03-02"}),
]


def _weeks(value: Any) -> Range:
    if isinstance(value, Range):
        return value
    if isinstance(value, int | str):
        return units.parse_range(value, what="weeks", low=1, high=520)
    raise ValueError(f"expected weeks like 1-4 or 5, got {shown(value)}")


WeeksValue = Annotated[
    Range,
    PlainValidator(_weeks),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": ["string", "integer"], "description": "a week or weeks: 1-4, 5"}),
]

_SIGNED = re.compile(r"^[+-]\d+$")


def _change(value: Any) -> int:
    if isinstance(value, str) and _SIGNED.match(value.strip()):
        value = int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and -MAX_SETS < value < MAX_SETS:
        return value
    raise ValueError(f"expected a change like +1 or -2, got {shown(value)}")


Change = Annotated[
    int,
    PlainValidator(_change),
    PlainSerializer(lambda n: f"{n:+d}", return_type=str),
    WithJsonSchema({"type": ["integer", "string"], "description": "a change: +1, -2"}),
]

_PERCENT = re.compile(r"^(\d+(?:\.\d+)?)\s*%$")


def _scale(value: Any) -> float:
    if isinstance(value, str):
        match = _PERCENT.match(value.strip())
        if match and 0 < float(match.group(1)) <= 200:
            return float(match.group(1))
    raise ValueError(
        f"expected a share of the written loads from 1% to 200%, like 90%, got {shown(value)}"
    )


LoadScale = Annotated[
    float,
    PlainValidator(_scale),
    PlainSerializer(lambda p: f"{p:g}%", return_type=str),
    WithJsonSchema({"type": "string", "description": "scale every weight and % 1RM: 90%"}),
]

_ADDED = re.compile(r"^([+-])\s*(\d+(?:\.\d+)?)\s*(kg|lb)s?$")


@dataclass(frozen=True)
class Added:
    """Weight added to every load (``+2.5 kg``) or taken off (``-5 lb``)."""

    value: float
    unit: units.WeightUnit

    def __str__(self) -> str:
        return f"{self.value:+g} {self.unit}"


def _added(value: Any) -> Added:
    if isinstance(value, Added):
        return value
    match = _ADDED.match(value.strip().lower()) if isinstance(value, str) else None
    if match and 0 < float(match.group(2)) <= 100:
        sign, number, unit = match.groups()
        return Added(float(number) * (1 if sign == "+" else -1), "kg" if unit == "kg" else "lb")
    raise ValueError(
        f"expected weight to add, with its sign, like +2.5 kg or -5 lb, got {shown(value)}"
    )


def _load_change(value: Any) -> float | Added:
    if isinstance(value, float | Added):
        return value
    if isinstance(value, str) and value.strip()[:1] in {"+", "-"}:
        return _added(value)
    try:
        return _scale(value)
    except ValueError:
        raise ValueError(
            "expected a share of the written loads like 90%, or weight to add like +2.5 kg, "
            f"got {shown(value)}"
        ) from None


LoadChange = Annotated[
    float | Added,
    PlainValidator(_load_change),
    PlainSerializer(lambda v: f"{v:g}%" if isinstance(v, float) else str(v), return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "description": "scale every weight and % 1RM (90%), or add weight to each (+2.5 kg)",
        }
    ),
]
AddedWeight = Annotated[
    Added,
    PlainValidator(_added),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "description": "weight added each week: +2.5 kg, +5 lb"}),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


_DRIVE = re.compile(r"^[A-Za-z]:")


def _workout_name(value: Any) -> Any:
    """A workout of the library, by name: a file stem, never a path (outputs are named after
    it, so ``../x`` would write outside the build folder)."""
    if isinstance(value, str):
        text = value.strip()
        if (
            "/" in text
            or "\\" in text
            or text in {".", ".."}
            or _DRIVE.match(text)
            or printable(text) != text
        ):
            raise ValueError(
                f"a workout is named by its file name without .yaml (like lifting), "
                f"not a path: {shown(value)}"
            )
    return value


class PlanSession(_Strict):
    """A workout on some weekdays, optionally varied for those days."""

    workout: Annotated[str, BeforeValidator(_workout_name)] = Field(
        min_length=1, description="a workout's name: its file name without .yaml"
    )
    days: list[Weekday] = Field(min_length=1, description="weekdays: [mon, thu]")
    sets: Count | None = Field(
        None, ge=1, le=MAX_SETS, description="sets of every exercise (a circuit: its rounds)"
    )
    reps: RepsValue | None = Field(None, description="reps of every exercise counted in reps")
    load: LoadScale | None = None
    warmup: bool = Field(False, description="change warm-up sets too (default: left as written)")


class EachWeek(_Strict):
    """What a plan or phase adds every week: ``{load: +2.5 kg}``."""

    load: AddedWeight


class Phase(_Strict):
    """A change to every session over a range of weeks."""

    name: str = Field(min_length=1, max_length=40)
    weeks: WeeksValue
    sets: Change | None = Field(None, description="add or remove sets (circuits: rounds): +1")
    reps: Change | None = Field(None, description="add or remove reps: -2")
    load: LoadChange | None = None
    each_week: EachWeek | None = Field(
        None, description="added every week of the phase, from its second: {load: +2.5 kg}"
    )
    warmup: bool = Field(False, description="change warm-up sets too (default: left as written)")


# FIT dates count seconds from 1989-12-31 (Garmin's epoch); Python's dates end in 9999.
FIRST_DAY = date(1989, 12, 31)
MAX_WEEKS = 104


def start_problem(start: date, weeks: int = MAX_WEEKS) -> str | None:
    """Why a plan of ``weeks`` weeks cannot start on ``start``, if it cannot."""
    if start < FIRST_DAY:
        return f"start {start.isoformat()} is before 1989-12-31, the first day a FIT file can date"
    if start > date.max - timedelta(weeks=weeks):
        return f"start {start.isoformat()}: {weeks} weeks from then run past the year 9999"
    return None


class Plan(_Strict):
    """Workouts on a calendar: sessions on weekdays, phases over weeks, days skipped."""

    name: DisplayName = Field(min_length=1, max_length=100)
    description: str | None = None
    weeks: Count = Field(ge=1, le=MAX_WEEKS, description="how many weeks the plan runs")
    start: DateValue | None = Field(None, description="the first day of week 1 (--start overrides)")
    sessions: list[PlanSession] = Field(min_length=1)
    phases: list[Phase] = Field(default_factory=list)
    each_week: EachWeek | None = Field(
        None, description="added every week, from week 2: {load: +2.5 kg}"
    )
    skip: list[DateValue] = Field(default_factory=list, description="dates without a session")


@dataclass(frozen=True)
class PlanSource:
    """A validated plan, where it came from, and the workouts its sessions name (by slug)."""

    slug: str
    path: Path
    plan: Plan
    workouts: Mapping[str, Source] = field(default_factory=dict)


def is_plan(data: Any) -> bool:
    """A plan file is told from a workout file by its top-level ``sessions`` key."""
    return isinstance(data, dict) and "sessions" in data


def load_plan(
    path: Path,
    doc: Document,
    find: Callable[[str], Source | None],
    known: Iterable[str],
) -> PlanSource:
    """Validate a plan read by ``loader.read_yaml``; ``find`` looks its workouts up by slug."""
    try:
        plan = Plan.model_validate(doc.data)
    except ValidationError as error:
        raise InvalidInput(problems_from(error, doc, path, Plan)) from None
    problems: list[Problem] = []

    def problem(loc: tuple[str | int, ...], message: str) -> None:
        line, col = doc.marks.get(loc, (None, None))
        problems.append(Problem(path, message, line, col, render_loc(loc)))

    late_or_early = start_problem(plan.start, plan.weeks) if plan.start else None
    if late_or_early:
        problem(("start",), late_or_early)
    workouts: dict[str, Source] = {}
    names = sorted(set(known))
    for i, session in enumerate(plan.sessions):
        found = find(session.workout)
        if found is None:
            close = difflib.get_close_matches(session.workout, names, n=1, cutoff=0.6)
            listed = ", ".join(names[:SHOWN_NAMES])
            if len(names) > SHOWN_NAMES:
                listed += f" and {len(names) - SHOWN_NAMES} more"
            hint = f": did you mean {close[0]!r}?" if close else f" (workouts: {listed})"
            problem(("sessions", i, "workout"), f"unknown workout {shown(session.workout)}{hint}")
        else:
            workouts[session.workout] = found
        if isinstance(session.reps, Amrap):
            problem(
                ("sessions", i, "reps"),
                f"a session gives reps as a number or a range like 5-6, got {session.reps}",
            )
        seen: set[str] = set()
        for k, day in enumerate(session.days):
            if day in seen:
                problem(("sessions", i, "days", k), f"{shown(day)} given twice")
            seen.add(day)

    text = path.read_text("utf-8").splitlines() if path.is_file() else []
    for i, phase in enumerate(plan.phases):
        if phase.weeks.high > plan.weeks:
            problem(
                ("phases", i, "weeks"),
                f"weeks {phase.weeks} go past the plan's {plan.weeks} weeks",
            )
        for earlier in plan.phases[:i]:
            if phase.weeks.low <= earlier.weeks.high and earlier.weeks.low <= phase.weeks.high:
                problem(
                    ("phases", i, "weeks"),
                    f"weeks {phase.weeks} overlap phase {shown(earlier.name)} "
                    f"(weeks {earlier.weeks})",
                )
                break
        for key in ("sets", "reps"):
            loc = ("phases", i, key)
            if getattr(phase, key) and not _written_signed(text, doc.marks.get(loc)):
                problem(
                    loc,
                    f"a phase changes {key}: write the sign, like +1 or -2 "
                    f"(a session's {key}: gives the number)",
                )
    if problems:
        raise InvalidInput(problems)
    return PlanSource(path.stem, path, plan, workouts)


def _written_signed(lines: list[str], mark: tuple[int, int] | None) -> bool:
    """Whether the value at ``mark`` was written with its sign (YAML reads ``+1`` as 1)."""
    if mark is None or mark[0] > len(lines):
        return True
    rest = lines[mark[0] - 1][mark[1] - 1 :].lstrip("'\"")
    return rest[:1] in {"+", "-"}


@dataclass(frozen=True)
class ScheduledSession:
    """One day's session: its date, week, phase and the workout variant done that day."""

    date: date
    week: int
    phase: str | None
    variant: Variant
    order: int = 1  # its place among the day's sessions

    @property
    def weekday(self) -> str:
        return WEEKDAYS[self.date.weekday()]


@dataclass(frozen=True)
class Calendar:
    """A plan expanded from a start date: every session, in date order."""

    source: PlanSource
    start: date
    sessions: tuple[ScheduledSession, ...]
    notes: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        return self.source.slug

    @property
    def plan(self) -> Plan:
        return self.source.plan

    @property
    def end(self) -> date:
        """The last day of the plan."""
        return self.start + timedelta(weeks=self.plan.weeks, days=-1)

    @property
    def variants(self) -> list[Variant]:
        """The distinct workouts the sessions use, in order of first use."""
        return list({s.variant.slug: s.variant for s in self.sessions}.values())

    def first_weeks(self, weeks: int) -> tuple[ScheduledSession, ...]:
        """The sessions of the first ``weeks`` weeks (what a watch's schedule keeps)."""
        end = self.start + timedelta(weeks=weeks)
        return tuple(s for s in self.sessions if s.date < end)


def _phase(plan: Plan, week: int) -> Phase | None:
    for phase in plan.phases:
        if phase.weeks.low <= week <= phase.weeks.high:
            return phase
    return None


def _changes(plan: Plan, week: int, session: PlanSession, phase: Phase | None) -> Changes:
    load = session.load or 100.0
    added: list[Added] = []
    if phase is not None and isinstance(phase.load, float):
        load = load * phase.load / 100
    elif phase is not None and isinstance(phase.load, Added):
        added.append(phase.load)
    if plan.each_week is not None and week > 1:
        added.append(Added(plan.each_week.load.value * (week - 1), plan.each_week.load.unit))
    if phase is not None and phase.each_week is not None and week > phase.weeks.low:
        step = phase.each_week.load
        added.append(Added(step.value * (week - phase.weeks.low), step.unit))
    unit = added[0].unit if added else "kg"
    return Changes(
        sets=session.sets,
        sets_delta=(phase.sets or 0) if phase else 0,
        reps=session.reps if isinstance(session.reps, Range) else None,
        reps_delta=(phase.reps or 0) if phase else 0,
        load=load,
        plus=sum(units.convert(a.value, a.unit, unit) for a in added),
        plus_unit=unit,
        warmup=session.warmup or (phase.warmup if phase else False),
    )


def _weekly(source: PlanSource) -> Iterable[tuple[int, int, PlanSession, Phase | None, Variant]]:
    """(week, session index, session, phase, variant) for every week, variants shared."""
    variants: dict[tuple[str, Changes], Variant] = {}
    for week in range(1, source.plan.weeks + 1):
        phase = _phase(source.plan, week)
        for index, session in enumerate(source.plan.sessions):
            changes = _changes(source.plan, week, session, phase).normalized()
            key = (session.workout, changes)
            if key not in variants:
                variants[key] = make_variant(source.workouts[session.workout], changes)
            yield week, index, session, phase, variants[key]


def plan_variants(source: PlanSource) -> list[Variant]:
    """Every workout a plan can put on a day, whatever its start (skipped days included)."""
    return list({v.slug: v for *_, v in _weekly(source)}.values())


def expand(source: PlanSource, start: date | None = None) -> Calendar:
    """The plan's dated sessions from ``start`` (else the plan's own ``start``).

    Week 1 is the seven days from the start date; a session falls on its weekdays inside each
    week, so a plan starting on a Wednesday puts week 1's Monday session five days later.
    Dates in ``skip`` lose their sessions.
    """
    start = start or source.plan.start
    if start is None:
        raise NoStartDate(
            f"{source.path}: plan {source.slug!r} has no start date: "
            "give --start YYYY-MM-DD or write start: in the plan"
        )
    skip = set(source.plan.skip)
    used: set[date] = set()
    found: list[tuple[date, int, ScheduledSession]] = []
    for week, index, session, phase, variant in _weekly(source):
        for day in session.days:
            offset = (WEEKDAYS.index(day) - start.weekday()) % 7
            when = start + timedelta(weeks=week - 1, days=offset)
            if when in skip:
                used.add(when)
                continue
            name = phase.name if phase else None
            found.append((when, index, ScheduledSession(when, week, name, variant)))
    found.sort(key=lambda item: (item[0], item[1]))
    sessions: list[ScheduledSession] = []
    for when, _, dated in found:
        order = 1 + sum(1 for s in sessions if s.date == when)
        sessions.append(ScheduledSession(when, dated.week, dated.phase, dated.variant, order))
    notes = tuple(f"skip {day.isoformat()}: no session that day" for day in sorted(skip - used))
    return Calendar(source, start, tuple(sessions), notes)
