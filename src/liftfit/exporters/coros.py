"""COROS programs: the JSON COROS Training Hub itself saves (FORMATS.md §3, docs/coros.md).

COROS imports no workout file. Its web and phone apps save a workout as a "program" object
(``POST /training/program/add``); this module writes that object, so any tool that posts it
(or a person pasting it into a request) can put the workout in the user's library.

Strength (``sportType`` 4) is modelled on a real capture of the web app
(``reference/coros/strength-program-add-request.json``): one row per exercise, a ``sets``
block → one row with ``sets`` N and the rest after each set on the row; circuits and repeats
are unrolled round by round (COROS strength has no repeat group). COROS rows carry no text,
so notes (RPE, per side, cues, real names of nearest exercises) go to the program
``overview`` as lines ``Exercise: notes``.

Runs (``sportType`` 1) follow the run program of ``reference/coros/schedule-update-request.json``
and community tools: distances in centimetres, repeats as a group row (``exerciseType`` 5,
``isGroup``) with its steps pointing at it by ``groupId``. Less certain; see docs/coros.md.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from liftfit import units
from liftfit.catalogue import Entry, normalise
from liftfit.exporters import Output
from liftfit.exporters.coros_overview import MARKER_RESERVE, OVERVIEW_CHARS, Line, layout
from liftfit.ir import Block, Length, LoweredWorkout, Step, Target
from liftfit.lowering import NOTE_SEPARATOR

STRENGTH = 4
RUN = 1
__all__ = ["OVERVIEW_CHARS", "coros_output", "coros_program", "coros_table"]
# COROS's own estimate in the capture is 4 s a rep plus the rest after every set: 666 s for
# 3×15 + 3×8 + 3×10 with 30 s rest.
REP_SECONDS = 4

WARM_UP, TRAINING, COOL_DOWN, REST = "T1120", "T1121", "T1122", "T1123"
# exerciseType
TYPE_WARMUP, TYPE_TRAINING, TYPE_COOLDOWN, TYPE_REST, TYPE_GROUP = 1, 2, 3, 4, 5
# targetType
TARGET_NOT_SET, TARGET_OPEN, TARGET_TIME, TARGET_REPS, TARGET_DISTANCE = 0, 1, 2, 3, 5
# restType
REST_MANUAL, REST_TIME, REST_NONE = 0, 1, 3
# intensityType
INTENSITY_NONE, INTENSITY_WEIGHT, INTENSITY_PACE = 0, 1, 3
KG, LB = "6", "7"  # intensityDisplayUnit (strength: a string, as the web app sends it)
PACE_MIN_PER_KM = 1  # intensityDisplayUnit for pace (an int in run programs)
KM = 1  # targetDisplayUnit / distanceDisplayUnit for distances
SORT_STEP, SORT_CHILD = 16_777_216, 65_536  # sortNo spacing of run rows and group children
STRENGTH_SOURCE_ID = "425868133463670784"
STRENGTH_SOURCE_URL = (
    "https://d31oxp44ddzkyk.cloudfront.net/source/source_default/0/"
    "2fbd46e17bc54bc5873415c9fa767bdc.jpg"
)

# The run catalogue (sportType 1) is not in the strength CSV; these three templates are the
# ones community tools send and report working (docs/coros.md says how sure that is).
RUN_TEMPLATES: dict[str, tuple[str, str, str, int]] = {
    "warmup": ("T1120", "425895398452936705", "sid_run_warm_up_dist", TYPE_WARMUP),
    "training": ("T3001", "426109589008859136", "sid_run_training", TYPE_TRAINING),
    "cooldown": ("T1122", "425895456971866112", "sid_run_cool_down_dist", TYPE_COOLDOWN),
}
_LABELS = {
    "warmup": "Warm-Up",
    "cooldown": "Cool-Down",
    "recovery": "Recover",
    "rest": "Rest",
    "active": "Run",
    "interval": "Run",
}


@cache
def fit_map() -> dict[str, dict[str, str]]:
    """FIT category → name (``any``: the category alone) → the nearest COROS T-code
    (``data/coros_map.yaml``, made by ``scripts/coros_map.py``; T1121 where none is close)."""
    import yaml

    text = resources.files("liftfit.data").joinpath("coros_map.yaml").read_text("utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    table: dict[str, dict[str, str]] = yaml.load(text, Loader=loader)
    return table


def coros_code(entry: Entry) -> tuple[str, bool]:
    """The COROS exercise for a catalogue entry, and whether it is only the nearest one."""
    if entry.coros is not None:
        return entry.coros, entry.coros_nearest
    code = fit_map()[entry.fit_category_key][entry.fit_name_key or "any"]
    same = normalise(coros_table()[code]["name"]) in (
        normalise(entry.name),
        normalise(entry.name) + "s",
    )
    return code, not same


@cache
def coros_table() -> dict[str, dict[str, Any]]:
    """T-code → COROS facts (``data/coros.yaml``, made by ``scripts/coros_table.py``)."""
    import yaml

    text = resources.files("liftfit.data").joinpath("coros.yaml").read_text("utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    table: dict[str, dict[str, Any]] = yaml.load(text, Loader=loader)
    return table


def coros_program(workout: LoweredWorkout, *, reserve: int = MARKER_RESERVE) -> dict[str, Any]:
    """The program object COROS Training Hub saves for this workout.

    ``reserve``: characters of the overview kept free (``liftfit coros`` adds its marker).
    """
    return _Encoder(workout, reserve=reserve).program()


def coros_output(workout: LoweredWorkout) -> Output:
    """The program as JSON (UTF-8, indented, keys in the web app's order, newline-terminated)."""
    encoder = _Encoder(workout)
    program = encoder.program()
    text = json.dumps(program, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    return Output(text.encode("utf-8"), tuple(encoder.warnings))


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


def _without(notes: str | None, word: str) -> str:
    """``notes`` without a leading ``word`` (and its separator).

    Lowering starts the notes of a split pair with "Left"/"Right", and those of an exercise
    FIT lacks with its name; in the overview the line's label already says both.
    """
    text = notes or ""
    if text == word:
        return ""
    if text.startswith(word + NOTE_SEPARATOR):
        return text[len(word + NOTE_SEPARATOR) :]
    return text


_ROW_HIDES = ("side", "reps", "load", "rpe", "rir")  # what a COROS row cannot show


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


def _pace(target: Target) -> str:
    """A speed range in m/s as ``m:ss-m:ss/km``."""

    def per_km(speed: float) -> str:
        seconds = round(1000 / speed)
        return f"{seconds // 60}:{seconds % 60:02d}"

    fast, slow = per_km(target.high), per_km(target.low)
    return f"{fast}/km" if fast == slow else f"{fast}-{slow}/km"


def _target_text(target: Target | None) -> str | None:
    if target is None:
        return None
    if target.kind == "hr_zone":
        return f"HR zone {target.zone}"
    return _pace(target)


@dataclass
class _Encoder:
    workout: LoweredWorkout
    reserve: int = MARKER_RESERVE
    warnings: list[str] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    def line(
        self,
        label: str,
        parts: Sequence[str | None],
        extra: Sequence[str | None] = (),
        *,
        always: bool = False,
    ) -> None:
        """Add ``Label: notes`` to the overview: ``parts`` are what the rows cannot show,
        ``extra`` the rest (dropped first when room runs out); a bare label when ``always``."""
        self.lines.append(
            Line(label, [p for p in parts if p], [p for p in extra if p], always=always)
        )

    def program(self) -> dict[str, Any]:
        if self.workout.sport == "run":
            return self.run_program()
        return self.strength_program()

    # ----- strength -------------------------------------------------------------------

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

    def strength_program(self) -> dict[str, Any]:
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
        return step.exercise.name if step.exercise else _LABELS.get(step.intensity, "Step")

    @staticmethod
    def own_notes(notes: str | None, step: Step) -> str:
        """The step's notes without the exercise name lowering puts first for FIT's sake."""
        return _without(notes, step.exercise.name) if step.exercise else notes or ""

    def label(self, step: Step, code: str | None) -> str:
        entry: Entry | None = step.exercise
        if entry is None:
            return _LABELS.get(step.intensity, "Step")
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
        target = _target_text(step.target)
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

    @staticmethod
    def rest_fields(rest: Length | None) -> tuple[int, int]:
        if rest is None:
            return REST_NONE, 0
        if rest.kind == "time":
            return REST_TIME, rest.seconds
        return REST_MANUAL, 0

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

    # ----- run ------------------------------------------------------------------------

    def run_program(self) -> dict[str, Any]:
        exercises: list[dict[str, Any]] = []
        totals = {"sets": 0, "seconds": 0.0, "centimetres": 0}

        def add_steps(steps: Sequence[Step], group: dict[str, Any] | None, times: int) -> None:
            for step in steps:
                last = exercises[-1] if exercises else None
                if (
                    step.role == "rest"
                    and last is not None
                    and not last["isGroup"]
                    and last["restType"] == REST_NONE
                    and last["groupId"] == (group["id"] if group else "")
                ):
                    rest_type, rest_value = self.rest_fields(step.length)
                    last["restType"], last["restValue"] = rest_type, rest_value
                    totals["seconds"] += rest_value * times
                    continue
                row = self.run_row(step, len(exercises) + 1, group, times, totals)
                exercises.append(row)

        top = 0
        for item in self.workout.items:
            top += 1
            if isinstance(item, Block):
                group = self.group_row(item, len(exercises) + 1, top * SORT_STEP)
                exercises.append(group)
                add_steps(item.steps, group, item.count)
            else:
                before = len(exercises)
                add_steps([item], None, 1)
                if len(exercises) > before:
                    exercises[-1]["sortNo"] = top * SORT_STEP
                else:
                    top -= 1
        return {
            "access": 1,
            "authorId": "0",
            "createTimestamp": 0,
            "distance": f"{totals['centimetres']:.2f}",
            "distanceDisplayUnit": KM,
            "duration": round(totals["seconds"]),
            "essence": 0,
            "estimatedType": 0,
            "estimatedValue": 0,
            "exerciseNum": "",
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
            "profile": "",
            "sex": 0,
            "shareUrl": "",
            "simple": False,
            "sportType": RUN,
            "star": 0,
            "subType": 65535,
            "targetType": "",
            "targetValue": "",
            "thirdPartyId": 0,
            "totalSets": totals["sets"],
            "trainingLoad": 0,
            "type": 0,
            "unit": 0,
            "userId": "0",
            "version": 0,
            "videoCoverUrl": "",
            "videoUrl": "",
            "sets": totals["sets"],
            "pitch": 0,
        }

    @staticmethod
    def group_row(block: Block, index: int, sort_no: int) -> dict[str, Any]:
        return {
            "access": 0,
            "exerciseType": TYPE_GROUP,
            "groupId": "",
            "id": str(index),
            "intensityType": INTENSITY_NONE,
            "intensityValue": 0,
            "intensityValueExtend": 0,
            "isGroup": True,
            "name": "",
            "originId": "0",
            "overview": "",
            "restType": REST_NONE,
            "restValue": 0,
            "sets": block.count,
            "sortNo": sort_no,
            "sportType": RUN,
            "status": 1,
            "targetType": TARGET_NOT_SET,
            "targetValue": 0,
        }

    def run_row(
        self,
        step: Step,
        index: int,
        group: dict[str, Any] | None,
        times: int,
        totals: dict[str, Any],
    ) -> dict[str, Any]:
        kind = step.intensity if step.intensity in ("warmup", "cooldown") else "training"
        code, origin_id, overview, exercise_type = RUN_TEMPLATES[kind]
        parts: list[str | None] = []
        length = step.length
        target_display = 0
        if length.kind == "time":
            target_type, target_value = TARGET_TIME, length.seconds
            totals["seconds"] += length.seconds * times
        elif length.kind == "distance":
            target_type, target_value = TARGET_DISTANCE, round(length.value * 100)
            target_display = KM
            totals["centimetres"] += target_value * times
            if step.target is not None and step.target.kind == "speed":
                speed = (step.target.low + step.target.high) / 2
                totals["seconds"] += length.value / speed * times
        else:
            target_type, target_value = TARGET_OPEN, 0
            if length.kind == "reps":
                parts.append(f"{int(length.value)} reps")
        if step.exercise is not None:
            self.warn(
                f"{step.exercise.name}: COROS run programs hold no strength exercises; "
                "sent as a run step with the name in the program overview"
            )
        intensity: dict[str, Any] = {
            "hrType": 0,
            "intensityCustom": 0,
            "intensityDisplayUnit": 0,
            "intensityMultiplier": 0,
            "intensityPercent": 0,
            "intensityPercentExtend": 0,
            "intensityType": INTENSITY_NONE,
            "intensityValue": 0,
            "intensityValueExtend": 0,
        }
        target = step.target
        if target is not None and target.kind == "speed":
            intensity.update(
                intensityDisplayUnit=PACE_MIN_PER_KM,
                intensityMultiplier=1000,
                intensityType=INTENSITY_PACE,
                intensityValue=round(1_000_000 / target.high),
                intensityValueExtend=round(1_000_000 / target.low),
            )
        elif target is not None:
            parts.append(_target_text(target))
            self.warn(
                "heart-rate zones are written in the program overview "
                "(COROS's own zone encoding is not known)"
            )
        parts.append(self.own_notes(step.notes, step))
        if step.role == "rest":
            label = "Rest"
        elif step.exercise is not None:
            label = step.exercise.name
        else:
            label = _LABELS.get(step.intensity, "Run")
        self.line(label, parts)
        totals["sets"] += times
        sort_no = 0
        if group is not None:
            children = index - int(group["id"])
            sort_no = group["sortNo"] + children * SORT_CHILD
        return {
            "access": 0,
            "createTimestamp": 0,
            "defaultOrder": 0,
            "equipment": [1],
            "exerciseType": exercise_type,
            "groupId": group["id"] if group else "",
            "id": str(index),
            **intensity,
            "isDefaultAdd": 0,
            "isGroup": False,
            "isIntensityPercent": False,
            "name": code,
            "originId": origin_id,
            "overview": overview,
            "part": [0],
            "restType": REST_NONE,
            "restValue": 0,
            "sets": 1,
            "sortNo": sort_no,
            "sportType": RUN,
            "status": 1,
            "targetDisplayUnit": target_display,
            "targetType": target_type,
            "targetValue": target_value,
            "userId": 0,
        }

    # ----- text -----------------------------------------------------------------------

    def overview(self) -> str:
        """The description and the notes lines, laid out by priority (``coros_overview``)."""
        if any(line.text(True) for line in self.lines):
            self.warn(
                "notes (RPE, per side, cues, real names) are in the program overview: "
                "COROS rows have no text of their own"
            )
        text, notes = layout(self.workout.description or "", self.lines, self.reserve)
        for note in notes:
            self.warn(note)
        return text
