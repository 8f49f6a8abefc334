"""The notes a build prints: what each target degrades, counted by target, listed with -v.

``build`` and ``pack`` print the same way: a plan's notes always (they are few and about the
calendar), every other note only with ``--verbose``, and otherwise one line that counts them
by target and says how to see them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from liftfit.api import Compiled
    from liftfit.calendars import PlanBuild
    from liftfit.exporters import Output

EVERY_TARGET = "every target"
PLAN = "plan"


@dataclass(frozen=True)
class Note:
    subject: str  # the workout's slug, or "plan <slug>"
    target: str  # a format's name, EVERY_TARGET (from lowering) or PLAN
    text: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.text}"


def library_notes(compiled: Iterable[Compiled], plans: Iterable[PlanBuild]) -> list[Note]:
    """Every note of a build: lowering's (for every target), each format's, each plan's."""
    notes = []
    for item in compiled:
        notes += workout_notes(item.source.slug, item.lowered.fidelity, item.outputs)
    return notes + plan_notes(plans)


def workout_notes(slug: str, fidelity: Iterable[str], outputs: Mapping[str, Output]) -> list[Note]:
    """A workout's notes: lowering's (for every target), then each format's."""
    notes = [Note(slug, EVERY_TARGET, line) for line in fidelity]
    for name, output in outputs.items():
        notes += [Note(slug, name, line) for line in output.warnings]
    return notes


def plan_notes(plans: Iterable[PlanBuild]) -> list[Note]:
    return [Note(f"plan {plan.source.slug}", PLAN, line) for plan in plans for line in plan.notes]


def athletes_line(own: Mapping[str, int], where: str) -> str:
    """``athletes anna, ben: 3 workouts each in out/athletes/``: who got workouts of their own
    (name → how many), and where."""
    counts = set(own.values())
    each = f"{plural(counts.pop(), 'workout')} each" if len(counts) == 1 else "workouts"
    return f"athletes {', '.join(own)}: {each} in {where}"


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def note_lines(notes: Sequence[Note], *, verbose: bool) -> list[str]:
    """What to print: every note with ``verbose``, else the plans' and a count of the rest."""
    shown = list(notes) if verbose else [n for n in notes if n.target == PLAN]
    lines = [f"  note: {note}" for note in shown]
    hidden = [] if verbose else [n for n in notes if n.target != PLAN]
    if hidden:
        counts = Counter(n.target for n in hidden)
        by_target = ", ".join(f"{count} {target}" for target, count in counts.most_common())
        lines.append(
            f"  {plural(len(hidden), 'note')} on what the targets cannot hold ({by_target}): "
            "see them with --verbose"
        )
    return lines
