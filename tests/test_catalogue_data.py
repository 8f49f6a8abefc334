"""Checks on the curated exercise catalogue, src/liftfit/data/exercises.yaml.

The catalogue maps what runners type ("sl rdl", "pogos") to a FIT exercise code and a COROS
catalogue code. These tests keep it honest: every FIT code is a real fit-tool enum member,
every COROS code is in the reference catalogue, lookups are unambiguous, and every
approximation is listed here on purpose.
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from fit_tool.profile import profile_type as pt
from hypothesis import given
from hypothesis import strategies as st

CATALOGUE_PATH = Path(__file__).parents[1] / "src/liftfit/data/exercises.yaml"
REFERENCE = Path(
    os.environ.get("LIFTFIT_REFERENCE", Path(__file__).parents[2] / "shared" / "reference")
)
COROS_CSV = REFERENCE / "coros" / "strength-exercise-catalog.csv"

REQUIRED_KEYS = {"id", "name", "fit", "aliases", "coros"}
OPTIONAL_KEYS = {"coros_nearest", "fit_nearest"}
NAME_MAX_BYTES = 31  # Garmin Connect sizes display-name fields 32 bytes, NUL included

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
FIT_CODE = re.compile(r"([a-z0-9_]+)(?:/([a-z0-9_]+))?")
COROS_CODE = re.compile(r"T\d{4}")
SMALL_WORDS = {"a", "an", "and", "at", "for", "in", "of", "on", "or", "the", "to", "with"}

# Ids the bundled workout library is written against: they must keep existing.
REQUIRED_IDS = {
    "warm-up", "cool-down", "run", "jog", "sprint", "walk",
    "quarter-squat", "squat", "goblet-squat", "back-squat", "front-squat", "jump-squat",
    "split-squat", "bulgarian-split-squat", "pistol-squat", "wall-sit", "step-up",
    "lunge", "reverse-lunge", "walking-lunge", "side-lunge", "dumbbell-lunge", "jumping-lunge",
    "calf-raise", "single-leg-calf-raise", "seated-calf-raise", "tibialis-raise",
    "romanian-deadlift", "single-leg-deadlift", "deadlift", "trap-bar-deadlift",
    "kettlebell-swing", "good-morning", "hip-thrust", "glute-bridge", "single-leg-glute-bridge",
    "nordic-hamstring-curl", "hamstring-curl", "leg-press",
    "clam-shell", "lateral-band-walk", "monster-walk", "fire-hydrant", "side-lying-leg-raise",
    "dead-bug", "bird-dog", "hip-circles",
    "plank", "side-plank", "plank-with-leg-lift", "plank-walk-up", "copenhagen-plank",
    "mountain-climber", "russian-twist", "bicycle-crunch", "crunch", "sit-up", "v-up",
    "leg-raise", "superman", "back-extension", "pallof-press", "hollow-hold",
    "push-up", "bench-press", "dumbbell-bench-press", "overhead-press", "dumbbell-shoulder-press",
    "pull-up", "chin-up", "inverted-row", "bent-over-row", "single-arm-row", "lat-pulldown",
    "farmers-carry", "suitcase-carry",
    "burpee", "speed-skater", "jumping-jacks", "box-jump", "depth-jump", "tuck-jump",
    "broad-jump", "pogo-hop", "single-leg-hop", "hurdle-hop", "bounding", "lateral-hop",
    "a-skip", "b-skip", "high-knees", "butt-kicks", "carioca", "straight-leg-bound",
    "stair-run", "hurdle-walkover", "leg-swings", "ankle-hops",
}  # fmt: skip

# Entries whose `fit` code is only the nearest one in the FIT profile. Adding an id here is a
# deliberate decision: the FIT file then carries the real name in exercise_title and notes.
FIT_NEAREST_ALLOWED = {
    "a-skip",  # warm_up/walking_knee_hugs
    "ankle-hops",  # cardio/jump_rope
    "b-skip",  # warm_up/walking_high_kicks
    "bounding",  # plyo/lateral_leap_and_hop
    "broad-jump",  # plyo/jump_squat
    "butt-kicks",  # cardio/jump_rope_jog
    "carioca",  # plyo/lateral_slide
    "cool-down",  # warm_up (no cool-down category in FIT)
    "copenhagen-plank",  # plank/side_plank_with_feet_on_bench
    "fire-hydrant",  # hip_stability/fire_hydrant_kicks (plain one is only banded, cat. 37)
    "high-knees",  # warm_up/walking_high_knees
    "hollow-hold",  # crunch/hollow_rock
    "hurdle-hop",  # plyo/box_jump_overs
    "hurdle-walkover",  # leg_raise/lateral_stepover
    "lateral-hop",  # cardio/ski_moguls
    "monster-walk",  # hip_stability/lateral_walks_with_band_at_ankles
    "nordic-hamstring-curl",  # leg_curl/leg_curl
    "plank-walk-up",  # plank/plank
    "pogo-hop",  # cardio/jump_rope
    "quarter-squat",  # squat/squat (barbell-quarter-squat is exact)
    "reverse-lunge",  # lunge/lunge (only loaded reverse lunges exist)
    "single-leg-hop",  # plyo/lateral_leap_and_hop
    "speed-skater",  # plyo/lateral_leap_and_hop
    "split-squat",  # squat/dumbbell_split_squat (no body-weight split squat)
    "stair-run",  # run/run
    "step-up-with-knee-drive",  # squat/step_up
    "straight-leg-bound",  # plyo/lateral_leap_and_hop
    "suitcase-carry",  # carry/farmers_walk
    "tibialis-raise",  # calf_raise/seated_dumbbell_toe_raise
    "tuck-jump",  # plyo/body_weight_jump_squat
    "worlds-greatest-stretch",  # warm_up/elbow_to_foot_lunge
}
# Not in the FIT profile at all: these must stay marked.
KNOWN_FIT_APPROXIMATIONS = {"pogo-hop", "speed-skater", "tibialis-raise"}
# A category-only code (`fit: warm_up`) is for warm-up / cool-down style entries only.
CATEGORY_ONLY_ALLOWED = {"warm-up", "cool-down"}


def normalise(text: str) -> str:
    """Lower-case; "-", "_", "'", "\u2019", "/" and runs of whitespace become single spaces.

    Kept identical to liftfit.catalogue.normalise, which the lookups use.
    """
    return re.sub(r"[\s\-_'\u2019/]+", " ", text.strip().lower()).strip()


def _load() -> list[dict[str, Any]]:
    with CATALOGUE_PATH.open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    assert isinstance(data, list), "the catalogue must be a YAML list"
    return data


ENTRIES = _load()
ENTRY_IDS = [str(entry.get("id")) for entry in ENTRIES]


def _name_enum(category: str) -> Any:
    class_name = "".join(part.capitalize() for part in category.split("_")) + "ExerciseName"
    return getattr(pt, class_name, None)


def _fit_problem(code: Any) -> str | None:
    """Why `code` is not a valid fit-tool exercise code, or None."""
    if not isinstance(code, str):
        return f"fit must be a string, got {code!r}"
    match = FIT_CODE.fullmatch(code)
    if not match:
        return f"fit {code!r} is not 'category' or 'category/name' in lower case"
    category, name = match.groups()
    if category.upper() not in pt.ExerciseCategory.__members__:
        return f"fit category {category!r} is not a member of ExerciseCategory"
    if name is None:
        return None
    enum = _name_enum(category)
    if enum is None:
        return f"fit-tool has no name enum for category {category!r}"
    member = enum.__members__.get(name.upper())
    if member is None or member.name.lower() != name:
        return f"fit name {name!r} is not a member of {enum.__name__}"
    return None


def _is_title_case(name: str) -> bool:
    words = name.split(" ")
    for index, word in enumerate(words):
        for part in word.split("-"):
            if not part:
                return False
            if index > 0 and part in SMALL_WORDS:
                continue
            if part[0].isalpha() and not part[0].isupper():
                return False
    return True


def test_catalogue_is_a_sorted_list_of_mappings() -> None:
    assert ENTRIES, "the catalogue is empty"
    assert all(isinstance(entry, dict) for entry in ENTRIES)
    assert sorted(ENTRY_IDS) == ENTRY_IDS, "entries must be sorted by id"


@pytest.mark.parametrize("entry", ENTRIES, ids=ENTRY_IDS)
def test_entry_shape(entry: dict[str, Any]) -> None:
    keys = set(entry)
    assert keys >= REQUIRED_KEYS, f"missing keys: {sorted(REQUIRED_KEYS - keys)}"
    assert keys <= REQUIRED_KEYS | OPTIONAL_KEYS, (
        f"unknown keys: {sorted(keys - REQUIRED_KEYS - OPTIONAL_KEYS)}"
    )
    for flag in OPTIONAL_KEYS & keys:
        assert entry[flag] is True, f"{flag}: write `true` or leave the key out"

    assert isinstance(entry["id"], str) and SLUG.fullmatch(entry["id"]), (
        f"id {entry['id']!r} is not a lower-case slug"
    )

    name = entry["name"]
    assert isinstance(name, str) and name == name.strip() and "  " not in name, (
        f"name {name!r}: a trimmed string with single spaces"
    )
    assert len(name.encode("utf-8")) <= NAME_MAX_BYTES, f"name {name!r} is over 31 bytes"
    assert _is_title_case(name), f"name {name!r} is not Title Case"

    aliases = entry["aliases"]
    assert isinstance(aliases, list), "aliases must be a list"
    for alias in aliases:
        assert isinstance(alias, str), f"alias {alias!r} is not a string"
        assert alias == alias.strip().lower() and alias, f"alias {alias!r}: lower case, trimmed"

    assert isinstance(entry["coros"], str) and COROS_CODE.fullmatch(entry["coros"]), (
        f"coros {entry['coros']!r} is not a T-code"
    )


@pytest.mark.parametrize("entry", ENTRIES, ids=ENTRY_IDS)
def test_fit_code_is_a_fit_tool_enum_member(entry: dict[str, Any]) -> None:
    problem = _fit_problem(entry["fit"])
    assert problem is None, problem
    if "/" not in entry["fit"]:
        assert entry["id"] in CATEGORY_ONLY_ALLOWED, (
            "a category-only fit code is only for warm-up / cool-down entries"
        )


def test_fit_code_check_rejects_bad_codes() -> None:
    assert _fit_problem("squat/squat") is None
    assert _fit_problem("warm_up") is None
    assert _fit_problem("squat/no_such_squat") is not None
    assert _fit_problem("no_such_category") is not None
    assert _fit_problem("Squat/Squat") is not None
    assert _fit_problem("cardio_sensors/anything") is not None


def test_ids_are_unique() -> None:
    duplicates = sorted({i for i in ENTRY_IDS if ENTRY_IDS.count(i) > 1})
    assert not duplicates, f"duplicate ids: {duplicates}"


def test_required_ids_exist() -> None:
    missing = sorted(REQUIRED_IDS - set(ENTRY_IDS))
    assert not missing, f"ids the workout library needs are missing: {missing}"


def test_no_lookup_key_is_ambiguous() -> None:
    """id, name and aliases, normalised, each lead to exactly one entry."""
    owner: dict[str, str] = {}
    problems: list[str] = []
    for entry in ENTRIES:
        own = {normalise(entry["id"]), normalise(entry["name"])}
        keys = set(own)
        for alias in entry["aliases"]:
            key = normalise(alias)
            if key in keys:
                problems.append(f"{entry['id']}: alias {alias!r} repeats its id, name or alias")
            keys.add(key)
        for key in keys:
            other = owner.setdefault(key, entry["id"])
            if other != entry["id"]:
                problems.append(f"{key!r} belongs to both {other} and {entry['id']}")
    assert not problems, "\n".join(problems)


def test_fit_nearest_only_where_allowed() -> None:
    marked = {entry["id"] for entry in ENTRIES if entry.get("fit_nearest")}
    unexpected = sorted(marked - FIT_NEAREST_ALLOWED)
    assert not unexpected, f"fit_nearest set but not in FIT_NEAREST_ALLOWED: {unexpected}"
    unmarked = sorted(KNOWN_FIT_APPROXIMATIONS - marked)
    assert not unmarked, f"known FIT approximations must be marked fit_nearest: {unmarked}"
    stale = sorted(FIT_NEAREST_ALLOWED - set(ENTRY_IDS))
    assert not stale, f"FIT_NEAREST_ALLOWED names ids that do not exist: {stale}"


def test_warm_up_and_cool_down_codes() -> None:
    by_id = {entry["id"]: entry for entry in ENTRIES}
    assert by_id["warm-up"]["fit"] == "warm_up"
    assert by_id["warm-up"]["coros"] == "T1120"
    assert by_id["cool-down"]["coros"] == "T1122"
    assert all(entry["coros"] != "T1123" for entry in ENTRIES), "Rest (T1123) is not an exercise"


def test_coros_codes_exist_in_reference_catalogue() -> None:
    if not COROS_CSV.is_file():
        pytest.skip(f"reference folder not found at {REFERENCE}: set LIFTFIT_REFERENCE")
    with COROS_CSV.open(encoding="utf-8", newline="") as handle:
        known = {row["code"] for row in csv.DictReader(handle)}
    unknown = sorted(f"{e['id']}: {e['coros']}" for e in ENTRIES if e["coros"] not in known)
    assert not unknown, f"COROS codes not in {COROS_CSV.name}: {unknown}"


def test_normalise_matches_the_catalogue_loader() -> None:
    loader = pytest.importorskip("liftfit.catalogue")
    samples = ["Farmer's Walk", "farmer’s  walk", "1/4 Squat", "Step_Up", " Push-Ups ", "A-Skip"]
    assert [normalise(s) for s in samples] == [loader.normalise(s) for s in samples]


@given(st.text(alphabet=st.sampled_from("aZé İ-_'’/\t\n\u00a0\u2003x1")) | st.text())
def test_normalise_matches_the_catalogue_loader_on_any_text(text: str) -> None:
    from liftfit.catalogue import normalise as loader_normalise

    assert loader_normalise(text) == normalise(text)


def test_every_key_resolves_to_its_entry() -> None:
    loader = pytest.importorskip("liftfit.catalogue")
    wrong = []
    for entry in ENTRIES:
        for key in (entry["id"], entry["name"], *entry["aliases"]):
            found = loader.catalogue().resolve(key)
            if found.id != entry["id"]:
                wrong.append(f"{key!r} resolves to {found.id}, not {entry['id']}")
    assert not wrong, "\n".join(wrong)


def test_each_category_alone_is_an_entry_found_by_its_id_only() -> None:
    from liftfit.catalogue import UnknownExercise, catalogue

    book = catalogue()
    generic = {e.id: e for e in book.fit_taxonomy if e.fit_name is None}
    categories = [c for c in pt.ExerciseCategory if c.name != "UNKNOWN"]
    assert set(generic) == {f"{c.name.lower()}/any" for c in categories}
    plank = book.resolve("plank/any")
    assert (plank.name, plank.fit_category, plank.fit_name, plank.fit_name_key) == (
        "Plank",
        19,
        None,
        None,
    )
    assert book.resolve("Plank Any") is plank
    assert book.resolve("total_body/any").name == "Total Body"
    # Names and FIT names still resolve to named exercises.
    assert book.resolve("plank").id == "plank"
    with pytest.raises(UnknownExercise, match="'total body'"):
        book.resolve("total body")  # a category's title is not a name
    # A category alone reads back as its own entry; FIT's warm_up as the curated Warm-Up.
    assert book.by_fit(19, None) is plank
    warm_up = pt.ExerciseCategory.WARM_UP.value
    assert book.by_fit(warm_up, None) is book.resolve("warm-up")
