"""liftfit: strength routines as plain files, compiled into what sports watches load.

The models are the public way to write workouts in Python::

    from liftfit import Exercise, Workout, to_fit_bytes

    workout = Workout(
        name="Hinge day",
        steps=[Exercise(exercise="romanian deadlift", sets=3, reps=6, rpe=8)],
    )
    data = to_fit_bytes(workout)
"""

from liftfit.api import compile_paths, compile_sources, find_profile, to_fit_bytes
from liftfit.errors import InvalidInput, LiftfitError, Problem
from liftfit.loader import load_profile, load_sources, load_workout_file
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
