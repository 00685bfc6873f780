"""Opening a file with the system's viewer (photos, PDFs), without waiting for it.

The viewer runs on its own: auditui neither waits for it nor lets it write into the
terminal, so the walkthrough stays as it was while the auditor looks at the photo.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


def viewer_command(path: Path) -> list[str] | None:
    """The command that opens `path`, or None where there is none (Windows uses startfile)."""
    if sys.platform == "darwin":
        return ["open", str(path)]
    if sys.platform.startswith("win"):
        return None
    opener = shutil.which("xdg-open")
    return [opener, str(path)] if opener else None


def open_with_system_viewer(path: Path) -> str:
    """Start the viewer on `path`; returns what to tell the auditor."""
    if not path.is_file():
        return f"Not found: {path} (copy the session's evidence folder here)"
    if sys.platform.startswith("win"):
        try:
            os.startfile(path)  # type: ignore[attr-defined]  # noqa: S606
        except OSError as exc:
            return f"Could not open {path}: {exc.strerror or exc}"
        return f"Opened {path.name}"
    command = viewer_command(path)
    if command is None:
        return f"No viewer found (xdg-open); the file is {path}"
    try:
        subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        return f"Could not open {path}: {exc.strerror or exc}"
    return f"Opened {path.name} in the system viewer"
