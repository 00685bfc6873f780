"""Render the audit report and the blank checklist in a real browser: HTML -> PDF and PNG.

    python scripts/render_reports.py                      # a sample audit, into ./rendered/
    python scripts/render_reports.py --out DIR --session ID --sessions-dir sessions
    python scripts/render_reports.py --docs               # refresh the pictures in docs/

Uses headless Chromium (Debian's `chromium` package) when it is installed; without it,
the HTML files are still written and the script says what it skipped. With poppler's
`pdfinfo`, `pdftotext` and `pdftoppm`, it also counts the pages, reads the PDF's text
back (to check nothing was lost) and draws the first page of each PDF as a small PNG.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from auditui.catalog import Catalog  # noqa: E402
from auditui.finding_records import FindingRecords  # noqa: E402
from auditui.paths import Locations  # noqa: E402
from auditui.reports.blank import blank_sections, render_blank  # noqa: E402
from auditui.reports.sources import gather_report, render_report  # noqa: E402
from auditui.store import SessionStore  # noqa: E402

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
SAMPLE_CHECKLIST = "iso9001-internal-audit"
ICT = timezone(timedelta(hours=7))


def find_browser() -> str | None:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def sample_sessions(folder: Path) -> str:
    """Two sessions of the shipped internal audit, the later one the sample report's."""
    checklist = Catalog(Locations.resolve(None, None)).resolve(SAMPLE_CHECKLIST)
    store = SessionStore(folder)
    items = checklist.items

    def item_of(clause: str) -> str:
        return next(item.id for item in items if (item.clause or "").startswith(clause))

    notes = {
        item_of("7.1.5"): ("fail", "major", "Calibration register stops in March; gauge G-14 "
                         "overdue since 2026-08-01. <no record> of the check after the drop."),
        item_of("9.3"): ("fail", "minor", "Chưa có biên bản họp xem xét của lãnh đạo cho quý 3."),
        item_of("8.4"): ("pass", "ofi", "Supplier scorecards are kept by hand; a shared sheet "
                       "would show late deliveries sooner."),
        item_of("7.5"): ("pass", "observation", "Two of five operators asked named the wrong "
                       "revision of the work instruction, then found the right one."),
    }  # fmt: skip
    major = item_of("7.1.5")
    first = store.create(
        checklist,
        auditor="Nguyễn Thị Mai",
        auditee="Nhà máy Bình Dương",
        title="Internal audit H1 2026",
        started=datetime(2026, 5, 12, 8, 30, tzinfo=ICT),
    )
    for number, item in enumerate(items):
        failed = number % 9 == 4 or item.id == major  # the major failed last time too
        first.answer(item.id, result="fail" if failed else "pass")
    first.close()
    later = store.create(
        checklist,
        auditor="Nguyễn Thị Mai, Anan Srisuk",
        auditee="Nhà máy Bình Dương",
        title="Internal audit H2 2026",
        started=datetime(2026, 11, 25, 9, 30, tzinfo=ICT),
    )
    for number, item in enumerate(items):
        if number >= len(items) - 6:
            break  # a few left unanswered
        default = ("na" if number % 13 == 0 else "pass", None, "")
        result, grade, note = notes.get(item.id, default)
        if number % 9 == 4 and item.id not in notes:
            result = "fail" if number % 2 else "pass"
        later.answer(item.id, result=result, note=note, grade=grade)
    later.finish(
        conclusion="The system is effective overall. Calibration control is not: one major "
        "nonconformity (7.1.5), to be closed before the certification audit.",
        signed_by=["Nguyễn Thị Mai (lead auditor)", "Trần Văn Bình (plant manager)"],
        at=datetime(2026, 11, 25, 16, 10, tzinfo=ICT),
    )
    later.close()
    FindingRecords(folder).update(
        f"{first.session.id}/{major}",
        {
            "owner": "Trần Văn Bình",
            "due": date(2026, 12, 15),
            "cause": "Calibration reminders lived in one person's calendar.",
            "action": "Register moved to the shared plan with monthly review; G-14 recalibrated.",
            "status": "action",
        },
    )
    return later.session.id


def page_count(pdf: Path) -> int | None:
    if shutil.which("pdfinfo"):
        out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        found = re.search(r"^Pages:\s+(\d+)", out, re.MULTILINE)
        if found:
            return int(found.group(1))
    return None


def to_pdf(browser: str, html: Path, pdf: Path) -> None:
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", html.resolve().as_uri()],
        capture_output=True, check=True, timeout=120,
    )  # fmt: skip


def to_png(browser: str, html: Path, png: Path, pdf: Path, dpi: int) -> None:
    """The first printed page (from the PDF, small) when pdftoppm is there, else a
    screenshot of the top of the page in the browser."""
    if shutil.which("pdftoppm"):
        stem = png.with_suffix("")
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile",
             str(pdf), str(stem)],
            check=True, timeout=120,
        )  # fmt: skip
        return
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         f"--screenshot={png.resolve()}", "--window-size=900,1270", html.resolve().as_uri()],
        capture_output=True, check=True, timeout=120,
    )  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=Path("rendered"), help="output folder")
    parser.add_argument("--session", help="the session to report (default: a sample)")
    parser.add_argument("--sessions-dir", type=Path, default=None)
    parser.add_argument("--checklist", default=SAMPLE_CHECKLIST, help="the checklist to print")
    parser.add_argument("--docs", action="store_true", help="write the pictures in docs/images")
    parser.add_argument("--dpi", type=int, default=60, help="resolution of the PNG pictures")
    args = parser.parse_args(argv)

    out = REPO / "docs" / "images" if args.docs else args.out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        if args.session:
            store = SessionStore(args.sessions_dir or Locations.resolve(None, None).sessions_dir)
            session = store.load(args.session)
        else:
            store = SessionStore(Path(scratch) / "sessions")
            session = store.load(sample_sessions(store.folder))
        report_html = Path(scratch) / "report.html"
        report_html.write_bytes(render_report(gather_report(store, session), "html"))
        checklist = Catalog(Locations.resolve(None, None)).resolve(args.checklist)
        blank_html = Path(scratch) / "blank-checklist.html"
        blank_html.write_text(render_blank(checklist, blank_sections(checklist)), "utf-8")
        pages = {"report": report_html, "blank-checklist": blank_html}
        if not args.docs:
            for name, html in pages.items():
                shutil.copyfile(html, out / f"{name}.html")
        browser = find_browser()
        if browser is None:
            print(
                "render_reports: no Chromium found (apt-get install chromium); "
                f"wrote the HTML only, into {out}",
                file=sys.stderr,
            )
            return 0
        for name, html in pages.items():
            pdf = (Path(scratch) if args.docs else out) / f"{name}.pdf"
            to_pdf(browser, html, pdf)
            to_png(browser, html, out / f"{name}.png", pdf, args.dpi)
            count = page_count(pdf)
            print(f"{name}: {pdf.name}{f', {count} pages' if count else ''}, {name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
