"""Pulling workouts from Garmin Connect into workout files: the importer, fed Connect's steps.

``liftfit.importer`` already turns decoded workout steps into the workout file a person would
write (sets, circuits, repeats, rests, weights, notes, targets), and reports every step that
will come back different. Its input is the neutral step list ``fitread`` decodes (FIT's raw
values), so a Connect workout is translated into that list here, field by field, and handed
to it; there is one "steps → workout file" path in liftfit, not two:

- a ``RepeatGroupDTO`` → its children, then a repeat step back to the first of them with the
  group's ``numberOfIterations`` (FIT's layout: the importer finds sets, circuits, repeats);
- ``stepType`` → intensity (interval → active, as liftfit's own exporter writes it back);
- ``endCondition`` → duration: time (s → ms), distance (m → cm), reps, lap button → open;
- ``targetType`` → target: heart-rate zone, pace/speed range (m/s × 1000), power, cadence;
- ``category`` / ``exerciseName`` → FIT's (category, name) numbers, through the catalogue's
  FIT keys spelled as Connect spells them (``exporters.garmin_connect.connect_name``, the
  forward mapping, inverted); a generic exercise (``exerciseName`` "", or the category's own
  name where FIT has no such name) is the category alone, which the importer writes as
  ``<category>/any``;
- ``weightValue`` in its ``weightUnit`` → kg × 100 with that display unit (0 = no weight);
- ``description`` → the step's notes; the workout's description → the file's ``description``,
  without liftfit's marker.
What the list cannot hold (an end by calories or heart rate, an unknown exercise name) is
written as close as it can be and said in a note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from liftfit.catalogue import catalogue
from liftfit.errors import InvalidInput, Problem
from liftfit.exporters.garmin_connect import connect_name
from liftfit.fitread import FitStep, FitWorkoutFile
from liftfit.importer import Imported, import_workout, workout_yaml
from liftfit.lowering import NOTE_SEPARATOR, slugify
from liftfit.model import Workout
from liftfit.units import LB_IN_KG
from liftfit.upsert import find_marker, strip_marker

# FIT values (FORMATS.md §1), as ``fitread`` reports them
_SPORT = {"strength_training": (10, 20), "running": (1, None)}  # sport, sub_sport
_INTENSITY = {
    "interval": 0,  # active: what liftfit's exporter sends as interval
    "rest": 1,
    "warmup": 2,
    "cooldown": 3,
    "recovery": 4,
    "other": 6,
}
_TIME, _DISTANCE, _OPEN, _REPEAT, _REPS = 0, 1, 5, 6, 29
_TARGET_SPEED, _TARGET_HR, _TARGET_OPEN, _TARGET_CADENCE, _TARGET_POWER = 0, 1, 2, 3, 4
_HR_BPM_OFFSET, _POWER_WATTS_OFFSET = 100, 1000
_KG, _LB = 1, 2
_WORKOUT_FILE = 5
_SIDES = ("Left", "Right")  # how lowering starts the notes of per_side: split's steps


@dataclass(frozen=True)
class Pulled:
    """A Connect workout as a workout file: its slug, the YAML, and what comes back different."""

    workout_id: int
    name: str
    slug: str
    yaml_text: str
    notes: tuple[str, ...]
    imported: Imported


@dataclass
class _Translation:
    """Connect's steps as FIT's raw step values, and what could not be carried over."""

    steps: list[FitStep] = field(default_factory=list)
    orders: list[int] = field(default_factory=list)  # each step's Connect ``stepOrder``
    notes: list[str] = field(default_factory=list)

    def renumbered(self, note: str) -> str:
        """An importer note with Connect's step numbers (``stepOrder``) for FIT's indexes."""

        def order(match: re.Match[str]) -> str:
            index = int(match.group(0))
            return str(self.orders[index]) if 0 <= index < len(self.orders) else match.group(0)

        head = _NOTE_STEPS.match(note)
        if head is None:
            return note
        return _NUMBER.sub(order, head.group(0)) + note[head.end() :]


_NOTE_STEPS = re.compile(r"^steps? \d+(?:-\d+)?")
_NUMBER = re.compile(r"\d+")


def is_pullable(summary: dict[str, Any]) -> str | None:
    """Why a listed workout cannot be pulled (None if it can): a sport liftfit has not."""
    sport = _key(summary.get("sportType"), "sportTypeKey")
    if sport not in _SPORT:
        return f"a {sport or 'sportless'} workout: liftfit writes strength and run workouts"
    return None


def pushed_by_liftfit(summary: dict[str, Any]) -> str | None:
    """The file a workout was pushed from (its marker's slug), if liftfit pushed it."""
    marker = find_marker(summary.get("description"))
    return marker.slug if marker is not None else None


def pull_workout(workout: dict[str, Any]) -> Pulled:
    """The workout file for one Connect workout (as ``get_workout_by_id`` returns it)."""
    workout_id = workout.get("workoutId")
    source = f"Garmin Connect workout {workout_id}"
    if not isinstance(workout_id, int):
        raise InvalidInput([Problem(source, "not a workout liftfit can read: no workout id")])
    name = str(workout.get("workoutName") or "").strip()
    try:
        translation = translate(workout)
    except (AttributeError, TypeError, ValueError, KeyError) as error:
        # Connect's JSON in a shape this reader does not know (a list for a step, a text
        # for a number): this one workout cannot be read; the others still can.
        raise InvalidInput(
            [Problem(source, f"not a workout liftfit can read ({type(error).__name__}: {error})")]
        ) from error
    sport, sub_sport = _SPORT.get(
        (workout.get("sportType") or {}).get("sportTypeKey") or "", (None, None)
    )
    fit = FitWorkoutFile(
        source=source,
        header_size=0,
        protocol_version="",
        profile_version=0,
        file_type=_WORKOUT_FILE,
        manufacturer=None,
        product=None,
        serial_number=None,
        time_created=None,
        name=name or None,
        sport=sport,
        sub_sport=sub_sport,
        num_valid_steps=None,
        steps=tuple(translation.steps),
    )
    imported = import_workout(fit)
    document = dict(imported.workout)
    description = strip_marker(workout.get("description"))
    if description:
        document = {"name": document["name"], "description": description, **document}
    Workout.model_validate(document)  # the file must load as written
    header = (
        f"# Pulled from Garmin Connect (workout {workout_id}"
        + (f", updated {workout['updatedDate']}" if workout.get("updatedDate") else "")
        + ") by liftfit garmin pull.\n"
    )
    return Pulled(
        workout_id=workout_id,
        name=name,
        slug=slugify(name) if name else f"connect-{workout_id}",
        yaml_text=header + workout_yaml(document),
        notes=(*translation.notes, *map(translation.renumbered, imported.notes)),
        imported=imported,
    )


# --- Connect's steps → FIT's raw step values ----------------------------------------------


def translate(workout: dict[str, Any]) -> _Translation:
    """Every step of every segment, repeat groups after their children, as FIT lays them out."""
    out = _Translation()
    segments = workout.get("workoutSegments") or []
    if len(segments) > 1:
        out.notes.append(f"{len(segments)} segments: their steps are read one after the other")
    for segment in segments:
        _add(out, segment.get("workoutSteps") or [])
    return out


def _add(out: _Translation, steps: Iterable[dict[str, Any]]) -> None:
    for step in sorted(steps, key=lambda s: s.get("stepOrder") or 0):
        if step.get("type") == "RepeatGroupDTO":
            first = len(out.steps)
            _add(out, step.get("workoutSteps") or [])
            rounds = step.get("numberOfIterations") or step.get("endConditionValue")
            if len(out.steps) == first:
                out.notes.append(f"step {step.get('stepOrder')}: an empty repeat group, left out")
                continue
            out.steps.append(
                FitStep(
                    message_index=len(out.steps),
                    duration_type=_REPEAT,
                    duration_value=first,
                    target_value=int(rounds) if isinstance(rounds, int | float) else None,
                )
            )
        else:
            out.steps.append(_step(step, len(out.steps), out.notes))
        out.orders.append(int(step.get("stepOrder") or 0))


def _key(obj: Any, name: str) -> Any:
    return obj.get(name) if isinstance(obj, dict) else None


def _step(step: dict[str, Any], index: int, notes: list[str]) -> FitStep:
    where = f"step {step.get('stepOrder')}"
    kind = _key(step.get("stepType"), "stepTypeKey")
    intensity = _INTENSITY.get(kind or "", 0)
    if kind not in _INTENSITY:
        notes.append(f"{where}: step type {kind!r} read as an active step")
    duration_type, duration_value = _duration(step, where, notes)
    target = _target(step, where, notes)
    category, name = _exercise(step, where, notes)
    weight, unit = _weight(step)
    text = str(step.get("description") or "").replace("\r\n", "\n").strip()
    if category is not None and name is None:
        category, name, text = _named_in_notes(category, text)
    return FitStep(
        message_index=index,
        duration_type=duration_type,
        duration_value=duration_value,
        target_type=target[0],
        target_value=target[1],
        custom_target_value_low=target[2],
        custom_target_value_high=target[3],
        intensity=intensity,
        notes=text or None,
        exercise_category=category,
        exercise_name=name,
        exercise_weight=weight,
        weight_display_unit=unit,
    )


def _duration(step: dict[str, Any], where: str, notes: list[str]) -> tuple[int, int | None]:
    end = _key(step.get("endCondition"), "conditionTypeKey")
    value = step.get("endConditionValue")
    number = float(value) if isinstance(value, int | float) and value > 0 else None
    if end == "lap.button":
        return _OPEN, None
    if end == "time" and number is not None:
        return _TIME, round(number * 1000)
    if end == "distance" and number is not None:
        return _DISTANCE, round(number * 100)
    if end == "reps" and number is not None:
        return _REPS, round(number)
    notes.append(f"{where}: it ends by {end or 'nothing'}: written as until Lap is pressed")
    return _OPEN, None


def _target(
    step: dict[str, Any], where: str, notes: list[str]
) -> tuple[int, int, int | None, int | None]:
    kind = _key(step.get("targetType"), "workoutTargetTypeKey")
    zone = _int(step.get("zoneNumber"))
    one, two = _float(step.get("targetValueOne")), _float(step.get("targetValueTwo"))
    if kind in (None, "no.target"):
        return _TARGET_OPEN, 0, None, None
    if kind == "heart.rate.zone":
        if zone:
            return _TARGET_HR, zone, None, None
        if one and two:  # beats per minute
            low, high = sorted((round(one), round(two)))
            return _TARGET_HR, 0, low + _HR_BPM_OFFSET, high + _HR_BPM_OFFSET
    if kind in ("pace.zone", "speed.zone") and one and two:  # metres per second
        low, high = sorted((round(one * 1000), round(two * 1000)))
        return _TARGET_SPEED, 0, low, high
    if kind == "power.zone":
        if zone:
            return _TARGET_POWER, zone, None, None
        if one and two:  # watts
            low, high = sorted((round(one), round(two)))
            return _TARGET_POWER, 0, low + _POWER_WATTS_OFFSET, high + _POWER_WATTS_OFFSET
    if kind == "cadence" and one and two:
        low, high = sorted((round(one), round(two)))
        return _TARGET_CADENCE, 0, low, high
    notes.append(f"{where}: target {kind!r} left out")
    return _TARGET_OPEN, 0, None, None


@cache
def _fit_exercises() -> tuple[dict[str, int], dict[tuple[str, str], tuple[int, int]]]:
    """Connect's spellings of FIT's categories and (category, name) pairs → FIT's numbers."""
    categories: dict[str, int] = {}
    pairs: dict[tuple[str, str], tuple[int, int]] = {}
    book = catalogue()
    for entry in (*book.curated, *book.fit_taxonomy):
        category = connect_name(entry.fit_category_key)
        categories.setdefault(category, entry.fit_category)
        if entry.fit_name_key is not None and entry.fit_name is not None and not entry.fit_nearest:
            pairs.setdefault(
                (category, connect_name(entry.fit_name_key)), (entry.fit_category, entry.fit_name)
            )
    return categories, pairs


def _exercise(step: dict[str, Any], where: str, notes: list[str]) -> tuple[int | None, int | None]:
    category, name = step.get("category"), step.get("exerciseName")
    if not category:
        return None, None
    categories, pairs = _fit_exercises()
    if category not in categories:
        notes.append(f"{where}: exercise category {category} is not in FIT's list: left out")
        return None, None
    if not name:  # a generic exercise of the category
        return categories[category], None
    pair = pairs.get((category, name))
    if pair is not None:
        return pair
    if name != category:  # Connect's editor names some generic exercises after the category
        notes.append(f"{where}: {category}/{name} is not in FIT's list: its category only")
    return categories[category], None


def _named_in_notes(category: int, text: str) -> tuple[int, int | None, str]:
    """A generic exercise whose notes start with an exercise's name: that exercise.

    liftfit's exporter sends an exercise Connect's editor does not list as its category
    alone, its name leading the description (``Pogo Hop · …``); this reads it back. The name
    stays in the notes of an exercise whose FIT code is only the nearest one (lowering puts
    it there too), and leaves the others'.
    """
    parts = text.split(NOTE_SEPARATOR)
    at = 1 if parts[0] in _SIDES and len(parts) > 1 else 0  # per_side: split's two steps
    entry = catalogue().find(parts[at]) if parts[at] else None
    if entry is None or entry.name != parts[at]:
        return category, None, text
    if entry.fit_category != category or entry.fit_name is None:
        return category, None, text
    if not entry.fit_nearest:
        del parts[at]
    return category, entry.fit_name, NOTE_SEPARATOR.join(parts)


def _weight(step: dict[str, Any]) -> tuple[int | None, int | None]:
    value = _float(step.get("weightValue"))
    if not value or value <= 0:  # Connect writes 0.0 for "no weight"
        return None, None
    if _key(step.get("weightUnit"), "unitKey") == "pound":
        return round(value * LB_IN_KG * 100), _LB
    return round(value * 100), _KG


def _int(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _float(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def file_names(pulled: Iterable[Pulled]) -> Iterator[tuple[Pulled, str]]:
    """Each workout with its file's stem: its slug, or ``<slug>-<id>`` after the first."""
    taken: set[str] = set()
    for item in sorted(pulled, key=lambda p: p.workout_id):
        stem = item.slug if item.slug not in taken else f"{item.slug}-{item.workout_id}"
        taken.add(stem)
        yield item, stem
