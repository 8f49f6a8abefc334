"""samples/ holds the built outputs of workouts/; this fails when they are stale.

Regenerate with `uv run liftfit build workouts -o samples` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from liftfit.cli import cli
from tests.conftest import ROOT


def test_samples_are_current(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(cli, ["build", "workouts", "-o", str(tmp_path), "-q"])
    assert result.exit_code == 0, result.output
    fresh = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    samples = ROOT / "samples"
    kept = {p.relative_to(samples): p.read_bytes() for p in samples.rglob("*") if p.is_file()}
    stale = sorted(str(p) for p in fresh.keys() | kept.keys() if fresh.get(p) != kept.get(p))
    assert not stale, f"samples/ is stale, run `uv run liftfit build workouts -o samples`: {stale}"
