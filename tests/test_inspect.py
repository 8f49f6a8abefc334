"""Reading FIT workout files (``liftfit.fitread``) and the ``liftfit inspect`` command."""

from __future__ import annotations

import json
import random
import struct
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from liftfit.cli import cli
from liftfit.errors import InvalidInput
from liftfit.fitread import FitStep, FitWorkoutFile, read_fit_workout
from liftfit.fittext import duration_text, step_label, target_text, weight_text
from tests.conftest import REFERENCE, ROOT, examples, garmin_decode

REF = REFERENCE
CONNECT = "garmin-connect-strength-export.fit"
FIT_FILES = sorted(p.name for p in (REF / "fit").glob("*.fit")) if (REF / "fit").is_dir() else []
STEP_FIELDS = tuple(FitStep.__dataclass_fields__)


def reference_file(name: str) -> Path:
    path = REF / "fit" / name
    if not path.is_file():
        pytest.skip(f"reference files not found at {REF} (set LIFTFIT_REFERENCE)")
    return path


def inspect(*args: str) -> Any:
    return CliRunner().invoke(cli, ["inspect", *args])


def assert_one_error(result: Any, *fragments: str) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: ")
    for fragment in fragments:
        assert fragment in lines[0]
    return str(lines[0])


# --- building small FIT files with fit-tool -------------------------------------------------


def build_fit(*messages: Any, header_crc: bool = True) -> bytes:
    from fit_tool.fit_file import FitFile
    from fit_tool.fit_file_builder import FitFileBuilder, calc_crc, calc_records_size
    from fit_tool.fit_file_header import FitFileHeader, ProtocolVersion

    builder = FitFileBuilder(auto_define=True)
    builder.add_all(list(messages))
    records = builder.records
    header = FitFileHeader(
        records_size=calc_records_size(records),
        protocol_version=ProtocolVersion(2, 0),
        gen_crc=header_crc,
    )
    data: bytes = FitFile(header, records, calc_crc(header, records)).to_bytes()
    return data


def file_id(file_type: int) -> Any:
    from fit_tool.profile.messages.file_id_message import FileIdMessage

    message = FileIdMessage()
    message.type = file_type
    message.manufacturer = 255
    message.product = 0
    message.serial_number = 1234
    message.time_created = 1_704_067_200_000
    return message


def workout_header(name: str, steps: int, sport: int = 10) -> Any:
    from fit_tool.profile.messages.workout_message import WorkoutMessage

    message = WorkoutMessage()
    message.workout_name = name
    message.sport = sport
    message.num_valid_steps = steps
    return message


def step(index: int, **fields: Any) -> Any:
    """A workout_step; the duration/target type is set before its value (fit-tool's trap)."""
    from fit_tool.profile.messages.workout_step_message import WorkoutStepMessage

    message = WorkoutStepMessage()
    message.message_index = index
    for name in ("duration_type", "target_type"):
        if name in fields:
            setattr(message, name, fields.pop(name))
    for name, value in fields.items():
        setattr(message, name, value)
    return message


# --- reading every reference file ------------------------------------------------------------


@pytest.mark.parametrize("name", FIT_FILES or [CONNECT])
def test_every_reference_file_reads(name: str) -> None:
    path = reference_file(name)
    workout = read_fit_workout(path.read_bytes(), str(path))
    assert workout.file_type == 5
    assert workout.steps
    for item in workout.steps:
        assert step_label(workout, item)
        assert duration_text(item)


@pytest.mark.parametrize("name", FIT_FILES or [CONNECT])
def test_raw_values_match_garmins_decoder(name: str) -> None:
    data = reference_file(name).read_bytes()
    workout = read_fit_workout(data, name)
    garmin = garmin_decode(data)

    assert len(workout.steps) == len(garmin["workout_step_mesgs"])
    for ours, theirs in zip(workout.steps, garmin["workout_step_mesgs"], strict=True):
        for field in STEP_FIELDS:
            assert getattr(ours, field) == theirs.get(field), (ours.message_index, field)

    (fid,) = garmin["file_id_mesgs"]
    assert workout.file_type == fid.get("type")
    assert workout.manufacturer == fid.get("manufacturer")
    assert workout.product == fid.get("product")
    assert workout.serial_number == fid.get("serial_number")
    assert workout.time_created == fid.get("time_created")
    (header,) = garmin["workout_mesgs"]
    assert workout.name == header.get("wkt_name")
    assert workout.sport == header.get("sport")
    assert workout.sub_sport == header.get("sub_sport")
    assert workout.num_valid_steps == header.get("num_valid_steps")
    titles = {
        (t["exercise_category"], t.get("exercise_name")): t["wkt_step_name"]
        for t in garmin.get("exercise_title_mesgs", [])
    }
    assert dict(workout.titles) == titles


def test_connect_export_reads_as_garmin_wrote_it() -> None:
    path = reference_file(CONNECT)
    workout = read_fit_workout(path.read_bytes(), str(path))
    assert (workout.header_size, workout.protocol_version, workout.profile_version) == (
        14,
        "1.0",
        2201,
    )
    assert (workout.manufacturer, workout.product, workout.serial_number) == (1, 65534, 634642679)
    assert workout.time_created_utc is not None
    assert workout.time_created_utc.isoformat() == "2023-03-14T23:58:21+00:00"
    assert (workout.sport, workout.sub_sport, workout.num_valid_steps) == (10, 20, 43)
    assert len(workout.steps) == 43
    assert sum(s.is_repeat for s in workout.steps) == 10

    push_up, rest, repeat, row = workout.steps[1:5]
    assert (push_up.exercise_category, push_up.exercise_name, push_up.duration_value) == (
        22,
        69,
        15,
    )
    assert step_label(workout, push_up) == "Wide-hands Push-up"
    assert duration_text(push_up) == "15 reps"
    assert (rest.duration_type, rest.duration_value, rest.exercise_category) == (0, 60000, None)
    assert (step_label(workout, rest), duration_text(rest)) == ("Rest", "60 s")
    assert (repeat.duration_type, repeat.duration_value, repeat.target_value) == (6, 1, 3)
    assert duration_text(repeat) == "repeat ×3 from step 1"
    assert (row.exercise_weight, row.weight_display_unit) == (800, 1)
    assert weight_text(row) == "8 kg"
    assert duration_text(workout.steps[10]) == "1:30"
    assert duration_text(workout.steps[5]) == "until Lap"


# --- names and text -----------------------------------------------------------------------------


def test_names_come_from_titles_then_catalogue_then_codes(tmp_path: Path) -> None:
    data = build_fit(
        file_id(5),
        workout_header("No titles", 4),
        step(0, duration_type=29, duration_reps=10, exercise_category=28, exercise_name=37),
        step(1, duration_type=29, duration_reps=10, exercise_category=22, exercise_name=9999),
        step(2, duration_type=5, exercise_category=31),
        step(3, duration_type=5, exercise_category=9999),
    )
    workout = read_fit_workout(data, "t.fit")
    labels = [step_label(workout, s) for s in workout.steps]
    assert labels[0] in {"Goblet Squat", "Goblet squat"}
    assert labels[1] == "category 22 / name 9999"
    assert labels[2] == "Warm-Up"
    assert labels[3] == "category 9999"


def test_durations_targets_and_pounds() -> None:
    data = build_fit(
        file_id(5),
        workout_header("Run", 5, sport=1),
        step(
            0, duration_type=1, duration_distance=400.0, target_type=1, target_value=2, intensity=0
        ),
        step(
            1,
            duration_type=0,
            duration_time=90.0,
            target_type=0,
            target_value=0,
            custom_target_speed_low=4.348,  # m/s: 3:50/km
            custom_target_speed_high=5.0,  # 3:20/km
            intensity=0,
        ),
        step(2, duration_type=6, duration_step=0, target_repeat_steps=3),
        step(
            3,
            duration_type=29,
            duration_reps=1,
            exercise_category=28,
            exercise_name=37,
            exercise_weight=11.34,
            weight_display_unit=2,
            notes="slow\n\neach leg",
        ),
        step(4, duration_type=1, duration_distance=1500.0, intensity=3),
    )
    workout = read_fit_workout(data, "run.fit")
    first, second, repeat, goblet, cool = workout.steps
    assert (first.duration_value, second.duration_value) == (40000, 90000)
    assert (second.custom_target_value_low, second.custom_target_value_high) == (4348, 5000)
    assert (step_label(workout, first), duration_text(first)) == ("Run", "400 m")
    assert target_text(first, workout.sport) == "HR zone 2"
    assert (duration_text(second), target_text(second, workout.sport)) == ("1:30", "3:20-3:50/km")
    assert duration_text(repeat) == "repeat ×3 from step 0"
    assert (goblet.exercise_weight, goblet.weight_display_unit) == (1134, 2)
    assert (duration_text(goblet), weight_text(goblet)) == ("1 rep", "25 lb")
    assert (step_label(workout, cool), duration_text(cool)) == ("Cool-down", "1.5 km")


# --- the command ------------------------------------------------------------------------------


def test_inspect_table_shows_the_connect_export() -> None:
    result = inspect(str(reference_file(CONNECT)))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "FullBody - Beginner - B" in out
    assert "training (10) / strength_training (20)" in out
    assert "43 (10 repeats)" in out
    assert "garmin (1)" in out and "connect (65534)" in out and "634642679" in out
    assert "2023-03-14 23:58:21 UTC" in out
    rows = {line.split()[0]: line for line in out.splitlines()[6:] if line.strip()}
    assert "Wide-hands Push-up" in rows["1"] and "15 reps" in rows["1"]
    assert "Rétraction scapulaire / Inspirer en descendant / Expirer en montant" in rows["1"]
    assert "Rest" in rows["2"] and "60 s" in rows["2"]
    assert "repeat ×3 from step 1" in rows["3"]
    assert "8 kg" in rows["4"] and "Alternating Dumbbell Row" in rows["4"]
    assert "until Lap" in rows["5"]
    assert "1:30" in rows["10"]


def test_inspect_json_has_raw_values_and_names() -> None:
    result = inspect(str(reference_file(CONNECT)), "--json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["name"] == "FullBody - Beginner - B"
    assert (document["file_type"], document["manufacturer"], document["product"]) == (5, 1, 65534)
    assert document["num_valid_steps"] == 43
    assert len(document["steps"]) == 43
    push_up, rest, repeat, row = document["steps"][1:5]
    assert push_up["exercise_title"] == "Wide-hands Push-up"
    assert (push_up["duration_type"], push_up["duration_type_name"]) == (29, "reps")
    assert (rest["duration_value"], rest["intensity_name"]) == (60000, "rest")
    assert (repeat["duration_value"], repeat["target_value"]) == (1, 3)
    assert repeat["duration"] == "repeat ×3 from step 1"
    assert (row["exercise_weight"], row["weight"]) == (800, "8 kg")
    assert len(document["exercise_titles"]) == 9


def test_inspect_reads_a_file_without_header_crc(tmp_path: Path) -> None:
    path = tmp_path / "short-header.fit"
    path.write_bytes(
        build_fit(
            file_id(5), workout_header("Plain", 1), step(0, duration_type=5), header_crc=False
        )
    )
    result = inspect(str(path))
    assert result.exit_code == 0, result.output
    assert "Plain" in result.output and "until Lap" in result.output


# --- anything that is not a good FIT workout: one line, exit 1 --------------------------------


def test_missing_file(tmp_path: Path) -> None:
    assert_one_error(inspect(str(tmp_path / "nope.fit")), "no such file")


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.fit"
    path.write_bytes(b"")
    assert_one_error(inspect(str(path)), "not a FIT file", "empty")


@pytest.mark.parametrize("size", [5, 100, 5000])
def test_random_bytes(tmp_path: Path, size: int) -> None:
    path = tmp_path / "random.fit"
    path.write_bytes(random.Random(size).randbytes(size))
    assert_one_error(inspect(str(path)), "not a FIT file")


def test_truncated_reference_file(tmp_path: Path) -> None:
    data = reference_file(CONNECT).read_bytes()
    for cut in (13, 14, 100, len(data) // 2, len(data) - 1):
        path = tmp_path / "truncated.fit"
        path.write_bytes(data[:cut])
        assert_one_error(inspect(str(path)), "FIT file")
    path.write_bytes(data[: len(data) // 2])
    assert_one_error(inspect(str(path)), "truncated FIT file")


def test_flipped_byte_is_a_crc_mismatch(tmp_path: Path) -> None:
    data = bytearray(reference_file(CONNECT).read_bytes())
    data[len(data) // 2] ^= 0x5A
    path = tmp_path / "flipped.fit"
    path.write_bytes(bytes(data))
    assert_one_error(inspect(str(path)), "damaged FIT file: CRC mismatch")


def test_flipped_header_byte_is_a_header_crc_mismatch(tmp_path: Path) -> None:
    data = bytearray(reference_file(CONNECT).read_bytes())
    data[3] ^= 0x01  # profile version: inside the header CRC
    path = tmp_path / "header.fit"
    path.write_bytes(bytes(data))
    assert_one_error(inspect(str(path)), "header CRC mismatch")


def test_huge_claimed_size_fails_fast(tmp_path: Path) -> None:
    data = bytearray(reference_file(CONNECT).read_bytes())
    struct.pack_into("<I", data, 4, 0xFFFFFFF0)
    path = tmp_path / "huge.fit"
    path.write_bytes(bytes(data))
    assert_one_error(inspect(str(path)), "too large")


def test_activity_file_is_not_a_workout(tmp_path: Path) -> None:
    path = tmp_path / "activity.fit"
    path.write_bytes(build_fit(file_id(4)))
    assert_one_error(inspect(str(path)), "a FIT activity file (type 4), not a workout")


def test_workout_without_steps(tmp_path: Path) -> None:
    path = tmp_path / "nosteps.fit"
    path.write_bytes(build_fit(file_id(5), workout_header("Empty", 0)))
    assert_one_error(inspect(str(path)), "no workout steps")


def test_damaged_records_with_a_valid_crc(tmp_path: Path) -> None:
    """Garbage inside a correctly sized and checksummed container still fails in one line."""
    from fit_tool.utils.crc import crc16

    data = bytearray(reference_file(CONNECT).read_bytes())
    body = bytearray(random.Random(7).randbytes(len(data) - 16))
    data[14:-2] = body
    struct.pack_into("<H", data, len(data) - 2, crc16(bytes(data[:-2])))
    path = tmp_path / "garbage.fit"
    path.write_bytes(bytes(data))
    assert_one_error(inspect(str(path)))


def test_read_fit_workout_raises_invalid_input() -> None:
    with pytest.raises(InvalidInput) as caught:
        read_fit_workout(b"hello", "x.fit")
    assert [str(p) for p in caught.value.problems] == [
        "x.fit: not a FIT file (only 5 bytes, shorter than a FIT header)"
    ]
    assert isinstance(FitWorkoutFile, type)


def test_mutated_files_fail_in_one_line_or_read() -> None:
    """Random byte changes with correct CRCs: read, or one InvalidInput line, nothing else."""
    from fit_tool.utils.crc import crc16

    original = reference_file(CONNECT).read_bytes()
    rng = random.Random(2024)
    for _ in range(examples(150)):
        data = bytearray(original)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(14, len(data) - 2)] = rng.randrange(256)
        struct.pack_into("<H", data, len(data) - 2, crc16(bytes(data[:-2])))
        try:
            read_fit_workout(bytes(data), "mutated.fit")
        except InvalidInput as error:
            (line,) = error.lines()
            assert line.startswith("mutated.fit: ") and "\n" not in line


def test_inspect_shows_a_schedule_and_the_workouts_it_points_at(tmp_path: Path) -> None:
    from datetime import date

    from liftfit.library import load_library
    from liftfit.plan import expand

    plan = ROOT / "workouts" / "plans" / "ingebrigtsen-week.yaml"
    out = tmp_path / "build"
    built = CliRunner().invoke(
        cli, ["build", str(plan), "-f", "fit", "--start", "2026-03-02", "-o", str(out), "-q"]
    )
    assert built.exit_code == 0, built.output
    (source,) = load_library([plan]).plans
    sessions = expand(source, date(2026, 3, 2)).first_weeks(4)
    schedule = out / "calendar" / f"{plan.stem}.schedule.fit"
    result = CliRunner().invoke(cli, ["inspect", str(schedule)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"schedule: {len(sessions)} entries, {len(sessions)} pointing at workout files found here"
    )
    assert lines[1] == (
        f"  Mon 2026-03-02  {sessions[0].variant.workout.name}  "
        f"({out / 'fit' / sessions[0].variant.slug}.fit)"
    )
    document = json.loads(CliRunner().invoke(cli, ["inspect", "--json", str(schedule)]).stdout)
    assert [(e["date"], Path(e["workout_file"]).stem) for e in document["entries"]] == [
        (s.date.isoformat(), s.variant.slug) for s in sessions
    ]
