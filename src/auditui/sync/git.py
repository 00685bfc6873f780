"""Running the `git` command on the sessions folder, safely and quietly.

Why the `git` command and not dulwich: see docs/sync.md (git merges, authenticates and
runs faster; dulwich needs a second package to merge at all).

Every call names the repository explicitly (`--git-dir`, `--work-tree`), so git never
wanders up into a repository the sessions folder happens to sit in. Hooks are switched
off (`core.hooksPath` pointed at the null device, never a folder): a synced repository is
written by other laptops and must never run code here. (A folder name inside the
repository would not do: another laptop could commit hooks into it.) Git never asks for a password
on the terminal (a sync in the app would hang on it); the messages it gives are read in
English (`LC_ALL=C`) and turned into one line by `explain`.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from auditui.errors import AudituiError, one_line

NO_GIT = (
    "sync needs the git command, which is not installed here: install git "
    "(git-scm.com, or your system's package manager) and sync again"
)
SAFE_CONFIG = (
    f"core.hooksPath={os.devnull}",  # not a folder, and nothing a commit can create
    "core.fsmonitor=false",
    f"core.excludesFile={os.devnull}",  # the user's own ignore patterns are not the folder's
    "core.symlinks=false",  # a link another laptop committed arrives as a plain small file
    "core.autocrlf=false",
    "commit.gpgSign=false",
    "gc.auto=0",  # no background repacking half-done when a sync is cut short
    "maintenance.auto=false",
    "advice.detachedHead=false",
    "merge.autoStash=false",
    "protocol.ext.allow=never",
    "user.useConfigOnly=false",
)
_DROPPED_ENV = (
    "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY",
    "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_NAMESPACE", "GIT_CONFIG_PARAMETERS",
    "GIT_CONFIG_COUNT", "GIT_EDITOR", "GIT_SEQUENCE_EDITOR", "GIT_PAGER",
)  # fmt: skip


@dataclass(frozen=True)
class Done:
    """What a git command gave back."""

    code: int
    out: bytes
    err: str

    @property
    def text(self) -> str:
        return self.out.decode("utf-8", "replace")


def git_program() -> str:
    """The git executable; `AudituiError` with what to do when there is none."""
    program = shutil.which("git")
    if program is None:
        raise AudituiError(NO_GIT)
    return program


class Git:
    """git on one folder: `run` returns what happened, `ok` raises on failure."""

    def __init__(
        self, folder: Path, *, author: str = "auditui", git_dir: Path | None = None
    ) -> None:
        self.folder = Path(os.path.abspath(folder))
        self.git_dir = git_dir or self.folder / ".git"
        self.program = git_program()
        self.author = author
        self._email: str | None = None

    def identity(self) -> dict[str, str]:
        """The e-mail the user gave git (`user.email`, in their own config), for the
        commits this laptop makes: the name is the auditor's, the address theirs. Empty
        when none is set: auditui never makes one up."""
        if self._email is None:
            done = self.run("config", "--get", "user.email")
            self._email = done.text.strip() if done.code == 0 else ""
        return {"GIT_AUTHOR_EMAIL": self._email, "GIT_COMMITTER_EMAIL": self._email}

    def env(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in _DROPPED_ENV}
        env.update(
            LC_ALL="C",
            LANGUAGE="C",
            GIT_TERMINAL_PROMPT="0",
            GIT_ASKPASS=env.get("GIT_ASKPASS", ""),
            GIT_AUTHOR_NAME=self.author,
            GIT_AUTHOR_EMAIL="",
            GIT_COMMITTER_NAME=self.author,
            GIT_COMMITTER_EMAIL="",
            GIT_MERGE_AUTOEDIT="no",
        )
        if not env.get("GIT_SSH_COMMAND") and not env.get("GIT_SSH"):
            # No question on a terminal nobody watches; keys come from the agent or a file.
            env["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes -o ConnectTimeout=20"
        env.update(extra or {})
        return env

    def command(self, *args: str) -> list[str]:
        config = [part for item in SAFE_CONFIG for part in ("-c", item)]
        return [
            self.program,
            *config,
            f"--git-dir={self.git_dir}",
            f"--work-tree={self.folder}",
            *args,
        ]

    def run(
        self, *args: str, input: bytes | None = None, env: dict[str, str] | None = None
    ) -> Done:
        return self._run(self.command(*args), args[0], input, env)

    def run_outside(self, *args: str) -> Done:
        """git not in the repository (`ls-remote` before there is one)."""
        config = [part for item in SAFE_CONFIG for part in ("-c", item)]
        return self._run([self.program, *config, *args], args[0], None, None)

    def _run(
        self, argv: list[str], what: str, input: bytes | None, env: dict[str, str] | None
    ) -> Done:
        try:
            finished = subprocess.run(
                argv,
                cwd=self.folder if self.folder.is_dir() else None,
                input=input,
                capture_output=True,
                env=self.env(env),
                timeout=600,
            )
        except FileNotFoundError:
            raise AudituiError(NO_GIT) from None
        except subprocess.TimeoutExpired:
            raise AudituiError(
                f"git {what} took more than 10 minutes; nothing more was done",
                path=self.folder,
            ) from None
        except OSError as exc:
            raise AudituiError(f"cannot run git: {exc.strerror or exc}") from None
        err = finished.stderr.decode("utf-8", "replace")
        return Done(finished.returncode, finished.stdout, err)

    def ok(self, *args: str, input: bytes | None = None, env: dict[str, str] | None = None) -> Done:
        done = self.run(*args, input=input, env=env)
        if done.code != 0:
            raise AudituiError(explain(done.err, f"git {args[0]}"), path=self.folder)
        return done

    def line(self, *args: str) -> str:
        return self.ok(*args).text.strip()

    def rev(self, name: str) -> str | None:
        """The commit `name` points at, None when there is no such ref (an unborn branch)."""
        done = self.run("rev-parse", "--verify", "--quiet", f"{name}^{{commit}}")
        return done.text.strip() if done.code == 0 else None


_REMOTE_PROBLEMS = (
    ("could not resolve host", "cannot reach the remote: its host name is unknown (offline?)"),
    ("connection refused", "cannot reach the remote: the connection was refused"),
    ("connection timed out", "cannot reach the remote: the connection timed out"),
    ("network is unreachable", "cannot reach the remote: no network"),
    ("no route to host", "cannot reach the remote: no route to its host"),
    ("operation timed out", "cannot reach the remote: the connection timed out"),
    ("host key verification failed", "the remote's SSH host key is not known here: "
     "connect once with ssh to accept it, then sync again"),
    ("permission denied", "the remote refused the login (permission denied): check the key "
     "or the access rights"),
    ("authentication failed", "the remote refused the login (authentication failed)"),
    ("could not read username", "the remote asks for a login, and sync never asks on the "
     "terminal: set up a credential helper or an SSH key"),
    ("could not read password", "the remote asks for a password, and sync never asks on the "
     "terminal: set up a credential helper or an SSH key"),
    ("repository not found", "the remote repository was not found: check the URL"),
    ("does not appear to be a git repository", "the remote is not a git repository: check "
     "the URL (a bare repository made with `git init --bare`)"),
    ("not a git repository", "the remote is not a git repository: check the URL"),
    ("no such file or directory", "the remote is not there: no such folder (is the shared "
     "drive connected?)"),
    ("no space left on device", "the disk is full"),
)  # fmt: skip


def is_local(url: str) -> bool:
    """Whether git reaches the remote `url` on this machine (a folder, a shared drive,
    `file://`), git's own rule: git then runs the remote repository's programs here."""
    if url.startswith("file://"):
        return True
    if "://" in url:
        return False
    if len(url) > 1 and url[1] == ":" and url[0].isalpha():
        return True  # a Windows drive
    return ":" not in url.split("/", 1)[0]  # else host:path, SSH


def receive_pack(program: str, url: str) -> list[str]:
    """The option of `git push` that keeps a remote on this machine from running its
    hooks here: for a folder remote git starts the remote's `receive-pack` on this laptop,
    which runs that repository's hooks (and the user's `core.hooksPath`), so anyone who
    can write to the shared drive could run code on every laptop that syncs. A server's
    hooks are the server's business, and it would refuse another command.

    `url` is the address git pushes to (`remote get-url --push`: after the user's
    `insteadOf` rewrites). Besides the hooks, what that repository's config could make
    `receive-pack` run is switched off: the command giving an alternate's refs, the
    garbage collection after a push (and its hook), and the checkout of a non-bare
    remote's work tree (its filters), which sync never asks for."""
    if not is_local(url):
        return []
    command = [program, *(part for item in RECEIVE_CONFIG for part in ("-c", item))]
    command.append("receive-pack")
    return ["--receive-pack=" + " ".join(shlex.quote(part) for part in command)]


RECEIVE_CONFIG = (
    f"core.hooksPath={os.devnull}",
    "core.alternateRefsCommand=true",  # a shell command, else: one that prints no ref
    "receive.autogc=false",
    "gc.auto=0",
    "receive.denyCurrentBranch=refuse",
)
"""Set over a folder remote's own config for the `receive-pack` run on this laptop."""


def refused_by_remote(said: str) -> str | None:
    """What the remote gave as its reason for refusing a push (its `remote:` lines, a hook
    on a server, say), else None."""
    lines = [line[7:].strip() for line in said.splitlines() if line.startswith("remote:")]
    lines = [line for line in lines if line]
    if not lines:
        return None
    return one_line("the remote refused the push: " + " ".join(lines[-3:]))


def disk_full_here(stderr: str) -> bool:
    """Whether git ran out of room on this laptop: `No space left on device` in its own
    lines, not in the `remote:` lines a server sends (its disk is another)."""
    return any(
        "no space left on device" in line.lower()
        for line in stderr.splitlines()
        if not line.startswith("remote:")
    )


def explain(stderr: str, what: str) -> str:
    """One line for people from git's messages: a known problem in our words, else git's
    own last `fatal:`/`error:` line."""
    lowered = stderr.lower()
    for needle, message in _REMOTE_PROBLEMS:
        if needle in lowered:
            return message
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    chosen = next(
        (line for line in reversed(lines) if line.startswith(("fatal:", "error:"))),
        lines[-1] if lines else "no reason given",
    )
    return one_line(f"{what} failed: {chosen}")
