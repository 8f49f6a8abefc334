"""Reading back what lowering wrote into a step's notes: ranges, each side, loads, RPE, RIR,
tempo, and the ``Left · `` / ``Right · `` prefix of a split pair."""

from __future__ import annotations

import re
from collections.abc import Callable

from liftfit import units
from liftfit.importer.common import YamlStep, _duration, _number
from liftfit.lowering import NOTE_SEPARATOR

_RANGE_NOTE = re.compile(r"^(\d+)-(\d+) reps$")
_SETS_NOTE = re.compile(r"^(\d+)-(\d+) sets$")
_AT_LEAST_NOTE = re.compile(r"^(\d+)\+ reps$")
_PERCENT_RANGE_NOTE = re.compile(r"^\d+(?:\.\d+)?-\d+(?:\.\d+)?% 1RM$")
_WEIGHT_RANGE_NOTE = re.compile(r"^\d+(?:\.\d+)?-\d+(?:\.\d+)? (?:kg|lb)$")
_REST_NOTE = re.compile(r"^rest (\S+)$")
_EACH_SIDE = re.compile(r"^(.+) each side$")
_PERCENT_NOTE = re.compile(r"^(\d+(?:\.\d+)?)% 1RM$")
_RPE_NOTE = re.compile(r"^RPE (\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$")
_RIR_NOTE = re.compile(r"^RIR (\d{1,2})(?:-(\d{1,2}))?$")
_TEMPO_NOTE = re.compile(r"^tempo (\S(?:.{0,18}\S)?)$")


def _parse_notes(
    parts: list[str],
    length: YamlStep,
    *,
    has_load: bool,
    split: bool,
    sets: int | None = None,
    rest: str = "none",
) -> tuple[YamlStep, list[str]] | None:
    """The fields lowering wrote into the notes, read back in its order; None if none.

    What it reads is a guess that the caller checks by lowering it again; a range of sets or
    rest is read only where the file's own count or rest is the range's top."""
    fields: YamlStep = dict(length)
    i = 0

    def at(pattern: re.Pattern[str]) -> re.Match[str] | None:
        return pattern.match(parts[i]) if i < len(parts) else None

    if sets is not None and (match := at(_SETS_NOTE)) and int(match.group(2)) == sets:
        fields["sets"] = f"{match.group(1)}-{match.group(2)}"
        i += 1
    if "reps" in length and (match := at(_RANGE_NOTE)):
        low, high = int(match.group(1)), int(match.group(2))
        if 1 <= low < high == length["reps"]:
            fields["reps"] = f"{low}-{high}"
            i += 1
    elif "open" in length and i < len(parts) and (parts[i] == "AMRAP" or at(_AT_LEAST_NOTE)):
        del fields["open"]
        fields["reps"] = parts[i].removesuffix(" reps")
        i += 1
    elif ("hold" in length or "distance" in length) and i < len(parts):
        key = "hold" if "hold" in length else "distance"
        if _parses_to(parts[i], lambda s: "-" in s and str(_span(key, s)).endswith(length[key])):
            fields[key] = parts[i]
            i += 1
    if not split and i < len(parts):
        if "hold" in length:
            match = at(_EACH_SIDE)
            hold = units.parse_duration(length["hold"])
            if match and _parses_to(match.group(1), lambda s: units.parse_duration(s) * 2 == hold):
                fields["hold"] = _duration(units.parse_duration(match.group(1)))
                fields["per_side"] = True
                i += 1
        elif parts[i] == "each side":
            fields["per_side"] = True
            i += 1
    if not has_load and i < len(parts):
        if parts[i] == "bodyweight":
            fields["load"] = "bodyweight"
            i += 1
        elif ((match := at(_PERCENT_NOTE)) and 0 < float(match.group(1)) <= 150) or at(
            _PERCENT_RANGE_NOTE
        ):
            fields["load"] = parts[i]
            i += 1
    if at(_WEIGHT_RANGE_NOTE):
        fields["load"] = parts[i]
        i += 1
    if match := at(_RPE_NOTE):
        low_text, high_text = match.group(1), match.group(2)
        fields["rpe"] = f"{low_text}-{high_text}" if high_text else _number(low_text)
        i += 1
    if (match := at(_RIR_NOTE)) and int(match.group(1)) <= 10:
        fields["rir"] = (
            f"{match.group(1)}-{match.group(2)}" if match.group(2) else int(match.group(1))
        )
        i += 1
    if match := at(_TEMPO_NOTE):
        fields["tempo"] = match.group(1)
        i += 1
    if (match := at(_REST_NOTE)) and _tops(match.group(1), rest):
        fields["rest"] = match.group(1)
        i += 1
    if i == 0:
        return None
    return fields, parts[i:]


def _tops(written: str, rest: str) -> bool:
    """Whether ``written`` is a range of rest (``2-3min``) whose top is the file's ``rest``."""
    return (
        "-" in written
        and rest not in ("none", "lap")
        and _parses_to(
            written,
            lambda s: units.parse_duration_span(s).seconds == units.parse_duration(rest),
        )
    )


def _span(key: str, text: str) -> units.Span | None:
    return units.parse_duration_span(text) if key == "hold" else units.parse_distance_span(text)


def _parses_to(text: str, check: Callable[[str], bool]) -> bool:
    try:
        return check(text)
    except ValueError:
        return False


def _side_rest(notes: str | None, side: str) -> str | None:
    """The notes after lowering's ``Left · `` / ``Right · `` prefix ("" when only the side)."""
    if notes == side:
        return ""
    prefix = side + NOTE_SEPARATOR
    if notes and notes.startswith(prefix):
        return notes[len(prefix) :]
    return None
