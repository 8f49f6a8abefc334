"""`liftfit garmin …` when Connect misbehaves: refreshes that fail, short pages, lists without
descriptions, answers that never end, workouts stored differently, workouts pull cannot read.

All through the real garminconnect client against the stand-in (tests/garmin_standin.py),
with its faults.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from liftfit.api import compile_paths
from tests import test_garmin
from tests.conftest import ROOT
from tests.garmin_standin import WORKOUT, Fault, StandIn
from tests.test_garmin import _no_sleep, garmin

# test_garmin's fixtures: no socket beyond 127.0.0.1 (autouse), the stand-in, a token folder,
# a copy of the bundled workouts.
no_internet = test_garmin.no_internet
standin = test_garmin.standin
tokens = test_garmin.tokens
library = test_garmin.library

TOKEN_PATH = "/di-oauth2-service/oauth/token"
LIST = "/workout-service/workouts"
LOGIN_AGAIN = "run `liftfit garmin login` again"


def _stale_access_token(tokens: Path, standin: StandIn) -> bytes:
    """Saved tokens whose access token Connect no longer takes, with a good refresh token."""
    StandIn.write_tokens(tokens, access="stale")
    standin.refresh_tokens = {"r": "fresh"}
    return (tokens / "garmin_tokens.json").read_bytes()


def _one_error(result: Any) -> str:
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return str(lines[0])


# --- the token refresh ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "said"),
    [
        (Fault("POST", TOKEN_PATH, 503, times=99), "(HTTP 503): try again later"),
        (Fault("POST", TOKEN_PATH, kind="reset", times=99), "try again later"),
        (
            Fault("POST", TOKEN_PATH, kind="slow", delay=30, times=99),
            "did not answer within 1 s (LIFTFIT_GARMIN_DEADLINE) while logging in with the "
            "saved tokens: try again later",
        ),
    ],
    ids=["5xx", "reset", "timeout"],
)
def test_a_refresh_that_fails_for_a_while_is_not_an_expired_login(
    tokens: Path,
    standin: StandIn,
    library: Path,
    monkeypatch: pytest.MonkeyPatch,
    fault: Fault,
    said: str,
) -> None:
    _no_sleep(monkeypatch)
    if fault.kind == "slow":
        monkeypatch.setenv("LIFTFIT_GARMIN_DEADLINE", "1")
    saved = _stale_access_token(tokens, standin)
    standin.faults.append(fault)
    started = time.monotonic()
    result = garmin("push", str(library / "core.yaml"))
    assert result.exit_code == 3, result.output
    line = _one_error(result)
    assert said in line and LOGIN_AGAIN not in line and "expired" not in line
    assert time.monotonic() - started < 10  # without the deadline: 30 s and more
    assert (tokens / "garmin_tokens.json").read_bytes() == saved  # kept as they were
    assert standin.writes() == []

    standin.faults.clear()  # Connect is back: the same tokens work, renewed and saved
    monkeypatch.delenv("LIFTFIT_GARMIN_DEADLINE", raising=False)
    again = garmin("push", str(library / "core.yaml"))
    assert again.exit_code == 0, again.output
    assert (tokens / "garmin_tokens.json").read_text().count('"fresh"') == 1


@pytest.mark.parametrize("status", [401, 403])
def test_a_refresh_refused_by_garmin_says_log_in_again(
    tokens: Path, standin: StandIn, library: Path, monkeypatch: pytest.MonkeyPatch, status: int
) -> None:
    _no_sleep(monkeypatch)
    _stale_access_token(tokens, standin)
    standin.faults.append(Fault("POST", TOKEN_PATH, status, times=99))
    result = garmin("status", str(library / "core.yaml"))
    assert result.exit_code == 3
    assert LOGIN_AGAIN in _one_error(result)


def test_login_keeps_refused_tokens_until_a_new_login_succeeded(
    tokens: Path, standin: StandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_sleep(monkeypatch)
    StandIn.write_tokens(tokens, access="revoked")  # and no refresh token Connect takes
    saved = (tokens / "garmin_tokens.json").read_bytes()
    result = garmin("login", "--email", "a@b.c", input="secret\n")
    assert result.exit_code == 2  # no password login against an overridden API
    assert (tokens / "garmin_tokens.json").read_bytes() == saved


def test_login_while_the_refresh_fails_says_try_again_and_keeps_the_tokens(
    tokens: Path, standin: StandIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_sleep(monkeypatch)
    saved = _stale_access_token(tokens, standin)
    standin.faults.append(Fault("POST", TOKEN_PATH, 502, times=99))
    result = garmin("login")
    assert result.exit_code == 3
    assert "try again later" in _one_error(result)
    assert (tokens / "garmin_tokens.json").read_bytes() == saved


# --- the workout list -----------------------------------------------------------------------


def _many_workouts(folder: Path, count: int) -> Path:
    folder.mkdir()
    for number in range(count):
        (folder / f"w{number:02d}.yaml").write_text(
            f"name: W{number:02d}\nsteps:\n  - exercise: plank\n    hold: {10 + number}s\n",
            "utf-8",
        )
    return folder


def test_pages_shorter_than_asked_are_not_the_end_of_the_list(
    tokens: Path, standin: StandIn, tmp_path: Path
) -> None:
    folder = _many_workouts(tmp_path / "many", 60)
    standin.page_cap = 50  # Connect answers 50 whatever the limit asked
    assert garmin("push", str(folder)).exit_code == 0
    assert len(standin.workouts) == 60

    before = len(standin.log)
    again = garmin("push", str(folder))
    assert again.exit_code == 0, again.output
    assert "0 created, 0 updated, 60 unchanged" in again.stdout
    assert len(standin.workouts) == 60 and standin.writes()[-1].method == "POST"
    listed = [r.query.get("start") for r in standin.log[before:] if r.path == LIST]
    assert listed == [["0"], ["50"], ["60"]]

    status = garmin("status", str(folder))
    assert "60 workouts: 60 up to date, 0 changed, 0 not on Connect" in status.stdout


def test_a_list_without_descriptions_creates_nothing(
    tokens: Path, standin: StandIn, library: Path
) -> None:
    assert garmin("push", str(library / "core.yaml")).exit_code == 0
    standin.list_descriptions = False  # the marker is in the description
    writes = len(standin.writes())
    result = garmin("push", str(library))
    assert result.exit_code == 3
    assert _one_error(result) == (
        "error: Garmin Connect listed 1 workout without descriptions, where liftfit "
        "finds its markers: it cannot tell which ones it sent, so it sends nothing"
    )
    assert len(standin.writes()) == writes
    status = garmin("status", str(library))
    assert status.exit_code == 3 and "without descriptions" in status.stderr


# --- the deadline ---------------------------------------------------------------------------


def test_a_trickled_list_does_not_hang_push(
    tokens: Path, standin: StandIn, library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIFTFIT_GARMIN_DEADLINE", "1")
    standin.faults.append(Fault("GET", LIST, kind="trickle", delay=30))
    started = time.monotonic()
    result = garmin("push", str(library))
    assert time.monotonic() - started < 10  # without the deadline: 30 s a byte
    assert result.exit_code == 3
    assert _one_error(result) == (
        "error: Garmin Connect did not answer within 1 s (LIFTFIT_GARMIN_DEADLINE) while "
        "listing your workouts: try again later"
    )
    assert standin.writes() == []


def test_a_write_past_the_deadline_is_an_unknown_outcome_reconciled_by_marker(
    tokens: Path, standin: StandIn, library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIFTFIT_GARMIN_DEADLINE", "1")
    standin.faults.append(Fault("POST", WORKOUT, kind="trickle", delay=30, after_store=True))
    result = garmin("push", str(library / "core.yaml"), str(library / "legs.yaml"))
    assert result.exit_code == 3
    line = _one_error(result)
    assert line.startswith(
        "error: Garmin Connect did not confirm creating core (no answer within 1 s "
        "(LIFTFIT_GARMIN_DEADLINE)); it may have been stored: run `liftfit garmin push` again"
    )
    assert line.endswith("(stopped with 2 of 2 writes not sent)")
    assert len(standin.requests("POST", WORKOUT)) == 1

    monkeypatch.delenv("LIFTFIT_GARMIN_DEADLINE")
    again = garmin("push", str(library / "core.yaml"), str(library / "legs.yaml"))
    assert again.exit_code == 0, again.output
    assert len(standin.with_marker("core")) == 1 and len(standin.with_marker("legs")) == 1
    assert "1 created, 0 updated, 1 unchanged" in again.stdout


@pytest.mark.parametrize("value", ["soon", "0", "-5", "nan"])
def test_a_deadline_that_is_not_a_number_of_seconds_is_a_usage_error(
    tokens: Path, standin: StandIn, library: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("LIFTFIT_GARMIN_DEADLINE", value)
    result = garmin("status", str(library / "core.yaml"))
    assert result.exit_code == 2
    assert "LIFTFIT_GARMIN_DEADLINE" in _one_error(result)
    assert standin.log == []


# --- stored differently ---------------------------------------------------------------------


def _forget_exercise_names(body: dict[str, Any]) -> None:
    """A silent rewrite Connect could make: exercise names dropped, categories kept."""
    for segment in body.get("workoutSegments") or []:
        for step in segment.get("workoutSteps") or []:
            for one in [step, *(step.get("workoutSteps") or [])]:
                if one.get("exerciseName"):
                    one["exerciseName"] = ""


def test_a_workout_stored_differently_is_reported_until_fixed(
    tokens: Path, standin: StandIn, library: Path
) -> None:
    path = library / "core.yaml"
    standin.rewrite = _forget_exercise_names
    first = garmin("push", str(path))
    assert first.exit_code == 3
    assert "Garmin Connect stored workout" in first.stderr and "differently" in first.stderr
    (core,) = standin.with_marker("core")

    # Every later status and push says so, and push sends nothing for it.
    status = garmin("status", str(path))
    assert status.stdout.splitlines()[0] == f"stored differently core  {core['workoutId']}"
    writes = len(standin.writes())
    again = garmin("push", str(path))
    assert again.exit_code == 3
    assert _one_error(again).startswith(
        f"error: core: workout {core['workoutId']} on Garmin Connect is not what liftfit sent: "
        "step 2: exercise '' instead of 'HIP_RAISE'"
    )
    assert len(standin.writes()) == writes

    # A local change is an update, not an edit made on Connect.
    path.write_text(path.read_text("utf-8").replace("reps: 10", "reps: 12", 1), "utf-8")
    changed = garmin("push", str(path))
    assert "was changed on Garmin Connect" not in changed.stderr
    assert next((r.method, r.path) for r in standin.writes()[writes:]) == (
        "PUT",
        f"{WORKOUT}/{core['workoutId']}",
    )
    assert "stored workout" in changed.stderr and changed.exit_code == 3

    # Connect fixed (or the file changed to what Connect keeps): a push converges.
    standin.rewrite = None
    fixed = garmin("push", "--force", str(path))
    assert fixed.exit_code == 0, fixed.output
    status = garmin("status", str(path))
    assert status.stdout.splitlines()[0].startswith("up to date")
    assert garmin("push", str(path)).exit_code == 0
    assert len(standin.with_marker("core")) == 1


def test_an_edit_on_connect_after_a_different_store_is_still_an_edit(
    tokens: Path, standin: StandIn, library: Path
) -> None:
    path = library / "core.yaml"
    standin.rewrite = _forget_exercise_names
    assert garmin("push", str(path)).exit_code == 3
    standin.rewrite = None
    (core,) = standin.with_marker("core")
    core["workoutName"] = "Core, my way"  # the user's edit in Connect's editor
    path.write_text(path.read_text("utf-8").replace("reps: 10", "reps: 12", 1), "utf-8")
    result = garmin("push", str(path))
    assert result.exit_code == 3
    assert "was changed on Garmin Connect since liftfit last sent it" in result.stderr
    assert standin.workouts[core["workoutId"]]["workoutName"] == "Core, my way"


# --- pull -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "breakage",
    [
        {"workoutSegments": "not a list"},
        {"workoutSegments": [{"workoutSteps": [{"type": "ExecutableStepDTO", "stepOrder": "x"}]}]},
        {"workoutSegments": [{"workoutSteps": [None, 7]}]},
        {"workoutSegments": [{"workoutSteps": [{"type": "RepeatGroupDTO", "workoutSteps": 3}]}]},
        {"workoutId": "abc"},
    ],
    ids=["segments", "step-order", "steps", "group", "id"],
)
def test_pull_skips_a_malformed_workout_and_pulls_the_rest(
    tokens: Path, standin: StandIn, tmp_path: Path, breakage: dict[str, Any]
) -> None:
    (compiled,) = compile_paths([ROOT / "workouts" / "core.yaml"], formats=["garmin-connect"])
    good = json.loads(compiled.outputs["garmin-connect"].data)
    standin.add({**good, "description": "made in Connect"})
    broken = standin.add({**good, "workoutName": "Broken", "description": "mine"})
    standin.workouts[broken].update(breakage)
    result = garmin("pull", "-o", str(tmp_path / "pulled"))
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "pulled").iterdir()] == ["core.yaml"]
    skipped = [line for line in result.stdout.splitlines() if line.startswith("skipped")]
    assert len(skipped) == 1 and "'Broken'" in skipped[0], result.stdout
    assert "not a workout liftfit can read" in skipped[0] or "without a workout id" in skipped[0]
    assert result.stdout.splitlines()[-1].endswith("1 pulled, 0 unchanged, 0 kept, 1 skipped")
