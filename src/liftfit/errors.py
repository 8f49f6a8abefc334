"""The app's own errors: located problems in the user's input, and failures of remote services."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from liftfit.safe import printable

SHOWN_PROBLEMS = 20


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as it can be."""

    file: Path | str
    message: str
    line: int | None = None
    column: int | None = None
    path: str = ""

    def __str__(self) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" {self.path}:" if self.path else ""
        # One line, whatever a file name or an echoed value holds (newlines, escapes).
        return printable(f"{where}:{field} {self.message}")


class LiftfitError(Exception):
    """An error the user can act on; the CLI prints it in one line per problem."""

    exit_code = 1

    def lines(self) -> list[str]:
        return [str(self)]


class InvalidInput(LiftfitError):
    """The input cannot be built as written; nothing is written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems

    def lines(self) -> list[str]:
        """One line per problem, the first ``SHOWN_PROBLEMS``, then how many more there are."""
        shown = [str(p) for p in self.problems[:SHOWN_PROBLEMS]]
        more = len(self.problems) - SHOWN_PROBLEMS
        if more > 0:
            shown.append(f"… and {more:,} more problems (fix these first, then run it again)")
        return shown


class RemoteError(LiftfitError):
    """A remote service (Garmin Connect) failed or refused."""

    exit_code = 3


class RemoteProblems(RemoteError):
    """Several things a command on a remote service could not do, one line each (exit 3)."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self._lines = lines

    def lines(self) -> list[str]:
        return self._lines
