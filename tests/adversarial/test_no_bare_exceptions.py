"""Inputs that used to escape as RecursionError, TypeError, ValueError or OSError."""

from __future__ import annotations

from pathlib import Path

import pytest

import confcompose as cc


def _deep_dict(levels: int) -> dict[str, object]:
    root: dict[str, object] = {}
    node = root
    for _ in range(levels):
        child: dict[str, object] = {}
        node["a"] = child
        node = child
    node["leaf"] = 1
    return root


def _deep_yaml(levels: int, leaf: str = "leaf: 1") -> str:
    return "".join("  " * i + "a:\n" for i in range(levels)) + "  " * levels + leaf + "\n"


@pytest.mark.parametrize("levels", [300, 2500])
def test_str_of_a_deep_config(levels: int) -> None:
    cfg = cc.create(_deep_yaml(levels))
    text = str(cfg)
    assert text.startswith("{'a': {'a': ") and text.endswith("{'leaf': 1}" + "}" * levels)


def test_repr_matches_the_plain_containers() -> None:
    cfg = cc.create({"a": [1, {"b": "${x}", 2: None}], "c": {}, "d": [], "e": 1.5})
    assert repr(cfg) == repr(cc.to_container(cfg)) and str(cfg.a) == "[1, {'b': '${x}', 2: None}]"


@pytest.mark.parametrize("levels", [600, 2500])
def test_compose_merge_and_export_of_deep_configs(tmp_path: Path, levels: int) -> None:
    (tmp_path / "config.yaml").write_text("defaults:\n  - base\n  - _self_\n" + _deep_yaml(levels))
    (tmp_path / "base.yaml").write_text(_deep_yaml(levels, "other: 2"))
    for action in (
        lambda: cc.compose(tmp_path),
        lambda: cc.resolve(cc.compose(tmp_path)),
        lambda: cc.to_yaml(cc.compose(tmp_path)),
        lambda: cc.merge(cc.load(tmp_path / "base.yaml"), cc.load(tmp_path / "config.yaml")),
    ):
        outcome = _outcome(action)
        assert outcome == "value" or "nested too deeply" in outcome


def _outcome(action: object) -> str:
    try:
        action()  # type: ignore[operator]
    except cc.ConfigError as e:
        return str(e)
    return "value"


def test_a_deep_defaults_chain(tmp_path: Path) -> None:
    (tmp_path / "g").mkdir()
    (tmp_path / "config.yaml").write_text("defaults:\n  - g: n0\n")
    for i in range(150):
        (tmp_path / "g" / f"n{i}.yaml").write_text(f"defaults:\n  - n{i + 1}\nv{i}: 1\n")
    (tmp_path / "g" / "n150.yaml").write_text("z: 1\n")
    with pytest.raises(cc.CompositionError, match="defaults lists nested more than 100 levels"):
        cc.compose(tmp_path)


def test_a_chain_within_the_limit_composes(tmp_path: Path) -> None:
    (tmp_path / "g").mkdir()
    (tmp_path / "config.yaml").write_text("defaults:\n  - g: n0\n")
    for i in range(50):
        (tmp_path / "g" / f"n{i}.yaml").write_text(f"defaults:\n  - n{i + 1}\nv{i}: 1\n")
    (tmp_path / "g" / "n50.yaml").write_text("z: 1\n")
    assert cc.compose(tmp_path).g.z == 1


@pytest.mark.parametrize("container", ["dict", "list"])
def test_assigning_a_cyclic_value(container: str) -> None:
    value: dict[str, object] | list[object]
    if container == "dict":
        value = {"x": 1}
        value["self"] = value
    else:
        value = [1]
        value.append(value)
    cfg = cc.create({})
    with pytest.raises(cc.ConfigTypeError, match="contains itself") as info:
        cfg.b = value
    assert info.value.key_path == "b"
    lst = cc.create([])
    with pytest.raises(cc.ConfigTypeError, match="contains itself"):
        lst.append(value)


def test_assigning_a_very_deep_value() -> None:
    cfg = cc.create({})
    with pytest.raises(cc.ConfigTypeError, match="nested too deeply"):
        cfg.b = _deep_dict(5000)


def test_ints_too_long_for_text() -> None:
    cfg = cc.create({"a": {"b": 10**5000}})
    with pytest.raises(cc.ConfigTypeError, match="digits, Python's limit") as info:
        cc.to_yaml(cfg)
    assert info.value.key_path == "a.b"
    assert str(cfg) == "{'a': {'b': <int of 16610 bits>}}"
