"""The one place liftfit keeps a remote service's login tokens (Garmin Connect, COROS).

``TokenStore(service, env, file_name)``: the tokens live in ``<folder>/<file_name>``, where the
folder is the environment variable ``env`` when it is set (``~`` expanded), else ``service`` in
liftfit's user data folder (platformdirs: ``~/.local/share/liftfit/<service>`` on Linux).

- ``read()``: the file's text, or None when there is none (a symlink or anything that is not
  a regular file counts as none: tokens are never read through a link);
- ``write(text)``: atomically (a temporary file in the folder, created 0600, then renamed over
  the old one), in a folder made 0700; the old tokens stay until the new ones are whole;
- ``delete()``: removes the file (and the folder, if now empty); the path deleted, or None.
An ``OSError`` of the file system is the caller's to report.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

FOLDER_MODE = 0o700
FILE_MODE = 0o600


@dataclass(frozen=True)
class TokenStore:
    service: str  # the folder's name in the user data folder: "garmin", "coros"
    env: str  # the variable that names another folder: "LIFTFIT_GARMIN_TOKENS"
    file_name: str  # "garmin_tokens.json"

    @property
    def folder(self) -> Path:
        configured = os.environ.get(self.env, "").strip()
        if configured:
            return Path(configured).expanduser()
        from platformdirs import user_data_path

        return user_data_path("liftfit", appauthor=False) / self.service

    @property
    def path(self) -> Path:
        return self.folder / self.file_name

    def exists(self) -> bool:
        path = self.path
        return path.is_file() and not path.is_symlink()

    def read(self) -> str | None:
        if not self.exists():
            return None
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
        with os.fdopen(os.open(self.path, flags), encoding="utf-8") as file:
            return file.read()

    def write(self, text: str) -> Path:
        folder = self.secure_folder()
        path = folder / self.file_name
        temporary = folder / f".{self.file_name}.{secrets.token_hex(8)}.tmp"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        try:
            with os.fdopen(os.open(temporary, flags, FILE_MODE), "w", encoding="utf-8") as file:
                file.write(text)
                file.flush()
                os.fsync(file.fileno())
            os.chmod(temporary, FILE_MODE)
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise
        return path

    def delete(self) -> Path | None:
        path = self.path
        if not (path.is_file() or path.is_symlink()):
            return None
        path.unlink()
        with contextlib.suppress(OSError):
            path.parent.rmdir()  # only if now empty
        return path

    def secure_folder(self) -> Path:
        """The folder, made (with its parents) if needed, and set to 0700."""
        folder = self.folder
        folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
        if stat.S_IMODE(folder.stat().st_mode) != FOLDER_MODE:
            os.chmod(folder, FOLDER_MODE)
        return folder
