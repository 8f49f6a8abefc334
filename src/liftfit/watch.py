"""A Garmin watch connected over USB: finding its drive and copying FIT files into NewFiles.

A Garmin watch in USB mass-storage mode is a drive with a ``GARMIN`` folder; files put in
``GARMIN/NewFiles`` are imported by the watch when it is unplugged. Each file is written to a
temporary name in that folder, flushed to the device and renamed (``delivery.write_atomic``),
so an unplugged cable leaves either the old file or the new one, never half of one; every
name is checked to land in ``NewFiles``, and temporary files an earlier run left are removed.
"""

from __future__ import annotations

import glob
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from liftfit.delivery import holds, inside, remove_leftovers, write_atomic
from liftfit.errors import LiftfitError

# Where drives are mounted: Linux (udisks, older and newer), macOS. Tests pass their own.
SEARCH_PATTERNS: tuple[str, ...] = ("/media/*/*", "/run/media/*/*", "/Volumes/*")
GARMIN_FOLDER = "GARMIN"
NEW_FILES_FOLDER = "NewFiles"


class NotAWatch(LiftfitError):
    """The folder given is not a Garmin watch's drive."""


class NoWatchFound(LiftfitError):
    """No connected Garmin watch was found where drives are mounted."""


class SeveralWatches(LiftfitError):
    """More than one Garmin watch is connected: the user has to choose (a usage error)."""

    exit_code = 2


@dataclass
class CopyReport:
    """What a copy did, file by file."""

    folder: Path
    copied: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def _child(folder: Path, name: str) -> Path | None:
    """``folder/name`` matched without regard to case (FAT drives keep what was written)."""
    exact = folder / name
    if exact.is_dir():
        return exact
    try:
        for child in sorted(folder.iterdir()):
            if child.name.lower() == name.lower() and child.is_dir():
                return child
    except OSError:
        return None
    return None


def garmin_folder(mount: Path) -> Path | None:
    """The drive's ``GARMIN`` folder, or None when ``mount`` is not a Garmin watch."""
    return _child(mount, GARMIN_FOLDER) if mount.is_dir() else None


def find_watches(patterns: Sequence[str] = SEARCH_PATTERNS) -> list[Path]:
    """Mounted drives that hold a ``GARMIN`` folder, sorted, each once."""
    found = {
        Path(match)
        for pattern in patterns
        for match in glob.glob(pattern)
        if garmin_folder(Path(match)) is not None
    }
    return sorted(found)


def choose_watch(to: Path | None, patterns: Sequence[str] | None = None) -> tuple[Path, bool]:
    """The watch to copy to, and whether it was found rather than named.

    A named folder must be a Garmin watch; without one, exactly one connected watch must be
    found where drives are mounted.
    """
    if to is not None:
        if garmin_folder(to) is None:
            raise NotAWatch(
                f"{to} is not a Garmin watch: it has no {GARMIN_FOLDER} folder "
                "(give the watch's drive, e.g. /media/you/GARMIN, or leave out --to "
                "to find it)"
            )
        return to, False
    searched = SEARCH_PATTERNS if patterns is None else patterns
    watches = find_watches(searched)
    if not watches:
        raise NoWatchFound(
            f"no Garmin watch found in {', '.join(searched)}: connect it with its USB cable "
            "and wait for its drive to appear, or name the drive with --to "
            "(watches that connect over MTP have no drive: use `liftfit garmin push`)"
        )
    if len(watches) > 1:
        raise SeveralWatches(
            f"{len(watches)} Garmin watches are connected: {', '.join(map(str, watches))}; "
            "choose one with --to"
        )
    return watches[0], True


def new_files_folder(mount: Path) -> Path:
    """``GARMIN/NewFiles`` on the drive, made if the watch has none yet."""
    garmin = garmin_folder(mount)
    if garmin is None:
        raise NotAWatch(f"{mount} is not a Garmin watch: it has no {GARMIN_FOLDER} folder")
    return _child(garmin, NEW_FILES_FOLDER) or garmin / NEW_FILES_FOLDER


def copy_to_watch(files: Mapping[str, bytes], mount: Path) -> CopyReport:
    """Put each ``name → bytes`` into ``GARMIN/NewFiles``, in the order given (workouts before
    the schedules that name them); files already there with the same content are left alone
    and reported as skipped. Every name is checked before anything is copied."""
    folder = new_files_folder(mount)
    targets = {name: inside(folder, name) for name in files}
    remove_leftovers(folder)
    report = CopyReport(folder)
    for name, target in targets.items():
        data = files[name]
        if holds(target, data):
            report.skipped.append(name)
            continue
        there = target.exists() or target.is_symlink()
        write_atomic(target, data, device=True, swept=True)
        (report.replaced if there else report.copied).append(name)
    return report
