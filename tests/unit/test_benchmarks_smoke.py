"""The benchmark command still runs: `python benchmarks/run.py --quick` (the parts without a
terminal). Only that it runs and reports ratios: timings on a CI machine prove nothing."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "run.py"


def test_quick_benchmark_runs_and_prints_ratios(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUDITUI_")}
    env["AUDITUI_CACHE_DIR"] = str(tmp_path / "cache")
    result = subprocess.run(
        [sys.executable, str(BENCHMARK), "--quick", "--no-tmux", "--repeat", "1"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    ratios = re.findall(r"^\s+ratio\s+\d+\.\d+x", out, flags=re.MULTILINE)
    assert len(ratios) >= 6, out  # validate, compare, trend: each with and without cache
    for what in (
        "validate", "compare", "trend", "report --format html", "save one mark",
        "sessions, 24 sessions", "findings, 300 small sessions: peak memory",
    ):  # fmt: skip
        assert re.search(rf"^{what}", out, flags=re.MULTILINE), (what, out)
