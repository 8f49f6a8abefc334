"""Importing FIT workouts as workout files: lowering (``liftfit.lowering``) run backwards.

``import_workout`` takes any FIT workout (liftfit's own, Garmin Connect's, a watch's, the SDK's
examples) and gives back the workout file a person would have written for it, so that
``liftfit build`` writes the same steps again. It reads the steps as lowering lays them out:

- a repeat block of one exercise and its rest → ``sets`` and ``rest`` (an open rest →
  ``rest: lap``); of several exercises → a ``circuit``, the block's last rest being the rest
  after the round; of cardio steps → a ``repeat``;
- a left and a right step noted ``Left · …`` / ``Right · …`` → ``per_side: split``;
- the parts lowering writes into notes (``5-6 reps``, ``each side``, ``bodyweight``,
  ``75% 1RM``, ``RPE 8``, ``RIR 2``, ``tempo 3-1-1``) → their fields, but only when lowering
  the result gives back the very same notes; otherwise the notes stay one ``note``;
- the exercise → its curated catalogue id, else its FIT code ``category/name``, with the
  file's own title leading the note when the catalogue names the exercise differently; a
  category alone (no exercise name: Connect's generic exercises) → ``category/any``;
- a weight → its display unit, rounded to what a person types (``25 lb``, ``12.5 kg``);
- warm-up, cool-down, run and recovery steps → cardio steps, with HR-zone or pace targets.

What the format cannot say is kept as close as it can be, and every step that will come back
different is reported: the result is lowered again and each step's raw FIT values are compared
with the file's; ``Imported.notes`` says what changed and why, one line each.
``predicted_steps`` mirrors ``exporters.fit`` for that comparison; the round-trip tests hold
the two together.

One module per stage: ``steps`` reads the file's steps into units (plain steps and repeat
blocks → exercises, circuits, repeats); ``entries`` rebuilds each exercise and cardio step, with
``notes`` reading back what lowering wrote into notes; ``workout`` makes the document, validates
and lowers it again; ``differences`` predicts the rebuilt steps and notes each change;
``yamltext`` writes the file. ``common`` holds the FIT values, limits and small conversions
they share.
"""

from __future__ import annotations

from liftfit.importer.differences import predicted_steps
from liftfit.importer.workout import Imported, import_fit, import_workout
from liftfit.importer.yamltext import workout_yaml

__all__ = ["Imported", "import_fit", "import_workout", "predicted_steps", "workout_yaml"]
