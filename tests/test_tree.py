"""The internal tree API (confcompose.tree, merge.set_path, location.code_location)."""

from __future__ import annotations

import enum
from typing import Any

import pytest

import confcompose
from confcompose import tree
from confcompose.errors import (
    ConfigAttributeError,
    ConfigIndexError,
    ConfigKeyError,
    ConfigTypeError,
    MissingValueError,
)
from confcompose.location import Location, code_location
from confcompose.merge import set_path
from confcompose.nodes import DictNode, ListNode


class Color(enum.Enum):
    RED = 1


HERE = Location("here.yaml", 1, 1)


def _cfg() -> DictNode:
    return confcompose.create(
        {
            "a": {"b": 1, 2: "two", True: "yes", Color.RED: "red"},
            "l": [10, {"x": 1}, 30],
            "i": "${a}",
            "m": "???",
            "li": "${l}",
        }
    )


# -- child_key: the rules of one path segment --------------------------------------------------

_ABSENT = "<absent>"


@pytest.mark.parametrize(
    ("where", "part", "negative", "coerce", "expected"),
    [
        ("a", "b", True, True, "b"),
        ("a", "zz", True, True, _ABSENT),
        ("a", "2", True, True, 2),  # a non-string key named by its text
        ("a", "2", True, False, _ABSENT),  # ... unless coercion is off
        ("a", 2, True, False, 2),  # the key itself always names it
        ("a", "True", True, True, True),
        ("a", "Color.RED", True, True, Color.RED),
        ("a", ["unhashable"], True, True, _ABSENT),
        ("l", "0", True, True, 0),
        ("l", 2, True, True, 2),
        ("l", "3", True, True, _ABSENT),
        ("l", "-1", True, True, 2),  # counted from the end: the positive index is given
        ("l", "-3", True, True, 0),
        ("l", "-4", True, True, _ABSENT),
        ("l", "-1", False, True, _ABSENT),  # interpolations do not count from the end
        ("l", "x", True, True, _ABSENT),
        ("l", True, True, True, _ABSENT),  # a bool is not an index
        ("a.b", "x", True, True, _ABSENT),  # a leaf names nothing
    ],
)
def test_child_key(where: str, part: Any, negative: bool, coerce: bool, expected: Any) -> None:
    node = confcompose.select(_cfg(), where)
    got = tree.child_key(node, part, negative=negative, coerce=coerce)
    assert (_ABSENT if got is tree.ABSENT else got) == expected


# -- walk: a whole path ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "options", "expected"),
    [
        (["a", "b"], {}, ("a", "b")),
        (["l", "1", "x"], {}, ("l[1]", "x")),
        (["l", "-2", "x"], {}, ("l[1]", "x")),
        (["l", "-2", "x"], {"negative": False}, None),
        (["a", "2"], {}, ("a", 2)),
        (["a", "2"], {"coerce": False}, None),
        (["i", "b"], {}, ("a", "b")),  # an interpolation midway is resolved...
        (["i", "b"], {"resolve": False}, None),  # ... or ends the walk
        (["li", "0"], {}, ("l", 0)),
        (["m", "x"], {"strict_missing": False}, None),  # '???' midway: absent...
        (["m"], {}, ("", "m")),  # ... the last value is never read
        (["zz", "b"], {}, None),
        (["a", "b", "c"], {}, None),  # through a leaf
        ([], {}, None),
    ],
)
def test_walk(parts: list[str], options: dict[str, bool], expected: Any) -> None:
    cfg = _cfg()
    found = tree.walk(cfg, parts, **options)
    if expected is None:
        assert found is None
    else:
        node, key = found  # type: ignore[misc]
        assert (tree.path(node), key) == expected


def test_walk_missing_midway_raises_when_strict() -> None:
    with pytest.raises(MissingValueError):
        tree.walk(_cfg(), ["m", "x"])


# -- building ----------------------------------------------------------------------------------


def test_new_dict_adopts_children_unless_told_not_to() -> None:
    child = tree.new_dict({"x": 1})
    parent = tree.new_dict({"c": child}, {"c": HERE})
    assert tree.parent(child) is parent and tree.key_in_parent(child) == "c"
    assert tree.origin(parent, "c") == HERE
    view = tree.new_dict({"v": child}, adopt=False)
    assert tree.parent(child) is parent and tree.content(view)["v"] is child


def test_new_dict_flags_and_schema() -> None:
    node = tree.new_dict({"x": 1}, flags={"struct": True})
    assert tree.get_flag(node, "struct") is True
    with pytest.raises(ConfigAttributeError):
        node.y = 2


def test_new_list_adopts_and_defaults_origins() -> None:
    child = tree.new_dict()
    lst = tree.new_list([1, child])
    assert tree.parent(child) is lst and tree.key_in_parent(child) == 1
    assert tree.origins(lst) == [Location(), Location()]


@pytest.mark.parametrize(
    ("data", "cls", "plain"),
    [
        ({"a": [1, {"b": 2}]}, DictNode, {"a": [1, {"b": 2}]}),
        ([1, (2, 3)], ListNode, [1, [2, 3]]),
        ((), ListNode, []),
    ],
)
def test_from_plain(data: Any, cls: type, plain: Any) -> None:
    node = tree.from_plain(data, HERE)
    assert type(node) is cls and node == plain
    assert all(tree.origin(node, k) == HERE for k in range(len(node)) if cls is ListNode)


def test_from_plain_rejects_bad_keys() -> None:
    with pytest.raises(ConfigTypeError, match="unsupported key type"):
        tree.from_plain({(1, 2): 3}, HERE)


def test_copy_node_is_deep_and_placed() -> None:
    cfg = _cfg()
    a = cfg.a
    copy = tree.copy_node(a, cfg, "a2")
    assert copy == a and copy is not a
    assert tree.parent(copy) is cfg and tree.key_in_parent(copy) == "a2"


# -- writing -----------------------------------------------------------------------------------


def test_store_validates_and_records_origin() -> None:
    cfg = _cfg()
    tree.store(cfg.l, -1, {"y": 2}, HERE)
    assert cfg.l[2] == {"y": 2} and tree.origin(cfg.l, 2) == HERE
    confcompose.set_readonly(cfg, True)
    with pytest.raises(confcompose.ReadonlyConfigError):
        tree.store(cfg, "a", 1, HERE)


def test_remove_reindexes_lists() -> None:
    cfg = _cfg()
    tree.remove(cfg.l, 0)
    assert cfg.l == [{"x": 1}, 30] and tree.key_in_parent(cfg.l[0]) == 0
    tree.remove(cfg, "a")
    assert "a" not in cfg and tree.origins(cfg).get("a") is None


# -- flags -------------------------------------------------------------------------------------


@pytest.mark.parametrize("own", [None, True, False])
def test_temporary_flags_restores_own_flag(own: bool | None) -> None:
    cfg = _cfg()
    tree.set_flag(cfg.a, "struct", own)
    with tree.temporary_flags(cfg.a, {"struct": False, "readonly": True}) as node:
        assert node is cfg.a
        assert tree.get_flag(node, "struct") is False and tree.get_flag(node, "readonly")
    assert tree.own_flags(cfg.a) == ({} if own is None else {"struct": own})


def test_temporary_flags_restores_after_an_error() -> None:
    cfg = _cfg()
    with pytest.raises(RuntimeError), tree.temporary_flags(cfg, {"readonly": True}):
        raise RuntimeError
    assert tree.own_flags(cfg) == {}


# -- set_path ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "options", "expected"),
    [
        ("a.b", 5, {}, {"b": 5}),
        ("n.o.p", 1, {}, None),  # dicts created on the way
        ("a", {"c": 3}, {}, {"b": 1, "c": 3}),  # merged...
        ("a", {"c": 3}, {"merge": False}, {"c": 3}),  # ... or replaced
        ("l.0", 7, {}, None),
        ("l.-1", 7, {}, None),
        ("l.1.x", 9, {}, None),
        ("a.b.c", 1, {}, {"b": {"c": 1}}),  # a leaf on the way becomes a dict
    ],
)
def test_set_path(key: str, value: Any, options: dict[str, bool], expected: Any) -> None:
    cfg = confcompose.create({"a": {"b": 1}, "l": [10, {"x": 1}, 30]})
    set_path(cfg, key, value, HERE, **options)
    if expected is None:
        assert confcompose.select(cfg, key) == value
    else:
        assert confcompose.select(cfg, key.split(".")[0]) == expected


def test_set_path_segments_struct_and_history() -> None:
    cfg = confcompose.create({"a": {"b": 1}})
    confcompose.set_struct(cfg, True)
    with pytest.raises(ConfigAttributeError):
        set_path(cfg, ["a", "new"], 1, HERE)
    set_path(cfg, ["a", "new"], 1, HERE, force_add=True)
    assert cfg.a.new == 1 and confcompose.is_struct(cfg.a)
    set_path(cfg, "a.b", 2, HERE, keep_history=True)
    assert confcompose.history(cfg, "a.b")[-1] == HERE
    assert len(confcompose.history(cfg, "a.b")) == 2


@pytest.mark.parametrize(
    ("key", "error"), [("", ConfigKeyError), ("l.9", ConfigIndexError), ("l.x", ConfigIndexError)]
)
def test_set_path_errors(key: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        set_path(_cfg(), key, 1, HERE)


# -- the user-frame finder ---------------------------------------------------------------------


def test_code_location_is_the_users_line() -> None:
    def inner() -> Location:
        return code_location()

    here = inner()
    assert here.kind == "code" and here.file == __file__ and here.detail == "inner"
    cfg = confcompose.create({})
    cfg.x = 1
    line = confcompose.where(cfg, "x")
    assert line is not None and line.file == __file__


def test_put_stores_as_is_and_history_reads_origins() -> None:
    cfg = _cfg()
    marker = object()
    tree.put(cfg, "obj", marker)
    assert tree.content(cfg)["obj"] is marker and tree.history(cfg, "obj") == []
    tree.put(cfg, "obj", 1, (HERE, HERE))
    assert tree.history(cfg, "obj") == [HERE, HERE] and tree.origin(cfg, "obj") == HERE


def test_up_and_root() -> None:
    cfg = _cfg()
    inner = cfg.l[1]
    assert tree.up(inner, 0) is inner and tree.up(inner, 2) is cfg and tree.up(inner, 3) is None
    assert tree.root(inner) is cfg and tree.path(inner) == "l[1]"
    assert tree.child_path(inner, "x") == "l[1].x"
