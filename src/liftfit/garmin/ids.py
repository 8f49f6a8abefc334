"""Garmin Connect's workout ids, in one table: nothing else in liftfit spells them.

Sources: ../shared/FORMATS.md §2 and the reference files in ../shared/reference/garmin-connect/
(a real GET response for a strength workout, and the body Connect's web UI POSTs for a run).
Every id comes with its key, and Connect checks that the two agree only loosely: it accepts
a wrong id with HTTP 200 and silently rewrites the step. So the pairs below are the only ones
liftfit sends, and ``liftfit.garmin.shape.problems`` checks a body against them before upload.

``displayOrder`` equals the id in every object of the reference files (step types 1, 2, 3, 5,
6; conditions 1, 2, 3, 7, 10; targets 1, 4, 6); the one not seen there (recovery, 4) follows
the same rule. The sport types are the exception: strength shows ``displayOrder`` 4.
"""

from __future__ import annotations

from typing import Any

# sportType: 1 running, 5 strength_training (4 is pool swim, a classic mistake).
SPORT_TYPES: dict[str, dict[str, Any]] = {
    "run": {"sportTypeId": 1, "sportTypeKey": "running", "displayOrder": 1},
    "strength": {"sportTypeId": 5, "sportTypeKey": "strength_training", "displayOrder": 4},
}

STEP_TYPE_IDS: dict[str, int] = {
    "warmup": 1,
    "cooldown": 2,
    "interval": 3,
    "recovery": 4,
    "rest": 5,
    "repeat": 6,
    "other": 7,
}

CONDITION_TYPE_IDS: dict[str, int] = {
    "lap.button": 1,
    "time": 2,  # seconds
    "distance": 3,  # metres
    "iterations": 7,  # a repeat group's rounds
    "reps": 10,
}

TARGET_TYPE_IDS: dict[str, int] = {
    "no.target": 1,
    "heart.rate.zone": 4,  # zoneNumber
    "pace.zone": 6,  # targetValueOne / targetValueTwo in m/s
}

# factor = grams per unit: weightValue is in the unit named (8.0 with kilogram = 8 kg).
WEIGHT_UNITS: dict[str, dict[str, Any]] = {
    "kg": {"unitId": 8, "unitKey": "kilogram", "factor": 1000.0},
    "lb": {"unitId": 9, "unitKey": "pound", "factor": 453.59237},
}

# What Connect puts in every step of the reference response; 0 = none.
STROKE_TYPE: dict[str, Any] = {"strokeTypeId": 0, "strokeTypeKey": None, "displayOrder": 0}
EQUIPMENT_TYPE: dict[str, Any] = {
    "equipmentTypeId": 0,
    "equipmentTypeKey": None,
    "displayOrder": 0,
}


def step_type(key: str) -> dict[str, Any]:
    ident = STEP_TYPE_IDS[key]
    return {"stepTypeId": ident, "stepTypeKey": key, "displayOrder": ident}


def condition(key: str) -> dict[str, Any]:
    ident = CONDITION_TYPE_IDS[key]
    return {
        "conditionTypeId": ident,
        "conditionTypeKey": key,
        "displayOrder": ident,
        "displayable": key != "iterations",
    }


def target_type(key: str) -> dict[str, Any]:
    ident = TARGET_TYPE_IDS[key]
    return {"workoutTargetTypeId": ident, "workoutTargetTypeKey": key, "displayOrder": ident}


def weight_unit(unit: str) -> dict[str, Any]:
    return dict(WEIGHT_UNITS[unit])


def sport_type(sport: str) -> dict[str, Any]:
    return dict(SPORT_TYPES[sport])
