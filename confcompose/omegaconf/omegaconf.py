"""``omegaconf.omegaconf``: the ``OmegaConf`` static-method facade, ``SI``/``II``, flag contexts.

Every method is a thin call into confcompose's engine; where confcompose's own API differs on
purpose (``select`` raising for an absent key, ``is_struct`` returning a bool, ...) these follow
OmegaConf 2.3.
"""

from __future__ import annotations

import contextlib
import enum
import os
import sys
from collections.abc import Callable
from typing import IO, Any

import confcompose
import confcompose.tree as tree
from confcompose import api
from confcompose.context import default_context
from confcompose.errors import InterpolationError
from confcompose.nodes import MISSING as _MISSING
from confcompose.nodes import Container, DictNode, ListNode
from confcompose.omegaconf._impl import check_config, make_config
from confcompose.omegaconf.base import SCMode
from confcompose.omegaconf.dictconfig import DictConfig
from confcompose.omegaconf.listconfig import ListConfig
from confcompose.omegaconf.nodes import ValueNode, unbox

MISSING: Any = _MISSING

Resolver = Callable[..., Any]

_DEFAULT_MARKER_: Any = object()


def II(interpolation: str) -> Any:
    """``${interpolation}``: a field default that interpolates another key."""
    return "${" + interpolation + "}"


def SI(interpolation: str) -> Any:
    """``interpolation`` unchanged, typed ``Any`` (a string with embedded ``${...}``)."""
    return interpolation


def flag_override(
    config: Any, names: str | list[str], values: bool | list[bool | None] | None
) -> contextlib.AbstractContextManager[Any]:
    """Set the flags ``names`` to ``values`` on ``config`` inside a ``with`` block."""
    names = [names] if isinstance(names, str) else list(names)
    values = list(values) if isinstance(values, list) else [values]
    return tree.temporary_flags(config, dict(zip(names, values, strict=True)))


def read_write(config: Any) -> contextlib.AbstractContextManager[Any]:
    """Lift read-only mode on ``config`` inside a ``with`` block."""
    return flag_override(config, "readonly", False)


def open_dict(config: Any) -> contextlib.AbstractContextManager[Any]:
    """Allow new keys in a struct ``config`` inside a ``with`` block."""
    return flag_override(config, "struct", False)


def _is_structured_node(node: Any) -> bool:
    from confcompose.structured import StructSchema

    return isinstance(node, DictNode) and isinstance(tree.schema(node), StructSchema)


def _to_content(
    node: Container, resolve: bool, throw: bool, enum_to_str: bool, mode: SCMode
) -> Any:
    if _is_structured_node(node):
        if mode is SCMode.DICT_CONFIG:
            return node
        if mode is SCMode.INSTANTIATE:
            return confcompose.to_object(node)
    content = tree.content(node)
    items = content.items() if isinstance(node, DictNode) else enumerate(content)
    out: list[tuple[Any, Any]] = []
    for key, raw in items:
        value = raw
        if type(raw) is str:
            if raw == _MISSING and throw:
                tree.value(node, key)  # raises MissingMandatoryValue with the key path
            if resolve and "${" in raw:
                value = tree.value(node, key)
        if isinstance(value, Container):
            value = _to_content(value, resolve, throw, enum_to_str, mode)
        elif enum_to_str and isinstance(value, enum.Enum):
            value = value.name
        if enum_to_str and isinstance(key, enum.Enum):
            key = key.name
        out.append((key, value))
    return dict(out) if isinstance(node, DictNode) else [v for _, v in out]


def _node_type(value: Any) -> type[Any] | None:
    from confcompose.structured import StructSchema

    if isinstance(value, DictNode):
        schema = tree.schema(value)
        return schema.cls if isinstance(schema, StructSchema) else dict
    if isinstance(value, ListNode):
        return list
    if isinstance(value, ValueNode):
        return type(value._value())
    if value is None:
        return None
    if isinstance(value, dict):
        return dict
    if isinstance(value, list | tuple):
        return list
    return type(value)


def _none_field_type(cfg: Any, key: Any) -> type[Any] | None:
    """OmegaConf's type of a ``None`` at ``key``: None for a dataclass or dict field, ``list``
    for a list field (OmegaConf does not check a list for None there), else ``NoneType``."""
    from confcompose.structured import DictSpec, ListSpec, StructSchema, StructSpec

    schema = tree.schema(cfg) if isinstance(cfg, Container) else None
    spec = schema.fields.get(key) if isinstance(schema, StructSchema) else None
    if isinstance(spec, StructSpec | DictSpec):
        return None
    return list if isinstance(spec, ListSpec) else type(None)


def _raw_child(cfg: Container, key: Any) -> Any:
    content = tree.content(cfg)
    if isinstance(cfg, ListNode):
        return content[int(key)]
    if key not in content:
        cfg[key]  # type: ignore[index]  # raises the did-you-mean KeyError
    return content[key]


def _engine_cache(conf: Any) -> dict[tuple[str, str], Any]:
    engine = tree.engine(check_config(conf, "resolver cache"))
    cache = getattr(engine, "_cache", None)
    if cache is None:
        raise ValueError("this config has no resolver cache (it was not made by OmegaConf.create)")
    return cache  # type: ignore[no-any-return]


class OmegaConf:
    """OmegaConf's static methods over confcompose's engine."""

    def __init__(self) -> None:
        raise NotImplementedError("Use one of the static construction functions")

    # -- building ----------------------------------------------------------------------------
    @staticmethod
    def create(
        obj: Any = _DEFAULT_MARKER_, parent: Any = None, flags: dict[str, bool] | None = None
    ) -> Any:
        """A config from a dict, a list, YAML text, a dataclass/attrs class or instance, or a
        config (copied); no argument gives an empty dict."""
        return make_config({} if obj is _DEFAULT_MARKER_ else obj, parent, flags)

    @staticmethod
    def structured(obj: Any, parent: Any = None, flags: dict[str, bool] | None = None) -> Any:
        """A typed config from a dataclass or attrs class or instance."""
        return OmegaConf.create(obj, parent, flags)

    @staticmethod
    def load(file_: str | os.PathLike[str] | IO[Any]) -> Any:
        """A config from a YAML file path or an open text file."""
        if isinstance(file_, str | os.PathLike):
            return confcompose.load(os.path.abspath(file_))
        read = getattr(file_, "read", None)
        if read is None:
            raise TypeError("Unexpected file type")
        text = read()
        return confcompose.create(text.decode("utf-8") if isinstance(text, bytes) else text)

    @staticmethod
    def save(config: Any, f: str | os.PathLike[str] | IO[Any], resolve: bool = False) -> None:
        """Write ``config`` as YAML to a file path or an open text file."""
        data = OmegaConf.to_yaml(config, resolve=resolve)
        if isinstance(f, str | os.PathLike):
            with open(os.path.abspath(f), "w", encoding="utf-8") as out:
                out.write(data)
        elif hasattr(f, "write"):
            f.write(data)
            f.flush()
        else:
            raise TypeError("Unexpected file type")

    @staticmethod
    def from_dotlist(dotlist: list[str]) -> Any:
        """A config from ``["a.b=1", "c=[x, y]"]`` (each value read as YAML)."""
        if not isinstance(dotlist, list | tuple) or not all(isinstance(a, str) for a in dotlist):
            raise ValueError("Input list must be a list or a tuple of strings")
        conf = OmegaConf.create()
        conf.merge_with_dotlist(dotlist)
        return conf

    @staticmethod
    def from_cli(args_list: list[str] | None = None) -> Any:
        """A config from the command line's ``key=value`` arguments (``sys.argv[1:]``)."""
        return OmegaConf.from_dotlist(sys.argv[1:] if args_list is None else args_list)

    @staticmethod
    def merge(*configs: Any) -> Any:
        """A new config: ``configs`` merged left to right (inputs are not modified)."""
        if not configs:
            raise ValueError("OmegaConf.merge needs at least one config")
        return confcompose.merge(
            *(c if isinstance(c, Container) else make_config(c) for c in configs)
        )

    @staticmethod
    def unsafe_merge(*configs: Any) -> Any:
        """As :meth:`merge` (confcompose's merge copies only what it must, so it is as fast)."""
        return OmegaConf.merge(*configs)

    # -- resolvers ---------------------------------------------------------------------------
    @staticmethod
    def register_new_resolver(
        name: str, resolver: Resolver, *, replace: bool = False, use_cache: bool = False
    ) -> None:
        """Register ``resolver`` as ``${name:...}`` in the default registry (shared with
        ``confcompose.register_resolver`` and compose)."""
        if not callable(resolver):
            raise TypeError("resolver must be callable")
        if not name:
            raise ValueError("cannot use an empty resolver name")
        if not replace and OmegaConf.has_resolver(name):
            raise ValueError(f"resolver '{name}' is already registered")
        if use_cache:
            import inspect

            try:
                params = inspect.signature(resolver).parameters
            except ValueError:
                params = {}  # type: ignore[assignment]
            for special in ("_parent_", "_node_", "_root_"):
                if special in params:
                    raise ValueError(
                        f"use_cache=True is incompatible with functions that receive the {special}"
                    )
        default_context().resolvers.register(name, resolver, replace=True, use_cache=use_cache)

    @staticmethod
    def register_resolver(name: str, resolver: Resolver) -> None:
        """OmegaConf's deprecated resolver API: arguments arrive as strings."""
        import warnings

        warnings.warn(
            "register_resolver() is deprecated; use register_new_resolver()",
            category=UserWarning,
            stacklevel=2,
        )

        def legacy(*args: Any) -> Any:
            return resolver(*(str(a) for a in args))

        OmegaConf.register_new_resolver(name, legacy, use_cache=True)

    @staticmethod
    def legacy_register_resolver(name: str, resolver: Resolver) -> None:
        """Same as :meth:`register_resolver`."""
        OmegaConf.register_resolver(name, resolver)

    @staticmethod
    def has_resolver(name: str) -> bool:
        """Whether ``${name:...}`` is registered in the default registry."""
        return name in default_context().resolvers

    @staticmethod
    def clear_resolvers() -> None:
        """Remove every resolver, then register the built-in ``oc.*`` ones again."""
        from confcompose.resolvers import BUILTINS

        registry = default_context().resolvers
        for name in registry.names():
            registry.unregister(name)
        for name, fn in BUILTINS.items():
            registry.register(name, fn)

    @staticmethod
    def clear_resolver(name: str) -> bool:
        """Remove the resolver ``name``; whether there was one."""
        registry = default_context().resolvers
        if name not in registry:
            return False
        registry.unregister(name)
        return True

    @staticmethod
    def get_cache(conf: Any) -> dict[str, Any]:
        """The cached results of ``use_cache`` resolvers: ``{resolver: {args: value}}``."""
        out: dict[str, Any] = {}
        for (name, args), value in _engine_cache(conf).items():
            out.setdefault(name, {})[args] = value
        return out

    @staticmethod
    def set_cache(conf: Any, cache: dict[str, Any]) -> None:
        """Replace the resolver cache of ``conf``'s root."""
        target = _engine_cache(conf)
        target.clear()
        for name, entries in cache.items():
            for args, value in entries.items():
                target[(name, args)] = value

    @staticmethod
    def clear_cache(conf: Any) -> None:
        """Empty the resolver cache of ``conf``'s root."""
        _engine_cache(conf).clear()

    @staticmethod
    def copy_cache(from_config: Any, to_config: Any) -> None:
        """Give ``to_config`` a copy of ``from_config``'s resolver cache."""
        OmegaConf.set_cache(to_config, OmegaConf.get_cache(from_config))

    # -- flags -------------------------------------------------------------------------------
    @staticmethod
    def set_readonly(conf: Any, value: bool | None) -> None:
        """Make ``conf`` read-only (``None``: inherit from the parent again)."""
        tree.set_flag(conf, "readonly", value)

    @staticmethod
    def is_readonly(conf: Any) -> bool | None:
        """The read-only flag of ``conf`` (set on it or inherited), ``None`` if never set."""
        return tree.get_flag(conf, "readonly")

    @staticmethod
    def set_struct(conf: Any, value: bool | None) -> None:
        """Forbid (``True``) or allow new keys in ``conf``."""
        tree.set_flag(conf, "struct", value)

    @staticmethod
    def is_struct(conf: Any) -> bool | None:
        """The struct flag of ``conf`` (set on it or inherited), ``None`` if never set."""
        return tree.get_flag(conf, "struct")

    # -- reading and exporting ---------------------------------------------------------------
    @staticmethod
    def masked_copy(conf: Any, keys: str | list[str]) -> Any:
        """A new DictConfig holding only ``keys`` of ``conf`` (interpolations kept)."""
        if not isinstance(conf, DictNode):
            raise ValueError("masked_copy is only supported for DictConfig")
        keys = [keys] if isinstance(keys, str) else keys
        have = tree.content(conf)
        return make_config(tree.new_dict({k: have[k] for k in keys if k in have}, adopt=False))

    @staticmethod
    def to_container(
        cfg: Any,
        *,
        resolve: bool = False,
        throw_on_missing: bool = False,
        enum_to_str: bool = False,
        structured_config_mode: SCMode = SCMode.DICT,
    ) -> Any:
        """Plain dicts and lists from ``cfg``; structured nodes stay configs with
        ``SCMode.DICT_CONFIG`` or become dataclass instances with ``SCMode.INSTANTIATE``."""
        check_config(cfg, "to_container")
        if structured_config_mode is SCMode.DICT:
            return confcompose.to_container(
                cfg, resolve=resolve, throw_on_missing=throw_on_missing, enum_to_str=enum_to_str
            )
        return _to_content(cfg, resolve, throw_on_missing, enum_to_str, structured_config_mode)

    @staticmethod
    def to_object(cfg: Any) -> Any:
        """Plain containers and dataclass/attrs instances, everything resolved."""
        return OmegaConf.to_container(
            cfg, resolve=True, throw_on_missing=True, structured_config_mode=SCMode.INSTANTIATE
        )

    @staticmethod
    def to_yaml(cfg: Any, *, resolve: bool = False, sort_keys: bool = False) -> str:
        """YAML text for a config (or a dataclass/attrs class or instance)."""
        if not isinstance(cfg, Container):
            cfg = OmegaConf.create(cfg)
        return confcompose.to_yaml(cfg, resolve=resolve, sort_keys=sort_keys)

    @staticmethod
    def resolve(cfg: Any) -> None:
        """Replace every interpolation in ``cfg`` by its value, in place."""
        check_config(cfg, "resolve")
        confcompose.resolve(cfg)

    @staticmethod
    def missing_keys(cfg: Any) -> set[str]:
        """The full key paths of every ``???`` value."""
        if not isinstance(cfg, Container):
            cfg = OmegaConf.create(cfg)
        return api.missing_keys(cfg)

    @staticmethod
    def select(
        cfg: Any,
        key: str,
        *,
        default: Any = _DEFAULT_MARKER_,
        throw_on_resolution_failure: bool = True,
        throw_on_missing: bool = False,
    ) -> Any:
        """The value at the path ``key``, or ``default`` (else ``None``) if it is absent or
        ``???``."""
        fallback = None if default is _DEFAULT_MARKER_ else default
        try:
            return api.select(cfg, key, default=fallback, throw_on_missing=throw_on_missing)
        except InterpolationError:
            if throw_on_resolution_failure:
                raise
            return fallback

    @staticmethod
    def update(
        cfg: Any, key: str, value: Any = None, *, merge: bool = True, force_add: bool = False
    ) -> None:
        """Set the value at the path ``key`` (dicts merged into an existing dict when ``merge``;
        ``force_add`` adds keys even to struct configs)."""
        api.update(cfg, key, unbox(value), merge=merge, force_add=force_add)

    @staticmethod
    def is_missing(cfg: Any, key: Any) -> bool:
        """Whether the value at ``key`` is ``???``."""
        try:
            raw = _raw_child(cfg, key)
        except (KeyError, AttributeError, IndexError, ValueError):
            return False
        return type(raw) is str and raw == _MISSING

    @staticmethod
    def is_interpolation(node: Any, key: Any = None) -> bool:
        """Whether the value at ``key`` of ``node`` is an interpolation string."""
        if key is None:
            return isinstance(node, ValueNode) and node._is_interpolation()
        try:
            raw = _raw_child(node, key)
        except (KeyError, AttributeError, IndexError, ValueError):
            return False
        return type(raw) is str and "${" in raw

    @staticmethod
    def is_list(obj: Any) -> bool:
        """Whether ``obj`` is a list config."""
        return isinstance(obj, ListNode)

    @staticmethod
    def is_dict(obj: Any) -> bool:
        """Whether ``obj`` is a dict config."""
        return isinstance(obj, DictNode)

    @staticmethod
    def is_config(obj: Any) -> bool:
        """Whether ``obj`` is a config."""
        return isinstance(obj, Container)

    @staticmethod
    def get_type(obj: Any, key: str | None = None) -> type[Any] | None:
        """The type of ``obj`` (or of its value at ``key``): the dataclass of a structured
        node, ``dict``, ``list``, or the value's type."""
        cfg_or_obj = obj
        if key is not None:
            obj = _raw_child(obj, key)
            if obj is None:  # OmegaConf boxes a None leaf: its type is NoneType
                return _none_field_type(cfg_or_obj, key)
        return _node_type(obj)


__all__ = [
    "II",
    "MISSING",
    "SI",
    "DictConfig",
    "ListConfig",
    "OmegaConf",
    "Resolver",
    "flag_override",
    "open_dict",
    "read_write",
]
