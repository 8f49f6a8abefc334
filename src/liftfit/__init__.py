"""liftfit: strength routines as plain files, compiled into what sports watches load.

The models are the public way to write workouts in Python::

    from liftfit import Exercise, Workout, to_fit_bytes

    workout = Workout(
        name="Hinge day",
        steps=[Exercise(exercise="romanian deadlift", sets=3, reps=6, rpe=8)],
    )
    data = to_fit_bytes(workout)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from liftfit.api import compile_paths, compile_sources, find_profile, to_fit_bytes
    from liftfit.errors import InvalidInput, LiftfitError, Problem
    from liftfit.library import load_sources
    from liftfit.loader import load_profile, load_workout_file
    from liftfit.lowering import lower_workout
    from liftfit.model import (
        BlockExercise,
        Circuit,
        CircuitRounds,
        Cooldown,
        Exercise,
        Profile,
        Recover,
        Repeat,
        Run,
        Warmup,
        Workout,
    )

# Imported on first use, so that `liftfit --help` does not build the models.
_WHERE = {
    "compile_paths": "liftfit.api",
    "compile_sources": "liftfit.api",
    "find_profile": "liftfit.api",
    "to_fit_bytes": "liftfit.api",
    "InvalidInput": "liftfit.errors",
    "LiftfitError": "liftfit.errors",
    "Problem": "liftfit.errors",
    "load_profile": "liftfit.loader",
    "load_sources": "liftfit.library",
    "load_workout_file": "liftfit.loader",
    "lower_workout": "liftfit.lowering",
    **dict.fromkeys(
        [
            "BlockExercise",
            "Circuit",
            "CircuitRounds",
            "Cooldown",
            "Exercise",
            "Profile",
            "Recover",
            "Repeat",
            "Run",
            "Warmup",
            "Workout",
        ],
        "liftfit.model",
    ),
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'liftfit' has no attribute {name!r}")


__version__ = "0.1.0"

__all__ = [
    "BlockExercise",
    "Circuit",
    "CircuitRounds",
    "Cooldown",
    "Exercise",
    "InvalidInput",
    "LiftfitError",
    "Problem",
    "Profile",
    "Recover",
    "Repeat",
    "Run",
    "Warmup",
    "Workout",
    "__version__",
    "compile_paths",
    "compile_sources",
    "find_profile",
    "load_profile",
    "load_sources",
    "load_workout_file",
    "lower_workout",
    "to_fit_bytes",
]
