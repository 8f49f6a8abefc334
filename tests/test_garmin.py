"""`liftfit garmin …` driving the real garminconnect client against a local Connect stand-in.

Nothing here reaches the internet: the client is pointed at 127.0.0.1 through
LIFTFIT_GARMIN_API_URL, and every socket to another address fails the test.
"""

from __future__ import annotations

import copy
import json
import shutil
import socket
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from liftfit.api import compile_paths
from liftfit.catalogue import catalogue
from liftfit.cli import cli
from tests.conftest import ROOT
from tests.garmin_standin import WORKOUT, Fault, StandIn, check_workout

BUNDLED = sorted((ROOT / "workouts").glob("*.yaml"))
LOCAL_HOSTS = {"127.0.0.1", "::1", "localhost"}


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(sock: socket.socket, address: Any) -> Any:
        if isinstance(address, tuple) and address[0] not in LOCAL_HOSTS:
            raise AssertionError(f"a test tried to reach {address}")
        return real_connect(sock, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in LOCAL_HOSTS and host is not None:
            raise AssertionError(f"a test tried to look up {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def standin() -> Iterator[StandIn]:
    server = StandIn().start()
    yield server
    server.stop()


@pytest.fixture
def tokens(tmp_path: Path, standin: StandIn, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A logged-in token folder, and liftfit pointed at the stand-in."""
    folder = tmp_path / "tokens"
    StandIn.write_tokens(folder)
    monkeypatch.setenv("LIFTFIT_GARMIN_API_URL", standin.url)
    monkeypatch.setenv("LIFTFIT_GARMIN_TOKENS", str(folder))
    for name in ("GARMIN_EMAIL", "GARMIN_PASSWORD", "GARMINTOKENS", "SOURCE_DATE_EPOCH"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no liftfit.yaml profile from the repo
    return folder


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A copy of the bundled workouts that a test may edit."""
    folder = tmp_path / "workouts"
    folder.mkdir()
    for path in BUNDLED:
        shutil.copy(path, folder / path.name)
    return folder


def garmin(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["garmin", *args], input=input)


def _slugs(standin: StandIn) -> list[str]:
    found = []
    for workout in standin.workouts.values():
        description = workout.get("description") or ""
        found += [word.split(":")[1] for word in description.split() if word.startswith("liftfit:")]
    return sorted(found)


def _no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    """garminconnect waits a second between its login retries."""
    import garminconnect.api.base

    monkeypatch.setattr(garminconnect.api.base.time, "sleep", lambda _seconds: None)


# --- the stand-in's rules are Garmin's ------------------------------------------------------


def test_the_standin_accepts_connects_own_workout(reference: Path) -> None:
    path = reference / "garmin-connect" / "strength-workout-get-response.json"
    assert check_workout(json.loads(path.read_text("utf-8"))) == []


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_every_bundled_workout_passes_the_standins_checks(path: Path) -> None:
    (compiled,) = compile_paths([path], formats=["garmin-connect"])
    assert check_workout(json.loads(compiled.outputs["garmin-connect"].data)) == []


def test_the_standin_refuses_what_garmin_refuses() -> None:
    (compiled,) = compile_paths([ROOT / "workouts" / "core.yaml"], formats=["garmin-connect"])
    good = json.loads(compiled.outputs["garmin-connect"].data)

    def broken(change: Any) -> list[str]:
        body = copy.deepcopy(good)
        change(body)
        return check_workout(body)

    steps = good["workoutSegments"][0]["workoutSteps"]
    group = next(i for i, s in enumerate(steps) if s["type"] == "RepeatGroupDTO")
    exercise = next(i for i, s in enumerate(steps[group]["workoutSteps"]) if s["category"])

    def unknown_category(body: dict[str, Any]) -> None:
        step = body["workoutSegments"][0]["workoutSteps"][group]["workoutSteps"][exercise]
        step["category"] = "NOT_A_CATEGORY"

    def step_order(body: dict[str, Any]) -> None:
        body["workoutSegments"][0]["workoutSteps"][group]["workoutSteps"][0]["stepOrder"] += 1

    def child_step(body: dict[str, Any]) -> None:
        body["workoutSegments"][0]["workoutSteps"][group]["childStepId"] = 0

    def pool_swim(body: dict[str, Any]) -> None:
        body["sportType"] = {"sportTypeId": 4, "sportTypeKey": "strength_training"}

    def key_mismatch(body: dict[str, Any]) -> None:
        body["workoutSegments"][0]["workoutSteps"][0]["stepType"]["stepTypeId"] = 4

    assert "Invalid category" in broken(unknown_category)
    assert any("stepOrder" in p for p in broken(step_order))
    assert any("childStepId" in p for p in broken(child_step))
    assert any("Invalid sport type" in p for p in broken(pool_swim))
    assert any("stepType" in p for p in broken(key_mismatch))


# --- push -------------------------------------------------------------------------------


def test_the_client_talks_to_the_standin_only(tokens: Path, standin: StandIn) -> None:
    from liftfit.garmin.gateway import open_session

    session = open_session()
    assert session.base_url == standin.url
    assert session.base_url.startswith("http://127.0.0.1:")
    assert session.display_name == "standin-runner"
    assert [r.path for r in standin.log] == [
        "/userprofile-service/socialProfile",
        "/userprofile-service/userprofile/user-settings",
    ]


def test_first_push_creates_every_workout_and_a_second_sends_no_write(
    tokens: Path, standin: StandIn, library: Path
) -> None:
    first = garmin("push", str(library))
    assert first.exit_code == 0, first.output
    assert len(standin.requests("POST", WORKOUT)) == len(BUNDLED)
    assert _slugs(standin) == sorted(p.stem for p in BUNDLED)
    assert standin.violations == [] and standin.unexpected == []
    assert f"{len(BUNDLED)} created, 0 updated, 0 unchanged" in first.stdout
    # Two profile reads at login, one list, then each POST read back.
    assert len(standin.log) == 3 + 2 * len(BUNDLED)
    stored = standin.with_marker("strides")[0]
    assert stored["sportType"]["sportTypeKey"] == "running"

    before = len(standin.log)
    second = garmin("push", str(library))
    assert second.exit_code == 0, second.output
    assert f"0 created, 0 updated, {len(BUNDLED)} unchanged" in second.stdout
    assert standin.writes() == [r for r in standin.log[:before] if r.is_write]
    assert len(standin.log) - before == 4  # login (2), the list: a page of 13, an empty one


def test_editing_one_workout_sends_exactly_one_put(
    tokens: Path, standin: StandIn, library: Path
) -> None:
    assert garmin("push", str(library)).exit_code == 0
    (core,) = standin.with_marker("core")
    core_id = core["workoutId"]
    writes = len(standin.writes())

    path = library / "core.yaml"
    path.write_text(path.read_text("utf-8").replace("reps: 10", "reps: 12", 1), "utf-8")
    result = garmin("push", str(library))
    assert result.exit_code == 0, result.output
    new = standin.writes()[writes:]
    assert [(r.method, r.path) for r in new] == [("PUT", f"{WORKOUT}/{core_id}")]
    assert "1 updated" in result.stdout
    (updated,) = standin.with_marker("core")
    assert updated["workoutId"] == core_id  # same id: calendar entries keep pointing at it
    assert updated["createdDate"] == core["createdDate"]
    assert len(standin.workouts) == len(BUNDLED)


def test_a_rate_limit_stops_the_push_and_a_rerun_finishes_it(
    tokens: Path, standin: StandIn, library: Path
) -> None:
    standin.faults.append(Fault("POST", WORKOUT, 429, nth=5))
    stopped = garmin("push", str(library))
    assert stopped.exit_code == 3
    assert len(stopped.stderr.splitlines()) == 1, stopped.stderr
    assert "429" in stopped.stderr and "try again later" in stopped.stderr
    assert len(standin.workouts) == 4
    assert len(standin.requests("POST", WORKOUT)) == 5  # no retry of the refused write

    again = garmin("push", str(library))
    assert again.exit_code == 0, again.output
    assert _slugs(standin) == sorted(p.stem for p in BUNDLED)  # each exactly once
    assert "9 created, 0 updated, 4 unchanged" in again.stdout


def test_an_unknown_outcome_is_reconciled_by_marker_never_posted_twice(
    tokens: Path, standin: StandIn, library: Path
) -> None:
    standin.faults.append(Fault("POST", WORKOUT, 500, nth=3, after_store=True))
    failed = garmin("push", str(library))
    assert failed.exit_code == 3
    assert len(failed.stderr.splitlines()) == 1, failed.stderr
    assert "HTTP 500" in failed.stderr and "may have been stored" in failed.stderr
    third = standin.requests("POST", WORKOUT)[2].body
    assert len(standin.workouts) == 3  # the server kept the one it failed to confirm
    assert len(standin.requests("POST", WORKOUT)) == 3  # and the client did not re-POST it

    again = garmin("push", str(library))
    assert again.exit_code == 0, again.output
    assert _slugs(standin) == sorted(p.stem for p in BUNDLED)  # no duplicate
    resent = [r for r in standin.requests("POST", WORKOUT) if r.body == third]
    assert len(resent) == 1


def test_dry_run_sends_no_write(tokens: Path, standin: StandIn, library: Path) -> None:
    result = garmin("push", "--dry-run", str(library))
    assert result.exit_code == 0, result.output
    assert standin.writes() == []
    assert result.stdout.count(f"POST {WORKOUT}") == len(BUNDLED)
    assert "nothing sent" in result.stdout

    assert garmin("push", str(library)).exit_code == 0
    path = library / "legs.yaml"
    path.write_text(path.read_text("utf-8") + "\n# edited\n", "utf-8")  # same content
    path = library / "core.yaml"
    path.write_text(path.read_text("utf-8").replace("reps: 10", "reps: 11", 1), "utf-8")
    writes = len(standin.writes())
    planned = garmin("push", "--dry-run", str(library))
    assert planned.exit_code == 0, planned.output
    (core,) = standin.with_marker("core")
    assert f"PUT  {WORKOUT}/{core['workoutId']}  core (changed" in planned.stdout
    assert "1 writes planned" in planned.stdout
    assert len(standin.writes()) == writes


def _rename(path: Path) -> None:
    """A local edit every target sees: the workout's name changes."""
    text = path.read_text("utf-8")
    first = next(line for line in text.splitlines() if line.startswith("name:"))
    path.write_text(text.replace(first, first + " (edited)", 1), "utf-8")


def _status_lines(output: str) -> dict[str, str]:
    return {line[17:].split()[0]: line for line in output.splitlines() if line[:1] != " "}


def test_status_reads_only(tokens: Path, standin: StandIn, library: Path) -> None:
    garmin("push", str(library / "core.yaml"), str(library / "legs.yaml"))
    _rename(library / "legs.yaml")
    writes = len(standin.writes())
    result = garmin("status", str(library))
    assert result.exit_code == 0, result.output
    lines = _status_lines(result.stdout)
    assert lines["core"].startswith("up to date")
    assert lines["legs"].startswith("changed locally")
    assert lines["strides"].startswith("not on Connect")
    total = len(BUNDLED)
    assert f"{total} workouts: 1 up to date, 1 changed, {total - 2} not on Connect" in result.stdout
    assert len(standin.writes()) == writes


def test_status_shows_workouts_only_on_connect(
    tokens: Path, standin: StandIn, library: Path
) -> None:
    assert garmin("push", str(library)).exit_code == 0
    (library / "it-band.yaml").unlink()
    result = garmin("status")  # the whole library: workouts/ in the working folder
    assert result.exit_code == 0, result.output
    assert _status_lines(result.stdout)["it-band"].startswith("on Connect only")
    assert "; 1 on Connect only" in result.stdout


def test_a_workout_edited_on_connect_is_left_alone_unless_forced(
    tokens: Path, standin: StandIn, library: Path
) -> None:
    assert garmin("push", str(library)).exit_code == 0
    (core,) = standin.with_marker("core")
    # The athlete changes a step in Connect's editor; the marker stays in the description.
    steps = core["workoutSegments"][0]["workoutSteps"]
    flat = [one for step in steps for one in [step, *(step.get("workoutSteps") or [])]]
    timed = next(s for s in flat if s["type"] == "ExecutableStepDTO" and s.get("endConditionValue"))
    timed["endConditionValue"] += 60
    path = library / "core.yaml"
    path.write_text(path.read_text("utf-8").replace("reps: 10", "reps: 12", 1), "utf-8")
    writes = len(standin.writes())

    kept = garmin("push", str(library))
    assert kept.exit_code == 3
    assert "changed on Garmin Connect since liftfit last sent it" in kept.stderr
    assert len(standin.writes()) == writes

    forced = garmin("push", "--force", str(library))
    assert forced.exit_code == 0, forced.output
    assert [r.method for r in standin.writes()[writes:]] == ["PUT"]


def test_workouts_liftfit_did_not_make_are_never_touched(
    tokens: Path, standin: StandIn, library: Path
) -> None:
    (compiled,) = compile_paths([library / "core.yaml"], formats=["garmin-connect"])
    own = json.loads(compiled.outputs["garmin-connect"].data)
    own["description"] = "my own core day"  # same name, no marker
    mine = standin.add(own)
    before = copy.deepcopy(standin.workouts[mine])
    assert garmin("push", str(library / "core.yaml")).exit_code == 0
    assert standin.workouts[mine] == before
    assert len(standin.workouts) == 2


def test_copies_made_on_connect_are_reported_not_guessed(
    tokens: Path, standin: StandIn, library: Path
) -> None:
    assert garmin("push", str(library / "core.yaml")).exit_code == 0
    (core,) = standin.with_marker("core")
    standin.add({**core, "workoutName": "Copy of Core"})  # Connect's copy keeps the description
    path = library / "core.yaml"
    path.write_text(path.read_text("utf-8").replace("reps: 10", "reps: 12", 1), "utf-8")
    writes = len(standin.writes())
    result = garmin("push", str(library / "core.yaml"))
    assert result.exit_code == 3
    assert "2 workouts on Garmin Connect carry its marker" in result.stderr
    assert len(standin.writes()) == writes


def test_what_connect_stores_differently_is_reported(
    tokens: Path, standin: StandIn, library: Path
) -> None:
    def forget_exercise_names(body: dict[str, Any]) -> None:  # Garmin's silent rewrite
        for step in body["workoutSegments"][0]["workoutSteps"]:
            for one in [step, *(step.get("workoutSteps") or [])]:
                if one.get("exerciseName"):
                    one["exerciseName"] = ""

    standin.rewrite = forget_exercise_names
    result = garmin("push", str(library / "ingebrigtsen-lifting.yaml"))
    assert result.exit_code == 3
    assert "stored workout" in result.stderr and "differently" in result.stderr
    assert "exercise '' instead of 'ROMANIAN_DEADLIFT'" in result.stderr


def test_a_refused_workout_is_reported_and_the_others_still_sent(
    tokens: Path, standin: StandIn, library: Path
) -> None:
    standin.faults.append(Fault("POST", WORKOUT, 400, nth=2))
    result = garmin("push", str(library))
    assert result.exit_code == 3
    (line,) = result.stderr.splitlines()
    assert "Garmin Connect refused creating bad-day" in line and "HTTP 400" in line
    assert len(standin.workouts) == len(BUNDLED) - 1


def test_connect_answers_an_unknown_category_with_400(tokens: Path, standin: StandIn) -> None:
    from liftfit.garmin.gateway import Refused, open_session

    (compiled,) = compile_paths([ROOT / "workouts" / "core.yaml"], formats=["garmin-connect"])
    body = json.loads(compiled.outputs["garmin-connect"].data)
    body["workoutSegments"][0]["workoutSteps"][1]["workoutSteps"][0]["category"] = "YOGA"
    with pytest.raises(Refused, match="Invalid category"):
        open_session().create(body, "core")
    assert standin.workouts == {}


def test_a_workout_connect_would_refuse_is_not_sent(
    tokens: Path, standin: StandIn, library: Path
) -> None:
    pose = next(e for e in catalogue().fit_taxonomy if e.fit_category_key == "pose")
    path = library / "yoga.yaml"
    path.write_text(f"name: Yoga\nsteps:\n  - exercise: {pose.id}\n    hold: 30s\n", "utf-8")
    result = garmin("push", str(path))
    assert result.exit_code == 1
    assert "Garmin Connect would refuse it" in result.stderr and "POSE" in result.stderr
    assert standin.log == []


def test_the_documented_undo_deletes_liftfits_workouts_only(
    tokens: Path, standin: StandIn, library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert garmin("push", str(library / "core.yaml"), str(library / "legs.yaml")).exit_code == 0
    own = standin.add({**standin.with_marker("core")[0], "description": "mine"})
    docs = (ROOT / "docs" / "garmin-connect.md").read_text("utf-8")
    snippet = docs.split("## Undo a push", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    exec(compile(snippet, "docs/garmin-connect.md", "exec"), {})
    assert list(standin.workouts) == [own]
    assert capsys.readouterr().out.count("deleting") == 2


# --- login and tokens ---------------------------------------------------------------------


def test_push_without_tokens_says_to_log_in(tokens: Path, standin: StandIn, library: Path) -> None:
    (tokens / "garmin_tokens.json").unlink()
    result = garmin("push", str(library))
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [result.stderr.strip()]
    assert "liftfit garmin login" in result.stderr
    assert standin.log == []


def test_expired_tokens_say_to_log_in_again(
    tokens: Path, standin: StandIn, library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_sleep(monkeypatch)
    StandIn.write_tokens(tokens, access="secret-access-token")  # one Connect no longer accepts
    result = garmin("push", str(library))
    assert result.exit_code == 3
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert "run `liftfit garmin login` again" in result.stderr
    assert standin.requests("POST", "/di-oauth2-service")  # the client tried to refresh
    assert standin.writes() == []
    assert "secret-access-token" not in result.output


def test_an_expired_access_token_is_refreshed_and_saved(
    tokens: Path, standin: StandIn, library: Path
) -> None:
    standin.access_tokens = {"fresh"}
    standin.refresh_tokens = {"r": "fresh"}
    result = garmin("push", str(library / "core.yaml"))
    assert result.exit_code == 0, result.output
    assert json.loads((tokens / "garmin_tokens.json").read_text())["di_token"] == "fresh"


def test_login_with_saved_tokens_says_who(tokens: Path, standin: StandIn) -> None:
    result = garmin("login")
    assert result.exit_code == 0, result.output
    assert "Already logged in as standin-runner" in result.stdout


def test_password_login_is_not_sent_to_an_overridden_api(tokens: Path, standin: StandIn) -> None:
    (tokens / "garmin_tokens.json").unlink()
    result = garmin("login", "--email", "a@b.c", input="secret\n")
    assert result.exit_code == 2
    assert "LIFTFIT_GARMIN_API_URL" in result.stderr
    assert standin.log == []


def test_login_saves_tokens_privately_and_never_shows_the_password(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import garminconnect

    folder = tmp_path / "private" / "tokens"
    monkeypatch.setenv("LIFTFIT_GARMIN_TOKENS", str(folder))
    monkeypatch.delenv("LIFTFIT_GARMIN_API_URL", raising=False)
    monkeypatch.delenv("GARMIN_PASSWORD", raising=False)
    seen: dict[str, Any] = {}

    def fake_login(self: Any, tokenstore: str | None = None) -> tuple[None, None]:
        # Garmin's sign-in, minus the network: asks for the MFA code, then holds tokens.
        seen.update(email=self.username, password=self.password, store=tokenstore)
        seen["mfa"] = self.prompt_mfa()
        self.client.di_token, self.client.di_refresh_token, self.client.di_client_id = "t", "r", "c"
        self.display_name = "runner"
        return None, None

    monkeypatch.setattr(garminconnect.Garmin, "login", fake_login)
    result = garmin("login", "--email", "me@example.com", input="hunter22\n123456\n")
    assert result.exit_code == 0, result.output
    assert seen == {
        "email": "me@example.com",
        "password": "hunter22",
        "store": None,  # liftfit writes the tokens itself, once the login succeeded
        "mfa": "123456",
    }
    assert "hunter22" not in result.output
    assert "Logged in as runner" in result.stdout
    token = folder / "garmin_tokens.json"
    assert json.loads(token.read_text())["di_token"] == "t"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(token.stat().st_mode) == 0o600

    out = garmin("logout")
    assert out.exit_code == 0 and "Logged out" in out.stdout
    assert not token.exists()
    assert "Not logged in" in garmin("logout").stdout
