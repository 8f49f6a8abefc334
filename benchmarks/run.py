"""Speed figures for liftfit (a script, not a test): `uv run python benchmarks/run.py`.

1. start-up: `liftfit --help` against importing click, pydantic and PyYAML alone (goal ≤ 1.5×);
2. building the bundled library with `liftfit build` (goal ≤ 1 s);
3. 1,000 workouts → FIT in one process on one core (goal ≥ 200 workouts/s).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


# As a user's machine runs it: byte-code caches written and reused (some shells, this
# workplace's among them, set PYTHONDONTWRITEBYTECODE, which recompiles every import).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _median_seconds(command: list[str], runs: int = 15) -> float:
    subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=ENV)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, cwd=ROOT, env=ENV)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def startup() -> None:
    baseline = _median_seconds([sys.executable, "-c", "import click, pydantic, yaml"])
    helped = _median_seconds([sys.executable, "-m", "liftfit", "--help"])
    print(
        f"start-up: liftfit --help {helped * 1000:.0f} ms, "
        f"import click+pydantic+yaml {baseline * 1000:.0f} ms, "
        f"ratio {helped / baseline:.2f}× (goal ≤ 1.5×)"
    )


def build_library() -> None:
    with tempfile.TemporaryDirectory() as out:
        seconds = _median_seconds(
            [sys.executable, "-m", "liftfit", "build", "workouts", "-o", out, "-q"], runs=5
        )
    count = len(list((ROOT / "workouts").glob("*.yaml")))
    print(f"build: {count} workouts, every format, {seconds:.2f} s as a command (goal ≤ 1 s)")


def throughput(total: int = 1000) -> None:
    from liftfit.api import compile_sources
    from liftfit.loader import Source, load_sources

    library = load_sources([ROOT / "workouts"])
    sources = [
        Source(
            f"{s.slug}-{i}", s.path, s.workout.model_copy(update={"name": f"{s.workout.name} {i}"})
        )
        for i in range(total // len(library) + 1)
        for s in library
    ][:total]
    compile_sources(sources[:10], formats=["fit"])
    start = time.perf_counter()
    compile_sources(sources, formats=["fit"])
    seconds = time.perf_counter() - start
    print(
        f"throughput: {total} workouts → FIT in {seconds:.2f} s, "
        f"{total / seconds:.0f} workouts/s (goal ≥ 200)"
    )


if __name__ == "__main__":
    startup()
    build_library()
    throughput()
