"""`liftfit garmin schedule`: a plan on the Connect calendar, through the real client.

The stand-in (tests/garmin_standin.py) serves Connect's calendar: month grids of whole weeks,
schedule (POST), unschedule (DELETE). Every test checks the exact requests sent.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from tests import test_garmin
from tests.conftest import ROOT
from tests.garmin_standin import SCHEDULE, WORKOUT, Fault, StandIn
from tests.test_garmin import garmin

# test_garmin's fixtures: no socket beyond 127.0.0.1 (autouse), the stand-in, a token folder.
no_internet = test_garmin.no_internet
standin = test_garmin.standin
tokens = test_garmin.tokens

START = "2026-03-16"  # a Monday; the plan's 4 weeks end on Sunday 2026-04-12
FRIDAYS = ["2026-03-20", "2026-03-27", "2026-04-03", "2026-04-10"]
SATURDAYS = ["2026-03-21", "2026-03-28", "2026-04-04", "2026-04-11"]
MONTHS = ["/calendar-service/year/2026/month/2", "/calendar-service/year/2026/month/3"]
LOGIN = ["/userprofile-service/socialProfile", "/userprofile-service/userprofile/user-settings"]


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    """A copy of the bundled workouts and plans; the Ingebrigtsen plan's file."""
    shutil.copytree(ROOT / "workouts", tmp_path / "workouts")
    return tmp_path / "workouts" / "plans" / "ingebrigtsen-week.yaml"


def schedule(plan: Path, *more: str) -> Any:
    return garmin("schedule", str(plan), "--start", START, *more)


def slug_of(standin: StandIn, workout_id: int) -> str:
    description = standin.workouts[workout_id]["description"]
    return str(description.rsplit("liftfit:", 1)[1].split(":")[0])


def on_calendar(standin: StandIn) -> list[tuple[str, str]]:
    """(day, liftfit slug or workout name) of every calendar entry, by day."""
    found = []
    for day, workout_id, name in standin.calendar():
        marked = "liftfit:" in (standin.workouts[workout_id].get("description") or "")
        found.append((day, slug_of(standin, workout_id) if marked else name))
    return found


def requests(standin: StandIn, since: int = 0) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in standin.log[since:]]


def workout_id(standin: StandIn, slug: str) -> int:
    (found,) = standin.with_marker(slug)
    return int(found["workoutId"])


def expected_sessions(friday_or_saturday: list[str] = FRIDAYS) -> list[tuple[str, str]]:
    days = []
    for week in range(4):
        monday = 16 + 7 * week
        for offset, slug in ((0, "ingebrigtsen-drills"), (2, "ingebrigtsen-drills")):
            days.append((_day(monday + offset), slug))
        days.append((friday_or_saturday[week], "ingebrigtsen-lifting--2-sets"))
        days.append((_day(monday + 6), "ingebrigtsen-lifting"))
    return sorted(days)


def _day(march_day: int) -> str:
    return f"2026-03-{march_day:02d}" if march_day <= 31 else f"2026-04-{march_day - 31:02d}"


def _iterations(workout: dict[str, Any]) -> list[int]:
    steps = workout["workoutSegments"][0]["workoutSteps"]
    return [int(s["numberOfIterations"]) for s in steps if s["type"] == "RepeatGroupDTO"]


# --- the first run, and the second --------------------------------------------------------


def test_schedule_pushes_the_variants_and_puts_each_session_on_its_day(
    tokens: Path,
    standin: StandIn,
    plan: Path,
) -> None:
    result = schedule(plan)
    assert result.exit_code == 0, result.output
    assert standin.violations == [] and standin.unexpected == []
    assert on_calendar(standin) == expected_sessions()
    weekdays = {day: slug for day, slug in on_calendar(standin)}
    assert weekdays["2026-03-16"] == weekdays["2026-03-18"] == "ingebrigtsen-drills"  # Mon, Wed
    assert weekdays["2026-03-20"] == "ingebrigtsen-lifting--2-sets"  # Fri
    assert weekdays["2026-03-22"] == "ingebrigtsen-lifting"  # Sun: the workout itself, 3 sets

    # The 2-set and the 3-set days are two workouts on Connect, with their own sets.
    two, three = (
        workout_id(standin, "ingebrigtsen-lifting--2-sets"),
        workout_id(standin, "ingebrigtsen-lifting"),
    )
    assert two != three
    assert set(_iterations(standin.workouts[two])) == {2}
    assert set(_iterations(standin.workouts[three])) == {3}
    assert standin.workouts[two]["workoutName"] == "Ingebrigtsen lifting · 2 sets"
    assert len(standin.workouts) == 3

    # Login (2), the workout list, 3 workouts created and read back, 2 months, 16 entries.
    sent = requests(standin)
    assert sent[:3] == [("GET", LOGIN[0]), ("GET", LOGIN[1]), ("GET", "/workout-service/workouts")]
    assert sent.count(("POST", WORKOUT)) == 3
    assert [p for m, p in sent if m == "GET" and p.startswith("/calendar-service")] == MONTHS
    assert len([1 for m, p in sent if m == "POST" and p.startswith(SCHEDULE)]) == 16
    assert len(sent) == 3 + 3 + 3 + 2 + 16
    assert "Calendar 2026-03-16 to 2026-04-12: 16 scheduled, 0 removed, 0 already there" in (
        result.stdout
    )

    before = len(standin.log)
    again = schedule(plan)
    assert again.exit_code == 0, again.output
    assert requests(standin, before) == [
        ("GET", LOGIN[0]),
        ("GET", LOGIN[1]),
        ("GET", "/workout-service/workouts"),
        ("GET", "/workout-service/workouts"),  # the page after the 3 workouts: empty
        ("GET", MONTHS[0]),
        ("GET", MONTHS[1]),
    ]
    assert "0 created, 0 updated, 3 unchanged" in again.stdout
    assert "16 scheduled" not in again.stdout and "0 scheduled, 0 removed, 16 already" in (
        again.stdout
    )


# --- a changed plan ----------------------------------------------------------------------


def _edit(plan: Path, old: str, new: str) -> None:
    text = plan.read_text("utf-8")
    assert old in text
    plan.write_text(text.replace(old, new, 1), "utf-8")


def _entry_ids(standin: StandIn, slug: str, days: list[str]) -> list[int]:
    wanted = workout_id(standin, slug)
    return sorted(
        i for i, e in standin.schedules.items() if e["workoutId"] == wanted and e["date"] in days
    )


def test_moving_friday_to_saturday_moves_exactly_those_entries(
    tokens: Path,
    standin: StandIn,
    plan: Path,
) -> None:
    assert schedule(plan).exit_code == 0
    two_sets = workout_id(standin, "ingebrigtsen-lifting--2-sets")
    fridays = _entry_ids(standin, "ingebrigtsen-lifting--2-sets", FRIDAYS)
    kept = {i: dict(e) for i, e in standin.schedules.items() if i not in fridays}
    _edit(plan, "days: [fri], sets: 2", "days: [sat], sets: 2")
    before = len(standin.log)

    moved = schedule(plan)
    assert moved.exit_code == 0, moved.output
    writes = [(r.method, r.path, r.body) for r in standin.log[before:] if r.is_write]
    assert writes == [
        *[("POST", f"{SCHEDULE}/{two_sets}", {"date": day}) for day in SATURDAYS],
        *[("DELETE", f"{SCHEDULE}/{entry}", "") for entry in fridays],
    ]
    assert on_calendar(standin) == expected_sessions(SATURDAYS)
    assert all(standin.schedules[i] == e for i, e in kept.items())  # the others untouched
    assert "4 scheduled, 4 removed, 12 already there" in moved.stdout
    assert "removed   2026-03-20 Fri  ingebrigtsen-lifting--2-sets" in moved.stdout


def test_a_new_variant_is_created_and_takes_over_its_days(
    tokens: Path,
    standin: StandIn,
    plan: Path,
) -> None:
    assert schedule(plan).exit_code == 0
    fridays = _entry_ids(standin, "ingebrigtsen-lifting--2-sets", FRIDAYS)
    _edit(plan, "days: [fri], sets: 2", "days: [fri], sets: 1")
    before = len(standin.log)

    result = schedule(plan)
    assert result.exit_code == 0, result.output
    one_set = workout_id(standin, "ingebrigtsen-lifting--1-set")
    writes = [(r.method, r.path) for r in standin.log[before:] if r.is_write]
    assert writes == [
        ("POST", WORKOUT),
        *[("POST", f"{SCHEDULE}/{one_set}")] * 4,
        *[("DELETE", f"{SCHEDULE}/{entry}") for entry in fridays],
    ]
    assert [slug for day, slug in on_calendar(standin) if day in FRIDAYS] == [
        "ingebrigtsen-lifting--1-set"
    ] * 4
    assert standin.with_marker("ingebrigtsen-lifting--2-sets")  # schedule deletes no workout


def test_only_liftfits_own_entries_in_the_plans_dates_are_touched(
    tokens: Path,
    standin: StandIn,
    plan: Path,
) -> None:
    assert schedule(plan).exit_code == 0
    drills = workout_id(standin, "ingebrigtsen-drills")
    # The athlete's own workout on a plan day, and an activity and a weigh-in that day.
    own = standin.add({**standin.workouts[drills], "description": "my hill session"})
    foreign = standin.put_on_calendar(own, "2026-03-20")
    standin.calendar_extras += [
        {"id": 1, "itemType": "activity", "date": "2026-03-20", "title": "Morning Run"},
        {"id": 2, "itemType": "weight", "date": "2026-03-21", "title": None},
    ]
    # liftfit's drills by hand: the days around the plan (shown in its months' grids: the
    # Saturday before and the Monday after), and one more day inside it.
    before_plan = standin.put_on_calendar(drills, "2026-03-14")
    after_plan = standin.put_on_calendar(drills, "2026-04-13")
    extra = standin.put_on_calendar(drills, "2026-03-17")
    entries = dict(standin.schedules)
    start = len(standin.log)

    result = schedule(plan)
    assert result.exit_code == 0, result.output
    writes = [(r.method, r.path) for r in standin.log[start:] if r.is_write]
    assert writes == [("DELETE", f"{SCHEDULE}/{extra}")]
    assert {foreign, before_plan, after_plan} <= set(standin.schedules)
    assert {i: e for i, e in standin.schedules.items()} == {
        i: e for i, e in entries.items() if i != extra
    }
    assert "0 scheduled, 1 removed, 16 already there" in result.stdout


def test_dry_run_prints_the_requests_and_sends_no_write(
    tokens: Path,
    standin: StandIn,
    plan: Path,
) -> None:
    first = schedule(plan, "--dry-run")
    assert first.exit_code == 0, first.output
    assert standin.writes() == []
    lines = first.stdout.splitlines()
    assert sum(line.startswith(f"POST {WORKOUT}  ") for line in lines) == 3
    assert f"POST   {SCHEDULE}/<new ingebrigtsen-lifting--2-sets>  2026-03-20  " in first.stdout
    assert sum(line.startswith(f"POST   {SCHEDULE}/") for line in lines) == 16
    assert lines[-1] == (
        "dry run: 3 workout writes, 16 to schedule and 0 to remove from 2026-03-16 to "
        "2026-04-12, 0 already on the calendar; nothing sent"
    )

    assert schedule(plan).exit_code == 0
    two_sets = workout_id(standin, "ingebrigtsen-lifting--2-sets")
    fridays = _entry_ids(standin, "ingebrigtsen-lifting--2-sets", FRIDAYS)
    _edit(plan, "days: [fri], sets: 2", "days: [sat], sets: 2")
    writes = len(standin.writes())
    planned = schedule(plan, "--dry-run")
    assert planned.exit_code == 0, planned.output
    assert len(standin.writes()) == writes
    assert planned.stdout.splitlines()[:-1] == [
        *[
            f"POST   {SCHEDULE}/{two_sets}  {day}  ingebrigtsen-lifting--2-sets"
            for day in SATURDAYS
        ],
        *[
            f"DELETE {SCHEDULE}/{entry}  {day}  ingebrigtsen-lifting--2-sets"
            for entry, day in zip(fridays, FRIDAYS, strict=True)
        ],
    ]


# --- when Connect fails ------------------------------------------------------------------


def test_a_rate_limit_stops_scheduling_and_a_rerun_finishes_it(
    tokens: Path,
    standin: StandIn,
    plan: Path,
) -> None:
    standin.faults.append(Fault("POST", SCHEDULE, 429, nth=5))
    stopped = schedule(plan)
    assert stopped.exit_code == 3
    assert len(stopped.stderr.splitlines()) == 1, stopped.stderr
    assert "429" in stopped.stderr and "try again later" in stopped.stderr
    assert "stopped with 12 of 16 calendar changes not sent" in stopped.stderr
    assert len(standin.schedules) == 4
    assert len(standin.requests("POST", SCHEDULE)) == 5  # the refused one is not retried

    again = schedule(plan)
    assert again.exit_code == 0, again.output
    assert "12 scheduled, 0 removed, 4 already there" in again.stdout
    assert on_calendar(standin) == expected_sessions()  # each session exactly once


def test_a_rate_limit_while_pushing_leaves_the_calendar_alone(
    tokens: Path,
    standin: StandIn,
    plan: Path,
) -> None:
    standin.faults.append(Fault("POST", WORKOUT, 429, nth=2))
    stopped = schedule(plan)
    assert stopped.exit_code == 3
    assert len(stopped.stderr.splitlines()) == 1, stopped.stderr
    assert "429" in stopped.stderr and "the calendar was not changed" in stopped.stderr
    assert standin.requests("POST", SCHEDULE) == []
    assert standin.requests("GET", "/calendar-service") != []  # read, never written
    assert schedule(plan).exit_code == 0
    assert on_calendar(standin) == expected_sessions()


def test_an_unknown_outcome_is_reconciled_from_the_calendar(
    tokens: Path,
    standin: StandIn,
    plan: Path,
) -> None:
    standin.faults.append(Fault("POST", SCHEDULE, 500, nth=3, after_store=True))
    failed = schedule(plan)
    assert failed.exit_code == 3
    assert len(failed.stderr.splitlines()) == 1, failed.stderr
    assert "HTTP 500" in failed.stderr and "may have been stored" in failed.stderr
    assert "liftfit garmin schedule` again" in failed.stderr
    assert len(standin.schedules) == 3  # stored, though the answer said otherwise
    assert len(standin.requests("POST", SCHEDULE)) == 3  # and not sent again

    again = schedule(plan)
    assert again.exit_code == 0, again.output
    assert "13 scheduled, 0 removed, 3 already there" in again.stdout
    assert on_calendar(standin) == expected_sessions()  # no session twice


def test_an_entry_already_gone_counts_as_removed(
    tokens: Path,
    standin: StandIn,
    plan: Path,
) -> None:
    assert schedule(plan).exit_code == 0
    _edit(plan, "days: [fri], sets: 2", "days: [sat], sets: 2")
    # The entry goes (deleted in Connect's app meanwhile), and Connect answers 404.
    standin.faults.append(Fault("DELETE", SCHEDULE, 404, nth=1, after_store=True))
    result = schedule(plan)
    assert result.exit_code == 0, result.output
    assert on_calendar(standin) == expected_sessions(SATURDAYS)
    assert len(standin.requests("DELETE", SCHEDULE)) == 4


def test_a_workout_held_twice_on_connect_keeps_its_days_as_they_are(
    tokens: Path,
    standin: StandIn,
    plan: Path,
) -> None:
    assert schedule(plan).exit_code == 0
    two_sets = standin.with_marker("ingebrigtsen-lifting--2-sets")[0]
    standin.add({**two_sets, "workoutName": "Copy of lifting"})  # the copy keeps the marker
    _edit(plan, "days: [fri], sets: 2", "days: [sat], sets: 2")
    entries = dict(standin.schedules)
    writes = len(standin.writes())

    result = schedule(plan)
    assert result.exit_code == 3
    assert "2 workouts on Garmin Connect carry its marker" in result.stderr
    assert "ingebrigtsen-lifting--2-sets: 4 sessions not scheduled" in result.stderr
    assert len(standin.writes()) == writes  # neither Saturdays added nor Fridays removed
    assert standin.schedules == entries


def test_a_plan_without_a_start_date_is_a_usage_error(
    tokens: Path,
    standin: StandIn,
    plan: Path,
) -> None:
    result = garmin("schedule", str(plan))
    assert result.exit_code == 2
    assert "--start" in result.stderr
    assert standin.log == []
