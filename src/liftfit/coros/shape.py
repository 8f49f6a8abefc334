"""What a COROS program must look like, and what it means, offline.

- the program push sends: the exporter's program with liftfit's marker
  ``liftfit:<slug>:<content-hash>`` as the overview's last line (room is kept free for it,
  and for the stored hash the upsert engine may add to it);
- ``fingerprint``: what a program means (name, overview, sport, each row's exercise, target,
  sets, rest and weight), read the same way from the program liftfit sends and the one COROS
  returns, whose extra keys, ids, catalogue texts and number formats ("6" for 6) it ignores;
- ``problems``: COROS's rules (known exercise codes, value ranges, the overview's 300
  characters), checked before anything is sent.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from liftfit.errors import InvalidInput, Problem
from liftfit.exporters.coros import coros_program
from liftfit.exporters.coros_catalogue import RUN, RUN_TEMPLATES, STRENGTH
from liftfit.exporters.coros_overview import MARKER_RESERVE, OVERVIEW_CHARS
from liftfit.ir import LoweredWorkout
from liftfit.upsert import HASH_CHARS, Marker, find_marker, marker_slug, strip_marker

if TYPE_CHECKING:
    from liftfit.api import Compiled

# Sanity ranges for a row (COROS documents none; Training Hub's editor stays well inside).
MAX_SETS = 99
MAX_REPS = 999
MAX_SECONDS = 24 * 3600
MAX_CENTIMETRES = 1_000 * 100_000  # 1,000 km
MAX_GRAMS = 1_000_000  # 1,000 kg
TARGETS = {1, 2, 3, 5}
RESTS = {0, 1, 3}
EXERCISE_TYPES = {1, 2, 3, 4, 5}


def with_marker(overview: str, marker: Marker) -> str:
    return f"{overview}\n{marker}" if overview else str(marker)


def push_program(workout: LoweredWorkout) -> dict[str, Any]:
    """The program ``liftfit coros`` sends: the exporter's, its marker in the overview."""
    slug = marker_slug(workout.slug)
    longest = Marker(slug, "0" * HASH_CHARS, "0" * HASH_CHARS)  # with a stored hash noted
    room = len(str(longest)) + 1
    program = coros_program(workout, reserve=max(room, MARKER_RESERVE))
    marker = Marker(slug, content_hash(program))
    program["overview"] = with_marker(str(program.get("overview") or ""), marker)
    return program


# --- what a program means -----------------------------------------------------------------


def _number(value: Any) -> float | int | str | None:
    """A number however COROS writes it (16000, 16000.0, "16000"); "" stays "" (bodyweight)."""
    if value is None:
        return None
    if value == "":
        return ""
    try:
        number = round(float(value), 3)
    except (TypeError, ValueError):
        return str(value)
    return int(number) if number.is_integer() else number


def _text(value: Any) -> str:
    return str(value or "").replace("\r\n", "\n").strip()


ROW_FIELDS = (
    "exercise",
    "row type",
    "target type",
    "target",
    "sets",
    "rest type",
    "rest",
    "intensity type",
    "intensity",
    "intensity (slow end)",
    "intensity unit",
    "group",
)


def row_signature(row: dict[str, Any], groups: dict[str, int]) -> list[Any]:
    """One row as liftfit means it; equal for the row sent and the row read back."""
    rest_type = _number(row.get("restType"))
    intensity_type = _number(row.get("intensityType")) or 0
    return [
        _text(row.get("name")),
        _number(row.get("exerciseType")),
        _number(row.get("targetType")),
        _number(row.get("targetValue")) or 0,
        _number(row.get("sets")) or 1,
        rest_type,
        _number(row.get("restValue")) if rest_type == 1 else None,
        intensity_type,
        _number(row.get("intensityValue")) if intensity_type else None,
        _number(row.get("intensityValueExtend")) if intensity_type == 3 else None,
        _text(row.get("intensityDisplayUnit")) if intensity_type else None,
        "group" if row.get("isGroup") else groups.get(str(row.get("groupId") or "")),
    ]


def fingerprint(program: dict[str, Any]) -> dict[str, Any]:
    """What a COROS program means, without ids, owners, catalogue texts or the marker."""
    rows = [r for r in program.get("exercises") or [] if isinstance(r, dict)]
    groups = {str(r.get("id")): n for n, r in enumerate(rows, 1) if r.get("isGroup")}
    return {
        "name": _text(program.get("name")),
        "overview": strip_marker(program.get("overview")),
        "sport": _number(program.get("sportType")),
        "rows": [row_signature(row, groups) for row in rows],
    }


def content_hash(program: dict[str, Any]) -> str:
    canonical = json.dumps(
        fingerprint(program), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:HASH_CHARS]


def differences(sent: dict[str, Any], stored: dict[str, Any]) -> list[str]:
    """How the program COROS stored differs from the one sent, in words; [] if it doesn't."""
    want, got = fingerprint(sent), fingerprint(stored)
    found = [
        f"{field} {got[field]!r} instead of {want[field]!r}"
        for field in ("name", "overview", "sport")
        if want[field] != got[field]
    ]
    if find_marker(stored.get("overview")) != find_marker(sent.get("overview")):
        found.append("the liftfit marker in the overview is missing or different")
    if len(want["rows"]) != len(got["rows"]):
        found.append(f"{len(got['rows'])} rows instead of {len(want['rows'])}")
        return found
    for number, (mine, theirs) in enumerate(zip(want["rows"], got["rows"], strict=True), 1):
        for field, a, b in zip(ROW_FIELDS, mine, theirs, strict=True):
            if a != b:
                found.append(f"row {number}: {field} {b!r} instead of {a!r}")
    return found


# --- COROS's rules ------------------------------------------------------------------------


@cache
def known_exercises() -> dict[int, dict[str, str]]:
    """Per sport, the T-codes COROS knows and their catalogue ids (``originId``)."""
    from liftfit.exporters.coros_catalogue import coros_table

    strength = {code: str(facts["originId"]) for code, facts in coros_table().items()}
    run = {code: origin for code, origin, _key, _type in RUN_TEMPLATES.values()}
    return {STRENGTH: strength, RUN: run}


def _whole(value: Any, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def problems(program: dict[str, Any]) -> list[str]:
    """Every way this program breaks COROS's rules; [] when it is fine."""
    found: list[str] = []
    if not _text(program.get("name")):
        found.append("the name is empty")
    overview = str(program.get("overview") or "")
    if len(overview) > OVERVIEW_CHARS:
        found.append(
            f"the overview has {len(overview)} characters, more than COROS's {OVERVIEW_CHARS}"
        )
    sport = program.get("sportType")
    if sport not in (STRENGTH, RUN):
        found.append(f"sportType {sport!r} is not strength (4) or run (1)")
        return found
    rows = program.get("exercises") or []
    if not rows:
        found.append("a program without rows")
    codes = known_exercises()[sport]
    for number, row in enumerate(rows, 1):
        found += [f"row {number}: {p}" for p in _row_problems(row, codes)]
    return found


def _row_problems(row: dict[str, Any], codes: dict[str, str]) -> list[str]:
    found: list[str] = []
    if row.get("isGroup"):
        if not _whole(row.get("sets"), 1, MAX_SETS):
            found.append(f"a repeat of {row.get('sets')!r} rounds (1-{MAX_SETS})")
        return found
    code = row.get("name")
    if code not in codes:
        found.append(f"exercise code {code!r} is not one COROS knows")
    elif str(row.get("originId")) != codes[code]:
        found.append(f"originId {row.get('originId')!r} is not {code}'s ({codes[code]})")
    if row.get("exerciseType") not in EXERCISE_TYPES:
        found.append(f"exerciseType {row.get('exerciseType')!r} is not 1-5")
    target, value = row.get("targetType"), row.get("targetValue")
    limits = {
        2: (1, MAX_SECONDS, "seconds"),
        3: (1, MAX_REPS, "reps"),
        5: (1, MAX_CENTIMETRES, "cm"),
    }
    if target not in TARGETS:
        found.append(f"targetType {target!r} is not 1 (open), 2 (time), 3 (reps) or 5 (distance)")
    elif target in limits:
        low, high, unit = limits[target]
        if not _whole(value, low, high):
            found.append(f"target {value!r} {unit} is outside {low}-{high}")
    if not _whole(row.get("sets"), 1, MAX_SETS):
        found.append(f"{row.get('sets')!r} sets (1-{MAX_SETS})")
    rest = row.get("restType")
    if rest not in RESTS:
        found.append(f"restType {rest!r} is not 0 (manual), 1 (time) or 3 (none)")
    elif rest == 1 and not _whole(row.get("restValue"), 1, MAX_SECONDS):
        found.append(f"rest {row.get('restValue')!r} s is outside 1-{MAX_SECONDS}")
    if row.get("intensityType") == 1:
        weight = row.get("intensityValue")
        if weight != "" and not _whole(weight, 0, MAX_GRAMS):
            found.append(f"weight {weight!r} g is outside 0-{MAX_GRAMS}")
        if str(row.get("intensityDisplayUnit")) not in ("6", "7"):
            found.append(
                f"intensityDisplayUnit {row.get('intensityDisplayUnit')!r} is not kg or lb"
            )
    return found


def checked_programs(compiled: Sequence[Compiled]) -> list[dict[str, Any]]:
    """Each workout's push program; refuses (exit 1, nothing sent) any COROS would refuse."""
    programs = [push_program(item.lowered) for item in compiled]
    trouble = [
        Problem(item.source.path, f"COROS would refuse it: {problem}")
        for item, program in zip(compiled, programs, strict=True)
        for problem in problems(program)
    ]
    if trouble:
        raise InvalidInput(trouble)
    return programs
