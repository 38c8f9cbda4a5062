"""merge(): OmegaConf's rules, untouched inputs, history; hypothesis for associativity."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import confcompose as cc

CASES = [
    pytest.param([{"a": 1}, {"b": 2}], {"a": 1, "b": 2}, id="disjoint"),
    pytest.param([{"a": {"x": 1}}, {"a": {"y": 2}}], {"a": {"x": 1, "y": 2}}, id="deep"),
    pytest.param([{"a": [1, 2]}, {"a": [3]}], {"a": [3]}, id="list-replaced"),
    pytest.param([{"a": {"x": 1}}, {"a": None}], {"a": None}, id="none-replaces-dict"),
    pytest.param([{"a": None}, {"a": {"x": 1}}], {"a": {"x": 1}}, id="dict-replaces-none"),
    pytest.param([{"a": 1}, {"a": "???"}], {"a": 1}, id="missing-does-not-overwrite"),
    pytest.param([{"a": "???"}, {"a": 2}], {"a": 2}, id="value-fills-missing"),
    pytest.param([{"a": {"x": 1}}, {"a": "???"}], {"a": {"x": 1}}, id="missing-keeps-dict"),
    pytest.param([{"a": 1, "b": 2}, {"a": "${b}"}], {"a": "${b}", "b": 2}, id="interpolation-kept"),
    pytest.param([{"a": {"x": 1}}, {"a": "${b}"}], {"a": "${b}"}, id="interpolation-replaces-dict"),
    pytest.param([{"a": 1}, {"a": {"x": 1}}], {"a": {"x": 1}}, id="dict-replaces-scalar"),
    pytest.param([{"a": {"x": 1}}, {"a": 5}], {"a": 5}, id="scalar-replaces-dict"),
    pytest.param([[1, 2], [3]], [3], id="top-level-lists"),
    pytest.param([{"a": 1}, {}, {"a": 2}], {"a": 2}, id="three-way"),
    pytest.param(
        [{"b": {"x": 1}, "a": "${b}"}, {"a": {"y": 2}}],
        {"b": {"x": 1}, "a": {"x": 1, "y": 2}},
        id="merge-into-interpolation-to-dict",
    ),
]


@pytest.mark.parametrize(("inputs", "expected"), CASES)
def test_merge_table(inputs: list[Any], expected: Any) -> None:
    assert cc.to_container(cc.merge(*inputs)) == expected


@pytest.mark.parametrize(("inputs", "expected"), CASES)
def test_merge_matches_omegaconf(inputs: list[Any], expected: Any) -> None:
    oc = pytest.importorskip("omegaconf")
    ref = oc.OmegaConf.to_container(oc.OmegaConf.merge(*inputs))
    assert cc.to_container(cc.merge(*inputs)) == ref


def test_inputs_untouched() -> None:
    a = cc.create({"a": {"x": [1]}})
    b = {"a": {"x": [2], "y": 1}}
    merged = cc.merge(a, b)
    merged.a.x.append(3)
    assert a == {"a": {"x": [1]}}
    assert b == {"a": {"x": [2], "y": 1}}


def test_struct_rejects_new_keys() -> None:
    a = cc.create({"db": {"user": "x"}})
    cc.set_struct(a, True)
    with pytest.raises(
        cc.ConfigKeyError, match=r"db\.usr: key not in struct config; did you mean 'user'\?"
    ):
        cc.merge(a, {"db": {"usr": "y"}})


def test_readonly_first_is_merged_and_stays_readonly() -> None:
    a = cc.create({"a": 1})
    cc.set_readonly(a, True)
    m = cc.merge(a, {"a": 2})
    assert m.a == 2
    assert cc.is_readonly(m)


def test_history_in_merge_order(tmp_path: Any) -> None:
    f1 = tmp_path / "one.yaml"
    f1.write_text("db:\n  port: 1\n")
    f2 = tmp_path / "two.yaml"
    f2.write_text("db:\n  host: h\n  port: 2\n")
    merged = cc.merge(cc.load(f1), cc.load(f2), {"db": {"port": 3}})
    hist = cc.history(merged, "db.port")
    assert [(h.file, h.line, h.column) for h in hist[:2]] == [(str(f1), 2, 9), (str(f2), 3, 9)]
    assert hist[2].kind == "code"
    assert cc.where(merged, "db.host") == hist[1]._replace(line=2)
    assert cc.where(merged, "db.port") == hist[2]


leaf = st.one_of(
    st.integers(),
    st.booleans(),
    st.none(),
    st.text(max_size=5).filter(lambda s: "${" not in s and s != "???"),
)


def _shaped(depth: int) -> Any:
    # Associativity holds when a key is always a leaf or always a dict: keys "a"/"b" hold
    # leaves and "c"/"d" hold dicts (replacing a dict by a leaf and back is order dependent).
    children = {"a": leaf, "b": leaf}
    if depth:
        children |= {"c": _shaped(depth - 1), "d": _shaped(depth - 1)}
    return st.fixed_dictionaries({}, optional=children)


dicts = _shaped(2)


@settings(max_examples=150, deadline=None)
@given(dicts, dicts, dicts)
def test_merge_associative_for_same_shaped_dicts(a: Any, b: Any, c: Any) -> None:
    left = cc.merge(cc.merge(a, b), c)
    right = cc.merge(a, cc.merge(b, c))
    assert cc.to_container(left) == cc.to_container(right)


def test_merge_not_associative_when_a_dict_is_replaced() -> None:
    # Documented limit of the property above (OmegaConf behaves the same way).
    a, b, c = {"k": {"x": 1}}, {"k": None}, {"k": {"y": 1}}
    assert cc.merge(cc.merge(a, b), c) == {"k": {"y": 1}}
    assert cc.merge(a, cc.merge(b, c)) == {"k": {"x": 1, "y": 1}}
