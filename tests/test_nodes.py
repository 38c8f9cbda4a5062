"""Access, assignment, flags, copying and pickling of the node tree."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path
from typing import Any

import pytest

import confcompose as cc
from confcompose import (
    ConfigAttributeError,
    ConfigKeyError,
    ConfigTypeError,
    MissingValueError,
    ReadonlyConfigError,
)

DATA = {
    "db": {"user": "omry", "port": 3306, "hosts": ["a", "b"]},
    "items": [10, 20],
    "missing": "???",
    "n": None,
    "url": "mysql://${db.user}:${db.port}",
    1: "int-key",
}


def cfg() -> Any:
    return cc.create(DATA)


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        pytest.param(lambda c: c.db.user, "omry", id="attr"),
        pytest.param(lambda c: c["db"]["port"], 3306, id="item"),
        pytest.param(lambda c: c.db.hosts[1], "b", id="list-index"),
        pytest.param(lambda c: c.db.hosts[-1], "b", id="list-negative"),
        pytest.param(lambda c: c.db.hosts[0:1], ["a"], id="list-slice"),
        pytest.param(lambda c: c["items"][0], 10, id="key-named-like-a-method"),
        pytest.param(lambda c: c.items.__name__, "items", id="method-wins"),
        pytest.param(
            lambda c: list(c.db.items()),
            [("user", "omry"), ("port", 3306), ("hosts", ["a", "b"])],
            id="items-method",
        ),
        pytest.param(lambda c: list(c.db.keys()), ["user", "port", "hosts"], id="keys"),
        pytest.param(lambda c: list(c.db), ["user", "port", "hosts"], id="iter-keys"),
        pytest.param(lambda c: list(c.db.hosts), ["a", "b"], id="iter-list"),
        pytest.param(lambda c: len(c.db), 3, id="len"),
        pytest.param(lambda c: "user" in c.db, True, id="in"),
        pytest.param(lambda c: "missing" in c, False, id="in-missing-value"),
        pytest.param(lambda c: "nope" in c, False, id="in-absent"),
        pytest.param(lambda c: "a" in c.db.hosts, True, id="in-list"),
        pytest.param(lambda c: c.get("nope", 5), 5, id="get-default"),
        pytest.param(lambda c: c.get("missing", 5), 5, id="get-missing-value"),
        pytest.param(lambda c: c.get("n", 5), None, id="get-none"),
        pytest.param(lambda c: c.url, "mysql://omry:3306", id="interpolation"),
        pytest.param(lambda c: c[1], "int-key", id="int-key"),
        pytest.param(
            lambda c: c.db == {"user": "omry", "port": 3306, "hosts": ["a", "b"]},
            True,
            id="eq-dict",
        ),
        pytest.param(lambda c: c.db.hosts == ["a", "b"], True, id="eq-list"),
        pytest.param(lambda c: c.db != {"user": "x"}, True, id="ne-dict"),
        pytest.param(lambda c: repr(c.db.hosts), "['a', 'b']", id="repr"),
    ],
)
def test_access(expr: Any, expected: Any) -> None:
    assert expr(cfg()) == expected


@pytest.mark.parametrize(
    ("expr", "error", "match"),
    [
        pytest.param(
            lambda c: c.db.usr,
            ConfigAttributeError,
            r"^db\.usr: no such key; did you mean 'user'\?$",
            id="attr-suggest",
        ),
        pytest.param(
            lambda c: c["db"]["prot"],
            ConfigKeyError,
            r"db\.prot: no such key; did you mean 'port'\?",
            id="item-suggest",
        ),
        pytest.param(
            lambda c: c.db.hosts[5],
            ConfigKeyError,
            r"db\.hosts\[5\]: list index 5 out of range",
            id="index-range",
        ),
        pytest.param(
            lambda c: c.db.hosts["x"],
            ConfigTypeError,
            "list indices must be integers",
            id="index-type",
        ),
        pytest.param(
            lambda c: c.missing,
            MissingValueError,
            r"missing: missing mandatory value",
            id="missing",
        ),
        pytest.param(lambda c: c[[1]], ConfigKeyError, "unhashable key", id="unhashable"),
    ],
)
def test_access_errors(expr: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        expr(cfg())


def test_missing_key_is_also_builtin_error() -> None:
    c = cfg()
    with pytest.raises(AttributeError):
        _ = c.nope
    with pytest.raises(KeyError):
        _ = c["nope"]
    assert getattr(c, "nope", 7) == 7


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(5, 5, id="int"),
        pytest.param({"x": [1, {"y": 2}]}, {"x": [1, {"y": 2}]}, id="dict"),
        pytest.param((1, 2), [1, 2], id="tuple-to-list"),
        pytest.param(Path("a/b"), Path("a/b"), id="path"),
        pytest.param(b"raw", b"raw", id="bytes"),
        pytest.param(None, None, id="none"),
    ],
)
def test_assignment(value: Any, expected: Any) -> None:
    c = cfg()
    c.db.new = value
    c["db"]["other"] = value
    assert c.db.new == expected
    assert c.db.other == expected
    loc = cc.where(c, "db.new")
    assert loc is not None and loc.kind == "code" and loc.file == __file__


def test_assigned_container_is_copied() -> None:
    c = cfg()
    src = {"a": [1]}
    c.x = src
    src["a"].append(2)
    assert c.x.a == [1]
    other = cc.create({"k": 1})
    c.y = other
    other.k = 2
    assert c.y.k == 1


def test_unsupported_value_type() -> None:
    with pytest.raises(ConfigTypeError, match=r"x: unsupported value type object"):
        cfg().x = object()


def test_delete_and_pop() -> None:
    c = cfg()
    del c.db.user
    del c["db"]["port"]
    assert list(c.db.keys()) == ["hosts"]
    assert c.db.hosts.pop() == "b"
    assert c.pop("n") is None
    assert c.pop("nope", 3) == 3
    with pytest.raises(ConfigAttributeError, match="db.zz: no such key"):
        del c.db.zz


def test_list_methods() -> None:
    c = cc.create({"l": [1, 2]})
    c.l.append({"a": 1})
    c.l.insert(0, 0)
    c.l.extend([5, 6])
    assert c.l == [0, 1, 2, {"a": 1}, 5, 6]
    assert c.l[3]._path() == "l[3]"
    c.l.remove(1)
    assert c.l[2].a == 1 and c.l[2]._path() == "l[2]"
    assert c.l.index(5) == 3 and c.l.count(6) == 1
    c.l[0] = "z"
    del c.l[0]
    assert c.l == [2, {"a": 1}, 5, 6]
    c.l.clear()
    assert len(c.l) == 0


def test_readonly_and_read_write() -> None:
    c = cfg()
    cc.set_readonly(c, True)
    assert cc.is_readonly(c.db)
    for action in (
        lambda: setattr(c.db, "user", "x"),
        lambda: c.db.hosts.append("c"),
        lambda: c.__delitem__("n"),
    ):
        with pytest.raises(ReadonlyConfigError, match="config is read-only"):
            action()
    with cc.read_write(c):
        c.db.user = "root"
    assert c.db.user == "root"
    assert cc.is_readonly(c)
    cc.set_readonly(c.db, False)
    c.db.user = "child-writable"
    assert c.db.user == "child-writable"


def test_struct_and_open_dict() -> None:
    c = cfg()
    cc.set_struct(c, True)
    with pytest.raises(
        ConfigAttributeError,
        match=r"db\.usr: cannot add a new key to a struct config; did you mean 'user'\?",
    ):
        c.db.usr = "x"
    c.db.user = "ok"
    with cc.open_dict(c):
        c.db.extra = 1
    assert c.db.extra == 1
    assert cc.is_struct(c.db)
    with pytest.raises(ConfigTypeError, match="struct"):
        del c.db.extra


@pytest.mark.parametrize(
    "copier",
    [copy.deepcopy, copy.copy, lambda c: pickle.loads(pickle.dumps(c))],
    ids=["deepcopy", "copy", "pickle"],
)
def test_copy_round_trips(copier: Any) -> None:
    c = cfg()
    cc.set_struct(c, True)
    d = copier(c)
    assert d == c
    assert d is not c
    assert d.url == "mysql://omry:3306"
    assert d.db.hosts._path() == "db.hosts"
    assert cc.is_struct(d)
    d.db.user = "changed"
    assert c.db.user == "omry"
    assert cc.where(d, "db.user") is not None


def test_deepcopy_of_subtree_keeps_relative_interpolation() -> None:
    c = cc.create({"a": 1, "sub": {"x": "${..a}"}})
    sub = copy.deepcopy(c.sub)
    assert sub.x == 1


def test_dir_lists_keys() -> None:
    assert "user" in dir(cfg().db)
