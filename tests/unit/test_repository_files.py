"""What the repository itself must hold: files that are made at run time kept out of git,
and the README's keys table the same as the walkthrough's help (one source: its bindings)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_exports_and_sessions_made_while_trying_the_app_are_not_committed() -> None:
    ignored = (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "/exports/" in ignored  # reports written by `x` and `auditui report`
    assert "/sessions/*" in ignored
