"""Helpers for the `liftfit coros` tests: the stand-in, a token folder, the CLI, no internet.

Test modules import the fixtures they use from here (``from tests.coros_client import …``).
Every socket to an address other than 127.0.0.1 fails the test.
"""

from __future__ import annotations

import io
import shutil
import socket
import socketserver
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import bcrypt
import pytest
from click.testing import CliRunner, Result

from liftfit.cli import cli
from tests.conftest import ROOT
from tests.coros_standin import CorosStandin

EMAIL, PASSWORD = "runner@example.com", "s3cret-Pass!"
LOCAL_HOSTS = {"127.0.0.1", "::1", "localhost"}


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(sock: socket.socket, address: Any) -> Any:
        if isinstance(address, tuple) and address[0] not in LOCAL_HOSTS:
            raise AssertionError(f"a test tried to reach {address}")
        return real_connect(sock, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in LOCAL_HOSTS and host is not None:
            raise AssertionError(f"a test tried to look up {host}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture
def coros(monkeypatch: pytest.MonkeyPatch) -> Iterator[CorosStandin]:
    # The stand-in writes an answer's headers and body apart; with Nagle's algorithm on its
    # sockets each answer then waits ~40 ms for the client's delayed ACK.
    monkeypatch.setattr(socketserver.StreamRequestHandler, "disable_nagle_algorithm", True)
    # bcrypt at its lowest cost: a login then takes ~1 ms of hashing on each side, not ~0.1 s
    # (the cost liftfit itself asks for is checked in tests/test_coros_login.py).
    real_gensalt = bcrypt.gensalt
    monkeypatch.setattr(bcrypt, "gensalt", lambda rounds=12, prefix=b"2b": real_gensalt(4, prefix))
    with CorosStandin() as server:
        server.add_account(EMAIL, PASSWORD, region="eu", user_id="1001")
        yield server


@pytest.fixture
def folder(tmp_path: Path, coros: CorosStandin, monkeypatch: pytest.MonkeyPatch) -> Path:
    """liftfit pointed at the stand-in's EU host, a token folder, no credentials in the env."""
    tokens = tmp_path / "tokens"
    monkeypatch.setenv("LIFTFIT_COROS_API_URL", coros.url("eu"))
    monkeypatch.setenv("LIFTFIT_COROS_TOKENS", str(tokens))
    for name in ("COROS_EMAIL", "COROS_PASSWORD", "LIFTFIT_COROS_DEADLINE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no liftfit.yaml profile from the repo
    return tokens


def liftfit(*args: str, input: Any = None) -> Result:
    return CliRunner().invoke(cli, ["coros", *args], input=input)


@pytest.fixture
def logged_in(folder: Path, coros: CorosStandin) -> Path:
    """A saved login, as `liftfit coros login` leaves it (tests/test_coros_login.py), made
    without the two bcrypt rounds a real login costs."""
    from liftfit.coros.api import Tokens
    from liftfit.coros.login import save_tokens

    coros.accounts[EMAIL].token = "token-of-the-tests"
    save_tokens(Tokens("token-of-the-tests", "1001", coros.url("eu"), EMAIL))
    return folder


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A copy of the bundled workouts (and plans) in the working folder."""
    shutil.copytree(ROOT / "workouts", tmp_path / "workouts")
    return tmp_path / "workouts"


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Read-backs retry at once (the stand-in's eventual consistency counts reads, not time)."""
    import liftfit.coros.schedule

    delays = liftfit.coros.schedule.READ_BACK_DELAYS
    monkeypatch.setattr(liftfit.coros.schedule, "READ_BACK_DELAYS", (0.0,) * len(delays))


class Typed(io.RawIOBase):
    """Standard input whose text is decided when first read (a code sent mid-command)."""

    def __init__(self, text: Callable[[], str]) -> None:
        self._text = text
        self._data: bytes | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if not len(buffer):
            return 0  # click probes the stream with read(0) before the command runs
        if self._data is None:
            self._data = self._text().encode("utf-8")
        count = min(len(buffer), len(self._data))
        buffer[:count] = self._data[:count]
        self._data = self._data[count:]
        return count
