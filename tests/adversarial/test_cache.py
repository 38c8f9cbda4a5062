"""S1: the parse cache cannot run code, trusts only the user's own folders, and is capped."""

from __future__ import annotations

import json
import os
import pickle
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import confcompose as cc
from confcompose.composition import diskcache, repository

ROOT_ONLY = pytest.mark.skipif(
    not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to chown to another user"
)
POSIX = pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CONFCOMPOSE_CACHE_DIR", str(tmp_path / "cache"))
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "config.yaml").write_text("user: alice\nport: 5432\n")
    (conf / "other.yaml").write_text("user: mallory\nport: 1\n")
    return conf


def _fresh(path: Path) -> dict[str, object]:
    repository._PARSED.clear()  # forget the in-process cache, as a new process would
    node, _ = repository.load_file_cached(str(path))
    return cc.to_container(node)  # type: ignore[no-any-return]


def _entries(tree: Path) -> list[Path]:
    return sorted((tree.parent / "cache").rglob("*.json"))


class _Evil:
    def __reduce__(self) -> tuple[object, ...]:
        return (os.mkdir, (os.environ["EVIL_MARKER"],))


def test_entries_are_data_not_pickles(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fresh(tree / "config.yaml")
    (entry,) = _entries(tree)
    doc = json.loads(entry.read_text())
    assert doc["id"]["sha256"] == diskcache.digest_of((tree / "config.yaml").read_bytes())
    # An attacker's pickle in the entry's place is never unpickled.
    marker = tree.parent / "pwned"
    monkeypatch.setenv("EVIL_MARKER", str(marker))
    entry.write_bytes(pickle.dumps(_Evil()))
    assert _fresh(tree / "config.yaml") == {"user": "alice", "port": 5432}
    assert not marker.exists()


def test_entry_is_bound_to_the_source_bytes(tree: Path) -> None:
    _fresh(tree / "config.yaml")
    _fresh(tree / "other.yaml")
    mine, theirs = (
        next(e for e in _entries(tree) if json.loads(e.read_text())["id"]["path"].endswith(n))
        for n in ("config.yaml", "other.yaml")
    )
    # Swap the content of another file's entry in: its id (path + hash) does not match.
    mine.write_text(theirs.read_text())
    assert _fresh(tree / "config.yaml") == {"user": "alice", "port": 5432}
    assert _fresh(tree / "other.yaml") == {"user": "mallory", "port": 1}


@POSIX
def test_symlinked_entry_is_not_followed(tree: Path) -> None:
    _fresh(tree / "config.yaml")
    (entry,) = _entries(tree)
    forged = json.loads(entry.read_text())
    forged["node"]["v"][0] = "mallory"
    target = tree.parent / "forged.json"
    target.write_text(json.dumps(forged))
    entry.unlink()
    entry.symlink_to(target)
    assert _fresh(tree / "config.yaml")["user"] == "alice"


@POSIX
@pytest.mark.parametrize("mode", [0o777, 0o770, 0o722], ids=["world", "group", "go-write"])
def test_writable_by_others_is_not_trusted(tree: Path, mode: int) -> None:
    _fresh(tree / "config.yaml")
    (entry,) = _entries(tree)
    forged = json.loads(entry.read_text())
    forged["node"]["v"][0] = "mallory"
    entry.write_text(json.dumps(forged))
    assert _fresh(tree / "config.yaml")["user"] == "mallory"  # our own folder: trusted
    entry.parent.chmod(mode)
    assert _fresh(tree / "config.yaml")["user"] == "alice"


@ROOT_ONLY
def test_folder_owned_by_another_user_is_not_trusted(tree: Path) -> None:
    _fresh(tree / "config.yaml")
    (entry,) = _entries(tree)
    forged = json.loads(entry.read_text())
    forged["node"]["v"][0] = "mallory"
    entry.write_text(json.dumps(forged))
    os.chown(tree.parent / "cache", 65534, -1)
    assert _fresh(tree / "config.yaml")["user"] == "alice"
    os.chown(tree.parent / "cache", 0, -1)
    os.chown(entry, 65534, -1)
    assert _fresh(tree / "config.yaml")["user"] == "alice"


@POSIX
def test_folders_are_created_private_under_umask_0(tree: Path) -> None:
    old = os.umask(0)
    try:
        _fresh(tree / "config.yaml")
    finally:
        os.umask(old)
    (entry,) = _entries(tree)
    for folder in (entry.parent, entry.parent.parent, entry.parent.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    assert stat.S_IMODE(entry.stat().st_mode) == 0o600


@POSIX
def test_symlinked_cache_root_is_refused(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tree.parent / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    link = tree.parent / "link"
    link.symlink_to(elsewhere)
    monkeypatch.setenv("CONFCOMPOSE_CACHE_DIR", str(link))
    assert _fresh(tree / "config.yaml")["user"] == "alice"
    assert list(elsewhere.rglob("*.json")) == []


def test_size_cap_prunes_oldest(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for i in range(5):
        (tree / f"f{i}.yaml").write_text("".join(f"k{j}: 0123456789\n" for j in range(20)))
        _fresh(tree / f"f{i}.yaml")
    assert len(_entries(tree)) == 5
    biggest = max(e.stat().st_size for e in _entries(tree))
    monkeypatch.setenv("CONFCOMPOSE_CACHE_MAX_MB", str(2.5 * biggest / 1024 / 1024))
    assert diskcache.prune() == 3
    assert len(_entries(tree)) == 2
    monkeypatch.setenv("CONFCOMPOSE_CACHE_MAX_DAYS", "0")
    diskcache.prune()
    assert _entries(tree) == []


def test_cache_info_and_clear_commands(tree: Path) -> None:
    _fresh(tree / "config.yaml")
    env = {**os.environ, "CONFCOMPOSE_CACHE_DIR": str(tree.parent / "cache")}
    run = [sys.executable, "-m", "confcompose.app.cli", "cache"]
    info = subprocess.run([*run, "info"], capture_output=True, text=True, env=env, check=True)
    assert "entries: 1\n" in info.stdout and str(tree.parent / "cache") in info.stdout
    clear = subprocess.run([*run, "clear"], capture_output=True, text=True, env=env, check=True)
    assert clear.stdout == "removed 1 cached entries\n"
    assert _entries(tree) == []
