"""The node methods and error classes the OmegaConf facade relies on, tested on the core."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

import confcompose as cc
from confcompose.errors import (
    ConfigIndexError,
    InterpolationValidationError,
    UnsupportedValueError,
)
from confcompose.parsing.yaml import load_value


@dataclasses.dataclass
class Port:
    port: int = 1


def _merged(cfg: Any, *others: Any) -> Any:
    cfg.merge_with(*others)
    return cc.to_container(cfg)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        pytest.param(
            lambda: _merged(cc.create({"a": {"b": 1}}), {"a": {"c": 2}}, cc.create({"d": 3})),
            {"a": {"b": 1, "c": 2}, "d": 3},
            id="dicts-and-configs",
        ),
        pytest.param(lambda: _merged(cc.create([1, 2]), [3]), [3], id="list-replaced"),
        pytest.param(lambda: _merged(cc.create({"a": 1}), None), {"a": 1}, id="none-is-empty"),
        pytest.param(
            lambda: _merged(cc.create({"s": {}}), {"s": Port}), {"s": {"port": 1}}, id="dataclass"
        ),
        pytest.param(
            lambda: _merged(cc.create(Port), {"port": "5"}), {"port": 5}, id="into-structured"
        ),
        pytest.param(lambda: _merged(cc.create({"a": 1}).copy(), {"a": 2}), {"a": 2}, id="copy"),
    ],
)
def test_merge_with(make: Any, expected: Any) -> None:
    assert make() == expected


@pytest.mark.parametrize(
    ("make", "error"),
    [
        pytest.param(
            lambda: cc.create(Port).merge_with({"nope": 1}), cc.ConfigKeyError, id="schema"
        ),
        pytest.param(
            lambda: cc.create(Port).merge_with({"port": "x"}), cc.ValidationError, id="type"
        ),
        pytest.param(
            lambda: _readonly().merge_with({"a": 2}), cc.ReadonlyConfigError, id="readonly"
        ),
        pytest.param(
            lambda: cc.create({}).merge_with(object()), UnsupportedValueError, id="object"
        ),
        pytest.param(
            lambda: cc.create({}).merge_with([1]), cc.ConfigTypeError, id="list-into-dict"
        ),
    ],
)
def test_merge_with_errors(make: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        make()


def _readonly() -> Any:
    cfg = cc.create({"a": 1})
    cc.set_readonly(cfg, True)
    return cfg


def test_copy_is_independent_and_sees_the_parent() -> None:
    cfg = cc.create({"x": 1, "sub": {"y": "${x}", "l": [1]}})
    sub = cfg.sub.copy()
    sub.l.append(2)
    assert sub.y == 1 and cfg.sub.l == [1] and sub.l.copy() == [1, 2]


def test_merge_with_dotlist() -> None:
    cfg = cc.create({"a": {"b": 1}, "l": [1, 2]})
    cfg.merge_with_dotlist(["a.c=[x, 2]", "l.1=yes", "d", "e={k: v}"])
    assert cc.to_container(cfg) == {
        "a": {"b": 1, "c": ["x", 2]},
        "l": [1, True],
        "d": None,
        "e": {"k": "v"},
    }
    assert cc.where(cfg, "a.c").line is not None  # the caller's line


@pytest.mark.parametrize(
    ("dotlist", "error"),
    [
        pytest.param("a=1", cc.ValidationError, id="not-a-list"),
        pytest.param(["l.5=1"], ConfigIndexError, id="index"),
        pytest.param(["zz=1"], cc.ConfigAttributeError, id="struct"),
    ],
)
def test_merge_with_dotlist_errors(dotlist: Any, error: type[Exception]) -> None:
    cfg = cc.create({"l": [1]})
    cc.set_struct(cfg, True)
    with pytest.raises(error):
        cfg.merge_with_dotlist(dotlist)


def test_methods_win_over_user_keys_as_in_omegaconf() -> None:
    cfg = cc.create({"merge_with": 1, "copy": 2, "merge_with_dotlist": 3})
    assert callable(cfg.merge_with) and callable(cfg.copy) and callable(cfg.merge_with_dotlist)
    assert (cfg["merge_with"], cfg["copy"], cfg["merge_with_dotlist"]) == (1, 2, 3)
    assert cfg.copy() == cfg
    assert cc.create({}).copy() == {}


@pytest.mark.parametrize(
    ("make", "error", "builtin"),
    [
        pytest.param(lambda: cc.create([1])[5], ConfigIndexError, IndexError, id="index"),
        pytest.param(
            lambda: cc.create({}).__setitem__("a", object()),
            UnsupportedValueError,
            ValueError,
            id="unsupported-value",
        ),
        pytest.param(
            lambda: _assign_port("${s}"), InterpolationValidationError, ValueError, id="interp-type"
        ),
        pytest.param(
            lambda: cc.create({"a": "${nope}"}).a,
            cc.InterpolationKeyError,
            ValueError,
            id="interp-key",
        ),
        pytest.param(
            lambda: cc.create({"a": "${oc.env:CC_SURELY_UNSET_X}"}).a,
            cc.ResolverError,
            ValueError,
            id="env-unset",
        ),
    ],
)
def test_error_classes(make: Any, error: type[Exception], builtin: type[Exception]) -> None:
    with pytest.raises(error) as info:
        make()
    assert isinstance(info.value, builtin) and isinstance(info.value, cc.ConfigError)


@dataclasses.dataclass
class Typed:
    s: str = "text"
    port: int = 1


def _assign_port(value: str) -> Any:
    cfg = cc.create(Typed)
    cfg.port = value
    return cfg.port


def test_interpolation_errors_are_not_key_errors() -> None:
    # As in OmegaConf: `except KeyError` around a lookup does not swallow a broken reference.
    assert not issubclass(cc.InterpolationKeyError, KeyError)
    cfg = cc.create({"a": "${nope}"})
    with pytest.raises(cc.InterpolationKeyError):
        cfg.get("a")


def test_a_frozen_dataclass_is_a_read_only_node() -> None:
    @dataclasses.dataclass(frozen=True)
    class Frozen:
        x: int = 1

    cfg = cc.create({"y": 0})
    cfg.f = Frozen()
    assert cc.is_readonly(cfg.f) and not cc.is_readonly(cfg)
    cfg.y = 1
    with pytest.raises(cc.ReadonlyConfigError):
        cfg.f.x = 2
    assert cc.to_container(cc.merge(Frozen, {"x": 2})) == {"x": 2}


def test_nodes_are_registered_mapping_and_sequence_types() -> None:
    import collections.abc as abc

    cfg = cc.create({"a": {"b": 1}, "l": [1, 2]})
    assert isinstance(cfg, abc.MutableMapping) and isinstance(cfg.a, abc.Mapping)
    assert isinstance(cfg.l, abc.MutableSequence) and not isinstance(cfg.l, abc.Mapping)
    assert not isinstance(cfg, abc.Sequence)
    assert list(reversed(cfg.l)) == [2, 1]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        ("", None),
        ("null", None),
        ("[a, 1]", ["a", 1]),
        ("{k: v}", {"k": "v"}),
        ("x", "x"),
    ],
)
def test_load_value(text: str, expected: Any) -> None:
    assert cc.to_container(load_value(text)) == expected
