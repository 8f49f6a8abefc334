"""The exercise catalogue: every FIT exercise, plus a curated set for runners.

The curated set (``data/exercises.yaml``, edited by hand) gives display names, aliases and the
COROS mapping; it is read from ``data/exercises.json``, the same list as JSON, which
``scripts/fit_tables.py`` generates from it (parsing it costs a fraction of parsing the YAML).
The whole FIT taxonomy (52 categories, 1,846 names) comes from ``data/fit_exercises.tsv``,
generated from Garmin's FIT profile by the same script, so that any exercise a Garmin watch
knows can be named, as ``category/name`` or by its name: Garmin Connect's own name where
Connect lists it ("Wide-hands Push-up"), else the enum key title-cased, which stays an alias.
Each category also has a category-only ("generic") entry, ``<category>/any``, which Connect and
FIT write as the category with no exercise name; the watch shows the category's title.
"""

from __future__ import annotations

import difflib
import functools
import json
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, fields, replace
from functools import cache
from typing import Any, NamedTuple

from liftfit import data

GENERIC_SUFFIX = "any"


class UnknownExercise(ValueError):
    """An exercise name that the catalogue does not know; the message suggests close names."""


@dataclass(frozen=True)
class Entry:
    """One exercise and how each target names it."""

    id: str
    name: str
    fit_category: int
    fit_category_key: str
    fit_name: int | None
    fit_name_key: str | None
    aliases: tuple[str, ...] = ()
    coros: str | None = None
    fit_nearest: bool = False
    coros_nearest: bool = False
    curated: bool = True
    like: str | None = None  # a custom exercise: the id of the catalogue exercise it is like
    _repr: str = field(default="", init=False, repr=False, compare=False)

    def __repr__(self) -> str:
        """The dataclass repr, made once: FIT serial numbers are checksums of reprs that
        hold an entry per step."""
        if not self._repr:
            shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
            object.__setattr__(self, "_repr", f"{type(self).__qualname__}({shown})")
        return self._repr

    @property
    def category_only(self) -> bool:
        """A FIT exercise named by its category alone (no exercise name)."""
        return self.fit_name is None

    @property
    def fit_code(self) -> str:
        return _fit_code(self.fit_category_key, self.fit_name_key)


def _fit_code(category: str, name: str | None) -> str:
    """``category/name`` as liftfit's ids spell them, or the category alone."""
    return f"{category}/{name}" if name else category


@functools.lru_cache(maxsize=8192)
def normalise(text: str) -> str:
    """Lower case, with hyphens, underscores, apostrophes, slashes and runs of spaces as one
    space (kept for the names of a run: a workout's names are looked up again and again).

    Five ``replace`` calls: a quarter of ``str.translate``'s cost on these short names."""
    text = text.lower().replace("-", " ").replace("_", " ").replace("'", " ")
    return " ".join(text.replace("’", " ").replace("/", " ").split())


def _title(key: str) -> str:
    """``romanian_deadlift`` → ``Romanian Deadlift``; ids write ``90_…`` as ``n90_…``."""
    if re.match(r"n\d", key):
        key = key[1:]
    return " ".join(word.capitalize() for word in key.split("_"))


def _key(name: str) -> str:
    """A FIT name as liftfit's ids spell it: ``n`` before a leading digit (``n90_degree_…``),
    as fit-tool's enums did when the ids were first written."""
    return f"n{name}" if name[:1].isdigit() else name


class FitExercise(NamedTuple):
    """One row of ``data/fit_exercises.tsv``: a FIT exercise and Connect's name for it (a
    named tuple: the 1,898 rows are made in every process that reads them)."""

    category_number: int
    category: str
    exercise_number: int | None
    exercise: str | None
    connect_category: str
    connect_exercise: str
    connect_name: str

    @property
    def key(self) -> str | None:
        """The exercise's key as liftfit's ids spell it (None for the category-only row)."""
        return None if self.exercise is None else _key(self.exercise)

    @property
    def code(self) -> str:
        """Its ``category/name`` code, as an entry's ``fit_code``."""
        return _fit_code(self.category, self.key)

    @property
    def shown(self) -> str:
        """The name it is shown by: Connect's, else its key (or category) title-cased."""
        return self.connect_name or _title(self.key or self.category)


@cache
def fit_exercises() -> tuple[FitExercise, ...]:
    """Every FIT (category, exercise) pair, each category's category-only row first, from the
    table scripts/fit_tables.py generates from Garmin's profile and Connect's exercise list."""
    text = data.text("fit_exercises.tsv")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    make = FitExercise._make  # tuple.__new__ with a length check: no argument binding per row
    split = (line.split("\t") for line in lines[1:])  # after the column names
    return tuple(
        make((int(cat_number), cat, int(number) if number else None, name or None, *connect))
        for cat_number, cat, number, name, *connect in split
    )


@cache
def _fit_codes() -> dict[str, tuple[int, dict[str, int]]]:
    """FIT category key → (its number, exercise key → number), keys as liftfit's ids spell them."""
    codes: dict[str, tuple[int, dict[str, int]]] = {}
    for row in fit_exercises():
        if row.category not in codes:  # not setdefault: it would make a tuple and dict per row
            codes[row.category] = (row.category_number, {})
        if row.exercise is not None and row.exercise_number is not None:
            codes[row.category][1][_key(row.exercise)] = row.exercise_number
    return codes


@dataclass
class Catalogue:
    curated: list[Entry]
    _index: dict[str, Entry] = field(default_factory=dict)
    _fit: list[Entry] | None = None
    custom: tuple[Entry, ...] = ()
    _custom_index: dict[str, Entry] = field(default_factory=dict)
    _found: dict[str, Entry | None] = field(default_factory=dict, init=False)  # find, by name

    def __post_init__(self) -> None:
        for entry in self.curated:
            for key in (entry.id, entry.name, *entry.aliases):
                self._index.setdefault(normalise(key), entry)

    def with_custom(self, entries: Sequence[Entry]) -> Catalogue:
        """This catalogue and a library's own exercises, which resolve first."""
        _ = self.fit_taxonomy  # shared with the copy, loaded once
        index = {normalise(k): e for e in entries for k in (e.id, e.name, *e.aliases)}
        return replace(self, _index=self._index, custom=tuple(entries), _custom_index=index)

    @property
    def fit_taxonomy(self) -> list[Entry]:
        """Every FIT (category, name) pair, loaded on first use.

        Then one category-only entry per category, ``<category>/any`` titled as the category:
        last, so that they rank after the named exercises in ``search``, and indexed by their
        id alone, so that ``plank`` still resolves to a named exercise.
        """
        if self._fit is None:
            entries = []
            generic = []
            for row in fit_exercises():
                if row.key is None:
                    generic.append(
                        Entry(
                            id=f"{row.category}/{GENERIC_SUFFIX}",
                            name=row.shown,
                            fit_category=row.category_number,
                            fit_category_key=row.category,
                            fit_name=None,
                            fit_name_key=None,
                            curated=False,
                        )
                    )
                    continue
                title = _title(row.key)
                entries.append(
                    Entry(
                        id=f"{row.category}/{row.key}",
                        name=row.shown,
                        aliases=(title,) if normalise(title) != normalise(row.shown) else (),
                        fit_category=row.category_number,
                        fit_category_key=row.category,
                        fit_name=row.exercise_number,
                        fit_name_key=row.key,
                        curated=False,
                    )
                )
            for entry in entries:
                self._index.setdefault(normalise(entry.id), entry)
            for entry in sorted(entries, key=lambda e: e.fit_category):
                for key in (entry.name, *entry.aliases):
                    self._index.setdefault(normalise(key), entry)
            for entry in generic:
                self._index.setdefault(normalise(entry.id), entry)
            self._fit = entries + generic
        return self._fit

    def resolve(self, name: str) -> Entry:
        """The entry for a catalogue id, display name, alias, FIT ``category/name`` or FIT name."""
        found = self.find(name)
        if found is None:
            raise UnknownExercise(self._unknown_message(name))
        return found

    def find(self, name: str) -> Entry | None:
        """The entry ``resolve`` gives, or None, without looking for close names."""
        if name in self._found:
            return self._found[name]
        key = normalise(name)
        found = self._lookup(key)
        if found is None and self._fit is None:
            _ = self.fit_taxonomy
            found = self._lookup(key)
        self._found[name] = found
        return found

    def by_fit(self, category: int, name: int | None) -> Entry | None:
        """The curated entry with this FIT (category, name) pair, else the FIT taxonomy's.

        Curated entries whose pair is only the nearest FIT exercise (``fit_nearest``) come
        last: FIT's warm_up category reads back as Warm-Up, not Cool-Down. A category alone
        (``name`` None) is the category's ``<category>/any``, unless a curated entry is
        category-only too (``warm-up``).
        """
        pair = (category, name)
        nearest = None
        for entry in self.curated:
            if (entry.fit_category, entry.fit_name) == pair:
                if not entry.fit_nearest:
                    return entry
                nearest = nearest or entry
        if name is not None or nearest is None:
            for entry in self.fit_taxonomy:
                if (entry.fit_category, entry.fit_name) == pair:
                    return entry
        return nearest

    def _lookup(self, key: str) -> Entry | None:
        for index in (self._custom_index, self._index):
            for candidate in (key, key.removesuffix("s"), key.removesuffix("es")):
                if candidate in index:
                    return index[candidate]
        return None

    def _unknown_message(self, name: str) -> str:
        curated_keys = {
            normalise(k): e.name
            for e in (*self.custom, *self.curated)
            for k in (e.id, e.name, *e.aliases)
        }
        close = difflib.get_close_matches(normalise(name), curated_keys, n=3, cutoff=0.6)
        suggestions = list(dict.fromkeys(curated_keys[k] for k in close))
        if not suggestions:
            fit_keys = {normalise(e.name): e.id for e in self.fit_taxonomy if not e.category_only}
            for entry in self.fit_taxonomy:  # a category alone, where no name says the same
                fit_keys.setdefault(normalise(entry.name), entry.id)
            close = difflib.get_close_matches(normalise(name), fit_keys, n=3, cutoff=0.6)
            suggestions = [fit_keys[k] for k in close]
        hint = f": did you mean {', '.join(suggestions)}?" if suggestions else ""
        return f"unknown exercise {name!r}{hint} (see `liftfit exercises`)"

    def search(self, query: str = "", *, limit: int = 50) -> list[Entry]:
        """Curated entries first, then FIT names; by words contained, then by likeness."""
        if not query.strip():
            return [*self.custom, *sorted(self.curated, key=lambda e: e.id)][:limit]
        words = normalise(query).split()
        covered = {(e.fit_category, e.fit_name) for e in self.curated if not e.fit_nearest}
        pool = [*self.custom, *self.curated] + [
            e for e in self.fit_taxonomy if (e.fit_category, e.fit_name) not in covered
        ]
        query_key = " ".join(words)

        def rank(entry: Entry) -> int | None:
            """0 exact name, 1 every word starts a word, 2 every word inside; None: no match."""
            keys = [normalise(t) for t in (entry.id, entry.name, *entry.aliases)]
            if query_key in keys:
                return 0
            text = " ".join(keys)
            if all(re.search(rf"\b{re.escape(w)}", text) for w in words):
                return 1
            return 2 if all(w in text for w in words) else None

        def tier(entry: Entry, found: int) -> int:
            """A category-only entry after every named one, unless asked for by its id."""
            generic = not entry.curated and entry.category_only
            return found + 3 if generic and query_key != normalise(entry.id) else found

        ranked = [(tier(e, r), i, e) for i, e in enumerate(pool) if (r := rank(e)) is not None]
        hits = [e for _, _, e in sorted(ranked, key=lambda t: (t[0], t[1]))]
        if not hits:
            names = {normalise(e.name): e for e in pool if e.curated or not e.category_only}
            close = difflib.get_close_matches(query_key, names, n=10, cutoff=0.5)
            hits = [names[k] for k in close]
        return hits[:limit]


def _entry(raw: dict[str, Any]) -> Entry:
    cat_key, _, name_key = raw["fit"].partition("/")
    category, names = _fit_codes()[cat_key]
    name_value = names[name_key] if name_key else None
    return Entry(
        id=raw["id"],
        name=raw["name"],
        fit_category=category,
        fit_category_key=cat_key,
        fit_name=name_value,
        fit_name_key=name_key or None,
        aliases=tuple(raw.get("aliases", ())),
        coros=raw.get("coros"),
        fit_nearest=bool(raw.get("fit_nearest", False)),
        coros_nearest=bool(raw.get("coros_nearest", False)),
    )


@cache
def base_catalogue() -> Catalogue:
    """The bundled catalogue, read once per process from ``data/exercises.json``."""
    text = data.text("exercises.json")
    return Catalogue([_entry(raw) for raw in json.loads(text)["exercises"]])


_ACTIVE: ContextVar[Catalogue | None] = ContextVar("liftfit_catalogue", default=None)


def catalogue() -> Catalogue:
    """The catalogue in effect: the bundled one, with a library's own exercises inside
    ``using_custom``."""
    return _ACTIVE.get() or base_catalogue()


@contextmanager
def using_custom(entries: Sequence[Entry]) -> Iterator[Catalogue]:
    """Resolve a library's own exercises (``custom.py``) too, for the block's duration."""
    if not entries:
        yield catalogue()
        return
    active = base_catalogue().with_custom(entries)
    token = _ACTIVE.set(active)
    try:
        yield active
    finally:
        _ACTIVE.reset(token)


def custom_entry(name: str, aliases: Sequence[str], like: Entry, slug: str) -> Entry:
    """A library's own exercise: ``like``'s FIT, Connect and COROS exercise, its own name."""
    return replace(like, id=slug, name=name, aliases=tuple(aliases), curated=True, like=like.id)
