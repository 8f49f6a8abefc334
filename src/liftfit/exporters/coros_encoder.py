"""What the COROS strength and run encoders share: build notes, overview lines, rest fields."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from liftfit.exporters.coros_catalogue import REST_MANUAL, REST_NONE, REST_TIME
from liftfit.exporters.coros_overview import MARKER_RESERVE, Line, layout
from liftfit.ir import Length, LoweredWorkout, Target

LABELS = {
    "warmup": "Warm-Up",
    "cooldown": "Cool-Down",
    "recovery": "Recover",
    "rest": "Rest",
    "active": "Run",
    "interval": "Run",
}


def pace(target: Target) -> str:
    """A speed range in m/s as ``m:ss-m:ss/km``."""

    def per_km(speed: float) -> str:
        seconds = round(1000 / speed)
        return f"{seconds // 60}:{seconds % 60:02d}"

    fast, slow = per_km(target.high), per_km(target.low)
    return f"{fast}/km" if fast == slow else f"{fast}-{slow}/km"


def target_text(target: Target | None) -> str | None:
    if target is None:
        return None
    if target.kind == "hr_zone":
        return f"HR zone {target.zone}"
    return pace(target)


@dataclass
class Encoder:
    """What strength and run programs share: the build notes and the overview lines."""

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

    @staticmethod
    def rest_fields(rest: Length | None) -> tuple[int, int]:
        if rest is None:
            return REST_NONE, 0
        if rest.kind == "time":
            return REST_TIME, rest.seconds
        return REST_MANUAL, 0

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
