"""Error messages: no secrets, the key path and file:line:col kept, clear wording."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import confcompose as cc

SECRET = "s3cr3t-Value"


@dataclasses.dataclass
class Port:
    port: int = 0


@pytest.fixture(autouse=True)
def _secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADV_SECRET", SECRET)
    monkeypatch.setenv("ADV_SECRET_BRACKET", "[" + SECRET)


def _compose_error(tmp_path: Path, text: str, schema: type | None = None) -> cc.ConfigError:
    (tmp_path / "config.yaml").write_text(text)
    with pytest.raises(cc.ConfigError) as info:
        cfg = cc.compose(tmp_path, schema=schema)
        cc.to_container(cfg, resolve=True)
    return info.value


def test_a_secret_that_does_not_convert_is_not_echoed(tmp_path: Path) -> None:
    err = _compose_error(tmp_path, "port: ${oc.env:ADV_SECRET}\n", schema=Port)
    assert SECRET not in str(err)
    assert "${oc.env:ADV_SECRET}" in str(err)
    assert str(err).startswith(f"{tmp_path / 'config.yaml'}:1:7: port: ")


def test_a_secret_passed_to_a_failing_resolver_is_not_echoed(tmp_path: Path) -> None:
    err = _compose_error(tmp_path, "top:\n  k: ${oc.decode:${oc.env:ADV_SECRET_BRACKET}}\n")
    assert SECRET not in str(err)
    assert "<hidden: value of ${oc.env:ADV_SECRET_BRACKET}>" in str(err)


@pytest.mark.parametrize(
    ("expr", "words"),
    [
        ("${oc.env:ADV_NOT_SET_ANYWHERE}", "environment variable 'ADV_NOT_SET_ANYWHERE' is not set"),
        ("${oc.decode:'[1'}", "expected a closing ']'"),
        ("${oc.select:}", "resolver 'oc.select' raised TypeError"),
        ("${oc.dict.keys:nope}", "oc.dict.keys: no key 'nope'"),
        ("${oc.create:${oc.env:ADV_NOT_SET_ANYWHERE}}", "is not set"),
    ],
)
def test_resolver_errors_keep_the_key_path_and_position(
    tmp_path: Path, expr: str, words: str
) -> None:
    err = _compose_error(tmp_path, f"top:\n  k: \"{expr}\"\n")
    assert str(err).startswith(f"{tmp_path / 'config.yaml'}:2:6: top.k: "), str(err)
    assert words in str(err)
    assert err.key_path == "top.k"
