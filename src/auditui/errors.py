"""The one error type auditui reports to people, and the exit codes it uses.

Every failure a user can cause (a broken file, a missing session, a full disk)
ends as an `AudituiError`: a one-line message naming the file and the place,
never a traceback.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path

from auditui.textwidth import printable


class ExitCode(IntEnum):
    """What the process exit status means to scripts."""

    OK = 0
    """The command did what it was asked."""
    BAD_INPUT = 1
    """The input was wrong, or something named does not exist."""
    USAGE = 2
    """The command line itself was wrong."""


class AudituiError(Exception):
    """A problem to show to the user as one line: `file:line: key.path: message`."""

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        key: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.key = key

    def __str__(self) -> str:
        place = ""
        if self.path is not None:
            place = self.path
            if self.line is not None:
                place += f":{self.line}"
            place += ": "
        if self.key:
            place += f"{self.key}: "
        return one_line(place + self.message)


class UsageError(AudituiError):
    """The command line itself was wrong (an option given an empty value, say): exit
    status 2, as argparse gives for its own checks."""


class SessionLockedError(AudituiError):
    """The session is open in another auditui."""


_LINE_BREAKS = {ord("\n"): " ", ord("\r"): " ", ord("\t"): " ", 0x2028: " ", 0x2029: " "}


def terminal_text(text: str) -> str:
    """Text for a terminal, lines and tabs kept: every other control character (ESC, a lone
    CR that would let a line overwrite another) shown as its picture, C1 controls and bidi
    overrides as U+FFFD, so no sequence in it drives the terminal."""
    return printable(text.replace("\r\n", "\n"), keep="\n\t")


def one_line(text: str) -> str:
    """A message on one line that never drives the terminal: line breaks become spaces,
    other control characters (an ESC in a file's text) their visible pictures, C1 controls
    and bidi overrides U+FFFD."""
    return printable(text.translate(_LINE_BREAKS)).strip()
