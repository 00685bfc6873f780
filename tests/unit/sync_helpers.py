"""Laptops that share a sessions folder through a bare git repository on the local disk.

Each `Laptop` has its own sessions folder and its own config folder (auditor name and
the laptop part of session ids); `use()` makes it the laptop this process is.
"""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

from auditui.checklist import Checklist
from auditui.session import Session
from auditui.store import SessionStore, read_session


def git(*args: str | Path, cwd: Path | None = None) -> str:
    done = subprocess.run(
        ["git", *map(str, args)], cwd=cwd, capture_output=True, text=True, check=True
    )
    return done.stdout


def bare_remote(path: Path) -> Path:
    git("init", "--quiet", "--bare", path)
    return path


class Laptop:
    def __init__(self, root: Path, name: str, tag: str, remote: Path, monkeypatch) -> None:
        self.name = name
        self.folder = root / name / "sessions"
        self.config = root / name / "config"
        self.config.mkdir(parents=True)
        (self.config / "config.toml").write_text(
            f'[laptop]\nid = "{tag}"\nauditor = "{name}"\n', encoding="utf-8"
        )
        self.remote = remote
        self.monkeypatch = monkeypatch
        self.store = SessionStore(self.folder)

    def use(self) -> None:
        self.monkeypatch.setenv("AUDITUI_CONFIG_DIR", str(self.config))

    def sync(self, run_cli, *extra: str) -> tuple[int, str, str]:
        self.use()
        remote = [] if (self.folder / ".git").exists() else ["--remote", str(self.remote)]
        return run_cli("sync", "--sessions-dir", self.folder, *remote, *extra)

    def start(
        self,
        checklist: Checklist,
        marks: dict[str, str | tuple[str, str]],
        started: datetime | None = None,
        **details: str,
    ) -> str:
        self.use()
        writer = self.store.create(checklist, auditor=self.name, started=started, **details)
        self.mark(writer, marks)
        writer.close()
        return writer.session.id

    def finish_saved(self, session_id: str) -> None:
        """Finish the session here, signed by this laptop's auditor."""
        self.use()
        writer = self.store.open(session_id)
        writer.finish(conclusion="Conforms", signed_by=[f"{self.name} (auditor)"])
        writer.close()

    def mark_saved(self, session_id: str, marks: dict[str, str | tuple[str, str]]) -> None:
        self.use()
        writer = self.store.open(session_id)
        self.mark(writer, marks)
        writer.close()

    @staticmethod
    def mark(writer, marks) -> None:
        for item, answer in marks.items():
            result, note = answer if isinstance(answer, tuple) else (answer, "")
            writer.answer(item, result=result, note=note)

    def session(self, session_id: str) -> Session:
        return read_session(self.folder / f"{session_id}.toml")

    def ids(self) -> list[str]:
        return sorted(path.stem for path in self.folder.glob("*.toml"))

    def log(self, *args: str) -> str:
        return git("-C", self.folder, "log", *args)


def three_laptops(root: Path, remote: Path, monkeypatch) -> list[Laptop]:
    """Three laptops (Mai, Anan, Linh) on one remote."""
    return [
        Laptop(root, name, tag, remote, monkeypatch)
        for name, tag in (("Mai", "mai1"), ("Anan", "anan"), ("Linh", "linh"))
    ]


def push_by_hand(laptop: Laptop, message: str) -> None:
    """Commit what is staged and push it, as a person does with git in the folder: past
    auditui's checks and with hooks off."""
    git("-c", "user.name=x", "-c", "user.email=x@x", "commit", "-q", "--no-verify", "-m",
        message, cwd=laptop.folder)  # fmt: skip
    git("-c", "core.hooksPath=/dev/null", "push", "-q", "origin", "HEAD:main", cwd=laptop.folder)


class Killed(BaseException):
    """Stands for the process dying at that point (the slow crash test kills for real)."""


def three_sessions_changed_elsewhere(mai, anan, checklist, run_cli) -> list[str]:
    """Three sessions on both laptops, then marked on Anan's and synced from there."""
    shared = [mai.start(checklist, {"4.1-a": "pass"}) for _ in range(3)]
    assert mai.sync(run_cli)[0] == 0
    assert anan.sync(run_cli)[0] == 0
    for session_id in shared:
        anan.mark_saved(session_id, {"5.1-a": ("fail", "Anan's")})
    assert anan.sync(run_cli)[0] == 0
    return shared


def writes_then(failure: BaseException, allowed: int, monkeypatch) -> None:
    """Let `allowed` atomic writes of files brought in through, then fail with `failure`."""
    from auditui import tomlio

    real = tomlio.atomic_write
    count = [0]

    def write(path, data, **options):
        if options.get("limit") is False:  # a file brought in
            count[0] += 1
            if count[0] > allowed:
                raise failure
        return real(path, data, **options)

    monkeypatch.setattr(tomlio, "atomic_write", write)


def on_both(mai: Laptop, anan: Laptop, run_cli, checklist: Checklist, marks, **details) -> str:
    """A session Mai starts with `marks`, then synced to the remote and to Anan's laptop."""
    session_id = mai.start(checklist, marks, **details)
    assert mai.sync(run_cli)[0] == 0
    assert anan.sync(run_cli)[0] == 0
    return session_id
