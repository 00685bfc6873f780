"""A kill -9 while a file is being attached leaves the session readable, with the file
either attached whole (its copy matching its hash) or not attached at all."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from auditui.store import SessionStore, read_session

ATTACH_FOREVER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from auditui.store import SessionStore

    store = SessionStore(Path(sys.argv[1]))
    writer = store.open(sys.argv[2])
    print("open", flush=True)
    n = 0
    while True:
        n += 1
        big = Path(sys.argv[3]) / f"scan-{n}.pdf"
        big.write_bytes(n.to_bytes(4, "big") * (2 * 1024 * 1024))  # 8 MB each, all different
        writer.attach("7.1.5-a", [big])
    """
)


def test_kill_during_attach_leaves_whole_copies_or_none(
    store: SessionStore, checklist, tmp_path: Path
) -> None:
    writer = store.create(checklist, auditor="Mai", auditee="Lab")
    session_id = writer.session.id
    writer.close()
    scratch = tmp_path / "scans"
    scratch.mkdir()
    rng = random.Random(os.environ.get("AUDITUI_CRASH_SEED", "7"))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    seen = 0
    for _ in range(6):
        child = subprocess.Popen(
            [sys.executable, "-c", ATTACH_FOREVER, str(store.folder), session_id, str(scratch)],
            stdout=subprocess.PIPE,
            env=env,
        )
        assert child.stdout is not None and child.stdout.readline() == b"open\n"
        time.sleep(rng.uniform(0.05, 0.6))
        child.send_signal(signal.SIGKILL)
        child.wait()
        session = read_session(store.path_for(session_id))  # readable after every kill
        attachments = session.record("7.1.5-a").attachments
        assert len(attachments) >= seen  # nothing attached before is lost
        seen = len(attachments)
        for attachment in attachments:
            copy = store.folder / attachment.file
            assert hashlib.sha256(copy.read_bytes()).hexdigest() == attachment.sha256
            assert copy.stat().st_size == attachment.size
    # The next attach clears the half-made copies the kills left behind.
    writer = store.open(session_id)
    photo = tmp_path / "IMG_1.jpg"
    photo.write_bytes(b"photo")
    writer.attach("7.1.5-a", [photo])
    writer.close()
    folder = store.folder / "evidence" / session_id
    assert not list(folder.glob(".*.tmp"))
