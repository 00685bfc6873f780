"""Opening a file with the system's viewer (photos, PDFs), without waiting for it.

The viewer runs on its own: auditui neither waits for it nor lets it write into the
terminal, so the walkthrough stays as it was while the auditor looks at the photo.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

from auditui.evidence import IMAGE_SUFFIXES


def viewer_command(path: Path) -> list[str] | None:
    """The command that opens `path`, or None where there is none (Windows uses startfile)."""
    if sys.platform == "darwin":
        return ["open", str(path)]
    if sys.platform.startswith("win"):
        return None
    opener = shutil.which("xdg-open")
    return [opener, str(path)] if opener else None


OPENED = IMAGE_SUFFIXES | frozenset({
    # photos and scans besides those a report shows
    ".tif", ".tiff", ".heic", ".heif",
    # documents and records
    ".pdf", ".txt", ".csv", ".rtf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx",
    ".odt", ".ods", ".odp",
    # video and sound from a phone
    ".mp4", ".mov", ".m4v", ".3gp", ".webm", ".avi", ".mkv", ".mp3", ".m4a", ".aac",
    ".amr", ".wav", ".ogg", ".opus",
})  # fmt: skip
"""The kinds of evidence handed to the system's opener. Evidence comes from other
laptops through a sync, and an opener runs what it is given: a `.command` file opens
a terminal and runs it on a Mac, an `.exe`, `.bat` or `.js` runs on Windows, a
`.desktop` file on Linux. Any other kind is only named, with where its copy is."""

GIVE_UP_S = 2.0
"""How long to wait for the opener to say it failed; one still running by then is taken
to be showing the file (some openers wait until the viewer is closed)."""


def open_with_system_viewer(path: Path, name: str = "") -> str:
    """Start the viewer on `path` (`name`: the file's name as the auditor knows it);
    returns what to tell the auditor. Waits up to `GIVE_UP_S` for the opener: call it off
    the UI thread."""
    name = name or path.name
    if not path.is_file():
        return f"Not found: {path} (copy the session's evidence folder here)"
    if path.suffix.lower() not in OPENED:
        kind = f"a {path.suffix.lower()} file" if path.suffix else "a file of no known kind"
        return (
            f"{name} is {kind}, which auditui does not open (only photos, documents, "
            f"videos and sound: a program could run); the file is {path}"
        )
    if sys.platform.startswith("win"):
        try:
            os.startfile(path)  # type: ignore[attr-defined]  # noqa: S606
        except OSError as exc:
            return f"Could not open {name}: {exc.strerror or exc}"
        return f"Opened {name}"
    command = viewer_command(path)
    if command is None:
        return f"No viewer found (xdg-open); the file is {path}"
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        return f"Could not open {name}: {exc.strerror or exc}"
    try:
        code = process.wait(timeout=GIVE_UP_S)
    except subprocess.TimeoutExpired:
        # Still running: the viewer is up. Reaped when it ends, so none is left defunct.
        threading.Thread(target=process.wait, daemon=True).start()
        return f"Opened {name} in the system viewer"
    if code != 0:
        opener = Path(command[0]).name
        return (
            f"No program here opens {name} ({opener} found none: it ended with status "
            f"{code}); the file is {path}"
        )
    return f"Opened {name} in the system viewer"
