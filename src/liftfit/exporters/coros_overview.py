"""The COROS program overview: what the rows cannot show, within COROS's 300 characters.

COROS rows carry no text, so per side, rep ranges, RPE/RIR and the real name of a substitute
live in the program's one ``overview`` text. It is laid out by priority:
1. for each exercise the shortest line that keeps those (``Lunge: each side · RPE 8``);
2. the workout's description, if room remains (shortened at a word, else left out);
3. the rest of each line (tempo, the user's notes), line by line while they fit.
``MARKER_RESERVE`` characters stay free for a marker line that a COROS client may add.
Whatever does not fit is named in a build note: nothing is cut silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from liftfit.lowering import NOTE_SEPARATOR

OVERVIEW_CHARS = 300
MARKER_RESERVE = 60  # room kept for a client's marker line ("liftfit:<slug>:<hash>")
BUDGET = OVERVIEW_CHARS - MARKER_RESERVE
MIN_DESCRIPTION = 40  # a shorter cut of the description says too little: leave it out


@dataclass
class Line:
    """One exercise's line: its label, what the rows cannot show, and the rest of its notes."""

    label: str
    essential: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    always: bool = False  # the label alone says something (a substitute's real name)

    def text(self, full: bool) -> str | None:
        parts = [*self.essential, *(self.extra if full else [])]
        if not parts:
            return self.label if self.always else None
        return f"{self.label}: {NOTE_SEPARATOR.join(parts)}"


def layout(
    description: str, lines: list[Line], reserve: int = MARKER_RESERVE
) -> tuple[str, list[str]]:
    """The overview text and a note for each thing left out or shortened; ``reserve``
    characters are kept free (a client that adds a longer marker line asks for more)."""
    budget = OVERVIEW_CHARS - reserve
    notes: list[str] = []
    unique: list[Line] = []
    for line in lines:
        if line.text(True) is not None and all(line.text(True) != u.text(True) for u in unique):
            unique.append(line)
    texts: list[str] = []
    for line in unique:
        short = line.text(False)
        if short is None:
            texts.append("")
            continue
        if _size([*texts, short]) > budget:
            left = [u.label for u in unique[len(texts) :]]
            notes.append(
                f"COROS overview: no room for the lines of {', '.join(left)} "
                f"({OVERVIEW_CHARS} characters, {reserve} kept for a marker)"
            )
            break
        texts.append(short)
    body = [t for t in texts if t]
    room = budget - _size(body) - (1 if body else 0)
    description = " ".join(description.split())
    head = description
    if description and len(description) > room:
        if room >= MIN_DESCRIPTION:
            head = description[: room - 1].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"
            notes.append(
                f"COROS overview: description shortened to {len(head)} characters "
                f"(left out: {description[len(head) - 1 :].strip()!r})"
            )
        else:
            head = ""
            notes.append("COROS overview: description left out (the exercise lines fill it)")
    left_out: list[str] = []
    for i, line in enumerate(unique[: len(texts)]):
        full = line.text(True)
        if not line.extra or full is None:
            continue
        trial = [*texts[:i], full, *texts[i + 1 :]]
        if _size([head, *[t for t in trial if t]]) <= budget:
            texts = trial
        else:
            left_out.append(f"{line.label}: {NOTE_SEPARATOR.join(line.extra)}")
    if left_out:
        notes.append(f"COROS overview: no room for {'; '.join(left_out)}")
    return "\n".join(t for t in [head, *texts] if t), notes


def _size(parts: list[str]) -> int:
    kept = [p for p in parts if p]
    return len("\n".join(kept))
