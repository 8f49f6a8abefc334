"""Scheduling a plan on the Connect calendar: only the entries that differ, only liftfit's own.

A plan's sessions (``plan.expand``) become calendar entries, each a (workout id, day) pair:
- the workouts are the plan's variants, pushed first with the upsert of ``sync`` (created,
  updated in place, or left as they are), so each variant has one workout id;
- the calendar is read month by month over the plan's dates; an entry is *liftfit's* when its
  workout carries a liftfit marker (the calendar itself does not say who made an entry);
- liftfit's entries in the plan's date range are matched with the sessions by workout id and
  day (``calendar_sync``, the one calendar engine): a session without an entry is scheduled
  (POST), an entry without a session is taken off (DELETE), matched ones are left alone.
  Entries of other workouts, and entries outside the plan's dates, are never touched.
A re-run finds everything matched and sends no write. A rate limit or an unknown outcome stops
the run; the next one reads the calendar again, so nothing is scheduled twice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from liftfit import calendar_sync
from liftfit.garmin.gateway import SCHEDULE_PATH, Session
from liftfit.garmin.sync import Plan as PushPlan
from liftfit.garmin.sync import Report as PushReport
from liftfit.plan import Calendar


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


Change = calendar_sync.Change[Wanted, Entry]
CalendarPlan = calendar_sync.CalendarPlan[Wanted, Entry]
Report = calendar_sync.Report[Wanted, Entry]


def request(change: Change) -> str:
    """The write a change sends, as method and path."""
    if change.kind == "remove":
        assert change.entry is not None
        return f"DELETE {SCHEDULE_PATH}/{change.entry.id}"
    assert change.wanted is not None
    workout_id = change.wanted.workout_id
    target = workout_id if workout_id is not None else f"<new {change.what}>"
    return f"POST   {SCHEDULE_PATH}/{target}"


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
    """The writes that make liftfit's entries the ``wanted`` sessions (``calendar_sync``).

    ``entries`` are the calendar's entries in the plan's date range; ``owned`` maps the ids of
    liftfit's workouts to their slugs. Entries of other workouts, and of those in ``keep``
    (liftfit's, but not safe to judge), stay as they are. Sessions and entries are matched
    by workout id and day.
    """
    keep = set(keep)
    mine = [e for e in entries if e.workout_id in owned and e.workout_id not in keep]
    return calendar_sync.reconcile(
        wanted,
        mine,
        wanted_key=lambda session: session.workout_id,
        entry_key=lambda entry: entry.workout_id,
        entry_slug=lambda entry: owned[entry.workout_id],
    )


def apply(
    session: Session, plan: CalendarPlan, *, progress: Callable[[Change], None] | None = None
) -> Report:
    """Send the plan's calendar writes one at a time: additions by day, then removals."""

    def write(change: Change) -> None:
        if change.kind == "add":
            assert change.wanted is not None
            workout_id = change.wanted.workout_id
            assert workout_id is not None, "workouts are pushed before scheduling"
            session.schedule(workout_id, change.day.isoformat(), change.what)
        else:
            assert change.entry is not None
            session.unschedule(change.entry.id, f"{change.what} of {change.day.isoformat()}")

    return calendar_sync.apply(plan, write, progress=progress)


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
