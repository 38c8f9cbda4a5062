"""The composer's on-disk cache of parsed files: same results, invalidation, safety."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import confcompose as cc
from confcompose.composition import repository


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CONFCOMPOSE_CACHE_DIR", str(tmp_path / "cache"))
    conf = tmp_path / "conf"
    (conf / "db").mkdir(parents=True)
    (conf / "config.yaml").write_text(
        "defaults:\n  - db: mysql\n  - _self_\nurl: ${db.host}:${db.port}\n"
    )
    (conf / "db" / "mysql.yaml").write_text("host: localhost\nport: 3306\n")
    return conf


def _pickles(tree: Path) -> list[Path]:
    return sorted((tree.parent / "cache").rglob("*.json"))


def _fresh(path: str) -> repository.Loaded:
    repository._PARSED.clear()  # forget the in-process cache, as a new process would
    return repository.load_file_cached(path)


def test_hit_gives_the_same_config_and_locations(tree: Path) -> None:
    path = str(tree / "db" / "mysql.yaml")
    first = _fresh(path)
    assert len(_pickles(tree)) == 1
    second = _fresh(path)
    assert second[0] is not first[0]
    assert (
        cc.to_container(second[0])
        == cc.to_container(first[0])
        == {"host": "localhost", "port": 3306}
    )
    assert second[0]._origins == first[0]._origins


def test_edited_file_is_parsed_again(tree: Path) -> None:
    path = tree / "db" / "mysql.yaml"
    _fresh(str(path))
    path.write_text("host: remote\nport: 1\n")
    assert cc.to_container(_fresh(str(path))[0]) == {"host": "remote", "port": 1}
    assert len(_pickles(tree)) == 2


def test_corrupt_entry_is_ignored(tree: Path) -> None:
    path = str(tree / "db" / "mysql.yaml")
    _fresh(path)
    (pickle_file,) = _pickles(tree)
    pickle_file.write_bytes(b"not a pickle")
    assert cc.to_container(_fresh(path)[0]) == {"host": "localhost", "port": 3306}


def test_switched_off(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONFCOMPOSE_CACHE", "0")
    _fresh(str(tree / "db" / "mysql.yaml"))
    assert _pickles(tree) == []


def test_unwritable_cache_dir_only_costs_speed(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tree.parent / "file-not-dir"
    blocker.write_text("x")
    monkeypatch.setenv("CONFCOMPOSE_CACHE_DIR", str(blocker))
    assert cc.to_container(_fresh(str(tree / "db" / "mysql.yaml"))[0])["port"] == 3306


def test_second_process_skips_yaml_parsing(tree: Path) -> None:
    code = (
        "import sys, confcompose as cc\n"
        f"cfg = cc.compose({str(tree)!r}, ['db.port=1'])\n"
        "print(cc.to_container(cfg, resolve=True)['url'], 'ruamel.yaml' in sys.modules)\n"
    )
    env = dict(os.environ)
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        ).stdout.split()
        for _ in range(2)
    ]
    assert runs == [["localhost:1", "True"], ["localhost:1", "False"]]
