"""instantiate(): a case table, and the same configs run through hydra.utils.instantiate."""

from __future__ import annotations

import dataclasses
import fractions
import functools
import types
from typing import Any

import pytest

import confcompose
from confcompose.errors import InstantiationError, MissingValueError
from confcompose.instantiation import call, get_class, get_method, get_object, instantiate

NS = "types.SimpleNamespace"
FR = "fractions.Fraction"


@dataclasses.dataclass
class Point:
    x: int = 0
    y: int = 0


def _shape(value: Any) -> Any:
    """Library-neutral view of a result: configs as tagged containers, objects as themselves."""
    name = type(value).__name__
    if name in ("DictConfig", "DictNode"):
        return ("cfg", {k: _shape(v) for k, v in value.items()})
    if name in ("ListConfig", "ListNode"):
        return ("cfg", [_shape(v) for v in value])
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_shape(v) for v in value]
    if isinstance(value, types.SimpleNamespace):
        return ("ns", _shape(vars(value)))
    if isinstance(value, functools.partial):
        return ("partial", value.func, _shape(list(value.args)), _shape(value.keywords))
    return value


# (config, positional args, keyword args, expected shape or exception)
CASES = [
    pytest.param({"_target_": FR, "numerator": 3, "denominator": 6}, (), {}, fractions.Fraction(1, 2), id="class"),
    pytest.param({"_target_": "builtins.max", "_args_": [1, 5]}, (), {}, 5, id="args"),
    pytest.param({"_target_": "builtins.max", "_args_": [1, 5]}, (2, 3), {}, 3, id="args-replaced"),
    pytest.param({"_target_": FR, "numerator": 3}, (), {"denominator": 4}, fractions.Fraction(3, 4), id="kwargs-merged"),
    pytest.param({"_target_": NS, "a": {"b": 1}}, (), {}, ("ns", {"a": ("cfg", {"b": 1})}), id="convert-none"),
    pytest.param({"_target_": NS, "a": {"b": 1}, "l": [1]}, (), {"_convert_": "all"}, ("ns", {"a": {"b": 1}, "l": [1]}), id="convert-all"),
    pytest.param({"_target_": NS, "a": {"b": 1}, "_convert_": "partial"}, (), {}, ("ns", {"a": {"b": 1}}), id="convert-partial"),
    pytest.param({"_target_": NS, "a": {"b": 1}, "_convert_": "object"}, (), {}, ("ns", {"a": {"b": 1}}), id="convert-object"),
    pytest.param({"_target_": NS, "in": {"_target_": FR, "numerator": 2}}, (), {}, ("ns", {"in": fractions.Fraction(2)}), id="nested"),
    pytest.param({"_target_": NS, "l": [1, {"_target_": FR, "numerator": 2}]}, (), {}, ("ns", {"l": ("cfg", [1, fractions.Fraction(2)])}), id="nested-in-list"),
    pytest.param({"_target_": NS, "_recursive_": False, "in": {"_target_": FR, "numerator": 2}}, (), {}, ("ns", {"in": ("cfg", {"_target_": FR, "numerator": 2})}), id="not-recursive"),
    pytest.param({"_target_": FR, "numerator": 2, "_partial_": True}, (), {}, ("partial", fractions.Fraction, [], {"numerator": 2}), id="partial"),
    pytest.param({"_target_": FR, "numerator": "???", "_partial_": True}, (), {}, ("partial", fractions.Fraction, [], {}), id="partial-skips-missing"),
    pytest.param({"a": 1, "x": {"_target_": FR, "numerator": 3}}, (), {}, ("cfg", {"a": 1, "x": fractions.Fraction(3)}), id="plain-root"),
    pytest.param([{"_target_": FR, "numerator": 3}, 4], (), {}, ("cfg", [fractions.Fraction(3), 4]), id="list-root"),
    pytest.param({"n": 2, "f": {"_target_": FR, "numerator": "${n}"}}, (), {}, ("cfg", {"n": 2, "f": fractions.Fraction(2)}), id="interpolation"),
    pytest.param({"_target_": FR, "numerator": "zz"}, (), {}, InstantiationError, id="error:call"),
    pytest.param({"_target_": "no_such_module.X"}, (), {}, InstantiationError, id="error:import"),
    pytest.param({"_target_": "fractions.NoSuch"}, (), {}, InstantiationError, id="error:attribute"),
    pytest.param({"_target_": "math.pi"}, (), {}, InstantiationError, id="error:not-callable"),
    pytest.param({"_target_": FR, "numerator": "???"}, (), {}, MissingValueError, id="error:missing"),
    pytest.param({"_target_": "builtins.max", "_args_": 3}, (), {}, InstantiationError, id="error:args-type"),
    pytest.param([{"_target_": FR, "numerator": 3}], (), {"_partial_": True}, InstantiationError, id="error:list-partial"),
    pytest.param(5, (), {}, InstantiationError, id="error:not-a-config"),
]  # fmt: skip


@pytest.mark.parametrize(("config", "args", "kwargs", "expected"), CASES)
def test_instantiate(
    config: Any, args: tuple[Any, ...], kwargs: dict[str, Any], expected: Any
) -> None:
    if isinstance(expected, type) and issubclass(expected, Exception):
        with pytest.raises(expected):
            instantiate(config, *args, **kwargs)
        return
    assert _shape(instantiate(config, *args, **kwargs)) == expected
    assert _shape(instantiate(confcompose.create(config), *args, **kwargs)) == expected


@pytest.mark.parametrize(("config", "args", "kwargs", "expected"), CASES)
def test_instantiate_matches_hydra(
    config: Any, args: tuple[Any, ...], kwargs: dict[str, Any], expected: Any
) -> None:
    hydra_utils = pytest.importorskip("hydra.utils")
    try:
        want: Any = _shape(hydra_utils.instantiate(config, *args, **kwargs))
    except Exception:
        want = Exception
    try:
        got: Any = _shape(instantiate(config, *args, **kwargs))
    except confcompose.ConfigError:
        got = Exception
    assert got == want


def test_error_names_path_target_and_cause() -> None:
    cfg = confcompose.create({"model": {"opt": {"_target_": FR, "numerator": "zz"}}})
    with pytest.raises(InstantiationError) as info:
        instantiate(cfg.model)
    err = info.value
    assert err.key_path == "model.opt"
    assert "'fractions.Fraction'" in str(err) and "ValueError" in str(err)
    assert isinstance(err.__cause__, ValueError)


@pytest.mark.parametrize(
    ("instantiated", "read", "path"),
    [
        ("tree", "nope", "tree.nope"),
        ("tree", "left.left.nope", "tree.left.left.nope"),
        ("", "tree.left.nope", "tree.left.nope"),
        ("tree.left", "left.nope", "tree.left.left.nope"),
    ],
)
def test_results_keep_the_source_key_path(instantiated: str, read: str, path: str) -> None:
    # A config without _target_ comes back as a config in the source's place: an error names
    # the key once (not tree.tree.left), and the result still resolves against the tree.
    cfg = confcompose.create({"n": 3, "tree": {"value": "${n}", "left": {"left": {"value": 1}}}})
    source = confcompose.select(cfg, instantiated) if instantiated else cfg
    result = instantiate(source)
    *parents, last = read.split(".")
    node = functools.reduce(getattr, parents, result)
    with pytest.raises(confcompose.ConfigKeyError) as info:
        getattr(node, last)
    assert info.value.key_path == path
    assert instantiate(cfg.tree).value == 3


def test_error_location_is_the_target_line(tmp_path: Any) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("m:\n  _target_: fractions.Fraction\n  numerator: zz\n")
    with pytest.raises(InstantiationError) as info:
        instantiate(confcompose.load(path).m)
    assert str(info.value).startswith(f"{path}:2:")


def test_allow_list() -> None:
    cfg = {"a": {"_target_": "os.getcwd"}, "b": {"_target_": FR, "numerator": 1}}
    with pytest.raises(InstantiationError, match="'os.getcwd' is not allowed") as info:
        instantiate(cfg, allowed_targets=("fractions.",))
    assert info.value.key_path == "a._target_"
    assert instantiate(cfg["b"], allowed_targets=("fractions",)) == 1
    assert instantiate(cfg["b"], allowed_targets=(FR,)) == 1
    with pytest.raises(InstantiationError):
        instantiate(cfg["b"], allowed_targets=("fraction",))  # a prefix of a name, not a module


def test_objects_in_kwargs_pass_through() -> None:
    marker = object()
    ns = instantiate({"_target_": NS, "a": 1}, obj=marker, sub={"x": 2})
    assert ns.obj is marker and ns.a == 1 and ns.sub["x"] == 2


def test_structured_config_and_convert_object() -> None:
    @dataclasses.dataclass
    class Conf:
        _target_: str = NS
        p: Point = dataclasses.field(default_factory=Point)

    ns = instantiate(Conf, _convert_="object")
    assert isinstance(ns.p, Point)
    assert _shape(instantiate(Conf, _convert_="partial").p) == ("cfg", {"x": 0, "y": 0})
    assert instantiate(Conf, _convert_="all").p == {"x": 0, "y": 0}


def test_input_is_not_modified_and_target_may_be_a_class() -> None:
    cfg = confcompose.create({"_target_": FR, "numerator": 1})
    instantiate(cfg, numerator=5)
    assert cfg.numerator == 1
    assert instantiate({"_target_": fractions.Fraction, "numerator": 2}) == 2


def test_bad_flags() -> None:
    with pytest.raises(InstantiationError, match="_convert_"):
        instantiate({"_target_": FR, "numerator": 1, "_convert_": "bogus"})
    with pytest.raises(InstantiationError, match="_partial_"):
        instantiate({"_target_": FR, "numerator": 1, "_partial_": "yes"})


@pytest.mark.parametrize(
    ("fn", "path", "expected"),
    [
        pytest.param(get_class, "fractions.Fraction", fractions.Fraction, id="class"),
        pytest.param(get_class, "math.sqrt", InstantiationError, id="class:not-a-class"),
        pytest.param(get_method, "math.sqrt", __import__("math").sqrt, id="method"),
        pytest.param(get_method, "math.pi", InstantiationError, id="method:not-callable"),
        pytest.param(get_object, "math.pi", __import__("math").pi, id="object"),
        pytest.param(get_object, "os.path.join", __import__("os").path.join, id="object:submodule"),
        pytest.param(get_object, "nope.x", InstantiationError, id="object:absent"),
        pytest.param(get_object, "a..b", InstantiationError, id="object:empty-segment"),
    ],
)
def test_lookups(fn: Any, path: str, expected: Any) -> None:
    if isinstance(expected, type) and issubclass(expected, Exception):
        with pytest.raises(expected):
            fn(path)
        return
    assert fn(path) is expected


def test_call_is_instantiate() -> None:
    assert call is instantiate
