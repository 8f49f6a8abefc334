"""`garmin push --dry-run` and `garmin schedule --dry-run` before any login (issue 14, item 3).

Without tokens there is nothing to compare with: both list what a run would create, say so,
send nothing (not even a read) and exit 0.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests import test_garmin
from tests.conftest import ROOT
from tests.garmin_standin import StandIn
from tests.test_garmin import garmin

no_internet = test_garmin.no_internet
standin = test_garmin.standin
tokens = test_garmin.tokens


def _logged_out(tokens: Path) -> str:
    (tokens / "garmin_tokens.json").unlink()
    return (
        f"not logged in to Garmin Connect (no tokens in {tokens}), so this could not be "
        "compared with it"
    )


def test_push_dry_run_without_a_login_lists_what_it_would_create(
    tokens: Path, standin: StandIn
) -> None:
    offline = _logged_out(tokens)
    core, legs = ROOT / "workouts" / "core.yaml", ROOT / "workouts" / "legs.yaml"
    result = garmin("push", "--dry-run", str(core), str(legs))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "POST /workout-service/workout  core (new: Core)",
        "POST /workout-service/workout  legs (new: Legs)",
        f"dry run: {offline}: 2 workouts to create, less any already there; nothing sent",
    ]
    assert result.stderr == ""
    one = garmin("push", "--dry-run", str(core))
    assert one.exit_code == 0
    assert one.stdout.splitlines()[-1] == (
        f"dry run: {offline}: 1 workout to create, less any already there; nothing sent"
    )
    assert standin.log == []


def test_push_without_a_login_still_says_to_log_in(tokens: Path, standin: StandIn) -> None:
    _logged_out(tokens)
    result = garmin("push", str(ROOT / "workouts" / "core.yaml"))
    assert result.exit_code == 3
    assert "run `liftfit garmin login`" in result.stderr


def test_schedule_dry_run_without_a_login_lists_workouts_and_sessions(
    tokens: Path, standin: StandIn, tmp_path: Path
) -> None:
    offline = _logged_out(tokens)
    shutil.copytree(ROOT / "workouts", tmp_path / "workouts")
    plan = tmp_path / "workouts" / "plans" / "ingebrigtsen-week.yaml"
    result = garmin("schedule", str(plan), "--start", "2026-03-16", "--dry-run")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line for line in lines if line.startswith("POST /workout-service/workout ")] == [
        "POST /workout-service/workout  ingebrigtsen-drills (new: Ingebrigtsen drills)",
        "POST /workout-service/workout  ingebrigtsen-lifting--2-sets "
        "(new: Ingebrigtsen lifting · 2 sets)",
        "POST /workout-service/workout  ingebrigtsen-lifting (new: Ingebrigtsen lifting)",
    ]
    assert (
        "POST   /workout-service/schedule/<new ingebrigtsen-lifting--2-sets>  2026-03-20  "
        "ingebrigtsen-lifting--2-sets"
    ) in lines
    assert sum(line.startswith("POST   /workout-service/schedule/") for line in lines) == 16
    assert len(lines) == 3 + 16 + 1
    assert lines[-1] == (
        f"dry run: {offline}: 3 workouts to create and 16 sessions to schedule from "
        "2026-03-16 to 2026-04-12, less any already there; nothing sent"
    )
    assert standin.log == []


def test_schedule_refuses_a_start_before_2000(tokens: Path, standin: StandIn) -> None:
    plan = ROOT / "workouts" / "plans" / "ingebrigtsen-week.yaml"
    result = garmin("schedule", str(plan), "--start", "1999-12-27", "--dry-run")
    assert result.exit_code == 2
    assert (
        "start 1999-12-27: Garmin Connect's calendar takes dates from 2000-01-01 on "
        "(give a later --start)"
    ) in result.stderr
    assert standin.log == []
