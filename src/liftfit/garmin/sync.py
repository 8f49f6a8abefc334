"""Garmin Connect as a service of the upsert engine (``liftfit.upsert``): the Connect specifics.

- the bodies are the ``garmin-connect`` exporter's output, checked against Connect's rules
  (``shape.problems``) before anything is sent;
- the list is the workout library's summaries; the ones whose description carries a marker
  are liftfit's;
- an update PUTs the full body over the stored one (its id, and so the calendar entries
  pointing at it, stay);
- the content hash and the differences are ``shape``'s, which read the body sent and the one
  Connect returns the same way. Connect is consistent after a write: no read-back retries;
- the marker is the description's last line (``mark`` rewrites it).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from liftfit import upsert
from liftfit.api import Compiled
from liftfit.errors import InvalidInput, Problem, RemoteError
from liftfit.garmin.gateway import PUSH_AGAIN, WORKOUT_PATH, Session
from liftfit.garmin.shape import content_hash, differences, problems
from liftfit.upsert import Action, Local, Marker, Remote, find_marker, strip_marker, with_marker

FORMAT = "garmin-connect"
NAME = "Garmin Connect"

type Plan = upsert.Plan[int]
type Report = upsert.Report[int]


class Connect:
    """The upsert engine's ``Service`` for Garmin Connect, over a logged-in ``Session``."""

    name = NAME
    item = "workout"
    again = PUSH_AGAIN
    read_retries = 0
    read_delay = 0.0

    def __init__(self, session: Session) -> None:
        self.session = session

    def remotes(self) -> list[Remote[int]]:
        return remotes_from(self.session.workouts())

    def read(self, remote_id: int) -> dict[str, Any]:
        return self.session.workout(remote_id)

    def create(self, local: Local) -> int | None:
        return self.session.create(local.body, local.slug)

    def update(self, remote: Remote[int], local: Local, stored: dict[str, Any]) -> None:
        body = {**stored, **local.body, "workoutId": remote.id}
        self.session.update(remote.id, body, local.slug)

    def mark(self, body: dict[str, Any], marker: Marker) -> dict[str, Any]:
        return {**body, "description": with_marker(strip_marker(body.get("description")), marker)}

    def content_hash(self, stored: dict[str, Any]) -> str:
        return content_hash(stored)

    def differences(self, sent: dict[str, Any], stored: dict[str, Any]) -> list[str]:
        return differences(sent, stored)


def request(action: Action[int]) -> str:
    """The write an action sends, as method and path."""
    if action.kind == "create":
        return f"POST {WORKOUT_PATH}"
    assert action.remote is not None
    return f"PUT  {WORKOUT_PATH}/{action.remote.id}"


def locals_from(compiled: Iterable[Compiled]) -> list[Local]:
    """The bodies to push; refuses (exit 1, nothing sent) any Connect would refuse."""
    found: list[Local] = []
    trouble: list[Problem] = []
    for item in compiled:
        body = json.loads(item.outputs[FORMAT].data)
        marker = find_marker(body.get("description"))
        assert marker is not None, "the exporter always writes a marker"
        trouble += [
            Problem(item.source.path, f"Garmin Connect would refuse it: {p}")
            for p in problems(body)
        ]
        found.append(Local(item.source.path, body, marker, str(body["workoutName"])))
    trouble += upsert.slug_clashes(found, NAME)
    if trouble:
        raise InvalidInput(trouble)
    return found


def remotes_from(listed: Sequence[dict[str, Any]]) -> list[Remote[int]]:
    """The listed workouts that carry a liftfit marker.

    A list whose workouts all come without a ``description`` (where the markers are) is an
    error: every workout liftfit sent would look missing, and be sent again.
    """
    if listed and not any("description" in summary for summary in listed):
        raise RemoteError(
            f"Garmin Connect listed {len(listed)} workout{'' if len(listed) == 1 else 's'} "
            "without descriptions, where "
            "liftfit finds its markers: it cannot tell which ones it sent, so it sends nothing"
        )
    found = []
    for summary in listed:
        marker = find_marker(summary.get("description"))
        workout_id = summary.get("workoutId")
        if marker is not None and isinstance(workout_id, int):
            found.append(Remote(workout_id, str(summary.get("workoutName") or ""), marker))
    return found
