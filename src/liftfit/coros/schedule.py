"""A plan's sessions on the COROS training calendar: only the entries that differ, only liftfit's.

A COROS calendar entry embeds its own copy of a program (it does not point at the library),
so the plan's variants go straight onto the calendar, each with liftfit's marker in its
overview. The calendar is read over the plan's dates; an entry is *liftfit's* when its
program carries a marker. liftfit's entries are matched with the sessions by marker (slug and
content hash) and day (``calendar_sync``, the one calendar engine): a session without an
entry is added, an entry without a session (or with an older version of the workout) is
removed, matched ones are left alone. Entries without a marker (the user's own), entries
changed on COROS since liftfit added them, and entries outside the plan's dates are never
touched.

Writes go one at a time, never in parallel: each addition takes ``maxIdInPlan + 1`` from a
fresh read (read again once if COROS refuses that number as taken), and every write is read
back (with a few short retries: COROS is eventually consistent). An unknown outcome stops
the run; the next one reads the calendar again, finds what was stored by its marker, and
sends only what is still missing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from liftfit import calendar_sync
from liftfit.coros.api import Refused, Session
from liftfit.coros.shape import content_hash, differences
from liftfit.upsert import Marker, find_marker

READ_BACK_DELAYS = (0.2, 0.5, 1.0, 2.0)  # seconds between read-backs of a calendar write
SCHEDULE_AGAIN = (
    "run `liftfit coros schedule` again, it reads the calendar first and sends only what "
    "is still missing"
)


def day_text(day: date) -> str:
    return day.strftime("%Y%m%d")


@dataclass(frozen=True)
class Entry:
    """A program on the COROS calendar."""

    id_in_plan: int
    plan_id: str
    plan_program_id: str
    day: date
    name: str
    marker: Marker | None
    program: dict[str, Any] = field(compare=False, hash=False, repr=False)


@dataclass(frozen=True)
class Wanted:
    """A plan session as it should be on the calendar."""

    day: date
    slug: str
    program: dict[str, Any] = field(compare=False, hash=False, repr=False)

    @property
    def marker(self) -> Marker:
        found = find_marker(self.program.get("overview"))
        assert found is not None, "push programs always carry a marker"
        return found


Change = calendar_sync.Change[Wanted, Entry]
CalendarPlan = calendar_sync.CalendarPlan[Wanted, Entry]
Report = calendar_sync.Report[Wanted, Entry]


def conflict_lines(plan: CalendarPlan) -> list[str]:
    """One line per entry left alone because it was changed on COROS."""
    return [
        f"{entry.marker.slug if entry.marker else entry.name} on {entry.day.isoformat()}: "
        "the calendar entry was changed on COROS since liftfit added it, and the plan no "
        "longer has it; left as it is (delete it in the COROS app if you don't want it)"
        for entry in plan.edited
    ]


@dataclass(frozen=True)
class Calendar:
    """One read of the calendar: its entries in range and the next free ``idInPlan``."""

    entries: list[Entry]
    max_id_in_plan: int


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _day(value: Any) -> date | None:
    text = str(value or "")
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        return None


def calendar_from(answer: dict[str, Any], start: date, end: date) -> Calendar:
    """The entries of a calendar answer inside ``start``…``end``, each with its program."""
    programs = {
        _int(p.get("idInPlan")): p for p in answer.get("programs") or [] if isinstance(p, dict)
    }
    entries = []
    highest = _int(answer.get("maxIdInPlan")) or 0
    for item in answer.get("entities") or []:
        if not isinstance(item, dict):
            continue
        id_in_plan, day = _int(item.get("idInPlan")), _day(item.get("happenDay"))
        if id_in_plan is None or day is None:
            continue
        highest = max(highest, id_in_plan)
        if not start <= day <= end:
            continue
        program = programs.get(id_in_plan) or {}
        entries.append(
            Entry(
                id_in_plan,
                str(item.get("planId") or answer.get("id") or ""),
                str(item.get("planProgramId") or ""),
                day,
                str(program.get("name") or ""),
                find_marker(program.get("overview")),
                program,
            )
        )
    entries.sort(key=lambda e: (e.day, e.id_in_plan))
    return Calendar(entries, highest)


def read_calendar(session: Session, start: date, end: date) -> Calendar:
    return calendar_from(session.calendar(day_text(start), day_text(end)), start, end)


def _marker(entry: Entry) -> Marker:
    assert entry.marker is not None, "only liftfit's entries are compared"
    return entry.marker


def reconcile(wanted: Sequence[Wanted], entries: Sequence[Entry]) -> CalendarPlan:
    """The writes that make liftfit's entries (those with a marker) the ``wanted`` sessions,
    matched by marker and day (``calendar_sync``).

    An entry the plan no longer wants is removed only if its program is still what liftfit
    sent (it hashes to its marker): one changed in COROS since is left alone (``edited``).
    """
    return calendar_sync.reconcile(
        wanted,
        [e for e in entries if e.marker is not None],
        wanted_key=lambda session: session.marker,
        entry_key=_marker,
        entry_slug=lambda entry: _marker(entry).slug,
        edited=lambda entry: content_hash(entry.program) != _marker(entry).content_hash,
    )


Check = Callable[[Calendar], str | None]


def _read_back(session: Session, day: date, check: Check) -> str | None:
    """Read the day until ``check`` passes (None) or the retries run out (its last word)."""
    problem: str | None = None
    for delay in (0.0, *READ_BACK_DELAYS):
        if delay:
            time.sleep(delay)
        problem = check(read_calendar(session, day, day))
        if problem is None:
            return None
    return problem


def _add(session: Session, change: Change, start: date, end: date) -> Check:
    """Add one session; how to tell it is stored as sent.

    ``idInPlan`` is the next free one of a fresh read. If COROS refuses it (someone took it
    in between: nothing was stored), the calendar is read again and the addition sent once
    more with the number after the new highest.
    """
    wanted = change.wanted
    assert wanted is not None
    for attempt in range(2):
        fresh = read_calendar(session, start, end)
        id_in_plan = fresh.max_id_in_plan + 1
        same_day = sum(1 for e in fresh.entries if e.day == wanted.day)
        program = {**wanted.program, "idInPlan": id_in_plan}
        try:
            session.change_calendar(
                {
                    "entities": [
                        {
                            "happenDay": day_text(wanted.day),
                            "idInPlan": id_in_plan,
                            "sortNoInSchedule": same_day + 1,
                        }
                    ],
                    "programs": [program],
                    "versionObjects": [{"id": id_in_plan, "status": 1}],
                    "pbVersion": 2,
                },
                f"adding {wanted.slug} on {wanted.day.isoformat()}",
                SCHEDULE_AGAIN,
            )
            break
        except Refused:
            if attempt:
                raise

    def check(calendar: Calendar) -> str | None:
        stored = [e for e in calendar.entries if e.id_in_plan == id_in_plan]
        if not stored:
            return "it is not on the calendar when read back"
        changed = differences(wanted.program, stored[0].program)
        if changed:
            return "COROS stored it differently: " + "; ".join(changed[:5])
        return None

    return check


def _remove(session: Session, change: Change) -> Check:
    entry = change.entry
    assert entry is not None
    session.change_calendar(
        {
            "versionObjects": [
                {
                    "id": entry.id_in_plan,
                    "planProgramId": entry.plan_program_id,
                    "planId": entry.plan_id,
                    "status": 3,
                }
            ],
            "pbVersion": 2,
        },
        f"removing {change.what} of {entry.day.isoformat()} from the calendar",
        SCHEDULE_AGAIN,
    )

    def check(calendar: Calendar) -> str | None:
        if any(e.id_in_plan == entry.id_in_plan for e in calendar.entries):
            return "it is still on the calendar when read back"
        return None

    return check


def apply(
    session: Session,
    plan: CalendarPlan,
    start: date,
    end: date,
    *,
    progress: Callable[[Change], None] | None = None,
) -> Report:
    """Send the plan's calendar writes one at a time: additions by day, then removals, each
    read back."""

    def write(change: Change) -> calendar_sync.Check:
        if change.kind == "add":
            check = _add(session, change, start, end)
        else:
            check = _remove(session, change)
        return lambda: _read_back(session, change.day, check)

    return calendar_sync.apply(plan, write, progress=progress)
