"""Config files that are not ordinary: FIFOs, devices, directories, huge or unreadable files,
and files added after the first compose."""

from __future__ import annotations

import gc
import os
import re
import sys
import time
from pathlib import Path

import pytest

import confcompose as cc
from confcompose.composition import composer as composer_module
from confcompose.context import Resolvers

POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file types")


def _tree(tmp_path: Path) -> Path:
    conf = tmp_path / "conf"
    (conf / "db").mkdir(parents=True)
    (conf / "config.yaml").write_text("defaults:\n  - db: a\n")
    (conf / "db" / "a.yaml").write_text("x: 1\n")
    return conf


@POSIX
@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: os.mkfifo(p), "is a FIFO (named pipe), not a regular config file"),
        (lambda p: os.symlink("/dev/zero", p), "is a character device, not a regular config file"),
    ],
    ids=["fifo", "dev-zero"],
)
def test_special_files_are_refused_at_once(tmp_path: Path, make: object, words: str) -> None:
    conf = _tree(tmp_path)
    make(str(conf / "db" / "b.yaml"))  # type: ignore[operator]
    with pytest.raises(cc.ConfigError, match=re.escape(words)) as info:
        cc.compose(conf, ["db=b"])
    assert str(info.value).startswith(str(conf / "db" / "b.yaml"))
    with pytest.raises(cc.ConfigError, match=re.escape(words)):
        cc.load(conf / "db" / "b.yaml")


def test_a_file_over_the_size_limit_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conf = _tree(tmp_path)
    (conf / "db" / "big.yaml").write_text("x: " + "y" * 3000 + "\n")
    monkeypatch.setenv("CONFCOMPOSE_MAX_FILE_MB", str(2000 / 1024 / 1024))
    with pytest.raises(cc.ConfigError, match="CONFCOMPOSE_MAX_FILE_MB"):
        cc.compose(conf, ["db=big"])
    with pytest.raises(cc.ConfigError, match="CONFCOMPOSE_MAX_FILE_MB"):
        cc.load(conf / "db" / "big.yaml")


def test_load_of_a_directory_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(cc.ConfigError, match="is a directory"):
        cc.load(tmp_path)


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() == 0, reason="root reads anything")
def test_unreadable_file_is_a_config_error(tmp_path: Path) -> None:
    conf = _tree(tmp_path)
    (conf / "db" / "a.yaml").chmod(0)
    with pytest.raises(cc.ConfigError, match="cannot read"):
        cc.compose(conf)


def test_an_option_added_after_the_first_compose_is_found(tmp_path: Path) -> None:
    conf = _tree(tmp_path)
    assert cc.compose(conf, ["db=a"]).db.x == 1
    time.sleep(0.06)  # past the window in which a listing counts as racy
    assert cc.compose(conf, ["db=a"]).db.x == 1  # listing now settled
    (conf / "db" / "b.yaml").write_text("x: 2\n")
    assert cc.compose(conf, ["db=b"]).db.x == 2
    (conf / "extra").mkdir()
    (conf / "extra" / "e.yaml").write_text("y: 3\n")
    assert cc.compose(conf, ["+extra=e"]).extra.y == 3
    (conf / "db" / "b.yaml").unlink()
    with pytest.raises(cc.ConfigNotFoundError):
        cc.compose(conf, ["db=b"])


def test_composers_for_new_registries_are_not_kept_forever(tmp_path: Path) -> None:
    conf = _tree(tmp_path)
    for _ in range(200):
        cc.compose(conf, resolvers=Resolvers())
    gc.collect()
    assert len(composer_module._COMPOSERS) <= composer_module._COMPOSERS_MAX


@pytest.mark.parametrize(
    ("files", "overrides"),
    [
        ({"config.yaml": "defaults:\n  - ../secret\n"}, []),
        ({"config.yaml": "defaults:\n  - g: x\n", "g/x.yaml": "defaults:\n  - ../../secret\n"}, []),
        ({"config.yaml": "defaults:\n  - g: x\n", "g/x.yaml": "a: 1\n"}, ["g=../../secret"]),
        ({"config.yaml": "a: 1\n", "g/x.yaml": "a: 1\n"}, ["+g=../../secret"]),
    ],
    ids=["primary-defaults", "group-defaults", "group-override", "append-override"],
)
def test_dotdot_never_leaves_the_config_folder(
    tmp_path: Path, files: dict[str, str], overrides: list[str]
) -> None:
    (tmp_path / "secret.yaml").write_text("password: hunter2\n")
    conf = tmp_path / "conf"
    for name, text in files.items():
        (conf / name).parent.mkdir(parents=True, exist_ok=True)
        (conf / name).write_text(text)
    with pytest.raises(cc.ConfigError) as info:
        cc.compose(conf, overrides)
    assert "hunter2" not in str(info.value)


def test_dotdot_inside_the_folder_loads_the_parent_group_config(tmp_path: Path) -> None:
    (tmp_path / "solver" / "compression").mkdir(parents=True)
    (tmp_path / "config.yaml").write_text("defaults:\n  - solver/compression: default\n")
    (tmp_path / "solver" / "default.yaml").write_text("lr: 1\n")
    (tmp_path / "solver" / "compression" / "default.yaml").write_text(
        "defaults:\n  - ../default@_here_\n  - _self_\nc: 2\n"
    )
    assert cc.to_container(cc.compose(tmp_path)) == {"solver": {"compression": {"lr": 1, "c": 2}}}
