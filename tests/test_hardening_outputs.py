"""Issue 10, outputs side: no writer leaves its folder, FIT input cannot hang or flood, every
failure is one line with the documented exit code, nothing a file holds takes over the
terminal, and an output set stays consistent when a run dies or a disk fills."""

from __future__ import annotations

import errno
import functools
import json
import os
import signal
import struct
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from liftfit import delivery
from liftfit.cli import cli
from liftfit.delivery import Staging, Unwritable, check_name, inside
from liftfit.pack import zip_bytes
from liftfit.watch import copy_to_watch
from tests import test_garmin
from tests.conftest import ROOT, garmin_decode
from tests.garmin_standin import Fault, StandIn

no_internet = test_garmin.no_internet
standin = test_garmin.standin
tokens = test_garmin.tokens

ESCAPE_NAME = "\x1b]0;pwned\x07X"
ESCAPED = "\\x1b]0;pwned\\x07X"
CORE = (ROOT / "workouts" / "core.yaml").read_text("utf-8")
PLAN = """name: Week
weeks: 2
start: 2026-03-02
sessions:
  - {workout: core, days: [tue]}
  - {workout: legs, days: [thu]}
"""


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def one_error(result: Result, code: int = 1) -> str:
    """The single stderr line of a failed command (no traceback, no usage text)."""
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    return lines[0]


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def library(folder: Path, plan: bool = False) -> Path:
    folder.mkdir(parents=True)
    (folder / "core.yaml").write_text(CORE, "utf-8")
    (folder / "legs.yaml").write_text((ROOT / "workouts" / "legs.yaml").read_text("utf-8"))
    if plan:
        (folder / "plans").mkdir()
        (folder / "plans" / "week.yaml").write_text(PLAN, "utf-8")
    return folder


# --- FIT files made byte by byte (fit-tool would take seconds for thousands of steps) -------


def _definition(local: int, number: int, fields: list[tuple[int, int, int]]) -> bytes:
    out = struct.pack("<BBBHB", 0x40 | local, 0, 0, number, len(fields))
    return out + b"".join(struct.pack("BBB", *field) for field in fields)


@functools.cache
def fit_workout(
    steps: int = 1, name: str = "Big", notes: str = "", extra_messages: int = 0
) -> bytes:
    """A FIT workout of ``steps`` leg-press steps of 10 reps, each with ``notes`` (made once
    per arguments: the large ones take a while)."""
    body = _definition(0, 0, [(0, 1, 0x00), (1, 2, 0x84), (2, 2, 0x84), (3, 4, 0x8C)])
    body += struct.pack("<BBHHI", 0, 5, 255, 0, 1)
    title = name.encode() + b"\0"
    body += _definition(1, 26, [(4, 1, 0x00), (6, 2, 0x84), (8, len(title), 0x07)])
    body += struct.pack("<BBH", 1, 10, min(steps, 0xFFFE)) + title
    text = notes.encode() + b"\0"
    step_fields = [(254, 2, 0x84), (1, 1, 0), (2, 4, 0x86), (3, 1, 0), (7, 1, 0), (10, 2, 0x84)]
    body += _definition(2, 27, [*step_fields, (11, 2, 0x84), (8, len(text), 0x07)])
    for index in range(steps):
        body += struct.pack("<BHBIBBHH", 2, index & 0xFFFF, 29, 10, 2, 0, 28, 0) + text
    if extra_messages:  # file_creator messages (software version)
        body += _definition(3, 49, [(0, 2, 0x84)])
        body += struct.pack("<BH", 3, 100) * extra_messages
    return _fit_container(body)


def _fit_container(body: bytes) -> bytes:
    from fit_tool.utils.crc import crc16

    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    header += struct.pack("<H", crc16(header))
    data = header + body
    return data + struct.pack("<H", crc16(data))


def test_the_generated_fit_file_is_what_garmins_decoder_reads() -> None:
    messages = garmin_decode(fit_workout(3, name="Big", notes="slow"))
    assert messages["workout_mesgs"][0]["wkt_name"] == "Big"
    assert [s["duration_value"] for s in messages["workout_step_mesgs"]] == [10, 10, 10]
    assert messages["workout_step_mesgs"][2]["notes"] == "slow"


# --- 1. every writer stays inside its folder ------------------------------------------------

HOSTILE = [
    ("../evil.fit", "'..' in a path leads out of the output folder"),
    ("fit/../../evil.fit", "'..' in a path leads out of the output folder"),
    ("/tmp/evil.fit", "an absolute path, not a name inside the output folder"),
    ("C:evil.fit", "a drive letter, not a name inside the output folder"),
    ("C:/evil.fit", "a drive letter, not a name inside the output folder"),
    ("fit\\..\\..\\evil.fit", "a backslash in a file name (a folder separator on Windows)"),
    ("fit//evil.fit", "an empty or '.' part in a path"),
    ("evil\x00.fit", "a control character in a file name"),
]


@pytest.mark.parametrize(("name", "why"), HOSTILE)
def test_a_hostile_name_is_refused_in_one_line(name: str, why: str) -> None:
    with pytest.raises(Unwritable) as caught:
        check_name(name)
    assert caught.value.lines() == [f"{name.replace(chr(0), '\\x00')}: refused: {why}"]


def test_a_loop_of_links_where_the_output_goes_is_one_line(tmp_path: Path) -> None:
    folder = library(tmp_path / "w")
    out = tmp_path / "out"
    out.mkdir()
    (out / "fit").symlink_to("fit")
    line = one_error(run("build", str(folder), "-o", str(out), "-f", "fit"))
    assert line == f"error: {out}/fit: a loop of symbolic links"


def test_a_link_to_nothing_where_the_output_goes_is_one_line(tmp_path: Path) -> None:
    folder = library(tmp_path / "w")
    (tmp_path / "out").symlink_to("nowhere")
    line = one_error(run("build", str(folder), "-o", str(tmp_path / "out"), "-f", "fit"))
    assert line == f"error: {tmp_path}/out: a symbolic link to nothing, not a folder"


def test_build_writes_nothing_when_one_name_would_leave_the_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    files = {"fit/core.fit": b"core", "fit/../../evil.fit": b"evil"}
    with (
        pytest.raises(Unwritable, match=r"refused: '\.\.' in a path leads out"),
        Staging(out) as staging,
    ):
        for name, data in files.items():
            staging.stage(name, data)
    assert files_under(tmp_path) == []


def test_a_folder_that_resolves_outside_the_output_is_refused(tmp_path: Path) -> None:
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    out.mkdir()
    elsewhere.mkdir()
    (out / "fit").symlink_to(elsewhere)
    with pytest.raises(Unwritable) as caught, Staging(out) as staging:
        staging.stage("fit/core.fit", b"core")
    assert caught.value.lines() == [
        f"{out / 'fit' / 'core.fit'}: refused: it would be written in {elsewhere}, outside {out}"
    ]
    assert files_under(elsewhere) == []


def test_a_workout_named_with_windows_separators_is_located(tmp_path: Path) -> None:
    folder = library(tmp_path / "w")
    (folder / "x\\..\\..\\evil.yaml").write_text(CORE, "utf-8")
    out = tmp_path / "out"
    expected = (
        f"error: {folder}/x\\..\\..\\evil.yaml: the name 'x\\..\\..\\evil' cannot name "
        "output files: a backslash in a file name (a folder separator on Windows)"
    )
    assert one_error(run("build", str(folder), "-o", str(out), "-f", "fit")) == expected
    assert not out.exists()
    assert one_error(run("validate", str(folder))) == expected


def test_pack_entries_cannot_unzip_outside_their_folder() -> None:
    for name in ("fit/../../evil.fit", "/etc/evil", "C:/evil.fit", "fit\\..\\evil.fit"):
        with pytest.raises(Unwritable, match="refused"):
            zip_bytes({"index.html": b"", name: b"evil"}, 315_532_800)


def test_pack_of_a_windows_traversal_name_writes_no_zip(tmp_path: Path) -> None:
    folder = library(tmp_path / "w")
    (folder / "..\\..\\evil.yaml").write_text(CORE, "utf-8")
    zip_path = tmp_path / "club.zip"
    line = one_error(run("pack", str(folder), "-o", str(zip_path)))
    assert "cannot name output files: a backslash in a file name" in line
    assert not zip_path.exists()


def watch(tmp_path: Path) -> Path:
    mount = tmp_path / "watch"
    (mount / "GARMIN").mkdir(parents=True)
    return mount


def test_copy_writes_into_newfiles_only(tmp_path: Path) -> None:
    mount = watch(tmp_path)
    for name in ("../evil.fit", "../../evil.fit", "/tmp/evil.fit"):
        with pytest.raises(Unwritable, match="refused"):
            copy_to_watch({"core.fit": b"core", name: b"evil"}, mount)
    assert files_under(tmp_path) == []


def test_pull_writes_inside_its_folder(
    tokens: Path, standin: StandIn, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library(tmp_path / "w")
    assert run("garmin", "push", str(tmp_path / "w" / "core.yaml")).exit_code == 0
    from liftfit.garmin import pull as pulling

    def hostile(pulled: Any) -> Any:
        for item in pulled:
            yield item, "../../evil"

    monkeypatch.setattr(pulling, "file_names", hostile)
    folder = tmp_path / "deep" / "pulled"
    line = one_error(run("garmin", "pull", "-o", str(folder), "--all"))
    why = "refused: '..' in a path leads out of the output folder"
    assert line == f"error: {folder}/../../evil.yaml: {why}"
    assert not (tmp_path / "evil.yaml").exists()


def test_import_keeps_its_default_output_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    fit = work / "..\\..\\evil.fit"
    fit.write_bytes(fit_workout(2))
    line = one_error(run("import", str(fit)))
    assert line == (
        "error: ..\\..\\evil.yaml: refused: a backslash in a file name (a folder separator "
        "on Windows) (name the workout file to write with -o)"
    )
    assert files_under(tmp_path) == ["a/b/..\\..\\evil.fit"]
    with pytest.raises(Unwritable, match=r"refused: '\.\.' in a path"):
        inside(Path(), "../evil.yaml")


# --- 2. FIT input that is not a regular file, or too big ------------------------------------


class Hung(BaseException):
    """A command that blocked: past every ``except Exception`` of the code under test."""


def within(seconds: int, *args: str) -> Result:
    """The command, interrupted if it blocks (on a FIFO) longer than ``seconds``."""

    def interrupt(signum: int, frame: Any) -> None:
        raise Hung(f"liftfit {' '.join(args)} blocked for {seconds} s")

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.alarm(seconds)
    try:
        result = run(*args)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return result


@pytest.mark.parametrize("command", ["inspect", "import"])
def test_a_fifo_is_refused_at_once(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    fifo = tmp_path / "workout.fit"
    os.mkfifo(fifo)
    line = one_error(within(5, command, str(fifo)))
    assert line == f"error: {fifo}: not a regular file (a device, pipe or socket): not a FIT file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["workout.fit"]


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("command", ["inspect", "import"])
def test_a_link_to_a_device_is_refused_before_reading(
    command: str, device: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    link = tmp_path / "workout.fit"
    link.symlink_to(device)
    line = one_error(run(command, str(link)))
    assert line == f"error: {link}: not a regular file (a device, pipe or socket): not a FIT file"
    assert not (tmp_path / "workout.yaml").exists()


@pytest.mark.parametrize("command", ["inspect", "import"])
def test_tens_of_thousands_of_steps_are_refused_in_a_second(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "huge.fit"
    path.write_bytes(fit_workout(20_000))
    started = time.perf_counter()
    line = one_error(run(command, str(path)))
    assert time.perf_counter() - started < 5.0
    assert line == (
        f"error: {path}: more than 500 workout steps: more than any watch or app takes "
        "(Garmin Connect's editor stops at 50), so liftfit reads no further"
    )
    assert not (tmp_path / "huge.yaml").exists()


def test_the_step_cap_itself_is_read(tmp_path: Path) -> None:
    path = tmp_path / "cap.fit"
    path.write_bytes(fit_workout(500))
    result = run("inspect", "--json", str(path))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["step_count"] == 500


def test_a_flood_of_other_messages_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "flood.fit"
    path.write_bytes(fit_workout(2, extra_messages=50_000))
    started = time.perf_counter()
    line = one_error(run("inspect", str(path)))
    assert time.perf_counter() - started < 5.0
    assert line == f"error: {path}: more than 1,100 messages: not a workout file liftfit reads"


def test_a_file_past_the_size_cap_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.fit"
    path.write_bytes(fit_workout(1) + bytes(600 * 1024))
    line = one_error(run("inspect", str(path)))
    assert line == f"error: {path}: too large for a FIT file (over 512 kB)"


# --- 3. exit codes: bad input is 1, not click's usage error; --debug keeps the code ---------


@pytest.mark.parametrize("command", ["inspect", "import"])
def test_a_folder_given_as_the_fit_file_is_exit_1(command: str, tmp_path: Path) -> None:
    line = one_error(run(command, str(tmp_path)))
    assert line == f"error: {tmp_path}: is a folder, not a FIT file"


@pytest.mark.parametrize("command", ["inspect", "import"])
def test_an_unreadable_fit_file_is_exit_1(
    command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "locked.fit"
    path.write_bytes(fit_workout(1))
    real_open = os.open

    def refuse(file: Any, *args: Any, **kwargs: Any) -> int:
        if Path(file) == path:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(file, *args, **kwargs)

    # As root nothing is unreadable: make both the access check and the open say so.
    monkeypatch.setattr(os, "access", lambda *args, **kwargs: False)
    monkeypatch.setattr(os, "open", refuse)
    monkeypatch.chdir(tmp_path)
    line = one_error(run(command, str(path)))
    assert line == f"error: {path}: cannot read the file: Permission denied"


def test_import_into_a_folder_is_exit_1(tmp_path: Path) -> None:
    path = tmp_path / "w.fit"
    path.write_bytes(fit_workout(1))
    line = one_error(run("import", str(path), "-o", str(tmp_path)))
    assert line == f"error: {tmp_path}: is a folder: name the workout file to write"


def test_debug_keeps_the_remote_exit_code(tokens: Path, standin: StandIn, tmp_path: Path) -> None:
    # Connect refuses the listing of both runs (a 4xx is not retried).
    standin.faults += [Fault("GET", "/workout-service/workouts", 400) for _ in range(2)]
    plain = run("garmin", "pull", "-o", str(tmp_path / "p"))
    assert "Garmin Connect" in one_error(plain, code=3)
    debug = run("--debug", "garmin", "pull", "-o", str(tmp_path / "p"))
    assert debug.exit_code == 3
    assert "Traceback (most recent call last):" in debug.stderr
    assert debug.stderr.splitlines()[-1] == plain.stderr.strip()


def test_debug_keeps_exit_1_for_an_internal_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from liftfit import fitschedule

    def broken(path: Path) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(fitschedule, "read_fit_file", broken)
    result = run("--debug", "inspect", str(tmp_path / "x.fit"))
    assert result.exit_code == 1
    assert "Traceback (most recent call last):" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("error: internal error: RuntimeError: boom")


# --- 4. control characters are shown escaped ------------------------------------------------


def test_inspect_escapes_a_workout_name_and_notes(tmp_path: Path) -> None:
    path = tmp_path / "w.fit"
    path.write_bytes(fit_workout(1, name=ESCAPE_NAME, notes="a\x1b[2Jb"))
    result = run("inspect", str(path))
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert result.stdout.splitlines()[0] == ESCAPED
    assert result.stdout.splitlines()[-1].endswith("  a\\x1b[2Jb")
    as_json = run("inspect", "--json", str(path))
    document = json.loads(as_json.stdout)
    assert document["name"] == ESCAPE_NAME
    assert document["steps"][0]["notes"] == "a\x1b[2Jb"


def test_import_shows_no_control_character_raw(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    named = tmp_path / "named.fit"
    named.write_bytes(fit_workout(1, name=ESCAPE_NAME))
    line = one_error(run("import", str(named)))
    assert line.endswith(f"a name cannot hold control characters or line breaks: '{ESCAPED}'")
    noted = tmp_path / "noted.fit"
    noted.write_bytes(fit_workout(1, name="Noted", notes="a\x1b[2Jb"))
    result = run("import", str(noted))
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "imported 'Noted' (1 steps) into noted.yaml" in result.stdout


def test_error_lines_escape_control_characters(tmp_path: Path) -> None:
    path = tmp_path / f"{ESCAPE_NAME}.fit"
    line = one_error(run("inspect", str(path)))
    assert line == f"error: {tmp_path}/{ESCAPED}.fit: no such file"


def test_build_notes_and_refusals_escape_a_file_name(tmp_path: Path) -> None:
    folder = tmp_path / "w"
    folder.mkdir()
    long_name = CORE.replace("name: Core", "name: Core with a name far too long for a watch")
    (folder / f"{ESCAPE_NAME}.yaml").write_text(long_name, "utf-8")
    result = run("build", str(folder), "-o", str(tmp_path / "out"), "-f", "fit")
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert one_error(result) == (
        f"error: {folder}/{ESCAPED}.yaml: the name '{ESCAPED}' cannot name output files: "
        "a control character in a file name"
    )
    (folder / f"{ESCAPE_NAME}.yaml").rename(folder / "long.yaml")
    (folder / f"{ESCAPE_NAME}.yaml").symlink_to("missing.yaml")
    built = run("build", str(folder), "-o", str(tmp_path / "out"), "-f", "fit")
    assert built.exit_code == 0, built.output
    assert "\x1b" not in built.output and "\x07" not in built.output
    assert f"  note: {folder}/{ESCAPED}.yaml: skipped" in built.stderr


def test_plan_show_escapes_names(tmp_path: Path) -> None:
    folder = library(tmp_path / "workouts")
    plan = folder / "week.yaml"
    plan.write_text(PLAN + 'phases:\n  - {name: "base\\e]0;pwned\\a", weeks: 1-2}\n', "utf-8")
    result = run("plan", "show", str(plan))
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert result.stdout.splitlines()[-1].endswith("  base\\x1b]0;pwned\\x07")


def test_plan_usage_errors_escape_the_file_name(tmp_path: Path) -> None:
    folder = library(tmp_path / "workouts")
    plan = folder / f"{ESCAPE_NAME}.yaml"
    plan.write_text(PLAN.replace("start: 2026-03-02\n", ""), "utf-8")
    result = run("plan", "show", str(plan))
    assert result.exit_code == 2
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert f"or write start: in {folder}/{ESCAPED}.yaml" in result.stderr


# --- 5. output I/O: one line naming the path and the system's reason ------------------------


def prebuilt(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    """A library built once into out/ (fit only), and what out/ holds then."""
    folder = library(tmp_path / "w")
    out = tmp_path / "out"
    assert run("build", str(folder), "-o", str(out), "-f", "fit").exit_code == 0
    before = {name: (out / name).read_bytes() for name in files_under(out)}
    (folder / "core.yaml").write_text(CORE.replace("reps: 10", "reps: 12"), "utf-8")
    (folder / "legs.yaml").write_text(
        (folder / "legs.yaml").read_text("utf-8").replace("sets: 3", "sets: 4"), "utf-8"
    )
    return folder, out, before


def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Temporary files that land on /dev/full: the kernel's own ENOSPC on write."""
    real = tempfile.mkstemp

    def on_full_disk(*args: Any, **kwargs: Any) -> tuple[int, str]:
        fd, name = real(*args, **kwargs)
        os.close(fd)
        return os.open("/dev/full", os.O_WRONLY), name

    monkeypatch.setattr(delivery.tempfile, "mkstemp", on_full_disk)


def test_a_full_disk_is_one_line_and_leaves_the_files_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, out, before = prebuilt(tmp_path)
    full_disk(monkeypatch)
    line = one_error(run("build", str(folder), "-o", str(out), "-f", "fit"))
    assert line == f"error: {out}/fit/core.fit: no space left on device"
    assert {name: (out / name).read_bytes() for name in files_under(out)} == before


def failing(monkeypatch: pytest.MonkeyPatch, code: int, text: str) -> None:
    def replace(source: Any, target: Any) -> None:
        raise OSError(code, text)

    monkeypatch.setattr(delivery.os, "replace", replace)


def test_a_read_only_output_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder, out, before = prebuilt(tmp_path)
    failing(monkeypatch, errno.EROFS, "Read-only file system")
    line = one_error(run("build", str(folder), "-o", str(out), "-f", "fit"))
    assert line == f"error: {out}/fit/core.fit: read-only file system"
    assert {name: (out / name).read_bytes() for name in files_under(out)} == before
    assert sorted(p.name for p in (out / "fit").iterdir()) == ["core.fit", "legs.fit"]


def test_a_file_where_the_output_folder_should_be(tmp_path: Path) -> None:
    folder = library(tmp_path / "w")
    out = tmp_path / "out"
    out.mkdir()
    (out / "fit").write_bytes(b"a file")
    line = one_error(run("build", str(folder), "-o", str(out), "-f", "fit"))
    assert line == f"error: {out}/fit: is a file, not a folder"
    assert (out / "fit").read_bytes() == b"a file"
    pack_into = tmp_path / "file" / "club.zip"
    (tmp_path / "file").write_bytes(b"another")
    line = one_error(run("pack", str(folder), "-o", str(pack_into)))
    assert line == f"error: {tmp_path}/file: is a file, not a folder"


def test_a_folder_where_an_output_file_should_be(tmp_path: Path) -> None:
    folder = library(tmp_path / "w")
    out = tmp_path / "out"
    (out / "fit" / "core.fit").mkdir(parents=True)
    (out / "fit" / "core.fit" / "keep").write_bytes(b"kept")
    line = one_error(run("build", str(folder), "-o", str(out), "-f", "fit"))
    assert line == f"error: {out}/fit/core.fit: is a folder, not a file"
    assert files_under(out) == ["fit/core.fit/keep"]
    line = one_error(run("pack", str(folder), "-o", str(out)))
    assert line == f"error: {out}: is a folder, not a file"
    assert files_under(out) == ["fit/core.fit/keep"]


def test_a_file_given_as_the_output_folder(tmp_path: Path) -> None:
    folder = library(tmp_path / "w")
    out = tmp_path / "out"
    out.write_bytes(b"a file")
    line = one_error(run("build", str(folder), "-o", str(out)))
    assert line == f"error: {out}: is a file, not a folder"
    assert out.read_bytes() == b"a file"


def test_a_fifo_where_an_output_goes_is_replaced_unread(tmp_path: Path) -> None:
    folder = library(tmp_path / "w")
    out = tmp_path / "out"
    (out / "fit").mkdir(parents=True)
    os.mkfifo(out / "fit" / "core.fit")
    mount = watch(tmp_path)
    (mount / "GARMIN" / "NewFiles").mkdir()
    os.mkfifo(mount / "GARMIN" / "NewFiles" / "legs.fit")
    built = within(5, "build", str(folder), "-o", str(out), "-f", "fit")
    assert built.exit_code == 0, built.output
    assert garmin_decode((out / "fit" / "core.fit").read_bytes())["workout_mesgs"]
    copied = within(5, "copy", str(folder), "--to", str(mount))
    assert copied.exit_code == 0, copied.output
    assert "(1 new, 1 replaced, 0 already there)" in copied.stdout
    assert (mount / "GARMIN" / "NewFiles" / "legs.fit").read_bytes() == (
        out / "fit" / "legs.fit"
    ).read_bytes()


def test_a_full_or_read_only_watch_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = library(tmp_path / "w")
    mount = watch(tmp_path)
    new_files = mount / "GARMIN" / "NewFiles"
    new_files.mkdir()
    (new_files / "legs.fit").write_bytes(b"old legs")
    with monkeypatch.context() as patch:
        full_disk(patch)
        line = one_error(run("copy", str(folder), "--to", str(mount)))
    assert line == f"error: {new_files}/core.fit: no space left on device"
    assert files_under(new_files) == ["legs.fit"]
    assert (new_files / "legs.fit").read_bytes() == b"old legs"
    failing(monkeypatch, errno.EROFS, "Read-only file system")
    line = one_error(run("copy", str(folder), "--to", str(mount)))
    assert line == f"error: {new_files}/core.fit: read-only file system"
    assert files_under(new_files) == ["legs.fit"]


# --- 6. output sets that stay consistent ----------------------------------------------------


def killed_after(monkeypatch: pytest.MonkeyPatch, renames: int) -> list[str]:
    """``os.replace`` that dies (as an interrupted run) after ``renames`` files."""
    done: list[str] = []
    real = os.replace

    def replace(source: Any, target: Any) -> None:
        if len(done) == renames:
            raise KeyboardInterrupt
        real(source, target)
        done.append(Path(target).name)

    monkeypatch.setattr(delivery.os, "replace", replace)
    return done


def test_a_build_killed_midway_leaves_no_calendar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = library(tmp_path / "w", plan=True)
    out = tmp_path / "out"
    done = killed_after(monkeypatch, 1)
    result = run("build", str(folder), "-o", str(out), "-f", "fit")
    assert result.exit_code != 0
    assert done == ["core.fit"]
    assert files_under(out) == ["fit/core.fit"]


def test_workouts_are_written_before_the_calendars(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = library(tmp_path / "w", plan=True)
    done = killed_after(monkeypatch, 1000)
    result = run("build", str(folder), "-o", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    calendars = [n for n in done if n.startswith("week")]
    assert done[-len(calendars) :] == calendars
    assert sorted(calendars) == ["week.coros-schedule.json", "week.ics", "week.schedule.fit"]
    mount = watch(tmp_path)
    done.clear()
    assert run("copy", str(folder), "--to", str(mount)).exit_code == 0
    assert done[-1] == "week.schedule.fit"


LEFTOVER = ".core.fit.k2j3h4_a.tmp"


def test_leftover_temporary_files_are_removed_by_the_next_run(tmp_path: Path) -> None:
    folder = library(tmp_path / "w", plan=True)
    out = tmp_path / "out"
    for name in ("fit/.core.fit.k2j3h4_a.tmp", "calendar/.week.ics.abcdefgh.tmp"):
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(b"half")
    (out / "fit" / ".notes.tmp").write_bytes(b"not ours")
    assert run("build", str(folder), "-o", str(out), "-f", "fit").exit_code == 0
    assert files_under(out) == [
        "calendar/week.ics",
        "calendar/week.schedule.fit",
        "fit/.notes.tmp",
        "fit/core.fit",
        "fit/legs.fit",
    ]
    zip_path = tmp_path / "club.zip"
    (tmp_path / ".club.zip.zzzzzzzz.tmp").write_bytes(b"half")
    assert run("pack", str(folder), "-o", str(zip_path)).exit_code == 0
    assert not (tmp_path / ".club.zip.zzzzzzzz.tmp").exists()
    assert zipfile.ZipFile(zip_path).testzip() is None


def test_leftovers_on_the_watch_are_removed(tmp_path: Path) -> None:
    folder = library(tmp_path / "w")
    mount = watch(tmp_path)
    new_files = mount / "GARMIN" / "NewFiles"
    new_files.mkdir()
    # delivery's name and the older watch writer's (the stem) both go.
    (new_files / LEFTOVER).write_bytes(b"half")
    (new_files / ".legs.abcdefgh.tmp").write_bytes(b"half")
    assert run("copy", str(folder), "--to", str(mount)).exit_code == 0
    assert files_under(new_files) == ["core.fit", "legs.fit"]


def test_names_that_differ_only_in_case_are_located(tmp_path: Path) -> None:
    folder = library(tmp_path / "w")
    (folder / "Core.yaml").write_text(CORE, "utf-8")
    expected = (
        f"error: {folder}/core.yaml: workout 'core' differs from 'Core' ({folder}/Core.yaml) "
        "only in case: their files would be one on a watch's drive; rename one of them"
    )
    assert one_error(run("validate", str(folder))) == expected
    out = tmp_path / "out"
    assert one_error(run("build", str(folder), "-o", str(out))) == expected
    assert not out.exists()


def test_a_dangling_symlink_is_a_note(tmp_path: Path) -> None:
    folder = library(tmp_path / "w")
    (folder / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    note = f"  note: {folder}/gone.yaml: skipped: a symbolic link to {tmp_path}/nowhere.yaml"
    result = run("build", str(folder), "-o", str(tmp_path / "out"), "-f", "fit")
    assert result.exit_code == 0, result.output
    assert f"{note}, not there" in result.stderr.splitlines()
    validated = run("validate", str(folder))
    assert validated.exit_code == 0
    assert f"{note}, not there" in validated.stderr.splitlines()
