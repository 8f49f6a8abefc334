"""The one place liftfit talks to Garmin Connect, through ``garminconnect``'s stable calls.

- Tokens live in ``LIFTFIT_GARMIN_TOKENS`` or the user data folder (``garmin_tokens.json``,
  folder 0700, file 0600), kept by ``liftfit.tokens``: written once a login succeeded (never
  deleted before), and again whenever garminconnect renews the access token. A password is
  used once, at ``login``, and never stored or shown.
- ``LIFTFIT_GARMIN_API_URL`` points the client at another API base (a proxy, or the tests'
  stand-in server): garminconnect has no option for it, so the client's ``_connectapi`` and
  its token-refresh URL are set directly (garminconnect/client/__init__.py).
- The token refresh: garminconnect renews an expired access token itself and, when that
  fails, swallows the failure and reports the 401 that follows. The refresh is watched, so
  that only a refusal (HTTP 4xx from the token service, or a 401/403 with a fresh token)
  says "log in again"; a 5xx, a timeout or a reset says "try again later", tokens kept.
- Every request runs under the command's deadline (``deadline.py``).
- Every garminconnect failure becomes one ``RemoteError`` line (exit 3). Writes are never
  retried: a write whose outcome is unknown (timeout, 5xx) raises ``UnknownOutcome``, and the
  next push finds the workout by its marker if Connect stored it.
"""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from liftfit.errors import RemoteError
from liftfit.garmin.deadline import Deadline, TimedOut
from liftfit.tokens import TokenStore
from liftfit.upsert import Refused, UnknownOutcome

if TYPE_CHECKING:
    from garminconnect import Garmin

ENV_TOKENS = "LIFTFIT_GARMIN_TOKENS"
ENV_API_URL = "LIFTFIT_GARMIN_API_URL"
TOKEN_FILE = "garmin_tokens.json"  # garminconnect's own name: the folder works as GARMINTOKENS
PAGE = 100  # summaries asked per list request; Connect may answer fewer
MAX_WORKOUTS = 10_000  # past this, listing stops with an error rather than miss some
WORKOUT_PATH = "/workout-service/workout"
SCHEDULE_PATH = "/workout-service/schedule"  # POST …/{workoutId}, DELETE …/{scheduleId}
CALENDAR_PATH = "/calendar-service/year/{year}/month/{month0}"  # month0: January is 0
LOGIN_AGAIN = "run `liftfit garmin login` again"


class NotLoggedIn(RemoteError):
    """No tokens, or tokens Connect refuses."""


class UnexpectedAnswer(RemoteError):
    """Connect answered a read with something that is not what was asked for."""


class RateLimited(RemoteError):
    """HTTP 429: Garmin's per-account limit, which lasts hours."""


class _Gone(Exception):
    """What a write was to remove is not there (HTTP 404)."""


PUSH_AGAIN = (
    "run `liftfit garmin push` again later, it finds the workout by its marker "
    "instead of sending it twice"
)
SCHEDULE_AGAIN = (
    "run `liftfit garmin schedule` again later, it reads the calendar first and "
    "sends only what is still missing"
)


TOKENS = TokenStore("garmin", ENV_TOKENS, TOKEN_FILE)


def token_folder() -> Path:
    """``LIFTFIT_GARMIN_TOKENS``, else ``garmin`` in liftfit's user data folder."""
    return TOKENS.folder


def api_url() -> str | None:
    """The API base from ``LIFTFIT_GARMIN_API_URL``, if set."""
    return os.environ.get(ENV_API_URL, "").strip().rstrip("/") or None


def _one_line(error: BaseException) -> str:
    """An exception as one short line, with URL query values dropped."""
    text = " ".join(str(error).split()) or type(error).__name__
    return re.sub(r"\?\S*", "", text)[:300]


_REFRESH_STATUS = re.compile(r"refresh failed: ([1-5]\d\d)\b")


class _RefreshWatch:
    """Why garminconnect's last token refresh failed (it hides that), and saving a new token.

    ``failure`` is the exception of the refresh in the current request, if it failed; a
    successful refresh writes the new tokens to the token store.
    """

    def __init__(self, garmin: Garmin) -> None:
        self.failure: BaseException | None = None
        client = garmin.client
        refresh = client._refresh_di_token

        def watched() -> None:
            try:
                refresh()
            except Exception as error:
                self.failure = error
                raise
            self.failure = None
            with contextlib.suppress(OSError):  # the renewed token then lasts this run only
                TOKENS.write(client.dumps())

        client._refresh_di_token = watched  # type: ignore[method-assign]

    def transient(self, doing: str) -> RemoteError | None:
        """The error to report for a refused request when the refresh before it failed
        without a refusal (a 5xx, a timeout, a reset); None if it was refused, or not tried."""
        failure = self.failure
        if failure is None or "No DI refresh token" in str(failure):
            return None
        found = _REFRESH_STATUS.search(str(failure))
        status = int(found.group(1)) if found else None
        if status == 429:
            return RateLimited(_rate_limited(f"{doing} (renewing the login)"))
        if status is not None and 400 <= status < 500:
            return None
        where = f"HTTP {status}" if status else _one_line(failure).split(". ", 1)[0]
        return RemoteError(
            f"Garmin Connect could not renew the saved login while {doing} ({where}): "
            "try again later (the saved tokens are kept)"
        )


def _raise_for_access(
    error: Exception, status: int | None, doing: str, refresh: _RefreshWatch
) -> None:
    """A rate limit or a refused login, the same for reads and writes: one line, exit 3."""
    if status == 429:
        raise RateLimited(_rate_limited(doing)) from error
    if status in (401, 403):
        transient = refresh.transient(doing)
        if transient is not None:
            raise transient from error
        raise NotLoggedIn(
            f"Garmin Connect refused the saved login while {doing}: {LOGIN_AGAIN}"
        ) from error


def _status(error: BaseException | None) -> int | None:
    """The HTTP status behind a garminconnect error, following its causes."""
    seen = 0
    while error is not None and seen < 10:
        response = getattr(error, "response", None)
        code = getattr(response, "status_code", None)
        if isinstance(code, int):
            return code
        match = re.search(r"\b(?:API Error|status=|\()\s*([1-5]\d\d)\b", str(error))
        if match:
            return int(match.group(1))
        error = error.__cause__ or error.__context__
        seen += 1
    return None


def _quiet_library_logs() -> None:
    # garminconnect logs failures (with tracebacks) itself; liftfit reports them in one line.
    library = logging.getLogger("garminconnect")
    if not library.handlers:
        library.addHandler(logging.NullHandler())
        library.propagate = False


def new_client(**kwargs: Any) -> Garmin:
    """A ``garminconnect.Garmin``, pointed at ``LIFTFIT_GARMIN_API_URL`` when it is set."""
    from garminconnect import Garmin

    _quiet_library_logs()
    garmin = Garmin(**kwargs)
    url = api_url()
    if url:
        garmin.client._connectapi = url
        garmin.client._di_token_url = f"{url}/di-oauth2-service/oauth/token"
    return garmin


@contextlib.contextmanager
def _translated(doing: str, refresh: _RefreshWatch) -> Iterator[None]:
    """garminconnect's errors while ``doing`` something → one-line RemoteErrors."""
    from garminconnect import (
        GarminConnectAuthenticationError,
        GarminConnectConnectionError,
        GarminConnectTooManyRequestsError,
    )
    from requests import RequestException

    try:
        yield
    except GarminConnectTooManyRequestsError as error:
        raise RateLimited(_rate_limited(doing)) from error
    except GarminConnectAuthenticationError as error:
        status = _status(error)
        if status is None or status in (401, 403):
            transient = refresh.transient(doing)
            if transient is not None:
                raise transient from error
            raise NotLoggedIn(
                f"Garmin Connect did not accept the saved login while {doing} "
                f"(expired or revoked): {LOGIN_AGAIN}"
            ) from error
        raise RemoteError(f"Garmin Connect failed while {doing} (HTTP {status})") from error
    except GarminConnectConnectionError as error:
        status = _status(error)
        _raise_for_access(error, status, doing, refresh)
        where = f"HTTP {status}" if status else _one_line(error)
        raise RemoteError(f"Garmin Connect failed while {doing} ({where})") from error
    except RequestException as error:
        raise RemoteError(
            f"could not reach Garmin Connect while {doing}: {_one_line(error)}"
        ) from error


def _rate_limited(doing: str) -> str:
    return (
        f"Garmin Connect is rate-limiting this account (HTTP 429) while {doing}; "
        "the limit lasts hours: try again later"
    )


def login(email: str, password: str, prompt_mfa: Callable[[], str]) -> str:
    """Log in with a password (and an MFA code if Garmin asks); save the tokens; the name."""
    from garminconnect import GarminConnectAuthenticationError, GarminConnectTooManyRequestsError

    deadline = Deadline()

    def ask_code() -> str:
        with deadline.paused():
            return prompt_mfa()

    garmin = new_client(email=email, password=password, prompt_mfa=ask_code)
    try:
        deadline.run("logging in", garmin.login)
    except TimedOut:
        raise
    except GarminConnectTooManyRequestsError as error:
        raise RateLimited(
            "Garmin is rate-limiting logins for this account (HTTP 429): "
            "wait an hour or more before trying again"
        ) from error
    except GarminConnectAuthenticationError as error:
        raise NotLoggedIn(
            "Garmin Connect refused the login: check the email and password, "
            "and that the account is not locked (sign in at connect.garmin.com)"
        ) from error
    except Exception as error:
        raise RemoteError(f"could not log in to Garmin Connect: {_one_line(error)}") from error
    try:
        TOKENS.write(garmin.client.dumps())
    except OSError as error:
        raise RemoteError(
            f"logged in, but could not save the tokens in {TOKENS.folder}: {error}"
        ) from error
    name = garmin.display_name or email
    return str(name)


def logout() -> Path | None:
    """Delete the saved tokens (nothing is sent to Garmin); the file deleted, if any."""
    return TOKENS.delete()


class Session:
    """A logged-in connection to Garmin Connect: the few calls liftfit makes.

    Each call runs under the command's ``deadline``; reads are translated into one-line
    errors, writes into ``Refused`` (4xx: nothing stored) or ``UnknownOutcome``.
    """

    def __init__(self, garmin: Garmin) -> None:
        self.garmin = garmin
        self.deadline = Deadline()
        self._refresh = _RefreshWatch(garmin)

    def _read(self, doing: str, call: Callable[[], Any]) -> Any:
        self._refresh.failure = None
        with _translated(doing, self._refresh):
            return self.deadline.run(doing, call)

    @property
    def base_url(self) -> str:
        return str(self.garmin.client._connectapi)

    @property
    def display_name(self) -> str:
        return str(self.garmin.display_name or "")

    def workouts(self) -> list[dict[str, Any]]:
        """Every workout in the account's library (summaries: no steps).

        Pages are asked for ``PAGE`` at a time and read until one comes back empty: Connect
        may answer fewer than asked (a cap of its own) long before the end.
        """
        found: list[dict[str, Any]] = []
        while True:
            start = len(found)
            batch = self._read(
                f"listing your workouts (from {start})" if start else "listing your workouts",
                functools.partial(self.garmin.get_workouts, start, PAGE),
            )
            if not isinstance(batch, list) or not all(isinstance(w, dict) for w in batch):
                raise RemoteError("Garmin Connect answered the workout list with something else")
            if not batch:
                return found
            found += batch
            if len(found) > MAX_WORKOUTS:
                raise RemoteError(
                    f"Garmin Connect listed more than {MAX_WORKOUTS} workouts: liftfit stops "
                    "rather than miss some of its own and send them twice"
                )

    def workout(self, workout_id: int) -> dict[str, Any]:
        stored = self._read(
            f"reading workout {workout_id}",
            functools.partial(self.garmin.get_workout_by_id, workout_id),
        )
        if not isinstance(stored, dict):
            raise UnexpectedAnswer(
                f"Garmin Connect answered workout {workout_id} with something else"
            )
        return stored

    def calendar_month(self, year: int, month: int) -> list[dict[str, Any]]:
        """The items of a month of the Connect calendar (``month`` 1-12).

        Connect answers with the month's grid, so items of the neighbouring months' days in
        its first and last weeks come too; and with every kind of item (activities, weight,
        events), not only scheduled workouts.
        """
        found = self._read(
            f"reading your calendar for {year}-{month:02d}",
            functools.partial(self.garmin.get_scheduled_workouts, year, month),
        )
        items = found.get("calendarItems") if isinstance(found, dict) else None
        if not isinstance(items, list):
            raise RemoteError(
                f"Garmin Connect answered the calendar for {year}-{month:02d} with something else"
            )
        return [item for item in items if isinstance(item, dict)]

    def schedule(self, workout_id: int, day: str, name: str) -> int | None:
        """Put a workout on a calendar day (``YYYY-MM-DD``); the entry's id. Never retried."""
        created = self._write(
            f"scheduling {name} on {day}",
            lambda: self.garmin.schedule_workout(workout_id, day),
            what="POST",
            again=SCHEDULE_AGAIN,
        )
        entry_id = created.get("workoutScheduleId") if isinstance(created, dict) else None
        return entry_id if isinstance(entry_id, int) else None

    def unschedule(self, entry_id: int, name: str) -> bool:
        """Take an entry off the calendar (the workout stays); False if it was gone already."""
        from garminconnect import GarminConnectNotFoundError

        try:
            self._write(
                f"removing {name} from the calendar",
                lambda: self.garmin.unschedule_workout(entry_id),
                what="DELETE",
                again=SCHEDULE_AGAIN,
                not_found=GarminConnectNotFoundError,
            )
        except _Gone:
            return False
        return True

    def create(self, body: dict[str, Any], name: str) -> int | None:
        """POST a new workout; its id (None if Connect did not say). Never retried."""
        created = self._write(
            f"creating {name}", lambda: self.garmin.upload_workout(body), what="POST"
        )
        workout_id = created.get("workoutId") if isinstance(created, dict) else None
        return workout_id if isinstance(workout_id, int) else None

    def update(self, workout_id: int, body: dict[str, Any], name: str) -> None:
        """PUT a workout's full body in place (its id, and so its calendar entries, stay)."""
        self._write(
            f"updating {name}", lambda: self.garmin.update_workout(workout_id, body), what="PUT"
        )

    def _write(
        self,
        doing: str,
        call: Callable[[], Any],
        what: str,
        again: str = PUSH_AGAIN,
        not_found: type[Exception] | None = None,
    ) -> Any:
        from garminconnect import GarminConnectConnectionError
        from requests import RequestException

        unknown = f"Garmin Connect did not confirm {doing} ({{}}); it may have been stored: {again}"
        self._refresh.failure = None
        try:
            return self.deadline.run(doing, call)
        except TimedOut as error:
            raise UnknownOutcome(unknown.format(f"no answer {self.deadline.describe()}")) from error
        except GarminConnectConnectionError as error:
            if not_found is not None and isinstance(error, not_found):
                raise _Gone() from error
            status = _status(error)
            _raise_for_access(error, status, doing, self._refresh)
            if status is not None and 400 <= status < 500:
                raise Refused(f"Garmin Connect refused {doing}: {_one_line(error)}") from error
            raise UnknownOutcome(
                unknown.format(f"HTTP {status}" if status else _one_line(error))
            ) from error
        except RequestException as error:
            raise UnknownOutcome(unknown.format(f"{what}: {type(error).__name__}")) from error


def open_session() -> Session:
    """Log in with the saved tokens; ``NotLoggedIn`` if there are none or Connect refuses them."""
    try:
        saved = TOKENS.read()
    except OSError as error:
        raise NotLoggedIn(f"could not read the saved tokens in {TOKENS.path}: {error}") from error
    if saved is None:
        raise NotLoggedIn(
            f"not logged in to Garmin Connect (no tokens in {TOKENS.folder}): "
            "run `liftfit garmin login`"
        )
    try:
        parsed = json.loads(saved)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise NotLoggedIn(f"the saved tokens in {TOKENS.path} are not readable: {LOGIN_AGAIN}")
    session = Session(new_client())
    session._read(
        "logging in with the saved tokens",
        functools.partial(session.garmin.login, tokenstore=json.dumps(parsed)),
    )
    return session
