"""One title per exercise: the FIT (category, name) pair each exercise of a workout is sent as.

A watch titles a step by its (exercise_category, exercise_name) pair, with one
``exercise_title`` per pair; two exercises sent as the same pair would both show one name.
So within a workout every distinct exercise gets its own pair:
- an exact FIT exercise keeps its own pair (first come, when two share one);
- an exercise FIT lacks (``fit_nearest``) or a custom one (``like``) keeps its nearest pair when
  no other exercise of the workout uses it, else takes the unused name of the same category
  that reads most like it (the title shows its name; the category keeps Connect's muscle map).
Part of lowering: exporters encode the pairs as given.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterable

from liftfit.catalogue import Entry, fit_exercises, normalise
from liftfit.ir import Title

Pair = tuple[int, int | None]


def exact(entry: Entry) -> bool:
    """Whether the entry is a FIT exercise as it is (not a nearest one, not a custom one)."""
    return not entry.fit_nearest and entry.like is None


def assign(entries: Iterable[Entry]) -> tuple[dict[str, Title], list[str]]:
    """Entry id → its title, for distinct entries in order of first use; and fidelity notes."""
    ordered = list({e.id: e for e in entries}.values())
    taken: dict[Pair, Entry] = {}
    titles: dict[str, Title] = {}
    notes: list[str] = []
    waiting = []
    for entry in ordered:
        pair = (entry.fit_category, entry.fit_name)
        if exact(entry) and pair not in taken:
            taken[pair] = entry
            titles[entry.id] = Title(*pair, entry.name)
        else:
            waiting.append(entry)
    for entry in waiting:
        pair = (entry.fit_category, entry.fit_name)
        why = "no such FIT exercise" if entry.fit_nearest else "a FIT exercise of its own"
        if pair not in taken:
            taken[pair] = entry
            titles[entry.id] = Title(*pair, entry.name)
            if entry.fit_nearest:
                notes.append(
                    f"{entry.name}: {why}; sent as {entry.fit_code} "
                    "with the real name in the title and notes"
                )
            continue
        other = taken[pair]
        free = _free_name(entry, set(taken))
        if free is None:
            titles[entry.id] = Title(*pair, other.name)
            notes.append(
                f"{entry.name}: every FIT exercise of its category is used in this workout; "
                f"sent as {other.name}'s {entry.fit_code}, so the watch titles it {other.name!r}"
            )
            continue
        taken[free] = entry
        titles[entry.id] = Title(*free, entry.name)
        if entry.fit_nearest:
            why = "no such FIT exercise"
        elif entry.like is not None:
            why = "your own exercise"
        else:
            why = f"the same FIT exercise as {other.name}"
        notes.append(
            f"{entry.name}: {why}; sent as {code(free)}, titled {entry.name!r} "
            f"({entry.fit_code} is {other.name}'s in this workout)"
        )
    return titles, notes


def _free_name(entry: Entry, taken: set[Pair]) -> Pair | None:
    """The unused FIT name of the entry's category whose name reads most like the entry's."""
    used = frozenset(pair for pair in taken if pair[0] == entry.fit_category)
    return _closest_free(entry.name, entry.fit_category, used)


@functools.lru_cache(maxsize=4096)
def _closest_free(name: str, category: int, used: frozenset[Pair]) -> Pair | None:
    """``_free_name`` for a name, its category and the pairs of it already used, worked out
    once: the same workouts come back again and again in a big build."""
    names = {key: pair for key, pair in _category(category) if pair not in used}
    if not names:
        return None
    wanted = normalise(name)

    def most(key: str) -> float:
        """The most ``_ratio`` can be, from the lengths alone (difflib's real_quick_ratio)."""
        return 2 * min(len(wanted), len(key)) / (len(wanted) + len(key))

    # The likeliest name, ties to the lowest FIT number; names are tried from the most they
    # can score down, until no other can reach the best found (the same name, found sooner).
    best: tuple[float, int] | None = None
    found = None
    for bound, key in sorted(((most(key), key) for key in names), reverse=True):
        if best is not None and bound < best[0]:
            break
        likeness = (_ratio(wanted, key), -(names[key][1] or 0))
        if best is None or likeness > best:
            best, found = likeness, names[key]
    return found


@functools.cache
def _category(category: int) -> tuple[tuple[str, Pair], ...]:
    """The named FIT exercises of a category, as (normalised name, pair), worked out once."""
    return tuple(
        (normalise(row.shown), (row.category_number, row.exercise_number))
        for row in fit_exercises()
        if row.category_number == category and row.exercise_number is not None
    )


@functools.cache
def _ratio(wanted: str, key: str) -> float:
    """How alike two names read (difflib's ratio), worked out once per pair of names."""
    return difflib.SequenceMatcher(None, wanted, key).ratio()


@functools.cache
def _codes() -> dict[Pair, str]:
    codes: dict[Pair, str] = {}
    for row in fit_exercises():
        codes.setdefault((row.category_number, row.exercise_number), row.code)
    return codes


def code(pair: Pair) -> str:
    """The ``category/name`` code of a FIT pair (the category alone for a category-only one)."""
    return _codes().get(pair, f"{pair[0]}/{pair[1]}")
