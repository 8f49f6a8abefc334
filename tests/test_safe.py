"""Reading input that cannot hang, and echoing text that cannot take over a terminal."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from liftfit.safe import Unreadable, clip, printable, read_regular


def test_a_regular_file_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"name: x\n")
    assert read_regular(path, 100, "YAML file") == b"name: x\n"


def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(Unreadable, match=r"^not a regular file \(a device, pipe or socket\)"):
        read_regular(fifo, 100, "YAML file")


def test_a_link_to_an_endless_device_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "zero.fit"
    link.symlink_to("/dev/zero")
    with pytest.raises(Unreadable, match="not a regular file"):
        read_regular(link, 100, "FIT file")


def test_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (2 << 20) + b"\n")
    with pytest.raises(Unreadable, match=r"^too large for a YAML file \(over 2 MB\)$"):
        read_regular(path, 2 << 20, "YAML file")


def test_missing_and_folder(tmp_path: Path) -> None:
    with pytest.raises(Unreadable, match=r"^no such file$"):
        read_regular(tmp_path / "nope.fit", 100, "FIT file")
    with pytest.raises(Unreadable, match=r"^is a folder, not a FIT file$"):
        read_regular(tmp_path, 100, "FIT file")


def test_control_characters_are_escaped() -> None:
    assert printable("\x1b]0;pwned\x07X") == "\\x1b]0;pwned\\x07X"
    assert printable("a\nb\u2028c\x9bd") == "a\\nb\\u2028c\\x9bd"
    assert printable("Løft – 3 × 8") == "Løft – 3 × 8"


def test_clip_cuts_long_values() -> None:
    assert clip("x" * 200) == "x" * 79 + "…"
    assert clip("short") == "short"
