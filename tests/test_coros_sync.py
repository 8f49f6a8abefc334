"""`liftfit coros push / status`: the workout library as an upsert, through the real client."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from click.testing import Result

from liftfit.api import compile_paths
from liftfit.coros import sync
from liftfit.coros.shape import content_hash, fingerprint, push_program
from liftfit.upsert import find_marker
from tests.conftest import ROOT, covering
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

BUNDLED = sorted(p.stem for p in (ROOT / "workouts").glob("*.yaml"))


@pytest.fixture(autouse=True)
def quick_read_backs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sync.Coros, "read_delay", 0.0)


def push(*args: str) -> Result:
    return liftfit("push", *args)


def by_slug(coros: CorosStandin) -> dict[str, list[dict[str, object]]]:
    """The stand-in's library: liftfit's programs by marker slug."""
    found: dict[str, list[dict[str, object]]] = {}
    for program in coros.programs.values():
        marker = find_marker(str(program.get("overview") or ""))
        if marker is not None:
            found.setdefault(marker.slug, []).append(program)
    return found


def test_push_creates_every_workout_once_and_a_rerun_sends_nothing(
    logged_in: Path, coros: CorosStandin, library: Path
) -> None:
    result = push()
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[-1] == f"COROS: {len(BUNDLED)} created, 0 updated, 0 unchanged"
    assert sorted(line.split()[1] for line in lines[:-1]) == BUNDLED
    assert f"COROS push {len(BUNDLED)}/{len(BUNDLED)}: " in result.stderr
    stored = by_slug(coros)
    assert sorted(stored) == BUNDLED and all(len(v) == 1 for v in stored.values())
    for item in compile_paths([library], formats=[]):
        sent = push_program(item.lowered)
        (program,) = stored[item.source.slug]
        assert fingerprint(program) == fingerprint(sent)
        assert len(str(program["overview"])) <= 300
        assert find_marker(str(program["overview"])) == find_marker(sent["overview"])
    coros.requests.clear()
    again = push()
    assert again.exit_code == 0, again.output
    assert again.stdout == f"COROS: 0 created, 0 updated, {len(BUNDLED)} unchanged\n"
    assert coros.writes() == []


def test_a_changed_workout_is_updated_in_place(
    logged_in: Path, coros: CorosStandin, library: Path
) -> None:
    assert push().exit_code == 0
    (before,) = by_slug(coros)["core"]
    core = library / "core.yaml"
    core.write_text(core.read_text("utf-8").replace("name: Core", "name: Core v2", 1), "utf-8")
    coros.requests.clear()
    result = push()
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"updated   core  (id {before['id']})",
        f"COROS: 0 created, 1 updated, {len(BUNDLED) - 1} unchanged",
    ]
    (write,) = coros.writes()
    assert write.path == "/training/program/update" and write.body["id"] == before["id"]
    (after,) = by_slug(coros)["core"]
    assert after["id"] == before["id"] and after["name"] == "Core v2"
    assert after["createTimestamp"] == before["createTimestamp"]


def test_a_program_edited_on_coros_is_left_alone_unless_force(
    logged_in: Path, coros: CorosStandin, library: Path
) -> None:
    core = library / "core.yaml"
    assert push(str(core)).exit_code == 0
    (program,) = by_slug(coros)["core"]
    coros.edit_program(str(program["id"]), name="My core")
    status = liftfit("status", str(core))
    assert status.stdout.splitlines() == [
        f"changed on COROS   core  {program['id']}",
        "1 workout: 0 up to date, 0 changed, 0 not on COROS, 1 changed on COROS",
    ]
    core.write_text(core.read_text("utf-8").replace("name: Core", "name: Core v2", 1), "utf-8")
    coros.requests.clear()
    refused = push(str(core))
    assert refused.exit_code == 3
    assert refused.stderr == (
        f"error: core: program {program['id']} was changed on COROS since liftfit last sent "
        "it; left as it is (push --force overwrites it)\n"
    )
    assert coros.writes() == []
    assert coros.programs[str(program["id"])]["name"] == "My core"
    forced = push(str(core), "--force")
    assert forced.exit_code == 0, forced.output
    assert coros.programs[str(program["id"])]["name"] == "Core v2"


def test_programs_without_a_marker_are_never_touched_and_copies_are_reported(
    logged_in: Path, coros: CorosStandin, library: Path
) -> None:
    assert push().exit_code == 0
    (core,) = by_slug(coros)["core"]
    mine = {**copy.deepcopy(core), "id": "1", "name": "My own", "overview": "mine"}
    coros.programs["1"] = mine
    copied = {**copy.deepcopy(core), "id": "2", "name": "Core (copy)"}
    coros.programs["2"] = copied
    for path in library.glob("*.yaml"):
        path.write_text(path.read_text("utf-8").replace("name: ", "name: New ", 1), "utf-8")
    coros.requests.clear()
    result = push()
    assert result.exit_code == 3
    errors = [line for line in result.stderr.splitlines() if not line.startswith("COROS push")]
    assert errors == [
        f"error: core: 2 programs on COROS carry its marker (ids {core['id']}, {copied['id']}); "
        "left as they are: delete the copies you don't want"
    ]
    touched = {str(w.body.get("id")) for w in coros.writes() if isinstance(w.body, dict)}
    assert not touched & {"1", "2", str(core["id"])}
    assert coros.programs["1"] == mine and coros.programs["2"] == copied
    assert len(coros.writes()) == len(BUNDLED) - 1


def test_dry_run_without_a_login_sends_nothing_and_says_it_could_not_compare(
    folder: Path, coros: CorosStandin, library: Path
) -> None:
    result = push("--dry-run")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "POST /training/program/add  ankles-and-calves (new: Ankles and calves)"
    assert len(lines) == len(BUNDLED) + 1
    assert lines[-1] == (
        f"dry run: not logged in to COROS (no token in {folder}), so this could not be "
        f"compared with it: {len(BUNDLED)} programs to create, less any already there; "
        "nothing sent"
    )
    assert coros.requests == []


def test_dry_run_with_a_login_prints_the_writes_and_sends_none(
    logged_in: Path, coros: CorosStandin, library: Path
) -> None:
    assert push(str(library / "core.yaml")).exit_code == 0
    (core,) = by_slug(coros)["core"]
    path = library / "core.yaml"
    path.write_text(path.read_text("utf-8").replace("name: Core", "name: Core v2", 1), "utf-8")
    coros.requests.clear()
    result = push(str(path), str(library / "legs.yaml"), "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        f"POST /training/program/update {core['id']}  core (changed: Core v2)",
        "POST /training/program/add  legs (new: Legs)",
        "dry run: 2 writes planned, 0 unchanged; nothing sent",
    ]
    assert coros.writes() == []


def test_a_workout_coros_would_refuse_is_exit_1_before_any_request(
    logged_in: Path, coros: CorosStandin, tmp_path: Path
) -> None:
    bad = tmp_path / "long-plank.yaml"
    # 13 h a side is within a workout file's limits; one COROS row of 26 h is not.
    bad.write_text(
        "name: Long plank\nsteps:\n  - exercise: side plank\n    hold: 13h\n    per_side: true\n",
        "utf-8",
    )
    coros.requests.clear()
    result = push(str(bad))
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {bad}: COROS would refuse it: row 1: target 93600 seconds is outside 1-86400\n"
    )
    assert coros.requests == []


# --- faults: every one the stand-in injects, on every endpoint push uses --------------------

PATHS = [
    "/training/program/add",
    "/training/program/update",
    "/training/program/query",
    "/training/program/detail",
]
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
    library: Path,
    monkeypatch: pytest.MonkeyPatch,
    path: str,
    kind: str,
    when: str,
) -> None:
    files = [str(library / f"{slug}.yaml") for slug in ("core", "legs", "strides")]
    assert push(*files[:2]).exit_code == 0
    core = library / "core.yaml"
    core.write_text(core.read_text("utf-8").replace("name: Core", "name: Core v2", 1), "utf-8")
    coros.requests.clear()
    delay = {"slow": 3.0, "trickle": 0.05}.get(kind, 0.0)
    if delay:
        monkeypatch.setenv("LIFTFIT_COROS_DEADLINE", "0.5")
    coros.fault(path, kind, when=when, delay=delay)
    faulty = push(*files)
    assert [r.path for r in coros.requests if r.fault] == [path]
    assert faulty.exit_code == 3, faulty.output
    errors = [line for line in faulty.stderr.splitlines() if not line.startswith("COROS push")]
    assert errors and all(line.startswith("error: ") for line in errors)
    if kind in ("slow", "trickle"):
        method = "GET" if path.endswith("detail") else "POST"
        assert f"{method} {path}" in faulty.stderr
    monkeypatch.delenv("LIFTFIT_COROS_DEADLINE", raising=False)
    rerun = push(*files)
    assert rerun.exit_code == 0, rerun.output
    stored = by_slug(coros)
    assert sorted(stored) == ["core", "legs", "strides"]
    assert all(len(programs) == 1 for programs in stored.values())
    for item in compile_paths([Path(f) for f in files], formats=[]):
        (program,) = stored[item.source.slug]
        assert content_hash(program) == content_hash(push_program(item.lowered))
    coros.requests.clear()
    assert push(*files).stdout == "COROS: 0 created, 0 updated, 3 unchanged\n"
    assert coros.writes() == []


def test_stale_reads_are_read_again_before_calling_a_write_different(
    logged_in: Path, coros: CorosStandin, library: Path
) -> None:
    coros.stale_reads = 2
    files = [str(library / f"{slug}.yaml") for slug in ("core", "legs")]
    result = push(*files)
    assert result.exit_code == 0, result.output
    core = library / "core.yaml"
    core.write_text(core.read_text("utf-8").replace("name: Core", "name: Core v2", 1), "utf-8")
    updated = push(*files)
    assert updated.exit_code == 0, updated.output
    assert sorted(by_slug(coros)) == ["core", "legs"]


def test_status_says_what_is_on_coros(logged_in: Path, coros: CorosStandin, library: Path) -> None:
    assert push(str(library / "it-band.yaml"), str(library / "legs.yaml")).exit_code == 0
    legs = library / "legs.yaml"
    legs.write_text(legs.read_text("utf-8").replace("name: Legs", "name: Legs v2", 1), "utf-8")
    (library / "it-band.yaml").unlink()
    ids = {slug: programs[0]["id"] for slug, programs in by_slug(coros).items()}
    coros.requests.clear()
    result = liftfit("status")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    width = max(len(slug) for slug in BUNDLED)
    # The state column is as wide as its longest word ("stored differently").
    assert f"changed locally    {'legs':<{width}}  {ids['legs']}" in lines
    assert f"not on COROS       {'strides':<{width}}".rstrip() in lines
    assert f"on COROS only      {'it-band':<{width}}  {ids['it-band']}" in lines
    assert lines[-1] == (
        f"{len(BUNDLED) - 1} workouts: 0 up to date, 1 changed, {len(BUNDLED) - 2} not on COROS"
        "; 1 on COROS only"
    )
    assert [r.path for r in coros.requests] == ["/training/program/query"]  # the list, once


def test_a_write_refused_as_token_invalid_is_not_sent_again_after_the_new_login(
    logged_in: Path, coros: CorosStandin, library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COROS_EMAIL", EMAIL)
    monkeypatch.setenv("COROS_PASSWORD", PASSWORD)
    core = str(library / "core.yaml")
    coros.fault("/training/program/add", "token", when="after")  # stored, then refused
    result = push(core)
    assert result.exit_code == 3
    assert result.stderr == (
        "error: COROS refused the saved login while creating core (POST /training/program/add); "
        "liftfit logged in again, but it may have been stored: run `liftfit coros push` again, "
        "it finds the program by its marker instead of sending it twice "
        "(stopped with 1 of 1 writes not sent)\n"
    )
    assert [r.path for r in coros.writes()] == ["/training/program/add"]
    assert push(core).stdout == "COROS: 0 created, 0 updated, 1 unchanged\n"
    assert len(by_slug(coros)["core"]) == 1


def test_status_and_push_without_a_login_say_how_to_log_in(
    folder: Path, coros: CorosStandin, library: Path
) -> None:
    for command in ("status", "push"):
        result = liftfit(command)
        assert result.exit_code == 3
        assert result.stderr == (
            f"error: not logged in to COROS (no token in {folder}): run `liftfit coros login`\n"
        )
    assert coros.requests == []
