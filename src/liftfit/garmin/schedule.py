"""Scheduling a plan on the Connect calendar: only the entries that differ, only liftfit's own.

A plan's sessions (``plan.expand``) become calendar entries, each a (workout id, day) pair:
- the workouts are the plan's variants, pushed first with the upsert of ``sync`` (created,
  updated in place, or left as they are), so each variant has one workout id;
- the calendar is read month by month over the plan's dates; an entry is *liftfit's* when its
  workout carries a liftfit marker (the calendar itself does not say who made an entry);
- liftfit's entries in the plan's date range are matched with the sessions by workout id and
  day: a session without an entry is scheduled (POST), an entry without a session is taken off
  (DELETE), matched ones are left alone. Entries of other workouts, and entries outside the
  plan's dates, are never touched.
A re-run finds everything matched and sends no write. A rate limit or an unknown outcome stops
the run; the next one reads the calendar again, so nothing is scheduled twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from liftfit.errors import RemoteError
from liftfit.garmin.gateway import SCHEDULE_PATH, Session
from liftfit.garmin.sync import Plan as PushPlan
from liftfit.garmin.sync import Report as PushReport
from liftfit.plan import Calendar
from liftfit.upsert import Refused


@dataclass(frozen=True)
class Entry:
    """A scheduled workout on the Connect calendar."""

    id: int  # the entry's own id (``unschedule_workout`` takes it), not the workout's
    workout_id: int
    day: date
    title: str = ""


@dataclass(frozen=True)
class Wanted:
    """A plan session as it should be on the calendar."""

    day: date
    slug: str  # the variant's slug (its marker)
    workout_id: int | None  # None: the workout is not on Connect yet (a dry run)


@dataclass(frozen=True)
class Change:
    kind: Literal["add", "remove"]
    day: date
    what: str  # the slug of the workout (the variant's)
    workout_id: int | None = None
    entry: Entry | None = None

    @property
    def request(self) -> str:
        """The write this change sends, as method and path."""
        if self.kind == "remove":
            assert self.entry is not None
            return f"DELETE {SCHEDULE_PATH}/{self.entry.id}"
        target = self.workout_id if self.workout_id is not None else f"<new {self.what}>"
        return f"POST   {SCHEDULE_PATH}/{target}"


@dataclass
class CalendarPlan:
    """What the calendar needs: entries to add and remove, and the ones already right."""

    changes: list[Change]
    kept: list[Entry]

    def of(self, kind: Literal["add", "remove"]) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]


@dataclass
class Report:
    done: list[Change] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    stopped: RemoteError | None = None


def months(start: date, end: date) -> list[tuple[int, int]]:
    """The (year, month) pairs from ``start``'s month to ``end``'s, in order."""
    found = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        found.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def entries_from(items: Iterable[dict[str, Any]], start: date, end: date) -> list[Entry]:
    """Scheduled workouts among calendar items, inside ``start``…``end``, each id once.

    Connect's month view repeats the neighbouring months' days of its first and last weeks,
    so two months' answers share items; activities, weigh-ins and events are not workouts.
    """
    found: dict[int, Entry] = {}
    for item in items:
        if item.get("itemType") != "workout":
            continue
        entry_id, workout_id = item.get("id"), item.get("workoutId")
        if not isinstance(entry_id, int) or not isinstance(workout_id, int):
            continue
        try:
            day = date.fromisoformat(str(item.get("date"))[:10])
        except ValueError:
            continue
        if start <= day <= end:
            title = str(item.get("title") or "")
            found.setdefault(entry_id, Entry(entry_id, workout_id, day, title))
    return sorted(found.values(), key=lambda e: (e.day, e.id))


def read_calendar(session: Session, start: date, end: date) -> list[Entry]:
    """The scheduled workouts from ``start`` to ``end``: one request per month."""
    items: list[dict[str, Any]] = []
    for year, month in months(start, end):
        items += session.calendar_month(year, month)
    return entries_from(items, start, end)


def workout_ids(plan: PushPlan, report: PushReport | None) -> dict[str, int | None]:
    """Each variant's workout id after the push; None for one not created (yet).

    Variants Connect holds twice (copies made in Connect keep the marker) are left out: which
    one the sessions should use is the user's call.
    """
    ids: dict[str, int | None] = {}
    for action in plan.actions:
        if action.kind == "duplicate":
            continue
        ids[action.local.slug] = action.remote.id if action.remote is not None else None
    for action, workout_id in report.done if report is not None else ():
        ids[action.local.slug] = workout_id
    return ids


def reconcile(
    wanted: Sequence[Wanted],
    entries: Sequence[Entry],
    owned: Mapping[int, str],
    keep: Iterable[int] = (),
) -> CalendarPlan:
    """The writes that make liftfit's entries the ``wanted`` sessions.

    ``entries`` are the calendar's entries in the plan's date range; ``owned`` maps the ids of
    liftfit's workouts to their slugs. Entries of other workouts, and of those in ``keep``
    (liftfit's, but not safe to judge), stay as they are. Two sessions of one workout on one
    day are two entries.
    """
    keep = set(keep)
    mine = [e for e in entries if e.workout_id in owned and e.workout_id not in keep]
    unmatched = Counter((e.workout_id, e.day) for e in mine)
    kept_counts: Counter[tuple[int, date]] = Counter()
    adds = []
    for session in wanted:
        if session.workout_id is not None:
            key = (session.workout_id, session.day)
            if unmatched[key] > 0:
                unmatched[key] -= 1
                kept_counts[key] += 1
                continue
        adds.append(Change("add", session.day, session.slug, session.workout_id))
    kept, removes = [], []
    for entry in mine:
        key = (entry.workout_id, entry.day)
        if kept_counts[key] > 0:
            kept_counts[key] -= 1
            kept.append(entry)
        else:
            slug = owned[entry.workout_id]
            removes.append(Change("remove", entry.day, slug, entry.workout_id, entry))
    adds.sort(key=lambda c: c.day)
    removes.sort(key=lambda c: c.day)
    return CalendarPlan([*adds, *removes], kept)


def apply(
    session: Session, plan: CalendarPlan, *, progress: Callable[[Change], None] | None = None
) -> Report:
    """Send the plan's calendar writes one at a time: additions by day, then removals."""
    report = Report()
    for change in plan.changes:
        try:
            if change.kind == "add":
                assert change.workout_id is not None, "workouts are pushed before scheduling"
                session.schedule(change.workout_id, change.day.isoformat(), change.what)
            else:
                assert change.entry is not None
                session.unschedule(change.entry.id, f"{change.what} of {change.day.isoformat()}")
            report.done.append(change)
        except Refused as error:
            report.problems.append(str(error))
        except RemoteError as error:
            report.stopped = error
            break
        finally:
            if progress:
                progress(change)
    return report


def sessions_of(
    calendar: Calendar, ids: dict[str, int | None], *, dry_run: bool
) -> tuple[list[Wanted], list[str]]:
    """The calendar's sessions with their workout ids, and the variants left unscheduled.

    A variant has no id when Connect holds it twice, or (unless in a dry run, where it is
    yet to be created) when creating it failed: its sessions wait for the next run.
    """
    wanted: list[Wanted] = []
    left: Counter[str] = Counter()
    for dated in calendar.sessions:
        slug = dated.variant.slug
        workout_id = ids.get(slug)
        if slug not in ids or (workout_id is None and not dry_run):
            left[slug] += 1
            continue
        wanted.append(Wanted(dated.date, slug, workout_id))
    lines = [
        f"{slug}: {count} session{'s' if count != 1 else ''} not scheduled: "
        "its workout is not on Garmin Connect exactly once (see above)"
        for slug, count in left.items()
    ]
    return wanted, lines
