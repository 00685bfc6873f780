"""Drive a real `auditui` process in a pseudo-terminal: send keys, watch the screen, kill it.

The app writes to the pty as fast as it draws; a thread keeps reading it so the
app never blocks on a full buffer, and keeps every byte so a test can wait until
a text shows (after a given point in the output).
"""

from __future__ import annotations

import fcntl
import os
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Sequence
from pathlib import Path

HAS_PTY = sys.platform.startswith(("linux", "darwin", "freebsd"))

LIMITED = (
    "import os, resource, signal, sys\n"
    "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
    "limit = int(sys.argv[1])\n"
    "resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))\n"
    "os.execv(sys.executable, [sys.executable, '-m', 'auditui', *sys.argv[2:]])\n"
)
"""`python -c LIMITED BYTES ARGV...`: auditui that cannot grow any file past BYTES (a full
disk: writes fail with EFBIG instead of killing the process with SIGXFSZ)."""


KEPT = ("AUDITUI_CACHE_DIR", "AUDITUI_NO_CACHE")
"""The only auditui variables a child process inherits (the tests point the cache of read
files at a temporary folder); folders are always given on the command line."""


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUDITUI_") or k in KEPT}
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(extra)
    return env


def auditui_command(argv: Sequence[str | os.PathLike], file_limit: int | None = None) -> list[str]:
    """The command line of `python -m auditui ARGV`, optionally on a "full disk"."""
    args = [str(arg) for arg in argv]
    if file_limit is None:
        return [sys.executable, "-m", "auditui", *args]
    return [sys.executable, "-c", LIMITED, str(file_limit), *args]


class AppProcess:
    """`python -m auditui ARGV` on the slave side of a fresh pty (80×24 unless told)."""

    def __init__(
        self,
        argv: Sequence[str | os.PathLike],
        *,
        cwd: Path,
        env: dict[str, str] | None = None,
        size: tuple[int, int] = (80, 24),
        file_limit: int | None = None,
    ) -> None:
        master, slave = os.openpty()
        columns, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        full_env = child_env(
            TERM="xterm-256color",
            ESCDELAY="10",
            COLUMNS=str(columns),
            LINES=str(rows),
            TEXTUAL_ANIMATIONS="none",
        )
        full_env.update(env or {})
        self.started = time.monotonic()
        try:
            self.process = subprocess.Popen(
                auditui_command(argv, file_limit),
                stdin=slave,
                stdout=slave,
                stderr=slave,
                cwd=cwd,
                env=full_env,
                start_new_session=True,  # our signals and the pty's never reach the test
                close_fds=True,
            )
        except BaseException:
            os.close(master)
            os.close(slave)
            raise
        os.close(slave)
        self.master = master
        self._output = bytearray()
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()
        self.killed_at: float | None = None

    # -- output ----------------------------------------------------------------

    def _drain(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:  # EIO: the app is gone and the slave side closed
                data = b""
            with self._changed:
                self._output += data
                self._changed.notify_all()
            if not data:
                return

    @property
    def mark(self) -> int:
        """The current end of the output, to wait for text that shows after it."""
        with self._lock:
            return len(self._output)

    def output(self, since: int = 0) -> bytes:
        with self._lock:
            return bytes(self._output[since:])

    def wait_for(self, text: bytes, *, since: int = 0, timeout: float = 10.0) -> bool:
        """True once `text` shows in the output after `since`; False on timeout or exit."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                if self._output.find(text, since) >= 0:
                    return True
                left = deadline - time.monotonic()
                if left <= 0 or not self._reader.is_alive():
                    return self._output.find(text, since) >= 0
                self._changed.wait(min(left, 0.05))

    # -- input -------------------------------------------------------------------

    def send(self, data: bytes | str) -> float:
        """Write keys to the app's terminal; return the moment they were handed over."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        view = memoryview(data)
        while view:
            view = view[os.write(self.master, view) :]
        return time.monotonic()

    # -- ending ------------------------------------------------------------------

    def kill(self) -> float:
        """SIGKILL, nothing else: the moment of the kill."""
        self.killed_at = time.monotonic()
        try:
            os.kill(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        return self.killed_at

    def wait(self, timeout: float = 15.0) -> int:
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return self.process.wait(timeout)

    def close(self) -> None:
        """Reap the process and release the pty (always call this)."""
        if self.process.poll() is None:
            self.kill()
        self.process.wait(15)
        self._reader.join(5)
        try:
            os.close(self.master)
        except OSError:
            pass

    def __enter__(self) -> AppProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
