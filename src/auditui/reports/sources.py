"""Where a report's data comes from: the session, its history and the findings register.

The one place that reads beyond the session itself, so the renderers stay pure and
the app and the `report` command make the same report from the same folder.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from auditui.catalog import Catalog
from auditui.errors import AudituiError
from auditui.paths import EXPORTS_ELSEWHERE, Locations
from auditui.reports.audit import (
    AuditReport,
    CorrectiveAction,
    EarlierFinding,
    Translation,
    build_report,
    status_words,
    translation_of,
)
from auditui.session import Session
from auditui.store import SessionStore

if TYPE_CHECKING:
    from collections.abc import Callable

    from auditui.finding_records import ActionRecord
    from auditui.findings import AuditHistory, Finding
    from auditui.repository import SessionRepository
from auditui.timeutil import now
from auditui.tomlio import atomic_write

FORMATS = ("html", "markdown")
SUFFIXES = {"html": ".report.html", "markdown": ".report.md"}


def corrective_actions(
    session: Session, history: AuditHistory, today: date | None = None
) -> dict[str, CorrectiveAction]:
    """The findings of the register that `session`'s failed items belong to (raised by it
    or by an earlier session and still open when it failed the item), with what was
    recorded against each, by item id."""
    from auditui.findings import recurrence_words

    today = today or now().date()
    found: dict[str, CorrectiveAction] = {}
    for item_id, finding in history.own.items():
        action = finding.action
        found[item_id] = CorrectiveAction(
            status=finding.status,
            owner=(action.owner if action else None) or "",
            due=finding.due(),
            cause=(action.cause if action else None) or "",
            correction=(action.correction if action else None) or "",
            action=(action.action if action else None) or "",
            overdue=finding.overdue(today),
            closed_reason=(action.closed_reason if action else None) or "",
            closed_by_hand=_closed_by_hand(action),
            finding_id=finding.id,
            raised_in=finding.raised_in,
            # repeats as this audit saw them, not later ones
            streak=history.streaks.get(finding.id, finding.streak),
            not_effective_in=finding.not_effective_in or "",
            closed_in=finding.closed_in or "",
            recurrence=recurrence_words(finding),
        )
    return found


def _closed_by_hand(action: ActionRecord | None) -> str:
    """`2026-11-20 by Mai`: a closing by hand's day and closer (the report gave only why)."""
    if action is None or action.closed is None:
        return ""
    by = f" by {action.closed_by}" if action.closed_by else ""
    return f"{action.closed:%Y-%m-%d}{by}"


def earlier_findings(
    session: Session, history: AuditHistory, translated: Translation | None = None
) -> list[EarlierFinding]:
    """The findings of earlier audits of the checklist open when `session` started, and
    what it found of each, as of then (`findings.AuditHistory.verified`): an action that did not
    work first, then those failed again, those it closed, those it did not audit. Its
    grade and words are as of the audit; its corrective action as it stands now."""
    today = now().date()
    found = []
    for finding, standing, verdict in history.verified:
        record = finding.record
        prompt = english = record.prompt if record is not None else ""
        if translated is not None:
            prompt = translated.prompts.get(finding.item_id) or prompt
        here = session.record(finding.item_id) if finding.item_id in session.index else None
        found.append(EarlierFinding(
            finding.id, finding.item_id,
            (record.clause if record is not None else None) or "",
            prompt, finding.grade or "", verdict,
            session.file_result(here) if here is not None else "not-in-checklist",
            _action_line(standing, finding, today),
            english if english != prompt else "",
            session.checklist_version,
        ))  # fmt: skip
    return found


def _action_line(finding, then, today: date) -> str:
    """`action: …; status now …; owner …; due … OVERDUE; closed by hand because …`: what
    was recorded against `finding` as it stands now, said so ("status now", beside what
    the audit found of it: a sealed report of September quoting a November audit must
    not read as of September), also with no action recorded yet."""
    closed_since = then.is_open and not finding.is_open
    action = finding.action
    # The register's status, as the findings part of the report gives it: closed by a
    # pass is closed whatever the record says, and an action that did not work is open.
    # A sentence typed with its full stop is not followed by one more mark (".;").
    parts = []
    if action is not None and action.action:
        parts.append(f"action: {action.action.rstrip().removesuffix('.')}")
    if closed_since:
        words = status_words(finding.status, None, finding.closed_in)
    else:
        words = status_words(finding.status, finding.not_effective_in)
    parts.append(f"status now: {words}")
    if action is None:
        return "; ".join(parts)
    if action.owner:
        parts.append(f"owner: {action.owner}")
    due = finding.due()
    if due is not None:
        parts.append(f"due {due.isoformat()}" + (" OVERDUE" if finding.overdue(today) else ""))
    if action.closed is not None and action.closed_reason:
        parts.append(f"closed by hand because: {action.closed_reason}")
    return "; ".join(parts)


def translation(
    catalog: Catalog | None, session: Session, language: str | None = None
) -> Translation | None:
    """The checklist's text in the session's language (or in `language`, "" none), when
    there is one and the checklist can still be found."""
    if language is None:
        language = session.language
    if not language or catalog is None:
        return None
    try:
        checklist = catalog.resolve(session.checklist_id)
    except AudituiError:
        return None
    return translation_of(checklist, session, language)


def checklist_standard(catalog: Catalog | None, session: Session) -> str:
    """The standard of `session`'s checklist, when that very checklist is at hand (same
    id, and the same version or file): for the report of a session imported from another
    tool's export (SPEC's format has no `standard`)."""
    if session.standard or catalog is None:
        return ""
    try:
        checklist = catalog.resolve(session.checklist_id)
    except AudituiError:
        return ""
    same = checklist.id == session.checklist_id and (
        checklist.version == session.checklist_version
        or (session.checklist_sha256 and checklist.sha256 == session.checklist_sha256)
    )
    return (checklist.standard or "") if same else ""


def gather_report(
    store: SessionRepository,
    session: Session,
    catalog: Catalog | None = None,
    on_error: Callable[[str], None] | None = None,
    language: str | None = None,
) -> AuditReport:
    """The report of `session`, against the previous session of its checklist that audited
    a section it audits (else the first session, nothing to compare), with the
    findings register's corrective actions and the checklist's text in the session's
    language, or in `language` ("" the English only), found through `catalog`. A session
    or findings file that does not read is told to `on_error`: left out, it changes the
    comparison, the repeats and the actions."""
    from auditui.finding_records import FindingRecords
    from auditui.findings import audit_history
    from auditui.reports.evidence import copy_states

    translated = translation(catalog, session, language)
    history = audit_history(store, FindingRecords(store.folder), session, on_error)
    previous = store.previous(session, overlapping=True, on_error=on_error)
    report = build_report(
        session,
        previous,
        corrective_actions(session, history),
        translated,
        earlier_findings(session, history, translated),
        checklist_standard(catalog, session),
        language,
    )
    # Each copy hashed once, here: the head says which changed, and each file's line
    # says what became of it (`views(checked=...)`).
    # The session just before, whatever it audited: says when `previous` skipped one.
    report.latest_earlier = store.previous(session, on_error=on_error)
    folder = session.path.parent if session.path else None
    records = session.scoped_records()
    states = copy_states((a for record in records for a in record.attachments), folder)
    report.evidence_states = states
    report.evidence_changed, report.evidence_missing = (
        tuple(
            f"{record.item_id} {attachment.name}"
            for record in records
            for attachment in record.attachments
            if states.get(attachment.file) in wanted
        )
        for wanted in (("changed",), ("missing", "unreadable"))
    )
    return report


def render_report(report: AuditReport, fmt: str) -> bytes:
    if fmt == "html":
        from auditui.reports.html import render_html

        return render_html(report).encode("utf-8")
    if fmt == "markdown":
        from auditui.reports.markdown import render_markdown

        return render_markdown(report).encode("utf-8")
    raise ValueError(fmt)


def export_inputs(
    store: SessionRepository,
    session: Session,
    catalog: Catalog | None,
    on_error: Callable[[str], None] | None = None,
) -> tuple[list[Finding], dict[str, str]]:
    """What an export carries beyond the session: the findings it failed (as the register
    has them) and its questions in the language it was walked in, by item id. The same
    for `auditui export` and the app's export key."""
    from auditui.finding_records import FindingRecords
    from auditui.findings import session_findings

    findings = session_findings(store, FindingRecords(store.folder), session, on_error=on_error)
    translated = translation(catalog, session)
    return findings, dict(translated.prompts) if translated is not None else {}


def report_to_folder(
    locations: Locations,
    session: Session,
    fmt: str,
    sessions_dir: Path | None = None,
    *,
    store: SessionRepository | None = None,
    on_error: Callable[[str], None] | None = None,
) -> Path:
    """Write the report of `session` (of `store`, else of `sessions_dir`, by default the
    sessions folder) into the exports folder (made if missing), atomically: what the
    app's export key and home's report key do. Files left out unread go to `on_error`."""
    if store is None:
        store = SessionStore(sessions_dir or locations.sessions_dir)
    data = render_report(gather_report(store, session, Catalog(locations), on_error), fmt)
    return _write_export(locations, f"{session.id}{SUFFIXES[fmt]}", data)


def review_pack_to_folder(
    locations: Locations,
    store: SessionRepository,
    fmt: str,
    today: date | None = None,
    for_last_review: bool = False,
) -> tuple[Path, list[str]]:
    """Write the management review pack of `store`'s folder (`auditui review-pack`, its
    default period, or `--for-last-review`) into the exports folder as
    `review-pack-<today>.html` (`…-for-review-of-<its day>`; or `.md`), atomically; with the
    files left out unreadable, one line each."""
    from auditui.reports.review import gather_review
    from auditui.reports.review_render import render_review_html, render_review_markdown

    left_out: list[str] = []
    pack = gather_review(
        store, today=today, on_error=left_out.append, for_last_review=for_last_review
    )
    render = render_review_html if fmt == "html" else render_review_markdown
    day = today or now().date()
    name = f"review-pack-{day.isoformat()}"
    if pack.for_review is not None:  # beside the pack of the next review, not over it
        name += f"-for-review-of-{pack.for_review.started.date().isoformat()}"
    suffix = ".html" if fmt == "html" else ".md"
    return _write_export(locations, f"{name}{suffix}", render(pack).encode("utf-8")), left_out


def _write_export(locations: Locations, name: str, data: bytes) -> Path:
    folder = locations.exports_dir
    path = locations.checked_output(folder / name, EXPORTS_ELSEWHERE)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        message = f"cannot create the folder: {exc.strerror or exc}"
        raise AudituiError(message, path=folder) from None
    atomic_write(path, data)
    return path
