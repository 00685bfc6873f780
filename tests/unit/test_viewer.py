"""Opening an attached file with the system's viewer: the auditor is told the truth
(a file no program here opens is said so, under the name it was attached as)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from auditui import viewer

pytestmark = pytest.mark.skipif(sys.platform.startswith("win"), reason="uses sh scripts")


def opener(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "opener"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return script


@pytest.fixture
def photo(tmp_path: Path) -> Path:
    path = tmp_path / "d3c9f0e4ab809d0fc1d78d40c6670189.jpg"  # stored under its hash
    path.write_bytes(b"\xff\xd8 a photo")
    return path


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ("exit 0", "Opened IMG_2231.jpg in the system viewer"),
        ("sleep 5", "Opened IMG_2231.jpg in the system viewer"),  # a viewer still showing it
        ("exit 3", "No program here opens IMG_2231.jpg (opener found none: it ended with status "
                   "3); the file is "),
    ],
)
def test_what_the_auditor_is_told(tmp_path, photo, monkeypatch, body, said) -> None:
    script = opener(tmp_path, body)
    monkeypatch.setattr(viewer, "viewer_command", lambda path: [str(script), str(path)])
    monkeypatch.setattr(viewer, "GIVE_UP_S", 0.5)
    message = viewer.open_with_system_viewer(photo, "IMG_2231.jpg")
    assert message.startswith(said), message


def test_a_missing_file_and_no_opener(tmp_path, photo, monkeypatch) -> None:
    assert viewer.open_with_system_viewer(tmp_path / "gone.jpg").startswith("Not found:")
    monkeypatch.setattr(viewer, "viewer_command", lambda path: None)
    assert viewer.open_with_system_viewer(photo).startswith("No viewer found")


@pytest.mark.parametrize("name", ["scan.command", "x.desktop", "setup.exe", "run.bat",
                                  "invoice.js", "noext"])  # fmt: skip
def test_a_file_that_could_run_is_never_handed_to_the_opener(
    tmp_path, monkeypatch, name
) -> None:
    """Evidence arrives from other laptops through a sync: `o` on a `.command` file
    would run it in a terminal on a Mac, an `.exe` on Windows."""
    suffix = Path(name).suffix
    copy = tmp_path / f"c2955bee1e7f5a5734bf8066498dca2d{suffix}"
    copy.write_bytes(b"echo pwned")
    ran = tmp_path / "ran"
    script = opener(tmp_path, f"touch {ran}")
    monkeypatch.setattr(viewer, "viewer_command", lambda path: [str(script), str(path)])
    message = viewer.open_with_system_viewer(copy, name)
    assert "which auditui does not open" in message and str(copy) in message
    assert message.startswith(f"{name} is ")
    assert not ran.exists()
