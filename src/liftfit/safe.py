"""Input that cannot hang or flood liftfit, and text that cannot take over a terminal.

Every file liftfit reads goes through ``read_regular``: it refuses anything that is not a
regular file (a FIFO would block forever, ``/dev/zero`` would read until memory runs out)
before opening it, and reads at most ``limit`` bytes. Every value echoed back to the user in
a human-readable line goes through ``printable`` (control characters escaped) and ``clip``.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

ECHO_LIMIT = 80


class Unreadable(Exception):
    """A named input that cannot be read; its text is one line, without the path."""


def read_regular(path: Path, limit: int, what: str) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; ``Unreadable`` otherwise.

    ``what`` names the kind of file in messages ("FIT file", "YAML file"). The file is opened
    without blocking and checked on its open descriptor, so a FIFO swapped in after a check
    cannot hang the read.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise Unreadable("no such file") from None
    except IsADirectoryError:
        raise Unreadable(f"is a folder, not a {what}") from None
    except OSError as error:
        raise Unreadable(f"cannot read the file: {error.strerror or error}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise Unreadable(f"is a folder, not a {what}")
        if not stat.S_ISREG(mode):
            raise Unreadable(f"not a regular file (a device, pipe or socket): not a {what}")
        chunks = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        raise Unreadable(f"cannot read the file: {error.strerror or error}") from None
    finally:
        os.close(fd)
    if size > limit:
        raise Unreadable(f"too large for a {what} (over {_size(limit)})")
    return b"".join(chunks)


def _size(limit: int) -> str:
    return f"{limit // (1 << 20)} MB" if limit >= 1 << 20 else f"{limit // 1024} kB"


def printable(text: str) -> str:
    """``text`` with control characters (C0, DEL, C1, line and paragraph separators) escaped,
    so that a name from a file cannot move the cursor, retitle the terminal or break a line."""
    return "".join(_escape(c) if _is_control(c) else c for c in text)


def _is_control(char: str) -> bool:
    code = ord(char)
    return code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029)


def _escape(char: str) -> str:
    code = ord(char)
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(
        char, f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
    )


def clip(text: str, limit: int = ECHO_LIMIT) -> str:
    """``text`` made printable and cut to about ``limit`` characters, marked with "…"."""
    shown = printable(text)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def shown(value: object) -> str:
    """A value echoed in a message: its ``repr``, printable and cut to about 80 characters."""
    return clip(repr(value))
