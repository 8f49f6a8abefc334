"""`liftfit schema` says what the loader says: good files pass it, refused files it can see fail.

The schema is generated from the same pydantic models the loader validates with; these tests
hold it to that with jsonschema, over every bundled file and the bad-file corpus.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from liftfit.cli import cli
from tests.conftest import ROOT

BAD = ROOT / "tests" / "bad"
WORKOUTS = sorted((ROOT / "workouts").glob("*.yaml"))
PLANS = sorted((ROOT / "workouts" / "plans").glob("*.yaml"))

# Refused by the loader for what a schema cannot say: names looked up in the catalogue or the
# library, limits inside the value languages (durations, loads, ranges), YAML-level problems
# (the file never becomes data), and rules across fields.
NEVER_DATA = "refused while reading"
SCHEMA_CANNOT_SEE = {
    "alias-bomb.yaml": "refused while reading, before it is data",
    "bad-cardio-length.yaml": "the duration language",
    "bad-clock.yaml": "the duration language",
    "bad-duration.yaml": "the duration language",
    "bad-load.yaml": "the load language",
    "bad-merge.yaml": "YAML merge keys are resolved before the data exists",
    "bad-pace.yaml": "the pace language",
    "bad-rest.yaml": "the duration language",
    "blank-name.yaml": "visible text",
    "cardio-too-long.yaml": "the duration language",
    "custom-tag.yaml": "YAML tags",
    "duplicate-key.yaml": "YAML keys",
    "empty-fit-name.yaml": "the catalogue",
    "hold-too-long.yaml": "the duration language",
    "list-key.yaml": "YAML keys",
    "load-too-heavy.yaml": "the load language",
    "load-without-unit.yaml": "a number is a load in the profile's units, if it gives them",
    "nul-name.yaml": "control characters",
    "plan-name-newline.yaml": "control characters",
    "plan-start-late.yaml": "dates and weeks together",
    "plan-start-range.yaml": "dates and weeks together",
    "plan-workout-path.yaml": "workout names are looked up in the library",
    "recursive-alias.yaml": "refused while reading, before it is data",
    "rep-range-backwards.yaml": "the range language",
    "reps-and-hold.yaml": "one target of several fields",
    "reps-zero.yaml": "the range language",
    "rest-too-long.yaml": "the duration language",
    "rpe-out-of-range.yaml": "the RPE language",
    "syntax-error.yaml": "not YAML",
    "too-deep.yaml": "refused while reading, before it is data",
    "too-many-steps.yaml": "the lowered step count",
    "unknown-exercise.yaml": "the catalogue",
    "zero-distance.yaml": "the distance language",
    "tab-indent.yaml": "not YAML",
    "missing-colon.yaml": "read as a value the schema allows",
    "sets-by-reps.yaml": "the range language (reps may be text: 5-6)",
    "percent-without-1rm.yaml": "the load language",
    "warmup-too-far.yaml": "the distance language",
    "reps-not-number.yaml": "the range language (reps may be text: 5-6)",
    "nothing-given.yaml": "one target of several fields",
}


@functools.cache
def schema(kind: str) -> dict[str, Any]:
    """What `liftfit schema KIND` prints (asked once per kind: the output is always the same)."""
    result = CliRunner().invoke(cli, ["schema", kind])
    assert result.exit_code == 0
    loaded: dict[str, Any] = json.loads(result.stdout)
    return loaded


@functools.cache
def validator(kind: str) -> Any:
    """A validator of the schema, itself checked once against its metaschema (what
    ``jsonschema.validate`` does on every call)."""
    checked = jsonschema.validators.validator_for(schema(kind))
    checked.check_schema(schema(kind))
    return checked(schema(kind))


def validate(value: Any, kind: str) -> None:
    """``jsonschema.validate(value, schema(kind))``: the best-matching error raised, if any."""
    error = jsonschema.exceptions.best_match(validator(kind).iter_errors(value))
    if error is not None:
        raise error


class _EditorLoader(yaml.SafeLoader):
    """YAML as an editor's language server reads it: YAML 1.2 has no dates, only text."""


_EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def data(path: Path) -> Any:
    return yaml.load(path.read_text("utf-8"), Loader=_EditorLoader)


def kind_of(value: Any) -> str:
    return "plan" if isinstance(value, dict) and "sessions" in value else "workout"


@pytest.mark.parametrize("path", WORKOUTS + PLANS, ids=lambda p: p.name)
def test_every_bundled_file_passes_the_schema(path: Path) -> None:
    value = data(path)
    validate(value, kind_of(value))


def test_the_readme_profile_passes_the_schema() -> None:
    validate({"units": "kg", "one_rep_max": {"back squat": "140 kg"}}, "profile")


@pytest.mark.parametrize(
    "name", sorted(p.name for p in BAD.glob("*.yaml") if p.name != "expected.yaml")
)
def test_a_refused_file_the_schema_can_see_fails_it(name: str) -> None:
    if SCHEMA_CANNOT_SEE.get(name, "").startswith(NEVER_DATA):
        return  # as data it would expand to millions of values: the loader stops it first
    try:
        value = data(BAD / name)
    except yaml.YAMLError:
        assert name in SCHEMA_CANNOT_SEE
        return
    errors = list(validator(kind_of(value)).iter_errors(value))
    if name in SCHEMA_CANNOT_SEE:
        # The list above stays true: a file on it passes the schema (else take it off).
        assert errors == [], f"{name}: the schema sees this one"
    else:
        assert errors != [], f"{name}: refused by the loader, passed by the schema"


def test_the_schema_has_no_sets_inside_a_circuit_and_takes_full_weekdays() -> None:
    workout = {
        "name": "Circuit",
        "steps": [
            {"circuit": {"rounds": 2, "exercises": [{"exercise": "squat", "reps": 5, "sets": 3}]}}
        ],
    }
    with pytest.raises(jsonschema.ValidationError, match="'sets' was unexpected"):
        validate(workout, "workout")
    plan = {
        "name": "Week",
        "weeks": 1,
        "sessions": [{"workout": "core", "days": ["Monday", "sat"]}],
    }
    validate(plan, "plan")
