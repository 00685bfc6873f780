"""Where a report's data comes from: the session, its history and the findings register.

The one place that reads beyond the session itself, so the renderers stay pure and
the app and the `report` command make the same report from the same folder.
"""

from __future__ import annotations

from pathlib import Path

from auditui.errors import AudituiError
from auditui.reports.audit import AuditReport, CorrectiveAction, build_report
from auditui.session import Session
from auditui.store import SessionStore
from auditui.tomlio import atomic_write

FORMATS = ("html", "markdown")
SUFFIXES = {"html": ".report.html", "markdown": ".report.md"}


def corrective_actions(store: SessionStore, session: Session) -> dict[str, CorrectiveAction]:
    """The corrective actions recorded in the findings register for the items `session`
    failed, by item id (none yet: the register keeps no actions in this version)."""
    return {}


def gather_report(store: SessionStore, session: Session) -> AuditReport:
    """The report of `session`, against the previous session of its checklist."""
    return build_report(session, store.previous(session), corrective_actions(store, session))


def render_report(report: AuditReport, fmt: str) -> bytes:
    if fmt == "html":
        from auditui.reports.html import render_html

        return render_html(report).encode("utf-8")
    if fmt == "markdown":
        from auditui.reports.markdown import render_markdown

        return render_markdown(report).encode("utf-8")
    raise ValueError(fmt)


def report_to_folder(sessions_dir: Path, session: Session, fmt: str, folder: Path) -> Path:
    """Write the report of `session` (of the sessions folder `sessions_dir`) into `folder`
    (made if missing), atomically: what the app's export key and home's report key do."""
    data = render_report(gather_report(SessionStore(sessions_dir), session), fmt)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        message = f"cannot create the folder: {exc.strerror or exc}"
        raise AudituiError(message, path=folder) from None
    path = folder / f"{session.id}{SUFFIXES[fmt]}"
    atomic_write(path, data)
    return path
