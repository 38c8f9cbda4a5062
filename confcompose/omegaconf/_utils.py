"""The helpers of ``omegaconf._utils`` that applications and libraries import."""

from __future__ import annotations

import dataclasses
import enum
import pathlib
import typing
from typing import Any

from confcompose.nodes import Container
from confcompose.paths import split_path


def is_dataclass(obj: Any) -> bool:
    """Whether ``obj`` is a dataclass or a dataclass instance (not a config)."""
    return not isinstance(obj, Container) and dataclasses.is_dataclass(obj)


def is_attr_class(obj: Any) -> bool:
    """Whether ``obj`` is an attrs class or an attrs instance."""
    return not isinstance(obj, Container) and hasattr(obj, "__attrs_attrs__")


def is_structured_config(obj: Any) -> bool:
    """Whether ``obj`` is a dataclass or attrs class or instance."""
    return is_dataclass(obj) or is_attr_class(obj)


def is_structured_config_frozen(obj: Any) -> bool:
    """Whether ``obj`` is a frozen dataclass or attrs class."""
    if is_dataclass(obj):
        return bool(obj.__dataclass_params__.frozen)
    if is_attr_class(obj):
        setattr_hook = getattr(obj, "__setattr__", None)
        return getattr(setattr_hook, "__name__", "") == "_frozen_setattrs"
    return False


def get_type_of(class_or_object: Any) -> type[Any]:
    """``class_or_object`` if it is a class, else its type."""
    return class_or_object if isinstance(class_or_object, type) else type(class_or_object)


def is_primitive_type_annotation(type_: Any) -> bool:
    """Whether ``type_`` is a type a config leaf may hold."""
    t = get_type_of(type_)
    primitive = (int, float, bool, str, bytes, type(None))
    return issubclass(t, enum.Enum | pathlib.Path) or t in primitive


def is_primitive_type(type_: Any) -> bool:
    """Older name of :func:`is_primitive_type_annotation`."""
    return is_primitive_type_annotation(type_)


def is_primitive_list(obj: Any) -> bool:
    """Whether ``obj`` is a list or a tuple (not a config)."""
    return isinstance(obj, list | tuple)


def is_primitive_dict(obj: Any) -> bool:
    """Whether ``obj`` is a dict (not a config)."""
    return isinstance(obj, dict)


def is_primitive_container(obj: Any) -> bool:
    """Whether ``obj`` is a plain list, tuple or dict."""
    return is_primitive_list(obj) or is_primitive_dict(obj)


def _origin(type_: Any) -> Any:
    return getattr(type_, "__origin__", None)


def is_dict_annotation(type_: Any) -> bool:
    """Whether ``type_`` is ``Dict[...]``/``dict[...]``."""
    return _origin(type_) in (dict, typing.Dict)  # noqa: UP006 - matching the typing alias


def is_list_annotation(type_: Any) -> bool:
    """Whether ``type_`` is ``List[...]``/``list[...]``."""
    return _origin(type_) in (list, typing.List)  # noqa: UP006 - matching the typing alias


def is_tuple_annotation(type_: Any) -> bool:
    """Whether ``type_`` is ``Tuple[...]``/``tuple[...]``."""
    return _origin(type_) in (tuple, typing.Tuple)  # noqa: UP006 - matching the typing alias


def is_generic_dict(type_: Any) -> bool:
    """Whether ``type_`` is a parametrised dict annotation."""
    return is_dict_annotation(type_) and len(getattr(type_, "__args__", ())) > 0


def is_generic_list(type_: Any) -> bool:
    """Whether ``type_`` is a parametrised list annotation."""
    return is_list_annotation(type_) and len(getattr(type_, "__args__", ())) > 0


def _is_optional(obj: Any, key: Any = None) -> bool:
    """Whether the annotation ``obj`` admits ``None`` (``Optional[...]``, ``X | None``, Any)."""
    if obj is Any:
        return True
    return type(None) in getattr(obj, "__args__", ())


def _is_missing_literal(value: Any) -> bool:
    return isinstance(value, str) and value == "???"


def _is_interpolation(value: Any) -> bool:
    return isinstance(value, str) and "${" in value


def split_key(key: str) -> list[str]:
    """``"a.b[0].c"`` -> ``["a", "b", "0", "c"]`` (a leading dot per relative level kept)."""
    stripped = key.lstrip(".")
    dots = len(key) - len(stripped)
    parts = [str(p) for p in split_path(stripped)] if stripped else []
    return ([""] * dots + parts) if dots else parts


def _ensure_container(target: Any, flags: dict[str, bool] | None = None) -> Any:
    """``target`` as a config (created from plain data or a dataclass when needed)."""
    from confcompose.omegaconf._impl import make_config

    if isinstance(target, Container):
        return target
    return make_config(target, flags=flags)


__all__ = [
    "get_type_of",
    "is_attr_class",
    "is_dataclass",
    "is_dict_annotation",
    "is_generic_dict",
    "is_generic_list",
    "is_list_annotation",
    "is_primitive_container",
    "is_primitive_dict",
    "is_primitive_list",
    "is_primitive_type",
    "is_primitive_type_annotation",
    "is_structured_config",
    "is_structured_config_frozen",
    "is_tuple_annotation",
    "split_key",
]
