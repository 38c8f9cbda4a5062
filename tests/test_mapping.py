"""Configs are MutableMapping / MutableSequence: dict(), **, libraries that take a Mapping, pydantic."""

from __future__ import annotations

import json
from collections.abc import Mapping, MutableMapping, MutableSequence, Sequence
from typing import Any

import pytest

import confcompose as cc
from confcompose import ConfigKeyError, MissingValueError, ReadonlyConfigError

# Keys named like the mapping methods: the methods still win on attribute access (as in
# OmegaConf) and the values are reached by item access.
METHOD_NAMES = ["keys", "items", "values", "get", "pop", "setdefault", "update", "clear", "popitem"]
DATA: dict[str, Any] = {
    **{name: i for i, name in enumerate(METHOD_NAMES)},
    "db": {"user": "omry", "port": "${port}"},
    "port": 3306,
    "hosts": ["a", "${db.user}"],
}


def cfg() -> Any:
    return cc.create(DATA)


@pytest.mark.parametrize(
    ("value", "abc"),
    [
        pytest.param(lambda: cfg(), MutableMapping, id="dict-mutablemapping"),
        pytest.param(lambda: cfg(), Mapping, id="dict-mapping"),
        pytest.param(lambda: cfg().db, MutableMapping, id="nested-dict"),
        pytest.param(lambda: cfg().hosts, MutableSequence, id="list-mutablesequence"),
        pytest.param(lambda: cfg().hosts, Sequence, id="list-sequence"),
        pytest.param(lambda: cc.create([1, 2]), MutableSequence, id="top-level-list"),
    ],
)
def test_isinstance_abc(value: Any, abc: type) -> None:
    assert isinstance(value(), abc)
    assert issubclass(type(value()), abc)


@pytest.mark.parametrize("name", METHOD_NAMES)
def test_methods_win_on_attribute_access(name: str) -> None:
    c = cfg()
    assert callable(getattr(c, name))
    assert getattr(c, name).__name__ == name
    assert c[name] == METHOD_NAMES.index(name)


EXPECTED = {
    **{name: i for i, name in enumerate(METHOD_NAMES)},
    "db": {"user": "omry", "port": 3306},
    "port": 3306,
    "hosts": ["a", "omry"],
}


@pytest.mark.parametrize(
    ("convert", "expected"),
    [
        pytest.param(
            lambda c: {k: v for k, v in dict(c).items() if k != "db"},
            {k: v for k, v in EXPECTED.items() if k != "db"},
            id="dict()",
        ),
        pytest.param(lambda c: (lambda **kw: sorted(kw))(**c), sorted(EXPECTED), id="**cfg"),
        pytest.param(lambda c: dict(c.db), {"user": "omry", "port": 3306}, id="dict-resolves"),
        pytest.param(lambda c: list(c.keys()), list(EXPECTED), id="keys"),
        pytest.param(lambda c: list(c.db.values()), ["omry", 3306], id="values"),
        pytest.param(lambda c: list(c.db.items()), [("user", "omry"), ("port", 3306)], id="items"),
        pytest.param(lambda c: "user" in c.db.keys(), True, id="keys-view-contains"),  # noqa: SIM118
        pytest.param(lambda c: len(c.keys()), len(EXPECTED), id="keys-view-len"),
        pytest.param(lambda c: list(c.hosts), ["a", "omry"], id="list()"),
        pytest.param(lambda c: list(reversed(c.hosts)), ["omry", "a"], id="reversed"),
        pytest.param(lambda c: list(reversed(c.db)), ["port", "user"], id="reversed-keys"),
        pytest.param(lambda c: c.hosts.index("omry"), 1, id="index"),
        pytest.param(lambda c: c.hosts.index("a", 0, 1), 0, id="index-start-stop"),
        pytest.param(
            lambda c: json.loads(json.dumps(dict(c.db))), {"user": "omry", "port": 3306}, id="json"
        ),
    ],
)
def test_mapping_protocol(convert: Any, expected: Any) -> None:
    assert convert(cfg()) == expected


def _update(c: Any) -> Any:
    c.db.update({"user": "root"}, port=1)
    return c.db


def _update_pairs(c: Any) -> Any:
    c.db.update([("user", "root")])
    return c.db


def _update_mapping(c: Any) -> Any:
    c.db.update(cc.create({"user": "x", "port": "${user}"}))  # resolved in its own config
    return c.db


def _popitem(c: Any) -> Any:
    return c.db.popitem(), c.db


def _clear(c: Any) -> Any:
    c.db.clear()
    return c.db


def _reverse(c: Any) -> Any:
    c.hosts.reverse()
    return c.hosts


def _iadd(c: Any) -> Any:
    hosts = c.hosts
    hosts += ["c"]
    return hosts is c.hosts, c.hosts


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        pytest.param(_update, {"user": "root", "port": 1}, id="update-mapping-and-keywords"),
        pytest.param(_update_pairs, {"user": "root", "port": 3306}, id="update-pairs"),
        pytest.param(_update_mapping, {"user": "x", "port": "x"}, id="update-config-resolved"),
        pytest.param(_popitem, (("port", 3306), {"user": "omry"}), id="popitem"),
        pytest.param(_clear, {}, id="clear"),
        pytest.param(_reverse, ["omry", "a"], id="reverse"),
        pytest.param(_iadd, (True, ["a", "omry", "c"]), id="iadd"),
    ],
)
def test_mutable_methods(mutate: Any, expected: Any) -> None:
    assert mutate(cfg()) == expected


def test_update_records_the_callers_line() -> None:
    c = cfg()
    c.db.update(user="root")
    loc = cc.where(c, "db.user")
    assert loc is not None and loc.kind == "code" and loc.file == __file__


@pytest.mark.parametrize(
    ("action", "error"),
    [
        pytest.param(lambda c: cc.create({}).popitem(), ConfigKeyError, id="popitem-empty"),
        pytest.param(lambda c: dict(cc.create({"a": "???"})), MissingValueError, id="dict-missing"),
        pytest.param(
            lambda c: cc.create({"a": "???"}).items(), MissingValueError, id="items-missing"
        ),
        pytest.param(
            lambda c: (cc.set_readonly(c, True), c.update(a=1)),
            ReadonlyConfigError,
            id="update-readonly",
        ),
        pytest.param(
            lambda c: (cc.set_readonly(c, True), c.hosts.reverse()),
            ReadonlyConfigError,
            id="reverse-readonly",
        ),
        pytest.param(lambda c: c.hosts.index("zz"), ConfigKeyError, id="index-absent"),
        pytest.param(lambda c: c.hosts.index("zz"), ValueError, id="index-absent-valueerror"),
        pytest.param(lambda c: c.hosts.remove("zz"), ValueError, id="remove-absent-valueerror"),
        pytest.param(lambda c: c.hosts.index("a", 1), ValueError, id="index-after-start"),
    ],
)
def test_mapping_errors(action: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        action(cfg())


def test_keys_view_includes_missing_values() -> None:
    c = cc.create({"a": "???", "b": 1})
    assert list(c.keys()) == ["a", "b"]
    assert "a" not in c  # a ??? value is not "in" the config (OmegaConf's rule) ...
    assert "a" in c.keys()  # noqa: SIM118 - ... but its key is in keys()


def _takes_mapping(m: Mapping[str, Any]) -> list[str]:
    return sorted(m)


def test_passes_where_a_mapping_is_expected() -> None:
    assert _takes_mapping(cfg().db) == ["port", "user"]


pydantic = pytest.importorskip("pydantic")


class DB(pydantic.BaseModel):
    user: str
    port: int


class App(pydantic.BaseModel):
    db: DB
    hosts: list[str]
    items: int
    keys: int


@pytest.mark.parametrize(
    ("model", "data", "expected"),
    [
        pytest.param(DB, lambda: cfg().db, DB(user="omry", port=3306), id="flat-interpolated"),
        pytest.param(
            App,
            cfg,
            App(db=DB(user="omry", port=3306), hosts=["a", "omry"], items=1, keys=0),
            id="nested-with-method-named-keys",
        ),
    ],
)
def test_pydantic_model_validate(model: Any, data: Any, expected: Any) -> None:
    assert model.model_validate(data()) == expected


def test_pydantic_reports_bad_values() -> None:
    with pytest.raises(pydantic.ValidationError, match="port"):
        DB.model_validate(cc.create({"user": "omry", "port": "many"}))
