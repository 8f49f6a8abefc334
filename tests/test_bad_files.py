"""A corpus of bad workout files, each with the exact lines `liftfit validate` must print.

The expectations live in tests/bad/expected.yaml (file name → stderr lines). Every case must
exit 1 and write nothing; `build` must report the same lines.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from liftfit.cli import cli

BAD = Path(__file__).parent / "bad"
EXPECTED: dict[str, list[str]] = yaml.safe_load((BAD / "expected.yaml").read_text("utf-8"))
CASES = sorted(p.name for p in BAD.glob("*.yaml") if p.name != "expected.yaml")


def test_every_case_has_an_expectation() -> None:
    assert sorted(EXPECTED) == CASES
    assert len(CASES) >= 25


@pytest.mark.parametrize("name", CASES)
def test_validate_reports_exactly(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD.parent.parent)
    result = CliRunner().invoke(cli, ["validate", f"tests/bad/{name}"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [f"error: {line}" for line in EXPECTED[name]]
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", CASES)
def test_build_refuses_and_writes_nothing(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(BAD.parent.parent)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", f"tests/bad/{name}", "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"error: {line}" for line in EXPECTED[name]]
    assert not out.exists()


def test_one_bad_file_among_good_ones_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = BAD.parent.parent
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["build", str(root / "workouts"), str(BAD / "reps-zero.yaml"), "-o", str(out)]
    )
    assert result.exit_code == 1
    assert not out.exists()


def test_debug_shows_the_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD.parent.parent)
    result = CliRunner().invoke(cli, ["--debug", "validate", "tests/bad/reps-zero.yaml"])
    assert result.exit_code == 1
    assert "Traceback (most recent call last):" in result.stderr
    assert "liftfit.errors.InvalidInput" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("error: tests/bad/reps-zero.yaml:")
