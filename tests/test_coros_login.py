"""`liftfit coros login / logout` and the saved token, through the real client and a stand-in."""

from __future__ import annotations

import hashlib
import json
import stat
from pathlib import Path

import bcrypt
import pytest

from liftfit.coros import login
from tests.coros_client import (
    EMAIL,
    PASSWORD,
    Typed,
    coros,
    folder,
    liftfit,
    logged_in,
    no_internet,
    no_waiting,
)
from tests.coros_standin import REGIONS, CorosStandin

__all__ = ["coros", "folder", "logged_in", "no_internet", "no_waiting"]

MD5 = hashlib.md5(PASSWORD.encode()).hexdigest()


def _logins(coros: CorosStandin) -> list[dict[str, object]]:
    return [r.body for r in coros.requests if r.path == "/account/login"]


def _env(monkeypatch: pytest.MonkeyPatch, password: str = PASSWORD) -> None:
    monkeypatch.setenv("COROS_EMAIL", EMAIL)
    monkeypatch.setenv("COROS_PASSWORD", password)


def test_login_sends_the_current_form_and_saves_only_the_token(
    folder: Path, coros: CorosStandin, monkeypatch: pytest.MonkeyPatch
) -> None:
    _env(monkeypatch)
    result = liftfit("login")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"Logged in as {EMAIL} on {coros.url('eu')}; token saved in {folder}.\n"
    )
    (body,) = _logins(coros)
    assert set(body) == {"account", "accountType", "p1", "p2"}
    assert body["account"] == EMAIL and body["accountType"] == 2
    assert str(body["p1"]).startswith(str(body["p2"]))
    assert bcrypt.checkpw(MD5.encode(), str(body["p1"]).encode())
    token_file = folder / "coros_tokens.json"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    saved = json.loads(token_file.read_text())
    assert saved == {
        "access_token": coros.accounts[EMAIL].token,
        "user_id": "1001",
        "host": coros.url("eu"),
        "email": EMAIL,
    }
    text = token_file.read_text() + result.output
    assert PASSWORD not in text and MD5 not in text


def test_the_current_form_hashes_at_the_cost_coros_uses() -> None:
    """What the web app sends: bcrypt at cost 10 of the password's MD5 hex, with its salt."""
    from liftfit.coros.login import _current_form

    form = _current_form(EMAIL, PASSWORD)
    assert str(form["p2"]).startswith("$2b$10$") and len(str(form["p2"])) == 29
    assert str(form["p1"]).startswith(str(form["p2"]))
    assert bcrypt.checkpw(MD5.encode(), str(form["p1"]).encode())


def test_login_falls_back_to_the_older_form_when_the_current_one_is_refused(
    folder: Path, coros: CorosStandin, monkeypatch: pytest.MonkeyPatch
) -> None:
    coros.add_account("old@example.com", PASSWORD, accepts_bcrypt=False, user_id="77")
    monkeypatch.setenv("COROS_EMAIL", "old@example.com")
    monkeypatch.setenv("COROS_PASSWORD", PASSWORD)
    result = liftfit("login")
    assert result.exit_code == 0, result.output
    first, second = _logins(coros)
    assert "p1" in first and "pwd" not in first
    assert second == {"account": "old@example.com", "accountType": 2, "pwd": MD5}
    assert json.loads((folder / "coros_tokens.json").read_text())["user_id"] == "77"


def test_a_wrong_password_is_one_line_exit_3_and_saves_nothing(
    folder: Path, coros: CorosStandin, monkeypatch: pytest.MonkeyPatch
) -> None:
    _env(monkeypatch, password="wrong")
    result = liftfit("login")
    assert result.exit_code == 3
    assert result.stderr == (
        "error: COROS refused the login: check the email and password "
        "(COROS said: The account or password is incorrect)\n"
    )
    assert len(_logins(coros)) == 2  # the current form, then the older one
    assert not (folder / "coros_tokens.json").exists()
    assert "wrong" not in result.output


def test_the_password_is_prompted_hidden_when_not_in_the_environment(
    folder: Path, coros: CorosStandin
) -> None:
    result = liftfit("login", input=f"{EMAIL}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert (folder / "coros_tokens.json").is_file()


def test_two_factor_asks_for_the_code_coros_sent(
    folder: Path, coros: CorosStandin, monkeypatch: pytest.MonkeyPatch
) -> None:
    coros.add_account("2fa@example.com", PASSWORD, two_factor=True, user_id="42")
    monkeypatch.setenv("COROS_EMAIL", "2fa@example.com")
    monkeypatch.setenv("COROS_PASSWORD", PASSWORD)
    result = liftfit("login", input=Typed(lambda: coros.code + "\n"))
    assert result.exit_code == 0, result.output
    assert "Two-factor code (COROS sent it to your email):" in result.output
    paths = [r.path for r in coros.requests]
    assert paths[-4:] == [
        "/account/login",
        "/account/captcha",
        "/account/2fa/login/verify",
        "/account/query",
    ]
    saved = json.loads((folder / "coros_tokens.json").read_text())
    assert saved["access_token"] == coros.accounts["2fa@example.com"].token
    assert saved["user_id"] == "42"


def test_a_wrong_two_factor_code_is_one_line_exit_3(
    folder: Path, coros: CorosStandin, monkeypatch: pytest.MonkeyPatch
) -> None:
    coros.add_account("2fa@example.com", PASSWORD, two_factor=True)
    monkeypatch.setenv("COROS_EMAIL", "2fa@example.com")
    monkeypatch.setenv("COROS_PASSWORD", PASSWORD)
    result = liftfit("login", input=Typed(lambda: ("1" if coros.code[0] != "1" else "2") + "\n"))
    assert result.exit_code == 3
    assert result.stderr == (
        "error: COROS refused the two-factor code: run `liftfit coros login` again\n"
    )
    assert not (folder / "coros_tokens.json").exists()


@pytest.fixture
def regions(folder: Path, coros: CorosStandin, monkeypatch: pytest.MonkeyPatch) -> None:
    """No LIFTFIT_COROS_API_URL: the region table points at the stand-in's four hosts."""
    monkeypatch.delenv("LIFTFIT_COROS_API_URL")
    monkeypatch.setattr(login, "REGIONS", {region: coros.url(region) for region in REGIONS})


def test_region_search_finds_the_host_that_takes_the_token(
    regions: None, folder: Path, coros: CorosStandin, monkeypatch: pytest.MonkeyPatch
) -> None:
    coros.add_account("ap@example.com", PASSWORD, region="ap", user_id="9")
    monkeypatch.setenv("COROS_EMAIL", "ap@example.com")
    monkeypatch.setenv("COROS_PASSWORD", PASSWORD)
    result = liftfit("login")
    assert result.exit_code == 0, result.output
    probes = [(r.region, r.result) for r in coros.requests if r.path == "/account/query"]
    assert probes == [("us", "1019"), ("eu", "1019"), ("cn", "1019"), ("ap", "0000")]
    assert json.loads((folder / "coros_tokens.json").read_text())["host"] == coros.url("ap")
    # Later commands go to that host only.
    coros.requests.clear()
    session = login.open_session()
    assert session.account_name() == "ap@example.com"
    assert {r.region for r in coros.requests} == {"ap"}


def test_a_region_named_wrongly_is_one_line_exit_3(
    regions: None, folder: Path, coros: CorosStandin, monkeypatch: pytest.MonkeyPatch
) -> None:
    coros.add_account("ap@example.com", PASSWORD, region="ap")
    monkeypatch.setenv("COROS_EMAIL", "ap@example.com")
    monkeypatch.setenv("COROS_PASSWORD", PASSWORD)
    result = liftfit("login", "--region", "eu")
    assert result.exit_code == 3
    assert result.stderr == (
        "error: COROS accepted the login, but no region's host accepts the token "
        f"(tried {coros.url('eu')}): try --region auto\n"
    )
    assert not (folder / "coros_tokens.json").exists()


def test_login_when_logged_in_says_so_and_logout_deletes_the_token(
    logged_in: Path, coros: CorosStandin
) -> None:
    again = liftfit("login")
    assert again.exit_code == 0
    assert again.stdout == (
        f"Already logged in as {EMAIL} (token in {logged_in}); "
        "`liftfit coros logout` first to switch accounts.\n"
    )
    assert _logins(coros) == []  # the saved token was checked, no password sent
    out = liftfit("logout")
    assert out.stdout == f"Logged out: deleted {logged_in / 'coros_tokens.json'}.\n"
    assert not (logged_in / "coros_tokens.json").exists()
    assert liftfit("logout").stdout == f"Not logged in (no token in {logged_in}).\n"


def test_region_search_passes_over_a_host_that_is_down(
    regions: None, folder: Path, coros: CorosStandin, monkeypatch: pytest.MonkeyPatch
) -> None:
    coros.add_account("ap@example.com", PASSWORD, region="ap", user_id="9")
    monkeypatch.setenv("COROS_EMAIL", "ap@example.com")
    monkeypatch.setenv("COROS_PASSWORD", PASSWORD)
    coros.fault("/account/query", "5xx")  # the first host probed (us) fails
    result = liftfit("login")
    assert result.exit_code == 0, result.output
    probes = [(r.region, r.result) for r in coros.requests if r.path == "/account/query"]
    assert probes == [("us", "5xx"), ("eu", "1019"), ("cn", "1019"), ("ap", "0000")]
    assert json.loads((folder / "coros_tokens.json").read_text())["host"] == coros.url("ap")


def test_login_over_a_token_ended_elsewhere_logs_in_again(
    logged_in: Path, coros: CorosStandin, monkeypatch: pytest.MonkeyPatch
) -> None:
    coros.login_elsewhere(EMAIL)
    _env(monkeypatch)
    result = liftfit("login")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Logged in as {EMAIL} on ")
    assert len(_logins(coros)) == 1
    saved = json.loads((logged_in / "coros_tokens.json").read_text())
    assert saved["access_token"] == coros.accounts[EMAIL].token


@pytest.mark.parametrize("kind", ["5xx", "reset", "null", "slow", "trickle"])
def test_a_failing_login_is_one_line_exit_3_and_saves_nothing(
    folder: Path, coros: CorosStandin, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    _env(monkeypatch)
    if kind in ("slow", "trickle"):
        monkeypatch.setenv("LIFTFIT_COROS_DEADLINE", "0.5")
    coros.fault("/account/login", kind, delay={"slow": 3.0, "trickle": 0.05}.get(kind, 0.0))
    result = liftfit("login")
    assert result.exit_code == 3
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: COROS ")
    assert PASSWORD not in result.output
    assert not (folder / "coros_tokens.json").exists()
    monkeypatch.delenv("LIFTFIT_COROS_DEADLINE", raising=False)
    assert liftfit("login").exit_code == 0
