"""The COROS client's HTTP layer against a bare local server (what the stand-in does not do)."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from liftfit.coros.api import Client, Deadline
from tests.coros_client import no_internet

__all__ = ["no_internet"]


@pytest.fixture
def gzipping() -> Iterator[str]:
    """A server that answers every GET with a gzip-compressed envelope, as web servers do."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            envelope = {"result": "0000", "message": "OK", "data": {"userId": "1001"}}
            data = gzip.compress(json.dumps(envelope).encode())
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.005}, daemon=True
    ).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_a_compressed_answer_is_read_as_json(gzipping: str) -> None:
    client = Client(gzipping, Deadline(10))
    assert client.send("GET", "/account/query", "reading", headers={}) == {"userId": "1001"}
