"""The smaller commands and the command line's contract (exit codes, messages, defaults)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from liftfit.cli import cli
from tests.conftest import ROOT


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_exercises_finds_aliases() -> None:
    code, out, _ = run("exercises", "rdl")
    assert code == 0
    assert out.splitlines()[0].split()[:4] == [
        "romanian-deadlift",
        "Romanian",
        "Deadlift",
        "[deadlift/romanian_deadlift]",
    ]


def test_exercises_searches_the_whole_fit_taxonomy() -> None:
    code, out, _ = run("exercises", "90 degree static hold")
    assert code == 0
    assert "90-degree Static Hold  [plank/n90_degree_static_hold]" in out  # Garmin's name


def test_exercises_lists_a_category_alone() -> None:
    code, out, _ = run("exercises", "plank/any")
    assert code == 0
    assert out.splitlines()[0].split() == ["plank/any", "Plank", "[plank]", "[category", "only]"]
    code, out, _ = run("exercises", "plank", "--all")
    assert code == 0
    assert out.splitlines()[0].split()[0] == "plank"  # the named exercise still comes first
    assert out.splitlines()[-1].split()[0] == "plank/any"  # the category alone after them


def test_exercises_marks_nearest_mappings() -> None:
    code, out, _ = run("exercises", "pogo")
    assert code == 0
    assert "[nearest FIT exercise]" in out.splitlines()[0]


def test_exercises_nothing_found() -> None:
    code, _, err = run("exercises", "zzzzqqq")
    assert code == 1
    assert err == "Error: no exercise matches 'zzzzqqq'\n"


def test_schema_is_json_schema_for_the_file_format() -> None:
    code, out, _ = run("schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert set(schema["properties"]) == {"name", "description", "sport", "sets", "rest", "steps"}
    assert set(schema["$defs"]["Exercise"]["properties"]) >= {
        "reps",
        "hold",
        "per_side",
        "load",
        "rpe",
    }
    code, out, _ = run("schema", "plan")
    assert {"name", "weeks", "sessions", "phases"} <= set(json.loads(out)["properties"])
    code, out, _ = run("schema", "profile")
    assert set(json.loads(out)["properties"]) == {"units", "round_to", "one_rep_max"}


def test_validate_the_library(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, _ = run("validate")
    assert code == 0
    assert out.endswith("workouts OK\n")


def test_no_input_and_no_workouts_folder_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run("build")
    assert code == 2
    assert "no PATH given and no workouts/ folder here" in err
    assert not (tmp_path / "build").exists()


def test_missing_file(tmp_path: Path) -> None:
    code, _, err = run("validate", str(tmp_path / "nope.yaml"))
    assert code == 1
    assert err == f"error: {tmp_path / 'nope.yaml'}: no such file or folder\n"


def test_build_one_format_into_a_folder(tmp_path: Path) -> None:
    code, out, _ = run(
        "build", str(ROOT / "workouts" / "core.yaml"), "-o", str(tmp_path), "-f", "fit"
    )
    assert code == 0
    assert out == f"built 1 workout into {tmp_path}/ (fit): 1 file, 1 changed\n"
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == ["core.fit"]
    code, out, _ = run(
        "build", str(ROOT / "workouts" / "core.yaml"), "-o", str(tmp_path), "-f", "fit"
    )
    assert out.endswith("1 file, 0 changed\n")


def test_profile_errors_are_located(tmp_path: Path) -> None:
    profile = tmp_path / "liftfit.yaml"
    profile.write_text("units: stone\none_rep_max:\n  back squatt: 140 kg\n")
    code, _, err = run("validate", str(ROOT / "workouts" / "core.yaml"), "--profile", str(profile))
    assert code == 1
    assert err.splitlines() == [
        f"error: {profile}:1:8: units: expected 'kg' or 'lb', got 'stone'",
        f"error: {profile}:3:3: one_rep_max: unknown exercise 'back squatt': "
        "did you mean Back Squat, Squat? "
        "(see `liftfit exercises`)",
    ]


def test_profile_resolves_percent_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "liftfit.yaml").write_text("units: lb\none_rep_max:\n  back squat: 300 lb\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        cli, ["build", str(ROOT / "workouts" / "heavy-strength.yaml"), "-f", "fit", "-v"]
    )
    assert result.exit_code == 0
    assert "Back Squat: 80% 1RM resolved to 240 lb from a 1RM of 300 lb" in result.stderr


def test_two_workouts_with_one_name(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "core.yaml").write_text(
            "name: Core\nsteps:\n  - {exercise: plank, hold: 30s}\n"
        )
    code, _, err = run("validate", str(tmp_path / "a"), str(tmp_path / "b"))
    assert code == 1
    assert err == (
        f"error: {tmp_path / 'b' / 'core.yaml'}: a second workout named 'core' "
        f"(first in {tmp_path / 'a' / 'core.yaml'})\n"
    )


def test_exercises_says_how_many_more_it_cut() -> None:
    code, out, _ = run("exercises", "squat")
    lines = out.splitlines()
    assert code == 0
    assert len(lines) == 51
    total = len(run("exercises", "squat", "--all")[1].splitlines())
    assert lines[-1] == (
        f"… and {total - 50} more: narrow the search, or see them all with "
        "`liftfit exercises squat --all`"
    )
    assert (
        run("exercises", "push up")[1]
        .splitlines()[-1]
        .endswith("`liftfit exercises 'push up' --all`")
    )


def test_build_counts_its_notes_and_lists_them_with_verbose(tmp_path: Path) -> None:
    core = str(ROOT / "workouts" / "core.yaml")
    result = CliRunner().invoke(cli, ["build", core, "-o", str(tmp_path)])
    assert result.exit_code == 0
    summary, preview = result.stderr.splitlines()
    assert summary.startswith("  ") and summary.endswith(": see them with --verbose")
    assert preview == f"  `liftfit preview {core}` shows what each target will show"
    verbose = CliRunner().invoke(cli, ["build", core, "-o", str(tmp_path), "-v"])
    *notes, last = verbose.stderr.splitlines()
    assert last == preview
    assert all(line.startswith("  note: core: ") for line in notes)
    assert summary.split()[0] == str(len(notes))
    quiet = CliRunner().invoke(cli, ["build", core, "-o", str(tmp_path), "-q"])
    assert (quiet.exit_code, quiet.stdout, quiet.stderr) == (0, "", "")


def test_sets_without_rest_anywhere_get_a_note(tmp_path: Path) -> None:
    silent = tmp_path / "silent.yaml"
    silent.write_text("name: Silent\nsets: 3\nsteps:\n  - {exercise: squat, reps: 5}\n", "utf-8")
    chosen = tmp_path / "chosen.yaml"
    chosen.write_text(
        "name: Chosen\nsets: 3\nrest: none\nsteps:\n  - {exercise: squat, reps: 5}\n", "utf-8"
    )
    result = CliRunner().invoke(cli, ["build", str(tmp_path), "-o", str(tmp_path / "out"), "-v"])
    assert result.exit_code == 0, result.output
    notes = result.stderr.splitlines()
    assert (
        "  note: silent: Squat: 3 sets and no rest written anywhere, so none between them "
        "(give rest: 90s, or rest: lap)"
    ) in notes
    assert not any(line.startswith("  note: chosen: Squat: 3 sets") for line in notes)
