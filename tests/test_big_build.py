"""`liftfit build` over many files: each workout lowered and encoded as it is loaded, only its
files and notes kept; the same files, lines and refusals as the library built at once."""

from __future__ import annotations

import gc
import shutil
import weakref
from datetime import date
from pathlib import Path

from click.testing import CliRunner

from liftfit.calendars import CALENDAR_FOLDER, LibraryStream, compile_library
from liftfit.cli import cli
from liftfit.delivery import Staging
from liftfit.exporters import FORMATS, workout_file
from liftfit.library import load_library
from liftfit.loader import Source
from liftfit.notes import library_notes, note_lines
from tests.conftest import ROOT

BUNDLED = sorted((ROOT / "workouts").glob("*.yaml"))
BAD = ROOT / "tests" / "bad"


def library(folder: Path, copies: int, *, plans: bool = True) -> Path:
    """The bundled workouts (and plans), then ``copies`` renamed copies of each."""
    folder.mkdir()
    for i in range(copies + 1):
        for source in BUNDLED:
            text = source.read_text("utf-8")
            name = source.name if i == 0 else f"{source.stem}-{i:04}.yaml"
            (folder / name).write_text(text.replace("name: ", f"name: {i} ", i > 0), "utf-8")
    if plans:
        shutil.copytree(ROOT / "workouts" / "plans", folder / "plans")
    return folder


def written(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_build_writes_what_the_library_compiled_at_once_writes(tmp_path: Path) -> None:
    folder = library(tmp_path / "in", copies=1)
    (folder / "extra.py").write_text(
        "from liftfit import Workout\n"
        "evening = Workout(name='Evening', steps=[{'exercise': 'plank', 'hold': '30s'}])\n",
        "utf-8",
    )
    out = tmp_path / "out"
    code, stdout, stderr = run("build", str(folder), "-o", str(out), "--start", "2026-03-02", "-v")
    assert code == 0

    built = compile_library(
        load_library([folder]),
        start=date(2026, 3, 2),
        formats=list(FORMATS),
        fit_folder=f"{out}/fit",
    )
    expected = {
        workout_file(name, compiled.source.slug): output.data
        for compiled in built.compiled
        for name, output in compiled.outputs.items()
    }
    for plan in built.plans:
        expected.update({f"{CALENDAR_FOLDER}/{n}": o.data for n, o in plan.outputs.items()})
    bundled = compile_library(load_library([ROOT / "workouts"]), start=date(2026, 3, 2))
    variants = len(bundled.compiled) - len(BUNDLED)  # the plans' own workouts
    assert variants > 0
    assert len(built.compiled) == 2 * len(BUNDLED) + 1 + variants
    assert written(out) == expected
    summary, *plan_lines = stdout.splitlines()
    assert summary == (
        f"built {len(built.compiled)} workouts into {out}/ (fit, html, coros, garmin-connect): "
        f"{len(expected)} files, {len(expected)} changed"
    )
    assert plan_lines == [plan.summary(f"{out}/{CALENDAR_FOLDER}") for plan in built.plans]
    notes = note_lines(library_notes(built.compiled, built.plans), verbose=True)
    first = folder / "ankles-and-calves-0001.yaml"
    assert stderr.splitlines() == [
        *notes,
        f"  `liftfit preview {first}` shows what each target will show",
    ]

    code, stdout, _ = run("build", str(folder), "-o", str(out), "--start", "2026-03-02", "-q")
    assert (code, stdout) == (0, "")
    code, stdout, _ = run("build", str(folder), "-o", str(out), "--start", "2026-03-02")
    assert stdout.splitlines()[0].endswith(f"{len(expected)} files, 0 changed")


def test_a_build_lets_each_workout_model_go_once_it_is_encoded(tmp_path: Path) -> None:
    folder = library(tmp_path / "in", copies=3)
    out = tmp_path / "out"
    taken: list[weakref.ref[Source]] = []
    with Staging(out) as staging:
        stream = LibraryStream(staging, formats=["fit"])

        def take(source: Source) -> None:
            taken.append(weakref.ref(source))
            stream.take(source)

        loaded = load_library([folder], each=take)
        built = stream.finish(loaded, start=date(2026, 3, 2))
        gc.collect()
        # every file is staged beside where it goes, none in place yet
        staged = [p.name for p in out.rglob("*") if p.is_file()]
        assert len(staged) == built.files == len(built.workouts) + 2 * len(loaded.plans)
        assert all(name.startswith(".") and name.endswith(".tmp") for name in staged)
        assert staging.commit() == built.files
    assert loaded.workouts == []
    assert len(taken) == 4 * len(BUNDLED)
    assert [ref() for ref in taken if ref() is not None] == []
    assert [w.slug for w in built.workouts[: len(taken)]] == [
        p.stem for p in sorted(folder.glob("*.yaml"))
    ]
    # the plans' workouts were read again: what the plans hold is whole
    core = next(p for p in loaded.plans if p.slug == "coach-week").workouts["core"]
    assert core.workout.name == "Core" and core.path == folder / "core.yaml"
    assert len(list((out / "fit").iterdir())) == len(built.workouts)


def test_one_bad_file_among_many_writes_nothing(tmp_path: Path) -> None:
    folder = library(tmp_path / "in", copies=3, plans=False)  # 52 files
    bad = folder / "legs-0002.yaml"
    shutil.copy(BAD / "reps-zero.yaml", bad)
    out = tmp_path / "out"
    code, stdout, stderr = run("build", str(folder), "-o", str(out), "-f", "fit")
    assert (code, stdout) == (1, "")
    assert stderr == f"error: {bad}:4:11: steps[0].reps: reps must be between 1 and 999, got 0\n"
    assert not out.exists()

    bad.write_text((folder / "legs.yaml").read_text("utf-8"), "utf-8")
    assert run("build", str(folder), "-o", str(out), "-f", "fit", "-q")[0] == 0
    before = written(out)
    assert len(before) == 4 * len(BUNDLED)
    first = folder / "ankles-and-calves.yaml"  # built first: its file is staged, then dropped
    first.write_text(first.read_text("utf-8").replace("name: ", "name: New ", 1), "utf-8")
    shutil.copy(BAD / "reps-zero.yaml", folder / "zz.yaml")
    assert run("build", str(folder), "-o", str(out), "-f", "fit")[0] == 1
    assert written(out) == before  # no temporary file left either

    # The input's problems come first, as when nothing was written before all was compiled.
    blocked = tmp_path / "blocked"
    blocked.write_bytes(b"a file")
    code, _, stderr = run("build", str(folder), "-o", str(blocked), "-f", "fit")
    assert code == 1
    assert stderr.splitlines() == [
        f"error: {folder / 'zz.yaml'}:4:11: steps[0].reps: reps must be between 1 and 999, got 0"
    ]
    (folder / "zz.yaml").unlink()
    assert (
        run("build", str(folder), "-o", str(blocked))[2]
        == f"error: {blocked}: is a file, not a folder\n"
    )


def test_every_workout_past_a_problem_is_still_checked(tmp_path: Path) -> None:
    folder = library(tmp_path / "in", copies=5, plans=False)
    first, second = folder / "core-0001.yaml", folder / "strides-0004.yaml"
    for path in (first, second):
        shutil.copy(BAD / "too-many-steps.yaml", path)
    out = tmp_path / "out"
    code, _, stderr = run("build", str(folder), "-o", str(out))
    cap = (
        "51 steps, more than the 50 a Garmin watch is known to take: put sets in fewer blocks "
        "(circuits), split the workout, or raise the cap with --max-steps 51 (side-loaded files "
        "of 71 steps are reported to work)"
    )
    assert code == 1
    assert stderr.splitlines() == [f"error: {first}: {cap}", f"error: {second}: {cap}"]
    assert not out.exists()

    # A file that does not load hides the step cap's problems, as validate does.
    shutil.copy(BAD / "reps-zero.yaml", folder / "zz.yaml")
    code, _, stderr = run("build", str(folder), "-o", str(out))
    assert code == 1
    assert stderr == run("validate", str(folder))[2]
    assert stderr.splitlines() == [
        f"error: {folder / 'zz.yaml'}:4:11: steps[0].reps: reps must be between 1 and 999, got 0"
    ]
    assert not out.exists()
