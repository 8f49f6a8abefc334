"""Shared test helpers: the reference folder and Garmin's own FIT decoder."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# Byte code written and reused, as on a user's machine: where PYTHONDONTWRITEBYTECODE is set
# (this workplace sets it), every run would compile hypothesis, pydantic and the rewritten
# test modules again (about 6 s of the suite's CPU).
sys.dont_write_bytecode = False

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(os.environ.get("LIFTFIT_REFERENCE", ROOT.parent / "shared" / "reference"))

# Property tests: quick by default, thorough in CI (.ci/run sets HYPOTHESIS_PROFILE=ci).
# Both derandomized, so a run gives the same cases everywhere and CI does not flake.
THOROUGH = os.environ.get("HYPOTHESIS_PROFILE") == "ci"
_PROFILE = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
settings.register_profile("quick", max_examples=40, **_PROFILE)
settings.register_profile("ci", max_examples=300, **_PROFILE)
settings.load_profile("ci" if THOROUGH else "quick")


# A test too slow for every run (seconds, for what it adds to the rest): CI runs it.
thorough_only = pytest.mark.skipif(
    not THOROUGH, reason="slow: runs under HYPOTHESIS_PROFILE=ci, as .ci/run sets it"
)


@pytest.fixture(scope="session")
def _cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _private_data(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch, _cache_home: Path
) -> None:
    """No test reads or writes the user's own liftfit data (saved Garmin and COROS logins):
    each gets empty folders of its own, which a test may point elsewhere itself; the tests
    share one cache folder (compiled templates), not the user's."""
    home = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("XDG_CACHE_HOME", str(_cache_home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    monkeypatch.setenv("LIFTFIT_GARMIN_TOKENS", str(home / "garmin"))
    monkeypatch.setenv("LIFTFIT_COROS_TOKENS", str(home / "coros"))


def examples(thorough: int) -> int:
    """How many cases a property test runs: ``thorough`` in CI, a tenth by default."""
    return thorough if THOROUGH else max(1, thorough // 10)


def covering[T: tuple[Any, ...]](cases: Sequence[T]) -> list[T]:
    """A parameter matrix: every case in CI; by default the fewest cases (chosen greedily,
    in order) that still give each parameter every one of its values at least once."""
    if THOROUGH:
        return list(cases)
    chosen: list[T] = []
    seen: set[tuple[int, Any]] = set()
    while True:
        new = [{*enumerate(case)} - seen for case in cases]
        best = max(range(len(cases)), key=lambda i: len(new[i]), default=None)
        if best is None or not new[best]:
            return sorted(chosen, key=cases.index)
        chosen.append(cases[best])
        seen |= new[best]


@pytest.fixture
def reference() -> Path:
    """The folder of real files made by Garmin Connect, Garmin's SDK and COROS."""
    if not REFERENCE.is_dir():
        pytest.skip(f"reference files not found at {REFERENCE} (set LIFTFIT_REFERENCE)")
    return REFERENCE


def garmin_decode(data: bytes) -> dict[str, Any]:
    """Raw messages as Garmin's decoder reads them; fails on any decoding error."""
    from garmin_fit_sdk import Decoder, Stream

    decoder = Decoder(Stream.from_byte_array(bytearray(data)))
    assert decoder.is_fit()
    assert decoder.check_integrity()
    decoder = Decoder(Stream.from_byte_array(bytearray(data)))
    messages, errors = decoder.read(
        apply_scale_and_offset=False,
        expand_sub_fields=False,
        expand_components=False,
        convert_types_to_strings=False,
        convert_datetimes_to_dates=False,
        merge_heart_rates=False,
    )
    assert errors == []
    return messages


def fitdecode_frames(data: bytes) -> list[Any]:
    """Every data message as fitdecode reads it (with CRC checks on)."""
    import fitdecode

    with fitdecode.FitReader(io.BytesIO(data), check_crc=fitdecode.CrcCheck.RAISE) as reader:
        return [f for f in reader if isinstance(f, fitdecode.FitDataMessage)]
