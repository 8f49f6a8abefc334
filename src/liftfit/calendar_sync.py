"""The one calendar engine: a plan's sessions on a remote service's calendar, safely.

Every calendar (Garmin Connect's: ``garmin/schedule.py``; COROS's: ``coros/schedule.py``) is
driven the same way; only how its entries are read and written differs.

**The compare** (``reconcile``). The service reads its calendar over the plan's dates and
hands over only liftfit's entries (it knows how to tell them: a marked workout on Connect, a
marker in the program on COROS). Each wanted session (``Wanted``: a day and a slug) is matched
with one of those entries by a key the service gives (its workout id on Connect, its marker on
COROS) and the day: a session without an entry is added, an entry without a session is
removed, unless the service says it was changed since liftfit wrote it (``edited``: left
alone). Two sessions of one key on one day are two entries. Additions come by day, then
removals. A re-run finds everything matched and sends no write.

**The writes** (``apply``). One at a time, never in parallel. The service's ``write`` sends
one change and may give back how to check it was stored (a read-back); a check that fails is
a problem line. A ``Refused`` write (nothing stored) is a problem line too, and the next write
is sent; any other ``RemoteError`` (rate limit, unknown outcome) stops the run, and the next
run reads the calendar again, so nothing is scheduled twice. ``result_lines`` are the lines a
command ends with (exit 3 if any).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal, Protocol

from liftfit.errors import RemoteError
from liftfit.upsert import Refused

ChangeKind = Literal["add", "remove"]


class Wanted(Protocol):
    """A plan session as it should be on the calendar."""

    @property
    def day(self) -> date: ...

    @property
    def slug(self) -> str: ...  # the variant's (its marker's)


class Placed(Protocol):
    """An entry on the service's calendar."""

    @property
    def day(self) -> date: ...


@dataclass(frozen=True)
class Change[W, E]:
    """One calendar write: the session to add (``wanted``) or the entry to remove."""

    kind: ChangeKind
    day: date
    what: str  # the workout's slug
    wanted: W | None = None
    entry: E | None = None


@dataclass
class CalendarPlan[W, E]:
    """What the calendar needs: the writes, the entries already right, and those left alone
    because they were changed on the service and the plan no longer has them."""

    changes: list[Change[W, E]]
    kept: list[E]
    edited: list[E] = field(default_factory=list)

    def of(self, kind: ChangeKind) -> list[Change[W, E]]:
        return [c for c in self.changes if c.kind == kind]


@dataclass
class Report[W, E]:
    """What ``apply`` did: each write sent, the problems, where it stopped."""

    done: list[Change[W, E]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    stopped: RemoteError | None = None
    refused: int = 0  # writes the service refused (nothing stored)


def reconcile[W: Wanted, E: Placed, K: Hashable](
    wanted: Sequence[W],
    mine: Sequence[E],
    *,
    wanted_key: Callable[[W], K | None],
    entry_key: Callable[[E], K],
    entry_slug: Callable[[E], str],
    edited: Callable[[E], bool] = lambda entry: False,
) -> CalendarPlan[W, E]:
    """The writes that make liftfit's entries (``mine``) the ``wanted`` sessions.

    A session matches an entry of the same key on its day; a session whose key is None (its
    workout is not on the service yet) matches none. An entry no session wants is removed,
    unless ``edited`` says to leave it alone.
    """
    unmatched = Counter((entry_key(e), e.day) for e in mine)
    kept_counts: Counter[tuple[K, date]] = Counter()
    adds: list[Change[W, E]] = []
    for session in wanted:
        key = wanted_key(session)
        if key is not None and unmatched[key, session.day] > 0:
            unmatched[key, session.day] -= 1
            kept_counts[key, session.day] += 1
            continue
        adds.append(Change("add", session.day, session.slug, wanted=session))
    kept: list[E] = []
    removes: list[Change[W, E]] = []
    left: list[E] = []
    for entry in mine:
        pair = (entry_key(entry), entry.day)
        if kept_counts[pair] > 0:
            kept_counts[pair] -= 1
            kept.append(entry)
        elif edited(entry):
            left.append(entry)
        else:
            removes.append(Change("remove", entry.day, entry_slug(entry), entry=entry))
    adds.sort(key=lambda c: c.day)
    removes.sort(key=lambda c: c.day)
    return CalendarPlan([*adds, *removes], kept, left)


Check = Callable[[], str | None]  # None when the write is stored as sent, else what is wrong


def apply[W, E](
    plan: CalendarPlan[W, E],
    write: Callable[[Change[W, E]], Check | None],
    *,
    progress: Callable[[Change[W, E]], None] | None = None,
) -> Report[W, E]:
    """Send the plan's writes one at a time: ``write`` sends one change, and gives back how
    to check it was stored (None: nothing to check)."""
    report: Report[W, E] = Report()
    for change in plan.changes:
        try:
            check = write(change)
            report.done.append(change)
            problem = check() if check is not None else None
            if problem:
                report.problems.append(f"{change.what} on {change.day.isoformat()}: {problem}")
        except Refused as error:
            report.problems.append(str(error))
            report.refused += 1
        except RemoteError as error:
            report.stopped = error
            break
        finally:
            if progress:
                progress(change)
    return report


def result_lines[W, E](plan: CalendarPlan[W, E], report: Report[W, E]) -> list[str]:
    """The problems of a run and where it stopped (a command ends with them, exit 3)."""
    lines = list(report.problems)
    if report.stopped is not None:
        total = len(plan.changes)
        missing = total - len(report.done) - report.refused
        lines.append(
            f"{report.stopped} (stopped with {missing} of {total} calendar changes not sent)"
        )
    return lines
