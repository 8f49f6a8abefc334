"""Push as an upsert: find liftfit's workouts on Connect by marker, send only what changed.

For each local workout (its Connect body carries ``liftfit:<slug>:<hash>``):
- no workout on Connect has the slug's marker → create it (POST);
- one has it with the same hash → unchanged: no request;
- one has it with another hash → read it; if it still is what liftfit last sent (its content
  hashes to the marker's hash), update it in place (PUT, full body: the id and the calendar
  entries pointing at it stay); if not, someone edited it on Connect since, and it is left
  alone unless ``force``;
- several have it (a copy made in Connect keeps the description) → left alone, reported.
Workouts without a marker are never touched. After each write the workout is read back and
compared with what was sent. A rate limit or an unknown outcome stops the push; the next run
reconciles by marker, so nothing is sent twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from liftfit.api import Compiled
from liftfit.errors import InvalidInput, Problem, RemoteError
from liftfit.garmin.gateway import WORKOUT_PATH, Refused, Session
from liftfit.garmin.shape import Marker, content_hash, differences, find_marker, problems

FORMAT = "garmin-connect"


@dataclass(frozen=True)
class Local:
    """A workout file compiled to the Connect body push would send."""

    path: Path
    body: dict[str, Any]
    marker: Marker

    @property
    def slug(self) -> str:
        return self.marker.slug

    @property
    def name(self) -> str:
        return str(self.body["workoutName"])


@dataclass(frozen=True)
class Remote:
    """A workout on Connect whose description carries a liftfit marker."""

    id: int
    name: str
    marker: Marker


Kind = Literal["create", "update", "unchanged", "edited", "duplicate"]


@dataclass
class Action:
    local: Local
    kind: Kind
    remotes: tuple[Remote, ...] = ()
    stored: dict[str, Any] | None = None  # read before an update

    @property
    def remote(self) -> Remote | None:
        return self.remotes[0] if len(self.remotes) == 1 else None

    @property
    def request(self) -> str:
        """The write this action sends, as method and path."""
        if self.kind == "create":
            return f"POST {WORKOUT_PATH}"
        assert self.remote is not None
        return f"PUT  {WORKOUT_PATH}/{self.remote.id}"


@dataclass
class Plan:
    actions: list[Action]
    only_remote: list[Remote]

    def of(self, *kinds: Kind) -> list[Action]:
        return [a for a in self.actions if a.kind in kinds]


@dataclass
class Report:
    """What a push did; ``problems`` are the lines it ends with (exit 3 if any)."""

    done: list[tuple[Action, int]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    stopped: RemoteError | None = None


def locals_from(compiled: Iterable[Compiled]) -> list[Local]:
    """The bodies to push; refuses (exit 1, nothing sent) any Connect would refuse."""
    found: list[Local] = []
    trouble: list[Problem] = []
    seen: dict[str, Path] = {}
    for item in compiled:
        body = json.loads(item.outputs[FORMAT].data)
        marker = find_marker(body.get("description"))
        assert marker is not None, "the exporter always writes a marker"
        trouble += [
            Problem(item.source.path, f"Garmin Connect would refuse it: {p}")
            for p in problems(body)
        ]
        if marker.slug in seen:
            trouble.append(
                Problem(
                    item.source.path,
                    f"same name as {seen[marker.slug]}: liftfit tells workouts on Garmin "
                    "Connect apart by file name; rename one",
                )
            )
        seen[marker.slug] = item.source.path
        found.append(Local(item.source.path, body, marker))
    if trouble:
        raise InvalidInput(trouble)
    return found


def remotes_from(listed: Iterable[dict[str, Any]]) -> list[Remote]:
    found = []
    for summary in listed:
        marker = find_marker(summary.get("description"))
        workout_id = summary.get("workoutId")
        if marker is not None and isinstance(workout_id, int):
            found.append(Remote(workout_id, str(summary.get("workoutName") or ""), marker))
    return found


def match(local: Sequence[Local], remote: Sequence[Remote], *, whole_library: bool) -> Plan:
    """What each local workout needs, from the list alone (no request)."""
    by_slug: dict[str, list[Remote]] = {}
    for stored in remote:
        by_slug.setdefault(stored.marker.slug, []).append(stored)
    actions = []
    for workout in local:
        mine = tuple(by_slug.get(workout.slug, ()))
        if not mine:
            actions.append(Action(workout, "create"))
        elif len(mine) > 1:
            actions.append(Action(workout, "duplicate", mine))
        elif mine[0].marker.content_hash == workout.marker.content_hash:
            actions.append(Action(workout, "unchanged", mine))
        else:
            actions.append(Action(workout, "update", mine))
    slugs = {workout.slug for workout in local}
    only_remote = [r for r in remote if r.marker.slug not in slugs] if whole_library else []
    return Plan(actions, only_remote)


def plan(
    session: Session,
    local: Sequence[Local],
    *,
    whole_library: bool,
    force: bool,
    remote: Sequence[Remote] | None = None,
) -> Plan:
    """List the account's workouts (unless given), then read each one liftfit would update."""
    if remote is None:
        remote = remotes_from(session.workouts())
    result = match(local, remote, whole_library=whole_library)
    for action in result.of("update"):
        assert action.remote is not None
        action.stored = session.workout(action.remote.id)
        if not force and content_hash(action.stored) != action.remote.marker.content_hash:
            action.kind = "edited"
    return result


def push(
    session: Session, plan: Plan, *, progress: Callable[[Action], None] | None = None
) -> Report:
    """Send the plan's writes, one at a time, each read back and compared."""
    report = Report()
    for action in plan.of("create", "update"):
        label = f"{action.local.slug} ({action.local.path})"
        try:
            if action.kind == "create":
                workout_id = session.create(action.local.body, action.local.slug)
            else:
                assert action.remote is not None and action.stored is not None
                workout_id = action.remote.id
                body = {**action.stored, **action.local.body, "workoutId": workout_id}
                session.update(workout_id, body, action.local.slug)
            report.done.append((action, workout_id))
            stored = session.workout(workout_id)
        except Refused as error:
            report.problems.append(f"{label}: {error}")
            continue
        except RemoteError as error:
            report.stopped = error
            break
        finally:
            if progress:
                progress(action)
        changed = differences(action.local.body, stored)
        if changed:
            report.problems.append(
                f"{label}: Garmin Connect stored workout {workout_id} differently: "
                + "; ".join(changed[:5])
                + (f" (and {len(changed) - 5} more)" if len(changed) > 5 else "")
            )
    return report


def conflict_lines(plan: Plan) -> list[str]:
    lines = []
    for action in plan.of("edited"):
        assert action.remote is not None
        lines.append(
            f"{action.local.slug}: workout {action.remote.id} was changed on Garmin Connect "
            "since liftfit last sent it; left as it is (push --force overwrites it)"
        )
    for action in plan.of("duplicate"):
        ids = ", ".join(str(r.id) for r in action.remotes)
        lines.append(
            f"{action.local.slug}: {len(action.remotes)} workouts on Garmin Connect carry its "
            f"marker (ids {ids}); left as they are: delete the copies you don't want"
        )
    return lines
