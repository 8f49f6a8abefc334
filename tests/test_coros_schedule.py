"""`liftfit coros schedule`: a plan on the COROS training calendar, through the real client."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import Result

from liftfit.upsert import find_marker
from tests.conftest import covering
from tests.coros_client import (
    EMAIL,
    PASSWORD,
    coros,
    folder,
    library,
    liftfit,
    logged_in,
    no_internet,
    no_waiting,
)
from tests.coros_standin import WRITES, CorosStandin

__all__ = ["coros", "folder", "library", "logged_in", "no_internet", "no_waiting"]

START = "2026-07-06"  # a Monday: sessions on 07-06, 07-09, 07-13, 07-16
DAYS = ["20260706", "20260709", "20260713", "20260716"]
PLAN = """\
name: Two weeks of core
weeks: 2
sessions:
  - {workout: core, days: [mon, thu]}
"""


@pytest.fixture
def plan(library: Path) -> Path:
    path = library / "plans" / "two-weeks.yaml"
    path.write_text(PLAN, "utf-8")
    return path


def schedule(plan: Path, *more: str) -> Result:
    return liftfit("schedule", str(plan), "--start", START, *more)


def mine(coros: CorosStandin) -> list[tuple[str, str]]:
    """liftfit's calendar entries (day, marker slug), in order."""
    found = []
    for entry in coros.schedule_entries():
        marker = find_marker(entry["program"].get("overview"))
        if marker is not None:
            found.append((entry["happenDay"], marker.slug))
    return found


def test_schedule_adds_each_session_once_and_a_rerun_sends_nothing(
    logged_in: Path, coros: CorosStandin, plan: Path
) -> None:
    result = schedule(plan)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "scheduled 2026-07-06 Mon  core",
        "scheduled 2026-07-09 Thu  core",
        "scheduled 2026-07-13 Mon  core",
        "scheduled 2026-07-16 Thu  core",
        "COROS calendar 2026-07-06 to 2026-07-19: 4 scheduled, 0 removed, 0 already there",
    ]
    assert "COROS calendar 4/4: core" in result.stderr  # progress
    assert mine(coros) == [(day, "core") for day in DAYS]
    entries = coros.schedule_entries()
    assert [e["idInPlan"] for e in entries] == [1, 2, 3, 4]
    program = entries[0]["program"]
    assert program["name"] == "Core" and program["sportType"] == 4
    assert len(program["overview"]) <= 300
    writes = coros.writes()
    assert len(writes) == 4
    assert all(len(w.body["versionObjects"]) == 1 for w in writes)
    # Each addition's idInPlan comes from a read of the plan's dates just before it.
    paths = [(r.path, r.query.get("startDate"), r.query.get("endDate")) for r in coros.requests]
    for write in writes:
        before = paths[coros.requests.index(write) - 1]
        assert before == ("/training/schedule/query", "20260706", "20260719")
    coros.requests.clear()
    again = schedule(plan)
    assert again.exit_code == 0, again.output
    assert again.stdout.splitlines()[-1] == (
        "COROS calendar 2026-07-06 to 2026-07-19: 0 scheduled, 0 removed, 4 already there"
    )
    assert coros.writes() == []


def test_the_users_entries_and_entries_outside_the_plan_stay(
    logged_in: Path, coros: CorosStandin, plan: Path
) -> None:
    assert schedule(plan).exit_code == 0
    liftfits = coros.schedule_entries()[0]["program"]
    own = {"name": "My run", "sportType": 1, "overview": "easy", "exercises": []}
    coros.add_user_entry("20260709", own)
    coros.add_user_entry("20260720", liftfits)  # liftfit's program, the day after the plan
    plan.write_text(PLAN.replace("[mon, thu]", "[mon, fri]"), "utf-8")
    result = schedule(plan)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "scheduled 2026-07-10 Fri  core",
        "scheduled 2026-07-17 Fri  core",
        "removed   2026-07-09 Thu  core",
        "removed   2026-07-16 Thu  core",
        "COROS calendar 2026-07-06 to 2026-07-19: 2 scheduled, 2 removed, 2 already there",
    ]
    days = [(e["happenDay"], e["program"]["name"]) for e in coros.schedule_entries()]
    assert days == [
        ("20260706", "Core"),
        ("20260709", "My run"),
        ("20260710", "Core"),
        ("20260713", "Core"),
        ("20260717", "Core"),
        ("20260720", "Core"),
    ]


def test_a_changed_workout_replaces_liftfits_entries(
    logged_in: Path, coros: CorosStandin, plan: Path, library: Path
) -> None:
    assert schedule(plan).exit_code == 0
    old = {e["idInPlan"] for e in coros.schedule_entries()}
    core = library / "core.yaml"
    core.write_text(core.read_text("utf-8").replace("name: Core", "name: Core v2", 1), "utf-8")
    result = schedule(plan)
    assert result.exit_code == 0, result.output
    entries = coros.schedule_entries()
    assert [e["program"]["name"] for e in entries] == ["Core v2"] * 4
    assert not old & {e["idInPlan"] for e in entries}


def test_an_entry_changed_on_coros_is_not_removed(
    logged_in: Path, coros: CorosStandin, plan: Path
) -> None:
    assert schedule(plan).exit_code == 0
    entry = coros.schedule_entries()[1]  # Thursday 2026-07-09
    program = {**entry["program"], "name": "Core, my way"}
    for key in ("id", "idInPlan"):
        program.pop(key, None)
    account = coros.accounts[EMAIL]
    account.entries[entry["idInPlan"]]["program"] = program  # edited in the COROS app
    plan.write_text(PLAN.replace("[mon, thu]", "[mon]"), "utf-8")
    result = schedule(plan)
    assert result.exit_code == 3
    assert result.stdout.splitlines() == [
        "removed   2026-07-16 Thu  core",
        "COROS calendar 2026-07-06 to 2026-07-19: 0 scheduled, 1 removed, 2 already there",
    ]
    assert result.stderr.splitlines() == [
        "error: core on 2026-07-09: the calendar entry was changed on COROS since liftfit "
        "added it, and the plan no longer has it; left as it is (delete it in the COROS app "
        "if you don't want it)"
    ]
    names = [(e["happenDay"], e["program"]["name"]) for e in coros.schedule_entries()]
    assert names == [("20260706", "Core"), ("20260709", "Core, my way"), ("20260713", "Core")]


def test_dry_run_without_a_login_sends_nothing_and_says_it_could_not_compare(
    folder: Path, coros: CorosStandin, plan: Path
) -> None:
    result = schedule(plan, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        *(f"add     {d[:4]}-{d[4:6]}-{d[6:]}  core" for d in DAYS),
        f"dry run: not logged in to COROS (no token in {folder}), so this could not be "
        "compared with it: 4 sessions to schedule from 2026-07-06 to 2026-07-19, less any "
        "already there; nothing sent",
    ]
    assert coros.requests == []


def test_dry_run_with_a_login_prints_the_diff_and_writes_nothing(
    logged_in: Path, coros: CorosStandin, plan: Path
) -> None:
    assert schedule(plan).exit_code == 0
    plan.write_text(PLAN.replace("[mon, thu]", "[mon, fri]"), "utf-8")
    coros.requests.clear()
    result = schedule(plan, "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "add     2026-07-10  core",
        "add     2026-07-17  core",
        "remove  2026-07-09  core",
        "remove  2026-07-16  core",
        "dry run: 2 to add and 2 to remove from 2026-07-06 to 2026-07-19, 2 already on the "
        "calendar; nothing sent",
    ]
    assert coros.writes() == []


def test_a_workout_coros_would_refuse_is_exit_1_before_any_request(
    folder: Path, coros: CorosStandin, plan: Path, library: Path
) -> None:
    (library / "core.yaml").write_text(
        "name: Core\nsteps:\n  - exercise: side plank\n    hold: 13h\n    per_side: true\n",
        "utf-8",
    )
    result = schedule(plan)
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {library / 'core.yaml'}: COROS would refuse it: row 1: target 93600 seconds "
        "is outside 1-86400\n"
    )
    assert coros.requests == []


# --- faults: every one the stand-in injects, then a re-run converges -----------------------

PATHS = ["/training/schedule/update", "/training/schedule/query"]
FAULTS = [
    ("5xx", "before"),
    ("5xx", "after"),  # the server stored it, then failed
    ("reset", "before"),
    ("reset", "after"),
    ("null", "before"),
    ("token", "before"),
    ("token", "after"),  # stored, then answered "token invalid"
    ("slow", "before"),
    ("trickle", "before"),
]
# A read stores nothing: failing after serving it is the same fault as failing before.
# Every fault on every endpoint in CI; by default each fault once and each endpoint once.
CASES = [
    (path, kind, when)
    for path, (kind, when) in covering(
        [(path, fault) for path in PATHS for fault in FAULTS if "before" in fault or path in WRITES]
    )
]


@pytest.mark.parametrize(("path", "kind", "when"), CASES)
def test_after_any_fault_a_rerun_converges_without_duplicates(
    logged_in: Path,
    coros: CorosStandin,
    plan: Path,
    monkeypatch: pytest.MonkeyPatch,
    path: str,
    kind: str,
    when: str,
) -> None:
    # The fault hits the second calendar write (or the second calendar read).
    assert schedule(plan).exit_code == 0
    plan.write_text(PLAN.replace("weeks: 2", "weeks: 3"), "utf-8")
    coros.requests.clear()
    delay = {"slow": 3.0, "trickle": 0.05}.get(kind, 0.0)
    if delay:
        monkeypatch.setenv("LIFTFIT_COROS_DEADLINE", "0.5")
    coros.fault(path, kind, when=when, delay=delay)
    faulty = schedule(plan)
    fired = [r for r in coros.requests if r.fault]
    assert len(fired) == 1
    assert faulty.exit_code == 3, faulty.output
    errors = faulty.stderr.splitlines()
    assert errors and all(line.startswith("error: ") for line in errors)
    if kind in ("slow", "trickle"):
        request = "GET /training/schedule/query" if "query" in path else "POST " + path
        assert request in faulty.stderr
        assert "deadline" in faulty.stderr or "timed out" in faulty.stderr
    monkeypatch.delenv("LIFTFIT_COROS_DEADLINE", raising=False)
    rerun = schedule(plan)
    assert rerun.exit_code == 0, rerun.output
    days = [*DAYS, "20260720", "20260723"]
    assert mine(coros) == [(day, "core") for day in days]
    final = schedule(plan)
    assert final.exit_code == 0 and "0 scheduled, 0 removed, 6 already there" in final.stdout


def test_an_idinplan_taken_in_between_is_read_again_and_the_entry_added_once(
    logged_in: Path, coros: CorosStandin, plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from liftfit.coros import schedule as calendar

    real_read = calendar.read_calendar
    reads: list[object] = []
    raced: list[int] = []

    def read_then_the_app_adds(*args: object) -> calendar.Calendar:
        found = real_read(*args)  # type: ignore[arg-type]
        reads.append(args)
        if len(reads) == 2:  # the read before the first addition: the athlete adds a run
            own = {"name": "My run", "sportType": 1, "overview": "easy", "exercises": []}
            raced.append(coros.add_user_entry("20260708", own))
        return found

    monkeypatch.setattr(calendar, "read_calendar", read_then_the_app_adds)
    result = schedule(plan)
    assert result.exit_code == 0, result.output
    refused = [w for w in coros.writes() if w.result != "0000"]
    assert [w.body["versionObjects"][0]["id"] for w in refused] == [raced[0]]  # 1, taken
    assert mine(coros) == [(day, "core") for day in DAYS]
    assert len(coros.schedule_entries()) == 5


def test_stale_reads_are_read_again_before_calling_a_write_missing(
    logged_in: Path, coros: CorosStandin, plan: Path
) -> None:
    coros.stale_reads = 2
    result = schedule(plan)
    assert result.exit_code == 0, result.output
    assert mine(coros) == [(day, "core") for day in DAYS]


def test_a_token_ended_by_another_login_is_replaced_once_from_the_environment(
    logged_in: Path, coros: CorosStandin, plan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    coros.login_elsewhere(EMAIL)
    stopped = schedule(plan)
    assert stopped.exit_code == 3
    assert stopped.stderr == (
        "error: COROS refused the saved login while reading your calendar from 20260706 to "
        "20260719 (logging in elsewhere, such as in Training Hub in a browser, ends liftfit's "
        "session): run `liftfit coros login` again\n"
    )
    monkeypatch.setenv("COROS_EMAIL", EMAIL)
    monkeypatch.setenv("COROS_PASSWORD", PASSWORD)
    logins = _count(coros, "/account/login")
    result = schedule(plan)
    assert result.exit_code == 0, result.output
    assert _count(coros, "/account/login") == logins + 1
    assert mine(coros) == [(day, "core") for day in DAYS]
    # Refused again right after: no second login in the same command.
    coros.fault("/training/schedule/query", "token", times=5)
    coros.login_elsewhere(EMAIL)
    logins = _count(coros, "/account/login")
    again = schedule(plan)
    assert again.exit_code == 3
    assert _count(coros, "/account/login") == logins + 1
    assert PASSWORD not in again.output


def _count(coros: CorosStandin, path: str) -> int:
    return sum(1 for r in coros.requests if r.path == path)
