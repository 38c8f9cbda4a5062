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

    def run() -> None:
        cc.to_container(cc.compose(tmp_path, schema=schema), resolve=True)

    with pytest.raises(cc.ConfigError) as info:
        run()
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
        (
            "${oc.env:ADV_NOT_SET_ANYWHERE}",
            "environment variable 'ADV_NOT_SET_ANYWHERE' is not set",
        ),
        ("${oc.decode:'[1'}", "expected a closing ']'"),
        ("${oc.select:}", "resolver 'oc.select' raised TypeError"),
        ("${oc.dict.keys:nope}", "oc.dict.keys: no key 'nope'"),
        ("${oc.create:${oc.env:ADV_NOT_SET_ANYWHERE}}", "is not set"),
    ],
)
def test_resolver_errors_keep_the_key_path_and_position(
    tmp_path: Path, expr: str, words: str
) -> None:
    err = _compose_error(tmp_path, f'top:\n  k: "{expr}"\n')
    assert str(err).startswith(f"{tmp_path / 'config.yaml'}:2:6: top.k: "), str(err)
    assert words in str(err)
    assert err.key_path == "top.k"


@pytest.mark.parametrize("package", ["a..b", ".a", "a.", "."])
def test_a_package_header_with_an_empty_part_is_refused(tmp_path: Path, package: str) -> None:
    (tmp_path / "config.yaml").write_text(f"# @package {package}\nx: 1\n")
    with pytest.raises(cc.YAMLError, match="has an empty part") as info:
        cc.compose(tmp_path)
    assert str(info.value).startswith(f"{tmp_path / 'config.yaml'}:1:1: ")


def test_an_override_without_a_key_says_so(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text("a: 1\n")
    with pytest.raises(cc.OverrideError, match="an override needs a key before '='") as info:
        cc.compose(tmp_path, ["="])
    assert "tuple index" not in str(info.value)


@pytest.mark.parametrize("override", ["model=[0]", "model=[null]", "model=shuffle(0)"])
def test_group_options_that_are_not_names(tmp_path: Path, override: str) -> None:
    (tmp_path / "model").mkdir()
    (tmp_path / "config.yaml").write_text("defaults:\n  - model: a\n")
    (tmp_path / "model" / "a.yaml").write_text("x: 1\n")
    with pytest.raises(cc.CompositionError, match="must be config names"):
        cc.compose(tmp_path, [override])


def test_a_yml_file_is_named_in_the_not_found_message(tmp_path: Path) -> None:
    (tmp_path / "db").mkdir()
    (tmp_path / "config.yaml").write_text("defaults:\n  - db: a\n")
    (tmp_path / "db" / "a.yaml").write_text("x: 1\n")
    (tmp_path / "db" / "x.yml").write_text("x: 2\n")
    with pytest.raises(cc.ConfigNotFoundError) as info:
        cc.compose(tmp_path, ["db=x"])
    assert (
        f"Note: {tmp_path / 'db' / 'x.yml'} exists, but only '.yaml' files are read (not '.yml'); "
        "rename it to x.yaml" in str(info.value)
    )
    (tmp_path / "other.yml").write_text("x: 2\n")
    with pytest.raises(cc.ConfigNotFoundError, match="rename it to other.yaml"):
        cc.compose(tmp_path, config_name="other")


def test_a_self_reference_inside_a_mapping_names_the_cycle(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text("x:\n  a: ${x}\n")
    cfg = cc.compose(tmp_path)
    for action in (
        cc.resolve,
        lambda c: cc.to_container(c, resolve=True),
        lambda c: cc.to_yaml(c, resolve=True),
    ):
        with pytest.raises(cc.InterpolationCycleError, match=r"x\.a -> x") as info:
            action(cfg)
        assert "nested too deeply" not in str(info.value)
