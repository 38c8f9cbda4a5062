"""confcompose.omegaconf against the real omegaconf 2.3.0: the same calls, the same results.

Each case is a function of the library module (``omegaconf`` or ``confcompose.omegaconf``). Results
are compared exactly (configs as plain containers, types included). For an error case both must
raise, and the confcompose error must be an instance of the class real omegaconf raised (looked up
by name in ``confcompose.omegaconf.errors``, or the builtin) and a ``confcompose.ConfigError``
when omegaconf's is an OmegaConf error.
"""

from __future__ import annotations

import collections.abc as abc
import dataclasses
import enum
import io
import pickle
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import confcompose
import confcompose.omegaconf as cc

oc = pytest.importorskip("omegaconf", reason="the differential tests need omegaconf (test extra)")


MISSING_INT: Any = "???"
OBJ = object()


class Color(enum.Enum):
    RED = 1
    GREEN = 2


@dataclasses.dataclass
class DB:
    driver: str = "mysql"
    port: int = 3306
    user: str = "???"
    url: str = "${driver}://${user}@localhost:${port}"


@dataclasses.dataclass
class App:
    name: str = "app"
    db: DB = dataclasses.field(default_factory=DB)
    tags: list[str] = dataclasses.field(default_factory=lambda: ["a", "b"])
    color: Color = Color.RED
    ratio: float = 0.5
    debug: bool = False


@dataclasses.dataclass
class Server:
    host: str = "localhost"
    port: int = 80
    alias: str = "${host}"


@dataclasses.dataclass
class Typed:
    x: int = MISSING_INT
    e: Color = Color.RED
    o: int | None = None
    table: dict[str, int] = dataclasses.field(default_factory=dict)
    nums: list[int] = dataclasses.field(default_factory=list)


@dataclasses.dataclass(frozen=True)
class Frozen:
    x: int = 1


@dataclasses.dataclass
class HasFrozen:
    f: Frozen = dataclasses.field(default_factory=Frozen)
    y: int = 0


@dataclasses.dataclass
class ChildServer(Server):
    tls: bool = True


@dataclasses.dataclass
class Deploy:
    server: Server = dataclasses.field(default_factory=Server)


@dataclasses.dataclass
class Optionals:
    a: Server | None = None
    b: dict[str, int] | None = None
    c: list[int] | None = None
    d: int | None = None


Case = Callable[[ModuleType], Any]


def plain(value: Any, m: ModuleType) -> Any:
    """A comparable form of a result: configs as (kind, plain containers), types kept."""
    if isinstance(value, m.DictConfig | m.ListConfig):
        kind = "dict" if isinstance(value, m.DictConfig) else "list"
        return (kind, tagged(m.OmegaConf.to_container(value)))
    if isinstance(value, dict):
        return {tagged(k): plain(v, m) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return type(value)(plain(v, m) for v in value)
    return tagged(value)


def tagged(value: Any) -> Any:
    """``value`` with every leaf paired with its type, so ``1 == 1.0 == True`` stop being equal."""
    if isinstance(value, dict):
        return {tagged(k): tagged(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(tagged(v) for v in value)
    if isinstance(value, set):
        return {tagged(v) for v in value}
    if isinstance(value, str | int | float | bool | type(None) | bytes | enum.Enum | Path):
        return (type(value).__name__, value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, tagged(dataclasses.asdict(value)))
    return value


def outcome(case: Case, m: ModuleType) -> tuple[str, Any]:
    try:
        return ("ok", plain(case(m), m))
    except Exception as e:
        return ("raised", e)


def _cfg(m: ModuleType) -> Any:
    return m.OmegaConf.create(
        {
            "a": 1,
            "b": {"c": "x", "d": [1, 2.5, True, None], "e": "${a}"},
            "m": "???",
            "s": "http://${b.c}:${a}",
            "n": None,
        }
    )


def _ro(m: ModuleType) -> Any:
    cfg = m.OmegaConf.create({"a": {"b": 1}, "l": [1, 2]})
    m.OmegaConf.set_readonly(cfg, True)
    return cfg


def _struct(m: ModuleType) -> Any:
    cfg = m.OmegaConf.create({"a": {"b": 1}})
    m.OmegaConf.set_struct(cfg, True)
    return cfg


def _flags_after(m: ModuleType, ctx: str) -> Any:
    cfg = _struct(m)
    m.OmegaConf.set_readonly(cfg, True)
    with getattr(m, ctx)(cfg):
        state = (m.OmegaConf.is_struct(cfg), m.OmegaConf.is_readonly(cfg))
    return state, m.OmegaConf.is_struct(cfg), m.OmegaConf.is_readonly(cfg)


def _set(cfg: Any, key: str, value: Any) -> Any:
    cfg[key] = value
    return cfg


def _setattr(cfg: Any, key: str, value: Any) -> Any:
    setattr(cfg, key, value)
    return cfg


def _open_dict_add(m: ModuleType, cfg: Any) -> Any:
    with m.open_dict(cfg):
        cfg.extra = 5
    return cfg


def _update(m: ModuleType, cfg: Any, key: str, value: Any, **kw: Any) -> Any:
    m.OmegaConf.update(cfg, key, value, **kw)
    return cfg


def _resolved(m: ModuleType, cfg: Any) -> Any:
    m.OmegaConf.resolve(cfg)
    return cfg


def _resolver_case(name: str, fn: Any, text: Any, **kw: Any) -> Case:
    def case(m: ModuleType) -> Any:
        m.OmegaConf.register_new_resolver(name, fn, **kw)
        try:
            cfg = m.OmegaConf.create({"x": 3, "y": {"z": text}})
            # to_container: a resolver's list or dict result is a node in confcompose, plain
            # in OmegaConf (a documented difference)
            return m.OmegaConf.to_container(cfg, resolve=True)["y"]["z"]
        finally:
            m.OmegaConf.clear_resolver(name)

    return case


def _twice(m: ModuleType, **kw: Any) -> Any:
    m.OmegaConf.register_new_resolver("twice_x", lambda: 1, **kw)
    try:
        m.OmegaConf.register_new_resolver("twice_x", lambda: 2, **kw)
        return m.OmegaConf.create({"a": "${twice_x:}"}).a
    finally:
        m.OmegaConf.clear_resolver("twice_x")


def _cached(m: ModuleType) -> Any:
    calls = []
    m.OmegaConf.register_new_resolver(
        "counted_x", lambda v: calls.append(v) or len(calls), use_cache=True
    )
    try:
        cfg = m.OmegaConf.create({"a": "${counted_x:k}", "b": "${counted_x:k}"})
        first = (cfg.a, cfg.b, len(calls), len(m.OmegaConf.get_cache(cfg)["counted_x"]))
        m.OmegaConf.clear_cache(cfg)
        return first, cfg.a, len(m.OmegaConf.get_cache(cfg)["counted_x"])
    finally:
        m.OmegaConf.clear_resolver("counted_x")


CASES: list[Any] = [
    # -- create ----------------------------------------------------------------------------
    pytest.param(lambda m: m.OmegaConf.create(), id="create:empty"),
    pytest.param(lambda m: m.OmegaConf.create({"a": {"b": [1, {"c": 2}]}}), id="create:dict"),
    pytest.param(lambda m: m.OmegaConf.create([1, "x", None, 2.5]), id="create:list"),
    pytest.param(lambda m: m.OmegaConf.create((1, 2)), id="create:tuple"),
    pytest.param(lambda m: m.OmegaConf.create("a: 1\nb: [x, y]\n"), id="create:yaml"),
    pytest.param(lambda m: m.OmegaConf.create("- 1\n- 2\n"), id="create:yaml-list"),
    pytest.param(lambda m: m.OmegaConf.create(""), id="create:yaml-empty"),
    pytest.param(lambda m: m.OmegaConf.create("just_a_key"), id="create:yaml-scalar"),
    pytest.param(lambda m: m.OmegaConf.create({1: "a", 2.5: "b", False: "c"}), id="create:keys"),
    pytest.param(lambda m: m.OmegaConf.create({"c": Color.RED}), id="create:enum"),
    pytest.param(lambda m: m.OmegaConf.create({"p": Path("/tmp/x")}), id="create:path"),
    pytest.param(lambda m: m.OmegaConf.create({"b": b"bytes"}), id="create:bytes"),
    pytest.param(lambda m: m.OmegaConf.create(_cfg(m).b), id="create:from-config"),
    pytest.param(lambda m: m.OmegaConf.create(DB), id="create:dataclass"),
    pytest.param(lambda m: m.OmegaConf.create({"x": object()}), id="create:err-object"),
    pytest.param(
        lambda m: (
            m.OmegaConf.create(
                {"x": OBJ, "s": Server, "l": [OBJ]}, flags={"allow_objects": True, "readonly": True}
            ).l[0]
            is OBJ
        ),
        id="create:allow_objects",
    ),
    pytest.param(lambda m: m.OmegaConf.create("a: [1"), id="create:err-yaml"),
    pytest.param(
        lambda m: m.OmegaConf.is_readonly(m.OmegaConf.create({"a": 1}, flags={"readonly": True})),
        id="create:flags",
    ),
    pytest.param(lambda m: m.OmegaConf.create({"a": m.IntegerNode(3)}), id="create:value-node"),
    # -- DictConfig / ListConfig construction and isinstance -------------------------------
    pytest.param(lambda m: m.DictConfig({"a": 1, "b": [1]}), id="DictConfig:positional"),
    pytest.param(lambda m: m.DictConfig(content={"a": "${b}", "b": 2}).a, id="DictConfig:interp"),
    pytest.param(
        lambda m: m.OmegaConf.is_struct(m.DictConfig(content={"a": 1}, flags={"struct": True})),
        id="DictConfig:flags",
    ),
    pytest.param(lambda m: m.ListConfig([1, [2, 3]]), id="ListConfig:positional"),
    pytest.param(lambda m: m.ListConfig(content=(1, 2)), id="ListConfig:tuple"),
    pytest.param(
        lambda m: [
            isinstance(x, t)
            for x in (_cfg(m), _cfg(m).b.d, m.OmegaConf.create(DB), {}, [], 1)
            for t in (m.DictConfig, m.ListConfig, m.Container, m.Node)
        ],
        id="isinstance",
    ),
    pytest.param(lambda m: m.OmegaConf.is_config(_cfg(m).b), id="is_config"),
    pytest.param(lambda m: [m.OmegaConf.is_dict(_cfg(m)), m.OmegaConf.is_dict([])], id="is_dict"),
    pytest.param(
        lambda m: [m.OmegaConf.is_list(_cfg(m).b.d), m.OmegaConf.is_list([])], id="is_list"
    ),
    # -- access and errors -----------------------------------------------------------------
    pytest.param(lambda m: _cfg(m).b.e, id="get:interp"),
    pytest.param(lambda m: _cfg(m).s, id="get:string-interp"),
    pytest.param(lambda m: _cfg(m).m, id="get:err-missing"),
    pytest.param(lambda m: _cfg(m).zz, id="get:err-attr"),
    pytest.param(lambda m: _cfg(m)["zz"], id="get:err-item"),
    pytest.param(lambda m: _cfg(m).b.d[10], id="get:err-index"),
    pytest.param(lambda m: _cfg(m).get("zz", 7), id="get:default"),
    pytest.param(lambda m: m.OmegaConf.create({"a": "${nope}"}).a, id="get:err-interp-key"),
    pytest.param(
        lambda m: m.OmegaConf.create({"a": "${x}", "x": "???"}).a, id="get:err-to-missing"
    ),
    pytest.param(lambda m: m.OmegaConf.create({"a": "${nores:1}"}).a, id="get:err-no-resolver"),
    pytest.param(lambda m: m.OmegaConf.create({"a": "${foo"}).a, id="get:err-grammar"),
    pytest.param(lambda m: m.OmegaConf.create({"a": "${b}", "b": "${a}"}).a, id="get:err-cycle"),
    pytest.param(lambda m: _set(_ro(m), "a", 2), id="set:err-readonly"),
    pytest.param(lambda m: _setattr(_ro(m).a, "b", 2), id="set:err-readonly-child"),
    pytest.param(lambda m: _set(_struct(m), "zz", 2), id="set:err-struct-item"),
    pytest.param(lambda m: _setattr(_struct(m), "zz", 2), id="set:err-struct-attr"),
    pytest.param(lambda m: _setattr(_cfg(m), "zz", object()), id="set:err-object"),
    pytest.param(lambda m: _open_dict_add(m, _struct(m)), id="open_dict:add"),
    pytest.param(lambda m: _flags_after(m, "open_dict"), id="open_dict:flags"),
    pytest.param(lambda m: _flags_after(m, "read_write"), id="read_write:flags"),
    pytest.param(
        lambda m: [
            m.OmegaConf.is_readonly(m.OmegaConf.create({})),
            m.OmegaConf.is_struct(m.OmegaConf.create({})),
            m.OmegaConf.is_struct(_struct(m).a),
            m.OmegaConf.is_readonly(_ro(m).l),
        ],
        id="flags:inherited-and-unset",
    ),
    pytest.param(lambda m: _flag_override(m), id="flag_override"),
    # -- merge -----------------------------------------------------------------------------
    pytest.param(
        lambda m: m.OmegaConf.merge({"a": 1, "b": {"c": 1}}, {"b": {"d": 2}}, {"a": 3}), id="merge"
    ),
    pytest.param(lambda m: m.OmegaConf.merge(_cfg(m), {"b": {"d": [9]}}), id="merge:list-replaced"),
    pytest.param(lambda m: m.OmegaConf.merge([1, 2], [3]), id="merge:lists"),
    pytest.param(lambda m: m.OmegaConf.merge(_struct(m), {"zz": 1}), id="merge:err-struct"),
    pytest.param(lambda m: m.OmegaConf.merge(DB, {"user": "root"}), id="merge:dataclass"),
    pytest.param(lambda m: m.OmegaConf.merge(DB, {"port": "x"}), id="merge:err-validation"),
    pytest.param(lambda m: m.OmegaConf.merge(DB, {"nope": 1}), id="merge:err-schema-key"),
    pytest.param(lambda m: m.OmegaConf.unsafe_merge(_cfg(m), {"a": 5}), id="unsafe_merge"),
    pytest.param(
        lambda m: m.OmegaConf.is_readonly(m.OmegaConf.merge(_ro(m), {"a": {"c": 1}})),
        id="merge:readonly-kept",
    ),
    # -- to_container / to_yaml / to_object ------------------------------------------------
    pytest.param(lambda m: m.OmegaConf.to_container(_cfg(m)), id="to_container"),
    pytest.param(
        lambda m: m.OmegaConf.to_container(_cfg(m).b, resolve=True), id="to_container:resolve"
    ),
    pytest.param(
        lambda m: m.OmegaConf.to_container(_cfg(m), throw_on_missing=True),
        id="to_container:err-missing",
    ),
    pytest.param(
        lambda m: m.OmegaConf.to_container(
            m.OmegaConf.create({Color.RED: Color.GREEN}), enum_to_str=True
        ),
        id="to_container:enum_to_str",
    ),
    pytest.param(lambda m: m.OmegaConf.to_container({"a": 1}), id="to_container:err-not-config"),
    pytest.param(
        lambda m: m.OmegaConf.to_container(
            m.OmegaConf.structured(App), structured_config_mode=m.SCMode.DICT
        ),
        id="to_container:scmode-dict",
    ),
    pytest.param(
        lambda m: [
            type(v).__name__ if isinstance(v, m.DictConfig) else v
            for v in m.OmegaConf.to_container(
                m.OmegaConf.create({"app": App, "x": 1}),
                structured_config_mode=m.SCMode.DICT_CONFIG,
            ).values()
        ][1:],
        id="to_container:scmode-dict-config",
    ),
    pytest.param(
        lambda m: m.OmegaConf.to_container(
            m.OmegaConf.merge({"s": Server}, {"s": {"port": 8}}),
            structured_config_mode=m.SCMode.INSTANTIATE,
        ),
        id="to_container:scmode-instantiate",
    ),
    pytest.param(lambda m: m.OmegaConf.to_object(m.OmegaConf.structured(Server)), id="to_object"),
    pytest.param(lambda m: m.OmegaConf.to_object(_cfg(m)), id="to_object:err-missing"),
    pytest.param(
        lambda m: m.OmegaConf.to_object(m.OmegaConf.merge(App, {"db": {"user": "u"}})),
        id="to_object:nested",
    ),
    pytest.param(lambda m: m.OmegaConf.to_yaml(_cfg(m)), id="to_yaml"),
    pytest.param(lambda m: m.OmegaConf.to_yaml(_cfg(m).b, resolve=True), id="to_yaml:resolve"),
    pytest.param(
        lambda m: m.OmegaConf.to_yaml(
            m.OmegaConf.create({"z": 1, "a": {"y": 2, "b": 3}}), sort_keys=True
        ),
        id="to_yaml:sort_keys",
    ),
    pytest.param(lambda m: m.OmegaConf.to_yaml(Server), id="to_yaml:dataclass"),
    pytest.param(lambda m: m.OmegaConf.to_yaml(App()), id="to_yaml:dataclass-instance"),
    # -- structured ------------------------------------------------------------------------
    pytest.param(lambda m: m.OmegaConf.structured(App), id="structured:class"),
    pytest.param(lambda m: m.OmegaConf.structured(Server(port=1)), id="structured:instance"),
    pytest.param(lambda m: m.OmegaConf.structured(DB).url, id="structured:err-interp-missing"),
    pytest.param(
        lambda m: _setattr(m.OmegaConf.structured(Server), "port", "x"), id="structured:err-type"
    ),
    pytest.param(
        lambda m: _setattr(m.OmegaConf.structured(Server), "port", "12"), id="structured:convert"
    ),
    pytest.param(
        lambda m: _setattr(m.OmegaConf.structured(Server), "nope", 1), id="structured:err-new-key"
    ),
    pytest.param(lambda m: m.OmegaConf.structured(Server).nope, id="structured:err-get-absent"),
    pytest.param(
        lambda m: m.OmegaConf.is_struct(m.OmegaConf.structured(Server)), id="structured:is_struct"
    ),
    pytest.param(
        lambda m: _open_dict_add(m, m.OmegaConf.structured(Server)), id="structured:open_dict"
    ),
    pytest.param(
        lambda m: m.OmegaConf.get_type(m.OmegaConf.structured(App), "db"), id="get_type:dataclass"
    ),
    pytest.param(
        lambda m: (
            [m.OmegaConf.get_type(_cfg(m), k) for k in ("a", "b", "m", "s", "n")]
            + [m.OmegaConf.get_type(_cfg(m).b.d), m.OmegaConf.get_type(m.OmegaConf.structured(App))]
        ),
        id="get_type",
    ),
    # -- select / update / resolve / missing -----------------------------------------------
    pytest.param(lambda m: m.OmegaConf.select(_cfg(m), "b.d[1]"), id="select"),
    pytest.param(lambda m: m.OmegaConf.select(_cfg(m), "b.e"), id="select:interp"),
    pytest.param(lambda m: m.OmegaConf.select(_cfg(m), "b.zz"), id="select:absent"),
    pytest.param(lambda m: m.OmegaConf.select(_cfg(m), "zz.yy", default=4), id="select:default"),
    pytest.param(lambda m: m.OmegaConf.select(_cfg(m), "m"), id="select:missing"),
    pytest.param(
        lambda m: m.OmegaConf.select(_cfg(m), "m", default=1), id="select:missing-default"
    ),
    pytest.param(
        lambda m: m.OmegaConf.select(_cfg(m), "m", throw_on_missing=True), id="select:err-missing"
    ),
    pytest.param(lambda m: m.OmegaConf.select(_cfg(m), ""), id="select:root"),
    pytest.param(lambda m: m.OmegaConf.select(_cfg(m).b, ".c"), id="select:relative"),
    pytest.param(
        lambda m: m.OmegaConf.select(m.OmegaConf.create({"a": "${x}"}), "a"),
        id="select:err-resolution",
    ),
    pytest.param(
        lambda m: m.OmegaConf.select(
            m.OmegaConf.create({"a": "${x}"}), "a", throw_on_resolution_failure=False
        ),
        id="select:no-throw-resolution",
    ),
    pytest.param(lambda m: _update(m, _cfg(m), "b.c", "y"), id="update:leaf"),
    pytest.param(lambda m: _update(m, _cfg(m), "new.deep.key", 1), id="update:new-path"),
    pytest.param(lambda m: _update(m, _cfg(m), "b", {"q": 1}), id="update:merge"),
    pytest.param(lambda m: _update(m, _cfg(m), "b", {"q": 1}, merge=False), id="update:replace"),
    pytest.param(lambda m: _update(m, _cfg(m), "b.d[0]", 7), id="update:list-index"),
    pytest.param(lambda m: _update(m, _struct(m), "a.zz", 1), id="update:err-struct"),
    pytest.param(
        lambda m: _update(m, _struct(m), "a.zz", 1, force_add=True), id="update:force_add"
    ),
    pytest.param(lambda m: _resolved(m, _cfg(m)), id="resolve"),
    pytest.param(lambda m: m.OmegaConf.missing_keys(_cfg(m)), id="missing_keys"),
    pytest.param(
        lambda m: m.OmegaConf.missing_keys(m.OmegaConf.create({"l": [1, "???", {"x": "???"}]})),
        id="missing_keys:list",
    ),
    pytest.param(lambda m: m.OmegaConf.missing_keys({"a": "???"}), id="missing_keys:plain"),
    pytest.param(
        lambda m: [m.OmegaConf.is_missing(_cfg(m), k) for k in ("a", "m", "zz", "s")],
        id="is_missing",
    ),
    pytest.param(
        lambda m: (
            [m.OmegaConf.is_interpolation(_cfg(m), k) for k in ("a", "m", "zz", "s")]
            + [m.OmegaConf.is_interpolation(_cfg(m).b, "e"), m.OmegaConf.is_interpolation(_cfg(m))]
        ),
        id="is_interpolation",
    ),
    pytest.param(lambda m: m.OmegaConf.masked_copy(_cfg(m), ["a", "b"]), id="masked_copy"),
    pytest.param(lambda m: m.OmegaConf.masked_copy(_cfg(m), "a"), id="masked_copy:str"),
    pytest.param(lambda m: m.OmegaConf.masked_copy(_cfg(m), "b").b.e, id="masked_copy:err-interp"),
    pytest.param(lambda m: m.OmegaConf.masked_copy([1], "a"), id="masked_copy:err-list"),
    # -- dotlist / cli ---------------------------------------------------------------------
    pytest.param(
        lambda m: m.OmegaConf.from_dotlist(
            ["a.b=1", "c=[1, x]", "d", "e=", "f=null", "g={k: v}", "h=1.5", "i=true", "j='7'"]
        ),
        id="from_dotlist",
    ),
    pytest.param(lambda m: m.OmegaConf.from_dotlist(["a=1", "a.b=2"]), id="from_dotlist:overwrite"),
    pytest.param(lambda m: m.OmegaConf.from_cli(["x.y=z", "n=3"]), id="from_cli"),
    pytest.param(lambda m: m.OmegaConf.from_dotlist("a=1"), id="from_dotlist:err-not-list"),
    # -- resolvers -------------------------------------------------------------------------
    pytest.param(_resolver_case("plus_x", lambda a, b: a + b, "${plus_x:1,2}"), id="resolver"),
    pytest.param(
        _resolver_case(
            "kind_x", lambda *a: [type(v).__name__ for v in a], "${kind_x:1,a,2.5,true,null}"
        ),
        id="resolver:arg-types",
    ),
    pytest.param(
        _resolver_case("parent_x", lambda _parent_: sorted(_parent_.keys()), "${parent_x:}"),
        id="resolver:parent",
    ),
    pytest.param(
        _resolver_case("root_x", lambda _root_: _root_.x, "${root_x:}"), id="resolver:root"
    ),
    pytest.param(
        _resolver_case("node_x", lambda x: x, "${node_x:${x}}"), id="resolver:nested-interp"
    ),
    pytest.param(
        _resolver_case("cache_x", lambda _parent_: 1, "${cache_x:}", use_cache=True),
        id="resolver:err-cache-parent",
    ),
    pytest.param(lambda m: _twice(m), id="resolver:err-twice"),
    pytest.param(lambda m: _twice(m, replace=True), id="resolver:replace"),
    pytest.param(
        lambda m: m.OmegaConf.register_new_resolver("", lambda: 1), id="resolver:err-empty"
    ),
    pytest.param(
        lambda m: m.OmegaConf.register_new_resolver("nc_x", 1), id="resolver:err-not-callable"
    ),
    pytest.param(
        lambda m: [m.OmegaConf.has_resolver(n) for n in ("oc.env", "oc.select", "nope_x")],
        id="has_resolver",
    ),
    pytest.param(lambda m: m.OmegaConf.clear_resolver("nope_x"), id="clear_resolver:absent"),
    pytest.param(_cached, id="resolver:use_cache"),
    pytest.param(
        lambda m: m.OmegaConf.create({"a": "${oc.select:zz,5}", "b": "${oc.decode:'[1, 2]'}"}),
        id="resolver:builtins",
    ),
    pytest.param(
        lambda m: m.OmegaConf.to_container(
            m.OmegaConf.create({"a": "${oc.select:zz,5}", "b": "${oc.decode:'[1, 2]'}"}),
            resolve=True,
        ),
        id="resolver:builtins-resolved",
    ),
    # -- helpers ---------------------------------------------------------------------------
    pytest.param(lambda m: [m.SI("a${b}"), m.II("x.y"), m.MISSING], id="SI-II-MISSING"),
    pytest.param(lambda m: [e.name for e in m.SCMode], id="SCMode"),
    pytest.param(lambda m: m.__version__, id="version"),
    pytest.param(lambda m: pickle.loads(pickle.dumps(_cfg(m))).b.e, id="pickle"),
    pytest.param(
        lambda m: pickle.loads(pickle.dumps(m.OmegaConf.structured(App))), id="pickle:structured"
    ),
    pytest.param(lambda m: _cfg(m) == m.OmegaConf.create(_cfg(m)), id="eq"),
    # -- DictConfig / ListConfig methods ---------------------------------------------------
    pytest.param(lambda m: _merged_with(m, _cfg(m), {"b": {"q": 1}}, {"a": 2}), id="merge_with"),
    pytest.param(lambda m: _merged_with(m, _cfg(m).b.d, [7]), id="merge_with:list"),
    pytest.param(
        lambda m: _merged_with(m, m.OmegaConf.structured(Server), {"port": "8"}),
        id="merge_with:structured",
    ),
    pytest.param(lambda m: _merged_with(m, _struct(m), {"zz": 1}), id="merge_with:err-struct"),
    pytest.param(lambda m: _merged_with(m, _ro(m), {"a": 1}), id="merge_with:err-readonly"),
    pytest.param(lambda m: _copied(m, _cfg(m)), id="copy"),
    pytest.param(lambda m: _copied(m, _cfg(m).b), id="copy:child-sees-parent"),
    # (``ListConfig + list`` is a ListConfig in OmegaConf, a list here: a documented difference)
    pytest.param(lambda m: [_cfg(m).b.d.copy(), list(_cfg(m).b.d.__add__([3]))], id="copy:list"),
    pytest.param(
        lambda m: [len(_cfg(m)), "a" in _cfg(m), "m" in _cfg(m), list(_cfg(m)), dict(_cfg(m).b)],
        id="dict-protocol",
    ),
    pytest.param(lambda m: list(_cfg(m).b.d), id="list-iter"),
    pytest.param(
        lambda m: [
            isinstance(x, t)
            for x in (_cfg(m), _cfg(m).b.d)
            for t in (abc.Mapping, abc.MutableMapping, abc.Sequence, abc.MutableSequence)
        ],
        id="abc-registration",
    ),
    pytest.param(lambda m: _cfg(m).pop("a"), id="pop"),
    pytest.param(lambda m: _set_default(_cfg(m), "new", [1]), id="setdefault"),
    pytest.param(
        lambda m: m.OmegaConf.create({"x": [Server, {"s": Server()}]}),
        id="create:nested-dataclasses",
    ),
    pytest.param(
        lambda m: m.OmegaConf.create({"b": "${..a}"}, parent=_cfg(m)).b, id="create:parent"
    ),
    pytest.param(
        _resolver_case("eval_x", eval, "${eval_x:'1 + 2 * 3'}"), id="resolver:builtin-eval"
    ),
    pytest.param(
        lambda m: m.OmegaConf.create({"a": "${oc.env:NOPE_X_UNSET}"}).a, id="get:err-env-unset"
    ),
    # -- edges -----------------------------------------------------------------------------
    pytest.param(lambda m: m.OmegaConf.create(1), id="create:err-int"),
    pytest.param(lambda m: m.OmegaConf.merge({"a": 1}, 5), id="merge:err-int"),
    pytest.param(lambda m: m.OmegaConf.merge({"a": 1}, [1]), id="merge:err-dict-list"),
    pytest.param(lambda m: m.DictConfig([1]), id="DictConfig:err-list"),
    pytest.param(lambda m: m.ListConfig({"a": 1}), id="ListConfig:err-dict"),
    pytest.param(
        lambda m: _update(m, m.OmegaConf.create({"l": [1]}), "l.5", 1), id="update:err-index"
    ),
    pytest.param(lambda m: m.OmegaConf.create([1]).__setitem__(3, 1), id="set:err-index"),
    pytest.param(
        lambda m: _update(m, m.OmegaConf.create({"a": 1}, flags={"readonly": True}), "a", 2),
        id="update:err-readonly",
    ),
    pytest.param(
        lambda m: m.OmegaConf.select(m.OmegaConf.create({"a": "${b}", "b": "???"}), "a"),
        id="select:err-interp-to-missing",
    ),
    pytest.param(
        lambda m: m.OmegaConf.is_missing(m.OmegaConf.create([1, "???"]), 1), id="is_missing:list"
    ),
    pytest.param(
        lambda m: m.OmegaConf.masked_copy(m.OmegaConf.create({"a": 1}), ["a", "zz"]),
        id="masked_copy:absent-key",
    ),
    pytest.param(lambda m: m.OmegaConf.structured(Typed), id="typed"),
    pytest.param(
        lambda m: m.OmegaConf.missing_keys(m.OmegaConf.structured(Typed)), id="typed:missing"
    ),
    pytest.param(lambda m: m.OmegaConf.to_yaml(m.OmegaConf.structured(Typed)), id="typed:to_yaml"),
    pytest.param(
        lambda m: _set(m.OmegaConf.structured(Typed).table, "k", "x"), id="typed:err-dict-value"
    ),
    pytest.param(
        lambda m: _set(m.OmegaConf.structured(Typed).table, "k", "3"), id="typed:dict-convert"
    ),
    pytest.param(
        lambda m: m.OmegaConf.structured(Typed).nums.append("x"), id="typed:err-list-value"
    ),
    pytest.param(
        lambda m: _appended(m.OmegaConf.structured(Typed).nums, "3"), id="typed:list-convert"
    ),
    pytest.param(
        lambda m: _setattr(m.OmegaConf.structured(Typed), "e", "GREEN"), id="typed:enum-by-name"
    ),
    pytest.param(
        lambda m: _setattr(m.OmegaConf.structured(Typed), "e", "BLUE"), id="typed:err-enum"
    ),
    pytest.param(lambda m: _setattr(m.OmegaConf.structured(Typed), "x", None), id="typed:err-none"),
    pytest.param(
        lambda m: _setattr(m.OmegaConf.structured(Typed), "o", None), id="typed:optional-none"
    ),
    pytest.param(
        lambda m: m.OmegaConf.to_container(
            m.OmegaConf.create([Typed]), structured_config_mode=m.SCMode.INSTANTIATE
        ),
        id="typed:err-instantiate-missing",
    ),
    pytest.param(
        lambda m: m.OmegaConf.to_object(m.OmegaConf.merge(Typed, {"x": 1, "nums": [1, "2"]})),
        id="typed:to_object",
    ),
    pytest.param(
        lambda m: m.OmegaConf.create({"a": {"b": 1}, "c": "${a}"}).c, id="get:interp-to-node"
    ),
    pytest.param(lambda m: list(m.OmegaConf.create({"a": "${b}", "b": 1}).items()), id="items"),
    pytest.param(lambda m: str(m.OmegaConf.create({"a": "${b}", "b": [1, "???"]})), id="str"),
    pytest.param(lambda m: m.OmegaConf.create({"a": "???"}).get("a", 5), id="get:missing-default"),
    pytest.param(lambda m: "a" in m.OmegaConf.create({"a": "???"}), id="in:missing"),
    pytest.param(lambda m: m.OmegaConf.from_dotlist(["a=[1,2]", "a.0=5"]), id="from_dotlist:index"),
    # -- merge_with_dotlist / merge_with_cli -----------------------------------------------
    pytest.param(
        lambda m: _dotlisted(_cfg(m), ["b.d.1=x", "b={q: 1}", "a", "new.k=???"]),
        id="merge_with_dotlist",
    ),
    pytest.param(lambda m: _dotlisted(_struct(m), ["a.zz=1"]), id="merge_with_dotlist:err-struct"),
    pytest.param(
        lambda m: _dotlisted(m.OmegaConf.structured(Server), ["port=12"]),
        id="merge_with_dotlist:structured",
    ),
    pytest.param(
        lambda m: _dotlisted(m.OmegaConf.structured(Server), ["port=x"]),
        id="merge_with_dotlist:err-type",
    ),
    pytest.param(lambda m: _dotlisted(_cfg(m), ["b.d.9=1"]), id="merge_with_dotlist:err-index"),
    pytest.param(lambda m: _dotlisted(_ro(m), ["a.b=2"]), id="merge_with_dotlist:err-readonly"),
    pytest.param(lambda m: _dotlisted(_cfg(m), "a=1"), id="merge_with_dotlist:err-str"),
    pytest.param(lambda m: _with_argv(m, ["prog", "a=5", "b.c=[1]"]), id="merge_with_cli"),
    # -- dataclass subclasses and frozen dataclasses -------------------------------------
    pytest.param(
        lambda m: [m.OmegaConf.get_type(m.OmegaConf.structured(Optionals), k) for k in "abcd"],
        id="get_type:optional-fields",
    ),
    pytest.param(lambda m: m.OmegaConf.merge(Server, ChildServer), id="subclass:merge"),
    pytest.param(
        lambda m: m.OmegaConf.merge(Server, ChildServer(port=1), {"tls": False}),
        id="subclass:merge-then-field",
    ),
    pytest.param(
        lambda m: m.OmegaConf.get_type(m.OmegaConf.merge(Server, ChildServer)), id="subclass:type"
    ),
    pytest.param(
        lambda m: m.OmegaConf.to_object(m.OmegaConf.merge(Deploy, {"server": ChildServer})),
        id="subclass:nested-to_object",
    ),
    pytest.param(lambda m: m.OmegaConf.merge(ChildServer, Server), id="subclass:err-superclass"),
    pytest.param(lambda m: m.OmegaConf.merge(Server, DB), id="subclass:err-unrelated"),
    pytest.param(lambda m: _setattr(m.OmegaConf.structured(Frozen), "x", 2), id="frozen:err-set"),
    pytest.param(
        lambda m: _setattr(m.OmegaConf.structured(HasFrozen).f, "x", 2), id="frozen:err-set-nested"
    ),
    pytest.param(
        lambda m: [
            m.OmegaConf.is_readonly(m.OmegaConf.structured(Frozen)),
            m.OmegaConf.is_readonly(m.OmegaConf.structured(HasFrozen)),
            m.OmegaConf.is_readonly(m.OmegaConf.structured(HasFrozen).f),
            m.OmegaConf.is_readonly(m.OmegaConf.merge(Frozen, {"x": 2})),
        ],
        id="frozen:readonly",
    ),
    pytest.param(lambda m: m.OmegaConf.merge(Frozen, {"x": 2}), id="frozen:merge-root"),
    pytest.param(
        lambda m: m.OmegaConf.to_object(m.OmegaConf.merge(HasFrozen, {"y": 3})),
        id="frozen:to_object",
    ),
]


def _dotlisted(cfg: Any, dotlist: Any) -> Any:
    cfg.merge_with_dotlist(dotlist)
    return cfg


def _with_argv(m: ModuleType, argv: list[str]) -> Any:
    import sys

    saved, sys.argv = sys.argv, argv
    try:
        cfg = _cfg(m)
        cfg.merge_with_cli()
        return cfg, m.OmegaConf.from_cli()
    finally:
        sys.argv = saved


def _appended(items: Any, value: Any) -> Any:
    items.append(value)
    return items


def _merged_with(m: ModuleType, cfg: Any, *others: Any) -> Any:
    cfg.merge_with(*others)
    return cfg


def _set_default(cfg: Any, key: str, value: Any) -> Any:
    cfg.setdefault(key, value)
    cfg.setdefault("a", value)
    return cfg


def _copied(m: ModuleType, cfg: Any) -> Any:
    copy = cfg.copy()
    copy.e = "changed"
    return cfg, copy


def _flag_override(m: ModuleType) -> Any:
    cfg = m.OmegaConf.create({"a": 1})
    with m.flag_override(cfg, ["readonly", "struct"], [True, True]):
        inside = (m.OmegaConf.is_readonly(cfg), m.OmegaConf.is_struct(cfg))
    return inside, m.OmegaConf.is_readonly(cfg), m.OmegaConf.is_struct(cfg)


def _expected_class(real: BaseException) -> type[BaseException]:
    name = type(real).__name__
    if type(real).__module__.startswith("yaml"):
        return confcompose.YAMLError  # a PyYAML error: ours is our own YAML error
    ours = getattr(cc.errors, name, None)
    if ours is not None:
        return ours  # type: ignore[no-any-return]
    import builtins

    return getattr(builtins, name)  # type: ignore[no-any-return]


@pytest.mark.parametrize("case", CASES)
def test_same_as_omegaconf(case: Case) -> None:
    expected = outcome(case, oc)
    actual = outcome(case, cc)
    if expected[0] == "raised":
        assert actual[0] == "raised", f"omegaconf raised {expected[1]!r}, we returned {actual[1]!r}"
        real, ours = expected[1], actual[1]
        assert isinstance(ours, _expected_class(real)), (
            f"omegaconf raised {type(real).__name__}: {real}\nwe raised {type(ours).__mro__}: {ours}"
        )
        if isinstance(real, oc.errors.OmegaConfBaseException):
            assert isinstance(ours, confcompose.ConfigError)
        return
    if actual[0] == "raised":
        raise AssertionError(f"omegaconf returned {expected[1]!r}, we raised") from actual[1]
    assert actual == expected


# -- files ------------------------------------------------------------------------------------


@pytest.mark.parametrize("resolve", [False, True])
@pytest.mark.parametrize("as_path", [False, True])
def test_save_load_round_trip(tmp_path: Path, resolve: bool, as_path: bool) -> None:
    texts = []
    for m in (oc, cc):
        target = tmp_path / f"{m.__name__}.yaml"
        cfg = _cfg(m)
        m.OmegaConf.save(cfg, target if as_path else str(target), resolve=resolve)
        texts.append(target.read_text())
        back = m.OmegaConf.load(target if as_path else str(target))
        assert m.OmegaConf.to_container(back) == m.OmegaConf.to_container(cfg, resolve=resolve)
        with open(target) as f:
            assert m.OmegaConf.to_container(m.OmegaConf.load(f)) == m.OmegaConf.to_container(back)
    assert texts[0] == texts[1]


def test_save_to_open_file_and_dataclass(tmp_path: Path) -> None:
    texts = []
    for m in (oc, cc):
        buf = io.StringIO()
        m.OmegaConf.save(App, buf)
        texts.append(buf.getvalue())
    assert texts[0] == texts[1]


def test_load_missing_file(tmp_path: Path) -> None:
    for m in (oc, cc):
        with pytest.raises(FileNotFoundError):
            m.OmegaConf.load(tmp_path / "nope.yaml")


# -- facade-only guarantees -------------------------------------------------------------------


def test_constructed_configs_are_plain_nodes() -> None:
    cfg = cc.DictConfig({"a": [1]})
    assert type(cfg) is confcompose.DictNode
    assert type(cfg.a) is confcompose.ListNode
    assert issubclass(confcompose.DictNode, cc.DictConfig)
    assert not issubclass(confcompose.ListNode, cc.DictConfig)
    assert pickle.loads(pickle.dumps(cfg)) == {"a": [1]}


def test_composed_configs_are_dict_configs(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text("db:\n  port: 1\nl: [1]\n")
    cfg = confcompose.compose(tmp_path)
    assert isinstance(cfg, cc.DictConfig) and isinstance(cfg.db, cc.DictConfig)
    assert isinstance(cfg.l, cc.ListConfig) and cc.OmegaConf.is_config(cfg)


@pytest.fixture
def _scratch_resolver() -> Iterator[None]:
    yield
    cc.OmegaConf.clear_resolver("facade_x")
    confcompose.default_context().resolvers.unregister("core_x")


@pytest.mark.usefixtures("_scratch_resolver")
def test_resolvers_share_the_default_registry(tmp_path: Path) -> None:
    cc.OmegaConf.register_new_resolver("facade_x", lambda v: f"<{v}>")
    (tmp_path / "config.yaml").write_text("a: ${facade_x:1}\n")
    assert confcompose.compose(tmp_path).a == "<1>"
    assert confcompose.create({"a": "${facade_x:2}"}).a == "<2>"
    confcompose.register_resolver("core_x", lambda: 5)
    assert cc.OmegaConf.has_resolver("core_x")
    assert cc.OmegaConf.create({"a": "${core_x:}"}).a == 5


def test_clear_resolvers_restores_the_builtins() -> None:
    registry = confcompose.default_context().resolvers
    saved = {name: registry.get(name) for name in registry.names()}
    try:
        cc.OmegaConf.register_new_resolver("gone_x", lambda: 1)
        cc.OmegaConf.clear_resolvers()
        assert not cc.OmegaConf.has_resolver("gone_x")
        assert registry.names() == confcompose.builtin_resolvers().names()
    finally:
        for name, spec in saved.items():
            if spec is not None and name not in registry:
                registry.register(name, spec.fn, use_cache=spec.use_cache)


@pytest.mark.parametrize(
    ("ours", "name"),
    [
        (confcompose.ConfigError, "OmegaConfBaseException"),
        (confcompose.MissingValueError, "MissingMandatoryValue"),
        (confcompose.ValidationError, "ValidationError"),
        (confcompose.ReadonlyConfigError, "ReadonlyConfigError"),
        (confcompose.ConfigKeyError, "ConfigKeyError"),
        (confcompose.ConfigAttributeError, "ConfigAttributeError"),
        (confcompose.ConfigTypeError, "ConfigTypeError"),
        (confcompose.InterpolationError, "InterpolationResolutionError"),
        (confcompose.InterpolationKeyError, "InterpolationKeyError"),
        (confcompose.InterpolationMissingError, "InterpolationToMissingValueError"),
        (confcompose.UnknownResolverError, "UnsupportedInterpolationType"),
        (confcompose.InterpolationSyntaxError, "GrammarParseError"),
        (confcompose.errors.ConfigIndexError, "ConfigIndexError"),
        (confcompose.errors.UnsupportedValueError, "UnsupportedValueType"),
        (confcompose.errors.InterpolationValidationError, "InterpolationValidationError"),
    ],
)
def test_error_names_alias_ours(ours: type[Exception], name: str) -> None:
    assert getattr(cc.errors, name) is ours
    real = getattr(oc.errors, name)
    for base in real.__mro__:  # every builtin base of OmegaConf's class is a base of ours
        if base.__module__ == "builtins":
            assert issubclass(ours, base), (name, base)


def test_every_omegaconf_error_name_exists() -> None:
    import inspect

    real = {
        n for n, v in inspect.getmembers(oc.errors, inspect.isclass) if issubclass(v, Exception)
    }
    missing = {n for n in real if not hasattr(cc.errors, n)}
    assert not missing
    for n in real:
        assert issubclass(getattr(cc.errors, n), confcompose.ConfigError), n


def test_public_names_match_omegaconf() -> None:
    assert set(cc.__all__) == set(oc.__all__)
    for module in ("errors", "base", "nodes", "dictconfig", "listconfig", "omegaconf", "_utils"):
        __import__(f"confcompose.omegaconf.{module}")
    real_static = {n for n in vars(oc.OmegaConf) if not n.startswith("_")}
    ours_static = {n for n in vars(cc.OmegaConf) if not n.startswith("_")}
    assert real_static - ours_static == set()


@pytest.mark.parametrize(
    ("helper", "arg", "expected"),
    [
        ("is_structured_config", DB, True),
        ("is_structured_config", DB(), True),
        ("is_structured_config", {"a": 1}, False),
        ("is_dataclass", App, True),
        ("is_attr_class", App, False),
        ("is_primitive_type_annotation", int, True),
        ("is_primitive_type_annotation", Color, True),
        ("is_primitive_type_annotation", dict, False),
        ("is_dict_annotation", dict[str, int], True),
        ("is_list_annotation", list[int], True),
        ("is_list_annotation", dict[str, int], False),
        ("is_primitive_container", (1,), True),
        ("split_key", "a.b[0].c", ["a", "b", "0", "c"]),
        ("split_key", "..a.b", ["", "", "a", "b"]),
    ],
)
def test_utils_as_omegaconf(helper: str, arg: Any, expected: Any) -> None:
    assert getattr(oc._utils, helper)(arg) == expected
    assert getattr(cc._utils, helper)(arg) == expected


# -- a script ported by changing its import lines only ----------------------------------------

SCRIPT = Path(__file__).parent / "scripts" / "omegaconf_app.py"


def _port(text: str) -> str:
    return "\n".join(
        line.replace("from omegaconf", "from confcompose.omegaconf", 1)
        if line.startswith("from omegaconf")
        else line
        for line in text.splitlines()
    )


@pytest.mark.parametrize(
    "args", [[], ["model.depth=18", "+new=1", "data.paths=[x]", "data.batch_size=64"]]
)
def test_ported_script_prints_the_same(tmp_path: Path, args: list[str]) -> None:
    import subprocess
    import sys

    ported = tmp_path / "omegaconf_app.py"
    check = "\nassert 'omegaconf' not in sys.modules, 'the real omegaconf was imported'\n"
    ported.write_text(_port(SCRIPT.read_text()) + check)
    runs = [
        subprocess.run(
            [sys.executable, str(script), *args], capture_output=True, text=True, check=False
        )
        for script in (SCRIPT, ported)
    ]
    real, ours = runs
    assert real.returncode == 0, real.stderr
    assert ours.returncode == 0, ours.stderr
    assert "from confcompose.omegaconf.errors import" in ported.read_text()
    assert ours.stdout == real.stdout


def test_import_confcompose_never_loads_the_facade() -> None:
    import subprocess
    import sys

    code = (
        "import sys, confcompose\n"
        "cfg = confcompose.create({'a': 1})\n"
        "print(sorted(m for m in sys.modules if m.startswith('confcompose.omegaconf')"
        " or m.split('.')[0] == 'omegaconf'))\n"
        "import confcompose.omegaconf\n"
        "print('omegaconf' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split("\n")[:2] == ["[]", "False"]


USER_CODE = """
from confcompose.omegaconf import DictConfig, ListConfig, OmegaConf


def app(cfg: DictConfig) -> int:
    port: int = cfg.db.port
    return port + len(cfg)


def first(items: ListConfig) -> object:
    return items[0]


app(OmegaConf.create({"db": {"port": 1}}))
app(DictConfig({"db": {"port": 1}}))
app(DictConfig(content={"db": {"port": 1}}, flags={"readonly": True}))
first(ListConfig([1, 2]))
cfg: DictConfig = OmegaConf.create()
cfg.extra = 1
app("not a config")
"""


def test_annotations_type_check_with_mypy(tmp_path: Path) -> None:
    import subprocess
    import sys

    pytest.importorskip("mypy")
    source = tmp_path / "user_app.py"
    source.write_text(USER_CODE)
    # In a subprocess: mypy run in-process raises the interpreter's recursion limit for good.
    args = ["--strict", "--no-error-summary", "--cache-dir", str(tmp_path / "cache"), str(source)]
    run = subprocess.run(
        [sys.executable, "-m", "mypy", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    errors = [line for line in run.stdout.splitlines() if ": error:" in line]
    assert len(errors) == 1, run.stdout + run.stderr  # only the call with a str
    assert 'Argument 1 to "app" has incompatible type "str"' in errors[0]


def test_singledispatch_on_config_types() -> None:
    import functools

    @functools.singledispatch
    def kind(x: object) -> str:
        return "other"

    @kind.register(cc.DictConfig)
    def _(x: object) -> str:
        return "dict"

    @kind.register(cc.ListConfig)
    def _(x: object) -> str:
        return "list"

    cfg = confcompose.create({"a": [1]})
    assert (kind(cfg), kind(cfg.a), kind({}), kind([])) == ("dict", "list", "other", "other")


def test_facade_benchmark_runs() -> None:
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[2] / "benchmarks" / "omegaconf_facade.py"
    run = subprocess.run(
        [sys.executable, str(script), "--quick"], capture_output=True, text=True, check=True
    )
    lines = run.stdout.splitlines()
    assert [line.split()[0] for line in lines[:2]] == ["confcompose.omegaconf", "omegaconf"]
    assert lines[2].startswith("ratio omegaconf / confcompose.omegaconf: ")


@pytest.mark.parametrize(
    ("node", "value"),
    [
        (cc.AnyNode([1]), [1]),
        (cc.IntegerNode("3"), 3),
        (cc.FloatNode(2), 2.0),
        (cc.StringNode(5), "5"),
        (cc.BooleanNode(0), False),
        (cc.IntegerNode("${x}"), "${x}"),
        (cc.IntegerNode("???"), "???"),
    ],
)
def test_value_nodes_hold_their_value(node: Any, value: Any) -> None:
    assert node._value() == value and type(node._value()) is type(value)
    assert isinstance(node, cc.ValueNode) and isinstance(node, cc.Node)
    assert not isinstance(node, cc.Container)
    assert cc.OmegaConf.create({"a": node, "b": [node]}) == {"a": value, "b": [value]}


def test_metadata_classes_exist_for_safe_globals() -> None:
    from confcompose.omegaconf.base import ContainerMetadata, Metadata

    meta = ContainerMetadata(key_type=str, element_type=int, flags={"readonly": True})
    assert isinstance(meta, Metadata) and meta.key_type is str and meta.flags == {"readonly": True}
    assert Metadata().resolver_cache == {}
