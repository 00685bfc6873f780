"""Benchmark parts for a history of years: the headless lists over 1,000 sessions (with an
empty cache and a warm one), and what 100,000 small sessions cost against 1,000.

Kept apart from run.py (which registers them) because they share their own way of
writing inputs: a few sessions written by auditui, then copied under new ids and start
times, so that 100,000 files take seconds to write, not an hour.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import inputs

_MAX_RSS = (
    "import sys\n"
    "from auditui.start import main\n"
    "try:\n"
    "    code = main(sys.argv[1:])\n"
    "finally:\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmHWM:'):\n"
    "            print(f'maxrss-kb {line.split()[1]}', file=sys.stderr)\n"
    "raise SystemExit(code)\n"
)
"""auditui's command line in a fresh Python, which reports its peak resident memory
(`VmHWM`, Linux: `getrusage` would count the parent's too, kept across `exec`)."""


def _from_run(*names: str) -> list:
    """Names from run.py, which imports this module (and runs as `__main__`)."""
    module = sys.modules.get("run") or sys.modules["__main__"]
    return [getattr(module, name) for name in names]


def write_history(folder: Path, checklist: Path, count: int, *, seed: int = 7) -> list[Path]:
    """`count` sessions of `checklist`, one a day (the newest yesterday), every item
    answered: five written by auditui, the rest copies of them with their own id and
    start time (what tells sessions apart in every list)."""
    shapes = []
    for number in range(5):
        path = inputs.write_session(
            folder, checklist, f"shape-{number}", started=inputs.started_at(0),
            answered=1.0, seed=seed + number,
        )  # fmt: skip
        shapes.append(path.read_text(encoding="utf-8"))
        path.unlink()
    started_line = re.compile(r"^started = .*$", re.MULTILINE)
    files = []
    first = inputs.started_at(0) - timedelta(hours=count)
    for number in range(count):
        session_id = f"h-{number:06d}"
        text = shapes[number % 5].replace(f'"shape-{number % 5}"', f'"{session_id}"', 1)
        started = first + timedelta(hours=number)
        text = started_line.sub(f"started = {started.isoformat()}", text, count=1)
        path = folder / f"{session_id}.toml"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


def bare_parse_listed(list_file: Path) -> list[str]:
    """The floor: a fresh Python parsing every file named in `list_file` with tomllib."""
    code = (
        "import sys, tomllib\n"
        "for name in open(sys.argv[1], encoding='utf-8').read().splitlines():\n"
        "    tomllib.load(open(name, 'rb'))"
    )
    return [sys.executable, "-c", code, str(list_file)]


def part_history(bench) -> object:
    """`sessions`, `findings` and `trend` over 1,000 sessions of a 150-item checklist,
    with an empty cache (each run a new cache folder: every file read and the index
    written) and a warm one, against a bare parse of the same files."""
    Row, run_timed, side_by_side = _from_run("Row", "run_timed", "side_by_side")

    count, n = bench.sizes.findings_sessions, bench.sizes.trend_items
    checklist = inputs.write_checklist(bench.root / "history" / "h.toml", "bench-history", n)
    folder = bench.root / "history" / "sessions"
    files = write_history(folder, checklist, count)
    listed = bench.root / "history" / "files.txt"
    listed.write_text("\n".join(map(str, files)), encoding="utf-8")
    where = ["--sessions-dir", str(folder)]
    commands = {
        "sessions": [*where, "sessions", "--format", "toml"],
        "findings": [*where, "findings", "--format", "toml"],
        "trend": [*where, "trend", "bench-history", "--format", "toml"],
    }

    def cold(argv: list[str]) -> float:
        cache = Path(tempfile.mkdtemp(prefix="cold-cache-", dir=bench.root))
        try:
            return run_timed(bench.auditui + argv, bench.env(AUDITUI_CACHE_DIR=str(cache)),
                             bench.root)  # fmt: skip
        finally:
            shutil.rmtree(cache, ignore_errors=True)

    def measure(_) -> None:
        variants = {"tomllib": lambda: run_timed(bare_parse_listed(listed), bench.env(),
                                                 bench.root)}  # fmt: skip
        for name, argv in commands.items():
            variants[f"{name} warm"] = lambda argv=argv: run_timed(
                bench.auditui + argv, bench.env(), bench.root
            )
            variants[f"{name} cold"] = lambda argv=argv: cold(argv)
        medians = side_by_side(bench, variants)
        against = f"bare tomllib parse of the {count:,} files"
        for name in commands:
            what = f"{name}, {count:,} sessions x {n} items"
            bench.rows.append(Row(what + ", warm", medians[f"{name} warm"],
                                  medians["tomllib"], against, 0.3))  # fmt: skip
            bench.rows.append(Row(what + ", empty cache", medians[f"{name} cold"],
                                  medians["tomllib"], against, 0.6))  # fmt: skip

    return measure


def part_scale(bench) -> object:
    """100,000 small sessions (10 items) against 1,000 of them: the peak memory of
    `sessions` and `findings` (goal: at most twice the 1,000 case), and a second run of
    each against the first (with an empty cache before the first: goal, faster)."""
    (Row,) = _from_run("Row")

    big, small, items = bench.sizes.scale_sessions, bench.sizes.scale_sessions // 100, 10
    root = bench.root / "scale"
    checklist = inputs.write_checklist(root / "s.toml", "bench-scale", items)
    folders = {}
    for count in (small, big):
        folders[count] = root / f"sessions-{count}"
        write_history(folders[count], checklist, count, seed=11)

    def run_once(count: int, command: str, cache: Path) -> tuple[float, float]:
        argv = [sys.executable, "-c", _MAX_RSS, "--sessions-dir", str(folders[count]),
                command, "--format", "toml"]  # fmt: skip
        start = time.perf_counter()
        done = subprocess.run(argv, env=bench.env(AUDITUI_CACHE_DIR=str(cache)),
                              cwd=bench.root, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)  # fmt: skip
        elapsed = time.perf_counter() - start
        found = re.search(r"maxrss-kb (\d+)", done.stderr)
        if done.returncode != 0 or found is None:
            raise SystemExit(f"benchmark command failed: {command}\n{done.stderr}")
        return elapsed, int(found.group(1)) / 1024

    def measure(_) -> None:
        for command in ("sessions", "findings"):
            peaks = {}
            for count in (small, big):
                cache = Path(tempfile.mkdtemp(prefix="scale-cache-", dir=bench.root))
                first, _ = run_once(count, command, cache)
                second, peak = run_once(count, command, cache)
                peaks[count] = peak
                bench.log(f"{command} {count}: first {first:.2f} s, second {second:.2f} s, "
                          f"{peak:.1f} MB")  # fmt: skip
                shutil.rmtree(cache, ignore_errors=True)
                if count == big:
                    bench.rows.append(
                        Row(f"{command}, {big:,} small sessions: second run", second, first,
                            "the first run, cache empty", 1.0)  # fmt: skip
                    )
            bench.rows.append(
                Row(f"{command}, {big:,} small sessions: peak memory", peaks[big],
                    peaks[small], f"the same with {small:,}", 2.0, unit="MB")  # fmt: skip
            )

    return measure


def part_home(bench) -> object:
    """The home screen over 1,000 sessions of a 150-item checklist, in a real terminal:
    from start until the newest session is listed, with the cache warm and with an
    empty cache (each run its own new cache folder), against the bare Textual app."""
    Row, side_by_side, startup_bare, rss_mb, BARE_APP = _from_run(
        "Row", "side_by_side", "startup_bare", "rss_mb", "BARE_APP"
    )
    count, n = bench.sizes.findings_sessions, bench.sizes.trend_items
    root = bench.root / "home"
    checklists = root / "checklists"
    inputs.write_checklist(checklists / "home.toml", "bench-home", n)
    folder = root / "sessions"
    write_history(folder, checklists / "home.toml", count)
    newest = inputs.started_at(0) - timedelta(hours=1)
    newest_text = f"{newest:%Y-%m-%d %H:%M}"
    script = bench.root / "bare_home_app.py"
    script.write_text(BARE_APP, encoding="utf-8")
    argv = [*bench.auditui, "--sessions-dir", str(folder), "--checklists-dir", str(checklists)]

    def home(tmux, memory: list[float], cold: bool = False) -> float:
        cache = Path(tempfile.mkdtemp(prefix="home-cache-", dir=bench.root))
        env = bench.env(AUDITUI_CACHE_DIR=str(cache)) if cold else bench.env()
        try:
            name, start = tmux.launch(argv, env)
            shown = tmux.wait_for(name, lambda text: newest_text in text, timeout=300)
            time.sleep(0.3)
            memory.append(rss_mb(tmux.pid(name)))
            tmux.close(name, ["q"])
            return shown - start
        finally:
            shutil.rmtree(cache, ignore_errors=True)

    def measure(tmux) -> None:
        assert tmux is not None
        memory: dict[str, list[float]] = {"warm": [], "cold": [], "bare": []}
        medians = side_by_side(
            bench,
            {
                "warm": lambda: home(tmux, memory["warm"]),
                "cold": lambda: home(tmux, memory["cold"], cold=True),
                "bare": lambda: startup_bare(bench, tmux, script, memory["bare"]),
            },
        )
        what = f"home screen listing {count:,} sessions x {n} items"
        bare = "bare Textual app, one label"
        bench.rows.append(Row(what + ", warm", medians["warm"], medians["bare"], bare, 1.5))
        bench.rows.append(Row(what + ", empty cache", medians["cold"], medians["bare"], bare,
                              3.0))  # fmt: skip
        bench.rows.append(
            Row(what + ": resident memory", max(memory["warm"]), max(memory["bare"]),
                "bare Textual app", None, unit="MB")  # fmt: skip
        )

    return measure
