"""COROS strength programs (``sportType`` 4), modelled on a real capture of the web app
(``reference/coros/strength-program-add-request.json``): one row per exercise, a ``sets``
block → one row with ``sets`` N and the rest after each set on the row; circuits and repeats
unrolled round by round (COROS strength has no repeat group); notes to the overview.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from liftfit import units
from liftfit.catalogue import Entry
from liftfit.exporters.coros_catalogue import (
    COOL_DOWN,
    INTENSITY_WEIGHT,
    KG,
    LB,
    REST,
    STRENGTH,
    TARGET_OPEN,
    TARGET_REPS,
    TARGET_TIME,
    TRAINING,
    TYPE_COOLDOWN,
    TYPE_REST,
    TYPE_WARMUP,
    WARM_UP,
    coros_code,
    coros_table,
)
from liftfit.exporters.coros_encoder import LABELS, Encoder, target_text
from liftfit.ir import Length, Step
from liftfit.lowering import NOTE_SEPARATOR

# COROS's own estimate in the capture is 4 s a rep plus the rest after every set: 666 s for
# 3×15 + 3×8 + 3×10 with 30 s rest.
REP_SECONDS = 4
STRENGTH_SOURCE_ID = "425868133463670784"
STRENGTH_SOURCE_URL = (
    "https://d31oxp44ddzkyk.cloudfront.net/source/source_default/0/"
    "2fbd46e17bc54bc5873415c9fa767bdc.jpg"
)


@dataclass
class _Work:
    """One row's work: a step, or a left/right pair done as one row, ``sets`` times."""

    step: Step
    right: Step | None = None
    sets: int = 1


@dataclass
class _Row:
    code: str
    exercise_type: int
    target_type: int
    target_value: int
    sets: int = 1
    rest: Length | None = None
    weight_kg: float | None = None
    weight_unit: str | None = None
    bodyweight: bool = False
    is_rest_row: bool = False


def _units(steps: Sequence[Step], sets: int = 1) -> list[_Work | Step]:
    """Steps as rows' work (left+right pairs joined) and the rest steps between them."""
    out: list[_Work | Step] = []
    i = 0
    while i < len(steps):
        step = steps[i]
        after = steps[i + 1] if i + 1 < len(steps) else None
        if step.role == "rest":
            out.append(step)
            i += 1
        elif (
            step.side == "left"
            and after is not None
            and after.side == "right"
            and after.exercise == step.exercise
        ):
            out.append(_Work(step, after, sets))
            i += 2
        else:
            out.append(_Work(step, None, sets))
            i += 1
    return out


# What a COROS row cannot show, first in the overview: the top of a range is the row's count,
# the range itself is in the overview (a range of sets or rest with the user's notes, after).
_ROW_HIDES = ("side", "dose", "load", "weight", "rpe", "rir")


def _cue_parts(step: Step) -> tuple[list[str], list[str]]:
    """The step's notes as (what the row cannot show, the rest), without the exercise name
    and the Left/Right that lowering writes for FIT's sake (a row's label says both)."""
    essential: list[str] = []
    extra: list[str] = []
    for cue in step.cues:
        if cue.kind == "name" or (cue.kind == "side" and cue.text in ("Left", "Right")):
            continue
        (essential if cue.kind in _ROW_HIDES else extra).append(cue.text)
    return essential, extra


@dataclass
class StrengthEncoder(Encoder):
    def strength_sequence(self) -> list[_Work | Step]:
        sequence: list[_Work | Step] = []
        pending: list[Step] = []
        for item in self.workout.items:
            if isinstance(item, Step):
                pending.append(item)
                continue
            sequence += _units(pending)
            pending = []
            units_ = _units(item.steps)
            works = [u for u in units_ if isinstance(u, _Work)]
            if item.kind == "sets" and len(works) == 1 and units_[0] is works[0]:
                works[0].sets = item.count
                sequence += units_
            else:
                for _ in range(item.count):
                    sequence += _units(item.steps)
        return sequence + _units(pending)

    def program(self) -> dict[str, Any]:
        rows: list[_Row] = []
        for unit in self.strength_sequence():
            if isinstance(unit, Step):
                last = rows[-1] if rows else None
                if last is not None and last.rest is None and not last.is_rest_row:
                    last.rest = unit.length
                else:
                    rows.append(self.rest_row(unit.length))
            else:
                rows.append(self.strength_row(unit))
        exercises = [self.strength_json(row, index) for index, row in enumerate(rows, 1)]
        total_sets = sum(row.sets for row in rows)
        duration = sum(row.sets * (self.work_seconds(row) + self.rest_seconds(row)) for row in rows)
        return {
            "access": 1,
            "authorId": "0",
            "createTimestamp": 0,
            "distance": "0",
            "duration": duration,
            "essence": 0,
            "estimatedType": 0,
            "estimatedValue": 0,
            "exerciseNum": 0,
            "exercises": exercises,
            "headPic": "",
            "id": "0",
            "idInPlan": "0",
            "name": self.workout.name,
            "nickname": "",
            "originEssence": 0,
            "overview": self.overview(),
            "pbVersion": 2,
            "planIdIndex": 0,
            "poolLength": 2500,
            "profile": "",
            "referExercise": {"intensityType": 1, "hrType": 0, "valueType": 1},
            "sex": 0,
            "shareUrl": "",
            "simple": False,
            "sourceUrl": STRENGTH_SOURCE_URL,
            "sportType": STRENGTH,
            "star": 0,
            "subType": 65535,
            "targetType": 0,
            "targetValue": 0,
            "thirdPartyId": 0,
            "totalSets": total_sets,
            "trainingLoad": 0,
            "type": 0,
            "unit": 0,
            "userId": "0",
            "version": 0,
            "videoCoverUrl": "",
            "videoUrl": "",
            "fastIntensityTypeName": "weight",
            "poolLengthId": 1,
            "poolLengthUnit": 2,
            "sourceId": STRENGTH_SOURCE_ID,
            "sets": total_sets,
            "pitch": 0,
        }

    def rest_row(self, length: Length) -> _Row:
        if length.kind == "time":
            return _Row(REST, TYPE_REST, TARGET_TIME, length.seconds, is_rest_row=True)
        return _Row(REST, TYPE_REST, TARGET_OPEN, 0, is_rest_row=True)

    def code_for(self, step: Step) -> str:
        entry = step.exercise
        if entry is None:
            return {"warmup": WARM_UP, "cooldown": COOL_DOWN}.get(step.intensity, REST)
        code, nearest = coros_code(entry)
        if code == TRAINING:
            self.warn(
                f"{entry.name}: nothing close in COROS's catalogue; sent as {TRAINING} "
                "Training with the real name in the program overview"
            )
        elif nearest and entry.like is None:  # lowering's note tells of one's own exercises
            self.warn(
                f"{entry.name}: not in COROS's catalogue; sent as {code} "
                f"{coros_table()[code]['name']} with the real name in the program overview"
            )
        return code

    @staticmethod
    def plain_label(step: Step) -> str:
        return step.exercise.name if step.exercise else LABELS.get(step.intensity, "Step")

    def label(self, step: Step, code: str | None) -> str:
        entry: Entry | None = step.exercise
        if entry is None:
            return LABELS.get(step.intensity, "Step")
        if code is not None and (coros_code(entry)[1] or entry.like is not None):
            return f"{entry.name} (as {coros_table()[code]['name']})"
        return entry.name

    def strength_row(self, work: _Work) -> _Row:
        step, right = work.step, work.right
        code = self.code_for(step)
        facts = coros_table()[code]
        if step.intensity == "warmup":
            exercise_type = TYPE_WARMUP
        elif step.intensity == "cooldown":
            exercise_type = TYPE_COOLDOWN
        elif step.intensity in ("rest", "recovery"):
            exercise_type = TYPE_REST
        else:
            exercise_type = int(facts["exerciseType"])
        parts: list[str | None] = []
        length = step.length
        if length.kind == "reps":
            target_type, target_value = TARGET_REPS, int(length.value)
        elif length.kind == "time":
            target_type, target_value = TARGET_TIME, length.seconds
            if right is not None:
                parts.append(f"{units.format_duration(length.seconds)} each side")
                target_value += right.length.seconds
        else:
            target_type, target_value = TARGET_OPEN, 0
            if length.kind == "distance":
                parts.append(units.format_distance(length.value))
                self.warn(
                    f"{self.label(step, code)}: {units.format_distance(length.value)} sent as "
                    "an open (Lap) row: COROS strength rows have no distance target"
                )
        extra: list[str | None] = []
        if right is not None:
            if length.kind != "time":
                parts.append("each side")
            left, right_parts = _cue_parts(step), _cue_parts(right)
            if left == right_parts:
                parts += left[0]
                extra += left[1]
            else:
                extra += [
                    f"left: {NOTE_SEPARATOR.join(left[0] + left[1])}",
                    f"right: {NOTE_SEPARATOR.join(right_parts[0] + right_parts[1])}",
                ]
            self.warn(
                f"{self.label(step, code)}: left and right sent as one COROS row "
                "(COROS has no sides; 'each side' is in the program overview)"
            )
        else:
            essential, rest = _cue_parts(step)
            parts += essential
            extra += rest
        target = target_text(step.target)
        if target:
            parts.insert(0, target)
        label = self.label(step, code)
        self.line(label, parts, extra, always=label != self.plain_label(step))
        return _Row(
            code,
            exercise_type,
            target_type,
            target_value,
            sets=work.sets,
            weight_kg=step.weight_kg,
            weight_unit=step.weight_unit,
            bodyweight=any(c.kind == "load" and c.text == "bodyweight" for c in step.cues),
            is_rest_row=exercise_type == TYPE_REST,
        )

    @staticmethod
    def work_seconds(row: _Row) -> int:
        if row.target_type == TARGET_REPS:
            return row.target_value * REP_SECONDS
        return row.target_value if row.target_type == TARGET_TIME else 0

    @staticmethod
    def rest_seconds(row: _Row) -> int:
        return row.rest.seconds if row.rest is not None else 0

    def strength_json(self, row: _Row, index: int) -> dict[str, Any]:
        facts = coros_table()[row.code]
        rest_type, rest_value = self.rest_fields(row.rest)
        # An explicit `load: bodyweight` as FORMATS.md §3 reports the app writes it; no load
        # at all as the captured web app saves a row whose weight was left alone (0).
        intensity_value: int | str
        if row.weight_kg is not None:
            intensity_type, intensity_value = INTENSITY_WEIGHT, round(row.weight_kg * 1000)
        elif row.bodyweight:
            intensity_type, intensity_value = INTENSITY_WEIGHT, ""
        else:
            intensity_type, intensity_value = int(facts["intensityType"]), 0
        return {
            "access": 0,
            "animationId": int(facts.get("animationId", 0)),
            "createTimestamp": 0,
            "defaultOrder": 0,
            "equipment": list(facts["equipment"]),
            "exerciseType": row.exercise_type,
            "id": index,
            "intensityCustom": 1 if row.bodyweight else 0,
            "intensityType": intensity_type,
            "intensityValue": intensity_value,
            "isDefaultAdd": 0,
            "isGroup": False,
            "isIntensityPercent": False,
            "muscle": list(facts["muscle"]),
            "muscleRelevance": list(facts["muscleRelevance"]),
            "name": row.code,
            "overview": facts["overview"],
            "part": list(facts["part"]),
            "restType": rest_type,
            "restValue": rest_value,
            "sets": row.sets,
            "sortNo": index,
            "sportType": STRENGTH,
            "status": 1,
            "targetType": row.target_type,
            "targetValue": row.target_value,
            "userId": 0,
            "nameText": facts["name"],
            "groupId": "",
            "originId": facts["originId"],
            "targetDisplayUnit": 0,
            "hrType": 0,
            "intensityValueExtend": 0,
            "intensityMultiplier": 0,
            "intensityPercent": 0,
            "intensityPercentExtend": 0,
            "intensityDisplayUnit": LB if row.weight_unit == "lb" else KG,
        }
