"""What the COROS stand-in stores: the program library and each account's calendar.

The endpoints' rules (see ``tests/coros_standin.py`` for the whole interface), kept apart
from the HTTP side: every method either answers the envelope's ``data`` or raises
``Refusal`` with the error ``result``.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

BAD_REQUEST = "5001"
PROGRAM_IDS = 475_403_462_392_330_001
ENTRY_IDS = 475_403_462_392_900_001
ENTRY_FIELDS = ("happenDay", "idInPlan", "planId", "planProgramId", "sortNoInSchedule", "program")


@dataclass
class Account:
    """A Training Hub account: its login, its session token and its calendar (one plan)."""

    email: str
    password: str
    region: str
    user_id: str
    two_factor: bool
    accepts_bcrypt: bool
    plan_id: str
    token: str | None = None
    max_id_in_plan: int = 0
    entries: dict[int, dict[str, Any]] = field(default_factory=dict)  # idInPlan -> entry


class Refusal(Exception):
    """An envelope with an error ``result``."""

    def __init__(self, result: str, message: str) -> None:
        super().__init__(message)
        self.result = result
        self.message = message


def bad(message: str) -> Refusal:
    return Refusal(BAD_REQUEST, message)


def day_text(value: Any) -> str:
    """A YYYYMMDD day (string or integer), as a string; 5001 when it is not a real day."""
    text = str(value)
    try:
        if isinstance(value, bool) or len(text) != 8:
            raise ValueError(text)
        datetime.strptime(text, "%Y%m%d")
    except ValueError:
        raise bad(f"invalid day {value!r}") from None
    return text


def id_number(value: Any, what: str) -> int:
    """An idInPlan-like number sent as an integer or a digit string."""
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise bad(f"{what} must be a number, not {value!r}")
    return int(value)


def checked_program(body: Any) -> dict[str, Any]:
    """A deep copy of a program body; 5001 when it is not shaped like one."""
    if not isinstance(body, dict):
        raise bad("the program is not a JSON object")
    if not isinstance(body.get("name"), str) or not body["name"].strip():
        raise bad("program name is required")
    if isinstance(body.get("sportType"), bool) or not isinstance(body.get("sportType"), int):
        raise bad("program sportType must be an integer")
    exercises = body.get("exercises")
    if not isinstance(exercises, list) or not all(isinstance(e, dict) for e in exercises):
        raise bad("program exercises must be a list of objects")
    return copy.deepcopy(body)


def calculate(body: Any) -> dict[str, Any]:
    program = checked_program(body)
    duration = total_sets = 0
    for row in program["exercises"]:
        sets, target, value, rest = (
            row.get("sets", 1),
            row.get("targetType"),
            row.get("targetValue"),
            row.get("restValue", 0),
        )
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in (sets, rest)):
            raise bad("exercise sets and restValue must be integers")
        each = 30
        if isinstance(value, int) and target == 2:
            each = value
        elif isinstance(value, int) and target == 3:
            each = 3 * value
        duration += sets * (each + (rest if row.get("restType") == 1 else 0))
        total_sets += sets
    return {
        "duration": duration,
        "totalSets": total_sets,
        "trainingLoad": round(duration / 60),
        "exerciseNum": len(program["exercises"]),
    }


class Training:
    """Programs by id (all accounts; each carries its ``userId``) and stale-read snapshots."""

    def __init__(self) -> None:
        self.programs: dict[str, dict[str, Any]] = {}
        self.stale_reads = 0
        self._stale: dict[str, tuple[Any, int]] = {}  # key -> (state before the write, reads)
        self._next_id = PROGRAM_IDS
        self._next_entry = ENTRY_IDS
        self._clock = int(time.time())

    def tick(self) -> int:
        """A timestamp in seconds that grows by one at every write, so orders are strict."""
        self._clock += 1
        return self._clock

    def entries(self, account: Account) -> list[dict[str, Any]]:
        """The account's calendar entries, by day, as ``schedule_entries()`` shows them."""
        return sorted(
            (
                {key: copy.deepcopy(e[key]) for key in ENTRY_FIELDS}
                for e in account.entries.values()
            ),
            key=lambda e: (e["happenDay"], e["sortNoInSchedule"], e["idInPlan"]),
        )

    def remember(self, key: str, before: Any) -> None:
        if self.stale_reads > 0:
            self._stale[key] = (copy.deepcopy(before), self.stale_reads)

    def read(self, key: str, current: Any) -> Any:
        """What a read of ``key`` sees: the state before the last write while it is stale."""
        if key not in self._stale:
            return current
        before, reads = self._stale[key]
        if reads <= 1:
            del self._stale[key]
        else:
            self._stale[key] = (before, reads - 1)
        return copy.deepcopy(before)

    def owned(self, account: Account, program_id: Any) -> dict[str, Any]:
        program = self.programs.get(str(program_id))
        if program is None or program["userId"] != account.user_id:
            raise bad(f"program {program_id!r} does not exist")
        return program

    def add(self, account: Account, body: Any) -> str:
        program = checked_program(body)
        self._next_id += 1
        program_id = str(self._next_id)
        stamp = self.tick()
        program.update(
            id=program_id,
            userId=account.user_id,
            authorId=account.user_id,
            createTimestamp=stamp,
            updateTimestamp=stamp,
        )
        self.remember(f"program:{program_id}", None)
        self.programs[program_id] = program
        return program_id

    def query(self, account: Account, body: Any) -> list[dict[str, Any]]:
        if not isinstance(body, dict):
            raise bad("the query is not a JSON object")
        start, size = body.get("startNo", 0), body.get("limitSize", 10)
        name, sport = body.get("name") or "", body.get("sportType") or 0
        if not (isinstance(start, int) and isinstance(size, int) and start >= 0 and size > 0):
            raise bad("startNo and limitSize must be integers")
        if not isinstance(name, str) or not isinstance(sport, int):
            raise bad("name must be a string and sportType an integer")
        seen: dict[str, Any] = dict(self.programs)
        for key in [k for k in self._stale if k.startswith("program:")]:
            seen[key.removeprefix("program:")] = self.read(key, None)
        mine = [
            p
            for p in seen.values()
            if p is not None
            and p["userId"] == account.user_id
            and name.lower() in p["name"].lower()
            and sport in (0, p["sportType"])
        ]
        mine.sort(key=lambda p: (p["createTimestamp"], int(p["id"])), reverse=True)
        return copy.deepcopy(mine[start : start + size])

    def detail(self, account: Account, query: dict[str, str]) -> dict[str, Any]:
        program_id = query.get("id", "")
        current = self.programs.get(program_id)
        program = self.read(f"program:{program_id}", current)
        if program is None or program["userId"] != account.user_id:
            raise bad(f"program {program_id!r} does not exist")
        return copy.deepcopy(program)

    def update(self, account: Account, body: Any) -> None:
        program = checked_program(body)
        old = self.owned(account, program.get("id"))
        for key in ("id", "userId", "authorId", "createTimestamp"):
            program[key] = old[key]
        program["updateTimestamp"] = self.tick()
        self.remember(f"program:{old['id']}", old)
        self.programs[old["id"]] = program

    def delete(self, account: Account, ids: Any) -> None:
        if not isinstance(ids, list) or not ids:
            raise bad("a JSON array of program ids is required")
        doomed = [self.owned(account, i)["id"] for i in ids]
        for program_id in doomed:
            self.remember(f"program:{program_id}", self.programs[program_id])
            self.programs.pop(program_id, None)

    # --- the calendar -----------------------------------------------------------------------

    def schedule_query(self, account: Account, query: dict[str, str]) -> dict[str, Any]:
        start = day_text(query.get("startDate", ""))
        end = day_text(query.get("endDate", ""))
        if start > end:
            raise bad("startDate is after endDate")
        entries, highest = self.read(
            f"calendar:{account.user_id}", (account.entries, account.max_id_in_plan)
        )
        shown = sorted(
            (e for e in entries.values() if start <= e["happenDay"] <= end),
            key=lambda e: (e["happenDay"], e["sortNoInSchedule"], e["idInPlan"]),
        )
        return {
            "id": account.plan_id,
            "name": "Schedule",
            "pbVersion": 2,
            "maxIdInPlan": str(highest),
            "maxPlanProgramId": str(highest),
            "entities": [
                {
                    "id": e["id"],
                    "idInPlan": str(e["idInPlan"]),
                    "planId": e["planId"],
                    "planProgramId": e["planProgramId"],
                    "happenDay": int(e["happenDay"]),
                    "sortNoInSchedule": e["sortNoInSchedule"],
                    "sortNo": e["sortNoInSchedule"],
                }
                for e in shown
            ],
            "programs": [
                {**copy.deepcopy(e["program"]), "idInPlan": str(e["idInPlan"])} for e in shown
            ],
            "sportDatasNotInPlan": [],
        }

    def schedule_update(self, account: Account, body: Any) -> None:
        if not isinstance(body, dict) or not isinstance(body.get("versionObjects"), list):
            raise bad("versionObjects is required")
        if not body["versionObjects"]:
            raise bad("versionObjects is empty")
        entities = body.get("entities") or []
        programs = body.get("programs") or []
        if not all(isinstance(x, dict) for x in [*entities, *programs, *body["versionObjects"]]):
            raise bad("entities, programs and versionObjects must be lists of objects")
        by_number = {id_number(e.get("idInPlan"), "idInPlan"): e for e in entities}
        program_by_number = {id_number(p.get("idInPlan"), "idInPlan"): p for p in programs}
        plan: list[tuple[int, int]] = []
        highest = account.max_id_in_plan
        for version in body["versionObjects"]:
            number, status = id_number(version.get("id"), "id"), version.get("status")
            if status == 1:
                if number <= highest:
                    raise bad(f"idInPlan {number} is already used")
                highest = number
            elif status in (2, 3):
                entry = account.entries.get(number)
                if entry is None or str(version.get("planId")) != account.plan_id:
                    raise bad(f"no calendar entry {number} in plan {version.get('planId')!r}")
                if (
                    str(version.get("planProgramId", entry["planProgramId"]))
                    != entry["planProgramId"]
                ):
                    raise bad(f"planProgramId {version.get('planProgramId')!r} does not match")
            else:
                raise bad(f"unknown versionObject status {status!r}")
            if status in (1, 2):
                if number not in by_number or number not in program_by_number:
                    raise bad(f"idInPlan {number} needs an entity and a program")
                day_text(by_number[number].get("happenDay"))
                checked_program(program_by_number[number])
            plan.append((number, status))
        self.remember(f"calendar:{account.user_id}", (account.entries, account.max_id_in_plan))
        for number, status in plan:
            if status == 3:
                account.entries.pop(number, None)
            else:
                self.put_entry(account, number, by_number[number], program_by_number[number])

    def put_entry(
        self, account: Account, number: int, entity: dict[str, Any], program: dict[str, Any]
    ) -> None:
        old = account.entries.get(number)
        if old is None:
            self._next_id += 1
            self._next_entry += 1
        stored = copy.deepcopy(program)
        stored.update(id=old["program"]["id"] if old else str(self._next_id), idInPlan=number)
        account.entries[number] = {
            "id": old["id"] if old else str(self._next_entry),
            "idInPlan": number,
            "planId": account.plan_id,
            "planProgramId": str(number),
            "happenDay": day_text(entity.get("happenDay")),
            "sortNoInSchedule": entity.get("sortNoInSchedule", 1),
            "program": stored,
        }
        account.max_id_in_plan = max(account.max_id_in_plan, number)
