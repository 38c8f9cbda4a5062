"""OmegaConf's value-node class names (``omegaconf.nodes``).

confcompose stores leaf values unboxed, so configs never contain these; they exist so that code
importing them (type checks, ``torch.serialization.add_safe_globals``) keeps working, and a value
node placed in the input of ``OmegaConf.create``/``DictConfig(...)`` stands for its value.
"""

from __future__ import annotations

from typing import Any

from confcompose.omegaconf.base import Node


class ValueNode(Node):
    """A boxed leaf value: ``AnyNode(3)._value() == 3``."""

    _cc_types = ()
    _convert: Any = None

    def __init__(
        self,
        value: Any = None,
        key: Any = None,
        parent: Any = None,
        is_optional: bool = True,
        flags: dict[str, bool] | None = None,
    ) -> None:
        self._val = value if self._convert is None or value is None else self._convert(value)
        self._key = key
        self._parent = parent
        self._flags = dict(flags or {})

    def _value(self) -> Any:
        return self._val

    def _set_value(self, value: Any, flags: dict[str, bool] | None = None) -> None:
        self._val = value if self._convert is None or value is None else self._convert(value)

    def _is_missing(self) -> bool:
        return isinstance(self._val, str) and self._val == "???"

    def _is_interpolation(self) -> bool:
        return isinstance(self._val, str) and "${" in self._val

    def __eq__(self, other: object) -> bool:
        return bool(self._val == (other._val if isinstance(other, ValueNode) else other))

    def __hash__(self) -> int:
        return hash(self._val)

    def __repr__(self) -> str:
        return repr(self._val)


def _keep_special(convert: Any) -> Any:
    def conv(value: Any) -> Any:
        if isinstance(value, str) and (value == "???" or "${" in value):
            return value
        return convert(value)

    return conv


class AnyNode(ValueNode):
    """A value of any supported type."""


class StringNode(ValueNode):
    """A ``str`` value."""

    _convert = staticmethod(_keep_special(str))


class IntegerNode(ValueNode):
    """An ``int`` value."""

    _convert = staticmethod(_keep_special(int))


class FloatNode(ValueNode):
    """A ``float`` value."""

    _convert = staticmethod(_keep_special(float))


class BooleanNode(ValueNode):
    """A ``bool`` value."""

    _convert = staticmethod(_keep_special(bool))


class BytesNode(ValueNode):
    """A ``bytes`` value."""


class PathNode(ValueNode):
    """A ``pathlib.Path`` value."""


class EnumNode(ValueNode):
    """An ``Enum`` member."""

    def __init__(self, enum_type: Any, value: Any = None, **kwargs: Any) -> None:
        self.enum_type = enum_type
        super().__init__(value, **kwargs)


class InterpolationResultNode(ValueNode):
    """The result of an interpolation (OmegaConf's internal box)."""


def unbox(value: Any) -> Any:
    """``value`` with every value node (in nested dicts and lists) replaced by its value; the
    same object when it holds none, so plain input is not copied."""
    if isinstance(value, ValueNode):
        return value._value()
    if type(value) is dict:
        out: dict[Any, Any] | None = None
        for k, v in value.items():
            u = unbox(v)
            if u is not v:
                out = dict(value) if out is None else out
                out[k] = u
        return value if out is None else out
    if type(value) in (list, tuple):
        items = [unbox(v) for v in value]
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    return value


__all__ = [
    "AnyNode",
    "BooleanNode",
    "BytesNode",
    "EnumNode",
    "FloatNode",
    "IntegerNode",
    "InterpolationResultNode",
    "PathNode",
    "StringNode",
    "ValueNode",
]
