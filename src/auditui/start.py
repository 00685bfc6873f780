"""The `auditui` command's entry point: the command line, with Python's cyclic garbage
collector held off while the program loads.

Loading (Textual, auditui, a checklist or session of thousands of items) makes many
objects and almost no garbage, so every collection in that time walks live objects only:
about 12 ms of start-up in imports alone, more while the first screen is built. Nothing
is lost by waiting: reference counting still frees everything that is not in a cycle.
The headless commands turn the collector back on as soon as they know what they run (one
may read 100,000 sessions); the terminal app after its first frame (`commands/app.py`).
"""

from __future__ import annotations

import gc
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    gc.disable()
    try:
        from auditui.cli import main as command_line

        return command_line(argv)
    finally:
        gc.enable()
