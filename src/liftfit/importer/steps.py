"""Reading the file's steps into units: plain steps and repeat blocks, each block's tokens (an
exercise, a left/right pair, its rest), and the units they make: exercises, circuits, repeats."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Literal

from liftfit import fittext
from liftfit.fitread import FitStep
from liftfit.importer.common import (
    _COMPARED,
    _COOLDOWN,
    _MAX_REPEAT,
    _MAX_SETS,
    _MAX_UNROLLED,
    _REPEAT,
    _REPS,
    _REST,
    _WARMUP,
    YamlStep,
    _Group,
    _Item,
    _Plain,
    _Token,
    _Unit,
)
from liftfit.importer.entries import _curated_with, _Entries, _pair, _retitled
from liftfit.importer.notes import _side_rest
from liftfit.lowering import NOTE_SEPARATOR


class _Steps(_Entries):
    """The file's steps read as blocks and tokens, and the units they make."""

    def _structure(self) -> list[_Item]:
        """The file's steps as plain steps and repeat blocks (nested ones included)."""
        index_of: dict[int, int] = {}
        in_order = True
        for pos, step in enumerate(self.steps):
            if step.message_index is not None:
                index_of.setdefault(step.message_index, pos)
            in_order = in_order and step.message_index == pos
        if not in_order:
            self.events.append(
                "the file's message indexes are not 0, 1, 2…: steps read in file order"
            )
        items: list[_Item] = []
        for pos, step in enumerate(self.steps):
            if not step.is_repeat:
                items.append(_Plain(pos))
                continue
            group = self._group(pos, step, items, index_of, in_order)
            if group is not None:
                items.append(group)
        return items

    def _group(
        self, pos: int, step: FitStep, items: list[_Item], index_of: dict[int, int], in_order: bool
    ) -> _Group | None:
        """Take the items a repeat step covers off ``items``; None when it cannot be a block."""

        def refuse(why: str) -> _Group | None:
            self.reasons[(pos, "step")] = why
            return None

        if step.duration_type != _REPEAT:
            return refuse("the format repeats a number of times only; the steps are written once")
        value = step.duration_value
        start = value if in_order or value is None else index_of.get(value, value)
        if start is None or not 0 <= start < pos:
            return refuse("it repeats no earlier step")
        first = len(items)
        while first > 0 and items[first - 1].start >= start:
            first -= 1
        covered = items[first:]
        if not covered:
            return refuse("it starts inside the repeat before it (the format cannot nest them)")
        count = step.target_value or 0
        if count < 1:
            return refuse("it gives no number of rounds; the steps are written once")
        if covered[0].start != start:
            self.events.append(
                f"step {pos} ({fittext.duration_text(step)}): it starts inside the repeat "
                f"before it; the block starts at step {covered[0].start}"
            )
        if count > _MAX_REPEAT:
            self.reasons[(pos, "repeat")] = f"the format repeats at most {_MAX_REPEAT} times"
            count = _MAX_REPEAT
        del items[first:]
        return _Group(covered[0].start, pos, count, covered)

    def _flatten(self, items: Iterable[_Item], copy: bool = False) -> Iterator[tuple[int, bool]]:
        """A block's steps in order, nested repeats written out (copies marked)."""
        for item in items:
            if isinstance(item, _Plain):
                yield item.pos, copy
                continue
            body = list(self._flatten(item.children, copy))
            rounds = item.count if len(body) * item.count <= _MAX_UNROLLED else 1
            written = f"written out {rounds} times" if rounds > 1 else "written once"
            self.reasons[(item.repeat, "step")] = (
                f"a repeat inside a repeat (watches do not nest them): steps {item.start}-"
                f"{item.repeat - 1} {written}"
                + (f" instead of {item.count}" if rounds != item.count else "")
            )
            for round_ in range(rounds):
                for pos, was_copy in body:
                    yield pos, was_copy or round_ > 0

    # -- model steps

    def _units(self, items: list[_Item]) -> Iterator[_Unit]:
        flat: list[tuple[int, bool]] = []
        for item in items:
            if isinstance(item, _Plain):
                flat.append((item.pos, False))
                continue
            yield from self._flat_units(flat)
            flat = []
            yield from self._block_units(item)
        yield from self._flat_units(flat)

    def _flat_units(self, steps: list[tuple[int, bool]]) -> Iterator[_Unit]:
        for token in self._tokens(steps):
            if token.kind == "exercise":
                step = self._exercise(token, sets=1)
                yield _Unit(step, token.layout(), "exercise")
            else:
                yield _Unit(self._cardio(token.steps[0]), token.layout())

    def _block_units(self, group: _Group) -> Iterator[_Unit]:
        steps = list(self._flatten(group.children))
        tokens = self._tokens(steps)
        count = group.count
        if count == 1:
            self.reasons[(group.repeat, "step")] = "1 round: plain steps in the format"
            yield from self._flat_units(steps)
            return
        layout = [pos for token in tokens for pos in token.layout()] + [group.repeat]
        body = tokens
        trailing_rest = None
        if len(tokens) > 1 and tokens[-1].kind == "rest":
            body, trailing_rest = tokens[:-1], tokens[-1]
        if count <= _MAX_SETS and all(t.kind == "exercise" for t in body):
            if len(body) == 1 and trailing_rest is None:
                yield _Unit(self._exercise(body[0], sets=count), layout, "exercise")
                return
            exercises = [self._exercise(t, sets=None) for t in body]
            if trailing_rest is not None:
                round_rest = self._rest_value(trailing_rest.steps[0])
            else:
                round_rest = exercises[-1].pop("rest")
            for exercise in exercises:
                if exercise.get("rest") == "none":
                    del exercise["rest"]
            circuit = {"rounds": count, "rest": round_rest, "exercises": exercises}
            yield _Unit({"circuit": circuit}, layout, "circuit")
            return
        inner: list[YamlStep] = []
        for token in tokens:
            if token.kind == "exercise":
                exercise = self._exercise(token, sets=None)
                if exercise.get("rest") == "none":
                    del exercise["rest"]
                inner.append(exercise)
            else:
                inner.append(self._cardio(token.steps[0]))
        yield _Unit({"repeat": count, "steps": inner}, layout)

    def _tokens(self, steps: list[tuple[int, bool]]) -> list[_Token]:
        tokens: list[_Token] = []
        i = 0
        while i < len(steps):
            pos, copy = steps[i]
            kind = self._kind(pos)
            after = _following(steps, i)
            if (
                kind == "cardio"
                and self.steps[pos].exercise is not None
                and after is not None
                and self._kind(after) == "rest"
            ):
                kind = "exercise"  # a run with its rest: an exercise done for a time
            token = _Token(kind, [pos], copy=copy)
            if kind == "exercise":
                right = _following(steps, i)
                if right is not None and self._split_pair(pos, right):
                    token.steps.append(right)
                    i += 1
                rest = _following(steps, i)
                if rest is not None and self._kind(rest) == "rest":
                    token.rest = rest
                    i += 1
            tokens.append(token)
            i += 1
        return tokens

    def _kind(self, pos: int) -> Literal["exercise", "cardio", "rest"]:
        step = self.steps[pos]
        pair = step.exercise
        if pair is None:
            return "rest" if step.intensity == _REST else "cardio"
        if self.sport != "strength" or step.duration_type == _REPS:
            return "exercise"
        first_note = (step.notes or "").split(NOTE_SEPARATOR)[0]
        if any(e.fit_nearest and e.name == first_note for e in _curated_with(pair)):
            return "exercise"  # lowering names a nearest exercise first in its notes
        warmup = pair == _pair("warm-up")
        retitled = _retitled(self.fit.titles, pair)
        if retitled is not None and retitled.id in ("warm-up", "cool-down"):
            warmup = True  # lowering gives a cool-down a warm-up name of its own
        if warmup and step.intensity in (_WARMUP, _COOLDOWN):
            return "cardio"
        if pair == _pair("run") and step.intensity in (0, 5, None):
            return "cardio" if step.exercise_weight is None else "exercise"
        return "exercise"

    def _split_pair(self, left: int, right: int) -> bool:
        """Two steps lowering makes of ``per_side: split``: the same but for Left/Right."""
        a, b = self.steps[left], self.steps[right]
        if self._kind(right) != "exercise":
            return False
        same = all(getattr(a, name) == getattr(b, name) for name in _COMPARED if name != "notes")
        return (
            same
            and _side_rest(a.notes, "Left") is not None
            and (_side_rest(a.notes, "Left") == _side_rest(b.notes, "Right"))
        )


def _following(steps: list[tuple[int, bool]], i: int) -> int | None:
    """The step after ``steps[i]`` if it belongs to the same copy of the steps."""
    if i + 1 < len(steps) and steps[i + 1][1] == steps[i][1]:
        return steps[i + 1][0]
    return None
