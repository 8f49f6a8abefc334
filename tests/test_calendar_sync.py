"""The one calendar engine (``liftfit.calendar_sync``) on a made-up calendar: what it adds,
removes, keeps and leaves alone, and how a run of writes ends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from liftfit import calendar_sync
from liftfit.calendar_sync import Change
from liftfit.errors import RemoteError
from liftfit.upsert import Refused

MON, TUE = date(2026, 3, 2), date(2026, 3, 3)


@dataclass(frozen=True)
class Session:
    day: date
    slug: str
    key: str | None


@dataclass(frozen=True)
class Entry:
    day: date
    key: str
    edited: bool = False


def reconcile(
    wanted: list[Session], mine: list[Entry]
) -> calendar_sync.CalendarPlan[Session, Entry]:
    return calendar_sync.reconcile(
        wanted,
        mine,
        wanted_key=lambda session: session.key,
        entry_key=lambda entry: entry.key,
        entry_slug=lambda entry: f"slug-{entry.key}",
        edited=lambda entry: entry.edited,
    )


def test_each_session_takes_one_entry_of_its_key_on_its_day() -> None:
    core = Session(MON, "core", "a")
    plan = reconcile([core, core, Session(TUE, "core", "a")], [Entry(MON, "a"), Entry(TUE, "b")])
    assert [(c.kind, c.day, c.what) for c in plan.changes] == [
        ("add", MON, "core"),  # the second core of Monday: one entry is not two sessions
        ("add", TUE, "core"),
        ("remove", TUE, "slug-b"),
    ]
    assert plan.kept == [Entry(MON, "a")]
    assert plan.edited == []


def test_a_session_without_a_key_matches_nothing_and_an_edited_entry_stays() -> None:
    plan = reconcile([Session(MON, "new", None)], [Entry(MON, "a", edited=True)])
    assert [(c.kind, c.what) for c in plan.changes] == [("add", "new")]
    assert plan.edited == [Entry(MON, "a", edited=True)] and plan.kept == []


def test_a_refusal_is_a_problem_and_any_other_remote_error_stops_the_run() -> None:
    plan = reconcile([Session(MON, "a", "a"), Session(MON, "b", "b"), Session(TUE, "c", "c")], [])
    sent: list[str] = []

    def write(change: Change[Session, Entry]) -> calendar_sync.Check | None:
        sent.append(change.what)
        if change.what == "a":
            raise Refused("the service refused a")
        if change.what == "b":
            return lambda: "stored differently"
        raise RemoteError("rate limited")

    seen: list[str] = []
    report = calendar_sync.apply(plan, write, progress=lambda change: seen.append(change.what))
    assert sent == seen == ["a", "b", "c"]
    assert [c.what for c in report.done] == ["b"] and report.refused == 1
    assert calendar_sync.result_lines(plan, report) == [
        "the service refused a",
        "b on 2026-03-02: stored differently",
        "rate limited (stopped with 1 of 3 calendar changes not sent)",
    ]
