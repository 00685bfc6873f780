"""A SESSION or CHECKLIST argument may be a unique prefix of an id (SPEC): typed on a
shop-floor laptop, `auditui export 2026-12-04-1522` is enough; a prefix that starts
several ids lists them instead of picking one."""

from __future__ import annotations

import tomllib
from datetime import datetime, timedelta, timezone

ICT = timezone(timedelta(hours=7))


def sessions(store, checklist, *starts: datetime) -> list[str]:
    ids = []
    for started in starts:
        writer = store.create(checklist, auditor="A", auditee="B", started=started)
        writer.close()
        ids.append(writer.session.id)
    return ids


def test_a_unique_prefix_names_a_session(store, checklist, sessions_dir, run_cli) -> None:
    first, second = sessions(
        store,
        checklist,
        datetime(2026, 12, 4, 15, 22, tzinfo=ICT),
        datetime(2026, 12, 5, 9, 0, tzinfo=ICT),
    )
    code, out, err = run_cli(
        "export", "2026-12-04", "--format", "toml", "--sessions-dir", sessions_dir
    )
    assert code == 0, err
    assert tomllib.loads(out)["session"]["id"] == first
    code, out, err = run_cli("compare", "2026-12-04", "2026-12-05", "--sessions-dir", sessions_dir)
    assert code == 0, err


def test_an_ambiguous_prefix_lists_the_candidates(store, checklist, sessions_dir, run_cli) -> None:
    first, second = sessions(
        store,
        checklist,
        datetime(2026, 12, 4, 15, 22, tzinfo=ICT),
        datetime(2026, 12, 4, 15, 22, tzinfo=ICT),  # the same minute: "-2" is added
    )
    code, out, err = run_cli("export", "2026-12-04", "--sessions-dir", sessions_dir)
    assert code == 1 and out == ""
    (line,) = err.splitlines()
    assert "is the start of 2 session ids" in line and first in line and second in line
    # The whole of the first id is not a prefix problem: it names that session exactly.
    code, out, err = run_cli("export", first, "--format", "toml", "--sessions-dir", sessions_dir)
    assert code == 0 and tomllib.loads(out)["session"]["id"] == first


def test_a_unique_prefix_names_a_checklist(workdir, make_checklist_text, run_cli) -> None:
    folder = workdir / "checklists"
    folder.mkdir()
    (folder / "x.toml").write_text(make_checklist_text("warehouse-2026"), encoding="utf-8")
    (folder / "y.toml").write_text(make_checklist_text("workshop"), encoding="utf-8")
    code, out, err = run_cli("print", "wareh", "-o", workdir / "blank.html")
    assert code == 0, err
    code, out, err = run_cli("print", "w", "-o", workdir / "blank.html")
    assert code == 1
    assert "is the start of 2 checklist ids: warehouse-2026, workshop" in err


def test_a_kept_copy_does_not_make_a_short_id_ambiguous(
    store, checklist, sessions_dir, run_cli
) -> None:
    """A session replaced while open leaves its version beside it (`<id>.kept-<time>.toml`):
    the short id still names the session, and the copy is reached by its whole name."""
    (session_id,) = sessions(store, checklist, datetime(2026, 12, 4, 15, 22, tzinfo=ICT))
    path = sessions_dir / f"{session_id}.toml"
    kept = path.with_name(f"{session_id}.kept-20261204-153000.toml")
    kept.write_text(path.read_text(encoding="utf-8").replace('auditor = "A"', 'auditor = "K"'))
    code, out, err = run_cli(
        "export", "2026-12-04", "--format", "toml", "--sessions-dir", sessions_dir
    )
    assert code == 0, err
    assert tomllib.loads(out)["session"]["auditor"] == "A"
    code, out, err = run_cli(
        "export", kept.stem, "--format", "toml", "--sessions-dir", sessions_dir
    )
    assert code == 0, err
    assert tomllib.loads(out)["session"]["auditor"] == "K"
    # Two different sessions that share the prefix are still both named.
    sessions(store, checklist, datetime(2026, 12, 4, 15, 40, tzinfo=ICT))
    code, _, err = run_cli("export", "2026-12-04", "--sessions-dir", sessions_dir)
    assert code == 1 and "start of 2 session ids" in err


def test_checklist_option_takes_a_prefix(store, checklist, sessions_dir, workdir, run_cli) -> None:
    """`sessions --checklist` and `findings --checklist` read a prefix as the positional
    arguments do: a unique one lists that checklist's sessions, a prefix of several ids
    names them instead of listing nothing."""
    (session_id,) = sessions(store, checklist, datetime(2026, 12, 4, 15, 22, tzinfo=ICT))
    prefix = checklist.id[:3]
    code, out, err = run_cli(
        "sessions", "--checklist", prefix, "--format", "toml", "--sessions-dir", sessions_dir
    )
    assert code == 0, err
    assert [row["id"] for row in tomllib.loads(out)["sessions"]] == [session_id]
    code, out, err = run_cli(
        "findings", "--checklist", prefix, "--format", "toml", "--sessions-dir", sessions_dir
    )
    assert code == 0, err
    # A second checklist whose id starts the same way: the prefix is refused, naming both.
    other = checklist.id[:3] + "-other"
    folder = workdir / "more-checklists"
    folder.mkdir()
    text = (checklist.path.read_text(encoding="utf-8")
            .replace(f'id = "{checklist.id}"', f'id = "{other}"', 1))  # fmt: skip
    (folder / f"{other}.toml").write_text(text, encoding="utf-8")
    for command in ("sessions", "findings"):
        code, out, err = run_cli(command, "--checklist", prefix, "--sessions-dir", sessions_dir,
                                 "--checklists-dir", folder)  # fmt: skip
        assert code == 1 and out == "", command
        (line,) = err.splitlines()
        assert "is the start of 2 checklist ids" in line and other in line, line
        assert checklist.id in line
