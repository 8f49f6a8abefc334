"""The generated tables (scripts/fit_tables.py) are what a fresh generation gives: the FIT
tables, and data/exercises.json, which must follow every edit of data/exercises.yaml."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = runpy.run_path(str(ROOT / "scripts" / "fit_tables.py"))


@pytest.mark.parametrize("path", sorted(SCRIPT["tables"]()), ids=lambda p: p.name)
def test_table_is_fresh(path: Path) -> None:
    fresh = SCRIPT["tables"]()[path]
    assert path.read_text("utf-8") == fresh, "stale: run `uv run python scripts/fit_tables.py`"


def test_exercise_table_holds_connect_list_once() -> None:
    from garminconnect import exercises

    rows = [
        line.split("\t")
        for line in SCRIPT["EXERCISES"].read_text("utf-8").splitlines()[1:]
        if not line.startswith("#")
    ][1:]
    listed = [(row[4], row[5], row[6]) for row in rows if row[5]]
    assert sorted(listed) == sorted((c, e, n) for n, c, e in exercises._RAW)
    assert len(rows) == 1846 + 52  # every FIT name, plus one category-only row per category
