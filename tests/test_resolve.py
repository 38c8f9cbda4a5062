"""Interpolation evaluation: typing, relative paths, resolvers, errors, registries, threads."""

from __future__ import annotations

import contextlib
import pickle
import threading
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import confcompose as cc
from confcompose import (
    ConfigError,
    InterpolationCycleError,
    InterpolationKeyError,
    InterpolationMissingError,
    InterpolationSyntaxError,
    ResolverError,
    UnknownResolverError,
)

BASE: dict[str, Any] = {
    "a": 1,
    "f": 1.5,
    "s": "str",
    "n": None,
    "t": True,
    "d": {"x": 10, "y": "${.x}", "up": "${..a}", "deep": {"z": "${...s}"}},
    "l": [1, "${a}", {"k": "v"}],
    "m": "???",
    "ik": {1: "one"},
}


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        pytest.param("${a}", 1, id="select:int-keeps-type"),
        pytest.param("${f}", 1.5, id="select:float"),
        pytest.param("${n}", None, id="select:none"),
        pytest.param("${t}", True, id="select:bool"),
        pytest.param("${d.x}", 10, id="select:nested"),
        pytest.param("${d.y}", 10, id="select:chained-relative"),
        pytest.param("${d.up}", 1, id="select:parent"),
        pytest.param("${d.deep.z}", "str", id="select:grandparent"),
        pytest.param("${l[1]}", 1, id="select:list-bracket"),
        pytest.param("${l.0}", 1, id="select:list-dot"),
        pytest.param("${l[2].k}", "v", id="select:into-list-dict"),
        pytest.param("${d[x]}", 10, id="select:bracket-key"),
        pytest.param("${ik.1}", "one", id="select:int-key"),
        pytest.param("x_${a}_${s}", "x_1_str", id="concat"),
        pytest.param("${a}${a}", "11", id="concat:adjacent"),
        pytest.param("${t} ${n}", "True None", id="concat:str-of-values"),
        pytest.param("\\${a}", "${a}", id="escape"),
        pytest.param("\\\\${a}", "\\1", id="escape:backslash-then-interp"),
        pytest.param("${oc.select:nope,7}", 7, id="oc.select:default"),
        pytest.param("${oc.select:a,7}", 1, id="oc.select:present"),
        pytest.param("${oc.select:m,7}", 7, id="oc.select:missing-value"),
        pytest.param("${oc.decode:'{a: 1, b: [2]}'}", {"a": 1, "b": [2]}, id="oc.decode:dict"),
        pytest.param("${oc.decode:'3.5'}", 3.5, id="oc.decode:float"),
        pytest.param("${oc.decode:null}", None, id="oc.decode:null"),
        pytest.param("${oc.dict.keys:d}", ["x", "y", "up", "deep"], id="oc.dict.keys"),
        pytest.param("${oc.create:{q: ${a}}}", {"q": 1}, id="oc.create"),
        pytest.param("${oc.env:CC_TEST_VAR}", "42", id="oc.env:string"),
        pytest.param("${oc.env:CC_UNSET_VAR,5}", "5", id="oc.env:default-str"),
        pytest.param("${oc.env:CC_UNSET_VAR,null}", None, id="oc.env:default-null"),
        pytest.param("${oc.select:${s},0}", 0, id="nested:select-by-interp"),
    ],
)
def test_resolution(expr: str, expected: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CC_TEST_VAR", "42")
    monkeypatch.delenv("CC_UNSET_VAR", raising=False)
    cfg = cc.create({**BASE, "v": expr})
    assert cc.to_container(cfg, resolve=True)["v"] == expected
    assert cc.select(cfg, "v") == expected


def test_interpolation_to_container_returns_node() -> None:
    cfg = cc.create({"d": {"x": 1}, "p": "${d}"})
    assert isinstance(cfg.p, cc.DictNode)
    assert cfg.p.x == 1


@pytest.mark.parametrize(
    ("data", "key", "error", "match"),
    [
        pytest.param(
            {"a": "${b}", "bb": 1},
            "a",
            InterpolationKeyError,
            r"^.*a: interpolation '\$\{b\}': no key 'b' in the root; did you mean 'bb'\?$",
            id="missing-key",
        ),
        pytest.param(
            {"a": "${b}", "b": "${a}"},
            "a",
            InterpolationCycleError,
            r"interpolation cycle: a -> b -> a",
            id="cycle-2",
        ),
        pytest.param(
            {"a": "${a}"},
            "a",
            InterpolationCycleError,
            r"interpolation cycle: a -> a",
            id="cycle-self",
        ),
        pytest.param(
            {"x": {"a": "${..y.b}"}, "y": {"b": "${x.a}"}},
            "x.a",
            InterpolationCycleError,
            r"x\.a -> y\.b -> x\.a",
            id="cycle-nested",
        ),
        pytest.param(
            {"a": "${b}", "b": "???"},
            "a",
            InterpolationMissingError,
            r"points at 'b', which is missing",
            id="to-missing",
        ),
        pytest.param(
            {"a": "${nope:1}"},
            "a",
            UnknownResolverError,
            r"unknown resolver 'nope'; registered: .*oc\.create",
            id="unknown-resolver",
        ),
        pytest.param(
            {"a": "${oc.sel:x}"},
            "a",
            UnknownResolverError,
            r"did you mean 'oc\.select'",
            id="resolver-suggest",
        ),
        pytest.param({"a": "${b"}, "a", InterpolationSyntaxError, r"a: ", id="syntax"),
        pytest.param(
            {"a": "${oc.env:CC_SURELY_UNSET}"}, "a", ConfigError, r"CC_SURELY_UNSET", id="env-unset"
        ),
        pytest.param(
            {"a": "${l.5}", "l": [1]}, "a", InterpolationKeyError, r"no index '5'", id="list-index"
        ),
        pytest.param(
            {"a": "${..x}"}, "a", InterpolationKeyError, r"above the root", id="above-root"
        ),
        pytest.param(
            {"a": "${s.x}", "s": 1},
            "a",
            InterpolationKeyError,
            r"'s' is not a config node",
            id="through-leaf",
        ),
    ],
)
def test_resolution_errors(data: Any, key: str, error: type[Exception], match: str) -> None:
    cfg = cc.create(data)
    with pytest.raises(error, match=match):
        cc.select(cfg, key)
    with pytest.raises(error):
        cc.to_container(cfg, resolve=True)


def test_error_names_file_line_column(tmp_path: Any) -> None:
    f = tmp_path / "c.yaml"
    f.write_text("db:\n  user: omry\n  link: ${db.usr}\n")
    cfg = cc.load(f)
    with pytest.raises(InterpolationKeyError) as info:
        _ = cfg.db.link
    assert str(info.value) == (
        f"{f}:3:9: db.link: interpolation '${{db.usr}}': no key 'usr' in db; did you mean 'user'?"
    )


def test_syntax_error_points_at_column(tmp_path: Any) -> None:
    f = tmp_path / "c.yaml"
    f.write_text("a: 1\nb: x_${a\n")
    with pytest.raises(InterpolationSyntaxError) as info:
        _ = cc.load(f).b
    assert str(info.value).startswith(f"{f}:2:")
    assert "b: " in str(info.value)


def test_resolver_error_keeps_cause() -> None:
    r = cc.builtin_resolvers()
    r.register("boom", lambda: 1 / 0)
    cfg = cc.create({"a": "${boom:}"}, resolvers=r)
    with pytest.raises(
        ResolverError,
        match=r"a: interpolation '\$\{boom:\}': resolver 'boom' raised ZeroDivisionError",
    ) as info:
        _ = cfg.a
    assert isinstance(info.value.__cause__, ZeroDivisionError)


def test_custom_resolver_with_parent_and_root() -> None:
    r = cc.builtin_resolvers()
    r.register("sibling_count", lambda _parent_: len(_parent_))
    r.register("root_keys", lambda _root_: ",".join(_root_.keys()))
    cfg = cc.create({"a": {"x": 1, "n": "${sibling_count:}"}, "k": "${root_keys:}"}, resolvers=r)
    assert cfg.a.n == 2
    assert cfg.k == "a,k"


def test_typed_resolver_arguments() -> None:
    r = cc.builtin_resolvers()
    r.register("types", lambda *a: [type(x).__name__ for x in a])
    cfg = cc.create({"v": "${types:1,2.5,true,null,abc,'q',[1],{a:1}}"}, resolvers=r)
    # As OmegaConf: list and dict arguments arrive as plain containers.
    assert cfg.v == ["int", "float", "bool", "NoneType", "str", "str", "list", "dict"]


def test_use_cache() -> None:
    calls: list[int] = []
    r = cc.builtin_resolvers()
    r.register("count", lambda: calls.append(1) or len(calls), use_cache=True)
    cfg = cc.create({"a": "${count:}", "b": "${count:}"}, resolvers=r)
    assert (cfg.a, cfg.b, cfg.a) == (1, 1, 1)


def test_registries_are_independent() -> None:
    r1, r2 = cc.builtin_resolvers(), cc.builtin_resolvers()
    r1.register("who", lambda: "one")
    r2.register("who", lambda: "two")
    assert cc.create({"a": "${who:}"}, resolvers=r1).a == "one"
    assert cc.create({"a": "${who:}"}, resolvers=r2).a == "two"
    with pytest.raises(UnknownResolverError):
        _ = cc.create({"a": "${who:}"}).a


def test_register_twice_needs_replace() -> None:
    r = cc.builtin_resolvers()
    r.register("x", lambda: 1)
    with pytest.raises(ConfigError, match="already registered"):
        r.register("x", lambda: 2)
    r.register("x", lambda: 2, replace=True)
    assert cc.create({"a": "${x:}"}, resolvers=r).a == 2


def test_resolve_in_place_and_missing() -> None:
    cfg = cc.create(
        {"a": 1, "b": "${a}", "c": "${m}", "m": "???", "d": "${sub}", "sub": {"x": "${a}"}}
    )
    cc.resolve(cfg)
    assert cc.to_container(cfg) == {
        "a": 1,
        "b": 1,
        "c": "???",
        "m": "???",
        "d": {"x": 1},
        "sub": {"x": 1},
    }


def test_pickled_config_keeps_resolvers() -> None:
    cfg = cc.create({"a": 2, "b": "${oc.select:a,0}", "c": "x${a}"})
    back = pickle.loads(pickle.dumps(cfg))
    assert (back.b, back.c) == (2, "x2")


def test_threads_resolve_identically() -> None:
    data = {f"k{i}": {"v": i, "r": f"${{k{i}.v}}", "s": f"n_${{k{i}.r}}"} for i in range(200)}
    expected = cc.to_container(cc.create(data), resolve=True)
    results: list[Any] = []

    def work() -> None:
        results.append(cc.to_container(cc.create(data), resolve=True))

    threads = [threading.Thread(target=work) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [expected] * 16


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="${}[].:,'\"\\ ab01", max_size=20))
def test_arbitrary_values_raise_only_config_errors(text: str) -> None:
    cfg = cc.create({"a": 1, "b": {"c": 2}, "v": text})
    with contextlib.suppress(ConfigError):
        cc.to_container(cfg, resolve=True)


def test_very_long_chain_is_a_config_error() -> None:
    n = 3000
    data: dict[str, Any] = {f"a{i}": "${a" + str(i + 1) + "}" for i in range(n)}
    data[f"a{n}"] = 1
    with pytest.raises(cc.InterpolationError, match=r"a0: interpolation chain too deep"):
        _ = cc.create(data).a0
    assert cc.create({"x": "${y}", "y": 2}).x == 2  # the engine is usable afterwards


def test_to_container_keeps_chains_but_not_resolver_results() -> None:
    # One to_container pass evaluates a chain once; a resolver (not cached) is called per
    # reference, as OmegaConf calls it on every access.
    calls: list[int] = []
    r = cc.builtin_resolvers()
    r.register("count", lambda: calls.append(1) or len(calls))
    data = {
        "c": "${count:}",
        "d": "${c}",
        "e": "${d}",
        "x": 1,
        "y": "${x}",
        "z": "${y}_${y}",
        "n": {"up": "${..z}", "self": "${.up}"},
    }
    cfg = cc.create(data, resolvers=r)
    out = cc.to_container(cfg, resolve=True)
    assert (out["c"], out["d"], out["e"]) == (1, 2, 3)
    assert (out["y"], out["z"], out["n"]) == (1, "1_1", {"up": "1_1", "self": "1_1"})
    cfg.x = 5  # nothing is kept between passes
    cfg.n.up = "${..y}"
    out = cc.to_container(cfg, resolve=True)
    assert (out["c"], out["z"], out["n"]) == (4, "5_5", {"up": 5, "self": 5})
    assert (cfg.y, cfg.z) == (5, "5_5")


def test_to_container_inside_a_resolver_during_a_pass() -> None:
    r = cc.builtin_resolvers()
    r.register("dump", lambda _root_: len(cc.to_container(_root_.sub, resolve=True)))
    cfg = cc.create({"a": 1, "b": "${a}", "sub": {"k": "${b}"}, "n": "${dump:}"}, resolvers=r)
    assert cc.to_container(cfg, resolve=True) == {"a": 1, "b": 1, "sub": {"k": 1}, "n": 1}
    assert cc.to_container(cfg, resolve=True)["n"] == 1


@pytest.mark.parametrize(
    ("data", "key", "expected"),
    [
        pytest.param({"a": {"b": 1}, "r": "${a.b}"}, "r", 1, id="plain-walk"),
        pytest.param({"a": "${c}", "c": {"b": 2}, "r": "${a.b}"}, "r", 2, id="interp-midway"),
        pytest.param({"a": [{"b": 3}], "r": "${a.0.b}"}, "r", 3, id="through-a-list"),
        pytest.param({"a": {1: "x"}, "r": "${a.1}"}, "r", "x", id="int-key"),
        pytest.param({"a": {"b": "${c}"}, "c": 4, "r": "${a.b}"}, "r", 4, id="interp-at-end"),
        pytest.param({"a": {"b": "x"}, "r": "${a.b.c}"}, "r", InterpolationKeyError, id="not-a-node"),
        pytest.param({"a": {"b": "???"}, "r": "${a.b}"}, "r", InterpolationMissingError, id="missing"),
        pytest.param({"a": {}, "r": "${a.zz}"}, "r", InterpolationKeyError, id="no-key"),
    ],
)
def test_select_walks(data: dict[Any, Any], key: str, expected: Any) -> None:
    cfg = cc.create(data)
    if isinstance(expected, type):
        with pytest.raises(expected):
            cc.to_container(cfg, resolve=True)
        with pytest.raises(expected):
            _ = cfg[key]
    else:
        assert cfg[key] == expected and cc.to_container(cfg, resolve=True)[key] == expected


def test_resolver_specs_read_without_inspect_match_inspect() -> None:
    """Plain functions' parameters come from their code object (``inspect`` is slow to import);
    the names agree with ``inspect.signature``, and other callables go through ``inspect``."""
    import functools
    import inspect

    from confcompose.context import _plain_parameters, _spec

    def every_kind(x: Any, y: Any = 1, *args: Any, _parent_: Any, z: Any = 2, **kw: Any) -> None:
        pass

    def positional_only(_root_: Any, /, b: Any) -> None:
        local = 1
        del local

    class Callable_:
        def __call__(self, a: Any, _root_: Any = None) -> None:
            pass

        def method(self, _parent_: Any) -> None:
            pass

    instance = Callable_()
    callables = (every_kind, positional_only, lambda *, _node_=None: 1, instance, instance.method)
    for fn in callables:
        names = _plain_parameters(fn)
        assert names is not None and set(names) == set(inspect.signature(fn).parameters)

    @functools.wraps(every_kind)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        pass

    assert _plain_parameters(wrapper) is None and _spec(wrapper, False).wants_parent
    assert _plain_parameters(functools.partial(positional_only, 1)) is None
    assert _plain_parameters(Callable_) is None  # a class: its __init__, through inspect
    assert not _spec(len, False).wants_parent  # a builtin: inspect, or no signature at all
