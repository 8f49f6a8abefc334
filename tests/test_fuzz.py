"""Damaged FIT files: ``inspect`` and ``import`` read them or fail in one line, never otherwise.

Valid files (the reference files and every bundled workout's FIT) are mutated: truncated, bytes
flipped, set, inserted or deleted, then the header's size and the CRCs are fixed up or not, so
that some mutations stop at the container check and others reach the record decoder and the
importer. Each case runs the functions the two commands call; a few go through the CLI itself.
Hypothesis runs derandomized (the same cases on every run, so CI does not flake): a fortieth
of the cases by default, all of them under HYPOTHESIS_PROFILE=ci (tests/conftest.py); set
LIFTFIT_FUZZ_SCALE=10 for a deeper, slower search.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import random
import signal
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import event, given, settings
from hypothesis import strategies as st

from liftfit.api import compile_paths
from liftfit.cli import cli
from liftfit.cli.inspect import _document, _report
from liftfit.errors import InvalidInput
from liftfit.fitread import FitStep, FitWorkoutFile, read_fit_workout
from liftfit.importer import import_workout
from liftfit.loader import read_yaml
from liftfit.model import Workout
from tests.conftest import REFERENCE, ROOT, THOROUGH

SCALE = float(os.environ.get("LIFTFIT_FUZZ_SCALE", "1"))
SECONDS_PER_CASE = 10  # a case that takes longer is a hang


def fuzz_settings(thorough: int) -> settings:
    """``thorough`` cases in CI, a fortieth by default, times SCALE."""
    cases = thorough if THOROUGH else thorough // 40
    return settings(max_examples=max(1, int(cases * SCALE)))


@functools.cache
def seeds() -> dict[str, bytes]:
    """Valid FIT workouts to mutate: Garmin's, the SDK's, a third party's and liftfit's own."""
    found = {p.name: p.read_bytes() for p in sorted((REFERENCE / "fit").glob("*.fit"))}
    for compiled in compile_paths([ROOT / "workouts"]):
        found[f"{compiled.source.slug}.fit"] = compiled.outputs["fit"].data
    return found


@contextlib.contextmanager
def no_hang() -> Iterator[None]:
    def expire(signum: int, frame: Any) -> None:
        raise TimeoutError(f"a case took more than {SECONDS_PER_CASE} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, SECONDS_PER_CASE)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def fix_up(data: bytearray, how: str) -> None:
    """Make the container agree with the damage, so the decoder goes deeper."""
    header_size = data[0] if len(data) > 0 and data[0] in (12, 14) else 14
    if len(data) < header_size + 2:
        return
    from fit_tool.utils.crc import crc16

    if how in ("size", "all"):
        struct.pack_into("<I", data, 4, len(data) - header_size - 2)
    if how in ("crc", "all"):
        if header_size == 14:
            struct.pack_into("<H", data, 12, crc16(bytes(data[:12])))
        struct.pack_into("<H", data, len(data) - 2, crc16(bytes(data[:-2])))


def mutate(data: bytes, operations: list[tuple[str, int, int, bytes]], how: str) -> bytes:
    out = bytearray(data)
    for operation, where, value, blob in operations:
        if not out:
            break
        at = where % len(out)
        if operation == "truncate":
            del out[at:]
        elif operation == "flip":
            out[at] ^= 1 << (value % 8)
        elif operation == "set":
            out[at] = value
        elif operation == "insert":
            out[at:at] = blob
        else:
            del out[at : at + len(blob)]
    fix_up(out, how)
    return bytes(out)


operations = st.lists(
    st.tuples(
        st.sampled_from(["truncate", "flip", "set", "set", "insert", "delete"]),
        st.integers(0, 1 << 20),
        st.integers(0, 255),
        st.binary(min_size=1, max_size=8),
    ),
    min_size=1,
    max_size=4,
)
fix_ups = st.sampled_from(["none", "size", "crc", "all", "all", "all"])


def read_or_fail_in_one_line(data: bytes, name: str) -> None:
    """What `liftfit inspect` and `liftfit import` do with the bytes; only InvalidInput may
    escape, with one line."""
    try:
        workout = read_fit_workout(data, name)
        _report(workout)
        json.dumps(_document(workout), ensure_ascii=False)
        imported = import_workout(workout)
        text = imported.yaml_text()
        data = read_yaml(Path(name), text).data
        assert data == imported.workout
        Workout.model_validate(data)  # loads as written
        event("imported")
    except InvalidInput as error:
        event("refused: " + error.lines()[0].split(": ")[1].split(" (")[0][:40])
        (line,) = error.lines()
        assert line.startswith(f"{name}: ") and "\n" not in line and len(line) < 400


@fuzz_settings(5000)
@given(name=st.sampled_from(sorted(seeds())), operations=operations, how=fix_ups)
def test_damaged_files_read_or_fail_in_one_line(
    name: str, operations: list[tuple[str, int, int, bytes]], how: str
) -> None:
    with no_hang():
        read_or_fail_in_one_line(mutate(seeds()[name], operations, how), "damaged.fit")


@fuzz_settings(500)
@given(data=st.binary(max_size=400), fit_header=st.booleans())
def test_random_bytes_fail_in_one_line(data: bytes, fit_header: bool) -> None:
    if fit_header:  # a plausible header, so that the container check is passed at times
        header = bytearray(b"\x0e\x20\x00\x00\x00\x00\x00\x00.FIT\x00\x00")
        data = bytes(header) + data
        fixed = bytearray(data)
        fix_up(fixed, "all")
        data = bytes(fixed)
    with no_hang():
        read_or_fail_in_one_line(data, "random.fit")


# --- odd values in well-formed files: the importer alone ------------------------------------

_NUMBERS = [None, 0, 1, 2, 3, 4, 5, 6, 7, 11, 19, 22, 28, 29, 31, 32, 43, 50, 51, 99, 100, 101]
_NUMBERS += [255, 999, 1000, 1134, 65534, 0xFFFFFFFE]
_TEXTS = [None, "", "Left", "Left · x", "Right · x", "each side", "RPE 8", "RPE 11", "RIR 99"]
_TEXTS += ["tempo " + "x" * 30, "5-6 reps", "x" * 300, "é" * 150, "a\nb", "bodyweight"]
_TEXTS += ["200% 1RM", "30s each side", "Warm-Up", "Plank Walk-Up · x", "line  \n trailing  "]
_TEXTS += [" lead", "cr\r\nx", "x\n\n", "\x85y · z", "\u2028x", "\ufeffz", "yes", "1:30", "# x"]
_STRING_FIELDS = ("notes", "wkt_step_name")


@functools.cache
def decoded() -> dict[str, FitWorkoutFile]:
    return {name: read_fit_workout(data, name) for name, data in seeds().items()}


edits = st.lists(
    st.tuples(
        st.sampled_from(["set", "set", "set", "delete", "copy"]),
        st.integers(0, 1000),
        st.sampled_from(list(FitStep.__dataclass_fields__)),
        st.sampled_from(_NUMBERS),
        st.sampled_from(_TEXTS),
    ),
    min_size=1,
    max_size=6,
)


@fuzz_settings(2000)
@given(
    name=st.sampled_from(sorted(seeds())),
    edits=edits,
    sport=st.sampled_from([None, 1, 2, 10, 255]),
)
def test_odd_step_values_import_or_fail_in_one_line(
    name: str, edits: list[tuple[str, int, str, int | None, str | None]], sport: int | None
) -> None:
    """Steps with values no writer would use (repeats pointing forward, 0 reps, huge weights,
    notes that look like fields…): the workout file still loads, and its step layout is the
    one the importer announced."""
    original = decoded()[name]
    steps = list(original.steps)
    for operation, where, field, number, text in edits:
        at = where % len(steps)
        if operation == "delete" and len(steps) > 1:
            del steps[at]
        elif operation == "copy":
            steps.insert(at, steps[(at * 7) % len(steps)])
        else:
            value = text if field in _STRING_FIELDS else number
            steps[at] = FitStep(**{**steps[at].raw(), field: value})
    workout = FitWorkoutFile(
        **{**original.__dict__, "steps": tuple(steps), "sport": sport, "num_valid_steps": None}
    )
    with no_hang():
        try:
            imported = import_workout(workout)
        except InvalidInput as error:
            assert len(error.lines()) == 1
            return
    data = read_yaml(Path("odd.yaml"), imported.yaml_text()).data
    assert data == imported.workout  # the YAML says exactly what was imported
    Workout.model_validate(data)
    assert not any("different layout" in note for note in imported.notes)
    assert len(imported.step_map) == len(steps)


# --- the commands themselves ----------------------------------------------------------------


def cli_cases() -> list[tuple[str, bytes]]:
    rng = random.Random(2026)
    cases = []
    for index in range(12):
        name = sorted(seeds())[index * 3 % len(seeds())]
        data = bytearray(seeds()[name])
        for _ in range(rng.randint(1, 3)):
            data[rng.randrange(14, len(data) - 2)] = rng.randrange(256)
        fix_up(data, "all" if index % 3 else "none")
        if index % 4 == 0:
            del data[rng.randrange(len(data)) :]
        cases.append((f"{index}-{name}", bytes(data)))
    return cases


@pytest.mark.parametrize(("label", "data"), cli_cases(), ids=[c[0] for c in cli_cases()])
def test_commands_on_damaged_files(tmp_path: Path, label: str, data: bytes) -> None:
    source = tmp_path / "damaged.fit"
    source.write_bytes(data)
    output = tmp_path / "out.yaml"
    runner = CliRunner()
    for args in (["inspect", str(source)], ["import", str(source), "-o", str(output)]):
        with no_hang():
            result = runner.invoke(cli, args)
        assert "Traceback" not in result.output and "internal error" not in result.output
        assert result.exit_code in (0, 1), result.output
        if result.exit_code == 1:
            (line,) = result.stderr.strip().splitlines()
            assert line.startswith(f"error: {source}: ")
            assert not output.exists()
        elif args[0] == "import":
            assert output.is_file()
            output.unlink()


def test_decoder_damage_reads_as_words() -> None:
    """fit-tool's wording for common damage is put in words (one line still)."""
    data = bytearray(b"\x0e\x20\x00\x00\x00\x00\x00\x00.FIT\x00\x00" + b"\x01\x00\x00\x00")
    fix_up(data, "all")
    with pytest.raises(InvalidInput) as caught:
        read_fit_workout(bytes(data), "x.fit")
    assert caught.value.lines() == [
        "x.fit: damaged FIT file: a record of local message type 1, "
        "which no definition before it describes"
    ]
