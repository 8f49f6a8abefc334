"""Logging in to COROS, and where the login is kept.

- The current form (``p1`` = bcrypt of the password's MD5 hex, ``p2`` its salt) first, the
  older ``pwd`` = MD5 hex when COROS refuses it; two-factor (a code sent by email, then
  verified). A token works on the account's own regional host only: the hosts are probed
  with ``GET /account/query`` until one accepts it (``LIFTFIT_COROS_API_URL`` skips that).
- The token, user id and host are stored by ``liftfit.tokens`` (``LIFTFIT_COROS_TOKENS`` or
  the user data folder ``coros``, folder 0700, file 0600); the password never is.
- ``open_session``: the saved login, replaced once by a login from ``COROS_EMAIL`` /
  ``COROS_PASSWORD`` when COROS refuses its token (``api.Session`` does the replacing).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from liftfit.coros.api import (
    LOGIN_AGAIN,
    Client,
    Deadline,
    NotLoggedIn,
    Refused,
    Session,
    TokenInvalid,
    Tokens,
    api_url,
    auth_headers,
    json_header,
)
from liftfit.errors import RemoteError
from liftfit.tokens import TokenStore

REGIONS = {
    "us": "https://teamapi.coros.com",
    "eu": "https://teameuapi.coros.com",
    "cn": "https://teamcnapi.coros.com",
    "ap": "https://teamapiap.coros.com",
}
ENV_TOKENS = "LIFTFIT_COROS_TOKENS"
ENV_EMAIL, ENV_PASSWORD = "COROS_EMAIL", "COROS_PASSWORD"
TOKEN_FILE = "coros_tokens.json"
ACCOUNT_TYPE_EMAIL = 2

# --- where the token lives ----------------------------------------------------------------


TOKENS = TokenStore("coros", ENV_TOKENS, TOKEN_FILE)


def token_folder() -> Path:
    """``LIFTFIT_COROS_TOKENS``, else ``coros`` in liftfit's user data folder."""
    return TOKENS.folder


def save_tokens(tokens: Tokens) -> Path:
    try:
        return TOKENS.write(json.dumps(asdict(tokens), indent=2) + "\n")
    except OSError as error:
        raise RemoteError(
            f"logged in, but could not save the token in {TOKENS.folder}: {error}"
        ) from error


def load_tokens() -> Tokens | None:
    try:
        text = TOKENS.read()
        if text is None:
            return None
        stored = json.loads(text)
        return Tokens(
            str(stored["access_token"]),
            str(stored["user_id"]),
            str(stored["host"]),
            str(stored.get("email", "")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def delete_tokens() -> Path | None:
    """Delete the saved token (nothing is sent to COROS); the file deleted, if any."""
    return TOKENS.delete()


def env_credentials() -> tuple[str, str] | None:
    email = os.environ.get(ENV_EMAIL, "").strip()
    password = os.environ.get(ENV_PASSWORD, "")
    return (email, password) if email and password else None


# --- login --------------------------------------------------------------------------------


def _md5(password: str) -> str:
    return hashlib.md5(password.encode("utf-8")).hexdigest()


def _current_form(email: str, password: str) -> dict[str, Any]:
    import bcrypt

    salt = bcrypt.gensalt(rounds=10)
    secret = bcrypt.hashpw(_md5(password).encode("ascii"), salt)
    return {
        "account": email,
        "accountType": ACCOUNT_TYPE_EMAIL,
        "p1": secret.decode("ascii"),
        "p2": salt.decode("ascii"),
    }


def _older_form(email: str, password: str) -> dict[str, Any]:
    return {"account": email, "accountType": ACCOUNT_TYPE_EMAIL, "pwd": _md5(password)}


LOGIN_HEADERS = {"Content-Type": "application/json", "YFHeader": json_header({"language": "en-US"})}


def _login_on(
    client: Client, email: str, password: str, prompt_code: Callable[[], str] | None
) -> tuple[str, str]:
    """Log in on one host; the token and user id (user id "" when COROS did not say)."""
    data: Any = None
    refusal = ""
    for form in (_current_form, _older_form):
        try:
            data = client.send(
                "POST",
                "/account/login",
                "logging in",
                headers=LOGIN_HEADERS,
                body=form(email, password),
            )
        except (Refused, TokenInvalid) as error:
            refusal = error.message if isinstance(error, Refused) else str(error)
            continue
        break
    else:
        said = f" (COROS said: {refusal})" if refusal else ""
        raise NotLoggedIn(f"COROS refused the login: check the email and password{said}")
    if not isinstance(data, dict):
        raise RemoteError("COROS answered the login without a token")
    if not data.get("accessToken") and data.get("loginTicket"):
        data = _two_factor(client, email, data, prompt_code)
    token = data.get("accessToken")
    if not isinstance(token, str) or not token:
        raise RemoteError("COROS answered the login without a token")
    return token, str(data.get("userId") or "")


def _two_factor(
    client: Client, email: str, data: dict[str, Any], prompt_code: Callable[[], str] | None
) -> dict[str, Any]:
    if prompt_code is None:
        raise NotLoggedIn(f"COROS asks for a two-factor code: {LOGIN_AGAIN}")
    client.send(
        "POST",
        "/account/captcha",
        "asking COROS to send the two-factor code",
        headers=LOGIN_HEADERS,
        body={
            "account": email,
            "codeType": 20,
            "lengthType": 2,
            "accountType": ACCOUNT_TYPE_EMAIL,
        },
    )
    code = prompt_code().strip()
    try:
        verified = client.send(
            "POST",
            "/account/2fa/login/verify",
            "checking the two-factor code",
            headers=LOGIN_HEADERS,
            body={
                "loginTicket": data.get("loginTicket"),
                "appKey": data.get("appKey"),
                "code": code,
            },
        )
    except (Refused, TokenInvalid):
        raise NotLoggedIn(f"COROS refused the two-factor code: {LOGIN_AGAIN}") from None
    if not isinstance(verified, dict):
        raise RemoteError("COROS answered the two-factor code without a token")
    return verified


def hosts_for(region: str) -> list[str]:
    """The hosts a login tries: ``LIFTFIT_COROS_API_URL``, the region's, or all of them."""
    url = api_url()
    if url:
        return [url]
    if region != "auto":
        return [REGIONS[region]]
    return list(REGIONS.values())


def login(
    email: str,
    password: str,
    *,
    hosts: list[str],
    prompt_code: Callable[[], str] | None = None,
    deadline: Deadline | None = None,
) -> Tokens:
    """Log in on the first host, find the host that takes the token, save it."""
    deadline = deadline or Deadline()
    token, user_id = _login_on(Client(hosts[0], deadline), email, password, prompt_code)
    failed: list[str] = []
    for host in hosts:
        client = Client(host, deadline)
        try:
            account = client.send(
                "GET",
                "/account/query",
                "finding your account's region",
                headers=auth_headers(token, user_id),
            )
        except TokenInvalid:
            continue
        except RemoteError as error:  # that host is down: the account may live on another
            failed.append(str(error))
            continue
        if isinstance(account, dict) and account.get("userId") is not None:
            user_id = str(account["userId"])
        if not user_id:
            raise RemoteError("COROS did not say which user logged in (no userId)")
        tokens = Tokens(token, user_id, host, email)
        save_tokens(tokens)
        return tokens
    if failed:
        raise RemoteError("; ".join(failed))
    raise NotLoggedIn(
        "COROS accepted the login, but no region's host accepts the token "
        f"(tried {', '.join(hosts)})"
        + ("" if len(hosts) > 1 or api_url() else ": try --region auto")
    )


def _relogin_from_env(host: str) -> Callable[[Deadline], Tokens]:
    """A new login on ``host`` with ``COROS_EMAIL`` / ``COROS_PASSWORD`` (no code prompt)."""

    def relogin(deadline: Deadline) -> Tokens:
        credentials = env_credentials()
        assert credentials is not None
        return login(*credentials, hosts=[api_url() or host], deadline=deadline)

    return relogin


def open_session(*, deadline: Deadline | None = None, relogin: bool = True) -> Session:
    """The saved login; ``NotLoggedIn`` if there is none.

    ``relogin``: replace a refused token by a login from the environment (once).
    """
    tokens = load_tokens()
    if tokens is None:
        raise NotLoggedIn(
            f"not logged in to COROS (no token in {token_folder()}): run `liftfit coros login`"
        )
    again = _relogin_from_env(tokens.host) if relogin and env_credentials() else None
    return Session(tokens, deadline=deadline, relogin=again)
