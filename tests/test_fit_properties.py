"""Property: any valid workout → FIT → Garmin's decoder → the steps the workout file says."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from liftfit import Exercise, Workout, to_fit_bytes
from liftfit.catalogue import catalogue
from tests.conftest import examples, garmin_decode

EXACT = [e for e in catalogue().curated if not e.fit_nearest and e.fit_name is not None]

exercises = st.builds(
    dict,
    entry=st.sampled_from(EXACT),
    sets=st.integers(1, 6),
    target=st.one_of(
        st.tuples(st.just("reps"), st.integers(1, 50)),
        st.tuples(st.just("hold"), st.integers(1, 600)),
        st.tuples(st.just("open"), st.just(0)),
    ),
    rest=st.one_of(st.just("none"), st.just("lap"), st.integers(5, 300)),
    load=st.one_of(
        st.none(),
        st.tuples(st.integers(1, 300), st.sampled_from(["kg", "lb"])),
    ),
)


def _model(spec: dict[str, Any]) -> Exercise:
    kind, value = spec["target"]
    fields: dict[str, Any] = {"exercise": spec["entry"].id, "sets": spec["sets"]}
    fields.update(
        {"reps": value} if kind == "reps" else {"hold": value} if kind == "hold" else {"open": True}
    )
    fields["rest"] = spec["rest"]
    if spec["load"]:
        fields["load"] = f"{spec['load'][0]} {spec['load'][1]}"
    return Exercise(**fields)


def _expected(specs: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """Written from the file format's rules, independently of the lowering code."""
    steps: list[tuple[Any, ...]] = []
    for spec in specs:
        first = len(steps)
        kind, value = spec["target"]
        duration = {"reps": (29, value), "hold": (0, value * 1000), "open": (5, None)}[kind]
        weight = None
        if spec["load"]:
            amount, unit = spec["load"]
            kg = amount if unit == "kg" else amount * 0.45359237
            weight = (round(kg * 100), 1 if unit == "kg" else 2)
        entry = spec["entry"]
        steps.append((*duration, 0, entry.fit_category, entry.fit_name, weight))
        if spec["rest"] == "lap":
            steps.append((5, None, 1, None, None, None))
        elif spec["rest"] != "none":
            steps.append((0, spec["rest"] * 1000, 1, None, None, None))
        if spec["sets"] > 1:
            steps.append((6, first, spec["sets"]))
    return steps


def _decoded(step: dict[str, Any]) -> tuple[Any, ...]:
    if step["duration_type"] == 6:
        return (6, step["duration_value"], step["target_value"])
    weight = None
    if "exercise_weight" in step:
        weight = (step["exercise_weight"], step["weight_display_unit"])
    return (
        step["duration_type"],
        step.get("duration_value"),
        step["intensity"],
        step.get("exercise_category"),
        step.get("exercise_name"),
        weight,
    )


@settings(max_examples=examples(150))
@given(st.lists(exercises, min_size=1, max_size=8))
def test_random_workouts_round_trip(specs: list[dict[str, Any]]) -> None:
    workout = Workout(name="Random", steps=[_model(s) for s in specs])
    messages = garmin_decode(to_fit_bytes(workout, max_steps=500))
    steps = messages["workout_step_mesgs"]
    assert [_decoded(s) for s in steps] == _expected(specs)
    assert messages["workout_mesgs"][0]["num_valid_steps"] == len(steps)
