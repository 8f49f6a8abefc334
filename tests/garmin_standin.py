"""A local stand-in for Garmin Connect's API, for driving the real garminconnect client.

An ``http.server`` on 127.0.0.1 (port 0) in a thread, with the endpoints liftfit's gateway
uses: the two profile reads garminconnect's token login makes, the workout list, one
workout, create (POST), update (PUT), delete, the DI token refresh, and the calendar: a
month of it (``/calendar-service/year/{y}/month/{m-1}``), schedule a workout on a day (POST
``/workout-service/schedule/{workoutId}``), read or remove an entry (GET / DELETE
``/workout-service/schedule/{scheduleId}``). It keeps:

- Garmin's rules, checked on every write, written here from FORMATS.md §2 and the reference
  response independently of liftfit's own checks: id/key pairs, one flat ``stepOrder``
  counter, ``childStepId`` numbering repeat groups from 1, ``sportType``, known categories
  ("400 Invalid category"). A breach answers 400 and is kept in ``violations``.
- Stored workouts shaped like Connect's responses (ids for every step, floats, owner, dates),
  and list summaries without steps, newest first, paged by ``start``/``limit``.
- Calendar entries shaped like Connect's: a month answers with its grid of whole weeks
  (Sunday to Saturday), so the neighbouring months' days in its first and last weeks come
  too, and with other kinds of items (``calendar_extras``: activities, weigh-ins).
  Deleting a workout takes its entries off the calendar.
- Faults to inject on the n-th matching request (the token refresh included), before or
  after storing it: any status, a reset connection (no answer), a slow answer, an answer
  trickled one byte at a time.
- Connect's list changed in ways seen or feared: pages capped below the ``limit`` asked
  (``page_cap``), summaries without a ``description`` (``list_descriptions = False``).
- A request log.
"""

from __future__ import annotations

import calendar
import copy
import json
import re
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

from garminconnect import exercises as connect_exercises

SPORTS = {1: "running", 5: "strength_training"}
STEP_TYPES = {
    1: "warmup",
    2: "cooldown",
    3: "interval",
    4: "recovery",
    5: "rest",
    6: "repeat",
    7: "other",
}
CONDITIONS = {1: "lap.button", 2: "time", 3: "distance", 7: "iterations", 10: "reps"}
TARGETS = {1: "no.target", 4: "heart.rate.zone", 6: "pace.zone"}
WEIGHT_UNITS = {8: ("kilogram", 1000.0), 9: ("pound", 453.59237)}
CATEGORIES = set(connect_exercises.CATEGORIES)
EXERCISES = {(e["category"], e["exercise"]) for e in connect_exercises.EXERCISES}
WORKOUT = "/workout-service/workout"
SCHEDULE = "/workout-service/schedule"
CALENDAR = re.compile(r"^/calendar-service/year/(\d{4})/month/(\d{1,2})$")
PROFILE = {"displayName": "standin-runner", "fullName": "Stand-in Runner", "profileId": 42}
SETTINGS = {"userData": {"measurementSystem": "metric"}}


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    status: int = 0

    @property
    def is_write(self) -> bool:
        """A write to the workout library or the calendar."""
        return self.method in ("POST", "PUT", "DELETE") and self.path.startswith(
            "/workout-service/"
        )


@dataclass
class Fault:
    """Break the ``nth`` request matching method and path prefix.

    ``status``: answer it (0: the usual answer); ``reset``: close the connection without an
    answer; ``slow``: wait ``delay`` seconds first; ``trickle``: send the answer's body one
    byte every ``delay`` seconds. With ``after_store`` the server does the work first.
    """

    method: str
    path: str
    status: int = 0
    nth: int = 1
    after_store: bool = False  # the server did the work, then failed to say so
    kind: Literal["status", "reset", "slow", "trickle"] = "status"
    delay: float = 0.0
    times: int = 1  # how many matching requests in a row, from the nth
    seen: int = 0


def _pair(obj: Any, id_field: str, key_field: str, table: dict[int, str]) -> bool:
    return isinstance(obj, dict) and table.get(obj.get(id_field)) == obj.get(key_field)  # type: ignore[arg-type]


def check_workout(body: Any) -> list[str]:
    """Every way ``body`` breaks Garmin's workout rules; [] when Connect would take it as is."""
    if not isinstance(body, dict):
        return ["the body is not a JSON object"]
    found = []
    sport = body.get("sportType")
    if not _pair(sport, "sportTypeId", "sportTypeKey", SPORTS):
        found.append(f"Invalid sport type {sport!r}")
    if not str(body.get("workoutName") or "").strip():
        found.append("workoutName is required")
    segments = body.get("workoutSegments")
    if not isinstance(segments, list) or len(segments) != 1:
        return [*found, "exactly one workout segment expected"]
    segment = segments[0]
    if segment.get("segmentOrder") != 1:
        found.append("segmentOrder must be 1")
    if not isinstance(sport, dict) or (segment.get("sportType") or {}).get(
        "sportTypeId"
    ) != sport.get("sportTypeId"):
        found.append("the segment's sportType differs from the workout's")
    order = 0
    groups = 0
    for step in segment.get("workoutSteps") or []:
        order += 1
        if step.get("type") == "RepeatGroupDTO":
            groups += 1
            found += _check_group(step, order, groups)
            for child in step.get("workoutSteps") or []:
                order += 1
                found += _check_step(child, order, groups, sport)
        else:
            found += _check_step(step, order, None, sport)
    if order == 0:
        found.append("a workout needs steps")
    return found


def _check_group(step: dict[str, Any], order: int, group: int) -> list[str]:
    found = []
    where = f"step {order}"
    if step.get("stepOrder") != order:
        found.append(f"{where}: stepOrder {step.get('stepOrder')} (the counter is at {order})")
    if step.get("childStepId") != group:
        found.append(
            f"{where}: repeat group childStepId {step.get('childStepId')}, expected {group}"
        )
    if (
        not _pair(step.get("stepType"), "stepTypeId", "stepTypeKey", STEP_TYPES)
        or step["stepType"]["stepTypeId"] != 6
    ):
        found.append(f"{where}: a repeat group has stepType 6 repeat")
    if (
        not _pair(step.get("endCondition"), "conditionTypeId", "conditionTypeKey", CONDITIONS)
        or step["endCondition"]["conditionTypeId"] != 7
    ):
        found.append(f"{where}: a repeat group ends by condition 7 iterations")
    count = step.get("numberOfIterations")
    if not isinstance(count, int) or count < 1 or step.get("endConditionValue") != count:
        found.append(
            f"{where}: numberOfIterations {count!r} / "
            f"endConditionValue {step.get('endConditionValue')!r}"
        )
    children = step.get("workoutSteps")
    if not isinstance(children, list) or not children:
        found.append(f"{where}: empty repeat group")
    elif any(c.get("type") == "RepeatGroupDTO" for c in children):
        found.append(f"{where}: nested repeat groups are not supported")
    return found


def _check_step(step: dict[str, Any], order: int, group: int | None, sport: Any) -> list[str]:
    found = []
    where = f"step {order}"
    if step.get("type") != "ExecutableStepDTO":
        return [f"{where}: unknown step type {step.get('type')!r}"]
    if step.get("stepOrder") != order:
        found.append(f"{where}: stepOrder {step.get('stepOrder')} (the counter is at {order})")
    if step.get("childStepId") != group:
        found.append(f"{where}: childStepId {step.get('childStepId')}, expected {group}")
    if (
        not _pair(step.get("stepType"), "stepTypeId", "stepTypeKey", STEP_TYPES)
        or step["stepType"]["stepTypeId"] == 6
    ):
        found.append(f"{where}: stepType {step.get('stepType')!r}")
    end = step.get("endCondition")
    if (
        not _pair(end, "conditionTypeId", "conditionTypeKey", CONDITIONS)
        or end["conditionTypeId"] == 7
    ):
        found.append(f"{where}: endCondition {end!r}")
    elif end["conditionTypeId"] in (2, 3, 10):
        value = step.get("endConditionValue")
        if not isinstance(value, int | float) or value <= 0:
            found.append(f"{where}: endConditionValue {value!r}")
        elif end["conditionTypeId"] == 10 and value != int(value):
            found.append(f"{where}: reps must be whole")
    target = step.get("targetType")
    if not _pair(target, "workoutTargetTypeId", "workoutTargetTypeKey", TARGETS):
        found.append(f"{where}: targetType {target!r}")
    elif target["workoutTargetTypeId"] == 4 and str(step.get("zoneNumber")) not in {
        "1",
        "2",
        "3",
        "4",
        "5",
    }:
        found.append(f"{where}: zoneNumber {step.get('zoneNumber')!r}")
    elif target["workoutTargetTypeId"] == 6 and not all(
        isinstance(step.get(k), int | float) and step[k] > 0
        for k in ("targetValueOne", "targetValueTwo")
    ):
        found.append(f"{where}: pace target without speeds")
    category, name = step.get("category"), step.get("exerciseName")
    if category is not None and category not in CATEGORIES:
        found.append("Invalid category")
    elif category is not None and name and (category, name) not in EXERCISES:
        found.append(f"{where}: Invalid exercise name {category}/{name}")
    elif category is None and name:
        found.append(f"{where}: exerciseName without category")
    if (step.get("stepType") or {}).get("stepTypeId") == 5 and (category or name):
        found.append(f"{where}: a rest step with an exercise")
    if isinstance(sport, dict) and sport.get("sportTypeId") == 1 and category is not None:
        found.append(f"{where}: running steps have no exercise category")
    unit = step.get("weightUnit")
    if unit is not None and (
        not isinstance(unit, dict)
        or WEIGHT_UNITS.get(unit.get("unitId")) != (unit.get("unitKey"), unit.get("factor"))
    ):
        found.append(f"{where}: weightUnit {unit!r}")
    weight = step.get("weightValue")
    if weight is not None and (not isinstance(weight, int | float) or weight < 0):
        found.append(f"{where}: weightValue {weight!r}")
    return found


@dataclass
class StandIn:
    """The server's state; ``start()`` it, point liftfit at ``url``, ``stop()`` it."""

    workouts: dict[int, dict[str, Any]] = field(default_factory=dict)
    schedules: dict[int, dict[str, Any]] = field(default_factory=dict)  # entry id → entry
    calendar_extras: list[dict[str, Any]] = field(default_factory=list)  # not workouts
    log: list[Request] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    access_tokens: set[str] = field(default_factory=lambda: {"x"})
    refresh_tokens: dict[str, str] = field(default_factory=dict)  # refresh → new access token
    rewrite: Callable[[dict[str, Any]], None] | None = None  # Garmin's silent rewrites
    page_cap: int | None = None  # the most summaries one list page holds, whatever asked
    list_descriptions: bool = True  # False: summaries come without a description key
    next_id: int = 1_700_000_001
    next_step_id: int = 14_000_000_001
    next_schedule_id: int = 1_200_000_001
    clock: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    stopping: threading.Event = field(default_factory=threading.Event)
    server: ThreadingHTTPServer | None = None

    # --- running ------------------------------------------------------------------------

    def start(self) -> StandIn:
        state = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                state._handle(self, "GET")

            def do_POST(self) -> None:
                state._handle(self, "POST")

            def do_PUT(self) -> None:
                state._handle(self, "PUT")

            def do_DELETE(self) -> None:
                state._handle(self, "DELETE")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.005}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        self.stopping.set()  # ends slow and trickled answers
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    @staticmethod
    def write_tokens(folder: Path, access: str = "x") -> Path:
        """A token folder as garminconnect writes it (FORMATS.md §2's test recipe)."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "garmin_tokens.json"
        path.write_text(
            json.dumps({"di_token": access, "di_refresh_token": "r", "di_client_id": "c"})
        )
        return path

    # --- what tests look at ----------------------------------------------------------------

    def writes(self) -> list[Request]:
        return [r for r in self.log if r.is_write]

    def requests(self, method: str, prefix: str = "") -> list[Request]:
        return [r for r in self.log if r.method == method and r.path.startswith(prefix)]

    def with_marker(self, slug: str) -> list[dict[str, Any]]:
        return [
            w for w in self.workouts.values() if f"liftfit:{slug}:" in (w.get("description") or "")
        ]

    def add(self, body: dict[str, Any]) -> int:
        """Store a workout directly, as if made in Connect's web UI."""
        with self.lock:
            return self._store(copy.deepcopy(body), None)

    def put_on_calendar(self, workout_id: int, day: str) -> int:
        """Schedule a workout directly, as if dragged onto the calendar in Connect's web UI."""
        with self.lock:
            return self._schedule(workout_id, day)

    def calendar(self) -> list[tuple[str, int, str]]:
        """(day, workout id, workout name) of every entry, by day."""
        return sorted(
            (e["date"], e["workoutId"], self.workouts[e["workoutId"]]["workoutName"])
            for e in self.schedules.values()
        )

    # --- serving ------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        split = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        body: Any = raw.decode("utf-8", "replace")
        if "json" in (handler.headers.get("Content-Type") or ""):
            body = json.loads(raw)
        request = Request(method, split.path, parse_qs(split.query), body)
        with self.lock:
            self.log.append(request)
            fault = self._fault(request)
            before = fault if fault is not None and not fault.after_store else None
            if before is None or before.kind != "slow":
                status, payload = self._answer(request, handler, fault)
        if before is not None and before.kind == "slow":
            self.stopping.wait(before.delay)
            with self.lock:
                status, payload = self._answer(request, handler, fault)
        if fault is not None and fault.kind == "slow" and fault.after_store:
            self.stopping.wait(fault.delay)
        request.status = status
        if fault is not None and fault.kind == "reset":
            # SO_LINGER 0: closing sends a TCP reset instead of an answer.
            handler.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
            handler.close_connection = True
            return
        data = b"" if payload is None else json.dumps(payload).encode("utf-8")
        handler.send_response(status)
        if payload is not None:
            handler.send_header("Content-Type", "application/json;charset=UTF-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        if fault is not None and fault.kind == "trickle":
            for byte in range(len(data)):
                handler.wfile.write(data[byte : byte + 1])
                handler.wfile.flush()
                if self.stopping.wait(fault.delay):
                    return
            return
        handler.wfile.write(data)

    def _answer(
        self, request: Request, handler: BaseHTTPRequestHandler, fault: Fault | None
    ) -> tuple[int, Any]:
        """The answer to a request (the lock held), with a ``status`` fault applied."""
        injected = fault is not None and fault.kind == "status" and fault.status
        if injected and fault is not None and not fault.after_store:
            return fault.status, {"message": f"injected HTTP {fault.status}"}
        if fault is not None and fault.kind == "reset" and not fault.after_store:
            return 0, None
        status, payload = self._route(request, handler.headers.get("Authorization") or "")
        if injected and fault is not None:
            return fault.status, {"message": f"injected HTTP {fault.status} after storing"}
        return status, payload

    def _fault(self, request: Request) -> Fault | None:
        for fault in self.faults:
            if fault.method == request.method and request.path.startswith(fault.path):
                fault.seen += 1
                if fault.nth <= fault.seen < fault.nth + fault.times:
                    return fault
        return None

    def _route(self, request: Request, authorization: str) -> tuple[int, Any]:
        if request.path == "/di-oauth2-service/oauth/token":
            form = parse_qs(request.body if isinstance(request.body, str) else "")
            fresh = self.refresh_tokens.get((form.get("refresh_token") or [""])[0])
            if fresh is None:
                return 400, {"error": "invalid_grant"}
            self.access_tokens.add(fresh)
            return 200, {"access_token": fresh, "refresh_token": "r2", "expires_in": 3600}
        if authorization.removeprefix("Bearer ") not in self.access_tokens:
            return 401, {"message": "Token is not active"}
        return self._serve(request)

    def _serve(self, request: Request) -> tuple[int, Any]:
        path, method = request.path, request.method
        if method == "GET" and path == "/userprofile-service/socialProfile":
            return 200, PROFILE
        if method == "GET" and path == "/userprofile-service/userprofile/user-settings":
            return 200, SETTINGS
        if method == "GET" and path == "/workout-service/workouts":
            start = int((request.query.get("start") or ["0"])[0])
            limit = int((request.query.get("limit") or ["100"])[0])
            if self.page_cap is not None:
                limit = min(limit, self.page_cap)
            newest = sorted(self.workouts.values(), key=lambda w: w["_clock"], reverse=True)
            return 200, [self._summary(w) for w in newest[start : start + limit]]
        if method == "POST" and path == WORKOUT:
            problems = check_workout(request.body)
            if problems:
                self.violations += problems
                return 400, {"message": problems[0]}
            workout_id = self._store(copy.deepcopy(request.body), None)
            return 200, self._public(self.workouts[workout_id])
        if path.startswith(WORKOUT + "/"):
            tail = path.removeprefix(WORKOUT + "/")
            if not tail.isdigit() or int(tail) not in self.workouts:
                return 404, {"message": "Workout not found"}
            workout_id = int(tail)
            if method == "GET":
                return 200, self._public(self.workouts[workout_id])
            if method == "DELETE":
                del self.workouts[workout_id]
                for entry_id in [
                    i for i, e in self.schedules.items() if e["workoutId"] == workout_id
                ]:
                    del self.schedules[entry_id]
                return 204, None
            if method == "PUT":
                problems = check_workout(request.body)
                if isinstance(request.body, dict) and request.body.get("workoutId") != workout_id:
                    problems.append("workoutId in the body differs from the one in the path")
                if problems:
                    self.violations += problems
                    return 400, {"message": problems[0]}
                self._store(copy.deepcopy(request.body), workout_id)
                return 204, None
        if path.startswith(SCHEDULE + "/"):
            return self._serve_schedule(request)
        month = CALENDAR.match(path)
        if method == "GET" and month:
            return self._month(int(month.group(1)), int(month.group(2)))
        self.unexpected.append(f"{method} {path}")
        return 404, {"message": f"no such endpoint in the stand-in: {method} {path}"}

    # --- the calendar -------------------------------------------------------------------

    def _serve_schedule(self, request: Request) -> tuple[int, Any]:
        tail = request.path.removeprefix(SCHEDULE + "/")
        if not tail.isdigit():
            self.unexpected.append(f"{request.method} {request.path}")
            return 404, {"message": "no such endpoint in the stand-in"}
        number = int(tail)
        if request.method == "POST":  # the number is a workout id
            day = request.body.get("date") if isinstance(request.body, dict) else None
            if number not in self.workouts:
                return 404, {"message": f"Workout not found: {number}"}
            if not isinstance(day, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
                self.violations.append(f"schedule body {request.body!r}")
                return 400, {"message": "Invalid date"}
            return 200, self._schedule_view(self._schedule(number, day))
        entry = self.schedules.get(number)  # the number is an entry id
        if entry is None:
            return 404, {"message": f"No workout found for workout schedule = {number}"}
        if request.method == "GET":
            return 200, self._schedule_view(number)
        if request.method == "DELETE":
            del self.schedules[number]
            return 204, None
        self.unexpected.append(f"{request.method} {request.path}")
        return 405, {"message": "method not allowed"}

    def _schedule(self, workout_id: int, day: str) -> int:
        date.fromisoformat(day)
        entry_id = self.next_schedule_id
        self.next_schedule_id += 1
        self.clock += 1
        self.schedules[entry_id] = {
            "workoutId": workout_id,
            "date": day,
            "createdDate": f"2026-10-01T09:{self.clock // 60:02d}:{self.clock % 60:02d}.0",
        }
        return entry_id

    def _schedule_view(self, entry_id: int) -> dict[str, Any]:
        """A schedule as ``POST``/``GET /workout-service/schedule/…`` return it."""
        entry = self.schedules[entry_id]
        return {
            "workoutScheduleId": entry_id,
            "workout": self._public(self.workouts[entry["workoutId"]]),
            "calendarDate": entry["date"],
            "createdDate": entry["createdDate"],
            "ownerId": 7,
            "newName": None,
            "consumer": None,
            "atpPlanTypeId": None,
            "associatedActivityId": None,
            "priority": None,
            "associatedActivityDateTime": None,
            "tpPlanName": None,
            "trainingPlanId": None,
            "itpWorkoutKey": None,
            "protected": False,
            "nameChanged": False,
        }

    def _month(self, year: int, month0: int) -> tuple[int, Any]:
        """A month as the calendar shows it: whole weeks, Sunday to Saturday."""
        if not 0 <= month0 <= 11:
            return 400, {"message": f"Invalid month {month0}"}
        first = date(year, month0 + 1, 1)
        days = calendar.monthrange(year, month0 + 1)[1]
        last = first + timedelta(days=days - 1)
        grid_start = first - timedelta(days=(first.weekday() + 1) % 7)
        grid_end = last + timedelta(days=(5 - last.weekday()) % 7)
        items = [
            self._calendar_item(entry_id, entry) for entry_id, entry in self.schedules.items()
        ] + [copy.deepcopy(item) for item in self.calendar_extras]
        shown = [
            item for item in items if grid_start <= date.fromisoformat(item["date"]) <= grid_end
        ]
        previous = first - timedelta(days=1)
        return 200, {
            "startDayOfMonth": (first.weekday() + 1) % 7,
            "numOfDaysInMonth": days,
            "numOfDaysInPrevMonth": previous.day,
            "month": month0,
            "year": year,
            "calendarItems": sorted(shown, key=lambda item: (item["date"], item["id"])),
        }

    def _calendar_item(self, entry_id: int, entry: dict[str, Any]) -> dict[str, Any]:
        workout = self.workouts[entry["workoutId"]]
        return {
            "id": entry_id,
            "groupId": None,
            "trainingPlanId": None,
            "itemType": "workout",
            "activityTypeId": None,
            "title": workout["workoutName"],
            "date": entry["date"],
            "duration": None,
            "distance": None,
            "calories": None,
            "sportTypeKey": workout["sportType"]["sportTypeKey"],
            "isRace": None,
            "recurrenceId": None,
            "workoutId": entry["workoutId"],
            "protectedWorkoutSchedule": False,
            "workoutUuid": None,
        }

    def _store(self, body: dict[str, Any], workout_id: int | None) -> int:
        """Keep a workout the way Connect returns it: ids everywhere, floats, owner, dates."""
        created = self.workouts.get(workout_id, {}).get("createdDate") if workout_id else None
        if workout_id is None:
            workout_id = self.next_id
            self.next_id += 1
        self.clock += 1
        stamp = f"2026-10-01T08:{self.clock // 60:02d}:{self.clock % 60:02d}.0"
        body.update(
            workoutId=workout_id,
            ownerId=7,
            updatedDate=stamp,
            createdDate=created or stamp,
            author={"userProfilePk": 7, "displayName": PROFILE["displayName"]},
            estimatedDurationInSecs=0,
            shared=False,
            _clock=self.clock,
        )
        body.setdefault(
            "subSportType", "GENERIC" if body["sportType"]["sportTypeId"] == 5 else None
        )
        for segment in body.get("workoutSegments") or []:
            for step in segment.get("workoutSteps") or []:
                for one in [step, *(step.get("workoutSteps") or [])]:
                    one["stepId"] = self.next_step_id
                    self.next_step_id += 1
                    for key in (
                        "endConditionValue",
                        "weightValue",
                        "targetValueOne",
                        "targetValueTwo",
                    ):
                        if isinstance(one.get(key), int | float):
                            one[key] = float(one[key])
                    one.setdefault("description", None)
                    if one.get("type") == "RepeatGroupDTO":
                        one.setdefault("preferredEndConditionUnit", None)
                        one.setdefault("endConditionCompare", None)
        if self.rewrite is not None:
            self.rewrite(body)
        self.workouts[workout_id] = body
        return workout_id

    @staticmethod
    def _public(workout: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in copy.deepcopy(workout).items() if not k.startswith("_")}

    def _summary(self, workout: dict[str, Any]) -> dict[str, Any]:
        # The list has no steps, and says updateDate where one workout says updatedDate.
        keep = (
            "workoutId",
            "ownerId",
            "workoutName",
            "description",
            "createdDate",
            "sportType",
            "author",
            "shared",
        )
        summary = {k: copy.deepcopy(workout.get(k)) for k in keep}
        if not self.list_descriptions:
            del summary["description"]
        summary.update(
            updateDate=workout["updatedDate"], trainingPlanId=None, estimatedDurationInSecs=0
        )
        return summary
