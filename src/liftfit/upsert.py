"""The one upsert engine: put liftfit's workouts on a remote service, found again by marker.

Every remote service (Garmin Connect, COROS) is driven the same way; only its API differs.

**The marker.** Each body liftfit sends carries ``liftfit:<slug>:<hash>`` in its description
(``Marker``; ``with_marker`` writes it, ``find_marker`` reads it back, ``strip_marker`` shows
the text without it). The slug is the workout file's name; the hash is the service's content
hash of the body as sent. Items are matched by slug only, never by name, and items without a
marker are never touched. When the service stored something other than what was sent, the
marker also records the hash of what it stored (``liftfit:<slug>:<hash>:<stored>``,
``Marker.stored_hash``), written by a second update right after the read-back.

**The service** (``Service``, a protocol): ``remotes()``: its items that carry a marker,
``read(id)`` one, ``create(local)`` (the new id, or None when the service stored it without
saying under which id), ``update(remote, local, stored)`` in place (``local.body`` over
``stored``), ``content_hash(stored)`` of a stored item, ``differences(sent, stored)`` in
words, and its wording: ``name`` ("Garmin Connect"), ``item`` ("workout"), ``again`` (how
to recover from an unknown outcome: "run `liftfit garmin push` again later, …"); optionally
(``Marks``) ``mark(body, marker)``, the body with its marker replaced. ``read_retries`` /
``read_delay`` (seconds): how often a read-back that differs from what was sent is read again
before it is called a difference, for eventually consistent services (0 for Garmin Connect).
A write refused with nothing stored raises ``Refused``; a write whose outcome is unknown
raises ``UnknownOutcome``; any other ``RemoteError`` (rate limit, refused login) also stops
the run.

**The flow.** ``match(local, remote)`` decides from the list alone, per local workout:
``create`` (no item has its slug), ``unchanged`` (one has it with the same hash: no request),
``update`` (one has it with another hash), ``duplicate`` (several have it: a copy made in the
service keeps the description; left alone), ``different`` (one has it with the same hash and
a stored hash: the service keeps something else than was sent; reported, left alone).
``plan(service, local)`` lists (unless given the list), matches, and reads each item to
update or ``different``: if its content hashes neither to its marker's hash nor to its stored
hash, someone edited it in the service since liftfit sent it, and it becomes ``edited`` (left
alone) unless ``force``; a ``different`` item that now is what was sent is updated, so its
marker loses the stored hash. ``push(service, plan)`` sends the writes one at a time, never
retried, each read back and compared; a read-back that still differs after the retries is a
problem line (``Report.problems``) and, for a service that ``Marks``, gets the stored hash
in its marker (``mark``, then ``update``). A ``Refused`` write is reported and the next one
sent; any other ``RemoteError`` stops the run (``Report.stopped``), and the next run
reconciles by marker, so nothing is sent twice. ``conflict_lines`` say what was left alone
and why; ``result_lines`` are the lines a command ends with (exit 3 if any): conflicts,
problems, and where it stopped.

The names here are a stable API for the services built on it: add, don't rename.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

from liftfit.errors import Problem, RemoteError

MARKER_PREFIX = "liftfit"
HASH_CHARS = 12
_MARKER = re.compile(r"liftfit:([^\s:]+):([0-9a-f]{12})(?::([0-9a-f]{12}))?")


class Refused(RemoteError):
    """The service answered a write with a refusal (HTTP 4xx): nothing was stored."""


class UnknownOutcome(RemoteError):
    """A write that may or may not have been stored (timeout, reset, 5xx)."""


@dataclass(frozen=True)
class Marker:
    """``liftfit:<slug>:<hash>``: which workout file an item is, and what liftfit sent.

    ``stored_hash``: set (``liftfit:<slug>:<hash>:<stored>``) when the service stored
    something other than what was sent; the hash of what it stored.
    """

    slug: str
    content_hash: str
    stored_hash: str | None = None

    def __str__(self) -> str:
        stored = f":{self.stored_hash}" if self.stored_hash else ""
        return f"{MARKER_PREFIX}:{self.slug}:{self.content_hash}{stored}"


def marker_slug(slug: str) -> str:
    """The slug as it can stand in a marker (no spaces or colons)."""
    return re.sub(r"[\s:]+", "-", slug)


def find_marker(description: str | None) -> Marker | None:
    """The last liftfit marker in a description, if any."""
    found = _MARKER.findall(description or "")
    if not found:
        return None
    slug, content, stored = found[-1]
    return Marker(slug, content, stored or None)


def strip_marker(description: str | None) -> str:
    """The description as the user reads it: without liftfit's marker."""
    return _MARKER.sub("", description or "").strip()


def with_marker(description: str | None, marker: Marker) -> str:
    """The description with the marker on a line of its own at the end."""
    text = (description or "").strip()
    return f"{text}\n\n{marker}" if text else str(marker)


@dataclass(frozen=True)
class Local:
    """A workout file compiled to the body a push would send (its marker included)."""

    path: Path
    body: dict[str, Any]
    marker: Marker
    name: str

    @property
    def slug(self) -> str:
        return self.marker.slug


@dataclass(frozen=True)
class Remote[I]:
    """An item on the service whose description carries a liftfit marker."""

    id: I
    name: str
    marker: Marker


Kind = Literal["create", "update", "unchanged", "edited", "duplicate", "different"]


@dataclass
class Action[I]:
    """What one local workout needs; ``stored`` is the item as read before an update."""

    local: Local
    kind: Kind
    remotes: tuple[Remote[I], ...] = ()
    stored: dict[str, Any] | None = None

    @property
    def remote(self) -> Remote[I] | None:
        return self.remotes[0] if len(self.remotes) == 1 else None


@dataclass
class Plan[I]:
    actions: list[Action[I]]
    only_remote: list[Remote[I]]  # liftfit's items with no local file (whole library only)

    def of(self, *kinds: Kind) -> list[Action[I]]:
        return [a for a in self.actions if a.kind in kinds]

    @property
    def writes(self) -> list[Action[I]]:
        return self.of("create", "update")


@dataclass
class Report[I]:
    """What a push did: each write sent with its item's id, the problems, where it stopped."""

    done: list[tuple[Action[I], I]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    stopped: RemoteError | None = None


class Service[I](Protocol):
    """What the engine needs from a remote service; ``I`` is the type of its item ids."""

    name: str
    item: str
    again: str
    read_retries: int
    read_delay: float

    def remotes(self) -> list[Remote[I]]: ...

    def read(self, remote_id: I) -> dict[str, Any]: ...

    def create(self, local: Local) -> I | None: ...

    def update(self, remote: Remote[I], local: Local, stored: dict[str, Any]) -> None: ...

    def content_hash(self, stored: dict[str, Any]) -> str: ...

    def differences(self, sent: dict[str, Any], stored: dict[str, Any]) -> list[str]: ...


@runtime_checkable
class Marks(Protocol):
    """A service that can rewrite a body's marker, so a difference is noted in it (optional:
    without it, a difference is reported once, after the write)."""

    def mark(self, body: dict[str, Any], marker: Marker) -> dict[str, Any]: ...


class _MarkingService[I](Service[I], Marks, Protocol):
    pass


def slug_clashes(local: Sequence[Local], service_name: str) -> list[Problem]:
    """Two files with one slug would be one item on the service: a problem for the second."""
    seen: dict[str, Path] = {}
    found = []
    for workout in local:
        if workout.slug in seen:
            found.append(
                Problem(
                    workout.path,
                    f"same name as {seen[workout.slug]}: liftfit tells workouts on "
                    f"{service_name} apart by file name; rename one",
                )
            )
        seen.setdefault(workout.slug, workout.path)
    return found


def match[I](
    local: Sequence[Local], remote: Sequence[Remote[I]], *, whole_library: bool
) -> Plan[I]:
    """What each local workout needs, from the list alone (no request)."""
    by_slug: dict[str, list[Remote[I]]] = {}
    for stored in remote:
        by_slug.setdefault(stored.marker.slug, []).append(stored)
    actions: list[Action[I]] = []
    for workout in local:
        mine = tuple(by_slug.get(workout.slug, ()))
        if not mine:
            actions.append(Action(workout, "create"))
        elif len(mine) > 1:
            actions.append(Action(workout, "duplicate", mine))
        elif mine[0].marker.content_hash == workout.marker.content_hash:
            kind: Kind = "different" if mine[0].marker.stored_hash else "unchanged"
            actions.append(Action(workout, kind, mine))
        else:
            actions.append(Action(workout, "update", mine))
    slugs = {workout.slug for workout in local}
    only_remote = [r for r in remote if r.marker.slug not in slugs] if whole_library else []
    return Plan(actions, only_remote)


def plan[I](
    service: Service[I],
    local: Sequence[Local],
    *,
    whole_library: bool,
    force: bool,
    remote: Sequence[Remote[I]] | None = None,
) -> Plan[I]:
    """List the service's items (unless given), then read each one liftfit would update."""
    if remote is None:
        remote = service.remotes()
    result = match(local, remote, whole_library=whole_library)
    for action in result.of("update", "different"):
        assert action.remote is not None
        marker = action.remote.marker
        action.stored = service.read(action.remote.id)
        stored_hash = service.content_hash(action.stored)
        if action.kind == "different" and stored_hash == marker.content_hash:
            action.kind = "update"  # fixed in the service: sent again, the note goes
        elif force:
            action.kind = "update"
        elif stored_hash not in (marker.content_hash, marker.stored_hash):
            action.kind = "edited"
    return result


def push[I](
    service: Service[I],
    plan: Plan[I],
    *,
    progress: Callable[[Action[I]], None] | None = None,
) -> Report[I]:
    """Send the plan's writes, one at a time and never retried, each read back and compared."""
    report: Report[I] = Report()
    for action in plan.writes:
        label = f"{action.local.slug} ({action.local.path})"
        try:
            remote_id = _write(service, action)
            report.done.append((action, remote_id))
            stored, changed = _read_back(service, remote_id, action.local.body)
            if changed:
                report.problems.append(
                    f"{label}: {service.name} stored {service.item} {remote_id} differently: "
                    + _some(changed)
                )
                if isinstance(service, Marks):
                    _note_difference(service, action.local, remote_id, stored)
        except Refused as error:
            report.problems.append(f"{label}: {error}")
        except RemoteError as error:
            report.stopped = error
            break
        finally:
            if progress:
                progress(action)
    return report


def _some(changed: Sequence[str]) -> str:
    more = f" (and {len(changed) - 5} more)" if len(changed) > 5 else ""
    return "; ".join(changed[:5]) + more


def _note_difference[I](
    service: _MarkingService[I], local: Local, remote_id: I, stored: dict[str, Any]
) -> None:
    """Send the body again with the hash of what the service made of it in its marker.

    The marker then holds both hashes: a later run sees, from the list alone, that the item
    is not what was sent (and says so) and that it is still what the service made of it (so
    a later local change is an update, not an overwrite of someone's edit). What is sent is
    liftfit's own body, never the one read back, which may be a stale read.
    """
    marker = Marker(local.slug, local.marker.content_hash, service.content_hash(stored))
    marked = Local(local.path, service.mark(local.body, marker), marker, local.name)
    service.update(Remote(remote_id, local.name, marker), marked, stored)


def _write[I](service: Service[I], action: Action[I]) -> I:
    if action.kind == "update":
        assert action.remote is not None and action.stored is not None
        service.update(action.remote, action.local, action.stored)
        return action.remote.id
    created = service.create(action.local)
    if created is None:
        raise UnknownOutcome(
            f"{service.name} accepted {action.local.slug} without saying under which id; "
            f"{service.again}"
        )
    return created


def _read_back[I](
    service: Service[I], remote_id: I, sent: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """The stored item and how it differs from what was sent, after the service's retries."""
    for attempt in range(service.read_retries + 1):
        if attempt:
            time.sleep(service.read_delay)
        stored = service.read(remote_id)
        changed = service.differences(sent, stored)
        if not changed:
            break
    return stored, changed


def conflict_lines[I](service: Service[I], plan: Plan[I]) -> list[str]:
    """One line per workout left alone: edited in the service, or held there twice."""
    lines = []
    for action in plan.of("edited"):
        assert action.remote is not None
        lines.append(
            f"{action.local.slug}: {service.item} {action.remote.id} was changed on "
            f"{service.name} since liftfit last sent it; left as it is (push --force "
            "overwrites it)"
        )
    for action in plan.of("different"):
        assert action.remote is not None and action.stored is not None
        as_marked = (  # the note aside
            service.mark(action.stored, action.local.marker)
            if isinstance(service, Marks)
            else action.stored
        )
        changed = service.differences(action.local.body, as_marked)
        lines.append(
            f"{action.local.slug}: {service.item} {action.remote.id} on {service.name} is not "
            f"what liftfit sent: {_some(changed)}; change the file to what {service.name} "
            "keeps, or push --force to send it again"
        )
    for action in plan.of("duplicate"):
        ids = ", ".join(str(r.id) for r in action.remotes)
        lines.append(
            f"{action.local.slug}: {len(action.remotes)} {service.item}s on {service.name} "
            f"carry its marker (ids {ids}); left as they are: delete the copies you don't want"
        )
    return lines


def result_lines[I](service: Service[I], plan: Plan[I], report: Report[I]) -> list[str]:
    """The lines a push ends with (exit 3 if any): conflicts, problems, where it stopped."""
    lines = conflict_lines(service, plan) + report.problems
    if report.stopped is not None:
        total = len(plan.writes)
        left = total - len(report.done)
        lines.append(f"{report.stopped} (stopped with {left} of {total} writes not sent)")
    return lines


def status_lines[I](plan: Plan[I], total: int, where: str) -> list[str]:
    """What ``status`` prints: a row per local workout (its state, the ids it has on the
    service), a row per item only on the service, then how many are in each state. ``where``
    is the service's short name ("Connect", "COROS")."""
    words: dict[Kind, str] = {
        "unchanged": "up to date",
        "update": "changed locally",
        "edited": f"changed on {where}",
        "create": f"not on {where}",
        "duplicate": f"on {where} twice",
        "different": "stored differently",
    }
    only = f"on {where} only"
    label = max(len(text) for text in (*words.values(), only))
    width = max(
        [len(a.local.slug) for a in plan.actions]
        + [len(r.marker.slug) for r in plan.only_remote]
        + [4]
    )
    lines = []
    for action in plan.actions:
        ids = ", ".join(str(r.id) for r in action.remotes)
        lines.append(f"{words[action.kind]:<{label}} {action.local.slug:<{width}}  {ids}".rstrip())
    lines += [f"{only:<{label}} {r.marker.slug:<{width}}  {r.id}" for r in plan.only_remote]
    counts = {kind: len(plan.of(kind)) for kind in words}
    optional: tuple[Kind, ...] = ("edited", "duplicate", "different")
    lines.append(
        f"{total} workout{'' if total == 1 else 's'}: {counts['unchanged']} up to date, "
        f"{counts['update']} changed, "
        f"{counts['create']} not on {where}"
        + "".join(f", {counts[kind]} {words[kind]}" for kind in optional if counts[kind])
        + (f"; {len(plan.only_remote)} {only}" if plan.only_remote else "")
    )
    return lines
