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
    # Built as the command above builds it, into a folder named samples (calendars name it).
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build", str(ROOT / "workouts"), "-o", "samples", "-q"])
    assert result.exit_code == 0, result.output
    out = tmp_path / "samples"
    fresh = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    samples = ROOT / "samples"
    kept = {p.relative_to(samples): p.read_bytes() for p in samples.rglob("*") if p.is_file()}
    stale = sorted(str(p) for p in fresh.keys() | kept.keys() if fresh.get(p) != kept.get(p))
    assert not stale, f"samples/ is stale, run `uv run liftfit build workouts -o samples`: {stale}"
