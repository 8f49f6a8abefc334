"""A local stand-in for COROS Training Hub's private API, for testing liftfit's COROS client.

An ``http.server`` on 127.0.0.1 (port 0) in a daemon thread. Each region is its own "host",
a path prefix: ``coros.url("eu")`` is ``f"{coros.root}/eu"``. Written from FORMATS.md §5, the
captures in the reference folder and how public clients read the answers. The library and
calendar rules live in ``tests/coros_standin_training.py``; this module is the HTTP side.

Interface (kept stable for the client's tests; extend, don't rename)::

    with CorosStandin() as coros:            # starts, and stops, the server
        coros.root                            # "http://127.0.0.1:PORT"
        coros.url(region)                     # region in REGIONS ("us", "eu", "cn", "ap")
        coros.add_account(email, password, region="eu", user_id="1001",
                          two_factor=False, accepts_bcrypt=True)
        coros.accounts                        # email -> Account (.token: the live session,
                                              # .plan_id, .max_id_in_plan, .entries)
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
empty or not JSON), ``result`` (the envelope ``result`` answered; when none was: ``"5xx"``,
``"reset"``, ``"404"`` unknown endpoint, ``"411"`` chunked body, ``"413"`` body too large,
``"timeout"`` body not arrived within ``read_timeout`` s, set before starting), ``fault``
(the fault kind applied, or None).

The API as modelled:

- Envelope: HTTP 200 ``{"result": "0000", "message": "OK", "data": …}``; errors carry another
  ``result`` and no ``data``: ``"1030"`` wrong credentials, ``"1019"`` access token invalid,
  ``"5001"`` bad request (malformed body, unknown program id, idInPlan already used …).
  A body must come as ``application/json`` ("5001" otherwise). Unknown paths answer HTTP
  404; a chunked body HTTP 411; a body over MAX_BODY bytes HTTP 413.
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
- ``stale_reads = N``: after a write through the API (a failed-after-storing one too), the
  next N reads of that program (detail, or any query page) or of that account's calendar
  answer the state before the write. ``edit_program`` and ``add_user_entry`` show at once.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import secrets
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import bcrypt

from tests.coros_standin_training import (
    Account,
    Refusal,
    Training,
    bad,
    calculate,
)

REGIONS = ("us", "eu", "cn", "ap")
REGION_IDS = {"us": 1, "eu": 2, "cn": 3, "ap": 4}
MAX_BODY = 1 << 20
OK = "0000"
WRONG_CREDENTIALS = "1030"
TOKEN_INVALID = "1019"
WRITES = frozenset(
    {
        "/training/program/add",
        "/training/program/update",
        "/training/program/delete",
        "/training/schedule/update",
    }
)
FAULT_KINDS = frozenset({"5xx", "reset", "slow", "trickle", "null", "token"})


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


def md5hex(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


class CorosStandin:
    """The server and its state; use it as a context manager."""

    def __init__(self) -> None:
        self.accounts: dict[str, Account] = {}
        self.training = Training()
        self.requests: list[Request] = []
        self.faults: list[Fault] = []
        self.code = ""
        self.read_timeout = 5.0
        self._tickets: dict[str, tuple[str, str]] = {}  # loginTicket -> (email, appKey)
        self._codes: dict[str, str] = {}  # email -> the code sent and not yet used
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
            target=self._server.serve_forever, kwargs={"poll_interval": 0.005}, daemon=True
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
            entries = [e for a in self.accounts.values() for e in self.training.entries(a)]
        return sorted(entries, key=lambda e: (e["happenDay"], e["sortNoInSchedule"]))

    @property
    def programs(self) -> dict[str, dict[str, Any]]:
        return self.training.programs

    @property
    def stale_reads(self) -> int:
        return self.training.stale_reads

    @stale_reads.setter
    def stale_reads(self, reads: int) -> None:
        self.training.stale_reads = reads

    def edit_program(self, program_id: str, **changes: Any) -> None:
        with self._lock:
            program = self.programs[program_id]
            program.update(copy.deepcopy(changes))
            program["updateTimestamp"] = self.training.tick()

    def add_user_entry(self, happen_day: str, program: dict[str, Any], email: str = "") -> int:
        with self._lock:
            account = self.accounts[email] if email else next(iter(self.accounts.values()))
            number = account.max_id_in_plan + 1
            self.training.put_entry(account, number, {"happenDay": happen_day}, program)
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
        if "transfer-encoding" in headers or length < 0:
            request.result = "411"
            handler.close_connection = True
            self._send(handler, 411, b"a Content-Length is required", "text/plain")
            return
        if length > MAX_BODY:
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
            with contextlib.suppress(OSError):
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
        training = self.training
        private: dict[tuple[str, str], Callable[[Account, Request], Any]] = {
            ("GET", "/account/query"): self._account_query,
            ("POST", "/training/program/calculate"): lambda _, r: calculate(r.body),
            ("POST", "/training/program/add"): lambda a, r: training.add(a, r.body),
            ("POST", "/training/program/query"): lambda a, r: training.query(a, r.body),
            ("GET", "/training/program/detail"): lambda a, r: training.detail(a, r.query),
            ("POST", "/training/program/update"): lambda a, r: training.update(a, r.body),
            ("POST", "/training/program/delete"): lambda a, r: training.delete(a, r.body),
            ("GET", "/training/schedule/query"): lambda a, r: training.schedule_query(a, r.query),
            ("POST", "/training/schedule/update"): lambda a, r: training.schedule_update(a, r.body),
        }
        key = (request.method, request.path)
        if request.region not in REGIONS or (key not in public and key not in private):
            return None
        try:
            if raw and "application/json" not in request.headers.get("content-type", ""):
                raise bad("Content-Type must be application/json")
            if raw and request.body is None:
                raise bad("the body is not JSON")
            if key in public:
                data = public[key](request)
            else:
                data = private[key](self._authenticate(request), request)
        except Refusal as refusal:
            return {"result": refusal.result, "message": refusal.message}
        return {"result": OK, "message": "OK", "data": data}

    # --- login --------------------------------------------------------------------------

    def _login(self, request: Request) -> dict[str, Any]:
        body = request.body
        if not isinstance(body, dict) or not isinstance(body.get("account"), str):
            raise bad("account is required")
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
            raise bad("codeType 20 is required")
        if body.get("account") not in self.accounts:
            raise Refusal(WRONG_CREDENTIALS, "The account does not exist")
        self.code = f"{secrets.randbelow(1_000_000):06d}"
        self._codes[body["account"]] = self.code

    def _verify(self, request: Request) -> dict[str, Any]:
        body = request.body
        if not isinstance(body, dict):
            raise bad("loginTicket, appKey and code are required")
        email, app_key = self._tickets.get(str(body.get("loginTicket")), ("", ""))
        if not email or body.get("appKey") != app_key:
            raise Refusal(WRONG_CREDENTIALS, "The login ticket is invalid")
        if email not in self._codes or str(body.get("code")) != self._codes[email]:
            raise Refusal(WRONG_CREDENTIALS, "The verification code is incorrect")
        del self._tickets[str(body["loginTicket"])]
        del self._codes[email]
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


def _checkpw(secret: str, hashed: str) -> bool:
    try:
        return bcrypt.checkpw(secret.encode("ascii"), hashed.encode("ascii"))
    except ValueError:
        return False
