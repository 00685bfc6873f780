"""auditui against its floor: one command, side by side, on this machine.

    python benchmarks/run.py                 # the full sizes (about two minutes)
    python benchmarks/run.py --quick         # tiny sizes, a smoke test
    python benchmarks/run.py --repeat 9      # more runs per figure (medians)
    python benchmarks/run.py --parts validate,compare --markdown

Inputs are generated in a temporary folder. Every figure is the median of
`--repeat` runs (after one warm-up run), measured interleaved with what it is
compared against, and the result is a ratio: absolute times on a shared machine
drift, ratios much less. The terminal figures run auditui in a real terminal
(a private tmux server, 80x24) and poll the screen until the text shows.

auditui keeps a cache of the files it has read (see docs/performance.md); the
benchmark points it at its own temporary folder, and also reports the headless
commands with the cache off (AUDITUI_NO_CACHE=1), the case of a file just edited.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import history  # noqa: E402
import inputs  # noqa: E402

PARTS = (
    "validate", "compare", "trend", "findings", "history", "scale", "report", "save", "sync",
    "home", "startup", "marks",
)  # fmt: skip
TMUX_PARTS = ("home", "startup", "marks")


@dataclass(frozen=True)
class Sizes:
    big: int
    small: int
    trend_sessions: int
    trend_items: int
    marks: int
    sync_sessions: int = 1000
    findings_sessions: int = 1000
    scale_sessions: int = 100_000


FULL = Sizes(big=5000, small=50, trend_sessions=50, trend_items=150, marks=40)
QUICK = Sizes(
    big=300, small=30, trend_sessions=8, trend_items=40, marks=10, sync_sessions=30,
    findings_sessions=24, scale_sessions=300,
)  # fmt: skip


@dataclass
class Row:
    """One line of the result table."""

    what: str
    ours: float
    against: float | None
    against_name: str
    goal: float | None
    unit: str = "s"
    lower_is_better: bool = True
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.against is None or self.against == 0:
            return None
        return self.ours / self.against

    @property
    def met(self) -> bool | None:
        if self.goal is None:
            return None
        value = self.ratio if self.against is not None else self.ours
        return value is not None and value <= self.goal


@dataclass
class Bench:
    root: Path
    sizes: Sizes
    repeat: int
    auditui: list[str]
    rows: list[Row] = field(default_factory=list)
    verbose: bool = False
    walks: dict[str, Walk] = field(default_factory=dict)

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AUDITUI_")}
        env["AUDITUI_CACHE_DIR"] = str(self.root / "cache")
        # Bytecode is cached as on any installed Python, even where the environment
        # says PYTHONDONTWRITEBYTECODE; in a private folder, to leave no trace.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(self.root / "pycache")
        env["PYTHONIOENCODING"] = "utf-8"
        env.update(extra)
        return env

    def log(self, text: str) -> None:
        if self.verbose:
            print(f"  … {text}", file=sys.stderr, flush=True)


# --- helpers ---------------------------------------------------------------------------


def fmt_time(seconds: float, unit: str) -> str:
    if unit == "MB":
        return f"{seconds:.1f} MB"
    if unit == "KB":
        return f"{seconds:.2f} KB"
    if unit == "ms":
        return f"{seconds:.2f} ms"
    return f"{seconds:.3f} s"


def run_timed(argv: list[str], env: dict[str, str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(
            f"benchmark command failed ({done.returncode}): {shlex.join(argv)}\n"
            + done.stderr.decode("utf-8", "replace")
        )
    return elapsed


def side_by_side(bench: Bench, variants: dict[str, Callable[[], float]]) -> dict[str, float]:
    """Medians of each variant, run interleaved, after one warm-up run of each."""
    for measure in variants.values():
        measure()
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(bench.repeat):
        for name, measure in variants.items():
            samples[name].append(measure())
    for name, values in samples.items():
        bench.log(f"{name}: " + ", ".join(f"{v:.3f}" for v in values))
    return {name: statistics.median(values) for name, values in samples.items()}


def bare_parse(files: list[Path]) -> list[str]:
    code = "import sys, tomllib\nfor name in sys.argv[1:]:\n    tomllib.load(open(name, 'rb'))"
    return [sys.executable, "-c", code, *map(str, files)]


def wait_until_old(folder: Path, age: float = 2.5) -> None:
    """auditui caches only files left alone for a moment (an edit in the same clock tick
    must not be missed): let the freshly generated inputs age like real ones."""
    newest = max(path.stat().st_mtime for path in folder.rglob("*") if path.is_file())
    delay = newest + age - time.time()
    if delay > 0:
        time.sleep(delay)


Measure = Callable[["Tmux | None"], None]
"""What a part returns once its inputs are written: the measurement itself."""


# --- headless commands -----------------------------------------------------------------


def headless(bench: Bench, what: str, argv: list[str], files: list[Path]) -> Measure:
    cwd = bench.root
    baseline = bare_parse(files)

    def measure(_: Tmux | None) -> None:
        medians = side_by_side(
            bench,
            {
                "tomllib": lambda: run_timed(baseline, bench.env(), cwd),
                "auditui": lambda: run_timed(bench.auditui + argv, bench.env(), cwd),
                "cold": lambda: run_timed(
                    bench.auditui + argv, bench.env(AUDITUI_NO_CACHE="1"), cwd
                ),
            },
        )
        against = "bare tomllib parse, fresh Python"
        bench.rows.append(Row(what, medians["auditui"], medians["tomllib"], against, 0.6))
        bench.rows.append(
            Row(what + " (no cache)", medians["cold"], medians["tomllib"], against, None)
        )

    return measure


def part_validate(bench: Bench) -> Measure:
    n = bench.sizes.big
    path = inputs.write_checklist(bench.root / "validate" / "big.toml", "bench-big", n)
    return headless(bench, f"validate, {n:,} items", ["validate", str(path)], [path])


def part_compare(bench: Bench) -> Measure:
    n = bench.sizes.big
    checklist = inputs.write_checklist(bench.root / "compare" / "big.toml", "bench-big", n)
    folder = bench.root / "compare" / "sessions"
    old = inputs.write_session(
        folder, checklist, "old", started=inputs.started_at(90), answered=1.0, seed=2
    )
    new = inputs.write_session(
        folder, checklist, "new", started=inputs.started_at(0), answered=1.0, seed=3
    )
    argv = ["--sessions-dir", str(folder), "compare", "old", "new", "--format", "toml"]
    return headless(bench, f"compare, 2 x {n:,} items", argv, [old, new])


def part_trend(bench: Bench) -> Measure:
    count, n = bench.sizes.trend_sessions, bench.sizes.trend_items
    checklist = inputs.write_checklist(bench.root / "trend" / "trend.toml", "bench-trend", n)
    folder = bench.root / "trend" / "sessions"
    files = [
        inputs.write_session(
            folder,
            checklist,
            f"trend-{number:03d}",
            started=inputs.started_at(7 * (count - number)),
            answered=1.0,
            seed=100 + number,
        )
        for number in range(count)
    ]
    argv = ["--sessions-dir", str(folder), "trend", "bench-trend", "--format", "toml"]
    return headless(bench, f"trend, {count} sessions x {n} items", argv, files)


def part_findings(bench: Bench) -> Measure:
    """`findings` over a long history (1,000 sessions of a 150-item checklist) against a bare
    parse of the same files, as trend is; and the memory it holds with a quarter of the
    sessions and with all of them (tracemalloc, one process), which must stay about the same:
    the register holds its findings and one state per item, never every session."""
    count, n = bench.sizes.findings_sessions, bench.sizes.trend_items
    checklist = inputs.write_checklist(bench.root / "findings" / "f.toml", "bench-findings", n)
    folder = bench.root / "findings" / "sessions"
    quarter = bench.root / "findings" / "quarter"
    files = []
    for number in range(count):
        path = inputs.write_session(
            folder,
            checklist,
            f"findings-{number:04d}",
            started=inputs.started_at(count - number),
            answered=1.0,
            seed=1000 + number,
        )
        files.append(path)
        if number % 4 == 0:
            quarter.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, quarter / path.name)
    argv = ["--sessions-dir", str(folder), "findings", "--format", "toml"]
    timing = headless(bench, f"findings, {count:,} sessions x {n} items", argv, files)
    # The most memory held between two sessions read (tracemalloc, one process): the
    # transient buffers of reading one file come and go within a session's turn.
    code = (
        "import sys, tracemalloc\n"
        "from pathlib import Path\n"
        "from auditui import findings\n"
        "from auditui.finding_records import FindingRecords\n"
        "from auditui.store import SessionStore\n"
        "held = [0]\n"
        "add = findings.RegisterBuilder.add\n"
        "def counted(self, session):\n"
        "    add(self, session)\n"
        "    held[0] = max(held[0], tracemalloc.get_traced_memory()[0])\n"
        "findings.RegisterBuilder.add = counted\n"
        "tracemalloc.start()\n"
        "folder = Path(sys.argv[1])\n"
        "found = findings.register_from_store(SessionStore(folder), FindingRecords(folder),"
        " keep_closed=False)\n"
        "print(len(found), held[0])\n"
    )

    def peak(where: Path) -> tuple[int, float]:
        done = subprocess.run(
            [sys.executable, "-c", code, str(where)], env=bench.env(AUDITUI_NO_CACHE="1"),
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        found, peak_bytes = done.stdout.split()
        return int(found), int(peak_bytes) / 1e6

    def measure(tmux: Tmux | None) -> None:
        timing(tmux)
        small_found, small = peak(quarter)
        big_found, big = peak(folder)
        # What grows with the sessions is one small head each (id, start, path: the order
        # they are read in, from SessionStore.heads); everything else is the findings and a
        # state per item. A session's own records are let go once it is added.
        per_session = max(0.0, big - small) * 1000 / max(1, count - len(range(0, count, 4)))
        bench.rows.append(
            Row(
                f"findings memory held per added session, {count:,} vs {count // 4:,}",
                per_session,
                None,
                "",
                4.0,
                unit="KB",
                note=f"{big:.2f} MB and {small:.2f} MB held; {big_found} and {small_found} "
                "open findings",
            )
        )

    return measure


def part_report(bench: Bench) -> Measure:
    """The audit report of a big session (against the session before it, as a real report
    is) next to the TOML export of the same session: both read it and write it out whole."""
    n = bench.sizes.big
    checklist = inputs.write_checklist(bench.root / "report" / "big.toml", "bench-big", n)
    folder = bench.root / "report" / "sessions"
    inputs.write_session(
        folder, checklist, "before", started=inputs.started_at(90), answered=1.0, seed=5
    )
    inputs.write_session(
        folder, checklist, "audit", started=inputs.started_at(0), answered=0.9, seed=6
    )
    where = ["--sessions-dir", str(folder)]
    report = [*where, "report", "audit", "--format", "html"]
    export = [*where, "export", "audit", "--format", "toml"]

    def measure(_: Tmux | None) -> None:
        medians = side_by_side(
            bench,
            {
                "export": lambda: run_timed(bench.auditui + export, bench.env(), bench.root),
                "report": lambda: run_timed(bench.auditui + report, bench.env(), bench.root),
            },
        )
        bench.rows.append(
            Row(
                f"report --format html, {n:,} items",
                medians["report"],
                medians["export"],
                "export --format toml of the same session",
                1.5,
                note="the report also reads the previous session",
            )
        )

    return measure


def part_save(bench: Bench) -> Measure:
    """`SessionWriter.answer` in this process: the mark is on disk when it returns."""
    n = bench.sizes.big
    checklist = inputs.write_checklist(bench.root / "save" / "big.toml", "bench-big", n)
    folder = bench.root / "save" / "sessions"
    inputs.write_session(
        folder, checklist, "save", started=inputs.started_at(0), answered=0.0, seed=4
    )

    def measure(_: Tmux | None) -> None:
        from auditui.store import SessionStore

        writer = SessionStore(folder).open("save")
        times = []
        try:
            records = writer.session.records
            for number in range(200):
                record = records[(number * 37) % len(records)]
                result = ("pass", "fail", "na")[number % 3]
                start = time.perf_counter()
                writer.answer(record.item_id, result=result)
                times.append(time.perf_counter() - start)
        finally:
            writer.close()
        times.sort()
        median = statistics.median(times) * 1000
        p95 = times[int(len(times) * 0.95)] * 1000
        bench.rows.append(
            Row(
                f"save one mark, {n:,}-item session",
                median,
                None,
                "",
                5.0,
                unit="ms",
                note=f"p95 {p95:.2f} ms, 200 marks in-process",
            )
        )

    return measure


# --- in a real terminal ----------------------------------------------------------------

BARE_APP = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Label


    class Bare(App):
        BINDINGS = [("q", "quit", "Quit")]

        def compose(self):
            yield Label("bare textual app ready")


    Bare().run()
    """
)


class Tmux:
    """A private tmux server (`tmux -L bench-<pid>`), one 80x24 session per run."""

    def __init__(self) -> None:
        self.name = f"bench-{os.getpid()}"
        self.count = 0

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.name, "-f", os.devnull, *args],
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
        )

    def __enter__(self) -> Tmux:
        # A session that idles keeps the server up between runs.
        self("new-session", "-d", "-s", "keep", "-x", "80", "-y", "24", "sleep 100000")
        # A program that fails leaves its pane (and its message) to be read.
        self("set-option", "-g", "remain-on-exit", "on")
        return self

    def __exit__(self, *exc: object) -> None:
        socket = self("display-message", "-p", "#{socket_path}").stdout.strip()
        self("kill-server")
        if socket and Path(socket).name == self.name:  # tmux leaves its socket behind
            Path(socket).unlink(missing_ok=True)

    def launch(self, argv: list[str], env: dict[str, str]) -> tuple[str, float]:
        self.count += 1
        name = f"run{self.count}"
        settings = [
            f"{key}={value}"
            for key, value in env.items()
            if key.startswith("AUDITUI_") or key == "PYTHONPYCACHEPREFIX"
        ]
        unset = ["-u", "PYTHONDONTWRITEBYTECODE"] if "PYTHONDONTWRITEBYTECODE" not in env else []
        command = shlex.join(["exec", "env", *unset, "ESCDELAY=10", *settings, *argv])
        start = time.perf_counter()
        done = self("new-session", "-d", "-s", name, "-x", "80", "-y", "24", command)
        if done.returncode != 0:
            raise SystemExit(f"tmux new-session failed: {done.stderr}")
        return name, start

    def screen(self, name: str) -> str:
        return self("capture-pane", "-p", "-t", name).stdout

    def wait_for(self, name: str, test: Callable[[str], bool], timeout: float = 60.0) -> float:
        deadline = time.perf_counter() + timeout
        polls = 0
        while True:
            text = self.screen(name)
            now = time.perf_counter()
            if test(text):
                return now
            polls += 1
            if polls % 20 == 0 and self.dead(name):
                raise SystemExit(f"the program in the terminal ended; the screen shows:\n{text}")
            if now > deadline:
                raise SystemExit(f"timed out waiting for the screen; it shows:\n{text}")
            time.sleep(0.01)

    def pid(self, name: str) -> int:
        return int(self("display-message", "-p", "-t", name, "#{pane_pid}").stdout.strip())

    def close(self, name: str, keys: list[str]) -> None:
        self("send-keys", "-t", name, *keys)
        deadline = time.perf_counter() + 10
        while time.perf_counter() < deadline and not self.dead(name):
            time.sleep(0.02)
        self("kill-session", "-t", name)

    def dead(self, name: str) -> bool:
        shown = self("display-message", "-p", "-t", name, "#{pane_dead}")
        return shown.returncode != 0 or shown.stdout.strip() == "1"


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise SystemExit(f"no VmRSS for process {pid}")


@dataclass
class Walk:
    """A sessions folder with an earlier session and one to resume, for one checklist size."""

    items: int
    folder: Path
    session_id: str
    first_item: str
    checklist: Path


def make_walk(bench: Bench, items: int, label: str) -> Walk:
    if label in bench.walks:
        return bench.walks[label]
    base = bench.root / f"walk-{label}"
    checklist = inputs.write_checklist(
        base / "checklists" / f"{label}.toml", f"bench-{label}", items
    )
    folder = base / "sessions"
    inputs.write_session(
        folder, checklist, "earlier", started=inputs.started_at(30), answered=1.0, seed=5
    )
    inputs.write_session(
        folder, checklist, "current", started=inputs.started_at(0), answered=0.0, seed=6
    )
    walk = bench.walks[label] = Walk(items, folder, "current", inputs.item_id(0), checklist)
    return walk


def on_first_item(walk: Walk, answered: int = 0) -> Callable[[str], bool]:
    progress = f"{answered}/{walk.items} answered"
    return lambda text: progress in text and walk.first_item in text


def last_time_shown(text: str) -> bool:
    return "Last time (" in text or "Last time: no earlier" in text


def on_item(walk: Walk, answered: int) -> Callable[[str], bool]:
    """Resumed with `answered` items marked: on the first unanswered one."""
    progress = f"{answered}/{walk.items} answered"
    return lambda text: progress in text and inputs.item_id(answered) in text


def startup_resume(
    bench: Bench, tmux: Tmux, walk: Walk, memory: list[float], **env: str
) -> float:
    argv = [*bench.auditui, "--sessions-dir", str(walk.folder), "resume", walk.session_id]
    name, start = tmux.launch(argv, bench.env(**env))
    shown = tmux.wait_for(name, on_first_item(walk))
    tmux.wait_for(name, last_time_shown)
    time.sleep(0.3)
    memory.append(rss_mb(tmux.pid(name)))
    tmux.close(name, ["q"])
    return shown - start


def resume_after_quitting(
    bench: Bench, tmux: Tmux, walk: Walk, memory: list[float], marked: list[int]
) -> float:
    """Resume, mark the item on screen, quit (the file is saved then), and at once
    resume again: the second start is timed. `marked` counts the marks made so far."""
    argv = [*bench.auditui, "--sessions-dir", str(walk.folder), "resume", walk.session_id]
    answered = marked[0]
    name, _ = tmux.launch(argv, bench.env())
    tmux.wait_for(name, on_item(walk, answered))
    tmux.wait_for(name, last_time_shown)
    tmux("send-keys", "-t", name, "p")
    tmux.wait_for(name, lambda text: f"{answered + 1}/{walk.items} answered" in text)
    tmux.close(name, ["q"])
    marked[0] = answered = answered + 1
    name, start = tmux.launch(argv, bench.env())
    shown = tmux.wait_for(name, on_item(walk, answered))
    tmux.wait_for(name, last_time_shown)
    time.sleep(0.3)
    memory.append(rss_mb(tmux.pid(name)))
    tmux.close(name, ["q"])
    settle_background(walk.session_id)
    return shown - start


def settle_background(session_id: str, limit: float = 10.0) -> None:
    """Wait for what auditui left running after quitting (it reads the session just saved
    into the cache in a child process) so that it does not slow the next measurement."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        try:
            found = subprocess.run(
                ["pgrep", "-f", f"resume {session_id}"], capture_output=True, check=False
            )
        except FileNotFoundError:  # no pgrep: give it what it takes on a slow machine
            time.sleep(1.0)
            return
        if found.returncode != 0:
            return
        time.sleep(0.02)


def startup_run(bench: Bench, tmux: Tmux, walk: Walk) -> float:
    """`auditui run CHECKLIST --auditor --auditee`: a new session, straight on item one."""
    before = set(walk.folder.iterdir())
    argv = [
        *bench.auditui,
        "--sessions-dir",
        str(walk.folder),
        "run",
        str(walk.checklist),
        "--auditor",
        "Somchai",
        "--auditee",
        "Moulding",
    ]
    name, start = tmux.launch(argv, bench.env())
    shown = tmux.wait_for(name, on_first_item(walk))
    tmux.wait_for(name, last_time_shown)
    tmux.close(name, ["q"])
    for leftover in set(walk.folder.iterdir()) - before:
        leftover.unlink()
    return shown - start


def startup_bare(bench: Bench, tmux: Tmux, script: Path, memory: list[float]) -> float:
    name, start = tmux.launch([sys.executable, str(script)], bench.env())
    shown = tmux.wait_for(name, lambda text: "bare textual app ready" in text)
    time.sleep(0.3)
    memory.append(rss_mb(tmux.pid(name)))
    tmux.close(name, ["q"])
    return shown - start


def part_startup(bench: Bench) -> Measure:
    big = make_walk(bench, bench.sizes.big, "big")
    small = make_walk(bench, bench.sizes.small, "small")
    script = bench.root / "bare_app.py"
    script.write_text(BARE_APP, encoding="utf-8")
    # A copy for the runs that rewrite the session first, so the others find it unchanged.
    saved_folder = bench.root / "walk-big-saved"
    shutil.copytree(big.folder, saved_folder)
    saved = Walk(big.items, saved_folder, big.session_id, big.first_item, big.checklist)

    def measure(tmux: Tmux | None) -> None:
        assert tmux is not None
        memory: dict[str, list[float]] = {
            "big": [], "small": [], "bare": [], "cold": [], "saved": []
        }  # fmt: skip
        marked = [0]
        medians = side_by_side(
            bench,
            {
                "big": lambda: startup_resume(bench, tmux, big, memory["big"]),
                "small": lambda: startup_resume(bench, tmux, small, memory["small"]),
                "bare": lambda: startup_bare(bench, tmux, script, memory["bare"]),
                "saved": lambda: resume_after_quitting(
                    bench, tmux, saved, memory["saved"], marked
                ),
                "cold": lambda: startup_resume(
                    bench, tmux, big, memory["cold"], AUDITUI_NO_CACHE="1"
                ),
                "run-big": lambda: startup_run(bench, tmux, big),
                "run-small": lambda: startup_run(bench, tmux, small),
            },
        )
        n, m = f"{big.items:,}", f"{small.items:,}"
        bare = "bare Textual app, one label"
        bench.rows += [
            Row(f"first item on screen (resume), {n} items", medians["big"], medians["small"],
                f"the same, {m} items", 1.2),
            Row(f"first item on screen (resume), {n} items", medians["big"], medians["bare"],
                bare, 1.2),
            Row(f"first item on screen (resume right after quitting), {n}", medians["saved"],
                medians["bare"], bare, 1.5),
            Row(f"first item on screen (resume, no cache), {n}", medians["cold"],
                medians["bare"], bare, None),
            Row(f"first item on screen (run, new session), {n}", medians["run-big"],
                medians["run-small"], f"the same, {m} items", 1.2),
            Row(f"first item on screen (run, new session), {n}", medians["run-big"],
                medians["bare"], bare, 1.5),
        ]  # fmt: skip
        rss = {name: statistics.median(values) for name, values in memory.items()}
        bench.rows += [
            Row(f"memory (VmRSS), {n} items open", rss["big"], rss["bare"], bare, 2.0,
                unit="MB"),
            Row(f"memory (VmRSS), {n} items open, no cache", rss["cold"], rss["bare"], bare,
                None, unit="MB"),
            Row(f"memory (VmRSS), {m} items open", rss["small"], rss["bare"], bare, None,
                unit="MB"),
        ]  # fmt: skip

    return measure


def marks_run(bench: Bench, tmux: Tmux, walk: Walk, count: int) -> float:
    folder = Path(tempfile.mkdtemp(dir=bench.root, prefix="marks-"))
    for path in walk.folder.glob("*.toml"):
        shutil.copy2(path, folder / path.name)
    argv = [*bench.auditui, "--sessions-dir", str(folder), "resume", walk.session_id]
    name, _ = tmux.launch(argv, bench.env())
    tmux.wait_for(name, on_first_item(walk))
    tmux.wait_for(name, last_time_shown)
    start = time.perf_counter()
    tmux("send-keys", "-t", name, "-l", "p" * count)
    done = tmux.wait_for(name, lambda text: f"{count}/{walk.items} answered" in text)
    tmux.close(name, ["q"])
    shutil.rmtree(folder, ignore_errors=True)
    return done - start


def part_marks(bench: Bench) -> Measure:
    count = bench.sizes.marks
    big = make_walk(bench, bench.sizes.big, "big")
    small = make_walk(bench, bench.sizes.small, "small")

    def measure(tmux: Tmux | None) -> None:
        assert tmux is not None
        medians = side_by_side(
            bench,
            {
                "big": lambda: marks_run(bench, tmux, big, count),
                "small": lambda: marks_run(bench, tmux, small, count),
            },
        )
        bench.rows.append(
            Row(
                f"{count} marks typed at once, {big.items:,} items",
                medians["big"],
                medians["small"],
                f"the same, {small.items:,} items",
                1.2,
            )
        )

    return measure


# --- report ----------------------------------------------------------------------------


def part_sync(bench: Bench) -> Measure:
    """`auditui sync` of a sessions folder of many sessions on a bare repository on the
    local disk: the first sync (set-up, commit of every session, push) against plain
    `git init && git add -A && git commit` of the same files, and a sync with nothing new
    against `git status` in the synced folder."""
    count = bench.sizes.sync_sessions
    root = bench.root / "sync"
    checklist = inputs.write_checklist(root / "audit.toml", "bench-sync", 60)
    template = root / "template"
    for number in range(count):
        inputs.write_session(
            template, checklist, f"s{number:04d}", started=inputs.started_at(number % 300),
            answered=0.8, seed=number,
        )  # fmt: skip
    config = root / "config"
    config.mkdir()
    (config / "config.toml").write_text('[laptop]\nid = "bnch"\nauditor = "Bench"\n', "utf-8")
    env = bench.env(AUDITUI_CONFIG_DIR=str(config))
    git = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.invalid"]
    runs = iter(range(10**6))

    def fresh(kind: str) -> tuple[Path, Path]:
        number = next(runs)
        folder, remote = root / f"{kind}-{number}", root / f"{kind}-{number}.git"
        shutil.copytree(template, folder)
        subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
        return folder, remote

    def first_sync(*, read_before: bool = True) -> float:
        folder, remote = fresh("first")
        if read_before:  # as the app's home screen has: the cache of read files knows them
            run_timed(bench.auditui + ["--sessions-dir", str(folder), "sessions"], env, root)
        argv = ["--sessions-dir", str(folder), "sync", "--remote", str(remote)]
        return run_timed(bench.auditui + argv, env, root)

    def plain_commit() -> float:
        folder, _ = fresh("plain")
        script = f"{shlex.join(git)} init -q && {shlex.join(git)} add -A && " + shlex.join(
            [*git, "commit", "-qm", "sessions"]
        )
        return run_timed(["sh", "-c", script], env, folder)

    steady, steady_remote = fresh("steady")
    run_timed(bench.auditui + ["--sessions-dir", str(steady), "sync", "--remote",
                               str(steady_remote)], env, root)  # fmt: skip

    def no_change_sync() -> float:
        return run_timed(bench.auditui + ["--sessions-dir", str(steady), "sync"], env, root)

    def git_status() -> float:
        return run_timed(["git", "status", "--porcelain"], env, steady)

    def by_hand() -> float:
        """What a person syncing by hand would run: fetch and merge the others' work, look
        for changes, push (no checks of what is in the files)."""
        script = ('branch="$(git symbolic-ref --short HEAD)" && '
                  f'{shlex.join(git)} pull -q --ff-only origin "$branch" && '
                  'git status --porcelain && git push -q origin "$branch"')  # fmt: skip
        return run_timed(["sh", "-c", script], env, steady)

    def measure(_: Tmux | None) -> None:
        first = side_by_side(
            bench,
            {
                "plain": plain_commit,
                "sync": first_sync,
                "cold": lambda: first_sync(read_before=False),
            },
        )
        again = side_by_side(
            bench, {"status": git_status, "by hand": by_hand, "sync": no_change_sync}
        )
        bench.rows.append(
            Row(f"first sync, {count:,} sessions", first["sync"], first["plain"],
                "git init && git add -A && git commit", None,
                note="sync also checks every file reads, and pushes")  # fmt: skip
        )
        bench.rows.append(
            Row(f"first sync, {count:,} sessions never read before", first["cold"],
                first["plain"], "git init && git add -A && git commit", None,
                note="every file parsed and checked")  # fmt: skip
        )
        bench.rows.append(
            Row(f"sync with nothing new, {count:,} sessions", again["sync"], again["status"],
                "git status in the synced folder", 2.0,
                note="sync also starts Python, fetches and checks the journals")  # fmt: skip
        )
        bench.rows.append(
            Row(f"sync with nothing new, {count:,} sessions", again["sync"], again["by hand"],
                "git pull --ff-only, git status, git push", None,
                note="the same exchange with the remote, by hand")  # fmt: skip
        )

    return measure


def machine() -> list[str]:
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    from importlib.metadata import version

    try:
        textual = version("textual")
    except Exception:
        textual = "not installed"
    try:
        import tomli  # noqa: F401

        parser = f"tomli {version('tomli')}"
    except Exception:
        parser = "tomllib"
    return [
        f"date {date.today().isoformat()}",
        f"{os.cpu_count()} CPUs ({cpu})",
        f"Python {platform.python_version()} ({platform.platform()})",
        f"Textual {textual}, parser available: {parser}",
    ]


def verdict(row: Row, quick: bool) -> str:
    if row.met is None or quick:  # the goals are for the full sizes
        return ""
    return "met" if row.met else "MISSED"


def goal_text(row: Row) -> str:
    if row.goal is None:
        return ""
    if row.against is None:
        return f"< {fmt_time(row.goal, row.unit)}"
    return f"<= {row.goal:.1f}x"


def report(rows: list[Row], markdown: bool, quick: bool = False) -> str:
    lines = []
    if markdown:
        lines.append("| what | auditui | against | ratio | goal | |")
        lines.append("|---|---|---|---|---|---|")
    for row in rows:
        ours = fmt_time(row.ours, row.unit)
        against = (
            f"{fmt_time(row.against, row.unit)} ({row.against_name})"
            if row.against is not None
            else row.note
        )
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "-"
        if markdown:
            lines.append(
                f"| {row.what} | {ours} | {against} | {ratio} | {goal_text(row)}"
                f" | {verdict(row, quick)} |"
            )
        else:
            lines.append(f"{row.what}")
            lines.append(f"    {ours:>10}  vs {against}")
            goal = goal_text(row) or "-"
            lines.append(f"    ratio {ratio:>7}  goal {goal:<9} {verdict(row, quick)}".rstrip())
    return "\n".join(lines)


def auditui_command() -> list[str]:
    """The `auditui` script of this Python (not a shim in front of it), else `-m auditui`."""
    script = Path(sys.executable).parent / ("auditui.exe" if os.name == "nt" else "auditui")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "auditui"]


PREPARE: dict[str, Callable[[Bench], Measure]] = {
    "validate": part_validate,
    "compare": part_compare,
    "trend": part_trend,
    "findings": part_findings,
    "history": history.part_history,
    "home": history.part_home,
    "scale": history.part_scale,
    "report": part_report,
    "save": part_save,
    "sync": part_sync,
    "startup": part_startup,
    "marks": part_marks,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes (a smoke test)")
    parser.add_argument("--repeat", type=int, default=None, help="runs per figure (default 5)")
    parser.add_argument(
        "--parts", default=",".join(PARTS), help=f"comma-separated, of: {', '.join(PARTS)}"
    )
    parser.add_argument("--no-tmux", action="store_true", help="skip the terminal parts")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("-v", "--verbose", action="store_true", help="show every sample")
    args = parser.parse_args(argv)
    parts = [part.strip() for part in args.parts.split(",") if part.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    if args.no_tmux or shutil.which("tmux") is None:
        if not args.no_tmux and any(part in TMUX_PARTS for part in parts):
            print("tmux not found: skipping the terminal parts", file=sys.stderr)
        parts = [part for part in parts if part not in TMUX_PARTS]
    repeat = args.repeat or (3 if args.quick else 5)

    for line in machine():
        print(line)
    command = auditui_command()
    print(f"auditui command: {shlex.join(command)}; medians of {repeat} runs")
    print()
    root = Path(tempfile.mkdtemp(prefix="auditui-bench-"))
    os.environ["AUDITUI_CACHE_DIR"] = str(root / "cache")  # for what runs in this process
    bench = Bench(root, QUICK if args.quick else FULL, repeat, command, verbose=args.verbose)
    try:
        chosen = [part for part in PARTS if part in parts]
        print("writing the inputs …", file=sys.stderr, flush=True)
        measures = {part: PREPARE[part](bench) for part in chosen}
        wait_until_old(root)
        for part in [p for p in chosen if p not in TMUX_PARTS]:
            print(f"measuring {part} …", file=sys.stderr, flush=True)
            measures[part](None)
        tmux_parts = [p for p in chosen if p in TMUX_PARTS]
        if tmux_parts:
            with Tmux() as tmux:
                for part in tmux_parts:
                    print(f"measuring {part} (tmux) …", file=sys.stderr, flush=True)
                    measures[part](tmux)
    finally:
        if args.keep:
            print(f"inputs kept in {root}", file=sys.stderr)
        else:
            shutil.rmtree(root, ignore_errors=True)
    if args.quick:
        print("(--quick: tiny inputs, a smoke test; the goals apply to the full sizes)")
    print(report(bench.rows, args.markdown, args.quick))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
