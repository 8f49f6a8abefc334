"""Shared test helpers: the reference folder and Garmin's own FIT decoder."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

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


def examples(thorough: int) -> int:
    """How many cases a property test runs: ``thorough`` in CI, a tenth by default."""
    return thorough if THOROUGH else max(1, thorough // 10)


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
