"""A local stand-in for COROS Training Hub's private API, for testing liftfit's COROS client.

An ``http.server`` on 127.0.0.1 (port 0) in a daemon thread. Each region is its own "host",
a path prefix: ``coros.url("eu")`` is ``f"{coros.root}/eu"``. Written from FORMATS.md §5, the
captures in the reference folder and how public clients read the answers.

Interface (kept stable for the client's tests; extend, don't rename)::

    with CorosStandin() as coros:            # starts, and stops, the server
        coros.root                            # "http://127.0.0.1:PORT"
        coros.url(region)                     # region in REGIONS ("us", "eu", "cn", "ap")
        coros.add_account(email, password, region="eu", user_id="1001",
                          two_factor=False, accepts_bcrypt=True)
        coros.code                            # the 6-digit code last "sent" by /account/captcha
        coros.requests                        # list[Request], every request received
        coros.writes()                        # requests to the four write endpoints (WRITES)
        coros.programs                        # the library: id (str) -> stored program
        coros.schedule_entries()              # calendar entries, by day (see below)
        coros.edit_program(program_id, **changes)   # a user edit in the COROS app
        coros.add_user_entry(happen_day, program)   # the user's own calendar entry
        coros.login_elsewhere(email)          # another login: the account's tokens die
        coros.fault(path, kind, times=1, when="before", delay=0.0)
        coros.stale_reads = N                 # eventual consistency (below)
        coros.read_timeout = 5.0              # seconds a request may take to arrive

``Request``: ``method``, ``region``, ``path`` (without the region prefix), ``query``
(dict[str, str]), ``headers`` (dict, lower-case keys), ``body`` (parsed JSON, or None when
empty or not JSON), ``result`` (the envelope ``result`` answered, or, when no envelope was
answered, ``"5xx"``, ``"reset"``, ``"404"`` unknown endpoint, ``"413"`` body too large,
``"timeout"`` the body did not arrive within ``read_timeout`` seconds, set before starting),
``fault`` (the fault kind applied, or None).

The API as modelled:

- Envelope: HTTP 200 ``{"result": "0000", "message": "OK", "data": …}``; errors carry another
  ``result`` and no ``data``: ``"1030"`` wrong credentials, ``"1019"`` access token invalid,
  ``"5001"`` bad request (malformed body, unknown program id, idInPlan already used …).
  Unknown paths answer HTTP 404; a body over MAX_BODY bytes HTTP 413.
- ``POST /account/login`` on any region: ``{account, accountType: 2, p1, p2}`` with
  ``p1 = bcrypt(md5hex(password))`` made with salt ``p2`` (refused with "1030" by an account
  made with ``accepts_bcrypt=False``), or ``{account, accountType: 2, pwd: md5hex(password)}``.
  Answers ``accessToken`` (new; the account's earlier token dies), ``userId``, ``regionId``
  (REGION_IDS, the stand-in's own numbering), ``nickname``, ``email``. With two-factor on:
  ``{loginTicket, appKey, accountType2fa}`` and no token; then ``POST /account/captcha
  {account, codeType: 20, …}`` sets ``code`` and ``POST /account/2fa/login/verify
  {loginTicket, appKey, code}`` answers as a login does ("1030" for a wrong code).
- Everything else needs headers ``accesstoken`` (the account's current token, used on the
  account's own region) and ``yfheader`` ``{"userId": "…"}`` of that account: else "1019".
- ``GET /account/query``: ``{userId, nickname, email, unit: 0, region, regionId}``.
- ``POST /training/program/calculate``: ``{duration, totalSets, trainingLoad, exerciseNum}``
  (per set: a time target's seconds, or 3 s a rep, or 30 s; plus ``restValue`` when
  ``restType`` is 1; load = minutes).
- ``POST /training/program/add``: stores a deep copy with a new id (a numeric string) and
  ``userId``, ``authorId``, ``createTimestamp``, ``updateTimestamp`` (seconds); data: the id.
- ``POST /training/program/query {name, startNo, limitSize, sportType, …}``: as the public
  clients read it, data is a bare JSON array of whole programs (exercises included), newest
  first; ``startNo`` is an offset, ``name`` a case-insensitive substring, ``sportType`` 0 all.
  An empty library answers ``[]``.
- ``GET /training/program/detail?id=ID``: the program. ``POST /training/program/update``: the
  whole program with its ``id`` (creation fields kept). ``POST /training/program/delete``: a
  JSON array of ids, all known, else nothing is deleted. Both answer ``data: null``.
- ``GET /training/schedule/query?startDate=YYYYMMDD&endDate=YYYYMMDD``: ``{id (planId), name,
  pbVersion, maxIdInPlan, maxPlanProgramId, entities, programs, sportDatasNotInPlan}`` for the
  days in range (inclusive). As COROS answers: ids are strings (``idInPlan "5"``,
  ``maxIdInPlan "5"``) and ``happenDay`` an integer (20260707). ``entities``: ``{id, idInPlan,
  planId, planProgramId, happenDay, sortNoInSchedule, sortNo}``; ``programs``: the
  embedded program with its own ``id`` and ``idInPlan``.
- ``POST /training/schedule/update {entities, programs, versionObjects, pbVersion}``:
  ``status 1`` adds (entity and program with that ``idInPlan`` required; an ``idInPlan`` not
  above ``maxIdInPlan`` is "already used": "5001", as a racing add gets), ``status 2`` edits
  (entity and program replaced), ``status 3`` deletes (``id`` idInPlan, ``planProgramId``,
  ``planId`` must match). All objects are checked before any is applied; data: null.
- ``schedule_entries()``: ``{happenDay "YYYYMMDD", idInPlan int, planId, planProgramId,
  sortNoInSchedule, program}``, by day then sort number. ``add_user_entry`` (optionally
  ``email=``, default the first account) adds at ``maxIdInPlan + 1`` and returns that idInPlan.
- ``fault(path, kind, …)``: the next ``times`` requests to ``path`` get ``kind``: "5xx" HTTP
  500, "reset" the connection closed with no answer (both: ``when="before"`` nothing is done,
  ``when="after"`` the request is served, then fails), "slow" the answer after ``delay`` s,
  "trickle" the body one byte every ``delay`` s (headers at once), "null" ``{"result":
  "0000", "data": null}``, "token" ``"1019"`` (``when`` applies to "null" and "token" too).
- ``stale_reads = N``: after a write, the next N reads of that program (detail, or a query
  page) or of that account's calendar answer the state before the write.
"""

from __future__ import annotations

import copy
import hashlib
import json
import secrets
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import bcrypt

REGIONS = ("us", "eu", "cn", "ap")
REGION_IDS = {"us": 1, "eu": 2, "cn": 3, "ap": 4}
MAX_BODY = 1 << 20
OK = "0000"
WRONG_CREDENTIALS = "1030"
TOKEN_INVALID = "1019"
BAD_REQUEST = "5001"
WRITES = frozenset(
    {
        "/training/program/add",
        "/training/program/update",
        "/training/program/delete",
        "/training/schedule/update",
    }
)
FAULT_KINDS = frozenset({"5xx", "reset", "slow", "trickle", "null", "token"})
PROGRAM_IDS = 475_403_462_392_330_001


@dataclass
class Request:
    method: str
    region: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any
    result: str = ""
    fault: str | None = None


@dataclass
class Fault:
    path: str
    kind: str
    times: int
    when: str
    delay: float


@dataclass
class Account:
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


def md5hex(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def _bad(message: str) -> Refusal:
    return Refusal(BAD_REQUEST, message)


def _day(value: Any) -> str:
    """A YYYYMMDD day (string or integer), as a string; 5001 when it is not a real day."""
    text = str(value)
    try:
        if isinstance(value, bool) or len(text) != 8:
            raise ValueError(text)
        datetime.strptime(text, "%Y%m%d")
    except ValueError:
        raise _bad(f"invalid day {value!r}") from None
    return text


def _number(value: Any, what: str) -> int:
    """An idInPlan-like number sent as an integer or a digit string."""
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise _bad(f"{what} must be a number, not {value!r}")
    return int(value)


def _program(body: Any) -> dict[str, Any]:
    """A deep copy of a program body; 5001 when it is not shaped like one."""
    if not isinstance(body, dict):
        raise _bad("the program is not a JSON object")
    if not isinstance(body.get("name"), str) or not body["name"].strip():
        raise _bad("program name is required")
    if isinstance(body.get("sportType"), bool) or not isinstance(body.get("sportType"), int):
        raise _bad("program sportType must be an integer")
    exercises = body.get("exercises")
    if not isinstance(exercises, list) or not all(isinstance(e, dict) for e in exercises):
        raise _bad("program exercises must be a list of objects")
    return copy.deepcopy(body)


def _calculate(body: Any) -> dict[str, Any]:
    program = _program(body)
    duration = total_sets = 0
    for row in program["exercises"]:
        sets, target, value, rest = (
            row.get("sets", 1),
            row.get("targetType"),
            row.get("targetValue"),
            row.get("restValue", 0),
        )
        if not all(isinstance(n, int) and not isinstance(n, bool) for n in (sets, rest)):
            raise _bad("exercise sets and restValue must be integers")
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


class CorosStandin:
    """The server and its state; use it as a context manager."""

    def __init__(self) -> None:
        self.accounts: dict[str, Account] = {}
        self.programs: dict[str, dict[str, Any]] = {}
        self.requests: list[Request] = []
        self.faults: list[Fault] = []
        self.code = ""
        self.stale_reads = 0
        self.read_timeout = 5.0
        self._stale: dict[str, tuple[Any, int]] = {}  # key -> (state before the write, reads)
        self._tickets: dict[str, tuple[str, str]] = {}  # loginTicket -> (email, appKey)
        self._next_id = PROGRAM_IDS
        self._clock = int(time.time())
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # --- running ------------------------------------------------------------------------

    def __enter__(self) -> CorosStandin:
        state = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            timeout = state.read_timeout  # a client that stops sending is dropped

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                state._handle(self, "GET")

            def do_POST(self) -> None:
                state._handle(self, "POST")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def root(self) -> str:
        assert self._server is not None, "use CorosStandin as a context manager"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, region: str) -> str:
        if region not in REGIONS:
            raise ValueError(f"unknown region {region!r}")
        return f"{self.root}/{region}"

    # --- what tests set up and look at ---------------------------------------------------

    def add_account(
        self,
        email: str,
        password: str,
        *,
        region: str = "eu",
        user_id: str = "1001",
        two_factor: bool = False,
        accepts_bcrypt: bool = True,
    ) -> None:
        if region not in REGIONS:
            raise ValueError(f"unknown region {region!r}")
        with self._lock:
            self.accounts[email] = Account(
                email,
                password,
                region,
                user_id,
                two_factor,
                accepts_bcrypt,
                plan_id=str(460_904_915_775_170_000 + len(self.accounts)),
            )

    def writes(self) -> list[Request]:
        return [r for r in self.requests if r.path in WRITES]

    def schedule_entries(self) -> list[dict[str, Any]]:
        with self._lock:
            entries = [e for a in self.accounts.values() for e in a.entries.values()]
            return sorted(
                (
                    {
                        key: copy.deepcopy(e[key])
                        for key in (
                            "happenDay",
                            "idInPlan",
                            "planId",
                            "planProgramId",
                            "sortNoInSchedule",
                            "program",
                        )
                    }
                    for e in entries
                ),
                key=lambda e: (e["happenDay"], e["sortNoInSchedule"], e["idInPlan"]),
            )

    def edit_program(self, program_id: str, **changes: Any) -> None:
        with self._lock:
            program = self.programs[program_id]
            program.update(copy.deepcopy(changes))
            program["updateTimestamp"] = self._tick()

    def add_user_entry(self, happen_day: str, program: dict[str, Any], email: str = "") -> int:
        with self._lock:
            account = self.accounts[email] if email else next(iter(self.accounts.values()))
            number = account.max_id_in_plan + 1
            self._put_entry(account, number, {"happenDay": happen_day}, program)
            return number

    def login_elsewhere(self, email: str) -> None:
        with self._lock:
            self.accounts[email].token = secrets.token_hex(16)

    def fault(
        self, path: str, kind: str, *, times: int = 1, when: str = "before", delay: float = 0.0
    ) -> None:
        if kind not in FAULT_KINDS or when not in ("before", "after") or times < 1:
            raise ValueError(f"fault {kind!r} when={when!r} times={times}")
        with self._lock:
            self.faults.append(Fault(path, kind, times, when, delay))

    # --- serving ------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        split = urlsplit(handler.path)
        region, _, rest = split.path.removeprefix("/").partition("/")
        headers = {k.lower(): v for k, v in handler.headers.items()}
        request = Request(method, region, "/" + rest, dict(parse_qsl(split.query)), headers, None)
        with self._lock:
            self.requests.append(request)
        try:
            length = int(headers.get("content-length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            request.result = "413"
            handler.close_connection = True
            self._send(handler, 413, b"request body too large", "text/plain")
            return
        try:
            raw = handler.rfile.read(length) if length else b""
        except TimeoutError:
            request.result = "timeout"
            handler.close_connection = True
            return
        try:
            request.body = json.loads(raw) if raw else None
        except ValueError:
            request.body = None
        with self._lock:
            fault = self._take_fault(request)
            request.fault = fault.kind if fault else None
            answer: dict[str, Any] | None = None
            if fault is None or fault.when == "after" or fault.kind in ("slow", "trickle"):
                answer = self._route(request, raw)
            if fault is not None and fault.kind == "null":
                answer = {"result": OK, "message": "OK", "data": None}
            elif fault is not None and fault.kind == "token":
                answer = {"result": TOKEN_INVALID, "message": "Access token is invalid"}
            elif fault is not None and fault.kind in ("5xx", "reset"):
                answer = None
            request.result = (
                str(answer["result"]) if answer is not None else (fault.kind if fault else "404")
            )
        if fault is not None and fault.kind == "reset":
            handler.close_connection = True
            handler.connection.shutdown(socket.SHUT_RDWR)
        elif fault is not None and fault.kind == "5xx":
            self._send(handler, 500, b"Internal Server Error", "text/plain")
        elif answer is None:
            self._send(handler, 404, b"Not Found", "text/plain")
        else:
            data = json.dumps(answer).encode("utf-8")
            if fault is not None and fault.kind == "slow":
                time.sleep(fault.delay)
            trickle = fault.delay if fault is not None and fault.kind == "trickle" else None
            self._send(handler, 200, data, "application/json;charset=UTF-8", trickle)

    @staticmethod
    def _send(
        handler: BaseHTTPRequestHandler,
        status: int,
        data: bytes,
        content_type: str,
        trickle: float | None = None,
    ) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        try:
            if trickle is None:
                handler.wfile.write(data)
                return
            for byte in data:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                time.sleep(trickle)
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True

    def _take_fault(self, request: Request) -> Fault | None:
        for fault in self.faults:
            if fault.path == request.path and fault.times > 0:
                fault.times -= 1
                return fault
        return None

    def _route(self, request: Request, raw: bytes) -> dict[str, Any] | None:
        """The envelope answered, or None for an unknown endpoint."""
        public: dict[tuple[str, str], Callable[[Request], Any]] = {
            ("POST", "/account/login"): self._login,
            ("POST", "/account/captcha"): self._captcha,
            ("POST", "/account/2fa/login/verify"): self._verify,
        }
        private: dict[tuple[str, str], Callable[[Account, Request], Any]] = {
            ("GET", "/account/query"): self._account_query,
            ("POST", "/training/program/calculate"): lambda _, r: _calculate(r.body),
            ("POST", "/training/program/add"): self._add,
            ("POST", "/training/program/query"): self._query,
            ("GET", "/training/program/detail"): self._detail,
            ("POST", "/training/program/update"): self._update,
            ("POST", "/training/program/delete"): self._delete,
            ("GET", "/training/schedule/query"): self._schedule_query,
            ("POST", "/training/schedule/update"): self._schedule_update,
        }
        key = (request.method, request.path)
        if request.region not in REGIONS or (key not in public and key not in private):
            return None
        try:
            if raw and request.body is None:
                raise _bad("the body is not JSON")
            if key in public:
                data = public[key](request)
            else:
                data = private[key](self._authenticate(request), request)
        except Refusal as refusal:
            return {"result": refusal.result, "message": refusal.message}
        return {"result": OK, "message": "OK", "data": data}

    def _tick(self) -> int:
        self._clock += 1
        return self._clock

    # --- login --------------------------------------------------------------------------

    def _login(self, request: Request) -> dict[str, Any]:
        body = request.body
        if not isinstance(body, dict) or not isinstance(body.get("account"), str):
            raise _bad("account is required")
        account = self.accounts.get(body["account"])
        if account is None or body.get("accountType") != 2:
            raise Refusal(WRONG_CREDENTIALS, "The account or password is incorrect")
        secret = md5hex(account.password)
        if "p1" in body or "p2" in body:
            p1, p2 = body.get("p1"), body.get("p2")
            good = (
                account.accepts_bcrypt
                and isinstance(p1, str)
                and isinstance(p2, str)
                and p1.startswith(p2)
                and _checkpw(secret, p1)
            )
        else:
            good = body.get("pwd") == secret
        if not good:
            raise Refusal(WRONG_CREDENTIALS, "The account or password is incorrect")
        if account.two_factor:
            ticket, app_key = secrets.token_hex(16), secrets.token_hex(8)
            self._tickets[ticket] = (account.email, app_key)
            return {"loginTicket": ticket, "appKey": app_key, "accountType2fa": 2}
        return self._session(account)

    def _session(self, account: Account) -> dict[str, Any]:
        account.token = secrets.token_hex(16)
        return {
            "accessToken": account.token,
            "userId": account.user_id,
            "regionId": REGION_IDS[account.region],
            "nickname": account.email.split("@")[0],
            "email": account.email,
        }

    def _captcha(self, request: Request) -> None:
        body = request.body
        if not isinstance(body, dict) or body.get("codeType") != 20:
            raise _bad("codeType 20 is required")
        if body.get("account") not in self.accounts:
            raise Refusal(WRONG_CREDENTIALS, "The account does not exist")
        self.code = f"{secrets.randbelow(1_000_000):06d}"

    def _verify(self, request: Request) -> dict[str, Any]:
        body = request.body
        if not isinstance(body, dict):
            raise _bad("loginTicket, appKey and code are required")
        email, app_key = self._tickets.get(str(body.get("loginTicket")), ("", ""))
        if not email or body.get("appKey") != app_key:
            raise Refusal(WRONG_CREDENTIALS, "The login ticket is invalid")
        if not self.code or str(body.get("code")) != self.code:
            raise Refusal(WRONG_CREDENTIALS, "The verification code is incorrect")
        del self._tickets[str(body["loginTicket"])]
        self.code = ""
        return self._session(self.accounts[email])

    def _authenticate(self, request: Request) -> Account:
        token = request.headers.get("accesstoken")
        account = next((a for a in self.accounts.values() if token and a.token == token), None)
        if account is None or account.region != request.region:
            raise Refusal(TOKEN_INVALID, "Access token is invalid")
        try:
            user = json.loads(request.headers.get("yfheader") or "").get("userId")
        except (ValueError, AttributeError):
            user = None
        if user != account.user_id:
            raise Refusal(TOKEN_INVALID, "Access token is invalid (yfheader userId)")
        return account

    def _account_query(self, account: Account, request: Request) -> dict[str, Any]:
        return {
            "userId": account.user_id,
            "nickname": account.email.split("@")[0],
            "email": account.email,
            "unit": 0,
            "region": account.region,
            "regionId": REGION_IDS[account.region],
        }

    # --- programs -----------------------------------------------------------------------

    def _remember(self, key: str, before: Any) -> None:
        if self.stale_reads > 0:
            self._stale[key] = (copy.deepcopy(before), self.stale_reads)

    def _read(self, key: str, current: Any) -> Any:
        """What a read of ``key`` sees: the state before the last write while it is stale."""
        if key not in self._stale:
            return current
        before, reads = self._stale[key]
        if reads <= 1:
            del self._stale[key]
        else:
            self._stale[key] = (before, reads - 1)
        return copy.deepcopy(before)

    def _owned(self, account: Account, program_id: Any) -> dict[str, Any]:
        program = self.programs.get(str(program_id))
        if program is None or program["userId"] != account.user_id:
            raise _bad(f"program {program_id!r} does not exist")
        return program

    def _add(self, account: Account, request: Request) -> str:
        program = _program(request.body)
        self._next_id += 1
        program_id = str(self._next_id)
        stamp = self._tick()
        program.update(
            id=program_id,
            userId=account.user_id,
            authorId=account.user_id,
            createTimestamp=stamp,
            updateTimestamp=stamp,
        )
        self._remember(f"program:{program_id}", None)
        self.programs[program_id] = program
        return program_id

    def _query(self, account: Account, request: Request) -> list[dict[str, Any]]:
        body = request.body
        if not isinstance(body, dict):
            raise _bad("the query is not a JSON object")
        start, size = body.get("startNo", 0), body.get("limitSize", 10)
        name, sport = body.get("name") or "", body.get("sportType") or 0
        if not (isinstance(start, int) and isinstance(size, int) and start >= 0 and size > 0):
            raise _bad("startNo and limitSize must be integers")
        if not isinstance(name, str) or not isinstance(sport, int):
            raise _bad("name must be a string and sportType an integer")
        seen: dict[str, Any] = dict(self.programs)
        for key in [k for k in self._stale if k.startswith("program:")]:
            seen[key.removeprefix("program:")] = self._read(key, None)
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

    def _detail(self, account: Account, request: Request) -> dict[str, Any]:
        program_id = request.query.get("id", "")
        current = self.programs.get(program_id)
        program = self._read(f"program:{program_id}", current)
        if program is None or program["userId"] != account.user_id:
            raise _bad(f"program {program_id!r} does not exist")
        return copy.deepcopy(program)

    def _update(self, account: Account, request: Request) -> None:
        program = _program(request.body)
        old = self._owned(account, program.get("id"))
        for key in ("id", "userId", "authorId", "createTimestamp"):
            program[key] = old[key]
        program["updateTimestamp"] = self._tick()
        self._remember(f"program:{old['id']}", old)
        self.programs[old["id"]] = program

    def _delete(self, account: Account, request: Request) -> None:
        ids = request.body
        if not isinstance(ids, list) or not ids:
            raise _bad("a JSON array of program ids is required")
        doomed = [self._owned(account, i)["id"] for i in ids]
        for program_id in doomed:
            self._remember(f"program:{program_id}", self.programs[program_id])
            self.programs.pop(program_id, None)

    # --- calendar -----------------------------------------------------------------------

    def _schedule_query(self, account: Account, request: Request) -> dict[str, Any]:
        start = _day(request.query.get("startDate", ""))
        end = _day(request.query.get("endDate", ""))
        if start > end:
            raise _bad("startDate is after endDate")
        entries, highest = self._read(
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

    def _schedule_update(self, account: Account, request: Request) -> None:
        body = request.body
        if not isinstance(body, dict) or not isinstance(body.get("versionObjects"), list):
            raise _bad("versionObjects is required")
        entities = body.get("entities") or []
        programs = body.get("programs") or []
        if not all(isinstance(x, dict) for x in [*entities, *programs, *body["versionObjects"]]):
            raise _bad("entities, programs and versionObjects must be lists of objects")
        by_number = {_number(e.get("idInPlan"), "idInPlan"): e for e in entities}
        program_by_number = {_number(p.get("idInPlan"), "idInPlan"): p for p in programs}
        plan: list[tuple[int, int]] = []
        highest = account.max_id_in_plan
        for version in body["versionObjects"]:
            number, status = _number(version.get("id"), "id"), version.get("status")
            if status == 1:
                if number <= highest:
                    raise _bad(f"idInPlan {number} is already used")
                highest = number
            elif status in (2, 3):
                entry = account.entries.get(number)
                if entry is None or str(version.get("planId")) != account.plan_id:
                    raise _bad(f"no calendar entry {number} in plan {version.get('planId')!r}")
                if (
                    str(version.get("planProgramId", entry["planProgramId"]))
                    != entry["planProgramId"]
                ):
                    raise _bad(f"planProgramId {version.get('planProgramId')!r} does not match")
            else:
                raise _bad(f"unknown versionObject status {status!r}")
            if status in (1, 2):
                if number not in by_number or number not in program_by_number:
                    raise _bad(f"idInPlan {number} needs an entity and a program")
                _day(by_number[number].get("happenDay"))
                _program(program_by_number[number])
            plan.append((number, status))
        self._remember(f"calendar:{account.user_id}", (account.entries, account.max_id_in_plan))
        for number, status in plan:
            if status == 3:
                account.entries.pop(number, None)
            else:
                self._put_entry(account, number, by_number[number], program_by_number[number])

    def _put_entry(
        self, account: Account, number: int, entity: dict[str, Any], program: dict[str, Any]
    ) -> None:
        old = account.entries.get(number)
        self._next_id += 1
        stored = copy.deepcopy(program)
        stored.update(id=old["program"]["id"] if old else str(self._next_id), idInPlan=number)
        account.entries[number] = {
            "id": old["id"] if old else str(self._next_id + 500_000),
            "idInPlan": number,
            "planId": account.plan_id,
            "planProgramId": str(number),
            "happenDay": _day(entity.get("happenDay")),
            "sortNoInSchedule": entity.get("sortNoInSchedule", 1),
            "program": stored,
        }
        account.max_id_in_plan = max(account.max_id_in_plan, number)


def _checkpw(secret: str, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(secret.encode("ascii"), hashed.encode("ascii"))
    except ValueError:
        return False
