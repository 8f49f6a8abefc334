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

from typing import Any

from liftfit.exporters import Output, json_output
from liftfit.exporters.coros_overview import MARKER_RESERVE
from liftfit.exporters.coros_run import RunEncoder
from liftfit.exporters.coros_strength import StrengthEncoder
from liftfit.ir import LoweredWorkout

__all__ = ["coros_output", "coros_program"]


def _encoder(
    workout: LoweredWorkout, reserve: int = MARKER_RESERVE
) -> StrengthEncoder | RunEncoder:
    if workout.sport == "run":
        return RunEncoder(workout, reserve=reserve)
    return StrengthEncoder(workout, reserve=reserve)


def coros_program(workout: LoweredWorkout, *, reserve: int = MARKER_RESERVE) -> dict[str, Any]:
    """The program object COROS Training Hub saves for this workout.

    ``reserve``: characters of the overview kept free (``liftfit coros`` adds its marker).
    """
    return _encoder(workout, reserve).program()


def coros_output(workout: LoweredWorkout) -> Output:
    """The program as JSON (UTF-8, indented, keys in the web app's order, newline-terminated)."""
    encoder = _encoder(workout)
    program = encoder.program()
    return json_output(program, tuple(encoder.warnings))
