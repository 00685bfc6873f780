"""A sync killed at any moment (SIGKILL to it and its git) leaves a folder whose files all
read, and the next sync completes the work: nothing half-merged, no mark lost.

Each round two laptops mark sessions; the other laptop pushes first, so the killed sync
is in the middle of committing, fetching, merging or pushing. `AUDITUI_SYNC_KILLS` sets
how many rounds (default 12); `AUDITUI_CRASH_SEED` repeats a run.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditui.catalog import Catalog
from auditui.session_toml import read_session_file
from auditui.store import SessionStore, read_session

from . import figures

KILLS = int(os.environ.get("AUDITUI_SYNC_KILLS", "12"))
SEED = int(os.environ.get("AUDITUI_CRASH_SEED", random.SystemRandom().randrange(10**6)))
ITEMS = ("7.1.5-a", "7.2-a", "8.5.1-a", "8.5.2-a")


def sync_process(folder: Path, config: Path, remote: Path | None = None) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUDITUI_")}
    env["AUDITUI_CONFIG_DIR"] = str(config)
    argv = [sys.executable, "-m", "auditui", "sync", "--sessions-dir", str(folder)]
    if remote is not None:
        argv += ["--remote", str(remote)]
    return subprocess.Popen(
        argv,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: the kill takes its git too
    )


def finish(process: subprocess.Popen) -> tuple[int, str]:
    _, err = process.communicate(timeout=120)
    return process.returncode, err


def sync(folder: Path, config: Path, remote: Path | None = None) -> None:
    code, err = finish(sync_process(folder, config, remote))
    assert code == 0, err


def make_laptop(root: Path, name: str, tag: str) -> tuple[Path, Path]:
    config = root / name / "config"
    config.mkdir(parents=True)
    (config / "config.toml").write_text(
        f'[laptop]\nid = "{tag}"\nauditor = "{name}"\n', encoding="utf-8"
    )
    return root / name / "sessions", config


def all_files_read(folder: Path) -> None:
    for path in folder.glob("*.toml"):
        read_session(path)
    for path in folder.rglob("*"):
        if path.is_file() and ".git" not in path.parts and path.suffix == ".toml":
            assert b"<<<<<<<" not in path.read_bytes(), path


@pytest.mark.slow
def test_a_killed_sync_is_completed_by_the_next(tmp_path: Path, locations, monkeypatch) -> None:
    rng = random.Random(SEED)
    checklist = Catalog(locations).resolve("shop-floor")
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    mai, mai_config = make_laptop(tmp_path, "Mai", "mai1")
    anan, anan_config = make_laptop(tmp_path, "Anan", "anan")
    expected: dict[str, dict[str, str]] = {}  # session id -> item -> note

    def mark(folder: Path, config: Path, round_: int) -> None:
        """One laptop marks one of its own sessions (a new one every third round)."""
        monkeypatch.setenv("AUDITUI_CONFIG_DIR", str(config))
        name = config.parent.name
        tag = "mai1" if name == "Mai" else "anan"
        store = SessionStore(folder)
        own = sorted(folder.glob(f"*-{tag}*.toml"))
        if round_ % 3 == 0 or not own:
            writer = store.create(checklist, auditor=name)
        else:
            writer = store.open(own[-1].stem)
        item = rng.choice(ITEMS)
        note = f"{name} round {round_}"
        writer.answer(item, result=rng.choice(("pass", "fail", "na")), note=note)
        writer.close()
        expected.setdefault(writer.session.id, {})[item] = note

    mark(mai, mai_config, 0)
    sync(mai, mai_config, remote)
    sync(anan, anan_config, remote)
    kills = 0
    for round_ in range(1, KILLS + 1):
        mark(anan, anan_config, round_)
        mark(mai, mai_config, round_)
        began = time.monotonic()
        sync(anan, anan_config)  # Anan first: Mai's sync has to merge
        took = time.monotonic() - began
        process = sync_process(mai, mai_config)
        # Somewhere inside a sync as long as Anan's: a fixed delay let a quiet machine
        # finish most syncs before the kill, so few rounds killed anything.
        time.sleep(took * rng.uniform(0.05, 0.95))
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            kills += 1
        process.wait()
        all_files_read(mai)
        sync(mai, mai_config)  # completes what the killed one started
        sync(anan, anan_config)
        for folder in (mai, anan):
            all_files_read(folder)
            for session_id, notes in expected.items():
                session = read_session_file(folder / f"{session_id}.toml")
                latest = {item: session.record(item).note for item in notes}
                assert latest == notes, (SEED, round_, folder, session_id)
    figures.add("sync: kills survived", kills)
    assert kills >= KILLS // 3, kills


@pytest.mark.slow
def test_three_laptops_syncing_at_once_all_get_through(
    tmp_path: Path, locations, monkeypatch
) -> None:
    """Three syncs started together: the one whose push lost the race for the remote's
    branch ("cannot lock ref …: is at X but expected Y") stopped with exit 1 instead of
    bringing the others' work in and sending again, and its laptop stayed behind."""
    checklist = Catalog(locations).resolve("shop-floor")
    remote = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(remote)], check=True)
    laptops = [make_laptop(tmp_path, name, tag) for name, tag in
               (("Mai", "mai1"), ("Anan", "anan"), ("Ploy", "ploy"))]  # fmt: skip
    for folder, config in laptops:
        sync(folder, config, remote)
    written: dict[str, str] = {}
    for round_ in range(4):
        for folder, config in laptops:
            monkeypatch.setenv("AUDITUI_CONFIG_DIR", str(config))
            writer = SessionStore(folder).create(checklist, auditor=config.parent.name)
            note = f"{config.parent.name} round {round_}"
            writer.answer("7.2-a", result="pass", note=note)
            writer.close()
            written[writer.session.id] = note
        processes = [sync_process(folder, config) for folder, config in laptops]
        for process in processes:
            code, err = finish(process)
            assert code == 0, err
    for folder, config in laptops:  # each sent its work: one more round brings it all
        sync(folder, config)
    for folder, _ in laptops:
        notes = {p.stem: read_session_file(p).record("7.2-a").note for p in folder.glob("*.toml")}
        assert notes == written
