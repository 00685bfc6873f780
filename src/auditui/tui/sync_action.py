"""Sync from the app: the same sync as `auditui sync`, run in a thread worker so the
screen stays live, with each step and the outcome shown as notifications. Home reads
the sessions again when it is done, so sessions brought in appear without a restart."""

from __future__ import annotations

from pathlib import Path

from textual.screen import Screen

from auditui.errors import AudituiError, one_line

NOT_SHARED = (
    "This sessions folder is not shared yet: run `auditui sync --remote URL` once in a "
    "terminal (docs/sync.md says how)."
)


def start_sync(screen: Screen, folder: Path) -> None:
    """Run a sync of the sessions `folder`; `screen` (home) is told and reloaded."""
    app = screen.app
    if not (folder / ".git").exists():
        screen.notify(NOT_SHARED, severity="warning", markup=False, timeout=10)
        return
    if any(worker.group == "sync" and worker.is_running for worker in app.workers):
        screen.notify("A sync is already under way.", markup=False)
        return
    screen.notify("Sync: started", markup=False, timeout=3)

    def run() -> None:
        from auditui import config
        from auditui.commands.sync import report_lines
        from auditui.sync.engine import sync

        def progress(step: str) -> None:
            app.call_from_thread(screen.notify, f"Sync: {step}…", markup=False, timeout=2)

        try:
            outcome = sync(folder, author=config.auditor_name(), progress=progress)
        except AudituiError as error:
            app.call_from_thread(_failed, screen, str(error))
            return
        except Exception as error:  # a bug: said, never a crash of the app
            app.call_from_thread(_failed, screen, f"internal error: {type(error).__name__}")
            raise
        app.call_from_thread(_done, screen, report_lines(outcome), bool(outcome.problems))

    screen.run_worker(run, thread=True, group="sync", exit_on_error=False, name="sync")


def _failed(screen: Screen, message: str) -> None:
    screen.notify(f"Sync failed: {one_line(message)}", severity="error", markup=False, timeout=12)


def _done(screen: Screen, lines: list[str], trouble: bool = False) -> None:
    """`trouble`: a file from another laptop did not read and was set aside."""
    screen.notify(
        "\n".join(["Sync done." if not trouble else "Sync done, with a problem:", *lines]),
        severity="warning" if trouble else "information",
        markup=False,
        timeout=20 if trouble else 10,
    )
    reload = getattr(screen, "action_reload", None)
    if reload is not None and screen.is_attached:
        reload()
