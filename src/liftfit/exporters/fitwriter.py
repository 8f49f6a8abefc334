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

import itertools
import json
import operator
import struct
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from fastcrc.crc16 import arc

from liftfit import data

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


def crc16(data: bytes | bytearray, crc: int = 0) -> int:
    """FIT's CRC of ``data`` (CRC-16/ARC: polynomial 0x8005 reflected, initial 0), continuing
    from ``crc``; fastcrc's, a hundred times faster than a Python loop over the bytes."""
    return arc(data, crc)


Convert = Callable[[Any], int | bytes]


def _converter(fmt: str, scale: float, offset: float) -> Convert | None:
    """A value in the profile's units → what ``struct`` packs: a string's UTF-8 bytes (its
    field one byte longer: ``s`` pads the NUL that ends it), a scaled number rounded; None:
    an integer, packed as given."""
    if not fmt:
        return str.encode
    if scale == 1 and offset == 0:
        return None
    return lambda value: round((float(value) + offset) * scale)


@dataclass(frozen=True)
class Slot:
    """Where a field or subfield name lands: its field's place in the message, its number,
    base type and struct format, and how a value is converted (subfields bring their own
    scale)."""

    name: str
    position: int
    number: int
    base: int
    fmt: str  # "" for a string
    convert: Convert | None


@dataclass(eq=False)
class Plan:
    """The fields of one message with a given set of values, in the order they are laid out,
    and its records for each size of its strings (made once)."""

    number: int  # the message
    slots: tuple[Slot, ...]
    shape: tuple[tuple[int, int], ...]  # (field number, base type) per field
    strings: tuple[int, ...]  # which of the fields are strings
    values: Callable[[dict[str, Any]], Sequence[Any]]  # what struct packs, in field order
    packers: dict[tuple[int, ...], struct.Struct] = field(default_factory=dict)
    definitions: dict[tuple[int, ...], bytes] = field(default_factory=dict)

    def definition(self, sizes: tuple[int, ...]) -> bytes:
        """The definition record, strings at these sizes (each with its NUL)."""
        found = self.definitions.get(sizes)
        if found is None:
            if any(size > 255 for size in sizes):
                raise ValueError("a FIT field holds at most 255 bytes")
            sized = dict(zip(self.strings, sizes, strict=True))
            record = bytearray(
                struct.pack("<BBBHB", DEFINITION, 0, 0, self.number, len(self.slots))
            )
            for i, slot in enumerate(self.slots):
                size = sized[i] if i in sized else struct.calcsize("<" + slot.fmt)
                record += bytes((slot.number, size, slot.base))
            found = self.definitions[sizes] = bytes(record)
        return found

    def packer(self, sizes: tuple[int, ...]) -> struct.Struct:
        """The data record's struct, strings at these sizes (``s`` pads them with NULs)."""
        found = self.packers.get(sizes)
        if found is None:
            sized = dict(zip(self.strings, sizes, strict=True))
            formats = (f"{sized[i]}s" if i in sized else s.fmt for i, s in enumerate(self.slots))
            found = self.packers[sizes] = struct.Struct("<B" + "".join(formats))
        return found


def _values(slots: list[Slot]) -> Callable[[dict[str, Any]], Sequence[Any]]:
    """What struct packs for these fields, from the values by name: in field order, each
    converted as its slot says (the fastest way for each shape of message)."""
    get = operator.itemgetter(*(slot.name for slot in slots))
    converts = tuple((i, slot.convert) for i, slot in enumerate(slots) if slot.convert)
    if len(slots) == 1:
        convert = slots[0].convert
        return (lambda v: (convert(get(v)),)) if convert else (lambda v: (get(v),))
    if not converts:
        return get

    def converted(values: dict[str, Any]) -> list[Any]:
        raw = list(get(values))
        for i, convert in converts:
            raw[i] = convert(raw[i])
        return raw

    return converted


@dataclass
class MessageType:
    name: str
    number: int
    slots: dict[str, Slot]

    def plan(self, names: tuple[str, ...]) -> Plan:
        """The layout for values under ``names``."""
        slots = sorted((self.slots[name] for name in names), key=lambda s: s.position)
        for first, second in itertools.pairwise(slots):
            if first.position == second.position:
                raise ValueError(f"{self.name}.{second.name}: its field is already set")
        shape = tuple((slot.number, slot.base) for slot in slots)
        strings = tuple(i for i, slot in enumerate(slots) if not slot.fmt)
        return Plan(self.number, tuple(slots), shape, strings, _values(slots))


@dataclass(frozen=True)
class Profile:
    """The generated message table: what the writer can write, and the layouts it has
    worked out, by message and field names."""

    version: int
    messages: dict[str, MessageType]
    enums: dict[str, dict[str, int]]
    plans: dict[tuple[str, ...], Plan] = field(default_factory=dict)

    def enum(self, type_name: str, value_name: str) -> int:
        return self.enums[type_name][value_name]

    def plan(self, key: tuple[str, ...]) -> Plan:
        """The layout for a message and its field names (``key``: the message, then the
        names), worked out once."""
        found = self.plans.get(key)
        if found is None:
            found = self.plans[key] = self.messages[key[0]].plan(key[1:])
        return found


@cache
def profile() -> Profile:
    text = data.text("fit_messages.json")
    table = json.loads(text)
    messages = {}
    for name, spec in table["messages"].items():
        slots: dict[str, Slot] = {}
        for position, (field_name, number, base, scale, offset) in enumerate(spec["fields"]):
            code, fmt = BASE_TYPES[base]
            convert = _converter(fmt, scale, offset)
            slots[field_name] = Slot(field_name, position, number, code, fmt, convert)
        for sub, (field_name, scale, offset) in spec["subfields"].items():
            main = slots[field_name]
            convert = _converter(main.fmt, scale, offset)
            slots[sub] = Slot(sub, main.position, main.number, main.base, main.fmt, convert)
        messages[name] = MessageType(name, spec["number"], slots)
    return Profile(table["profile_version"], messages, table["enums"])


def fit_time(unix_seconds: int) -> int:
    """A FIT ``date_time``: seconds since 1989-12-31T00:00:00Z."""
    return unix_seconds - FIT_EPOCH


class FitWriter:
    """Collects messages, then gives the file's bytes."""

    def __init__(self) -> None:
        self._profile = profile()
        self._plans = self._profile.plans
        self._body = bytearray()
        # The current definition: a plan it describes, its string sizes and its struct.
        self._plan: Plan | None = None
        self._sizes: tuple[int, ...] = ()
        self._packer: struct.Struct | None = None

    def write(self, message: str, values: dict[str, Any]) -> None:
        """Add one message; ``values`` by field or subfield name (subfields apply their own
        scale), in the units the profile gives; a field not given is not written."""
        key = (message, *values)
        plan = self._plans.get(key) or self._profile.plan(key)
        raw = plan.values(values)
        strings = plan.strings
        if not strings:
            sizes: tuple[int, ...] = ()
        elif len(strings) == 1:
            sizes = (len(raw[strings[0]]) + 1,)
        else:
            sizes = tuple([len(raw[i]) + 1 for i in strings])
        if plan is not self._plan or sizes != self._sizes:
            if not self._fits(plan, sizes):
                self._body += plan.definition(sizes)
                self._packer, self._sizes = plan.packer(sizes), sizes
            self._plan = plan
        assert self._packer is not None
        try:
            self._body += self._packer.pack(0, *raw)
        except struct.error:
            raise ValueError(f"{message}: {_out_of_range(plan, raw)}") from None

    def _fits(self, plan: Plan, sizes: tuple[int, ...]) -> bool:
        """Whether the current definition describes the message: the same message and
        fields, and strings no longer than it gives them."""
        current = self._plan
        if current is None:
            return False
        if plan is not current and (plan.number != current.number or plan.shape != current.shape):
            return False
        return sizes == self._sizes or all(
            new <= old for new, old in zip(sizes, self._sizes, strict=True)
        )

    def file(self) -> bytes:
        """The FIT file: header with CRC, the records, the file's CRC."""
        header = struct.pack(
            "<BBHI4s", 14, PROTOCOL_2_0, self._profile.version, len(self._body), b".FIT"
        )
        header += struct.pack("<H", crc16(header))
        return header + self._body + struct.pack("<H", crc16(self._body, crc16(header)))


def _out_of_range(plan: Plan, raw: Sequence[Any]) -> str:
    """Which value a field cannot hold (out of its range, or no integer)."""
    for slot, value in zip(plan.slots, raw, strict=True):
        if slot.fmt:
            try:
                struct.pack("<" + slot.fmt, value)
            except struct.error:
                return f"{slot.name} {value!r} is out of range or not an integer"
    return "a value is out of range"
