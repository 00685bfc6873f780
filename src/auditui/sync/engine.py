"""One sync of the sessions folder: commit this laptop's work, bring in the others', send.

The folder is a git repository of its own (made so by the first `sync --remote URL`).
Each sync:

1. folds the journals of sessions no program has open into their files (a session open
   in the app is synced as far as its file goes: its journal never leaves the laptop);
2. checks every changed session and findings file reads (a file broken by hand is
   named, and nothing is synced), then commits them in audit words (describe.py);
3. fetches, and merges in a scratch index (`read-tree -m` with `GIT_INDEX_FILE`): the
   files both sides changed are settled by resolve.py, the merge commit is made with
   `commit-tree`, and only then is the folder moved to it with a fast-forward. Nothing
   in the folder changes before that commit exists, so a sync killed at any moment
   leaves files that read, and the next sync completes the work (stale git lock files
   from a killed git are removed under our own lock);
4. pushes, never forced; when another laptop pushed first, fetches and merges again.

Files brought in that belong to a session open in the app here are not written under
it: the sync stops with a message, and the next one (after closing it) completes.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from auditui.errors import AudituiError, SessionLockedError, UsageError
from auditui.lock import SessionLock
from auditui.sync.git import Git
from auditui.sync.kinds import (
    IGNORED,
    JOURNALS,
    MOVING,
    OTHER_SUFFIX,
    kind_of,
    never_shared,
    read_limit,
)

if TYPE_CHECKING:
    from auditui.session import Session

# The session model, the commit words and the merge rules are imported where there is
# something to commit or to merge: a sync with nothing to do starts without them.

REMOTE = "origin"
BRANCH = "main"
TRACKING = f"refs/remotes/{REMOTE}/{BRANCH}"
"""Where the remote's branch stood at the last fetch."""
MARK = "auditui.sessions"
"""A key in the repository's config: this repository is a sessions folder made by sync."""
GITIGNORE = (
    "# auditui sync: what belongs to one program on one laptop is never shared\n"
    + "".join(f"{pattern}\n" for pattern in IGNORED)
)
SHARED = (
    ":(glob)*.toml",
    ":(glob)findings/*.toml",
    ":(glob)evidence/**",
    f":(glob)**/*{OTHER_SUFFIX}",
    ".gitignore",
    ":(exclude,glob).*.toml",
    ":(exclude,glob)evidence/**/.*",
)
"""What a sync commits (git pathspecs): sessions, findings records, evidence files (not
the half-made copies of an attach cut short, `.attachment.*.tmp`). No ignore line hides
an evidence or findings file, nor sync's own lines a session (`_shared_all_the_same`)."""
PUSH_TRIES = 4
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
_NULL = "0" * 40
_HAND_STATES = {
    "MERGE_HEAD": "a git merge",
    "rebase-merge": "a git rebase",
    "rebase-apply": "a git rebase or am",
    "CHERRY_PICK_HEAD": "a git cherry-pick",
    "REVERT_HEAD": "a git revert",
    "BISECT_LOG": "a git bisect",
}


@dataclass
class Outcome:
    """What a sync did, for the command and the app to tell."""

    committed: str = ""
    """The first line of this laptop's commit ("" when nothing had changed)."""
    brought_in: list[str] = field(default_factory=list)
    """The files that came from other laptops."""
    made_here: set[str] = field(default_factory=set)
    """Files the merge wrote from this laptop's own work (its session renamed for an id
    clash, the records that went with it, its late changes kept beside a session finished
    elsewhere): new to the history, not brought in."""
    sent: bool = False
    notes: list[str] = field(default_factory=list)
    """Renamed sessions, fields merged: everything a person should know."""
    removed: list[tuple[str, Path]] = field(default_factory=list)
    """Sessions deleted on another laptop, each with where this laptop keeps a copy."""
    problems: list[str] = field(default_factory=list)
    """Files from other laptops that do not read (too large ones too), set aside, and files
    changed on two laptops that could not be joined, both kept (one line each): the sync
    went through, but the command says them and ends with status 1."""
    remote: str = ""

    @property
    def sessions_in(self) -> int:
        return sum(1 for path in self.brought_in if kind_of(path) == "session")

    @property
    def findings_in(self) -> int:
        return sum(1 for path in self.brought_in if kind_of(path) == "finding")


Progress = Callable[[str], None]


def sync(
    folder: Path,
    *,
    author: str,
    remote: str | None = None,
    progress: Progress | None = None,
    waiting: Progress | None = None,
) -> Outcome:
    """Sync the sessions folder `folder`; `AudituiError` (one line) on any failure, with
    the files in the folder as they were (`UsageError` for a `remote` given empty).
    `progress` hears every step; `waiting` only a wait of seconds (a lock in the remote),
    which a command line should show."""
    tell = progress or (lambda _: None)

    def wait_told(step: str) -> None:
        tell(step)
        if waiting is not None:
            waiting(step)

    if remote is not None and not remote.strip():
        # An empty variable in a script: not "no remote given", nor a URL git could try.
        raise UsageError(
            "--remote is empty: give the URL of the git repository to share through "
            "(a bare repository on a shared drive, on a server over SSH, or a hosted one)"
        )
    folder = Path(os.path.abspath(folder))
    if folder.exists() and not folder.is_dir():  # said as `import` and the app say it
        raise AudituiError("the sessions folder is a file, not a folder", path=folder)
    if not (folder / ".git").exists() and not remote:
        raise AudituiError(
            "the sessions folder is not shared yet: run `auditui sync --remote URL` once "
            "(a bare git repository on a shared drive, on a server over SSH, or a hosted one)",
            path=folder,
        )
    if remote and "://" not in remote and Path(remote).expanduser().exists():
        remote = str(Path(remote).expanduser().resolve())  # git would take it from the folder
    git = Git(folder, author=author)
    checked = not folder.is_dir()
    if checked:
        _check_remote(git, remote or "")  # a first sync that fails leaves no folder behind
        try:
            folder.mkdir(parents=True)
        except OSError as exc:
            raise AudituiError(
                f"cannot create the sessions folder: {exc.strerror or exc}", path=folder
            ) from None
    with _one_sync_at_a_time(folder):
        outcome = Outcome()
        tell("checking the folder")
        outcome.remote = _open_repository(git, remote, remote_checked=checked)
        change = _remote_change(git)  # given now, or by a sync cut short before its check
        # The remote first: one that cannot be reached leaves the folder as it was, no
        # journal folded and nothing committed.
        tell("bringing in the other laptops' work")
        try:
            _fetch(git)
            if change is not None:
                outcome.notes.append(_moved_to(git, outcome.remote, *change))
        except BaseException:
            if change is not None:  # never left on a remote not checked
                _put_back_remote(git, *change)
            raise
        _write_gitignore(folder)  # made by an older auditui, or edited by hand
        outcome.notes += _finish_interrupted_move(git)
        tell("saving what changed here")
        open_here = _fold_journals(folder)
        outcome.committed, marked_here = _commit_local(git, outcome.notes)
        for attempt in range(PUSH_TRIES):
            if attempt:
                tell("bringing in the other laptops' work")
                _fetch(git)
            tell("merging")
            if _merge(git, outcome):  # nothing to bring in, nothing to send
                outcome.sent = True
                break
            tell("sending this laptop's work")
            if _push_past_a_lock(git, outcome, tell, wait_told):
                outcome.sent = True
                break
            if attempt == PUSH_TRIES - 1:
                raise AudituiError(
                    "the remote kept changing while this laptop sent its work (other laptops "
                    "syncing); everything is saved here: sync again in a moment",
                    path=folder,
                )
        if marked_here or outcome.brought_in:  # else nothing to say (nor to import)
            from auditui.sync.merged_parts import merge_notes

            outcome.notes += merge_notes(folder, marked_here, outcome.brought_in)
        outcome.notes += broken_seals(folder, outcome.brought_in)
        outcome.notes += open_here
        outcome.notes += clock_behind(folder, outcome.brought_in)
        return outcome


CLOCK_SLACK_S = 10 * 60
"""How far ahead of this laptop's clock a time brought in may be before the sync says so."""
_STAMP = re.compile(
    rb"^[ \t]*(?:updated|started|finished|recorded|closed|status|owner|due|cause|correction"
    rb"|action|closed_reason|closed_by)[ \t]*=[ \t]*"
    rb"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d))[ \t]*\r?$",
    re.MULTILINE,
)
"""A time auditui itself writes (a session's head and answers, a record's `[changed]` and
closing), never one typed into a note or a key added by hand."""


def clock_behind(folder: Path, brought_in: list[str]) -> list[str]:
    """A line when the sessions and findings brought in hold times well ahead of this
    laptop's clock: where two laptops changed one thing, the newer is decided by those
    clocks, and a laptop an hour behind lost every such choice without a word (a pass of
    a follow-up audit dated before the fail it was to close, too)."""
    if not brought_in:
        return []
    from datetime import datetime

    from auditui.timeutil import now

    latest, where = None, ""
    for path in brought_in:
        if kind_of(path) not in ("session", "finding"):
            continue
        try:
            with open(folder / path, "rb") as file:
                head = file.read(256 * 1024)
        except OSError:
            continue
        for found in _STAMP.findall(head):
            try:
                stamp = datetime.fromisoformat(found.decode().replace("Z", "+00:00"))
            except ValueError:
                continue
            if latest is None or stamp > latest:
                latest, where = stamp, path
    if latest is None:
        return []
    ahead = (latest - now()).total_seconds()
    if ahead < CLOCK_SLACK_S:
        return []
    minutes = round(ahead / 60)
    span = (f"{minutes} minutes" if minutes < 120 else f"{round(minutes / 60)} hours"
            if minutes < 48 * 60 else f"{round(minutes / 1440)} days")  # fmt: skip
    return [
        f"what came in from other laptops is dated up to {span} ahead of this laptop's clock "
        f"({where}: {latest:%Y-%m-%d %H:%M %z}): check the clocks (and time zones); where two "
        "laptops changed one thing, the newer is decided by them"
    ]


def broken_seals(folder: Path, brought_in: list[str]) -> list[str]:
    """A line for each finished session brought in whose seal no longer holds: changed on
    another laptop after it was sealed (by hand, or a git tool), it came in without a word,
    in place of the intact one, and only `verify` found it."""
    if not brought_in:
        return []
    from auditui.seal import seal_broken
    from auditui.store import read_session

    said = []
    for path in brought_in:
        if "/" in path or kind_of(path) != "session":
            continue
        try:
            session = read_session(folder / path)
        except AudituiError:
            continue  # named by every command that reads it
        if session.finished is not None and seal_broken(session):
            said.append(
                f"session {session.id} came in from another laptop changed since it was "
                f"sealed (auditui verify {session.id} says what changed)"
            )
    return said


@contextmanager
def _one_sync_at_a_time(folder: Path) -> Iterator[None]:
    lock = SessionLock(folder / ".auditui-sync.lock", "sync")
    try:
        lock.acquire()
    except SessionLockedError:
        raise AudituiError(
            "another sync of this folder is under way; wait for it to finish", path=folder
        ) from None
    try:
        yield
    finally:
        lock.release()


# --- the repository ---------------------------------------------------------------------------


def _open_repository(git: Git, remote: str | None, *, remote_checked: bool) -> str:
    """Make or check the repository; the remote's URL. When `remote` takes the place of
    another, the change is noted in the git folder (`REMOTE_WAS`) until it is checked."""
    folder = git.folder
    if git.git_dir.is_dir() and _half_made(git):
        if not remote:
            raise AudituiError(
                "the first sync of this folder was cut short before its repository was "
                "made: run `auditui sync --remote URL` again",
                path=folder,
            )
        shutil.rmtree(git.git_dir)  # no object in it: nothing of anyone's is lost
    if not git.git_dir.exists():
        if not remote_checked:
            _check_remote(git, remote or "")
        _make_repository(git, remote or "")
        _write_gitignore(folder)
        return remote or ""
    if not git.git_dir.is_dir():
        raise AudituiError(
            "the sessions folder's .git is not a folder (a worktree or submodule of another "
            "repository); sync shares only a sessions folder of its own",
            path=folder,
        )
    _remove_stale_git_locks(git.git_dir)
    settings = _settings(git, MARK, f"remote.{REMOTE}.url")
    if settings.get(MARK, "").strip() != "true":
        _adopt_or_refuse(git)
    for name, what in _HAND_STATES.items():
        if (git.git_dir / name).exists():
            raise AudituiError(
                f"{what} started by hand is under way in the sessions folder; finish or "
                "abort it with git first, then sync again",
                path=folder,
            )
    if git.run("symbolic-ref", "--quiet", "HEAD").code != 0:
        raise AudituiError(
            "the sessions folder's git repository is not on a branch (checked out by hand?); "
            f"run `git -C {folder} switch {BRANCH}`, then sync again",
            path=folder,
        )
    # The URL as typed (no `insteadOf` applied): what `--remote` is compared with.
    typed = settings.get(f"remote.{REMOTE}.url", "").strip()
    if remote and typed != remote:
        _check_remote(git, remote)
        if typed:
            # A typo here would send the whole audit programme elsewhere without a word.
            from auditui.tomlio import atomic_write

            tracked = git.rev(TRACKING) or ""
            atomic_write(git.git_dir / REMOTE_WAS, f"{typed}\n{tracked}\n".encode())
        git.ok("remote", "set-url" if typed else "add", REMOTE, remote)
    elif not typed:
        raise AudituiError(
            "the sessions folder has no remote to sync with: run `auditui sync --remote URL`",
            path=folder,
        )
    return remote or typed


def _settings(git: Git, *names: str) -> dict[str, str]:
    """The values of the git settings `names` (lower case) that are set, each as
    `git config --get` gives it (the last one set), read with one git command."""
    pattern = "^(" + "|".join(re.escape(name) for name in names) + ")$"
    done = git.run("config", "-z", "--get-regexp", pattern)
    values: dict[str, str] = {}
    for entry in done.out.split(b"\0"):
        name, _, value = entry.decode("utf-8", "surrogateescape").partition("\n")
        if name in names:
            values[name] = value
    return values


REMOTE_WAS = "auditui-remote-was"
"""In the git folder from a change of remote until the new one is checked: the URL it
replaced and where that remote's branch stood here."""


def _remote_change(git: Git) -> tuple[str, str | None] | None:
    """(the URL replaced, the branch's place then) of a change of remote not checked yet."""
    try:
        lines = (git.git_dir / REMOTE_WAS).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if not lines or not lines[0]:
        return None
    return lines[0], (lines[1] if len(lines) > 1 and lines[1] else None)


def _put_back_remote(git: Git, before: str, tracked: str | None) -> None:
    """The remote as it was before the change: its URL and where its branch stood."""
    git.ok("remote", "set-url", REMOTE, before)
    if tracked is None:
        git.run("update-ref", "-d", TRACKING)
    else:
        git.ok("update-ref", TRACKING, tracked)
    (git.git_dir / REMOTE_WAS).unlink(missing_ok=True)


def _moved_to(git: Git, remote: str, before: str, tracked: str | None) -> str:
    """What to say of a remote given in place of `before`; `AudituiError`, with `before`
    put back, when the new one holds another folder's history: a merge would bring those
    audits in here, and a push send this folder's there (and going back, both ways).
    `tracked`: where the remote's branch stood here before the fetch."""
    ours, theirs = git.rev("HEAD"), git.rev(TRACKING)
    if ours is not None and theirs is not None and git.run("merge-base", ours, theirs).code:
        _put_back_remote(git, before, tracked)
        raise AudituiError(
            "this remote holds another folder's history (no commit in common with this "
            f"one): nothing was merged or sent, and the folder still syncs with {before}; "
            "to move this folder's history there, give an empty repository; to join this "
            "folder to that history, move the folder's .git aside and sync with --remote "
            "again (as a laptop's first sync)",
            path=remote,
        )
    (git.git_dir / REMOTE_WAS).unlink(missing_ok=True)
    return (
        f"the remote is now {remote} (it was {before}); "
        f"`auditui sync --remote {shlex.quote(before)}` goes back"
    )


HALF_MADE = ".git.auditui-new"
"""Where a first sync makes the repository before it is renamed `.git`."""


def _make_repository(git: Git, remote: str) -> None:
    """`git init`, set up, in a side folder renamed `.git` when done: a first sync cut
    short (a kill, a full disk) leaves no half-made `.git` that every later sync would
    take for a broken repository."""
    side = Git(git.folder, author=git.author, git_dir=git.folder / HALF_MADE)
    if side.git_dir.exists():  # a first sync cut short; this one holds the sync lock
        shutil.rmtree(side.git_dir)
    side.ok("init", "--quiet", f"--initial-branch={BRANCH}")
    side.run("config", "--unset", "core.worktree")  # the folder may move: found as ./.git
    side.ok("config", MARK, "true")
    side.ok("remote", "add", REMOTE, remote)
    from auditui.tomlio import fsync_folder

    try:
        os.rename(side.git_dir, git.git_dir)
        fsync_folder(git.folder)
    except OSError as exc:
        raise AudituiError(
            f"cannot make the repository: {exc.strerror or exc}", path=git.git_dir
        ) from None


def _looks_whole(git_dir: Path) -> bool:
    """What every sync can afford to look at (no git command): HEAD and config written,
    objects and refs there."""
    try:
        written = all((git_dir / name).stat().st_size > 0 for name in ("HEAD", "config"))
    except OSError:
        return False
    return written and (git_dir / "objects").is_dir() and (git_dir / "refs").is_dir()


def _half_made(git: Git) -> bool:
    """A `.git` that git does not take for a repository and that holds no object: left by
    a first sync cut short by an older auditui (or by hand), with nothing in it to keep."""
    if _looks_whole(git.git_dir) or git.run("rev-parse", "--git-dir").code == 0:
        return False
    objects = git.git_dir / "objects"
    return not any(path.is_file() for path in objects.rglob("*")) if objects.is_dir() else True


MISSING_FOLDER = "the remote is not there: no such folder (is the shared drive connected?)"


def _missing_folder(remote: str) -> bool:
    """A remote that is a path on this machine (a shared drive), and no such folder: git
    would call it "not a git repository", which sends people to check the wrong thing."""
    if "://" in remote or ":" in remote.split("/")[0]:
        return False
    return not Path(remote).expanduser().exists()


def _check_remote(git: Git, remote: str) -> None:
    """Before anything is written: the remote answers and is a git repository."""
    if not remote.strip() or remote.startswith("-"):
        raise AudituiError(f"not a remote URL: {remote!r}")
    if _missing_folder(remote):
        raise AudituiError(MISSING_FOLDER, path=remote)
    done = git.run_outside("ls-remote", "--heads", "--", remote)
    if done.code != 0:
        from auditui.sync.git import explain

        raise AudituiError(explain(done.err, "git ls-remote"), path=remote)


def _write_gitignore(folder: Path) -> None:
    """Make sure the folder's `.gitignore` names what sync never shares (`IGNORED`): the
    lines missing are added at its end, the rest of it left byte for byte as it is (any
    encoding, lines of the user's)."""
    from auditui.tomlio import atomic_write

    path = folder / ".gitignore"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = b""
    except OSError:
        return  # not readable here: never replaced
    if not data:
        atomic_write(path, GITIGNORE.encode("utf-8"))
        return
    lines = {line.strip() for line in data.splitlines()}
    missing = [pattern for pattern in IGNORED if pattern.encode("utf-8") not in lines]
    if missing:
        joined = data + (b"" if data.endswith(b"\n") else b"\n")
        atomic_write(path, joined + "".join(f"{p}\n" for p in missing).encode("utf-8"))


def _adopt_or_refuse(git: Git) -> None:
    """A repository sync did not make: take it when it holds only what a sessions folder
    holds (cloned by hand, say); refuse another project's repository."""
    tracked = git.ok("ls-files", "-z").out.split(b"\0")
    for raw in tracked:
        if not raw:
            continue
        path = raw.decode("utf-8", "replace")
        if kind_of(path) == "other" and not path.startswith("evidence/"):
            raise AudituiError(
                f"the sessions folder is the git repository of something else (it holds "
                f"{path}); sync shares only a folder of sessions: choose another --sessions-dir",
                path=git.folder,
            )
    git.ok("config", MARK, "true")


def _remove_stale_git_locks(git_dir: Path) -> None:
    """Lock files a git killed mid-way left behind. Only called under our own sync lock,
    and git runs only from a sync here, so no live git holds them."""
    candidates = [git_dir / name for name in ("index.lock", "HEAD.lock", "config.lock",
                                              "packed-refs.lock", "ORIG_HEAD.lock",
                                              "FETCH_HEAD.lock", "shallow.lock",
                                              "auditui-merge.index.lock")]  # fmt: skip
    refs = git_dir / "refs"
    if refs.is_dir():
        candidates += list(refs.rglob("*.lock"))
    for path in candidates:
        try:
            path.unlink()
        except OSError:
            pass


# --- this laptop's work -----------------------------------------------------------------------


def _fold_journals(folder: Path) -> list[str]:
    """Fold each journal into its session file, unless the session is open in a program
    (then its file is synced as it is; the program folds the journal when it closes).
    Return what to say of those open: "in step" read as if their marks were shared."""
    journals = sorted(folder.glob(JOURNALS))
    if not journals:
        return []
    from auditui.session_toml import SESSION_ID
    from auditui.store import SessionStore

    store = SessionStore(folder)
    open_here = []
    for journal in journals:
        session_id = journal.stem
        if not SESSION_ID.fullmatch(session_id) or not store.path_for(session_id).is_file():
            continue
        try:
            writer = store.open(session_id)
        except SessionLockedError:
            open_here.append(
                f"session {session_id} is open in auditui here: the marks made since it was "
                "last saved whole go with the first sync after it is closed"
            )
            continue
        writer.close()
        if journal.exists():
            # Not folded (a full disk): the file would be committed, and replaced by the
            # other laptops' version, without these marks, and the journal then belongs
            # to no file.
            why = writer.last_error.message if writer.last_error else "it could not be written"
            raise AudituiError(
                f"marks kept in its journal could not be saved into the session file ({why}); "
                "nothing was synced: make room on the disk, then sync again",
                path=store.path_for(session_id),
            )
    return open_here


def _status(git: Git, notes: list[str]) -> list[tuple[str, str]]:
    """(code, path) of every shared file that differs from the last commit. A session
    file a line of the user's `.gitignore` keeps back is named in `notes`."""
    out = git.ok(
        "status", "--porcelain=v1", "-z", "--untracked-files=all", "--ignored=matching",
        "--no-renames", "--", *SHARED,
    ).out  # fmt: skip
    entries = []
    ignored = []
    ignored_folders = False
    for raw in out.split(b"\0"):
        if raw:
            code, path = raw[:2].decode(), raw[3:].decode("utf-8", "surrogateescape")
            if code != "!!":
                entries.append((code, path))
            elif not path.endswith("/"):
                ignored.append(path)
            elif path.startswith(("evidence/", "findings/")):
                ignored_folders = True  # a line of the user's naming a folder
    if ignored_folders:  # every new file in them, whatever ignores it
        listed = set(ignored) | {path for _, path in entries}
        others = git.ok("ls-files", "--others", "-z", "--", *SHARED).out.split(b"\0")
        decoded = (raw.decode("utf-8", "surrogateescape") for raw in others if raw)
        ignored += [path for path in decoded if path not in listed]
    shared, kept = _shared_all_the_same(git, ignored)
    notes += [
        f"{path} is kept out of the sync by the line `{line}` of the .gitignore (move it out "
        "of the sessions folder if it is no session, or take the line out to share it)"
        for path, line in kept
    ]
    return entries + [("??", path) for path in shared]


def _shared_all_the_same(git: Git, paths: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Of shared files git ignores: those shared all the same (every findings record and
    evidence file, which auditui names: an evidence copy keeps its file's extension, a
    `.pdf`, a `readings.tmp`; and whatever only sync's own lines hide, a checklist id may
    hold `.journal.`), and the others with the user's line that keeps each back. The
    user's global ignore file is switched off (`core.excludesFile`)."""
    if not paths:
        return [], []
    given = b"".join(path.encode("utf-8", "surrogateescape") + b"\0" for path in paths)
    done = git.run("check-ignore", "-v", "-z", "--stdin", input=given)
    fields = done.out.split(b"\0")
    shared, kept = [], []
    for source, _, pattern, raw in zip(*[iter(fields)] * 4, strict=False):
        path, line = raw.decode("utf-8", "surrogateescape"), pattern.decode("utf-8", "replace")
        ours = source == b".gitignore" and line in IGNORED
        if ours or path.startswith(("evidence/", "findings/")):
            shared.append(path)
        else:
            kept.append((path, line))
    return shared, kept


def _check_readable(folder: Path, path: str) -> dict | None:
    """The parsed file (None when it is not a session or findings file), or an
    `AudituiError` naming what is wrong with it: nothing broken is ever shared."""
    full = folder / path
    try:
        mode = os.lstat(full).st_mode
    except FileNotFoundError:
        return None
    if not stat.S_ISREG(mode):
        raise AudituiError(
            "not a regular file (a link, or a device); move it out of the sessions folder, "
            "then sync again",
            path=full,
        )
    kind = kind_of(path)
    if kind == "session":
        from auditui.session_toml import read_session_file

        # Every value checked; a file auditui read before and that is unchanged since
        # comes from the cache of read files, already checked.
        session = read_session_file(full)
        _check_sealed(session, full)  # also one whose finished date was taken out
        return _session_outline(session)
    if kind == "finding":
        from auditui.finding_records import record_from_document
        from auditui.tomlio import decode_text, parse_toml, read_bytes

        data = read_bytes(full)
        _check_size(full, path, data)  # the register reads less than a session
        document = parse_toml(decode_text(data, full), full)
        # Every value, as the register reads it; a copy under another name (a backup
        # made by hand) the register leaves out, and is no reason to stop a sync.
        record_from_document(document, full)
        return document
    return None


def _check_evidence(path: Path) -> None:
    """An evidence copy is named by its digest and never changes: one that no longer
    gives its name was changed by hand, and is not sent as if it were the file attached.
    (A file named otherwise is not one auditui made, and not checked.)"""
    from auditui.evidence import gives_its_name

    try:
        intact = gives_its_name(path)
    except OSError as exc:
        raise AudituiError(f"cannot read: {exc.strerror or exc}", path=path) from None
    if intact is False:
        raise _ChangedByHand(
            "this evidence file was changed since it was attached (a copy never changes: "
            "its name is its SHA-256); attach the new file to the item instead, and",
            path=path,
        )


class _ChangedByHand(AudituiError):
    """A file changed by hand where auditui refuses changes (a finished session, an
    evidence copy). Its message gives what to do and ends in "or": the sync adds how to
    put the last synced version back."""


def _check_sealed(session: Session, path: Path) -> None:
    """A finished session is sent only as it was sealed: one changed by hand since would
    reach every laptop, its numbers in every register, as if it were signed so."""
    from auditui.seal import changed_since_sealed

    changed = changed_since_sealed(session)
    if changed:
        from auditui.textwidth import some_of

        raise _ChangedByHand(
            f"session {session.id} is finished, but was changed since it was sealed "
            f"({some_of(changed)}): to change a finished audit, reopen it (`auditui reopen "
            f"{session.id} --reason TEXT --sessions-dir {shlex.quote(str(path.parent))}`, "
            "which records what changed), or",
            path=path,
        )


def _session_outline(session: Session) -> dict:
    """What the commit message needs of a session, shaped like its file's document."""
    head: dict = {"id": session.id, "kind": session.kind, "started": session.started}
    if session.title:
        head["title"] = session.title
    if session.finished is not None:
        head["finished"] = session.finished
    if session.reopened:
        head["reopened"] = session.reopened
    return {
        "session": head,
        "results": [
            {"item_id": r.item_id, "result": session.file_result(r), "note": r.note,
             "grade": r.grade, "attachments": [a.to_table() for a in r.attachments]}  # fmt: skip
            for r in session.records
        ],
    }


def _commit_local(git: Git, notes: list[str]) -> tuple[str, dict[str, list[str]]]:
    """Commit what changed here: (the commit's first line or "", the items marked in
    each session file committed)."""
    changed = _status(git, notes)
    if not changed:
        return "", {}
    afters = {}
    for code, path in changed:
        try:
            if path.startswith("evidence/") and code.strip() in ("M", "??", "A"):
                _check_evidence(git.folder / path)
            afters[path] = _check_readable(git.folder, path)
        except AudituiError as error:
            undo = (
                "move it out of the sessions folder" if code.startswith("?")
                else "put back the last synced version with "
                f"`git -C {shlex.quote(str(git.folder))} checkout -- {shlex.quote(path)}`"
            )  # fmt: skip
            fix = "" if isinstance(error, _ChangedByHand) else "; fix the file, or"
            raise AudituiError(
                f"{error.message}{fix} {undo}; nothing was synced",
                path=error.path,
                line=error.line,
                key=error.key,
            ) from None
    from auditui.sync.describe import Change, describe, marked_items

    befores = _committed_documents(git, [path for code, path in changed if code[0] != "?"])
    for path, before in befores.items():
        if _finish_taken_out(before, afters.get(path)):
            full = git.folder / path
            session_id = PurePosixPath(path).stem
            folder = shlex.quote(str(git.folder))
            raise AudituiError(
                f"session {session_id} was finished and sealed, and is now unfinished with no "
                "reopening recorded (its finish taken out by hand, or another copy put in its "
                f"place): put back the last synced version with `git -C {folder} checkout -- "
                f"{shlex.quote(path)}`, then reopen it to change it (`auditui reopen "
                f"{session_id} --reason TEXT --sessions-dir {folder}`); nothing was synced",
                path=full,
            )
    paths = b"".join(path.encode("utf-8", "surrogateescape") + b"\0" for _, path in changed)
    git.ok("add", "--all", "--force", "--pathspec-from-file=-", "--pathspec-file-nul", input=paths)
    changes = [
        # The ignore file is not read: {} says it was there before (changed, not made).
        Change(path, {}, {}) if path == ".gitignore" and code[0] not in "?A"
        else Change(path, befores.get(path), afters.get(path))
        for code, path in changed
    ]  # fmt: skip
    message = describe(git.author, changes)
    if git.run("diff", "--cached", "--quiet").code == 0:
        return "", {}
    git.ok(
        "commit", "--quiet", "--no-verify", "-F", "-", input=message.encode("utf-8"),
        env=git.identity(),
    )  # fmt: skip
    marked = {
        change.path: [str(item) for item in marked_items(change)]
        for change in changes
        if kind_of(change.path) == "session" and change.after is not None
    }
    return message.splitlines()[0], marked


def _finish_taken_out(before: dict | None, after: dict | None) -> bool:
    """Whether a session file committed finished (`before`, its document) is now, as the
    same session (its start), unfinished with no reopening added (`after`, its outline):
    every line of the finish deleted by hand, which no seal check can see in the file."""
    head = before.get("session") if isinstance(before, dict) else None
    now = after.get("session") if isinstance(after, dict) else None
    if not isinstance(head, dict) or not isinstance(now, dict):
        return False
    if "finished" not in head or "finished" in now or head.get("started") != now.get("started"):
        return False
    reopened = head.get("reopened")
    return len(now.get("reopened") or ()) <= (len(reopened) if isinstance(reopened, list) else 0)


def _committed_documents(git: Git, paths: list[str]) -> dict[str, dict]:
    """The parsed last-committed versions of the session and findings files among
    `paths` (one `git cat-file --batch` for all)."""
    wanted = [p for p in paths if kind_of(p) in ("session", "finding")]
    if not wanted or git.rev("HEAD") is None:
        return {}
    from auditui.tomlio import decode_text, parse_toml

    blobs = read_blobs(git, [f"HEAD:{p}" for p in wanted])
    documents = {}
    for path in wanted:
        data = blobs.get(f"HEAD:{path}")
        if data is None:
            continue
        try:
            documents[path] = parse_toml(decode_text(data, Path(path)), Path(path))
        except AudituiError:
            continue
    return documents


def object_ids(git: Git, names: list[str]) -> dict[str, str]:
    """The object ids of `names` (`<commit>:<path>`); missing ones left out."""
    if not names:
        return {}
    out = git.ok("cat-file", "--batch-check", input="".join(f"{n}\n" for n in names).encode())
    found = {}
    for name, line in zip(names, out.out.decode().splitlines(), strict=False):
        parts = line.split()
        if len(parts) == 3 and parts[1] != "missing":
            found[name] = parts[0]
    return found


def read_blobs(git: Git, names: list[str]) -> dict[str, bytes]:
    """The contents of `names` (`<commit>:<path>` or object ids); missing ones left out."""
    if not names:
        return {}
    out = git.ok("cat-file", "--batch", input="".join(f"{n}\n" for n in names).encode()).out
    found: dict[str, bytes] = {}
    position = 0
    for name in names:
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) == 3 and header[1] != b"missing":
            size = int(header[2])
            found[name] = out[position : position + size]
            position += size + 1
    return found


# --- the other laptops' work ------------------------------------------------------------------


def _fetch(git: Git) -> None:
    """Bring the remote's branch into this repository. A fetch writes only here: a disk
    that fills up is this laptop's, and the message names the sessions folder (saying "the
    disk is full" of the remote sent people to free room on the shared drive)."""
    done = git.run("fetch", "--quiet", "--no-tags", "--prune", REMOTE)
    if done.code != 0:
        from auditui.sync.git import disk_full_here, explain

        if disk_full_here(done.err):
            raise AudituiError(
                "this laptop's disk is full: the other laptops' work cannot be brought into "
                "the sessions folder; make room on it, then sync again (everything is saved "
                "here)",
                path=git.folder,
            )
        remote = git.run("remote", "get-url", REMOTE).text.strip()
        missing = bool(remote) and _missing_folder(remote)
        why = MISSING_FOLDER if missing else explain(done.err, "git fetch")
        raise AudituiError(
            why + "; everything is saved here, sync again later",
            path=remote or git.folder,
        )


def _merge(git: Git, outcome: Outcome) -> bool:
    """Bring in the remote's branch as fetched; True when this laptop's branch and the
    remote's are one commit (in step: nothing to send either)."""
    theirs = git.rev(TRACKING)
    ours = git.rev("HEAD")
    if theirs is None or theirs == ours:
        return theirs is not None
    base: str | None = None
    if ours is None:
        target = theirs
    else:
        base_run = git.run("merge-base", ours, theirs)
        base = base_run.text.strip() if base_run.code == 0 else None
        if base == theirs:
            return False  # this laptop is ahead: nothing to bring in
        if base is not None:  # else the first meeting: the past settlements are not news
            outcome.notes += _settled_elsewhere(git, ours, theirs)
        target = theirs if base == ours else _merge_commit(git, base, ours, theirs, outcome)
    target = _leave_out_never_shared(git, ours, target, outcome)
    target = _set_aside_unreadable(git, ours, target, outcome, base)
    incoming = [path for path in _changed_paths(git, ours, target) if not never_shared(path)]
    removed = [p for p in _changed_paths(git, ours, target, "D") if kind_of(p) == "session"]
    replaced = _replaced_sessions(git, ours, target, base)
    with _sessions_held(git.folder, incoming):
        kept = _keep_removed(git.folder, removed)
        kept_replaced = _keep_removed(git.folder, replaced)
        from auditui.sync.fast_forward import move_to

        move_to(git, ours or EMPTY_TREE, target)
    outcome.removed += kept
    outcome.notes += [
        f"session {PurePosixPath(path).stem}: another laptop put a different session (another "
        f"checklist or start) under this id; a copy of the one here is kept in {copy}"
        for path, copy in kept_replaced
    ]
    outcome.brought_in += [
        path for path in incoming
        if path not in outcome.brought_in and path not in removed
        and path not in outcome.made_here
    ]  # fmt: skip
    return False


_HEAD_KEY = re.compile(rb'^(checklist_id|started) = (.+?)[ \t]*\r?$', re.MULTILINE)


def _replaced_sessions(git: Git, ours: str | None, target: str, base: str | None) -> list[str]:
    """The session files the move to `target` gives another session (another checklist
    or start under the same id: the one here deleted on another laptop, a new one made
    there with its id): this laptop's is copied to the trash first, as a deletion is.
    Only where this laptop had not changed it since `base` (else the merge has kept both,
    one under a new id)."""
    if not ours or not base:
        return []
    paths = [p for p in _changed_paths(git, ours, target, "M") if kind_of(p) == "session"]
    if not paths:
        return []
    if base != ours:  # unchanged here since `base`: the same object, no content read
        ids = object_ids(git, [f"{c}:{p}" for p in paths for c in (ours, base)])
        paths = [p for p in paths if ids.get(f"{ours}:{p}") == ids.get(f"{base}:{p}")]
    blobs = read_blobs(git, [f"{c}:{p}" for p in paths for c in (ours, target)])

    def head(data: bytes | None) -> dict[bytes, bytes]:
        found: dict[bytes, bytes] = {}
        for key, value in _HEAD_KEY.findall((data or b"")[:4096]):
            found.setdefault(key, value)
        return found

    replaced = []
    for path in paths:
        before, after = head(blobs.get(f"{ours}:{path}")), head(blobs.get(f"{target}:{path}"))
        if len(before) == len(after) == 2 and before != after:
            replaced.append(path)
    return replaced


SETTLED_SHOWN = 10
"""At most this many lines of one kind of news (what other laptops' syncs settled, the
files left out), the last of them a count of the rest."""


def _at_most_shown(lines: list[str], rest: str) -> list[str]:
    """`lines`, or past `SETTLED_SHOWN` the first ones and `and N more <rest>`."""
    if len(lines) <= SETTLED_SHOWN:
        return lines
    more = len(lines) - SETTLED_SHOWN + 1
    return [*lines[: SETTLED_SHOWN - 1], f"and {more} more {rest}"]


def _settled_elsewhere(git: Git, ours: str, theirs: str) -> list[str]:
    """What the syncs of other laptops settled, in the commits brought in now: an answer
    of this laptop's replaced by a newer one, a late change kept beside a finished
    session. The laptop that merged said it; the one whose work it was hears it here."""
    done = git.run("log", "--reverse", "--format=%p%x1f%an%x1f%s%x1f%b%x1e", f"{ours}..{theirs}")
    if done.code != 0:
        return []
    lines = []
    for entry in done.text.split("\x1e"):
        parents, _, rest = entry.strip("\n").partition("\x1f")
        author, _, rest = rest.partition("\x1f")
        subject, _, body = rest.partition("\x1f")
        if " " not in parents.strip() and SET_ASIDE not in subject:
            continue  # a laptop's own work, not a settlement
        lines += [
            f"settled on {author}'s laptop: {_as_told_elsewhere(line[2:], author)}"
            for line in body.splitlines()
            if line.startswith("- ")
        ]
    return _at_most_shown(lines, "settled on other laptops (git log)")


def _as_told_elsewhere(line: str, author: str) -> str:
    """A line the merging laptop said of itself, as another laptop hears it: its "this
    laptop's version is kept" is `author`'s, not the reader's."""
    return line.replace("this laptop's", f"{author}'s").replace(
        "the other laptop's", "another laptop's"
    )


def _finish_interrupted_move(git: Git) -> list[str]:
    """A move to a merged commit that a sync left half-done, completed or undone
    (`fast_forward.take_up_interrupted_move`); what to say."""
    if not (git.git_dir / MOVING).exists():
        return []
    from auditui.sync.fast_forward import interrupted_move, take_up_interrupted_move

    commits = interrupted_move(git)
    if commits is None:
        return []
    with _sessions_held(git.folder, _changed_paths(git, *commits)):
        take_up_interrupted_move(git, *commits)
    return ["the work of a sync cut short was taken up again"]


def _changed_paths(git: Git, old: str | None, new: str, only: str = "") -> list[str]:
    """The paths that differ between two commits; `only`: git's --diff-filter letters."""
    which = [f"--diff-filter={only}"] if only else []
    out = git.ok("diff", "--name-only", "-z", "--no-renames", *which, old or EMPTY_TREE, new).out
    return [raw.decode("utf-8", "surrogateescape") for raw in out.split(b"\0") if raw]


def _keep_removed(folder: Path, removed: list[str]) -> list[tuple[str, Path]]:
    """A copy in this laptop's trash of each session another laptop deleted, made before
    the folder moves on: deleting is moving aside (`trash.py`), on every laptop."""
    from auditui.trash import TRASH, free_place, kept_copy

    kept = []
    for path in removed:
        source = folder / path
        if not source.is_file():
            continue
        same = kept_copy(folder / TRASH, source)
        if same is not None:  # kept by a sync cut short before: not a second copy
            kept.append((path, same))
            continue
        target = free_place(folder / TRASH, source.name)
        try:
            target.parent.mkdir(exist_ok=True)
            shutil.copy2(source, target)
        except OSError as error:
            raise AudituiError(
                f"deleted on another laptop, but no copy can be kept in {target.parent}: "
                f"{error.strerror or error}; nothing was brought in",
                path=source,
            ) from None
        kept.append((path, target))
    return kept


def _leave_out_never_shared(git: Git, ours: str | None, target: str, outcome: Outcome) -> str:
    """`target`, or a commit on top of it without the files that belong to one laptop
    (`kinds.never_shared`: a journal, a lock, a draft) that another laptop committed past
    auditui (`git add -f`). Such a file never reaches this folder: a journal would be
    applied by every command here, another laptop's unsaved marks made as if here. The
    sync's push then takes them out of the shared history for every laptop; the files on
    each laptop's disk stay as they are (`fast_forward` leaves them alone)."""
    unshared = [path for path in _changed_paths(git, ours, target, "d") if never_shared(path)]
    if not unshared:
        return target
    outcome.notes += _at_most_shown(
        [
            f"{path} was committed on another laptop past auditui (`git add -f`?), but it "
            "belongs to that laptop alone and is never shared: left out of the sync"
            for path in unshared
        ],
        "such files left out (git log names them)",
    )
    index = git.git_dir / "auditui-aside.index"
    git.ok("read-tree", target, env={"GIT_INDEX_FILE": str(index)})
    message = f"{git.author}: left out files that belong to one laptop alone\n\n" + (
        "\n".join(f"- {path}" for path in unshared)
    )
    return _commit_index(git, index, [f"0 {_NULL}\t{path}" for path in unshared], [target], message)


SET_ASIDE = "set aside files from other laptops that do not read, or whose seal no longer holds"
"""The subject of the commit that does so: relayed to the other laptops (`_settled_elsewhere`)."""


def _set_aside_unreadable(
    git: Git, ours: str | None, target: str, outcome: Outcome, base: str | None = None
) -> str:
    """`target`, or a commit on top of it that sets aside the session and findings files
    from other laptops that do not read (a file broken by hand and sent with git; one
    over the size auditui reads, two long notes joined by an older auditui): each goes
    beside its place as `.from-another-laptop`, this laptop's last version (if any) stays
    at its place, and `outcome.problems` names the file and what is wrong. So does a
    finished session whose seal no longer holds (changed by hand, pushed past auditui's
    own check) where this laptop has it sealed and intact, as it was at `base` (the
    commit both laptops had): changed here too, the merge has settled it already (a
    copy kept beside a finished session, another id for one of two sessions)."""
    paths = [
        path for path in _changed_paths(git, ours, target, "d")
        if kind_of(path) in ("session", "finding")
    ]  # fmt: skip
    blobs = read_blobs(git, [f"{target}:{path}" for path in paths])
    broken: dict[str, AudituiError] = {}
    unsealed: dict[str, tuple[Session, AudituiError | None]] = {}
    for path in paths:
        data = blobs.get(f"{target}:{path}")
        if data is not None:
            try:
                session = _check_content(git.folder, path, data)
            except AudituiError as error:
                broken[path] = error
                continue
            if session is not None and ours and base:
                changed = _seal_broken(session, git.folder / path)
                if changed is not None or session.finished is None:  # or its finish taken
                    unsealed[path] = (session, changed)  # out whole: known from ours below
    if unsealed and base != ours:  # changed here too since `base`: the merge settled it
        ids = object_ids(git, [f"{c}:{p}" for p in unsealed for c in (ours, base)])
        unsealed = {path: found for path, found in unsealed.items()
                    if ids.get(f"{ours}:{path}") == ids.get(f"{base}:{path}")}  # fmt: skip
    previous = (
        read_blobs(git, [f"{ours}:{path}" for path in [*broken, *unsealed]]) if ours else {}
    )
    if unsealed:
        # A sealed audit changed by hand on another laptop (and pushed past auditui) would
        # replace this laptop's intact one: the seal's record of the audit is what is kept.
        for path, (session, problem) in unsealed.items():
            last = previous.get(f"{ours}:{path}")
            if last is None:
                continue  # new here: nothing to keep
            sealed = _sealed_intact(git.folder, path, last)
            if sealed is None:
                continue
            if problem is None:  # not finished, with no seal left to break
                if (sealed.started, sealed.checklist_id) != (session.started, session.checklist_id):
                    continue  # another session under this id: not this audit changed
                if len(session.reopened) > len(sealed.reopened):
                    continue  # reopened: a change recorded, as auditui makes one
                problem = AudituiError(
                    f"session {session.id} was finished and sealed, and came in unfinished "
                    "with no reopening recorded (its finish taken out by hand)",
                    path=git.folder / path,
                )
            broken[path] = problem
    broken |= _evidence_changed(git, ours, target, blobs)
    if not broken:
        return target
    previous |= read_blobs(git, [f"{ours}:{path}" for path in broken if path.startswith(
        "evidence/")]) if ours else {}  # fmt: skip
    index = git.git_dir / "auditui-aside.index"
    env = {"GIT_INDEX_FILE": str(index)}
    git.ok("read-tree", target, env=env)
    lines = []
    told = []
    for path, problem in broken.items():
        other = f"{path}{OTHER_SUFFIX}"
        lines.append(f"100644 {_write_blob(git, blobs[f'{target}:{path}'])}\t{other}")
        last = previous.get(f"{ours}:{path}")
        lines.append(
            f"100644 {_write_blob(git, last)}\t{path}" if last is not None
            else f"0 {_NULL}\t{path}"
        )  # fmt: skip
        kept = "this laptop's last version is kept" if last is not None else "not brought in"
        told.append(f"- {path}: {problem.message} ({kept}; the file sent is "
                    f"{PurePosixPath(other).name})")  # fmt: skip
        outcome.problems.append(str(AudituiError(
            f"{problem.message} (sent by another laptop: {kept}; the file sent is "
            f"{PurePosixPath(other).name})",
            path=problem.path, line=problem.line, key=problem.key,
        )))  # fmt: skip
    message = f"{git.author}: {SET_ASIDE}\n\n" + "\n".join(told)
    return _commit_index(git, index, lines, [target], message)


def _evidence_changed(
    git: Git, ours: str | None, target: str, blobs: dict[str, bytes]
) -> dict[str, AudituiError]:
    """The evidence copies another laptop sent changed: a copy never changes (its name is
    its SHA-256), so a changed one was swapped by hand and sent past auditui's own check;
    this laptop's copy is kept (a sealed audit's photo is what was signed). What is read
    of them goes into `blobs`. Only changed copies are read: new ones are the usual news."""
    if not ours:
        return {}
    from auditui.evidence import content_gives_name

    paths = [p for p in _changed_paths(git, ours, target, "M") if p.startswith("evidence/")]
    blobs |= read_blobs(git, [f"{target}:{path}" for path in paths])
    return {
        path: AudituiError(
            "this evidence file was changed since it was attached (a copy never changes: "
            "its name is its SHA-256)",
            path=git.folder / path,
        )
        for path in paths
        if content_gives_name(PurePosixPath(path).name, blobs.get(f"{target}:{path}", b""))
        is False
    }


def _check_content(folder: Path, path: str, data: bytes) -> Session | None:
    """`AudituiError` when the session or findings file `path` would not read as `data`:
    also when it is larger than auditui reads (every command would leave it out). The
    session it holds, when it is one."""
    from auditui.session_toml import session_from_document
    from auditui.tomlio import decode_text, parse_toml

    full = folder / path
    _check_size(full, path, data)
    text = decode_text(data, full)
    if kind_of(path) == "session":
        return session_from_document(parse_toml(text, full), path=full, text=text)
    # Every value, as the findings register reads it (under any file name), with its line.
    from auditui.finding_records import parse_record

    parse_record(text, full)
    return None


def _seal_broken(session: Session, full: Path) -> AudituiError | None:
    """What is wrong with a session whose seal no longer holds (None when it holds, or
    it was never finished)."""
    from auditui.seal import changed_since_sealed
    from auditui.textwidth import some_of

    changed = changed_since_sealed(session)  # [] when the seal holds: one reading of it
    if not changed:
        return None
    return AudituiError(
        f"session {session.id} was changed since it was sealed ({some_of(changed)})",
        path=full,
    )


def _sealed_intact(folder: Path, path: str, data: bytes | None) -> Session | None:
    """`data` (this laptop's last version of the session file `path`) as a session when
    it is a finished one whose seal holds; else None."""
    if data is None or b"finished" not in data:  # most files brought in: not finished
        return None
    try:
        session = _check_content(folder, path, data)
    except AudituiError:
        return None
    from auditui.seal import seal_broken

    if session is None or session.finished is None or seal_broken(session):
        return None
    return session


def _check_size(full: Path, path: str, data: bytes) -> None:
    """`AudituiError` when `data` is larger than auditui reads as the file `path`."""
    limit = read_limit(path)
    if limit is not None and len(data) > limit:
        raise AudituiError(
            f"too large to read: {len(data):,} bytes, and auditui reads at most {limit:,}",
            path=full,
        )


@contextmanager
def _sessions_held(folder: Path, paths: list[str]) -> Iterator[None]:
    """Hold the locks of the sessions a merge writes, so no program opens one meanwhile;
    refuse (nothing written) when one is open here now."""
    held: list[SessionLock] = []
    try:
        for path in paths:
            if kind_of(path) != "session":
                continue
            session_id = PurePosixPath(path).stem
            lock = SessionLock(folder / f"{session_id}.lock", session_id)
            try:
                lock.acquire()
            except SessionLockedError:
                raise AudituiError(
                    f"session {session_id} is open in auditui here and was changed on another "
                    "laptop; close it, then sync again (everything is saved)",
                    path=folder / path,
                ) from None
            held.append(lock)
        yield
    finally:
        for lock in held:
            lock.release()


def _merge_commit(git: Git, base: str | None, ours: str, theirs: str, outcome: Outcome) -> str:
    """The merge of `ours` and `theirs` as a commit, made without touching the folder."""
    from auditui.sync.resolve import resolve
    index = git.git_dir / "auditui-merge.index"
    env = {"GIT_INDEX_FILE": str(index)}
    try:
        index.unlink()
    except FileNotFoundError:
        pass
    git.ok("read-tree", "-m", "-i", "--aggressive", base or EMPTY_TREE, ours, theirs, env=env)
    stages: dict[str, dict[int, str]] = {}
    for (_mode, sha, stage), name in _entries(git.ok("ls-files", "-u", "-z", env=env).out):
        stages.setdefault(name, {})[int(stage)] = sha.decode()
    blobs = read_blobs(git, [sha for versions in stages.values() for sha in versions.values()])
    taken = _session_ids(git, env)
    lines: list[str] = []
    settled: list[str] = []
    """What this merge settled: in its commit, for the other laptops to hear (nothing
    else this sync says, which is this laptop's alone)."""
    not_merged: list[str] = []
    """Files this merge could not join, both versions kept: said in its commit too."""
    moved: set[str] = set()
    # Sessions first: the findings records of a session renamed here go with it, and are
    # then no record changed on two laptops.
    for path in sorted(stages, key=lambda path: kind_of(path) != "session"):
        if path in moved:
            continue
        if never_shared(path):  # one laptop's own, committed by hand on both: left out
            lines.append(f"0 {_NULL}\t{path}")
            continue
        versions = stages[path]

        def version(stage: int, versions: dict[int, str] = versions) -> bytes | None:
            return blobs.get(versions[stage]) if stage in versions else None

        resolved = resolve(
            path, version(1), version(2), version(3), lambda old: _free_id(old, taken)
        )
        settled += resolved.notes
        settled += _actions_left_without_a_fail(git, (ours, theirs), resolved.fails_dropped)
        for why in resolved.problems:
            here, there = _not_joined(path, why, git.author)
            outcome.problems.append(str(AudituiError(here, path=git.folder / path)))
            not_merged.append(there)
        lines.append(f"0 {_NULL}\t{path}")
        for kept, data in resolved.files.items():
            if data is None:
                continue
            lines.append(f"100644 {_write_blob(git, data)}\t{kept}")
        outcome.made_here |= resolved.made_here
        for old_id, new_id in resolved.renamed.items():
            lines += _move_records(git, (base, ours, theirs), old_id, new_id, moved, outcome)
            from auditui.finish_drafts import follow_rename

            follow_rename(git.folder, old_id, new_id)
    outcome.notes += settled
    message = f"{git.author}: brought in the work of other laptops"
    if settled or not_merged:
        message += "\n\n" + "\n".join(f"- {note}" for note in settled + not_merged)
    return _commit_index(git, index, lines, [ours, theirs], message)


def _actions_left_without_a_fail(
    git: Git, commits: tuple[str, str], finding_ids: list[str]
) -> list[str]:
    """A line for each fail the merge replaced by another laptop's newer answer whose
    finding has a corrective action recorded (on either laptop): the action stays, with
    no fail behind it, and the register shows it apart."""
    if not finding_ids:
        return []
    from auditui.finding_records import file_name, split_id

    session_id = split_id(finding_ids[0])[0]
    recorded = {path for commit in commits for path in _findings_of(git, commit, session_id)}
    return [
        f"finding {finding_id}: its fail was replaced by another laptop's newer answer, "
        "but a corrective action is recorded for it: it stays in the register apart "
        "(orphaned); fail the item again in that session, or close the finding with a "
        "reason"
        for finding_id in finding_ids
        if f"findings/{file_name(finding_id)}" in recorded
    ]


def _not_joined(path: str, why: str, author: str) -> tuple[str, str]:
    """What to say of a file changed on two laptops that the merge could not join (`why`),
    this laptop's version kept at its place and the other's beside it: here, and, in the
    merge commit, to the other laptops (whose "this laptop" is another)."""
    aside = f"{PurePosixPath(path).name}{OTHER_SUFFIX}"
    said = f"changed on two laptops, but {why}: not joined; "
    return (
        said + f"this laptop's version is kept, the other laptop's is beside it as {aside} "
        "(make its changes here by hand, shorter, then delete it)",
        f"{path}: " + said + f"{author}'s version is kept, the one it met is beside it as "
        f"{aside}",
    )


def _move_records(
    git: Git,
    commits: tuple[str | None, str, str],
    old_id: str,
    new_id: str,
    moved: set[str],
    outcome: Outcome,
) -> list[str]:
    """The index lines that move this laptop's findings records of session `old_id` to its
    new id `new_id` (`--index-info`), each path moved added to `moved`.

    This laptop's are those it added or changed since the common commit (`base` to
    `ours`): the records of the session that was renamed. The other laptop's session
    keeps the id, and so do the records that came with it: at each path moved, the one
    brought in stays (`theirs`; none if there was none)."""
    from auditui.sync.resolve import moved_record

    base, ours, theirs = (_findings_of(git, commit, old_id) for commit in commits)
    mine = {path: sha for path, sha in ours.items() if base.get(path) != sha}
    blobs = read_blobs(git, list(mine.values()))
    lines: list[str] = []
    count = 0
    for path, sha in sorted(mine.items()):
        move = moved_record(path, blobs[sha], old_id, new_id) if sha in blobs else None
        if move is None:
            continue
        new_path, data = move
        moved.add(path)
        count += 1
        lines.append(f"0 {_NULL}\t{path}")
        if path in theirs:  # the other laptop's record of its finding: brought in
            lines.append(f"100644 {theirs[path]}\t{path}")
        else:  # gone from here because it moved
            outcome.made_here.add(path)
        lines.append(f"100644 {_write_blob(git, data)}\t{new_path}")
        outcome.made_here.add(new_path)
    if count:
        from auditui.textwidth import plural

        outcome.notes.append(
            f"session {old_id}: its corrective actions typed here went with it to {new_id} "
            f"({plural(count, 'finding')})"
        )
    return lines


def _entries(out: bytes) -> Iterator[tuple[list[bytes], str]]:
    """The entries of `git ls-files -s -z` or `git ls-tree -z` output: the fields before the
    tab (mode, then object and stage, or type and object), and the path."""
    for raw in out.split(b"\0"):
        if raw:
            info, raw_path = raw.split(b"\t", 1)
            yield info.split(), raw_path.decode("utf-8", "surrogateescape")


def _findings_of(git: Git, commit: str | None, session_id: str) -> dict[str, str]:
    """The findings records of session `session_id` in `commit`, path -> blob id."""
    out = git.ok("ls-tree", "-z", commit or EMPTY_TREE, "--", "findings/").out
    prefix = f"findings/{session_id}+"
    records = {}
    for (_mode, kind, sha), path in _entries(out):
        if kind == b"blob" and path.startswith(prefix) and kind_of(path) == "finding":
            records[path] = sha.decode()
    return records


def _commit_index(
    git: Git, index: Path, lines: list[str], parents: list[str], message: str
) -> str:
    """Apply `lines` (`update-index --index-info`) to the scratch `index`, commit its tree
    on `parents` without touching the folder, and remove the index: the new commit."""
    env = {"GIT_INDEX_FILE": str(index)}
    if lines:
        git.ok("update-index", "--index-info", input=("\n".join(lines) + "\n").encode(), env=env)
    tree = git.ok("write-tree", env=env).text.strip()
    with_parents = [arg for parent in parents for arg in ("-p", parent)]
    commit = git.ok(
        "commit-tree", tree, *with_parents, "-F", "-", input=message.encode("utf-8"),
        env=git.identity(),
    ).text.strip()  # fmt: skip
    try:
        index.unlink()
    except FileNotFoundError:
        pass
    return commit


def _write_blob(git: Git, data: bytes) -> str:
    return git.ok("hash-object", "-w", "--stdin", input=data).text.strip()


def _session_ids(git: Git, env: dict[str, str]) -> set[str]:
    """Every session id in the merge and in the folder: a renamed session takes none."""
    out = git.ok("ls-files", "-z", env=env).out
    names = {raw.decode("utf-8", "replace") for raw in out.split(b"\0") if raw}
    names |= {path.name for path in git.folder.iterdir()}
    return {name.rsplit(".", 1)[0] for name in names if "/" not in name}


def _free_id(old: str, taken: set[str]) -> str:
    from auditui.config import laptop_part

    base = f"{old[:130]}-{laptop_part()}"
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    taken.add(candidate)
    return candidate


class _RemoteLocked(Exception):
    """A push found a lock file in the remote (remote_lock.py)."""

    def __init__(self, lock: str) -> None:
        super().__init__(lock)
        self.lock = lock


def _push_past_a_lock(
    git: Git, outcome: Outcome, tell: Callable[[str], None], wait_told: Callable[[str], None]
) -> bool:
    """`_push`, waiting once for a lock in the remote to go (or clearing a stale one)."""
    ours = git.rev("HEAD")
    if ours is None or ours == git.rev(TRACKING):
        return True  # nothing to send
    # Where git pushes, after the user's `insteadOf` rewrites: what `receive_pack` and the
    # messages go by.
    url = git.run("remote", "get-url", "--push", REMOTE).text.strip() or outcome.remote
    try:
        return _push(git, url)
    except _RemoteLocked as locked:
        from auditui.sync import remote_lock

        note = remote_lock.wait_or_clear(locked.lock, url, git.folder, wait_told)
        if note:
            outcome.notes.append(note)
    tell("sending this laptop's work")
    try:
        return _push(git, url)
    except _RemoteLocked as locked:
        from auditui.sync import remote_lock

        raise AudituiError(remote_lock.still_locked(locked.lock)) from None


def _push(git: Git, url: str) -> bool:
    """Send this laptop's commits to the remote at `url`; False when the remote moved on
    first (fetch again).

    `_RemoteLocked` when git could not take the remote's branch lock."""
    from auditui.sync.git import receive_pack

    done = git.run(
        "push", "--porcelain", "--no-verify", *receive_pack(git.program, url),
        REMOTE, f"HEAD:refs/heads/{BRANCH}",
    )  # fmt: skip
    if done.code == 0:
        return True
    said = (done.text + done.err).lower()
    if "[rejected]" in said or "non-fast-forward" in said or "fetch first" in said:
        return False
    if "cannot lock ref" in said and "but expected" in said:
        return False  # another laptop's push moved the branch under this one: fetch again
    from auditui.sync.git import explain, refused_by_remote
    from auditui.sync.remote_lock import locked_file

    lock = locked_file(done.err + done.text)
    if lock is not None:
        raise _RemoteLocked(lock)
    # The remote's own words when it refused the push; its other `remote:` lines (a
    # server's greeting, say) are no reason.
    rejected = "remote rejected" in said or "hook declined" in said
    why = (rejected and refused_by_remote(done.err)) or explain(done.err or done.text, "git push")
    raise AudituiError(why + "; everything is saved here", path=url or git.folder)
