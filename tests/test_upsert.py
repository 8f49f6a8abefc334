"""The service-neutral upsert engine and token store, driven by a small in-memory service.

The Garmin Connect adapter is tested end to end against its stand-in (tests/test_garmin*.py);
here the engine's own rules are pinned for any service: matching by marker, edits left alone,
read-back retries for eventually consistent services, and the token file's permissions.
"""

from __future__ import annotations

import copy
import hashlib
import json
import stat
from pathlib import Path
from typing import Any

import pytest

from liftfit import upsert
from liftfit.tokens import TokenStore
from liftfit.upsert import Local, Marker, Refused, Remote, UnknownOutcome


def _hash(body: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(body["steps"]).encode()).hexdigest()[:12]


def _local(slug: str, steps: list[int]) -> Local:
    body = {"name": slug.title(), "steps": steps}
    marker = Marker(slug, _hash(body))
    return Local(Path(f"{slug}.yaml"), {**body, "description": str(marker)}, marker, slug.title())


class Memory:
    """A service that keeps items in a dict; ``lag`` reads answer the old content first."""

    name = "Memory Hub"
    item = "program"
    again = "run `liftfit memory push` again"
    read_delay = 0.0

    def __init__(self, read_retries: int = 0, lag: int = 0) -> None:
        self.read_retries = read_retries
        self.lag = lag
        self.items: dict[str, dict[str, Any]] = {}
        self.stale: dict[str, dict[str, Any]] = {}
        self.reads = 0
        self.fail_create: upsert.RemoteError | None = None

    def remotes(self) -> list[Remote[str]]:
        found = []
        for key, body in self.items.items():
            marker = upsert.find_marker(body.get("description"))
            if marker is not None:
                found.append(Remote(key, body["name"], marker))
        return found

    def read(self, remote_id: str) -> dict[str, Any]:
        self.reads += 1
        if self.lag > 0 and remote_id in self.stale:
            self.lag -= 1
            return copy.deepcopy(self.stale[remote_id])
        return copy.deepcopy(self.items[remote_id])

    def create(self, local: Local) -> str | None:
        if self.fail_create is not None:
            raise self.fail_create
        key = f"p{len(self.items) + 1}"
        self.items[key] = copy.deepcopy(local.body)
        self.stale[key] = {**local.body, "steps": []}
        return key

    def update(self, remote: Remote[str], local: Local, stored: dict[str, Any]) -> None:
        self.stale[remote.id] = copy.deepcopy(self.items[remote.id])
        self.items[remote.id] = copy.deepcopy(local.body)

    def content_hash(self, stored: dict[str, Any]) -> str:
        return _hash(stored)

    def differences(self, sent: dict[str, Any], stored: dict[str, Any]) -> list[str]:
        if sent["steps"] == stored["steps"]:
            return []
        return [f"steps {stored['steps']} instead of {sent['steps']}"]


class MarkingMemory(Memory):
    """The same service, able to rewrite a body's marker (``upsert.Marks``)."""

    def mark(self, body: dict[str, Any], marker: Marker) -> dict[str, Any]:
        return {**body, "description": str(marker)}


def test_create_then_unchanged_then_update_in_place() -> None:
    service = Memory()
    first = upsert.plan(service, [_local("core", [1, 2])], whole_library=True, force=False)
    assert [a.kind for a in first.actions] == ["create"]
    report = upsert.push(service, first)
    assert [remote_id for _, remote_id in report.done] == ["p1"]
    assert report.problems == [] and report.stopped is None

    again = upsert.plan(service, [_local("core", [1, 2])], whole_library=True, force=False)
    assert [a.kind for a in again.actions] == ["unchanged"] and again.writes == []

    changed = upsert.plan(service, [_local("core", [1, 3])], whole_library=True, force=False)
    assert [a.kind for a in changed.actions] == ["update"]
    assert upsert.push(service, changed).problems == []
    assert list(service.items) == ["p1"] and service.items["p1"]["steps"] == [1, 3]


def test_an_item_edited_in_the_service_is_left_alone_unless_forced() -> None:
    service = Memory()
    upsert.push(
        service, upsert.plan(service, [_local("core", [1])], whole_library=False, force=False)
    )
    service.items["p1"]["steps"] = [9]  # the user's edit in the service's own editor
    local = [_local("core", [2])]
    plan = upsert.plan(service, local, whole_library=False, force=False)
    assert [a.kind for a in plan.actions] == ["edited"]
    assert upsert.conflict_lines(service, plan) == [
        "core: program p1 was changed on Memory Hub since liftfit last sent it; "
        "left as it is (push --force overwrites it)"
    ]
    forced = upsert.plan(service, local, whole_library=False, force=True)
    assert [a.kind for a in forced.actions] == ["update"]


def test_two_items_with_one_marker_are_a_duplicate_left_alone() -> None:
    service = Memory()
    upsert.push(
        service, upsert.plan(service, [_local("core", [1])], whole_library=False, force=False)
    )
    service.items["copy"] = copy.deepcopy(service.items["p1"])
    plan = upsert.plan(service, [_local("core", [2])], whole_library=False, force=False)
    assert [a.kind for a in plan.actions] == ["duplicate"]
    assert upsert.conflict_lines(service, plan) == [
        "core: 2 programs on Memory Hub carry its marker (ids p1, copy); "
        "left as they are: delete the copies you don't want"
    ]


def test_an_eventually_consistent_read_back_is_retried_before_it_is_a_difference() -> None:
    patient = Memory(read_retries=2, lag=2)
    report = upsert.push(
        patient, upsert.plan(patient, [_local("core", [1])], whole_library=False, force=False)
    )
    assert report.problems == [] and patient.reads == 3

    hasty = Memory(read_retries=0, lag=1)
    report = upsert.push(
        hasty, upsert.plan(hasty, [_local("core", [1])], whole_library=False, force=False)
    )
    assert report.problems == [
        "core (core.yaml): Memory Hub stored program p1 differently: steps [] instead of [1]"
    ]


def test_a_difference_is_noted_in_the_marker_and_reported_until_fixed() -> None:
    service = MarkingMemory(read_retries=0, lag=1)  # the one read-back is stale: steps []
    local = [_local("core", [1])]
    report = upsert.push(service, upsert.plan(service, local, whole_library=False, force=False))
    assert len(report.problems) == 1
    marker = upsert.find_marker(service.items["p1"]["description"])
    assert marker == Marker("core", local[0].marker.content_hash, _hash({"steps": []}))
    assert service.items["p1"]["steps"] == [1]  # the body sent again, not the stale read

    again = upsert.plan(service, local, whole_library=False, force=False)
    assert [a.kind for a in again.actions] == ["update"]  # it is what was sent: note cleared
    upsert.push(service, again)
    assert upsert.find_marker(service.items["p1"]["description"]) == local[0].marker


def test_a_service_that_cannot_mark_reports_the_difference_once() -> None:
    service = Memory(read_retries=0, lag=1)
    local = [_local("core", [1])]
    report = upsert.push(service, upsert.plan(service, local, whole_library=False, force=False))
    assert len(report.problems) == 1
    assert upsert.find_marker(service.items["p1"]["description"]) == local[0].marker
    again = upsert.plan(service, local, whole_library=False, force=False)
    assert [a.kind for a in again.actions] == ["unchanged"]


def test_a_marker_with_a_stored_hash_reads_back() -> None:
    marker = Marker("core", "0ad514ebb5b6", "6c1e0f2d9a47")
    text = upsert.with_marker("Brace the belly.", marker)
    assert text == "Brace the belly.\n\nliftfit:core:0ad514ebb5b6:6c1e0f2d9a47"
    assert upsert.find_marker(text) == marker
    assert upsert.strip_marker(text) == "Brace the belly."
    assert upsert.find_marker("liftfit:core:0ad514ebb5b6") == Marker("core", "0ad514ebb5b6")


def test_a_refused_write_is_reported_and_an_unknown_outcome_stops_the_run() -> None:
    service = Memory()
    service.fail_create = Refused("Memory Hub refused creating core: 400")
    local = [_local("core", [1]), _local("legs", [2])]
    plan = upsert.plan(service, local, whole_library=False, force=False)
    report = upsert.push(service, plan)
    assert report.problems == [
        "core (core.yaml): Memory Hub refused creating core: 400",
        "legs (legs.yaml): Memory Hub refused creating core: 400",  # the fake's one message
    ]
    service.fail_create = UnknownOutcome("Memory Hub did not confirm creating core")
    report = upsert.push(service, plan)
    assert report.done == [] and report.problems == []
    assert upsert.result_lines(service, plan, report) == [
        "Memory Hub did not confirm creating core (stopped with 2 of 2 writes not sent)"
    ]


def test_a_create_without_an_id_is_an_unknown_outcome_with_the_service_wording() -> None:
    service = Memory()
    service.create = lambda local: None  # type: ignore[method-assign]
    report = upsert.push(
        service, upsert.plan(service, [_local("core", [1])], whole_library=False, force=False)
    )
    assert str(report.stopped) == (
        "Memory Hub accepted core without saying under which id; run `liftfit memory push` again"
    )


def test_token_store_writes_privately_and_atomically(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "deep" / "tokens"
    monkeypatch.setenv("LIFTFIT_MEMORY_TOKENS", str(folder))
    store = TokenStore("memory", "LIFTFIT_MEMORY_TOKENS", "memory.json")
    assert store.folder == folder and store.read() is None and store.delete() is None
    assert store.write('{"token": "a"}') == folder / "memory.json"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "memory.json").stat().st_mode) == 0o600
    store.write('{"token": "b"}')
    assert store.read() == '{"token": "b"}'
    assert sorted(p.name for p in folder.iterdir()) == ["memory.json"]  # no temporary left
    assert store.delete() == folder / "memory.json" and not folder.exists()


def test_token_store_default_folder_is_the_user_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LIFTFIT_MEMORY_TOKENS", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    store = TokenStore("memory", "LIFTFIT_MEMORY_TOKENS", "memory.json")
    assert store.folder == tmp_path / "data" / "liftfit" / "memory"


def test_token_store_does_not_read_through_a_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "tokens"
    folder.mkdir()
    (tmp_path / "elsewhere.json").write_text("secret")
    (folder / "memory.json").symlink_to(tmp_path / "elsewhere.json")
    monkeypatch.setenv("LIFTFIT_MEMORY_TOKENS", str(folder))
    store = TokenStore("memory", "LIFTFIT_MEMORY_TOKENS", "memory.json")
    assert store.read() is None
