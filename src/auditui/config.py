"""What belongs to this laptop rather than to any folder: its auditor and its id part.

Kept in `config.toml` in the user's config folder (platformdirs: `~/.config/auditui` on
Linux, `~/Library/Application Support/auditui` on macOS, `%LOCALAPPDATA%\\auditui` on
Windows; `AUDITUI_CONFIG_DIR` moves it). The laptop part is a short random tag made once
and put into every new session id, so two laptops that share a sessions folder through
`auditui sync` never make the same id. The auditor is the name a sync writes into the
history. A missing or broken file is never fatal: the defaults are used (and a broken
file is left alone, never overwritten), and the command line says so once (`problem`).
"""

from __future__ import annotations

import getpass
import os
import re
from pathlib import Path
from typing import Any

from auditui.errors import AudituiError
from auditui.tomlio import atomic_write, decode_text, dumps, parse_toml, read_bytes

CONFIG_ENV = "AUDITUI_CONFIG_DIR"
FILE_NAME = "config.toml"
LAPTOP_PART = re.compile(r"[a-z0-9]{4,12}")
_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: read aloud without doubt


def config_dir() -> Path:
    configured = os.environ.get(CONFIG_ENV, "").strip()
    if configured:
        return Path(configured)
    from platformdirs import user_config_dir

    return Path(user_config_dir("auditui", appauthor=False))


def config_path() -> Path:
    return config_dir() / FILE_NAME


notice: AudituiError | None = None
"""A value of the config file that is not used as it is (a laptop id not of its form):
said at the end of the command, the rest of the file read."""
problem: AudituiError | None = None
"""Why the config file could not be read, when it could not: said at the end of the
command (the laptop's tag and auditor then come from the defaults)."""


def _read() -> dict[str, Any] | None:
    """The config document; {} when there is none, None when it cannot be read or holds
    a value of the wrong kind (`laptop = "x"`, an `id` that is a number): taken as it
    was, a wrong kind was replaced without a word, or gave every run a new laptop tag."""
    global problem
    path = config_path()
    try:
        document = parse_toml(decode_text(read_bytes(path, what="config file"), path), path)
        _check_kinds(document, path)
    except AudituiError as error:
        try:
            # lstat: a link to itself (or to nothing) is a file that cannot be read, said;
            # exists() took it for no file, and every run got a new laptop tag unsaid.
            path.lstat()
            missing = False
        except FileNotFoundError:
            missing = True
        except OSError:  # a folder that cannot be read: said, not fatal
            missing = False
        if missing:
            return {}
        problem = error
        return None
    return document


def _check_kinds(document: dict[str, Any], path: Path) -> None:
    laptop = document.get("laptop", {})
    if not isinstance(laptop, dict):
        raise AudituiError("must be a table ([laptop])", path=path, key="laptop")
    for name in ("id", "machine", "auditor"):
        if name in laptop and not isinstance(laptop[name], str):
            raise AudituiError("must be text in quotes", path=path, key=f"laptop.{name}")



def _write(document: dict[str, Any]) -> None:
    folder = config_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AudituiError(
            f"cannot create the config folder: {exc.strerror or exc}", path=folder
        ) from None
    atomic_write(config_path(), dumps(document).encode("utf-8"))


def laptop_part() -> str:
    """This laptop's tag for session ids, made (and saved) the first time it is asked for.

    The tag is kept with the machine it was made on (`this_machine`): a config folder
    copied onto another laptop, the auditor's name and all, gets a tag of its own there,
    or two laptops would give one id to sessions started in the same minute. A tag saved
    before machines were noted is kept, and noted as this machine's. When the config
    folder cannot be written the tag still differs between laptops (a fresh random one),
    just not from one run to the next.
    """
    document = _read()
    laptop = (document or {}).get("laptop", {})
    tag = laptop.get("id") if isinstance(laptop, dict) else None
    made_on = laptop.get("machine") if isinstance(laptop, dict) else None
    machine = this_machine()
    if isinstance(tag, str) and LAPTOP_PART.fullmatch(tag) and made_on in (machine, None):
        if made_on is None and document is not None:
            _save_part(document, tag, machine)
        return tag
    if isinstance(tag, str) and made_on in (machine, None):  # typed by hand, not of its form
        global notice
        notice = AudituiError(
            "must be 4 to 12 lowercase letters or digits (it ends each new session's id); "
            f"'{_tag_from(tag)}', made from it, is used until it is mended",
            path=config_path(),
            key="laptop.id",
        )
        return _tag_from(tag)
    import secrets  # once per laptop: not loaded by every start

    tag = "".join(secrets.choice(_ALPHABET) for _ in range(4))
    if document is not None and isinstance(laptop, dict):
        _save_part(document, tag, machine)
    return tag


def _tag_from(text: str) -> str:
    """A tag of the right form made from `text`, the same every run (not saved: the file
    is the person's to mend)."""
    import hashlib

    digest = hashlib.sha256(text.encode("utf-8", "replace")).digest()
    return "".join(_ALPHABET[byte % len(_ALPHABET)] for byte in digest[:4])


def _save_part(document: dict[str, Any], tag: str, machine: str) -> None:
    laptop = document.setdefault("laptop", {})
    laptop["id"] = tag
    laptop["machine"] = machine
    try:
        _write(document)
    except AudituiError:
        pass


def this_machine() -> str:
    """What tells this computer from another, as 16 hex digits of a SHA-256: the system's
    machine id where there is one (Linux; not an empty or "uninitialized" one, as
    containers ship it), else the host name and network address (left out when Python
    could only make up a random one)."""
    import hashlib
    import socket

    parts = [socket.gethostname()]
    for known in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        try:
            machine_id = Path(known).read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            continue
        if machine_id and machine_id != "uninitialized":  # as containers ship it
            parts = [machine_id]
            break
    else:
        import uuid

        node = uuid.getnode()
        if not node & (1 << 40):  # a real address: a made-up one has the multicast bit
            parts.append(f"{node:012x}")
    return hashlib.sha256("\n".join(parts).encode("utf-8", "replace")).hexdigest()[:16]


def auditor_name() -> str:
    """The auditor set for this laptop (`sync --as NAME`), else the system user's name."""
    document = _read() or {}
    laptop = document.get("laptop", {})
    name = laptop.get("auditor") if isinstance(laptop, dict) else None
    if isinstance(name, str) and name.strip():
        return name.strip()
    try:
        return getpass.getuser() or "auditor"
    except (OSError, KeyError, ImportError):
        return "auditor"


def set_auditor_name(name: str) -> None:
    """Remember `name` as this laptop's auditor; `AudituiError` when the config file is
    broken (it is not overwritten) or cannot be written."""
    document = _read()
    if document is None:
        raise AudituiError(
            "cannot read the config file; fix or delete it, then try again", path=config_path()
        )
    laptop = document.setdefault("laptop", {})
    if not isinstance(laptop, dict):
        raise AudituiError("[laptop] must be a table", path=config_path())
    laptop["auditor"] = name
    _write(document)
