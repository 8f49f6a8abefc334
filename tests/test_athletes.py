"""One pack, many athletes (issue 13, item 7): ``--athletes DIR`` gives every athlete their own
files of the workouts a profile changes; the others are shared, not repeated."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from liftfit.athletes import load_athletes, needs_profile
from liftfit.cli import cli
from liftfit.errors import InvalidInput
from liftfit.model import Workout
from tests.conftest import garmin_decode

HEAVY = """name: Heavy
rest: 2min
steps:
  - {exercise: back squat, sets: 3, reps: 5, load: 80% 1RM}
"""
CORE = """name: Core
steps:
  - {exercise: plank, sets: 3, hold: 30s, rest: 30s}
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def library(tmp_path: Path) -> Path:
    (tmp_path / "workouts").mkdir()
    (tmp_path / "workouts" / "heavy.yaml").write_text(HEAVY, "utf-8")
    (tmp_path / "workouts" / "core.yaml").write_text(CORE, "utf-8")
    athletes = tmp_path / "athletes"
    athletes.mkdir()
    (athletes / "anna.yaml").write_text("one_rep_max: {back squat: 100 kg}\n", "utf-8")
    (athletes / "ben.yaml").write_text("units: lb\none_rep_max: {back squat: 300 lb}\n", "utf-8")
    return athletes


def weight(data: bytes) -> tuple[int, int]:
    step = garmin_decode(data)["workout_step_mesgs"][0]
    return step["exercise_weight"], step["weight_display_unit"]


def test_a_workout_needs_a_profile_for_a_share_of_1rm_or_a_bare_number() -> None:
    def workout(load: str) -> Workout:
        return Workout.model_validate(
            {"name": "x", "steps": [{"exercise": "squat", "reps": 5, "load": load}]}
        )

    assert needs_profile(workout("80% 1RM"))
    assert needs_profile(workout("100"))
    assert not needs_profile(workout("100 kg"))
    assert not needs_profile(workout("bodyweight"))


def test_athlete_profiles_are_checked_all_at_once(tmp_path: Path) -> None:
    (tmp_path / "anna.yaml").write_text("one_rep_max: {back squat: 100}\n", "utf-8")
    (tmp_path / "ben.yaml").write_text("unit: lb\n", "utf-8")
    with pytest.raises(InvalidInput) as raised:
        load_athletes(tmp_path)
    assert [str(p) for p in raised.value.problems] == [
        f"{tmp_path}/anna.yaml:1:27: one_rep_max.back squat: a load needs its unit: "
        "100 kg or 100 lb",
        f"{tmp_path}/ben.yaml:1:1: unit: unknown key 'unit': did you mean 'units'? "
        "(allowed: units, round_to, one_rep_max)",
    ]
    with pytest.raises(InvalidInput) as empty:
        load_athletes(tmp_path / "nowhere")
    assert "no such folder" in str(empty.value.problems[0])


def test_build_gives_each_athlete_their_loads_and_shares_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run("build", "workouts", "-o", "out", "--athletes", "athletes")
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    # Shared: every workout once, the one with % 1RM as written (its loads in the notes, no
    # profile here); then each athlete's own files of that one only, with their loads.
    assert sorted(p.name for p in (out / "fit").iterdir()) == ["core.fit", "heavy.fit"]
    assert (
        "exercise_weight"
        not in garmin_decode((out / "fit/heavy.fit").read_bytes())["workout_step_mesgs"][0]
    )
    assert weight((out / "athletes/anna/fit/heavy.fit").read_bytes()) == (8000, 1)
    assert weight((out / "athletes/ben/fit/heavy.fit").read_bytes()) == (10886, 2)  # 240 lb
    for name in ("anna", "ben"):
        assert sorted(p.name for p in (out / "athletes" / name).iterdir()) == [
            "coros",
            "fit",
            "garmin-connect",
            "html",
        ]
        assert not (out / "athletes" / name / "fit" / "core.fit").exists()
    assert "athletes anna, ben: 1 workout each in out/athletes/" in result.stdout


def test_pack_holds_each_athletes_files_and_lists_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run("pack", "workouts", "-o", "club.zip", "--athletes", "athletes")
    assert result.exit_code == 0, result.output
    archive = zipfile.ZipFile(io.BytesIO((tmp_path / "club.zip").read_bytes()))
    names = archive.namelist()
    assert "fit/core.fit" in names and "fit/heavy.fit" in names
    assert not [n for n in names if n.startswith("athletes/") and "core" in n]
    assert weight(archive.read("athletes/anna/fit/heavy.fit")) == (8000, 1)
    assert weight(archive.read("athletes/ben/fit/heavy.fit")) == (10886, 2)
    index = archive.read("index.html").decode()
    assert 'href="athletes/anna/fit/heavy.fit"' in index
    assert 'href="athletes/ben/fit/heavy.fit"' in index
    readme = archive.read("README.txt").decode()
    assert "athletes/anna/" in readme and "athletes/ben/" in readme


def test_a_problem_for_one_athlete_names_them_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    athletes = library(tmp_path)
    heavy = tmp_path / "workouts" / "heavy.yaml"
    heavy.write_text(HEAVY.replace("80% 1RM", "105% 1RM"), "utf-8")
    (athletes / "cem.yaml").write_text("one_rep_max: {back squat: 650 kg}\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("build", "workouts", "-o", "out", "--athletes", "athletes")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "error: workouts/heavy.yaml:4:52: steps[0].load: 105% 1RM of a 650 kg 1RM is "
        "682.5 kg: "
        "more than 655 kg (1444 lb), the most a FIT file holds (for cem, athletes/cem.yaml)"
    ]
    assert not (tmp_path / "out").exists()


def test_athletes_beside_the_workouts_are_not_read_as_workouts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library(tmp_path)
    (tmp_path / "athletes").rename(tmp_path / "workouts" / "athletes")
    monkeypatch.chdir(tmp_path)
    result = run("validate", "workouts")
    assert result.exit_code == 0, result.output
    assert "2 workouts" in result.output
    built = run("build", "workouts", "-o", "out", "--athletes", "workouts/athletes", "-q")
    assert built.exit_code == 0, built.output
    assert (tmp_path / "out/athletes/anna/fit/heavy.fit").is_file()


def test_pack_says_what_each_athlete_got(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    library(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = run("pack", "workouts", "-o", "club.zip", "--athletes", "athletes")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("packed 2 workouts into club.zip: ")
    assert lines[1] == "athletes anna, ben: 1 workout each in club.zip, athletes/"


PLAN = """name: Block
weeks: 2
start: 2026-03-02
sessions:
  - {workout: heavy, days: [mon]}
  - {workout: core, days: [thu]}
"""


def serial(data: bytes) -> int:
    return int(garmin_decode(data)["file_id_mesgs"][0]["serial_number"])


def test_each_athlete_gets_the_calendars_of_their_own_workouts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library(tmp_path)
    (tmp_path / "workouts" / "block.yaml").write_text(PLAN, "utf-8")
    monkeypatch.chdir(tmp_path)
    result = run("build", "workouts", "-o", "out", "--athletes", "athletes", "-q")
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    for name in ("anna", "ben"):
        own = out / "athletes" / name
        schedule = garmin_decode((own / "calendar/block.schedule.fit").read_bytes())
        serials = {int(m["serial_number"]) for m in schedule["schedule_mesgs"]}
        # The watch schedule names the athlete's own heavy workout and the shared core one.
        assert serials == {
            serial((own / "fit/heavy.fit").read_bytes()),
            serial((out / "fit/core.fit").read_bytes()),
        }
        ics = (own / "calendar/block.ics").read_bytes().decode("utf-8").replace("\r\n ", "")
        assert f"Watch: out/athletes/{name}/fit/heavy.fit" in ics
        assert "Watch: out/fit/core.fit" in ics
    shared = garmin_decode((out / "calendar/block.schedule.fit").read_bytes())
    assert serial((out / "fit/heavy.fit").read_bytes()) in {
        int(m["serial_number"]) for m in shared["schedule_mesgs"]
    }
    archive = tmp_path / "club.zip"
    packed = run("pack", "workouts", "-o", str(archive), "--athletes", "athletes", "-q")
    assert packed.exit_code == 0, packed.output
    names = zipfile.ZipFile(archive).namelist()
    assert "athletes/anna/calendar/block.schedule.fit" in names
    assert "athletes/anna/calendar/block.ics" in names
