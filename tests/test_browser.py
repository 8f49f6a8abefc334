"""The club pack in a real browser: headless Chromium loads it from a local server.

Every request the pages make must go to that server and succeed (everything is inline, so
the only requests are the pages themselves); the DOM must show the workouts; printing must
give one card per page. Screenshots are kept in test-artifacts/ to look at. Each Chromium run
is about a second of CPU: by default only the index and its printing run; the screenshots,
the plan page and the test of the request check itself run under HYPOTHESIS_PROFILE=ci (as
.ci/run sets it).

Needs Debian's chromium (``apt-get install chromium``; ``.ci/run`` installs it); skips without.
``LIFTFIT_CHROMIUM`` names another binary.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from liftfit.library import load_library
from liftfit.pack import build_pack
from tests.conftest import ROOT, thorough_only

ARTIFACTS = ROOT / "test-artifacts"
WORKOUTS = ROOT / "workouts"
# Headless, and off the network: no background services, no QUIC, no updates, no sync; any
# host name but the loopback fails to resolve, so nothing can leave the machine.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
)


def chromium_binary() -> str | None:
    named = os.environ.get("LIFTFIT_CHROMIUM")
    if named:
        return named
    for candidate in ("chromium", "chromium-browser", "/usr/bin/chromium"):
        found = shutil.which(candidate)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def chromium() -> str:
    binary = chromium_binary()
    if binary is None:
        pytest.skip("chromium not found: `apt-get install chromium` (or set LIFTFIT_CHROMIUM)")
    return binary


@dataclass
class Served:
    """The pack's files on http://127.0.0.1:PORT/, and every request the server answered."""

    root: Path
    base: str
    log: list[tuple[str, int]] = field(default_factory=list)


class _LoggingHandler(SimpleHTTPRequestHandler):
    requests: list[tuple[str, int]]

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.requests.append((self.path, int(code) if str(code).isdigit() else 0))

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet; log_request keeps the record


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("pack")
    data = build_pack([WORKOUTS], start=None).zip_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(root)
    log: list[tuple[str, int]] = []
    handler = type("Handler", (_LoggingHandler,), {"requests": log})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.005}, daemon=True
    )
    thread.start()
    try:
        yield Served(root, f"http://127.0.0.1:{server.server_address[1]}/", log)
    finally:
        server.shutdown()
        server.server_close()


def browse(
    chromium: str, tmp_path: Path, url: str, *extra: str
) -> tuple[str, list[tuple[str, int]]]:
    """Run Chromium on ``url``; its stdout, and (url, net error) of each request the page
    made, read from Chromium's own network log (browser-internal requests left out)."""
    run = Path(tempfile.mkdtemp(dir=tmp_path))  # a new profile each time: nothing cached
    netlog = run / "netlog.json"
    profile = run / "profile"
    result = subprocess.run(
        [
            chromium,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--log-net-log={netlog}",
            *extra,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout, page_requests(netlog, url)


def page_requests(netlog: Path, url: str) -> list[tuple[str, int]]:
    """Requests whose network isolation key is the page's site: what the page asked for,
    not Chromium's own update or account checks (which the resolver rules make fail)."""
    site = re.match(r"https?://[^/:]+", url)
    assert site is not None
    log = json.loads(netlog.read_text("utf-8"))
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    urls: dict[int, str] = {}
    errors: dict[int, int] = {}
    for event in log["events"]:
        if event["type"] != start:
            continue
        params = event.get("params") or {}
        source = event["source"]["id"]
        if "url" in params and site.group(0) in params.get("network_isolation_key", ""):
            urls[source] = params["url"]
        if "net_error" in params:
            errors[source] = params["net_error"]
    return [(address, errors.get(source, 0)) for source, address in urls.items()]


def assert_only_local_and_ok(served: Served, requests: list[tuple[str, int]], page: str) -> None:
    assert requests, "the network log shows no request for the page"
    assert [address for address, _ in requests] == [served.base + page], requests
    assert all(error == 0 for _, error in requests), requests
    answered = [entry for entry in served.log if entry[0] == f"/{page}"]
    assert answered and all(status == 200 for _, status in answered), served.log
    assert all(status < 400 for _, status in served.log), served.log


def test_index_loads_only_from_the_pack_and_shows_every_workout(
    chromium: str, served: Served, tmp_path: Path
) -> None:
    served.log.clear()
    dom, requests = browse(chromium, tmp_path, served.base + "index.html", "--dump-dom")
    assert_only_local_and_ok(served, requests, "index.html")
    text = html.unescape(dom)
    for source in load_library([WORKOUTS]).workouts:
        assert f">{source.workout.name}</a>" in text, source.slug
        assert f"<h2>{source.workout.name}</h2>" in text, source.slug


@thorough_only  # each Chromium run is ~1 s of CPU
def test_the_index_is_drawn(chromium: str, served: Served, tmp_path: Path) -> None:
    served.log.clear()
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "index.png"
    _, requests = browse(
        chromium,
        tmp_path,
        served.base + "index.html",
        f"--screenshot={shot}",
        "--window-size=1000,1600",
    )
    assert_only_local_and_ok(served, requests, "index.html")
    assert shot.stat().st_size > 20_000  # a page was drawn, not a blank


@thorough_only
def test_a_card_reads_on_a_phone(chromium: str, served: Served, tmp_path: Path) -> None:
    served.log.clear()
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "card-phone.png"
    page = "html/heavy-strength.html"
    _, requests = browse(
        chromium, tmp_path, served.base + page, f"--screenshot={shot}", "--window-size=412,900"
    )
    assert_only_local_and_ok(served, requests, page)
    assert shot.stat().st_size > 20_000


@thorough_only
def test_a_plan_page_shows_its_weeks(chromium: str, served: Served, tmp_path: Path) -> None:
    served.log.clear()
    page = "plans/winter-to-summer.html"
    dom, requests = browse(chromium, tmp_path, served.base + page, "--dump-dom")
    assert_only_local_and_ok(served, requests, page)
    assert dom.count("<tr>") == 9  # the header and eight weeks
    assert "winter volume" in dom and "summer speed" in dom


def test_printing_puts_one_card_on_each_page(chromium: str, served: Served, tmp_path: Path) -> None:
    cards = len(list((served.root / "html").glob("*.html")))
    pdf = ARTIFACTS / "index.pdf"
    ARTIFACTS.mkdir(exist_ok=True)
    browse(
        chromium,
        tmp_path,
        served.base + "index.html",
        f"--print-to-pdf={pdf}",
        "--no-pdf-header-footer",
    )
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert pages == cards


@thorough_only
def test_the_check_catches_a_page_that_reaches_outside(
    chromium: str, served: Served, tmp_path: Path
) -> None:
    """The request check has teeth: an outside image shows up (and fails, unresolved)."""
    page = "leaky.html"
    (served.root / page).write_text(
        '<!doctype html><link rel="icon" href="data:,"><img src="http://example.invalid/a.png">'
    )
    served.log.clear()
    _, requests = browse(chromium, tmp_path, served.base + page, "--dump-dom")
    assert ("http://example.invalid/a.png", -105) in requests  # ERR_NAME_NOT_RESOLVED
    with pytest.raises(AssertionError):
        assert_only_local_and_ok(served, requests, page)
