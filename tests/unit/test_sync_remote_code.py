"""A remote never runs code on a laptop that syncs, and says why when it refuses a push.

A remote on a shared drive is a folder: git starts that repository's `receive-pack` on
this laptop, with its hooks. Real repositories on the local disk; the "server" is the same
disk reached through git's SSH transport (a stand-in for ssh that runs the command here).
"""

from __future__ import annotations

import stat
from pathlib import Path

from sync_helpers import Laptop, bare_remote, git

HOOKS = ("pre-receive", "update", "post-receive", "post-update", "reference-transaction")


def hook(folder: Path, name: str, body: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def test_a_shared_drive_remote_runs_none_of_its_hooks_here(
    tmp_path, checklist, run_cli, monkeypatch
) -> None:
    remote = bare_remote(tmp_path / "drive" / "audits.git")
    ran = tmp_path / "ran.log"
    for name in HOOKS:
        hook(remote / "hooks", name, f'echo "$0" >> {ran}')
    mai = Laptop(tmp_path, "Mai", "mai1", remote, monkeypatch)
    mai.start(checklist, {"4.1-a": "fail"})
    code, _, err = mai.sync(run_cli)
    assert code == 0, err
    mai.start(checklist, {"4.2-a": "pass"})
    code, _, err = mai.sync(run_cli)
    assert code == 0, err
    assert not ran.exists()
    assert len(git_log(remote)) == 2  # sent all the same


def test_a_shared_drive_remotes_config_runs_no_command_here(
    tmp_path, checklist, run_cli, monkeypatch
) -> None:
    """Hooks off was not enough: `receive-pack` read the remote's config, and a command
    in it (`core.alternateRefsCommand`, run when the remote borrows objects from another
    repository) ran on this laptop."""
    remote = bare_remote(tmp_path / "drive" / "audits.git")
    other = bare_remote(tmp_path / "drive" / "other.git")
    (remote / "objects" / "info" / "alternates").write_text(f"{other}/objects\n")
    ran = tmp_path / "ran.log"
    git("--git-dir", remote, "config", "core.alternateRefsCommand", f"echo x >> {ran}; true")
    git("--git-dir", remote, "config", "receive.autogc", "true")
    git("--git-dir", remote, "config", "gc.auto", "1")
    hook(tmp_path / "gc-hooks", "pre-auto-gc", f"echo gc >> {ran}")
    git("--git-dir", remote, "config", "core.hooksPath", str(tmp_path / "gc-hooks"))
    mai = Laptop(tmp_path, "Mai", "mai1", remote, monkeypatch)
    mai.start(checklist, {"4.1-a": "fail"})
    for _ in range(2):
        code, _, err = mai.sync(run_cli)
        assert code == 0, err
        mai.start(checklist, {"4.2-a": "pass"})
    assert not ran.exists()


def test_a_remote_rewritten_to_a_folder_by_the_users_git_is_taken_as_one(
    tmp_path, checklist, run_cli, monkeypatch
) -> None:
    """`url.<folder>.insteadOf share:` in the user's own git config: the remote typed as
    `share:audits.git` is a folder on this laptop, and its hooks ran."""
    share = tmp_path / "share"
    remote = bare_remote(share / "audits.git")
    ran = tmp_path / "ran.log"
    for name in HOOKS:
        hook(remote / "hooks", name, f'echo "$0" >> {ran}')
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text(f'[url "{share}/"]\n\tinsteadOf = share:\n', "utf-8")
    monkeypatch.setenv("HOME", str(home))
    mai = Laptop(tmp_path, "Mai", "mai1", "share:audits.git", monkeypatch)
    mai.start(checklist, {"4.1-a": "fail"})
    code, _, err = mai.sync(run_cli)
    assert code == 0, err
    assert not ran.exists() and len(git_log(remote)) == 1


def test_the_users_own_hooks_folder_does_not_stop_a_push(
    tmp_path, checklist, run_cli, monkeypatch
) -> None:
    """A global `core.hooksPath` with a hook that fails: git's receive-pack would run it
    for a folder remote, and the push failed with "the remote end hung up"."""
    hooks = tmp_path / "my-hooks"
    for name in HOOKS:
        hook(hooks, name, "exit 1")
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text(f"[core]\n\thooksPath = {hooks}\n", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    remote = bare_remote(tmp_path / "audits.git")
    mai = Laptop(tmp_path, "Mai", "mai1", remote, monkeypatch)
    mai.start(checklist, {"4.1-a": "fail"})
    code, _, err = mai.sync(run_cli)
    assert code == 0, err
    assert len(git_log(remote)) == 1


def test_a_server_that_refuses_a_push_is_heard_with_its_reason(
    tmp_path, checklist, run_cli, monkeypatch
) -> None:
    remote = bare_remote(tmp_path / "server" / "audits.git")
    hook(remote / "hooks", "pre-receive", 'echo "audit period closed: ask Khun Dao" >&2; exit 1')
    fake_ssh = tmp_path / "fake-ssh"
    hook(fake_ssh.parent, fake_ssh.name, 'shift\nexec sh -c "$*"')  # host, then the command
    monkeypatch.setenv("GIT_SSH_COMMAND", str(fake_ssh))
    monkeypatch.setenv("GIT_SSH_VARIANT", "simple")
    mai = Laptop(tmp_path, "Mai", "mai1", f"qa-server:{remote}", monkeypatch)
    mai.start(checklist, {"4.1-a": "fail"})
    code, _, err = mai.sync(run_cli)
    assert code == 1
    assert "audit period closed: ask Khun Dao" in err
    assert "everything is saved here" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def git_log(repository: Path) -> list[str]:
    return git("--git-dir", repository, "log", "--format=%H", "main").split()


