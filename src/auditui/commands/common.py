"""What every command shares: where things live, and how output is written.

The core modules are imported where they are used, so each command loads only
what it needs (`auditui validate` never loads the session store, for one).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from auditui.errors import AudituiError, terminal_text
from auditui.paths import Locations

if TYPE_CHECKING:
    from auditui.catalog import Catalog, Duplicate
    from auditui.repository import SessionRepository
    from auditui.session import Session
    from auditui.store import Unreadable


@dataclass
class Context:
    locations: Locations
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    _told: set[str] = field(default_factory=set, repr=False)

    @property
    def catalog(self) -> Catalog:
        from auditui.catalog import Catalog

        return Catalog(self.locations)

    @cached_property
    def store(self) -> SessionRepository:
        """The sessions, built once (on first use: `validate` never loads the store) and
        handed to whatever the command calls."""
        from auditui.paths import check_sessions_folder
        from auditui.repository import open_repository

        check_sessions_folder(self.locations.sessions_dir)
        return open_repository(self.locations)

    def say(self, line: str) -> None:
        """One line of the command's output (an id, a verdict) to stdout."""
        with writing_output():
            print(line, file=self.stdout)

    def warn(self, message: str | AudituiError | Duplicate) -> None:
        print(f"auditui: {message}", file=self.stderr)

    def warn_set_aside(self) -> None:
        """Name each file a sync set aside in the sessions folder, which no command reads:
        said once by that sync, it stayed in the folder unsaid. The lists say it."""
        from auditui.sync.kinds import OTHER_SUFFIX, set_aside_files

        for path in set_aside_files(self.store.folder):
            name = path.name.removesuffix(OTHER_SUFFIX)
            self.warn(f"{path}: another laptop's version of {name}, set aside by a sync (it "
                      "did not read, could not be joined, or was changed by hand since it "
                      "was sealed or attached); compare it with the one here, then delete "
                      "it")  # fmt: skip

    def warn_journal_left_out(self, *paths: Path | None) -> None:
        """Say so when the journal beside a session read here is not applied (it continues
        another version of the file): its marks are in none of the numbers printed."""
        from auditui.store import Unreadable, left_out_journal

        for path in dict.fromkeys(path for path in paths if path is not None):
            said = left_out_journal(path)
            if said is not None:
                self.warn_unreadable(Unreadable(path, said, listed=True))

    def warn_seal_broken(self, session: Session) -> None:
        """Say so when a finished session given by name was changed since it was sealed:
        what is printed is the file as it is now, not what was signed."""
        from auditui.seal import seal_broken
        from auditui.store import seal_broken_notice

        if session.path is not None and seal_broken(session):  # or its seal taken out
            self.warn_once(str(seal_broken_notice(session.path, session.id)))

    def warn_unreadable(self, unreadable: Unreadable) -> None:
        """Name a file left out, once per command (one may go over the folder twice)."""
        self.warn_once(unreadable.message)

    def warn_once(self, message: str) -> None:
        """`warn`, but a message already given in this command is not given again."""
        if message not in self._told:
            self._told.add(message)
            self.warn(message)

    def emit(self, data: str | bytes, output: str | None = None, *, text: bool = False) -> None:
        """Data to stdout, or atomically into the file named by `-o`. `text` (CSV, Markdown:
        user text as it is) shown on a terminal has its control characters made visible, so
        a note cannot write the clipboard (OSC 52), the window title or clear the screen;
        into a file or a pipe it goes exactly as it is."""
        if isinstance(data, str):  # a file's name not UTF-8: its own bytes, as `ls` gives
            data = data.encode("utf-8", "surrogateescape")
        if output and output != "-":
            from auditui.tomlio import atomic_write

            atomic_write(self.output_path(output), data)
            return
        if text and _is_terminal(self.stdout):
            data = terminal_text(data.decode("utf-8")).encode("utf-8")
        with writing_output():
            self.stdout.flush()
            buffer = getattr(self.stdout, "buffer", None)
            if buffer is not None:
                buffer.write(data)
                buffer.flush()
            else:
                self.stdout.write(data.decode("utf-8"))

    def output_path(self, output: str) -> Path:
        """The file `-o` names, unless auditui would read it as its own
        (`Locations.checked_output`)."""
        return self.locations.checked_output(Path(output))

    def emit_fitted(self, render: Callable[[], str], output: str | None = None) -> None:
        """`emit` the text `render` makes, its lines fitted to the terminal it is shown on
        when that is narrower than `textwidth.WIDTH` (an auditor's laptop: 80 columns),
        where longer lines would wrap and break the columns; into a file or a pipe, `WIDTH`."""
        from auditui.textwidth import lines_of

        columns = self.terminal_columns(output)
        fitted: AbstractContextManager[None] = nullcontext()
        if columns is not None:
            fitted = lines_of(columns)
        with fitted:
            text = render()
        self.emit(text, output)

    def terminal_columns(self, output: str | None = None) -> int | None:
        """The width of the terminal the output is shown on; None when it goes into a file
        or a pipe (where lines keep their full length)."""
        if (output and output != "-") or not _is_terminal(self.stdout):
            return None
        import shutil

        from auditui.textwidth import WIDTH

        return shutil.get_terminal_size((WIDTH, 24)).columns

    def emit_chunks(self, chunks: Iterable[bytes], output: str | None = None) -> None:
        """`emit` of data made piece by piece: to stdout as it comes, so a long list is
        never held whole; into a file, atomically, as `emit` does."""
        if output and output != "-":
            self.emit(b"".join(chunks), output)
            return
        with writing_output():
            self.stdout.flush()
        buffer = getattr(self.stdout, "buffer", None)
        for chunk in chunks:  # made as they come: reading them is not writing the output
            with writing_output():
                if buffer is not None:
                    buffer.write(chunk)
                else:
                    self.stdout.write(chunk.decode("utf-8"))
        if buffer is not None:
            with writing_output():
                buffer.flush()

    def emit_toml(self, document: dict, output: str | None = None) -> None:
        from auditui.tomlio import dumps

        self.emit(dumps(document), output)


class OutputError(AudituiError):
    """stdout could not be written (a full disk): what is printed is incomplete."""


@contextmanager
def writing_output() -> Iterator[None]:
    """Writing to stdout: a full disk under `> file` (or `> /dev/full`) is said as such,
    in one line, not as an internal error. A reader gone (`| head`) is the caller's."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as error:
        raise OutputError(
            f"cannot write the output: {error.strerror or error}; it is incomplete"
        ) from None


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def add_format(parser: argparse.ArgumentParser, choices: tuple[str, ...], default: str) -> None:
    parser.add_argument(
        "--format",
        choices=choices,
        default=default,
        type=_format_name,
        help=f"output format (default: {default})",
    )
    add_output(parser)


def add_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--output", metavar="FILE", type=not_blank, help="write to FILE instead of stdout"
    )


def not_blank(value: str) -> str:
    """An option's value, refused when blank (a script's empty variable): `-o ""` wrote to
    stdout, `--sessions-dir ""` used ./sessions and `--lang ""` no language, as if the
    option had not been given."""
    if not value.strip():
        raise argparse.ArgumentTypeError("an empty value")
    return value


def text(value: str) -> str:
    """A text option's value (a name, a note, a reason), refused when it holds bytes that
    are not UTF-8 (a terminal set to another encoding, a script's Latin-1 file): Python
    hands them on as stand-ins, and they were stored as "\ufffd\ufffd" without a word."""
    for at, char in enumerate(value):
        if "\udc80" <= char <= "\udcff":
            raise argparse.ArgumentTypeError(
                f"not UTF-8 text: byte 0x{ord(char) - 0xDC00:02x} at character {at + 1} "
                "(set the terminal or the script to UTF-8)"
            )
    return value


def _format_name(value: str) -> str:
    """`md` is taken for `markdown`, as the file ending people know it by."""
    return "markdown" if value == "md" else value


def table(rows: list[list[str]], headers: list[str]) -> str:
    """A plain text table, columns padded to their widest cell."""
    from auditui.textwidth import cell_width

    widths = [max(cell_width(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    return "".join(table_line(row, widths) for row in [headers, *rows])


def table_line(row: Iterable[object], widths: Sequence[int]) -> str:
    """One line of a `table`: each cell padded to its column's width, two spaces apart
    (for a table written a line at a time, its widths known beforehand)."""
    from auditui.textwidth import ljust

    cells = [ljust(str(cell), width) for cell, width in zip(row, widths, strict=False)]
    return "  ".join(cells).rstrip() + "\n"
