"""The small value languages of workout files: durations, distances, loads, ranges, pace."""

import pytest

from liftfit import units


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("45s", 45),
        ("90 s", 90),
        ("2min", 120),
        ("1:30", 90),
        ("10min", 600),
        ("1min30s", 90),
        ("1 min 30 s", 90),
        ("1:00:00", 3600),
        ("30", 30),
        (75, 75),
        ("1h", 3600),
    ],
)
def test_durations(text: str | int, seconds: int) -> None:
    assert units.parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0s", "a duration must be longer than 0 s, got '0s'"),
        ("fast", "expected a duration like 45s, 90 s, 2min, 1:30 or 1min30s, got 'fast'"),
        ("3 weeks", "unknown time unit 'weeks' in '3 weeks': use s, min or h"),
        ("1.5s", "durations are whole seconds, got '1.5s'"),
    ],
)
def test_bad_durations(text: str, message: str) -> None:
    with pytest.raises(ValueError) as error:
        units.parse_duration(text)
    assert str(error.value) == message


@pytest.mark.parametrize(("seconds", "text"), [(45, "45s"), (120, "2min"), (90, "1:30")])
def test_format_duration(seconds: int, text: str) -> None:
    assert units.format_duration(seconds) == text


def test_distances() -> None:
    assert units.parse_distance("400m") == 400
    assert units.parse_distance("2 km") == 2000
    assert units.parse_distance("1mi") == pytest.approx(1609.344)
    assert units.parse_distance("10min") is None


@pytest.mark.parametrize(
    ("text", "load"),
    [
        ("60 kg", units.Load("weight", 60, "kg")),
        ("135 lb", units.Load("weight", 135, "lb")),
        ("135lbs", units.Load("weight", 135, "lb")),
        ("bodyweight", units.Load("bodyweight")),
        ("75% 1RM", units.Load("percent_1rm", 75)),
        ("80 % of 1rm", units.Load("percent_1rm", 80)),
    ],
)
def test_loads(text: str, load: units.Load) -> None:
    assert units.parse_load(text) == load


def test_pounds_are_converted_exactly() -> None:
    assert units.Load("weight", 35, "lb").kg == pytest.approx(15.87573295)


def test_bad_load() -> None:
    with pytest.raises(
        ValueError, match="expected a load like 60 kg, 135 lb, bodyweight or 75% 1RM, got 'heavy'"
    ):
        units.parse_load("heavy")


def test_ranges() -> None:
    assert units.parse_range("5-6", what="reps", low=1, high=99) == units.Range(5, 6)
    assert units.parse_range(8, what="reps", low=1, high=99) == units.Range(8, 8)
    with pytest.raises(ValueError, match="a range goes from low to high, got '6-5'"):
        units.parse_range("6-5", what="reps", low=1, high=99)


def test_rpe_and_pace() -> None:
    assert units.parse_rpe("8-9") == (8, 9)
    assert units.parse_rpe(7.5) == (7.5, 7.5)
    with pytest.raises(ValueError, match="RPE must be between 1 and 10, got 11"):
        units.parse_rpe(11)
    assert units.parse_pace("3:50-3:20/km") == (200, 230, "km")


@pytest.mark.parametrize(
    ("text", "low", "high", "shown"),
    [
        ("20-30s", 20, 30, "20-30s"),
        ("2-3min", 120, 180, "2-3min"),
        ("30s-1min", 30, 60, "30s-1min"),
        ("90-120s", 90, 120, "1:30-2min"),
        ("1:30-2:00", 90, 120, "1:30-2min"),
        ("2 to 3 min", 120, 180, "2-3min"),
        ("45s", 45, 45, "45s"),
    ],
)
def test_duration_ranges(text: str, low: int, high: int, shown: str) -> None:
    span = units.parse_duration_span(text)
    assert (span.low, span.high, str(span)) == (low, high, shown)


def test_range_ends_go_from_low_to_high() -> None:
    with pytest.raises(ValueError, match="a range goes from low to high, got '3-2min'"):
        units.parse_duration_span("3-2min")
    with pytest.raises(ValueError, match="a range goes from low to high"):
        units.parse_load("85-75% 1RM")


@pytest.mark.parametrize(
    ("text", "kind", "low", "high", "unit", "shown"),
    [
        ("60-70 kg", "weight", 60, 70, "kg", "60-70 kg"),
        ("75-85% 1RM", "percent_1rm", 75, 85, "kg", "75-85% 1RM"),
        ("75%-85% 1rm", "percent_1rm", 75, 85, "kg", "75-85% 1RM"),
        ("135-155 lb", "weight", 135, 155, "lb", "135-155 lb"),
    ],
)
def test_load_ranges(text: str, kind: str, low: float, high: float, unit: str, shown: str) -> None:
    load = units.parse_load(text)
    assert (load.kind, load.low, load.value, load.unit, str(load)) == (
        kind,
        low,
        high,
        unit,
        shown,
    )


def test_a_load_range_is_of_one_kind() -> None:
    with pytest.raises(ValueError, match="a load range is two weights or two shares of 1RM"):
        units.parse_load("60 kg-80% 1RM")


@pytest.mark.parametrize(
    ("written", "shown", "notes"),
    [("AMRAP", "AMRAP", "AMRAP"), ("max", "AMRAP", "AMRAP"), ("5+", "5+", "5+ reps")],
)
def test_amrap(written: str, shown: str, notes: str) -> None:
    reps = units.parse_reps(written)
    assert isinstance(reps, units.Amrap)
    assert (str(reps), reps.text) == (shown, notes)


def test_plates() -> None:
    assert units.round_to(119, 2.5) == 120
    assert units.round_to(118.7, 2.5) == 117.5
    assert units.round_to(267.75, 10) == 270
    assert units.convert(100, "lb", "kg") == pytest.approx(45.359237)
