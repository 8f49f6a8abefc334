"""The one place liftfit talks to COROS Training Hub: its private web API, over requests.

- Every answer is an envelope ``{"result": "0000", "message", "data"}``; any other result is
  an error, and a few mean "token invalid" (another login ended liftfit's session).
- ``LIFTFIT_COROS_API_URL`` points every request at one base URL. How a login is made and
  kept is ``login.py``'s (it sends its requests through ``Client`` here).
- A refused token is replaced once by a new login when ``COROS_EMAIL`` / ``COROS_PASSWORD``
  are set, else the command stops (exit 3). Writes are never replayed: a write whose outcome
  is unknown (timeout, reset, 5xx) raises ``UnknownOutcome`` and the next run reconciles.
- Each command has an overall deadline (``LIFTFIT_COROS_DEADLINE`` seconds): a stalled or
  trickling server ends the command with the request it was waiting for.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from liftfit import upsert
from liftfit.errors import RemoteError
from liftfit.upsert import UnknownOutcome

if TYPE_CHECKING:
    import requests

ENV_API_URL = "LIFTFIT_COROS_API_URL"
ENV_DEADLINE = "LIFTFIT_COROS_DEADLINE"
DEADLINE_SECONDS = 300.0
CONNECT_SECONDS, READ_SECONDS = 10.0, 30.0
MAX_ANSWER_BYTES = 20_000_000
PAGE = 100
MAX_PAGES = 100
OK = "0000"
AUTH_RESULTS = frozenset({"1019", "0101", "0102", "1006"})
LOGIN_AGAIN = "run `liftfit coros login` again"
PUSH_AGAIN = (
    "run `liftfit coros push` again, it finds the program by its marker instead of sending it twice"
)


class NotLoggedIn(RemoteError):
    """No token, or a token COROS refuses."""


class Refused(upsert.Refused):
    """COROS answered with an error result (for a write: nothing was stored)."""

    def __init__(self, line: str, result: str = "", message: str = "") -> None:
        super().__init__(line)
        self.result = result
        self.message = message


class TokenInvalid(Exception):
    """COROS refused the token (another login ended the session)."""


class _Overdue(Exception):
    pass


@dataclass(frozen=True)
class Tokens:
    """What a login leaves behind: never the password."""

    access_token: str
    user_id: str
    host: str
    email: str


def api_url() -> str | None:
    """The API base from ``LIFTFIT_COROS_API_URL``, if set."""
    return os.environ.get(ENV_API_URL, "").strip().rstrip("/") or None


# --- one request --------------------------------------------------------------------------


class Deadline:
    """The time a whole command may take; every request gets what is left of it."""

    def __init__(self, seconds: float | None = None) -> None:
        if seconds is None:
            configured = os.environ.get(ENV_DEADLINE, "").strip()
            try:
                seconds = float(configured) if configured else DEADLINE_SECONDS
            except ValueError:
                seconds = DEADLINE_SECONDS
        self.seconds = seconds
        self.ends = time.monotonic() + seconds

    def left(self) -> float:
        return self.ends - time.monotonic()


def _seconds(value: float) -> str:
    return f"{value:g} s"


class Client:
    """Requests to one COROS host, each unwrapped from the envelope, within a deadline."""

    def __init__(self, host: str, deadline: Deadline) -> None:
        import requests

        self.host = host.rstrip("/")
        self.deadline = deadline
        self.http = requests.Session()

    def send(
        self,
        method: str,
        path: str,
        doing: str,
        *,
        headers: dict[str, str],
        query: dict[str, Any] | None = None,
        body: Any = None,
        write: bool = False,
        again: str = PUSH_AGAIN,
    ) -> Any:
        """The envelope's ``data``; ``TokenInvalid`` when COROS refuses the token."""
        import requests
        from urllib3.exceptions import HTTPError, ReadTimeoutError

        request = f"{method} {path}"
        left = self.deadline.left()
        if left <= 0:
            raise RemoteError(
                f"COROS took longer than the {_seconds(self.deadline.seconds)} deadline "
                f"({ENV_DEADLINE}); stopped before {doing} ({request})"
            )

        def unknown(why: str) -> RemoteError:
            if write:
                return UnknownOutcome(
                    f"COROS did not confirm {doing} ({request}: {why}); it may have been "
                    f"stored: {again}"
                )
            return RemoteError(f"COROS failed while {doing} ({request}: {why})")

        try:
            response = self.http.request(
                method,
                self.host + path,
                params=query,
                data=None if body is None else json.dumps(body),
                headers=headers,
                timeout=(min(CONNECT_SECONDS, left), min(READ_SECONDS, left)),
                stream=True,
                allow_redirects=False,
            )
            with response:
                raw = self._read(response)
        except _Overdue as error:
            raise unknown(str(error)) from None
        except (requests.Timeout, ReadTimeoutError):
            raise unknown("timed out") from None
        except (requests.RequestException, HTTPError, OSError) as error:
            raise unknown(f"connection failed: {type(error).__name__}") from error
        status = response.status_code
        if status >= 500:
            raise unknown(f"HTTP {status}")
        if status != 200:
            if write:
                raise Refused(f"COROS refused {doing} ({request}: HTTP {status})")
            raise RemoteError(f"COROS failed while {doing} ({request}: HTTP {status})")
        try:
            envelope = json.loads(raw)
        except ValueError:
            raise unknown("an answer that is not JSON") from None
        if not isinstance(envelope, dict) or "result" not in envelope:
            raise unknown("an answer without a result")
        result = str(envelope.get("result"))
        message = " ".join(str(envelope.get("message") or "").split())[:200]
        if result in AUTH_RESULTS or "token is invalid" in message.lower():
            raise TokenInvalid(message)
        if result != OK:
            cause = f"{message or 'no message'} (result {result})"
            raise Refused(f"COROS refused {doing} ({request}): {cause}", result, message)
        return envelope.get("data")

    def _read(self, response: requests.Response) -> bytes:
        """The whole body, as it comes (``read1``: a trickle never blocks past the deadline)."""
        chunks: list[bytes] = []
        size = 0
        while chunk := response.raw.read1(65536, decode_content=True):
            chunks.append(chunk)
            size += len(chunk)
            if self.deadline.left() <= 0:
                raise _Overdue(
                    f"no complete answer within the {_seconds(self.deadline.seconds)} deadline"
                )
            if size > MAX_ANSWER_BYTES:
                raise _Overdue(f"an answer over {MAX_ANSWER_BYTES:,} bytes")
        return b"".join(chunks)


def json_header(values: dict[str, str]) -> str:
    return json.dumps(values, separators=(",", ":"))


def auth_headers(token: str, user_id: str) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "accessToken": token,
        "yfheader": json_header({"userId": user_id}),
    }


# --- a logged-in session -------------------------------------------------------------------


class Session:
    """Logged in to COROS: the few calls liftfit makes, each unwrapped and checked."""

    def __init__(
        self,
        tokens: Tokens,
        *,
        deadline: Deadline | None = None,
        relogin: Callable[[Deadline], Tokens] | None = None,
    ) -> None:
        self.tokens = tokens
        self.deadline = deadline or Deadline()
        self.client = Client(api_url() or tokens.host, self.deadline)
        self._relogin = relogin

    @property
    def user_id(self) -> str:
        return self.tokens.user_id

    def call(
        self,
        method: str,
        path: str,
        doing: str,
        *,
        query: dict[str, Any] | None = None,
        body: Any = None,
        write: bool = False,
        again: str = PUSH_AGAIN,
    ) -> Any:
        """One request; a refused token is replaced once by a login from the environment.

        A read is then sent again. A write is not: whether COROS stored it before refusing
        the token is unknown, so the command stops and the next run reconciles.
        """
        for attempt in range(2):
            headers = auth_headers(self.tokens.access_token, self.tokens.user_id)
            try:
                return self.client.send(
                    method,
                    path,
                    doing,
                    headers=headers,
                    query=query,
                    body=body,
                    write=write,
                    again=again,
                )
            except TokenInvalid:
                if attempt or self._relogin is None:
                    break
                relogin, self._relogin = self._relogin, None  # once per command
                self.tokens = relogin(self.deadline)
                self.client.host = (api_url() or self.tokens.host).rstrip("/")
                if write:
                    raise UnknownOutcome(
                        f"COROS refused the saved login while {doing} ({method} {path}); "
                        f"liftfit logged in again, but it may have been stored: {again}"
                    ) from None
        raise NotLoggedIn(
            f"COROS refused the saved login while {doing} (logging in elsewhere, such as in "
            f"Training Hub in a browser, ends liftfit's session): {LOGIN_AGAIN}"
        )

    def data(self, method: str, path: str, doing: str, **kwargs: Any) -> Any:
        """A read whose answer must carry data (``data: null`` is a failure)."""
        found = self.call(method, path, doing, **kwargs)
        if found is None:
            raise RemoteError(f"COROS answered {method} {path} ({doing}) with no data")
        return found

    def account_name(self) -> str:
        """Who is logged in (the account's email, else its nickname); checks the token."""
        account = self.data("GET", "/account/query", "reading your account")
        if not isinstance(account, dict):
            raise RemoteError("COROS answered the account query with something else")
        return str(account.get("email") or account.get("nickname") or self.tokens.email)

    # --- the workout library ---

    def programs(self) -> list[dict[str, Any]]:
        """Every program in the account's workout library (with their rows and overviews)."""
        found: list[dict[str, Any]] = []
        for page in range(MAX_PAGES):
            answer = self.data(
                "POST",
                "/training/program/query",
                "listing your workouts",
                body={
                    "name": "",
                    "supportRestExercise": 1,
                    "startNo": page * PAGE,
                    "limitSize": PAGE,
                    "sportType": 0,
                },
            )
            batch = answer.get("dataList") if isinstance(answer, dict) else answer
            if not isinstance(batch, list):
                raise RemoteError("COROS answered the workout list with something else")
            found += [p for p in batch if isinstance(p, dict)]
            total = answer.get("count") if isinstance(answer, dict) else None
            if len(batch) < PAGE or (isinstance(total, int) and len(found) >= total):
                break
        return found

    def program(self, program_id: str) -> dict[str, Any]:
        found = self.data(
            "GET",
            "/training/program/detail",
            f"reading program {program_id}",
            query={"id": program_id, "supportRestExercise": 1},
        )
        if not isinstance(found, dict):
            raise RemoteError(f"COROS answered program {program_id} with something else")
        return found

    def create(self, program: dict[str, Any], name: str) -> str:
        """Add a program to the library; its id. Never retried."""
        created = self.call(
            "POST", "/training/program/add", f"creating {name}", body=program, write=True
        )
        if isinstance(created, dict):
            created = created.get("id")
        if not isinstance(created, str | int) or not str(created):
            raise UnknownOutcome(
                f"COROS accepted {name} without saying under which id: {PUSH_AGAIN}"
            )
        return str(created)

    def update(self, program: dict[str, Any], name: str) -> None:
        """Replace a program in place (the whole program, its ``id`` kept). Never retried."""
        self.call("POST", "/training/program/update", f"updating {name}", body=program, write=True)

    # --- the training calendar ---

    def calendar(self, start: str, end: str) -> dict[str, Any]:
        """The training calendar from ``start`` to ``end`` (``YYYYMMDD``)."""
        found = self.data(
            "GET",
            "/training/schedule/query",
            f"reading your calendar from {start} to {end}",
            query={"startDate": start, "endDate": end, "supportRestExercise": 1},
        )
        if not isinstance(found, dict):
            raise RemoteError("COROS answered the calendar with something else")
        return found

    def change_calendar(self, body: dict[str, Any], doing: str, again: str) -> None:
        """One calendar write. Never retried."""
        self.call("POST", "/training/schedule/update", doing, body=body, write=True, again=again)
