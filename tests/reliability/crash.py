"""Crash injection: real `auditui` processes in a pty, marked by keys and killed with SIGKILL.

Each worker walks "lineages": a session started with `auditui run`, then resumed
with `auditui resume` a few times. Every run is killed at a seeded random moment
(during start-up, while marking, right after a burst of keys, within 20 ms of a
key, while a note is typed or just saved, a few ms after `q` while the journal
is folded into the session file), or now and then quits cleanly. After each
kill the sessions folder is checked:

* every session file reads back (`auditui.store.read_session`), and the folder
  holds nothing a reader could trip on (only sessions, journals, locks and
  hidden `.tmp` files; nothing else ends in `.toml`);
* every mark sent more than `CONTRACT` (1 s) before the kill is on disk, and
  nothing is on disk that was never sent; a note being typed is on disk up to
  what was typed `DRAFT_MARGIN` before the kill (the editor saves a draft a
  quarter of a second after a change);
* the session's lock can be taken at once (a dead program holds no lock), and
  the next `auditui resume` opens it; a stale temporary file is gone once the
  next run has opened the session.

`run_campaign` is shared by the pytest test and `python -m tests.reliability.soak`.
"""

from __future__ import annotations

import random
import subprocess
import sys
import threading
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from auditui.errors import AudituiError
from auditui.lock import SessionLock
from auditui.session import Session
from auditui.session_toml import read_session_file
from auditui.store import SessionStore, read_session

from .ptydriver import AppProcess, child_env

READY = b"answered"
"""The progress on the walkthrough's top bar: the first item is on screen."""
EDITOR_OPEN = b"save and close"
"""The note editor's help line."""
CONTRACT = 1.0
"""SPEC: every change is on disk within one second."""
DRAFT_MARGIN = 2.0
"""Text typed in the note editor is saved 0.25 s after a change (plus slack for a busy machine)."""
KEY_RESULTS = {"p": "pass", "f": "fail", "n": "na"}
MOVES_ON = {"p", "n"}
MARK_KEYS = "pfnpfny"
"""What the campaign types while marking: p, f and n, and at times y, which answers the
question a pass or n/a over a fail asks (and does nothing otherwise)."""
ANSWERED_AFTER = 1.2
"""The question over a fail takes y or n only as the first key, once it has been up a
moment (the walkthrough's `SETTLE_S`, 0.5 s); any other key first, or one sooner, is
typing that went on, and then only esc closes it. The campaign answers it after this
long, and types on within `TYPED_ON` seconds, so that a busy machine's delays cannot
turn one into the other."""
TYPED_ON = 0.3
NOTE_CHARS = list("abcdefghijklmnopqrstuvwxyz      0123456789.,-") + [
    "é",
    "ไ",
    "ท",
    "ย",
    "中",
    "🚀",
    "[",
    "]",
    "/",
    "=",
]
PLANS = {
    # plan: weight
    "startup": 8,
    "marking": 30,
    "burst": 14,
    "key": 12,
    "note": 18,
    "quit": 18,
}


class Killed(Exception):
    """The run reached its kill moment (control flow, not an error)."""


class CampaignFailure(AssertionError):
    pass


# --- checklists -------------------------------------------------------------------------------


def checklist_text(checklist_id: str, sections: int, per_section: int) -> str:
    lines = [
        "[checklist]",
        f'id = "{checklist_id}"',
        f'title = "Crash test {checklist_id}"',
        'kind = "internal-audit"',
        'version = "1"',
        "",
    ]
    for s in range(sections):
        lines += ["[[sections]]", f'id = "{s + 4}"', f'title = "Section {s + 4}"', ""]
        for i in range(per_section):
            lines += [
                "[[sections.items]]",
                f'id = "{s + 4}.{i + 1}-a"',
                f'prompt = "Is requirement {s + 4}.{i + 1} met, with records kept and reviewed?"',
                f'clause = "{s + 4}.{i + 1}"',
                'guidance = "Ask the process owner; sample three records."',
                'evidence = ["Procedure", "Records"]',
                "",
            ]
    return "\n".join(lines)


CHECKLISTS = {"crash-small": (3, 6), "crash-large": (10, 15)}


# --- what was sent, and what may be on disk ------------------------------------------------------


@dataclass
class Exact:
    at: float
    value: str


@dataclass
class Typing:
    """A note editor open on an item: `base` plus what was typed, char by char."""

    at: float
    base: str
    chars: list[tuple[float, str]] = field(default_factory=list)

    def text(self, count: int | None = None) -> str:
        chars = self.chars if count is None else self.chars[:count]
        return self.base + "".join(char for _, char in chars)


@dataclass
class History:
    """The values one field of one item went through during a run."""

    initial: str
    events: list[Exact | Typing] = field(default_factory=list)

    @property
    def current(self) -> str:
        for event in reversed(self.events):
            if isinstance(event, Exact):
                return event.value
            return event.text()
        return self.initial

    def problem(self, value: str, killed_at: float) -> str | None:
        """Why `value` cannot be what is on disk after a kill at `killed_at`, or None."""
        cutoff = killed_at - CONTRACT
        draft_cutoff = killed_at - DRAFT_MARGIN
        # The latest point that must be on disk: a change sent before the cutoff, or a
        # note draft typed before the draft cutoff.
        start, minimum = -1, 0
        for number, event in enumerate(self.events):
            if isinstance(event, Exact) and event.at <= cutoff:
                start, minimum = number, 0
            elif isinstance(event, Typing):
                typed = sum(1 for at, _ in event.chars if at <= draft_cutoff)
                if typed:
                    start, minimum = number, typed
        allowed: list[str] = []
        prefixes: list[tuple[Typing, int]] = []
        if start < 0:
            allowed.append(self.initial)
        for number, event in enumerate(self.events[max(start, 0) :], start=max(start, 0)):
            if isinstance(event, Exact):
                allowed.append(event.value)
            else:
                prefixes.append((event, minimum if number == start else 0))
        if value in allowed:
            return None
        for typing, least in prefixes:
            for count in range(least, len(typing.chars) + 1):
                if value == typing.text(count):
                    return None
        expected = allowed[0] if allowed else prefixes[0][0].text(prefixes[0][1])
        return f"found {value!r}, expected {expected!r} (or a later value)"

    def checked(self, killed_at: float) -> int:
        """How many changes were old enough that they had to be on disk."""
        return sum(1 for e in self.events if isinstance(e, Exact) and e.at <= killed_at - CONTRACT)


class Model:
    """What the walkthrough does with p/f/n and the note editor, as far as disk is concerned."""

    def __init__(self, session: Session) -> None:
        self.ids = [record.item_id for record in session.records]
        self.results = {r.item_id: History(r.result) for r in session.records}
        self.notes = {r.item_id: History(r.note) for r in session.records}
        self.cursor = session.first_unanswered()
        self.marks_sent = 0
        self.typing: Typing | None = None
        self.asking: str | None = None
        """The key (p or n) whose question about a fail is on screen, if one is."""
        self.last_key = 0.0
        """When the question opened (sent)."""
        self.typed_on = False
        """Whether a key went into the question before an answer: only esc closes it."""

    def mark(self, key: str, at: float, *, alone: bool = True) -> None:
        """A key of p, f, n and y as the walkthrough takes it: p or n over a fail asks
        first; y records it, n keeps the fail. Only a y or n as the first key, once the
        question has been up a moment, and with no key typed with it (`alone`: not the
        first of keys sent in one write), answers it; any other key first (or one sooner)
        is typing that went on, and then the keys wait for esc."""
        if self.asking is not None:
            if self.typed_on:
                return
            waited = at - self.last_key
            assert waited >= ANSWERED_AFTER or waited <= TYPED_ON, waited  # never between
            if key not in ("y", "n") or waited < ANSWERED_AFTER or not alone:
                self.typed_on = True
                return
            if key == "y":
                self._record(self.asking, at)
            self.asking = None
            return
        if key == "y":  # no question on screen: y does nothing
            return
        if key in MOVES_ON and self.results[self.ids[self.cursor]].current == "fail":
            self.asking = key
            self.last_key = at
            self.typed_on = False
            return
        self._record(key, at)

    def _record(self, key: str, at: float) -> None:
        self.results[self.ids[self.cursor]].events.append(Exact(at, KEY_RESULTS[key]))
        if key in MOVES_ON:  # `f` stays on the failed item
            self.cursor = min(self.cursor + 1, len(self.ids) - 1)
        self.marks_sent += 1

    def open_editor(self, at: float) -> Typing:
        history = self.notes[self.ids[self.cursor]]
        self.typing = Typing(at, history.current)
        history.events.append(self.typing)
        return self.typing

    def save_note(self, at: float) -> None:
        assert self.typing is not None
        self.notes[self.ids[self.cursor]].events.append(Exact(at, self.typing.text()))
        self.typing = None
        self.marks_sent += 1

    def problems(self, session: Session, killed_at: float) -> list[str]:
        found = []
        if [r.item_id for r in session.records] != self.ids:
            return ["the items changed"]
        for record in session.records:
            for name, history, value in (
                ("result", self.results[record.item_id], record.result),
                ("note", self.notes[record.item_id], record.note),
            ):
                problem = history.problem(value, killed_at)
                if problem:
                    found.append(f"item {record.item_id} {name}: {problem}")
        return found

    def checked(self, killed_at: float) -> int:
        histories = [*self.results.values(), *self.notes.values()]
        return sum(history.checked(killed_at) for history in histories)


# --- figures ------------------------------------------------------------------------------------


@dataclass
class Figures:
    kills: int = 0
    clean_quits: int = 0
    runs: int = 0
    sessions: int = 0
    marks_sent: int = 0
    marks_checked: int = 0
    marks_in_last_second: int = 0
    stale_temp_files_seen: int = 0
    stale_temp_files_removed: int = 0
    cli_listings: int = 0
    kills_by_plan: dict[str, int] = field(default_factory=dict)
    quit_kills: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, **counts: int) -> None:
        with self._lock:
            for name, count in counts.items():
                setattr(self, name, getattr(self, name) + count)

    def killed(self, plan: str) -> None:
        self.add(kills=1)
        self.count("kills_by_plan", plan)

    def count(self, table: str, key: str) -> None:
        with self._lock:
            counts = getattr(self, table)
            counts[key] = counts.get(key, 0) + 1

    def summary(self) -> str:
        plans = ", ".join(f"{k} {v}" for k, v in sorted(self.kills_by_plan.items()))
        folds = ", ".join(f"{k}: {v}" for k, v in sorted(self.quit_kills.items()))
        return (
            f"{self.kills} kills ({plans}), {self.clean_quits} clean quits, {self.runs} runs, "
            f"{self.sessions} sessions; {self.marks_sent} marks and notes sent, "
            f"{self.marks_checked} checked on disk (sent > {CONTRACT:g} s before a kill), "
            f"{self.marks_in_last_second} more sent in the last second; "
            f"{self.stale_temp_files_seen} stale temp files, "
            f"{self.stale_temp_files_removed} removed on the next open; "
            f"{self.cli_listings} `auditui sessions` listings; kills after q landed {folds}; "
            f"{self.seconds:.0f} s"
        )


# --- one worker ---------------------------------------------------------------------------------


@dataclass
class Lineage:
    session_id: str
    path: Path
    runs_left: int
    stale: set[str] = field(default_factory=set)


class Worker:
    def __init__(
        self,
        root: Path,
        seed: int,
        kills: int,
        figures: Figures,
        env: dict[str, str] | None = None,
    ) -> None:
        self.root = root
        # Its own cache of read files: kills land in its writes too.
        self.env = {"AUDITUI_CACHE_DIR": str(root / "cache"), **(env or {})}
        self.seed = seed
        self.rng = random.Random(seed)
        self.kills_wanted = kills
        self.figures = figures
        self.checklists = root / "checklists"
        self.sessions = root / "sessions"
        self.checklists.mkdir(parents=True, exist_ok=True)
        for checklist_id, (sections, per_section) in CHECKLISTS.items():
            (self.checklists / f"{checklist_id}.toml").write_text(
                checklist_text(checklist_id, sections, per_section), encoding="utf-8"
            )
        self.lineage: Lineage | None = None
        self.kills = 0
        self.run_number = 0
        self.log: list[str] = []
        self.plans_first = self.rng.sample(list(PLANS), len(PLANS))
        """One run of each plan first, in a seeded order, then plans drawn by weight: a
        campaign drawn by weight alone once had no "burst" in 53 runs, and its check that
        every kind of kill was tried failed with nothing wrong in auditui."""

    # -- the loop --------------------------------------------------------------

    def run(self) -> None:
        while self.kills < self.kills_wanted:
            self.run_number += 1
            self.one_run()
        if self.lineage is not None:
            self.final_clean_run()
        self.check_cli_listing()

    def folder_args(self) -> list[str]:
        return ["--sessions-dir", str(self.sessions), "--checklists-dir", str(self.checklists)]

    def fail(self, message: str, app: AppProcess | None = None) -> None:
        tail = ""
        if app is not None:
            tail = " | screen: " + visible_text(app.output())[-600:]
        history = " / ".join(self.log[-6:])
        raise CampaignFailure(
            f"seed {self.seed}, run {self.run_number}: {message} | runs: {history}{tail}"
        )

    def session_ids(self) -> set[str]:
        if not self.sessions.is_dir():
            return set()
        return {p.stem for p in self.sessions.glob("*.toml") if not p.name.startswith(".")}

    def one_run(self) -> None:
        rng = self.rng
        if self.plans_first:
            plan = self.plans_first.pop()
        else:
            plan = rng.choices(list(PLANS), weights=list(PLANS.values()))[0]
        lineage = self.lineage
        before_ids = self.session_ids()
        model: Model | None = None
        if lineage is None:
            checklist_id = rng.choice(["crash-small", "crash-small", "crash-large"])
            argv = ["run", checklist_id, "--auditor", "A", "--auditee", "B"]
            if rng.random() < 0.3:
                argv += ["--title", "Q4 [b]audit[/b]"]
        else:
            model = Model(read_session(lineage.path))
            reference = str(lineage.path) if rng.random() < 0.15 else lineage.session_id
            argv = ["resume", reference]
            if rng.random() < 0.25:  # what a kill inside a save leaves behind
                planted = lineage.path.with_name(f".{lineage.path.name}.99999.0badc0de.tmp")
                planted.write_bytes(b"[session]\nid = 'half-writ")
                lineage.stale.add(planted.name)
        self.log.append(f"{plan}:{' '.join(argv[:2])}")
        app = AppProcess([*argv, *self.folder_args()], cwd=self.root, env=self.env)
        driver = Run(app)
        planned_quit = False
        try:
            if plan == "startup":
                driver.kill_at = app.started + rng.uniform(0.0, 1.4)
            if not driver.wait_for(READY, since=0, timeout=60):
                self.fail(f"the app never showed the first item (exit {app.process.poll()})", app)
            # The session is open: it exists, and a stale temp file of it is gone.
            if lineage is None:
                new = self.session_ids() - before_ids
                if len(new) != 1:
                    self.fail(f"expected one new session, found {sorted(new)}", app)
                lineage = self.start_lineage(new.pop())
                model = Model(read_session(lineage.path))
            else:
                self.check_stale_removed(lineage, app)
            assert model is not None
            planned_quit = self.follow_plan(plan, driver, model, app)
        except Killed:
            pass
        finally:
            app.close()
        self.figures.add(runs=1)
        code = app.process.returncode
        clean = code == 0 and plan == "quit"  # q was sent: it may beat the kill after it
        if planned_quit and not clean:
            self.fail(f"a clean quit exited with {code}", app)
        if clean:  # a planned quit, or q was faster than the kill that followed it
            self.figures.add(clean_quits=1)
        elif app.killed_at is None or code != -9:
            self.fail(f"the app ended by itself (exit {code}), not by the kill", app)
        else:
            self.kills += 1
            self.figures.killed(plan)
            if plan == "quit" and lineage is not None:
                self.figures.count("quit_kills", self.where_in_the_fold(lineage))
        if lineage is None:
            # Killed during start-up: the session may or may not have been created.
            new = self.session_ids() - before_ids
            if len(new) > 1:
                self.fail(f"one run created several sessions: {sorted(new)}")
            if new:
                lineage = self.start_lineage(new.pop())
                model = Model(read_session(lineage.path))
        killed_at = app.killed_at if app.killed_at is not None else time.monotonic()
        self.check_folder(app)
        if lineage is not None:
            self.check_session(lineage, model, killed_at, app, clean=clean)
            lineage.runs_left -= 1
            # A session with a stale temp file is opened once more, to see it go.
            self.lineage = lineage if lineage.runs_left > 0 or lineage.stale else None
        if self.run_number % 10 == 0:
            self.check_cli_listing()

    def where_in_the_fold(self, lineage: Lineage) -> str:
        """Where a kill after `q` landed, judged from what it left."""
        temps = set(p.name for p in self.sessions.glob(f".{lineage.path.name}.*.tmp"))
        if temps - lineage.stale:
            return "inside the atomic write"
        if not lineage.path.with_suffix(".journal").exists():
            return "after the fold"
        snapshot, full = read_session_file(lineage.path), read_session(lineage.path)
        if [r.answer() for r in snapshot.records] == [r.answer() for r in full.records]:
            return "between the new file and the journal's removal"
        return "before the fold"

    def start_lineage(self, session_id: str) -> Lineage:
        path = self.sessions / f"{session_id}.toml"
        session = read_session(path)
        if (session.auditor, session.auditee) != ("A", "B") or session.summary().answered:
            self.fail(f"a new session was saved wrong: {session.auditor!r} {session.summary()}")
        self.figures.add(sessions=1)
        self.lineage = Lineage(session_id, path, runs_left=self.rng.randint(2, 6))
        return self.lineage

    # -- plans -----------------------------------------------------------------

    def paced_marks(self, driver: Run, model: Model, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            key = self.rng.choice(MARK_KEYS)
            answering = model.asking is not None and not model.typed_on
            # Too late to type on (a busy machine slept past `TYPED_ON`): answer instead.
            late = time.monotonic() - model.last_key > TYPED_ON - 0.05
            if answering and (late or self.rng.random() < 0.5):
                self.wait_quiet(driver, model)  # read the question, then answer it
            model.mark(key, driver.send(key))
            if answering and model.asking is None:  # answered: alone, not with the next key
                driver.pause(TYPED_ON)
            driver.pause(self.rng.uniform(0.03, TYPED_ON - 0.05))

    def follow_plan(self, plan: str, driver: Run, model: Model, app: AppProcess) -> bool:
        """Send keys; kill at the plan's moment. True when the app quit cleanly instead."""
        rng = self.rng
        if plan == "startup":  # the kill moment came after the first item showed
            driver.pause(5.0)
        elif plan == "marking":
            driver.kill_at = time.monotonic() + rng.uniform(0.1, 3.0)
            self.paced_marks(driver, model, 10.0)
        elif plan == "burst":
            self.paced_marks(driver, model, rng.uniform(0.0, 1.5))
            keys = "".join(rng.choice(MARK_KEYS) for _ in range(rng.randint(3, 10)))
            if rng.random() < 0.5:
                sent = driver.send(keys)  # one write: the app reads them all at once
                for number, key in enumerate(keys):
                    model.mark(key, sent, alone=number == len(keys) - 1)
            else:
                # Keys a few milliseconds apart may reach a question together or not:
                # none is left up for them, so that the model knows what they do.
                self.answer_no(driver, model)
                for key in keys:
                    sent = driver.send(key)
                    model.mark(key, sent)
                    time.sleep(rng.uniform(0.0, 0.003))
            driver.kill_at = sent + rng.uniform(0.0, 0.02)
            driver.pause(5.0)
        elif plan == "key":
            self.paced_marks(driver, model, rng.uniform(0.3, 2.0))
            key = rng.choice(MARK_KEYS)
            sent = driver.send(key)
            model.mark(key, sent)
            driver.kill_at = sent + rng.uniform(0.0, 0.02)
            driver.pause(5.0)
        elif plan == "note":
            self.note_plan(driver, model, app)
        elif plan == "quit":
            self.paced_marks(driver, model, rng.uniform(0.0, 1.5))
            self.answer_no(driver, model)  # q waits, as any key, while a question is up
            sent = driver.send("q")
            if rng.random() < 0.25:
                if app.wait(30) != 0:
                    self.fail("q did not quit cleanly", app)
                return True
            driver.kill_at = sent + rng.uniform(0.0, 0.03)
            driver.pause(5.0)
        return False

    @staticmethod
    def wait_quiet(driver: Run, model: Model) -> None:
        """Until a y or n would answer the question on screen."""
        driver.pause(max(0.0, model.last_key + ANSWERED_AFTER + 0.05 - time.monotonic()))

    @classmethod
    def answer_no(cls, driver: Run, model: Model) -> None:
        """A question about a fail on screen (p or n over it): answered no, the fail kept
        (esc, once keys were typed on into it)."""
        if model.asking is None:
            return
        if model.typed_on:
            driver.send("\x1b")
            model.asking = None
            driver.pause(0.2)  # a key at once after esc reaches the app as alt+ that key
            return
        cls.wait_quiet(driver, model)
        model.mark("n", driver.send("n"))
        driver.pause(TYPED_ON)  # alone: a key already there behind it was typed with it

    def note_plan(self, driver: Run, model: Model, app: AppProcess) -> None:
        rng = self.rng
        self.paced_marks(driver, model, rng.uniform(0.0, 1.0))
        self.answer_no(driver, model)
        mark = app.mark
        opened = driver.send("e")
        if not driver.wait_for(EDITOR_OPEN, since=mark, timeout=30):
            self.fail("the note editor did not open", app)
        typing = model.open_editor(opened)
        how = rng.choice(["kill-typing", "save-kill", "save-go-on", "long-typing"])
        count = rng.randint(25, 40) if how == "long-typing" else rng.randint(2, 20)
        pace = rng.uniform(0.04, 0.12)
        if how == "save-go-on":
            # Typed fast and saved at once, often while a draft save is pending: a draft
            # redraws the screen behind the editor, and that must not pass for the editor
            # closing (keys sent after ctrl+s still reach the walkthrough, in order).
            count, pace = rng.randint(2, 10), rng.uniform(0.01, 0.05)
        if how == "kill-typing":
            driver.kill_at = time.monotonic() + rng.uniform(0.0, count * pace)
        for _ in range(count):
            char = rng.choice(NOTE_CHARS)
            typing.chars.append((driver.send(char), char))
            driver.pause(pace)
        if how == "long-typing":
            driver.kill_at = time.monotonic() + rng.uniform(0.0, 0.5)
            driver.pause(5.0)
        mark = app.mark
        saved = driver.send("\x13")  # ctrl+s
        model.save_note(saved)
        if how == "save-kill":
            driver.kill_at = saved + rng.uniform(0.0, 0.02)
            driver.pause(5.0)
        if not driver.wait_for(READY, since=mark, timeout=30):
            self.fail("the note editor did not close", app)
        driver.pause(0.05)
        driver.kill_at = time.monotonic() + rng.uniform(0.0, 2.0)
        self.paced_marks(driver, model, 10.0)

    def final_clean_run(self) -> None:
        """Resume the last session and quit: the journal is folded, nothing is left beside it."""
        lineage = self.lineage
        assert lineage is not None
        self.run_number += 1
        self.log.append("final:resume")
        argv = ["resume", lineage.session_id, *self.folder_args()]
        with AppProcess(argv, cwd=self.root, env=self.env) as app:
            if not app.wait_for(READY, timeout=60):
                self.fail("the final resume did not open", app)
            self.check_stale_removed(lineage, app)
            app.send("q")
            code = app.wait(30)
            if code != 0:
                self.fail(f"the final quit exited with {code}", app)
        leftovers = [
            p.name for p in self.sessions.glob(f"{lineage.session_id}.*") if p.suffix != ".toml"
        ]
        if leftovers:
            self.fail(f"left beside the session after a clean quit: {leftovers}")

    # -- checks ----------------------------------------------------------------

    def check_stale_removed(self, lineage: Lineage, app: AppProcess) -> None:
        still = [name for name in lineage.stale if (self.sessions / name).exists()]
        if still:
            self.fail(f"stale temp files not removed on open: {still}", app)
        self.figures.add(stale_temp_files_removed=len(lineage.stale))
        lineage.stale.clear()

    def check_folder(self, app: AppProcess) -> None:
        if not self.sessions.is_dir():
            return
        tomls = 0
        for path in self.sessions.iterdir():
            name = path.name
            if name.endswith(".toml"):
                if name.startswith("."):
                    self.fail(f"a hidden file ends in .toml: {name}", app)
                tomls += 1
                try:
                    read_session(path)
                except AudituiError as error:
                    self.fail(f"a session does not read back: {error}", app)
            elif name.startswith(".") and name.endswith(".tmp"):
                stem = name[1:].split(".toml.", 1)[0]
                if self.lineage is not None and stem == self.lineage.session_id:
                    if name not in self.lineage.stale:
                        self.figures.add(stale_temp_files_seen=1)
                    self.lineage.stale.add(name)
            elif not name.endswith((".journal", ".lock")):
                self.fail(f"an odd file in the sessions folder: {name}", app)
        problems: list[str] = []
        listed = SessionStore(self.sessions).list_sessions(
            on_error=lambda u: problems.append(str(u.error))
        )
        if problems or len(listed) != tomls:
            self.fail(f"listing the sessions: {problems or len(listed)}", app)

    def check_session(
        self,
        lineage: Lineage,
        model: Model | None,
        killed_at: float,
        app: AppProcess,
        *,
        clean: bool,
    ) -> None:
        session = read_session(lineage.path)
        if model is not None:
            problems = model.problems(session, killed_at)
            if problems:
                self.fail("marks lost: " + "; ".join(problems[:5]), app)
            checked = model.checked(killed_at)
            self.figures.add(
                marks_sent=model.marks_sent,
                marks_checked=checked,
                marks_in_last_second=model.marks_sent - checked,
            )
        if clean:
            leftovers = [
                p.name for p in self.sessions.glob(f"{lineage.session_id}.*") if p.suffix != ".toml"
            ]
            if leftovers:
                self.fail(f"left beside the session after a clean quit: {leftovers}", app)
        lock = SessionLock(lineage.path.with_suffix(".lock"), lineage.session_id)
        try:
            lock.acquire()  # a dead program holds no lock
        except AudituiError as error:
            self.fail(f"the lock outlived the program: {error}", app)
        lock.release()

    def check_cli_listing(self) -> None:
        result = subprocess.run(
            [sys.executable, "-m", "auditui", "sessions", "--format", "toml", *self.folder_args()],
            capture_output=True,
            text=True,
            cwd=self.root,
            env=child_env(**self.env),
            timeout=60,
        )
        if result.returncode != 0 or result.stderr:
            self.fail(f"`auditui sessions` said {result.returncode}: {result.stderr.strip()}")
        listed = {entry["id"] for entry in tomllib.loads(result.stdout)["sessions"]}
        if listed != self.session_ids():
            self.fail(f"`auditui sessions` listed {sorted(listed)}")
        self.figures.add(cli_listings=1)


class Run:
    """Keys and pauses with a kill moment: whatever is under way when it comes is cut short."""

    def __init__(self, app: AppProcess) -> None:
        self.app = app
        self.kill_at = float("inf")

    def _check(self) -> None:
        if time.monotonic() >= self.kill_at:
            self.app.kill()
            raise Killed

    def pause(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while True:
            now = time.monotonic()
            if now >= self.kill_at:
                self._check()
            if now >= end:
                return
            time.sleep(max(0.0, min(end, self.kill_at) - now))

    def send(self, keys: str) -> float:
        self._check()
        return self.app.send(keys)

    def wait_for(self, text: bytes, *, since: int, timeout: float) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self._check()
            step = min(0.01, max(0.0, self.kill_at - time.monotonic()))
            if self.app.wait_for(text, since=since, timeout=step):
                return True
            if self.app.process.poll() is not None:
                return self.app.wait_for(text, since=since, timeout=0)
        return False


def visible_text(data: bytes) -> str:
    """Screen output without escape sequences, for failure messages."""
    import re

    text = data.decode("utf-8", "replace")
    text = re.sub(r"\x1b\[[0-9;?<>=$]*[A-Za-z~]|\x1b\][^\x07]*\x07|\x1b.", " ", text)
    return re.sub(r"\s+", " ", text)


def run_campaign(
    root: Path, *, kills: int, seed: int, workers: int = 2, env: dict[str, str] | None = None
) -> tuple[Figures, list[str]]:
    """Run `kills` kills spread over `workers` parallel workers; (figures, failures)."""
    figures = Figures()
    failures: list[str] = []
    started = time.monotonic()

    def work(number: int, share: int) -> None:
        worker = Worker(root / f"worker-{number}", seed * 100 + number, share, figures, env)
        try:
            worker.run()
        except CampaignFailure as failure:
            failures.append(str(failure))
        except Exception as error:  # a bug in the harness or the app: report, do not hang
            failures.append(f"worker {number} (seed {seed * 100 + number}): {error!r}")

    shares = [kills // workers + (1 if n < kills % workers else 0) for n in range(workers)]
    threads = [
        threading.Thread(target=work, args=(n, share), daemon=True)
        for n, share in enumerate(shares)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    figures.seconds = time.monotonic() - started
    return figures, failures
