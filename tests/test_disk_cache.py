"""The composer's on-disk cache of parsed files: same results, invalidation, safety."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import confcompose as cc
from confcompose.composition import diskcache, repository


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
    # A hit neither parses YAML (ruamel) nor imports the json package (the C scanner reads).
    code = (
        "import sys\nhad_json = 'json' in sys.modules\nimport confcompose as cc\n"
        f"cfg = cc.compose({str(tree)!r}, ['db.port=1'])\n"
        "print(cc.to_container(cfg, resolve=True)['url'], 'ruamel.yaml' in sys.modules,"
        " 'json' in sys.modules and not had_json)\n"
    )
    env = dict(os.environ)
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
        ).stdout.split()
        for _ in range(2)
    ]
    assert runs == [["localhost:1", "True", "True"], ["localhost:1", "False", "False"]]


# -- the entry decoder is json.loads ------------------------------------------------------------

JSON_DATA = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(["\ud800", '"', "\\"])),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=20,
)


@given(JSON_DATA, st.sampled_from(["", " ", "\n\t "]))
def test_json_loads_is_json_loads(data: Any, pad: str) -> None:
    import json
    import math

    raw = (pad + json.dumps(data, ensure_ascii=False) + pad).encode("utf-8", "surrogatepass")
    got, expected = diskcache.json_loads(raw), json.loads(raw)
    assert json.dumps(got) == json.dumps(expected)  # NaN-safe equality
    assert not isinstance(got, float) or math.isnan(got) or got == expected


@pytest.mark.parametrize(
    "raw", [b"", b"{", b'{"a": 1} x', b"[1,]", b"nul", b'"\\x"', b"\xff", b"{} {}"]
)
def test_json_loads_refuses_what_json_refuses(raw: bytes) -> None:
    import json

    with pytest.raises(ValueError):
        json.loads(raw)
    with pytest.raises((ValueError, StopIteration)):
        diskcache.json_loads(raw)


# -- origins survive the entry encoding --------------------------------------------------------

_FILE = "/conf/db.yaml"


@pytest.mark.parametrize(
    "where",
    [
        pytest.param(cc.Location(_FILE, 3, 7), id="position"),
        pytest.param(cc.Location(_FILE, 300_000, 2_000_000), id="column-beyond-20-bits"),
        pytest.param(cc.Location(_FILE, None, None), id="no-line"),
        pytest.param(cc.Location("/other.yaml", 1, 1), id="other-file"),
        pytest.param(cc.Location(None, 0, 4, "override", "a=1"), id="override"),
        pytest.param((cc.Location(_FILE, 1, 1), cc.Location(_FILE, 9, 3)), id="history"),
        pytest.param(None, id="none"),
    ],
)
def test_entry_encoding_keeps_origins(where: Any) -> None:
    from confcompose.tree import new_dict, new_list, origins

    node = new_dict({"a": 1, "l": new_list(["x"], [where])}, {"a": where})
    encoded = json.loads(json.dumps(diskcache._encode(node, _FILE)))
    decoded = diskcache._decode(encoded, _FILE)
    assert origins(decoded).get("a") == where
    assert origins(decoded["l"]) == [cc.Location() if where is None else where]
