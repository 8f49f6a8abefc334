"""liftfit's FIT writer gives the bytes fit-tool gave, for any workout and schedule.

Random workouts (every kind of step, target, load, long and non-ASCII texts, names that
cut, shrink and grow) are encoded by ``exporters.fit`` and by the fit-tool encoder liftfit
used before (tests/fit_tool_encoder.py); the bytes must be equal, and Garmin's decoder and
fitdecode must read the same raw values from them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liftfit.calendars import compile_library
from liftfit.catalogue import catalogue
from liftfit.exporters.fit import fit_output
from liftfit.exporters.fitwriter import FitWriter, crc16
from liftfit.library import load_library
from liftfit.lowering import lower_workout
from liftfit.model import Workout
from tests.conftest import ROOT, examples, fitdecode_frames, garmin_decode
from tests.fit_tool_encoder import fit_tool_schedule, fit_tool_workout

CATALOGUE = catalogue()
NAMES = [e.id for e in CATALOGUE.curated] + [e.id for e in CATALOGUE.fit_taxonomy[::37]]

# Any printable text (workout files refuse control characters), short and long.
letters = st.characters(codec="utf-8", exclude_categories=["Cs", "Cc", "Zl", "Zp"])
texts = st.one_of(
    st.none(),
    st.text(letters, min_size=1, max_size=12),
    st.text(letters, max_size=260),
    st.sampled_from(["é" * 120, "x" * 250, "RPE 8 · 3 s down", "日本語のメモ" * 9]),
)
rests = st.one_of(st.sampled_from(["none", "lap", "90s", "1:30"]), st.integers(1, 600))
loads = st.one_of(
    st.none(),
    st.builds("{} {}".format, st.integers(1, 600), st.sampled_from(["kg", "lb"])),
    st.just("bodyweight"),
)


@st.composite
def exercise(draw: st.DrawFn, in_block: bool = False) -> dict[str, Any]:
    step: dict[str, Any] = {"exercise": draw(st.sampled_from(NAMES))}
    kind = draw(st.sampled_from(["reps", "range", "hold", "distance", "open"]))
    step.update(
        {
            "reps": {"reps": draw(st.integers(1, 100))},
            "range": {"reps": "5-6"},
            "hold": {"hold": draw(st.integers(1, 3600))},
            "distance": {"distance": f"{draw(st.integers(1, 5000))}m"},
            "open": {"open": True},
        }[kind]
    )
    if not in_block:
        step["sets"] = draw(st.integers(1, 6))
        step["rest"] = draw(rests)
    optional = {
        "load": loads,
        "rpe": st.one_of(st.none(), st.integers(1, 10)),
        "note": texts,
        "per_side": st.sampled_from([False, True, "split"]),
        "intensity": st.sampled_from(["active", "warmup", "cooldown"]),
    }
    for key, strategy in optional.items():
        value = draw(strategy)
        if value not in (None, False, "active"):
            step[key] = value
    return step


cardio = st.builds(
    lambda kind, length, target, note: {kind: length, **target, **({"note": note} if note else {})},
    st.sampled_from(["warmup", "cooldown", "run", "recover"]),
    st.sampled_from(["10min", "2km", "lap", "45s", "400m"]),
    st.sampled_from([{}, {"hr_zone": 2}, {"hr_zone": 5}, {"pace": "5:00-5:30/km"}]),
    texts,
)
circuit = st.builds(
    lambda rounds, rest, items: {"circuit": {"rounds": rounds, "rest": rest, "exercises": items}},
    st.integers(1, 5),
    rests,
    st.lists(exercise(in_block=True), min_size=1, max_size=4),
)
steps = st.lists(st.one_of(exercise(), exercise(), cardio, circuit), min_size=1, max_size=7)
workouts = st.builds(
    lambda name, sport, items: {"name": name, "sport": sport, "steps": items},
    st.one_of(st.text(letters, min_size=1, max_size=40).filter(str.strip), st.just("Ü" * 40)),
    st.sampled_from(["strength", "run"]),
    steps,
)


def _raw(data: bytes) -> list[tuple[str, dict[str, Any]]]:
    """Every workout_step as fitdecode reads it: field number → raw value."""
    return [
        (frame.name, {f.def_num: f.raw_value for f in frame.fields})
        for frame in fitdecode_frames(data)
    ]


@settings(max_examples=examples(300))
@given(workouts)
def test_random_workouts_give_fit_tools_bytes(spec: dict[str, Any]) -> None:
    lowered = lower_workout(Workout.model_validate(spec), slug="random")
    ours = fit_output(lowered).data
    assert ours == fit_tool_workout(lowered)
    messages = garmin_decode(ours)
    frames = _raw(ours)
    steps = [fields for name, fields in frames if name == "workout_step"]
    assert len(steps) == len(messages["workout_step_mesgs"]) == lowered.step_count
    for garmin, ours_step in zip(messages["workout_step_mesgs"], steps, strict=True):
        assert garmin["duration_type"] == ours_step[1]
        assert garmin.get("duration_value") == ours_step.get(2)
        assert garmin.get("notes") == ours_step.get(8)
        assert garmin.get("exercise_weight") == ours_step.get(12)


def test_every_plan_schedule_gives_fit_tools_bytes() -> None:
    library = load_library([ROOT / "workouts"])
    build = compile_library(library, start=date(2026, 3, 2), formats=["fit"])
    lowered = {c.source.slug: c.lowered for c in build.compiled}
    assert build.plans
    for plan in build.plans:
        assert plan.calendar is not None
        window = plan.calendar.first_weeks(plan.schedule_weeks)
        ours = plan.outputs[f"{plan.source.slug}.schedule.fit"].data
        assert ours == fit_tool_schedule(plan.calendar, window, lowered)
        assert len(garmin_decode(ours)["schedule_mesgs"]) == len(window)


def test_crc_is_fits() -> None:
    assert crc16(b"123456789") == 0xBB3D  # CRC-16/ARC's check value, the FIT CRC


@given(st.binary(max_size=300), st.integers(0, 0xFFFF))
def test_crc_two_bytes_at_a_time_is_fit_tools_byte_by_byte(data: bytes, start: int) -> None:
    from fit_tool.utils.crc import crc16 as fit_tool_crc16

    assert crc16(data, start) == fit_tool_crc16(data, crc=start)


def test_a_shorter_string_reuses_the_definition_a_longer_one_redefines() -> None:
    writer = FitWriter()
    for text in ("long text", "short", "a longer text"):
        writer.write(
            "exercise_title", {"message_index": 0, "exercise_category": 1, "wkt_step_name": text}
        )
    data = writer.file()
    # a definition record: header 0x40, reserved, little-endian, message 264, 3 fields
    assert data.count(b"\x40\x00\x00\x08\x01\x03") == 2
    titles = [m["wkt_step_name"] for m in garmin_decode(data)["exercise_title_mesgs"]]
    assert titles == ["long text", "short", "a longer text"]


@pytest.mark.parametrize(
    ("values", "error"),
    [
        ({"exercise_weight": 700}, "out of range"),
        ({"duration_time": -1}, "out of range"),
        ({"notes": "x" * 255}, "at most 255 bytes"),
        ({"duration_time": 1, "duration_reps": 2}, "already set"),
    ],
)
def test_values_a_fit_field_cannot_hold_are_refused(values: dict[str, Any], error: str) -> None:
    with pytest.raises(ValueError, match=error):
        FitWriter().write("workout_step", values)


def test_the_header_and_crc_are_garmins() -> None:
    writer = FitWriter()
    writer.write("file_id", {"type": 5, "manufacturer": 255, "product": 0, "serial_number": 7})
    data = writer.file()
    assert data[:2] == b"\x0e\x20" and data[8:12] == b".FIT"
    assert garmin_decode(data)["file_id_mesgs"] == [
        {"type": 5, "manufacturer": 255, "product": 0, "serial_number": 7}
    ]


def test_the_workout_description_is_written() -> None:
    """wkt_description (field 17) is in the message table, for workouts that carry one."""
    writer = FitWriter()
    writer.write(
        "workout", {"sport": 10, "num_valid_steps": 0, "wkt_name": "Day", "wkt_description": "Slow"}
    )
    (workout,) = garmin_decode(writer.file())["workout_mesgs"]
    assert (workout["wkt_name"], workout["wkt_description"]) == ("Day", "Slow")
