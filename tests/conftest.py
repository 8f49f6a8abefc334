"""Shared test helpers: the reference folder and Garmin's own FIT decoder."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = Path(os.environ.get("LIFTFIT_REFERENCE", ROOT.parent / "shared" / "reference"))


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
