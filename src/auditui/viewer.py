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


def viewer_command(path: Path) -> list[str] | None:
    """The command that opens `path`, or None where there is none (Windows uses startfile)."""
    if sys.platform == "darwin":
        return ["open", str(path)]
    if sys.platform.startswith("win"):
        return None
    opener = shutil.which("xdg-open")
    return [opener, str(path)] if opener else None


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
