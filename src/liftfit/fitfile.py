"""The FIT container, as every FIT reader of liftfit reads it (workouts, schedules).

The file is checked itself (signature, sizes, CRCs) so that any damage is one clear line;
records are then decoded lazily with fit-tool, and field values read raw (no scaling).
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
import struct
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

from liftfit.errors import InvalidInput, Problem
from liftfit.safe import Unreadable, read_regular

# Connect's largest workouts (~43 steps) take ~13 kB; a step takes at most ~300 bytes (notes of
# 199, a name of 15, the fields), so 512 kB holds any workout of MAX_FIT_STEPS and its titles.
MAX_FILE_BYTES = 512 * 1024
_FIT_TAG = b".FIT"

Fail = Callable[[str], NoReturn]


def read_fit_bytes(path: Path) -> bytes:
    """A FIT file's bytes: a regular file of at most ``MAX_FILE_BYTES``, else one
    ``InvalidInput`` line."""
    try:
        return read_regular(path, MAX_FILE_BYTES, "FIT file")
    except Unreadable as error:
        raise InvalidInput([Problem(path, str(error))]) from None


def check_container(data: bytes, fail: Fail) -> tuple[int, str, int, bytes]:
    """Header size, protocol, profile version and the first FIT segment, all checked."""
    from fit_tool.utils.crc import crc16

    if not data:
        fail("not a FIT file (the file is empty)")
    if len(data) < 12:
        fail(f"not a FIT file (only {len(data)} bytes, shorter than a FIT header)")
    if data[8:12] != _FIT_TAG:
        fail("not a FIT file (no .FIT signature)")
    header_size = data[0]
    if header_size < 12:
        fail(f"damaged FIT file: header size {header_size} (12 or 14 expected)")
    (data_size,) = struct.unpack_from("<I", data, 4)
    total = header_size + data_size + 2
    if total > MAX_FILE_BYTES:
        fail(f"too large for a FIT workout file ({total:,} bytes announced in its header)")
    if len(data) < total:
        fail(
            f"truncated FIT file: its header announces {total:,} bytes, the file has {len(data):,}"
        )
    if header_size > 12:
        (header_crc,) = struct.unpack_from("<H", data, header_size - 2)
        if header_crc != 0 and header_crc != crc16(data[: header_size - 2]):
            fail("damaged FIT file: header CRC mismatch")
    (file_crc,) = struct.unpack_from("<H", data, total - 2)
    if file_crc != crc16(data[: total - 2]):
        fail("damaged FIT file: CRC mismatch")
    protocol = f"{data[1] >> 4}.{data[1] & 0x0F}"
    (profile,) = struct.unpack_from("<H", data, 2)
    return header_size, protocol, profile, bytes(data[:total])


def messages(segment: bytes) -> Iterator[Any]:
    """Data messages, decoded lazily (so a non-workout file stops at its file_id)."""
    from fit_tool.fit_file import FitFile

    # CRCs were checked by check_container (which also accepts a header CRC of 0, "not set").
    for record in FitFile.iter_stream(io.BytesIO(segment), check_crc=False):
        if not record.is_definition:
            yield record.message


def raw_value(message: Any, field_id: int) -> Any:
    """The field's first stored value, unscaled; None when absent or FIT's "invalid" value."""
    found = message.get_field(field_id)
    if found is None or not found.is_valid() or not found.encoded_values:
        return None
    value = found.encoded_values[0]
    if value is None or isinstance(value, str):
        return value
    invalid = found.base_type.invalid_raw_value()
    if value == invalid or (isinstance(value, float) and value != value):
        return None
    return value


def int_value(message: Any, field_id: int) -> int | None:
    value = raw_value(message, field_id)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def str_value(message: Any, field_id: int) -> str | None:
    value = raw_value(message, field_id)
    return value if isinstance(value, str) and value else None


def one_line(error: Exception) -> str:
    text = " ".join(str(error).split()).rstrip(".") or type(error).__name__
    for pattern, plain in _DECODER_MESSAGES:
        text = pattern.sub(plain, text)
    return text[:200]


# fit-tool's wording for the commonest damage, in words a user can follow.
_DECODER_MESSAGES = [
    (re.compile(r"^(\d+) is not a valid BaseType$"), r"a field of unknown base type \1"),
    (
        re.compile(r"^DefinitionMessage not defined for local_id: (\d+)$"),
        r"a record of local message type \1, which no definition before it describes",
    ),
    (re.compile(r"^Field (\w+) is empty$"), r"field \1 is defined with a size of 0"),
    (re.compile(r"^Invalid definition architecture (\d+)"), r"unknown byte order \1"),
]


@contextlib.contextmanager
def quiet_fit_tool() -> Iterator[None]:
    """fit-tool logs decoding oddities to stderr; the caller reports problems itself."""
    logger = logging.getLogger("fit_tool")
    was_disabled = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = was_disabled
