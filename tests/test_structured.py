"""Structured configs: field types, conversion, validation errors, merge, to_object."""

from __future__ import annotations

import dataclasses
import enum
import pathlib
import pickle
from dataclasses import dataclass, field
from typing import Any, Literal, Optional, Union

import pytest

import confcompose
from confcompose.errors import (
    ConfigError,
    ConfigKeyError,
    ConfigTypeError,
    MissingValueError,
    ReadonlyConfigError,
    ValidationError,
)
from confcompose.structured import apply_schema, merge_validated, to_object


class Color(enum.Enum):
    RED = 1
    GREEN = "g"


@dataclass
class Fields:
    i: int = 0
    f: float = 0.0
    b: bool = False
    s: str = ""
    by: bytes = b""
    p: pathlib.Path = pathlib.Path(".")
    e: Color = Color.RED
    a: Any = None
    oi: Optional[int] = None  # noqa: UP045 - the typing spelling is part of what is tested
    ni: int | None = None
    u: Union[int, str] = 0  # noqa: UP007
    lit: Literal["a", "b", 3] = "a"
    li: list[int] = field(default_factory=list)
    tup: tuple[int, ...] = (1, 2)
    pair: tuple[int, str] = (1, "x")
    ds: dict[str, float] = field(default_factory=dict)


_BAD = ValidationError

# (field, assigned value, stored value or an exception class)
LEAF_CASES = [
    pytest.param("i", 5, 5, id="int:int"),
    pytest.param("i", "80", 80, id="int:str-number"),
    pytest.param("i", " 7 ", 7, id="int:str-spaces"),
    pytest.param("i", "1_000", 1000, id="int:underscores"),
    pytest.param("i", "x", _BAD, id="int:str-word"),
    pytest.param("i", 3.0, _BAD, id="int:float"),
    pytest.param("i", True, _BAD, id="int:bool"),
    pytest.param("i", None, _BAD, id="int:none-not-optional"),
    pytest.param("i", "???", "???", id="int:missing"),
    pytest.param("i", "${s}", "${s}", id="int:interpolation-kept"),
    pytest.param("f", 1, 1.0, id="float:int"),
    pytest.param("f", "1e3", 1000.0, id="float:str-exp"),
    pytest.param("f", "x", _BAD, id="float:word"),
    pytest.param("f", True, _BAD, id="float:bool"),
    pytest.param("b", "yes", True, id="bool:yes"),
    pytest.param("b", "Off", False, id="bool:Off"),
    pytest.param("b", "y", True, id="bool:y"),
    pytest.param("b", "0", False, id="bool:str-zero"),
    pytest.param("b", 2, True, id="bool:int"),
    pytest.param("b", "maybe", _BAD, id="bool:word"),
    pytest.param("b", 1.5, _BAD, id="bool:float"),
    pytest.param("s", 1, "1", id="str:int"),
    pytest.param("s", True, "True", id="str:bool"),
    pytest.param("s", 1.5, "1.5", id="str:float"),
    pytest.param("s", Color.GREEN, "Color.GREEN", id="str:enum"),
    pytest.param("s", b"x", _BAD, id="str:bytes"),
    pytest.param("s", {"a": 1}, _BAD, id="str:dict"),
    pytest.param("by", b"x", b"x", id="bytes:bytes"),
    pytest.param("by", "x", _BAD, id="bytes:str"),
    pytest.param("p", "a/b", pathlib.Path("a/b"), id="path:str"),
    pytest.param("p", 1, _BAD, id="path:int"),
    pytest.param("e", "GREEN", Color.GREEN, id="enum:name"),
    pytest.param("e", "Color.GREEN", Color.GREEN, id="enum:qualified-name"),
    pytest.param("e", 1, Color.RED, id="enum:int-value"),
    pytest.param("e", "g", _BAD, id="enum:str-value"),
    pytest.param("e", "BLUE", _BAD, id="enum:unknown"),
    pytest.param("a", [1, "x"], [1, "x"], id="any:list"),
    pytest.param("oi", None, None, id="optional:none"),
    pytest.param("oi", "4", 4, id="optional:converts"),
    pytest.param("ni", None, None, id="pep604-optional:none"),
    pytest.param("ni", "x", _BAD, id="pep604-optional:bad"),
    pytest.param("u", "80", "80", id="union:str-kept"),
    pytest.param("u", 3, 3, id="union:int"),
    pytest.param("u", 3.0, _BAD, id="union:float"),
    pytest.param("u", True, _BAD, id="union:bool"),
    pytest.param("u", None, _BAD, id="union:none"),
    pytest.param("lit", "b", "b", id="literal:member"),
    pytest.param("lit", 3, 3, id="literal:int-member"),
    pytest.param("lit", "3", _BAD, id="literal:wrong-type"),
    pytest.param("lit", "c", _BAD, id="literal:other"),
    pytest.param("li", ["1", 2], [1, 2], id="list:elements-converted"),
    pytest.param("li", ["x"], _BAD, id="list:bad-element"),
    pytest.param("li", "abc", _BAD, id="list:string"),
    pytest.param("li", {"a": 1}, _BAD, id="list:dict"),
    pytest.param("tup", ["3"], [3], id="tuple:homogeneous"),
    pytest.param("pair", [2, 5], [2, "5"], id="tuple:fixed"),
    pytest.param("pair", [2], _BAD, id="tuple:wrong-length"),
    pytest.param("ds", {"k": "2"}, {"k": 2.0}, id="dict:values-converted"),
    pytest.param("ds", {"k": "x"}, _BAD, id="dict:bad-value"),
    pytest.param("ds", [1], _BAD, id="dict:list"),
]


@pytest.mark.parametrize(("name", "value", "expected"), LEAF_CASES)
def test_assignment(name: str, value: Any, expected: Any) -> None:
    cfg = confcompose.create(Fields)
    if isinstance(expected, type) and issubclass(expected, Exception):
        with pytest.raises(expected) as info:
            setattr(cfg, name, value)
        assert info.value.key_path.startswith(name)
        assert "test_structured.py" in str(info.value)  # the assignment's file and line
        return
    setattr(cfg, name, value)
    got = cfg._content[name]
    got = (
        confcompose.to_container(got)
        if isinstance(got, confcompose.DictNode | confcompose.ListNode)
        else got
    )
    assert got == expected
    assert type(got) is type(expected)


@dataclass
class OcFields:
    i: int = 0
    f: float = 0.0
    b: bool = False
    s: str = ""
    by: bytes = b""
    p: pathlib.Path = pathlib.Path(".")
    e: Color = Color.RED
    oi: Optional[int] = None  # noqa: UP045
    u: Union[int, str] = 0  # noqa: UP007
    li: list[int] = field(default_factory=list)
    ds: dict[str, float] = field(default_factory=dict)


# The values both libraries accept or refuse the same way (omegaconf has no Literal, fixed
# tuples or assignment of dicts to typed fields with a conversion of their own).
_DIFF_FIELDS = ("i", "f", "b", "s", "by", "p", "e", "oi", "u", "li", "ds")
_DIFF_VALUES = [
    "80",
    "x",
    3.0,
    3.5,
    True,
    1,
    0,
    2,
    "1.5",
    "yes",
    "on",
    "off",
    "Y",
    "n",
    "1",
    "0",
    None,
    b"x",
    "RED",
    "Color.RED",
    "g",
    Color.GREEN,
    "1e3",
    " 7 ",
    "0x10",
    "1_000",
    "inf",
    "${i}",
    "???",
    [1, "2"],
    ["x"],
    {"k": "3"},
]


@pytest.mark.parametrize("name", _DIFF_FIELDS)
def test_assignment_matches_omegaconf(name: str) -> None:
    oc = pytest.importorskip("omegaconf")
    for value in _DIFF_VALUES:
        ours = confcompose.create(OcFields)
        theirs = oc.OmegaConf.structured(OcFields)
        try:
            setattr(theirs, name, value)
            want: Any = oc.OmegaConf.to_container(theirs)[name]
        except oc.ValidationError:
            want = ValidationError
        try:
            setattr(ours, name, value)
            got: Any = confcompose.to_container(ours)[name]
        except ValidationError:
            got = ValidationError
        assert (got, type(got)) == (want, type(want)), f"{name} = {value!r}"


def test_merge_matches_omegaconf() -> None:
    oc = pytest.importorskip("omegaconf")
    other = {"i": "5", "f": 2, "b": "on", "li": ["3"], "ds": {"a": 1}, "e": "GREEN", "s": 4}
    want = oc.OmegaConf.to_container(oc.OmegaConf.merge(oc.OmegaConf.structured(OcFields), other))
    got = confcompose.to_container(confcompose.merge(OcFields, other))
    assert got == want
    for bad in ({"i": "x"}, {"li": ["x"]}, {"ds": {"a": "x"}}):
        with pytest.raises(oc.ValidationError):
            oc.OmegaConf.merge(oc.OmegaConf.structured(OcFields), bad)
        with pytest.raises(ValidationError):
            confcompose.merge(OcFields, bad)


@dataclass(frozen=True)
class Frozen:
    bits: int = 8


# An untyped mapping that a dataclass node is merged into takes its type (and a frozen
# dataclass's read-only flag), as in OmegaConf: (first, then, what is tried) -> error or None.
ADOPTION_CASES = [
    pytest.param({}, {}, ("b", "on"), None, id="converted"),
    pytest.param({}, {}, ("b", "maybe"), ValidationError, id="validated"),
    pytest.param({"x": 1}, {}, ("new", 1), ConfigError, id="unknown-key-refused"),
    pytest.param({}, {"i": 3}, ("i", "4"), None, id="merged-over-again"),
]


@pytest.mark.parametrize(("first", "then", "tried", "error"), ADOPTION_CASES)
def test_untyped_merged_with_dataclass_takes_its_type(
    first: dict[str, Any], then: dict[str, Any], tried: tuple[str, Any], error: Any
) -> None:
    oc = pytest.importorskip("omegaconf")
    key, value = tried
    want = oc.OmegaConf.merge(oc.OmegaConf.create(first), OcFields, then)
    ours = confcompose.merge(confcompose.create(first), OcFields, then)
    assert confcompose.to_container(ours) == oc.OmegaConf.to_container(want)
    if error is None:
        want[key] = value
        ours[key] = value
        assert confcompose.to_container(ours) == oc.OmegaConf.to_container(want)
        assert type(to_object(ours)) is OcFields is type(oc.OmegaConf.to_object(want))
    else:
        with pytest.raises((oc.errors.ValidationError, oc.errors.ConfigKeyError)):
            want[key] = value
        with pytest.raises(error):
            ours[key] = value


def test_untyped_merged_with_frozen_dataclass_is_read_only() -> None:
    cfg = confcompose.merge(confcompose.create({}), Frozen)
    with pytest.raises(ReadonlyConfigError):
        cfg.bits = 10
    assert to_object(cfg) == Frozen(8)


@dataclass
class DB:
    host: str = "localhost"
    port: int = 3306
    user: str = confcompose.MISSING


@dataclass
class App:
    db: DB = field(default_factory=DB)
    replicas: list[DB] = field(default_factory=list)
    named: dict[str, DB] = field(default_factory=dict)
    backup: Optional[DB] = None  # noqa: UP045
    required: DB = confcompose.MISSING  # type: ignore[assignment]
    url: str = "${db.host}:${db.port}"
    port_copy: int = "${db.port}"  # type: ignore[assignment]


@dataclass
class Need:
    user: str
    db: DB
    port: int = 1


def test_fields_without_default_are_missing() -> None:
    cfg = confcompose.create(Need)
    assert sorted(confcompose.missing_keys(cfg)) == ["db", "user"]
    with pytest.raises(MissingValueError, match="user"):
        _ = cfg.user


def test_defaults_missing_and_nesting() -> None:
    cfg = confcompose.create(App)
    assert cfg.db.port == 3306
    assert confcompose.is_missing(cfg, "db.user")
    assert confcompose.is_missing(cfg, "required")
    assert cfg.url == "localhost:3306"
    where = confcompose.where(cfg, "db.port")
    assert where is not None and where.kind == "default" and where.detail == "DB.port"
    assert where.file == __file__ and where.line is not None


def test_nested_assignment_and_merge() -> None:
    cfg = confcompose.create(App)
    cfg.replicas = [{"port": "1"}, DB(host="h")]
    cfg.named = {"a": {"host": "x"}}
    cfg.backup = {"port": "9"}
    cfg.required = DB(user="u")
    assert [r.port for r in cfg.replicas] == [1, 3306]
    assert cfg.named.a.port == 3306 and cfg.backup.port == 9
    with pytest.raises(ConfigKeyError, match="did you mean 'port'"):
        cfg.replicas[0].prot = 1
    with pytest.raises(ValidationError):
        cfg.named.b = {"port": "x"}
    with pytest.raises(ValidationError, match="not Optional"):
        cfg.db = None


def test_interpolation_results_are_converted() -> None:
    cfg = confcompose.create(App)
    assert cfg.port_copy == 3306
    cfg.db.host = "h"
    assert type(cfg.port_copy) is int
    cfg2 = confcompose.create(App)
    cfg2.port_copy = "${db.host}"
    with pytest.raises(ValidationError, match="interpolation"):
        _ = cfg2.port_copy


def test_unknown_keys_and_open_dict() -> None:
    cfg = confcompose.create(App)
    with pytest.raises(ConfigKeyError, match="did you mean 'host'"):
        cfg.db.hots = "x"
    with confcompose.open_dict(cfg):
        cfg.db.extra = 1
    assert cfg.db.extra == 1


def test_merge_error_points_at_yaml_line(tmp_path: pytest.TempPathFactory) -> None:
    path = tmp_path / "db.yaml"  # type: ignore[operator]
    path.write_text("db:\n  host: h\n  port: eighty\n")
    with pytest.raises(ValidationError) as info:
        apply_schema(confcompose.load(path), App)
    err = info.value
    assert err.key_path == "db.port"
    assert err.location is not None and err.location.line == 3
    assert str(err).startswith(f"{path}:3:")
    assert "'eighty'" in str(err) and "int" in str(err)
    path.write_text("db:\n  hots: h\n")
    with pytest.raises(ConfigKeyError, match="did you mean 'host'") as kinfo:
        apply_schema(confcompose.load(path), App)
    assert kinfo.value.location is not None and kinfo.value.location.line == 2


def test_merge_validated_converts() -> None:
    cfg = confcompose.create(DB)
    merge_validated(cfg, confcompose.create({"port": "80"}))
    assert cfg.port == 80


def test_to_object() -> None:
    cfg = confcompose.create(App)
    cfg.db.user = "u"
    cfg.required = {"user": "r"}
    cfg.named = {"a": {"user": "n"}}
    obj = to_object(cfg)
    assert isinstance(obj, App) and isinstance(obj.db, DB) and isinstance(obj.named["a"], DB)
    assert obj.url == "localhost:3306" and obj.port_copy == 3306
    assert to_object(confcompose.create(Fields)).tup == (1, 2)
    with pytest.raises(MissingValueError) as info:
        to_object(confcompose.create(App))
    assert info.value.key_path in ("db.user", "required")


def test_to_object_of_instance_round_trip() -> None:
    app = App(db=DB(user="u"), required=DB(user="r"), backup=DB(user="b", port=1))
    assert to_object(confcompose.create(app)) == dataclasses.replace(
        app, url="localhost:3306", port_copy=3306
    )


def test_pickle_keeps_types() -> None:
    cfg = pickle.loads(pickle.dumps(confcompose.create(App)))
    with pytest.raises(ValidationError):
        cfg.db.port = "x"


def test_dataclass_into_plain_config() -> None:
    cfg = confcompose.create({"a": 1})
    cfg.db = DB(user="u")
    assert cfg.db.port == 3306
    with pytest.raises(ValidationError):
        cfg.db.port = "x"
    with pytest.raises(ConfigTypeError):
        cfg.obj = object()


@dataclass
class Tree:
    value: int = 0
    child: Optional[Tree] = None  # noqa: UP045


def test_recursive_dataclass() -> None:
    cfg = confcompose.create(Tree)
    cfg.child = {"value": "2", "child": {"value": 3}}
    assert cfg.child.child.value == 3
    assert to_object(cfg) == Tree(0, Tree(2, Tree(3)))


def test_unsupported_field_type() -> None:
    @dataclass
    class Bad:
        x: object = field(default_factory=set)
        y: set[int] = field(default_factory=set)

    with pytest.raises(ConfigTypeError, match=r"Bad\.y"):
        confcompose.create(Bad)


def test_attrs_class() -> None:
    attr = pytest.importorskip("attr")

    @attr.define
    class Server:
        port: int = 80
        tags: list[str] = attr.Factory(list)

    cfg = confcompose.create(Server)
    cfg.port = "8080"
    cfg.tags = [1]
    assert to_object(cfg) == Server(8080, ["1"])
