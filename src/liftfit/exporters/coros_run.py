"""COROS run programs (``sportType`` 1), after the run program of
``reference/coros/schedule-update-request.json`` and community tools: distances in
centimetres, repeats as a group row (``exerciseType`` 5, ``isGroup``) with its steps pointing
at it by ``groupId``. Less certain than strength; see docs/coros.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from liftfit.exporters.coros_catalogue import (
    INTENSITY_NONE,
    INTENSITY_PACE,
    KM,
    PACE_MIN_PER_KM,
    REST_NONE,
    RUN,
    RUN_TEMPLATES,
    TARGET_DISTANCE,
    TARGET_NOT_SET,
    TARGET_OPEN,
    TARGET_TIME,
    TYPE_GROUP,
)
from liftfit.exporters.coros_encoder import LABELS, Encoder, target_text
from liftfit.ir import Block, Step
from liftfit.lowering import NOTE_SEPARATOR

SORT_STEP, SORT_CHILD = 16_777_216, 65_536  # sortNo spacing of run rows and group children


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


@dataclass
class RunEncoder(Encoder):
    def program(self) -> dict[str, Any]:
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
            parts.append(target_text(target))
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
            label = LABELS.get(step.intensity, "Run")
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

    @staticmethod
    def own_notes(notes: str | None, step: Step) -> str:
        """The step's notes without the exercise name lowering puts first for FIT's sake."""
        return _without(notes, step.exercise.name) if step.exercise else notes or ""
