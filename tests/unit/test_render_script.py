"""scripts/render_reports.py: the report and the blank checklist rendered by a real browser
(headless Chromium) to PDF and PNG, and read back; without Chromium it says so and
still writes the HTML."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "scripts" / "render_reports.py"


def _script():
    spec = importlib.util.spec_from_file_location("render_reports", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_without_chromium_the_html_is_written_and_the_script_says_so(
    tmp_path, monkeypatch, capsys
) -> None:
    module = _script()
    monkeypatch.setattr(module, "find_browser", lambda: None)
    monkeypatch.setattr("auditui.paths.shipped_checklists_dir", lambda: REPO_ROOT / "checklists")
    assert module.main(["--out", str(tmp_path / "out")]) == 0
    assert "no Chromium found" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "blank-checklist.html",
        "report.html",
    ]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs chromium")
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_chromium_prints_both_and_the_pdf_text_reads_back(tmp_path, monkeypatch) -> None:
    module = _script()
    monkeypatch.setattr("auditui.paths.shipped_checklists_dir", lambda: REPO_ROOT / "checklists")
    out = tmp_path / "out"
    assert module.main(["--out", str(out)]) == 0
    for name in ("report", "blank-checklist"):
        assert (out / f"{name}.png").stat().st_size > 1000
    blank_pages = module.page_count(out / "blank-checklist.pdf")
    assert blank_pages is not None and blank_pages <= 12  # 192 questions
    text = subprocess.run(
        ["pdftotext", str(out / "report.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    squeezed = re.sub(r"\s+", "", text)
    for expected in (
        "Calibration register stops in March; gauge G-14 overdue since 2026-08-01. "
        "<no record> of the check after the drop.",
        "Chưa có biên bản họp xem xét của lãnh đạo cho quý 3.",
        "Appendix: every result",
    ):
        assert re.sub(r"\s+", "", expected) in squeezed
