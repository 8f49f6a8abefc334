"""Writing results: each file atomically, each name kept inside its folder, each failure one line.

Each file is written to a temporary ``.NAME.XXXXXXXX.tmp`` in its folder, then renamed over the
old one, so a killed run leaves each file whole; the next run removes such leftovers. A set of
files (a build) is staged so, file by file as it is made, and renamed only once all of it is
made (``Staging``): a build refused halfway writes nothing. Every
name is checked before anything is written (``inside``, ``check_name``): no ``..``, absolute
path, drive letter or backslash, and the folder it lands in must resolve inside the output
folder. A system error (a full disk, a read-only drive, a file where a folder should be) is
``Unwritable``: one line naming the path and the system's reason, exit 1.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
from pathlib import Path

from liftfit.errors import LiftfitError
from liftfit.safe import Unreadable, printable, read_regular

# tempfile.mkstemp's random part: eight of [a-z0-9_].
_TEMP_SUFFIX = r"\.[a-z0-9_]{8}\.tmp"
_ANY_TEMP = re.compile(rf"^\..+{_TEMP_SUFFIX}$")
_DRIVE = re.compile(r"^[A-Za-z]:")


class Unwritable(LiftfitError):
    """An output that cannot or must not be written; one line: the path, then why."""


def check_name(name: str, folder: Path | None = None) -> str:
    """``name`` if it is a relative path of plain parts separated by ``/``; ``Unwritable`` if
    it could land anywhere else (``..``, an absolute path, a drive letter, a backslash, which
    is a folder separator on Windows, or a control character). The message shows the name
    under ``folder`` when given."""
    why = name_problem(name)
    if why:
        shown = name if folder is None or folder == Path() else f"{folder}/{name}"
        raise Unwritable(f"{printable(shown)}: refused: {why}")
    return name


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot name an output file under a folder; None when it can."""
    if not name:
        return "an empty name"
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in name):
        return "a control character in a file name"
    if "\\" in name:
        return "a backslash in a file name (a folder separator on Windows)"
    if name.startswith("/"):
        return "an absolute path, not a name inside the output folder"
    if _DRIVE.match(name):
        return "a drive letter, not a name inside the output folder"
    parts = name.split("/")
    if ".." in parts:
        return "'..' in a path leads out of the output folder"
    if "" in parts or "." in parts:
        return "an empty or '.' part in a path"
    return None


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, checked: a plain relative name (``check_name``) whose folder,
    symbolic links followed, is ``folder`` or below it."""
    check_name(name, folder)
    path = folder / name
    try:
        home = folder.resolve()
        landing = path.parent.resolve()
    except (OSError, RuntimeError):  # Python 3.12 says RuntimeError for a loop of links
        raise Unwritable(f"{printable(str(path.parent))}: a loop of symbolic links") from None
    if landing != home and home not in landing.parents:
        raise Unwritable(
            f"{printable(str(path))}: refused: it would be written in {landing}, outside {folder}"
        )
    return path


def remove_leftovers(folder: Path, name: str | None = None) -> None:
    """Remove the temporary files killed runs left in ``folder``: every ``.X.XXXXXXXX.tmp``, or
    only those of ``name``. A folder that does not exist (yet) has none."""
    pattern = _ANY_TEMP if name is None else re.compile(rf"^\.{re.escape(name)}{_TEMP_SUFFIX}$")
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if pattern.match(entry.name) and entry.is_file(follow_symlinks=False):
            try:
                os.unlink(entry.path)
            except FileNotFoundError:
                pass
            except OSError as error:
                raise Unwritable(_reason(Path(entry.path), error)) from None


class Staging:
    """Files written as they are made and put in place together, so that a build refused
    halfway (a problem in its 9,000th file) writes nothing and holds none of them meanwhile.

    ``stage`` checks a name (``inside``), skips a file that already holds the same bytes, and
    writes the others to their temporary files beside where they go (removing, the first time
    in each folder, what killed runs left); ``commit`` renames them over the old files in the
    order staged. Leaving the ``with`` block without committing (an exception, ``Unwritable``
    included) removes every temporary file and every folder staging made.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.files = 0  # staged, the unchanged ones included
        self.pending: list[tuple[str, Path]] = []  # (temporary file, where it goes)
        self.swept: set[Path] = set()
        self.made: list[Path] = []  # folders staging made, outermost first

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()

    def stage(self, name: str, data: bytes) -> None:
        path = inside(self.folder, name)
        self.files += 1
        if holds(path, data):
            return
        folder = path.parent
        if folder not in self.swept:
            missing = [p for p in (folder, *folder.parents) if not os.path.lexists(p)]
            _make_folder(folder)
            self.made += reversed(missing)
            remove_leftovers(folder)
            self.swept.add(folder)
        self.pending.append((_temporary(path, data, device=False), path))

    def commit(self) -> int:
        """Put every staged file in place; how many changed."""
        pending, self.pending = self.pending, []
        for i, (temporary, path) in enumerate(pending):
            try:
                _replace(temporary, path)
            except BaseException:
                self.pending = pending[i + 1 :]
                raise
        self.made.clear()
        return len(pending)

    def discard(self) -> None:
        for temporary, _ in self.pending:
            Path(temporary).unlink(missing_ok=True)
        self.pending.clear()
        for folder in reversed(self.made):
            with contextlib.suppress(OSError):  # not empty: files were put in before a failure
                folder.rmdir()
        self.made.clear()


def holds(path: Path, data: bytes) -> bool:
    """Whether ``path`` is a regular file holding exactly ``data`` (read no further than
    that: a FIFO or a huge file where an output goes is simply replaced)."""
    try:
        return read_regular(path, len(data), "file") == data
    except Unreadable:
        return False


def write_atomic(path: Path, data: bytes, *, device: bool = False, swept: bool = False) -> bool:
    """Write ``data`` to ``path`` via a temporary file in the same folder; False if unchanged.

    ``device``: a removable drive (a watch): the data is flushed to it before the rename,
    and no permissions are set (FAT drives refuse them). The temporary files a killed run
    left for ``path`` are removed first, unless the caller ``swept`` the folder already.
    """
    if holds(path, data):
        return False
    _make_folder(path.parent)
    if not swept:
        remove_leftovers(path.parent, path.name)
    _replace(_temporary(path, data, device=device), path)
    return True


def _temporary(path: Path, data: bytes, *, device: bool) -> str:
    """``data`` in a new temporary file beside ``path``: its name."""
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise Unwritable(_reason(path, error)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if device:
                handle.flush()
                os.fsync(handle.fileno())
        if not device:
            os.chmod(temporary, 0o644)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise Unwritable(_reason(path, error)) from None
        raise
    return temporary


def _replace(temporary: str, path: Path) -> None:
    """The temporary file renamed over ``path``; removed if that fails."""
    try:
        os.replace(temporary, path)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise Unwritable(_reason(path, error)) from None
        raise


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        if isinstance(error, FileExistsError | NotADirectoryError):
            blocker = next((p for p in (folder, *folder.parents) if os.path.lexists(p)), folder)
            shown = printable(str(blocker))
            if blocker.is_symlink() and not blocker.exists():
                raise Unwritable(f"{shown}: {_nowhere(blocker)}") from None
            if not blocker.is_dir():
                raise Unwritable(f"{shown}: is a file, not a folder") from None
        raise Unwritable(_reason(folder, error)) from None


def _nowhere(link: Path) -> str:
    """What a symbolic link that leads to no folder leads to: itself (a loop; Python 3.13's
    ``resolve`` no longer says so), or nothing."""
    try:
        link.stat()
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "a loop of symbolic links"
    return "a symbolic link to nothing, not a folder"


def _reason(path: Path, error: OSError) -> str:
    """``path: the system's reason``, in the words of ``strerror`` (``no space left on device``)."""
    if error.errno == errno.EISDIR:
        why = "is a folder, not a file"
    else:
        text = error.strerror or str(error) or type(error).__name__
        why = text[:1].lower() + text[1:]
    return f"{printable(str(path))}: {why}"
