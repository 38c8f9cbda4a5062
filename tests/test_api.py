"""The public functions: create/load/select/update/missing/where/history/to_yaml, and __all__."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import confcompose as cc
from confcompose import ConfigKeyError, ConfigTypeError, MissingValueError

CFG = {"a": {"b": [{"c": 5}, 2]}, "m": "???", "i": "${a.b[1]}", "dotted": {"x.y": 1}}


@pytest.mark.parametrize(
    ("key", "kwargs", "expected"),
    [
        pytest.param("a.b[0].c", {}, 5, id="path"),
        pytest.param("a.b.0.c", {}, 5, id="dot-index"),
        pytest.param("a.b[-1]", {}, 2, id="negative-index"),
        pytest.param("i", {}, 2, id="resolves"),
        pytest.param("a.x", {"default": 0}, 0, id="default"),
        pytest.param("a.b[9]", {"default": None}, None, id="default-index"),
        pytest.param("m", {}, None, id="missing-value-none"),
        pytest.param("m", {"default": 3}, 3, id="missing-value-default"),
        pytest.param("dotted.'x.y'", {}, 1, id="quoted-dotted-key"),
    ],
)
def test_select(key: str, kwargs: dict[str, Any], expected: Any) -> None:
    assert cc.select(cc.create(CFG), key, **kwargs) == expected


@pytest.mark.parametrize(
    ("key", "kwargs", "error", "match"),
    [
        pytest.param(
            "a.bb",
            {},
            ConfigKeyError,
            r"^a\.bb: no such key 'bb' in 'a'; did you mean 'b'\?$",
            id="suggest",
        ),
        pytest.param("q", {}, ConfigKeyError, r"^q: no such key 'q'$", id="absent"),
        pytest.param(
            "m",
            {"throw_on_missing": True},
            MissingValueError,
            r"^.*m: missing mandatory value",
            id="throw-missing",
        ),
    ],
)
def test_select_errors(
    key: str, kwargs: dict[str, Any], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        cc.select(cc.create(CFG), key, **kwargs)


def test_select_root_is_the_config() -> None:
    cfg = cc.create(CFG)
    assert cc.select(cfg, "") is cfg


def test_update() -> None:
    cfg = cc.create({"a": {"b": 1, "d": {"x": 1}}})
    cc.update(cfg, "a.c.d", 2)
    cc.update(cfg, "a.d", {"y": 2})
    cc.update(cfg, "a.b", [1, 2])
    assert cfg == {"a": {"b": [1, 2], "d": {"x": 1, "y": 2}, "c": {"d": 2}}}
    cc.update(cfg, "a.d", {"z": 3}, merge=False)
    assert cfg.a.d == {"z": 3}
    cc.update(cfg, "a.b[0]", 9)
    assert cfg.a.b == [9, 2]
    assert cc.where(cfg, "a.b[0]").file == __file__


def test_update_struct_needs_force_add() -> None:
    cfg = cc.create({"a": {"b": 1}})
    cc.set_struct(cfg, True)
    with pytest.raises(ConfigKeyError, match="struct"):
        cc.update(cfg, "a.new", 1)
    cc.update(cfg, "a.new.deep", 1, force_add=True)
    assert cfg.a.new.deep == 1
    assert cc.is_struct(cfg)


def test_missing_helpers() -> None:
    cfg = cc.create({"a": "???", "b": {"c": "???", "d": 1}, "l": ["???"]})
    assert cc.missing_keys(cfg) == {"a", "b.c", "l[0]"}
    assert cc.is_missing(cfg, "b.c")
    assert not cc.is_missing(cfg, "b.d")
    assert not cc.is_missing(cfg, "nope")
    with pytest.raises(MissingValueError):
        cc.to_container(cfg, throw_on_missing=True)
    assert cc.to_container(cfg) == {"a": "???", "b": {"c": "???", "d": 1}, "l": ["???"]}


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        pytest.param(None, {}, id="none"),
        pytest.param("a: 1\nb: [x]\n", {"a": 1, "b": ["x"]}, id="yaml-text"),
        pytest.param("- 1\n- 2\n", [1, 2], id="yaml-list"),
        pytest.param([1, {"a": 2}], [1, {"a": 2}], id="list"),
        pytest.param((1, 2), [1, 2], id="tuple"),
        pytest.param("abc", {"abc": None}, id="plain-string-is-a-key"),
    ],
)
def test_create(obj: Any, expected: Any) -> None:
    assert cc.to_container(cc.create(obj)) == expected


@pytest.mark.parametrize(
    "bad", [42, "1", "- a\n b: [", object()], ids=["int", "scalar-yaml", "bad-yaml", "object"]
)
def test_create_rejects(bad: Any) -> None:
    with pytest.raises((ConfigTypeError, cc.YAMLError)):
        cc.create(bad)


def test_load_records_locations(tmp_path: Path) -> None:
    f = tmp_path / "db.yaml"
    f.write_text("db:\n  user: omry\n  ports: [1, 2]\n")
    cfg = cc.load(f)
    assert cc.where(cfg, "db.user") == cc.Location(str(f), 2, 9)
    assert cc.where(cfg, "db.ports[1]") == cc.Location(str(f), 3, 14)
    assert cc.where(cfg, "db.user").format() == f"{f}:2:9"


def test_load_missing_file(tmp_path: Path) -> None:
    with pytest.raises(cc.ConfigNotFoundError, match="no such file"):
        cc.load(tmp_path / "nope.yaml")


def test_where_unknown_key_suggests() -> None:
    with pytest.raises(ConfigKeyError, match="did you mean 'user'"):
        cc.where(cc.create({"user": 1}), "usr")


yaml_leaf = st.one_of(
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.text(max_size=8),
)
yaml_tree = st.recursive(
    yaml_leaf,
    lambda ch: (
        st.lists(ch, max_size=3) | st.dictionaries(st.text(min_size=1, max_size=5), ch, max_size=3)
    ),
    max_leaves=10,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=5), yaml_tree, max_size=4))
def test_to_yaml_round_trip(data: dict[str, Any]) -> None:
    cfg = cc.create(data)
    back = cc.create(cc.to_yaml(cfg))
    assert cc.to_container(back) == cc.to_container(cfg)


def test_to_yaml_resolve_and_sort() -> None:
    cfg = cc.create({"b": 1, "a": "${b}"})
    assert cc.to_yaml(cfg) == "b: 1\na: ${b}\n"
    assert cc.to_yaml(cfg, resolve=True, sort_keys=True) == "a: 1\nb: 1\n"


def test_public_names_snapshot() -> None:
    # A change here is an API change: review it, and record it in CHANGELOG.md.
    assert sorted(cc.__all__) == sorted(EXPECTED_ALL)


EXPECTED_ALL = [
    "create",
    "load",
    "merge",
    "select",
    "update",
    "resolve",
    "to_container",
    "to_yaml",
    "missing_keys",
    "is_missing",
    "is_interpolation",
    "set_readonly",
    "is_readonly",
    "set_struct",
    "is_struct",
    "read_write",
    "open_dict",
    "where",
    "history",
    "Location",
    "register_resolver",
    "builtin_resolvers",
    "Resolvers",
    "Context",
    "default_context",
    "DictNode",
    "ListNode",
    "MISSING",
    "ConfigError",
    "ConfigKeyError",
    "ConfigAttributeError",
    "ConfigTypeError",
    "ValidationError",
    "MissingValueError",
    "ReadonlyConfigError",
    "ConfigParseError",
    "YAMLError",
    "InterpolationError",
    "InterpolationSyntaxError",
    "InterpolationKeyError",
    "InterpolationMissingError",
    "InterpolationCycleError",
    "UnknownResolverError",
    "ResolverError",
    "OverrideError",
    "OverrideSyntaxError",
    "CompositionError",
    "ConfigNotFoundError",
    "InstantiationError",
    "__version__",
    "compose",
    "Composer",
    "ConfigStore",
    "defaults_tree",
    "DefaultsTree",
    "parse_override",
    "parse_overrides",
    "expand_sweep",
    "Override",
    "ChoiceSweep",
    "RangeSweep",
    "IntervalSweep",
    "GlobSweep",
    "ZipSweep",
    "ListExtension",
    "to_object",
    "instantiate",
    "call",
    "get_class",
    "get_method",
    "get_object",
    "json_schema",
    "write_json_schemas",
    "main",
    "runtime",
    "to_absolute_path",
    "DictConfig",
    "ListConfig",
]


def test_every_public_name_resolves() -> None:
    import importlib
    import pkgutil
    import types

    # Importing a submodule binds its name on the package: none may shadow a public name.
    for info in pkgutil.walk_packages(cc.__path__, "confcompose."):
        if ".app" not in info.name:
            importlib.import_module(info.name)
    for name in cc.__all__:
        value = getattr(cc, name)
        assert value is not None, name
        assert not isinstance(value, types.ModuleType), name


def test_absurd_nesting_is_a_config_error() -> None:
    data: dict[str, Any] = {}
    cur = data
    for _ in range(5000):
        cur["x"] = {}
        cur = cur["x"]
    with pytest.raises(cc.ConfigError, match="nested too deeply"):
        cc.create(data)
