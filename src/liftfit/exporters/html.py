"""Printable workout cards: one self-contained HTML page per workout, for a phone or paper.

A card reads the lowered step program, never the workout file: sets are the repeat blocks'
counts, rest is the rest steps, RPE, loads and per-side marks are the steps' cues. It shows
each exercise with its dose, load, effort and rest, and a small picture of the session's shape
(a block per set, a gap per rest). Pages carry their CSS inline and reference nothing outside
themselves, so they work offline and from a zip; ``@media print`` puts one card on a page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any, Literal

from liftfit import units
from liftfit.exporters import Output
from liftfit.ir import Block, Length, LoweredWorkout, Step, Target

PALETTE = 8  # exercise colours, .c0 … .c7 in style.css
SECONDS_PER_REP = 3  # to draw and time a set of reps; a guess, said as "about" on the card
LAP_SECONDS = 60  # what a "rest until Lap" is drawn and counted as
OPEN_SECONDS = 30  # an exercise with no reps, hold or distance
STRENGTH_SPEED = 1.5  # m/s, for carries and walking lunges measured in metres
RUN_SPEED = 3.3  # m/s, for cardio steps measured in metres
SHAPE_HEIGHT = 40

_CARDIO_NAMES = {
    "warmup": "Warm-up",
    "cooldown": "Cool-down",
    "active": "Run",
    "interval": "Run",
    "recovery": "Recover",
    "rest": "Rest",
}


@dataclass(frozen=True)
class Tag:
    """A short fact shown as a chip: ``load`` 60 kg, ``effort`` RPE 7, ``side``, ``rest``…"""

    kind: Literal["load", "effort", "side", "rest", "target", "warmup"]
    text: str


@dataclass(frozen=True)
class Line:
    """One exercise (both sides of a split exercise are one line) or one cardio step."""

    name: str
    dose: str
    tags: tuple[Tag, ...] = ()
    note: str | None = None
    colour: str = "cardio"


@dataclass(frozen=True)
class Section:
    """A run of lines done together: one exercise's sets, a circuit, a repeat."""

    lines: tuple[Line, ...]
    title: str | None = None
    after: str | None = None


@dataclass(frozen=True)
class Segment:
    """One rectangle of the session picture, in viewBox units."""

    x: float
    width: float
    height: float
    colour: str
    lap: bool = False

    @property
    def middle(self) -> float:
        return round(self.x + self.width / 2, 2)


@dataclass(frozen=True)
class Shape:
    width: float
    height: float
    segments: tuple[Segment, ...]
    label: str


@dataclass(frozen=True)
class Card:
    slug: str
    name: str
    description: str | None
    sport: str
    minutes: int
    exercises: int
    sets: int
    sections: tuple[Section, ...]
    shape: Shape
    legend: tuple[tuple[str, str], ...]  # (colour, exercise name), in order of first use

    @property
    def length(self) -> str:
        """How long and how much: ``about 45 min · 13 sets``."""
        sets = f" · {self.sets} sets" if self.sets else ""
        return f"about {self.minutes} min{sets}"

    @property
    def summary(self) -> str:
        parts = [self.sport.capitalize(), f"about {self.minutes} min"]
        if self.exercises:
            parts.append(f"{self.exercises} exercise{'s' * (self.exercises != 1)}")
        if self.sets:
            parts.append(f"{self.sets} sets")
        return " · ".join(parts)


def workout_card(workout: LoweredWorkout) -> Card:
    """What a card shows, taken from the lowered step program."""
    colours = {entry.id: f"c{i % PALETTE}" for i, entry in enumerate(workout.exercises())}
    builder = _CardBuilder(colours)
    sections = tuple(builder.sections(workout.items))
    shape = _shape(workout, colours)
    seconds = sum(_seconds(step) for step in _expanded(workout))
    sets = sum(
        (item.count if isinstance(item, Block) else 1)
        * sum(1 for s in (item.steps if isinstance(item, Block) else (item,)) if _is_work(s))
        for item in workout.items
    )
    legend = tuple(
        (colours[e.id], e.name) for e in workout.exercises() if _is_listed(e.id, workout)
    )
    return Card(
        slug=workout.slug,
        name=workout.name,
        description=workout.description,
        sport="run" if workout.sport == "run" else "strength",
        minutes=max(5, 5 * round(seconds / 300)),
        exercises=len(legend),
        sets=sets if workout.sport == "strength" else 0,
        sections=sections,
        shape=shape,
        legend=legend,
    )


def html_output(workout: LoweredWorkout) -> Output:
    """The workout's card as a standalone HTML page (``build/html/<workout>.html``)."""
    page = render("workout.html.j2", title=workout.name, cards=[workout_card(workout)])
    return Output(page.encode("utf-8"))


@cache
def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, StrictUndefined

    environment = Environment(
        loader=PackageLoader("liftfit", "templates"),
        bytecode_cache=_compiled_templates(),
        auto_reload=False,  # the package's templates do not change while liftfit runs
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["code"] = _code
    return environment


def _compiled_templates() -> Any:
    """Jinja's cache of compiled templates, in liftfit's user cache folder (platformdirs:
    ``~/.cache/liftfit/templates`` on Linux): compiling the cards' templates was 3 % of
    ``liftfit build``. Jinja recompiles a template whose text changed; a folder that cannot
    be made or written only means compiling each time."""
    import contextlib

    from jinja2 import FileSystemBytecodeCache
    from platformdirs import user_cache_path

    class Cache(FileSystemBytecodeCache):
        def dump_bytecode(self, bucket: Any) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    folder = user_cache_path("liftfit", appauthor=False) / "templates"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return Cache(str(folder))


def _code(text: str) -> Any:
    """Escape ``text`` and show its `backticked` parts as code."""
    from markupsafe import Markup, escape

    parts = str(escape(text)).split("`")
    return Markup("".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts)))


def render(template: str, **context: Any) -> str:
    """Render one of ``liftfit/templates``; pages share ``base.html.j2`` and its inline CSS."""
    text: str = _environment().get_template(template).render(**context)
    return text


# --- what the lines say -------------------------------------------------------------------


def _is_work(step: Step) -> bool:
    return step.role == "exercise"


def _is_listed(exercise_id: str, workout: LoweredWorkout) -> bool:
    """Warm-up and cool-down steps carry catalogue entries in strength workouts; not exercises."""
    return any(
        s.exercise is not None and s.exercise.id == exercise_id and _is_work(s)
        for s in _expanded(workout)
    )


def _weight(step: Step) -> str | None:
    if step.weight_kg is None:
        return None
    value = step.weight_kg if step.weight_unit != "lb" else step.weight_kg / units.LB_IN_KG
    return f"{round(value, 1):g} {step.weight_unit or 'kg'}"


def _pace(target: Target) -> str:
    def per_km(speed: float) -> str:
        seconds = round(1000 / speed)
        return f"{seconds // 60}:{seconds % 60:02d}"

    return f"{per_km(target.high)}–{per_km(target.low)}/km"


def amount(length: Length) -> str:
    """A step's length as a card says it: ``8 reps``, ``30s``, ``400m``, ``until Lap``."""
    if length.kind == "reps":
        return f"{int(length.value)} reps"
    if length.kind == "time":
        return units.format_duration(length.seconds)
    if length.kind == "distance":
        return units.format_distance(length.value)
    return "until Lap"


def _rest(step: Step) -> str:
    if step.length.kind == "open":
        return "rest until Lap"
    written = [cue.text for cue in step.cues if cue.kind == "rest"]
    return written[0] if written else f"rest {amount(step.length)}"


def _count(block: Block) -> str:
    """How many times a block is done, as written: ``3``, or a range ``2-3``."""
    for step in block.steps:
        for cue in step.cues:
            if cue.kind == "sets":
                return cue.text.split()[0]
    return str(block.count)


def _line(step: Step, colours: dict[str, str]) -> Line:
    cues = {kind: [c.text for c in step.cues if c.kind == kind] for kind in _CUE_KINDS}
    if step.role == "cardio" or step.exercise is None:
        tags: list[Tag] = []
        if step.target is not None:
            text = f"HR zone {step.target.zone}" if step.target.kind == "hr_zone" else ""
            tags.append(Tag("target", text or _pace(step.target)))
        return Line(
            _CARDIO_NAMES[step.intensity],
            amount(step.length),
            tuple(tags),
            " · ".join(cues["note"]) or step.notes,
            "run" if step.intensity in ("active", "interval") else "cardio",
        )
    dose = cues["dose"][0] if cues["dose"] else amount(step.length)
    tags = [Tag("warmup", "warm-up set")] if step.intensity == "warmup" else []
    if "each side" in cues["side"]:
        tags.append(Tag("side", "each side"))
    weight = cues["weight"][0] if cues["weight"] else _weight(step)
    loads = cues["load"]
    if weight and loads:
        tags.append(Tag("load", f"{weight} ({', '.join(loads)})"))
    elif weight or loads:
        tags.append(Tag("load", weight or ", ".join(loads)))
    tags += [Tag("effort", text) for text in (*cues["rpe"], *cues["rir"], *cues["tempo"])]
    return Line(
        step.exercise.name,
        dose,
        tuple(tags),
        " · ".join(cues["note"]) or None,
        colours.get(step.exercise.id, "c0"),
    )


_CUE_KINDS = ("side", "dose", "sets", "load", "weight", "rpe", "rir", "tempo", "rest", "note")


class _CardBuilder:
    def __init__(self, colours: dict[str, str]) -> None:
        self.colours = colours

    def sections(self, items: Sequence[Step | Block]) -> list[Section]:
        out: list[Section] = []
        for item in items:
            if isinstance(item, Block):
                out.append(self.block(item))
            elif item.role == "rest" and out and out[-1].title is None and out[-1].lines:
                # Rest after a single set belongs to that set's line.
                *first, last = out[-1].lines
                rested = replace(last, tags=(*last.tags, Tag("rest", _rest(item))))
                out[-1] = replace(out[-1], lines=(*first, rested))
            else:
                out.append(Section(tuple(self.lines([item]))))
        return out

    def block(self, block: Block) -> Section:
        steps = list(block.steps)
        if block.kind == "sets":
            lines = [
                replace(line, dose=f"{_count(block)} × {line.dose}") for line in self.lines(steps)
            ]
            return Section(tuple(lines))
        after = None
        if block.round_rest:
            after = f"{_rest(steps.pop())} after each round"
        title = (
            f"Circuit: {_count(block)} rounds"
            if block.kind == "circuit"
            else f"Repeat {block.count} times"
        )
        return Section(tuple(self.lines(steps)), title, after)

    def lines(self, steps: Sequence[Step]) -> list[Line]:
        lines: list[Line] = []
        index = 0
        while index < len(steps):
            step = steps[index]
            index += 1
            if step.role == "rest":
                if lines and not any(t.kind == "rest" for t in lines[-1].tags):
                    lines[-1] = replace(lines[-1], tags=(*lines[-1].tags, Tag("rest", _rest(step))))
                else:
                    lines.append(Line("Rest", _rest(step).removeprefix("rest ")))
                continue
            line = _line(step, self.colours)
            following = steps[index] if index < len(steps) else None
            if (
                step.side == "left"
                and following is not None
                and following.side == "right"
                and following.exercise == step.exercise
            ):
                index += 1
                line = replace(line, tags=(Tag("side", "left, then right"), *line.tags))
            lines.append(line)
        return lines


# --- the session picture ------------------------------------------------------------------


def _expanded(workout: LoweredWorkout) -> list[Step]:
    steps: list[Step] = []
    for item in workout.items:
        if isinstance(item, Block):
            steps += list(item.steps) * item.count
        else:
            steps.append(item)
    return steps


def _seconds(step: Step) -> float:
    """How long a step takes, roughly: what the picture and "about N min" are drawn from."""
    length = step.length
    if length.kind == "time":
        return length.value
    if length.kind == "reps":
        each_side = any(c.kind == "side" and c.text == "each side" for c in step.cues)
        return length.value * SECONDS_PER_REP * (2 if each_side else 1)
    if length.kind == "distance":
        return length.value / (RUN_SPEED if step.role == "cardio" else STRENGTH_SPEED)
    return LAP_SECONDS if step.role == "rest" else OPEN_SECONDS


def _width(seconds: float, *, rest: bool = False) -> float:
    """Square-root scale, so a 10-minute warm-up stays on the card beside 20-second sets;
    rests a little narrower than work, so sets read as blocks rather than thin lines."""
    return round((1.5 if rest else 2.5) * math.sqrt(max(seconds, 9)), 2)


def _shape(workout: LoweredWorkout, colours: dict[str, str]) -> Shape:
    segments: list[Segment] = []
    x = 0.0
    previous_rest = True
    for step in _expanded(workout):
        width = _width(_seconds(step), rest=step.role == "rest")
        if step.role == "rest":
            if step.length.kind == "open":
                segments.append(Segment(x, width, SHAPE_HEIGHT, "lap", lap=True))
            x += width
            previous_rest = True
            continue
        if not previous_rest:
            x += 1.5  # back-to-back steps stay visibly apart
        if step.role == "cardio":
            tall = step.intensity in ("active", "interval")
            colour = "run" if tall else "cardio"
            height = SHAPE_HEIGHT * (0.75 if tall else 0.4)
        else:
            assert step.exercise is not None
            colour = colours.get(step.exercise.id, "c0")
            height = SHAPE_HEIGHT
        segments.append(Segment(round(x, 2), width, height, colour))
        x += width
        previous_rest = False
    work = sum(1 for step in _expanded(workout) if _is_work(step))
    label = (
        f"The session's shape: {work} sets, each a block, with gaps for rest"
        if work
        else "The session's shape: each step a block, taller for faster running"
    )
    return Shape(round(max(x, 1.0), 2), SHAPE_HEIGHT, tuple(segments), label)
