"""Where checklists and sessions live, in one place so tests and users can move them.

Precedence for each folder: the command-line option, then the environment
variable, then the default relative to the current folder (SPEC "Where things live").
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from auditui.errors import AudituiError, UsageError

CHECKLISTS_ENV = "AUDITUI_CHECKLISTS_DIR"
SESSIONS_ENV = "AUDITUI_SESSIONS_DIR"
EXPORTS_ENV = "AUDITUI_EXPORTS_DIR"


def shipped_checklists_dir() -> Path:
    """The checklists packaged with auditui.

    In a wheel they sit inside the package; in a source checkout (or an editable
    install) they are the repository's top-level `checklists/` folder.
    """
    packaged = Path(__file__).resolve().parent / "checklists"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "checklists"


def _folder(option: str | os.PathLike | None, variable: str, default: str) -> str:
    """The folder named by the option, else the environment variable, else the default.

    A name that starts or ends in a space or a line break (a variable read from a file
    with Windows line ends, a stray space after `=`) and names no folder is refused: the
    sessions folder was taken as empty ("No sessions in …", exit 0), then made anew,
    line break and all, on the first save."""
    if option:
        value, source = os.fspath(option), f"--{variable.removeprefix('AUDITUI_')}"
        source = source.lower().replace("_", "-")
    else:
        value, source = os.environ.get(variable) or default, variable
    if isinstance(value, str) and value != value.strip() and not os.path.lexists(value):
        end = "a line break" if "\n" in value or "\r" in value else "a space or tab"
        said = (
            f"{source} names {value!r}, which starts or ends in {end}, and there is no "
            "such folder (take it off)"
        )
        raise UsageError(said) if option else AudituiError(said)  # the command line: 2
    return str(value)


@dataclass(frozen=True)
class Locations:
    """The folders auditui reads and writes."""

    checklists_dir: Path
    sessions_dir: Path
    exports_dir: Path = field(default_factory=lambda: Path(os.path.abspath("exports")))
    """Where exports and reports made from the app go."""

    @classmethod
    def resolve(
        cls,
        checklists_dir: str | os.PathLike | None = None,
        sessions_dir: str | os.PathLike | None = None,
        exports_dir: str | os.PathLike | None = None,
    ) -> Locations:
        """Pick each folder from the option, the environment or the default."""
        # abspath, not Path.absolute(): `../lists` becomes a clean absolute path.
        return cls(
            Path(os.path.abspath(_folder(checklists_dir, CHECKLISTS_ENV, "checklists"))),
            Path(os.path.abspath(_folder(sessions_dir, SESSIONS_ENV, "sessions"))),
            Path(os.path.abspath(_folder(exports_dir, EXPORTS_ENV, "exports"))),
        )

    def checklist_dirs(self) -> list[Path]:
        """Folders searched for checklists, the shipped ones first; later ones win on an id."""
        shipped = shipped_checklists_dir()
        dirs = [shipped]
        if self.checklists_dir.resolve() != shipped.resolve():
            dirs.append(self.checklists_dir)
        return dirs

    def checked_output(self, path: Path, remedy: str = "write it elsewhere") -> Path:
        """`path`, unless auditui would read a file written there as its own: anything in
        the sessions folder (a session replaced by an export is gone from every list), or
        a `.toml` file directly in a checklists folder (read as a checklist). Checked on
        the real path and on the folders' identity, so neither a symbolic link, `..` nor
        another spelling of a name (capitals, on a disk that ignores case) gets round it.
        Used for `-o` and for what the app writes into the exports folder."""
        real = Path(os.path.realpath(path))
        if within(real, self.sessions_dir):
            raise AudituiError(
                "is in the sessions folder, where auditui reads every file as part of the "
                f"audit history; {remedy}",
                path=path,
            )
        if real.suffix.lower() == ".toml" and any(
            same_folder_as(folder)(real.parent) for folder in self.checklist_dirs()
        ):
            raise AudituiError(
                f"is in a checklists folder, where a .toml file is read as a checklist; {remedy}",
                path=path,
            )
        return path


EXPORTS_ELSEWHERE = (
    f"choose an exports folder outside it (--exports-dir, or {EXPORTS_ENV})"
)
"""What to do when the exports folder is one auditui reads its own files from."""


def path_text(path: Path | str) -> str:
    """A path as text for a TOML document: a name whose bytes are not UTF-8 (a folder
    copied from an old drive) holds lone surrogates that no UTF-8 file can carry; they
    are shown as U+FFFD, as a file manager shows them."""
    text = str(path)
    if text.isascii():
        return text
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def check_sessions_folder(folder: Path) -> None:
    """`AudituiError` when the sessions folder is there but is not a folder that can be
    listed (a file, no permission): listing it finds nothing, and every command would
    say "no sessions" of a folder full of them. A folder not made yet is fine: empty."""
    try:
        os.scandir(folder).close()
    except FileNotFoundError:
        return
    except NotADirectoryError:
        what = "is a file, not a folder" if folder.is_file() else "has a file in its path"
        raise AudituiError(f"the sessions folder {what}", path=folder) from None
    except OSError as exc:
        message = f"cannot read the sessions folder: {exc.strerror or exc}"
        raise AudituiError(message, path=folder) from None


def within(path: Path, folder: Path) -> bool:
    """Whether `path` (real, absolute) is `folder` or inside it."""
    same = same_folder_as(folder)
    return any(same(candidate) for candidate in (path, *path.parents))


def same_folder_as(folder: Path) -> Callable[[Path], bool]:
    """A test of whether a path is `folder`: by its real path, or by its identity on disk
    when both exist (a disk that ignores case). The folder is looked at once."""
    real = Path(os.path.realpath(folder))
    try:
        status: os.stat_result | None = os.stat(folder)
    except OSError:  # not there (yet): its path says all there is
        status = None

    def same(candidate: Path) -> bool:
        if candidate == real:
            return True
        if status is None:
            return False
        try:
            return os.path.samestat(os.stat(candidate), status)
        except OSError:
            return False

    return same


def looks_like_path(reference: str) -> bool:
    """Whether a command-line reference names a file (`x.toml`, `dir/x`) rather than an id."""
    return Path(reference).suffix == ".toml" or os.sep in reference or "/" in reference


def toml_files(folder: Path) -> list[Path]:
    """The `.toml` files directly in `folder`, by name; hidden ones (temporary files) and
    anything not a regular file left out; none when `folder` is not a folder."""
    return [folder / name for name in toml_names(folder)]


def toml_names(folder: Path) -> list[str]:
    """The names of `toml_files`: a history of 100,000 sessions is 7 MB of names, where
    as many `Path`s take 36 MB."""
    return sorted(name for name, regular in _toml_entries(folder) if regular)


NOT_A_FILE = "not a regular file (a pipe, a device, a folder or a broken link)"
"""What is said of each of `odd_toml_entries`, a sessions or a checklists folder's."""


def odd_toml_entries(folder: Path) -> list[Path]:
    """What `toml_files` leaves out though it is named like one: a pipe, a device, a
    folder or a broken link called `*.toml` (said to the user, never opened)."""
    return sorted(folder / name for name, regular in _toml_entries(folder) if not regular)


def _toml_entries(folder: Path) -> Iterator[tuple[str, bool]]:
    """(name, is a regular file, links followed) of every `*.toml` entry of `folder` not
    hidden; one pass over the folder, the type from the listing where it says. One at a
    time: a long history's names are held once, sorted, not twice."""
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if not name.endswith(".toml") or name.startswith("."):
                    continue
                try:
                    regular = entry.is_file()
                except OSError:
                    regular = False
                yield name, regular
    except OSError:
        return


def ambiguous(what: str, prefix: str, ids: list[str], shown: int = 5) -> str:
    """The one-line message for a prefix that starts more than one id: the candidates."""
    from auditui.textwidth import some_of

    names = some_of(sorted(ids), shown)
    return f"'{prefix}' is the start of {len(ids)} {what} ids: {names}; type more of it"
