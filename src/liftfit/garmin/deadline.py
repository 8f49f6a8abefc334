"""An overall deadline for a command that talks to Garmin Connect.

garminconnect's own timeouts are per socket read (15 s for the API, 30 s for the token
refresh), so a server that answers one byte at a time, or a stalled connection retried by
its login, can hold a command for ever. Each request therefore runs in a worker thread and
the command waits for it only until the deadline: ``LIFTFIT_GARMIN_DEADLINE`` seconds after
the command first talks to Connect (default 600). Past it, ``run`` raises ``TimedOut``
naming what it was waiting for, and every later ``run`` of the command raises at once; the
abandoned request ends with the process. Time spent at a prompt (the MFA code) is not
counted (``paused``).
"""

from __future__ import annotations

import contextlib
import math
import os
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

from liftfit.errors import LiftfitError, RemoteError

ENV_DEADLINE = "LIFTFIT_GARMIN_DEADLINE"
DEFAULT_SECONDS = 600.0


class TimedOut(RemoteError):
    """The command's deadline passed while it waited for Connect."""


class BadDeadline(LiftfitError):
    """``LIFTFIT_GARMIN_DEADLINE`` is not a number of seconds (a usage error, exit 2)."""

    exit_code = 2


def configured_seconds() -> float:
    raw = os.environ.get(ENV_DEADLINE, "").strip()
    if not raw:
        return DEFAULT_SECONDS
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise BadDeadline(
            f"{ENV_DEADLINE}={raw[:40]!r}: give the seconds a command may wait for Garmin "
            "Connect, a number above 0"
        )
    return seconds


class Deadline:
    def __init__(self) -> None:
        self.seconds = configured_seconds()
        self._end = time.monotonic() + self.seconds

    def describe(self) -> str:
        return f"within {self.seconds:g} s ({ENV_DEADLINE})"

    def run(self, doing: str, call: Callable[[], Any]) -> Any:
        """``call()``'s result (or exception), if it comes before the deadline."""
        if time.monotonic() >= self._end:
            raise self._timed_out(doing)
        outcome: dict[str, Any] = {}

        def work() -> None:
            try:
                outcome["value"] = call()
            except BaseException as error:  # handed to the waiting thread
                outcome["error"] = error

        worker = threading.Thread(target=work, name=f"liftfit: {doing}", daemon=True)
        worker.start()
        while worker.is_alive():
            left = self._end - time.monotonic()
            if left <= 0:
                raise self._timed_out(doing)
            worker.join(min(left, 0.25))  # the end moves while a prompt is open
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """Time inside does not count (a person typing a code)."""
        start = time.monotonic()
        try:
            yield
        finally:
            self._end += time.monotonic() - start

    def _timed_out(self, doing: str) -> TimedOut:
        return TimedOut(
            f"Garmin Connect did not answer {self.describe()} while {doing}: try again later"
        )
