"""A compact FIT file writer: the few messages liftfit writes, packed with ``struct``.

The messages, their fields (number, base type, scale, offset, subfields) and the enum values
come from ``data/fit_messages.json``, which ``scripts/fit_tables.py`` generates from Garmin's
FIT profile. A file is a 14-byte header (protocol 2.0, with CRC), the records, and the CRC.

Every record uses local message type 0, so a definition is written whenever the layout
changes: another message, another set of fields, or a string longer than the one defined.
A message whose strings fit the current definition reuses it, its strings padded with NULs.
This is the layout liftfit's files have always had (fit-tool's ``auto_define``), kept so that
every file keeps its bytes.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

FIT_EPOCH = 631_065_600  # 1989-12-31T00:00:00Z in Unix seconds: FIT's date_time counts from it
DEFINITION = 0x40
PROTOCOL_2_0 = 0x20

# Base type name → (the byte a definition writes, struct format); strings are packed apart.
BASE_TYPES: dict[str, tuple[int, str]] = {
    "enum": (0x00, "B"),
    "sint8": (0x01, "b"),
    "uint8": (0x02, "B"),
    "sint16": (0x83, "h"),
    "uint16": (0x84, "H"),
    "sint32": (0x85, "i"),
    "uint32": (0x86, "I"),
    "string": (0x07, ""),
    "float32": (0x88, "f"),
    "float64": (0x89, "d"),
    "uint8z": (0x0A, "B"),
    "uint16z": (0x8B, "H"),
    "uint32z": (0x8C, "I"),
    "byte": (0x0D, "B"),
    "sint64": (0x8E, "q"),
    "uint64": (0x8F, "Q"),
    "uint64z": (0x90, "Q"),
}


def _crc_table() -> tuple[int, ...]:
    """FIT's CRC-16 (polynomial 0x8005 reflected, initial 0), one entry per byte value."""
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_CRC = _crc_table()


def crc16(data: bytes | bytearray, crc: int = 0) -> int:
    """FIT's CRC of ``data``, continuing from ``crc``."""
    table = _CRC
    for byte in data:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


@dataclass(frozen=True)
class Slot:
    """Where a field or subfield name lands: its field's place in the message, and how a
    value is encoded there."""

    position: int
    number: int
    base: int
    packer: struct.Struct | None  # None: a string
    scale: float
    offset: float

    def encode(self, value: Any) -> bytes:
        if self.packer is None:
            return str(value).encode("utf-8") + b"\0"
        if self.scale == 1 and self.offset == 0:
            raw = int(value)
        else:
            raw = round((float(value) + self.offset) * self.scale)
        try:
            return self.packer.pack(raw)
        except struct.error:
            raise ValueError(f"FIT field {self.number}: {value!r} is out of range") from None


@dataclass(frozen=True)
class MessageType:
    name: str
    number: int
    slots: dict[str, Slot]


@dataclass(frozen=True)
class Profile:
    """The generated message table: what the writer can write."""

    version: int
    messages: dict[str, MessageType]
    enums: dict[str, dict[str, int]]

    def enum(self, type_name: str, value_name: str) -> int:
        return self.enums[type_name][value_name]


@cache
def profile() -> Profile:
    text = resources.files("liftfit.data").joinpath("fit_messages.json").read_text("utf-8")
    table = json.loads(text)
    messages = {}
    for name, spec in table["messages"].items():
        slots: dict[str, Slot] = {}
        for position, (field, number, base, scale, offset) in enumerate(spec["fields"]):
            code, fmt = BASE_TYPES[base]
            packer = struct.Struct("<" + fmt) if fmt else None
            slots[field] = Slot(position, number, code, packer, scale, offset)
        for sub, (field, scale, offset) in spec["subfields"].items():
            main = slots[field]
            slots[sub] = Slot(main.position, main.number, main.base, main.packer, scale, offset)
        messages[name] = MessageType(name, spec["number"], slots)
    return Profile(table["profile_version"], messages, table["enums"])


def fit_time(unix_seconds: int) -> int:
    """A FIT ``date_time``: seconds since 1989-12-31T00:00:00Z."""
    return unix_seconds - FIT_EPOCH


Layout = tuple[int, tuple[tuple[int, int], ...], tuple[int, ...]]


class FitWriter:
    """Collects messages, then gives the file's bytes."""

    def __init__(self) -> None:
        self._profile = profile()
        self._body = bytearray()
        self._layout: Layout | None = None

    def write(self, message: str, **values: Any) -> None:
        """Add one message; ``values`` by field or subfield name (subfields apply their own
        scale), in the units the profile gives; None leaves a field out."""
        kind = self._profile.messages[message]
        encoded: dict[int, tuple[Slot, bytes]] = {}
        for name, value in values.items():
            if value is None:
                continue
            slot = kind.slots[name]
            if slot.position in encoded:
                raise ValueError(f"{message}.{name}: its field is already set")
            encoded[slot.position] = (slot, slot.encode(value))
        fields = [encoded[position] for position in sorted(encoded)]
        sizes = tuple(len(data) for _, data in fields)
        shape = tuple((slot.number, slot.base) for slot, _ in fields)
        current = self._layout
        if (
            current is None
            or current[0] != kind.number
            or current[1] != shape
            or any(new > old for new, old in zip(sizes, current[2], strict=True))
        ):
            current = self._define(kind.number, shape, sizes)
        body = self._body
        body.append(0)
        for (_, data), size in zip(fields, current[2], strict=True):
            body += data if len(data) == size else data.ljust(size, b"\0")

    def _define(
        self, number: int, shape: tuple[tuple[int, int], ...], sizes: tuple[int, ...]
    ) -> Layout:
        if any(size > 255 for size in sizes):
            raise ValueError("a FIT field holds at most 255 bytes")
        definition = bytearray(struct.pack("<BBBHB", DEFINITION, 0, 0, number, len(shape)))
        for (field, base), size in zip(shape, sizes, strict=True):
            definition += bytes((field, size, base))
        self._body += definition
        self._layout = (number, shape, sizes)
        return self._layout

    def file(self) -> bytes:
        """The FIT file: header with CRC, the records, the file's CRC."""
        header = struct.pack(
            "<BBHI4s", 14, PROTOCOL_2_0, self._profile.version, len(self._body), b".FIT"
        )
        header += struct.pack("<H", crc16(header))
        data = header + self._body
        return data + struct.pack("<H", crc16(self._body, crc16(header)))
