"""COROS's workout library as a service of the upsert engine (``liftfit.upsert``).

- the bodies are ``shape.push_program``: the exporter's program with liftfit's marker as the
  overview's last line, checked against COROS's rules (``shape.problems``) before anything
  is sent;
- the list is the library's programs (whole, overviews included); those whose overview
  carries a marker are liftfit's;
- an update sends the whole program over the stored one, its ``id`` kept;
- COROS is eventually consistent after a write: a read-back that differs, or that does not
  find the program just written, is read again a few times before it is called a problem.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any

from liftfit import upsert
from liftfit.api import Compiled
from liftfit.coros.api import PUSH_AGAIN, Refused, Session
from liftfit.coros.shape import checked_programs, content_hash, differences, with_marker
from liftfit.errors import InvalidInput
from liftfit.upsert import Action, Local, Marker, Remote, find_marker, strip_marker

NAME = "COROS"
READ_RETRIES = 4
READ_DELAY = 0.5  # seconds between read-backs

type Plan = upsert.Plan[str]
type Report = upsert.Report[str]


class Coros:
    """The upsert engine's ``Service`` for the COROS workout library, over a ``Session``."""

    name = NAME
    item = "program"
    again = PUSH_AGAIN
    read_retries = READ_RETRIES
    read_delay = READ_DELAY

    def __init__(self, session: Session) -> None:
        self.session = session
        self._written: set[str] = set()

    def remotes(self) -> list[Remote[str]]:
        return remotes_from(self.session.programs())

    def read(self, remote_id: str) -> dict[str, Any]:
        """The stored program; one just written that COROS does not show yet is read again."""
        retries = self.read_retries if remote_id in self._written else 0
        for _ in range(retries):
            try:
                return self.session.program(remote_id)
            except Refused:
                time.sleep(self.read_delay)
        return self.session.program(remote_id)

    def create(self, local: Local) -> str | None:
        created = self.session.create(local.body, local.slug)
        self._written.add(created)
        return created

    def update(self, remote: Remote[str], local: Local, stored: dict[str, Any]) -> None:
        self._written.add(remote.id)
        self.session.update({**stored, **local.body, "id": remote.id}, local.slug)

    def mark(self, body: dict[str, Any], marker: Marker) -> dict[str, Any]:
        """The program with its marker replaced (the engine notes a stored difference in it)."""
        return {**body, "overview": with_marker(strip_marker(body.get("overview")), marker)}

    def content_hash(self, stored: dict[str, Any]) -> str:
        return content_hash(stored)

    def differences(self, sent: dict[str, Any], stored: dict[str, Any]) -> list[str]:
        return differences(sent, stored)


def request(action: Action[str]) -> str:
    """The write an action sends, as method and path."""
    if action.kind == "create":
        return "POST /training/program/add"
    assert action.remote is not None
    return f"POST /training/program/update {action.remote.id}"


def locals_from(compiled: Sequence[Compiled]) -> list[Local]:
    """The programs to push; refuses (exit 1, nothing sent) any COROS would refuse."""
    found = []
    for item, program in zip(compiled, checked_programs(compiled), strict=True):
        marker = find_marker(program.get("overview"))
        assert marker is not None, "push programs always carry a marker"
        found.append(Local(item.source.path, program, marker, str(program["name"])))
    clashes = upsert.slug_clashes(found, NAME)
    if clashes:
        raise InvalidInput(clashes)
    return found


def remotes_from(listed: Iterable[dict[str, Any]]) -> list[Remote[str]]:
    """The listed programs that carry a liftfit marker."""
    found = []
    for program in listed:
        marker = find_marker(program.get("overview"))
        program_id = program.get("id")
        if marker is not None and program_id not in (None, ""):
            found.append(Remote(str(program_id), str(program.get("name") or ""), marker))
    return found
