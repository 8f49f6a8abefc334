"""COROS's codes and tables: the numbers a program is written in, the strength catalogue
(``data/coros.json``) and the nearest COROS exercise of every FIT exercise
(``data/coros_map.json``).
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from liftfit import data
from liftfit.catalogue import Entry, normalise

STRENGTH = 4
RUN = 1

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

# The run catalogue (sportType 1) is not in the strength CSV; these three templates are the
# ones community tools send and report working (docs/coros.md says how sure that is).
RUN_TEMPLATES: dict[str, tuple[str, str, str, int]] = {
    "warmup": ("T1120", "425895398452936705", "sid_run_warm_up_dist", TYPE_WARMUP),
    "training": ("T3001", "426109589008859136", "sid_run_training", TYPE_TRAINING),
    "cooldown": ("T1122", "425895456971866112", "sid_run_cool_down_dist", TYPE_COOLDOWN),
}


@cache
def fit_map() -> dict[str, dict[str, str]]:
    """FIT category → name (``any``: the category alone) → the nearest COROS T-code
    (``data/coros_map.json``, made by ``scripts/coros_map.py``; T1121 where none is close)."""
    return _generated("coros_map.json")


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
    """T-code → COROS facts (``data/coros.json``, made by ``scripts/coros_table.py``)."""
    return _generated("coros.json")


def _generated(name: str) -> dict[str, Any]:
    """A generated table of ``data/``, without the ``_about`` that says what it is."""
    table: dict[str, Any] = json.loads(data.text(name))
    del table["_about"]
    return table
