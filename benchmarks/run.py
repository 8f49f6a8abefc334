"""Speed figures for liftfit (a script, not a test): `uv run python benchmarks/run.py`.

Each figure is a ratio measured in one run on one machine, so that it holds on any machine:

1. start-up: `liftfit --help` ÷ `python -c "import click"` (goal ≤ 1.2);
2. `liftfit build workouts` (every format) ÷ `python -c "import click, pydantic, yaml"`
   (goal ≤ 5);
3. bulk: workouts per second through `to_fit_bytes` for 1,000 and 10,000 generated workouts
   (goal ≥ 2,000/s, the 10,000's per-workout cost ≤ 1.1 × the 1,000's), and against Garmin's
   SDK `Encoder` writing the same messages (goal: liftfit, lowering included, ≥ 2.5× faster);
4. a 10,000-workout `liftfit build DIR -f fit` as a command: time and peak memory (goal
   ≤ 150 MiB).

`--quick` runs fewer repetitions (for a smoke test of the script).
"""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
QUICK = "--quick" in sys.argv

# As a user's machine runs it: byte-code caches written and reused (some shells, this
# workplace's among them, set PYTHONDONTWRITEBYTECODE, which recompiles every import).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
# `liftfit` as a user runs it: the command the install put beside this interpreter (else
# `python -m liftfit`, which also loads runpy and liftfit/__main__.py).
_SCRIPT = Path(sys.executable).with_name("liftfit")
LIFTFIT = [str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-m", "liftfit"]


def _seconds(command: list[str]) -> float:
    """The CPU seconds (user and system) the command took. On a machine shared with other
    work, its wall time counts the others' turns too: here the same `import click` took
    87 ms and 117 ms of wall time in two runs a minute apart."""
    child = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=ENV
    )
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:  # run it again to show why
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=ENV)
    return usage.ru_utime + usage.ru_stime


def _ratio(command: list[str], baseline: list[str], runs: int) -> tuple[float, float, float]:
    """Medians of interleaved runs (so that load on the machine hits both alike), and ratio.
    Many runs: one run of either can take a quarter more or less than the next here."""
    _seconds(command), _seconds(baseline)  # warm the caches
    ours, base = [], []
    for _ in range(3 if QUICK else runs):
        ours.append(_seconds(command))
        base.append(_seconds(baseline))
    a, b = statistics.median(ours), statistics.median(base)
    return a, b, a / b


def startup() -> None:
    ours, base, ratio = _ratio([*LIFTFIT, "--help"], [sys.executable, "-c", "import click"], 61)
    print(
        f"start-up: liftfit --help {ours * 1000:.0f} ms, import click {base * 1000:.0f} ms, "
        f"ratio {ratio:.2f} (goal ≤ 1.2)"
    )


def build_library() -> None:
    count = len(list((ROOT / "workouts").glob("*.yaml")))
    with tempfile.TemporaryDirectory() as out:
        ours, base, ratio = _ratio(
            [*LIFTFIT, "build", "workouts", "-o", out, "-q"],
            [sys.executable, "-c", "import click, pydantic, yaml"],
            21,
        )
    print(
        f"build: {count} workouts and their plans, every format, {ours * 1000:.0f} ms; "
        f"import click+pydantic+yaml {base * 1000:.0f} ms; ratio {ratio:.2f} (goal ≤ 5)"
    )


def generated(total: int) -> list[Any]:
    """``total`` workouts: the bundled library's, each renamed so that every file differs."""
    from liftfit.library import load_sources

    library = load_sources([ROOT / "workouts"])
    return [
        s.workout.model_copy(update={"name": f"{s.workout.name} {i}"})
        for i in range(total // len(library) + 1)
        for s in library
    ][:total]


def _best(run: Callable[[], object], repeats: int) -> float:
    """The fastest of ``repeats`` runs in CPU seconds of this process: on a machine shared
    with other work, wall time counts the others' turns too."""
    times = []
    for _ in range(1 if QUICK else repeats):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return min(times)


def bulk(rounds: int = 5) -> None:
    """Workouts per second through ``to_fit_bytes``, and the cost of 10,000 workouts per
    workout against 1,000's. The 10,000 are timed against ten runs of the 1,000, round by
    round: the same conversions over the same span of time, so that the machine's speed,
    which wanders from second to second here, weighs on both alike (the best of five short
    runs against the best of five long ones would favour the short)."""
    from liftfit import to_fit_bytes

    workouts = generated(10_000)
    batch = workouts[:1_000]
    to_fit_bytes(workouts[0])  # load the catalogue and the tables first
    single: list[float] = []  # each run of the 1,000
    tens: list[float] = []  # ten runs of the 1,000 in a row
    large: list[float] = []  # the 10,000
    for _ in range(1 if QUICK else rounds):
        start = time.process_time()
        for _ in range(10):
            begun = time.process_time()
            [to_fit_bytes(w) for w in batch]
            single.append(time.process_time() - begun)
        tens.append(time.process_time() - start)
        start = time.process_time()
        [to_fit_bytes(w) for w in workouts]
        large.append(time.process_time() - start)
    per_workout = min(single) / len(batch)
    print(f"bulk: 1,000 workouts → FIT in {min(single):.2f} s, {1 / per_workout:,.0f}/s")
    print(f"bulk: 10,000 workouts → FIT in {min(large):.2f} s, {10_000 / min(large):,.0f}/s")
    print(
        f"bulk: {1 / per_workout:,.0f} workouts/s (goal ≥ 2,000); 10,000 cost "
        f"{min(large) / min(tens):.2f} × per workout what 1,000 do (goal ≤ 1.1)"
    )
    garmin_sdk(batch, per_workout)


def garmin_sdk(workouts: list[Any], ours: float) -> None:
    """Garmin's SDK ``Encoder`` writing the messages of the same files (decoded beforehand)."""
    from garmin_fit_sdk import Decoder, Encoder, Stream

    from liftfit import to_fit_bytes

    def messages(data: bytes) -> list[tuple[int, dict[str, Any]]]:
        found: list[tuple[int, dict[str, Any]]] = []
        Decoder(Stream.from_byte_array(bytearray(data))).read(
            mesg_listener=lambda number, message: found.append((number, message)),
            expand_sub_fields=False,
            expand_components=False,
            convert_types_to_strings=False,
            merge_heart_rates=False,
        )
        return found

    files = [messages(to_fit_bytes(workout)) for workout in workouts]

    def encode_all() -> None:
        for messages in files:
            encoder = Encoder()
            for number, message in messages:
                encoder.on_mesg(number, message)
            encoder.close()

    theirs = _best(encode_all, 3) / len(files)
    print(
        f"Garmin SDK Encoder: {theirs * 1000:.2f} ms a workout (the messages only), liftfit "
        f"{ours * 1000:.2f} ms (lowering included): liftfit {theirs / ours:.1f}× faster "
        "(goal ≥ 2.5)"
    )


# Runs a command and prints its peak resident memory in KiB. A child forked from this
# benchmark's process, big after the bulk figures, would report that process's peak instead
# of its own (Linux keeps the largest resident size across exec); this small one forks it.
_PEAK = (
    "import resource, subprocess, sys; "
    "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def big_build(total: int = 10_000) -> None:
    """``liftfit build DIR -f fit -q`` over ``total`` workout files, as a command: its time
    and its own peak resident memory."""
    sources = sorted((ROOT / "workouts").glob("*.yaml"))
    with tempfile.TemporaryDirectory() as folder:
        inputs = Path(folder) / "in"
        inputs.mkdir()
        for i in range(total):
            source = sources[i % len(sources)]
            text = source.read_text("utf-8")
            (inputs / f"{source.stem}-{i}.yaml").write_text(
                text.replace("name: ", f"name: {i} ", 1), "utf-8"
            )
        command = [*LIFTFIT, "build", str(inputs), "-o", folder]
        gc.collect()
        start = time.perf_counter()
        measured = subprocess.run(
            [sys.executable, "-c", _PEAK, *command, "-f", "fit", "-q"],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=ENV,
        )
        seconds = time.perf_counter() - start
    peak = int(measured.stdout) / 1024  # KiB on Linux
    print(
        f"big build: {total:,} workout files → FIT as a command in {seconds:.1f} s, "
        f"peak memory {peak:.0f} MiB (goal ≤ 150)"
    )


if __name__ == "__main__":
    startup()
    build_library()
    bulk()
    big_build(1_000 if QUICK else 10_000)
