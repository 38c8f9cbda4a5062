"""Field specs of structured configs: one :class:`FieldSpec` per annotation, built once and cached.

A spec checks and converts a value for its declared type with OmegaConf 2.3's rules (``"80"`` ->
``80`` for ``int``, ``"yes"`` -> ``True`` for ``bool``, an ``Enum`` by name or value, ...). Specs
of containers (lists, dicts, dataclasses) are completed by ``confcompose.structured``, which knows
how to build typed nodes; this module knows nothing about nodes beyond their classes.
"""

from __future__ import annotations

import enum
import os
import types
import typing
from collections.abc import Callable
from typing import Any, ClassVar

from confcompose.errors import ConfigTypeError, ValidationError
from confcompose.location import code_location
from confcompose.nodes import MISSING, Container
from confcompose.tree import child_path

NO_DEFAULT: Any = object()  # the default of a field that has none


class Why(ValueError):
    """A conversion failure whose message is worth showing (``int("x")``'s is not)."""


_TRUE = frozenset(("yes", "y", "on", "true"))
_FALSE = frozenset(("no", "n", "off", "false"))


def is_special(value: Any) -> bool:
    """``???`` and interpolations are accepted by every type (checked when resolved)."""
    return type(value) is str and (value == MISSING or "${" in value)


class FieldSpec:
    """The declared type of one field, list element or dict value."""

    __slots__ = ("hint", "optional", "text")

    # The function that builds (and caches) the spec of an annotation: ``spec_for``, registered
    # by confcompose.structured, which defines the container specs. Pickling refers to it.
    builder: ClassVar[Callable[[Any, str], FieldSpec] | None] = None

    def __init__(self, text: str, optional: bool) -> None:
        self.text = f"Optional[{text}]" if optional else text
        self.optional = optional
        self.hint: tuple[Any, str] | None = None  # (annotation, where) once cached

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as the annotation: unpickling finds the same cached spec (converters are
        # closures, and typed lists compare their schema by identity).
        if self.hint is None or FieldSpec.builder is None:
            raise TypeError(f"cannot pickle an uncached spec for {self.text}")
        return (FieldSpec.builder, self.hint)

    def check(self, container: Container, key: Any, value: Any) -> Any:
        """``value`` converted to this type for storage at ``container[key]``, or raise.

        ``None`` needs an Optional type; ``???`` and interpolations fit every type (they are
        checked when resolved); anything else goes to :meth:`check_value`.
        """
        if value is None:
            self.none(container, key)
            return None
        if is_special(value):
            return value
        return self.check_value(container, key, value)

    def check_value(self, container: Container, key: Any, value: Any) -> Any:
        """Convert a value that is neither ``None``, ``???`` nor an interpolation."""
        raise NotImplementedError

    def error(self, container: Container, key: Any, value: Any, why: str = "") -> ValidationError:
        """A :class:`ValidationError` naming the key, the value and this type."""
        if isinstance(value, Container):
            shown = f"a {'mapping' if hasattr(value, 'keys') else 'list'}"
        else:
            shown = f"{value!r} of type {type(value).__name__}"
        return ValidationError(
            f"invalid value {shown}" + (f": {why}" if why else ""),
            key_path=child_path(container, key),
            location=code_location(),
            expected=self.text,
        )

    def none(self, container: Container, key: Any) -> None:
        if not self.optional:
            raise self.error(container, key, None, "the field is not Optional")


class AnySpec(FieldSpec):
    """``Any`` (and unannotated fields): every value is kept as it is."""

    __slots__ = ()

    def check(self, container: Container, key: Any, value: Any) -> Any:
        return value


class LeafSpec(FieldSpec):
    """A primitive type with a converter (``int``, ``float``, ``bool``, ``str``, ``Path``, Enum)."""

    __slots__ = ("convert", "exact", "strict")

    def __init__(
        self,
        text: str,
        optional: bool,
        exact: type,
        convert: Callable[[Any], Any],
        strict: Callable[[Any], bool],
    ) -> None:
        super().__init__(text, optional)
        self.exact = exact
        self.convert = convert
        self.strict = strict

    def check(self, container: Container, key: Any, value: Any) -> Any:
        if type(value) is self.exact:
            return value
        if value is None:
            self.none(container, key)
            return None
        if type(value) is str and (value == MISSING or "${" in value):
            return value
        if isinstance(value, Container):
            raise self.error(container, key, value)
        try:
            return self.convert(value)
        except (ValueError, TypeError, KeyError) as e:
            raise self.error(container, key, value, str(e) if isinstance(e, Why) else "") from None


class UnionSpec(FieldSpec):
    """``Union`` of primitives: the value must already have one of the types (no conversion)."""

    __slots__ = ("members",)

    def __init__(self, text: str, optional: bool, members: tuple[LeafSpec, ...]) -> None:
        super().__init__(text, optional)
        self.members = members

    def check_value(self, container: Container, key: Any, value: Any) -> Any:
        if not isinstance(value, Container) and any(m.strict(value) for m in self.members):
            return value
        raise self.error(container, key, value)


class LiteralSpec(FieldSpec):
    """``Literal[...]``: the value must equal one of the choices (and have its type)."""

    __slots__ = ("choices",)

    def __init__(self, text: str, optional: bool, choices: tuple[Any, ...]) -> None:
        super().__init__(text, optional)
        self.choices = choices

    def check_value(self, container: Container, key: Any, value: Any) -> Any:
        for choice in self.choices:
            if type(choice) is type(value) and choice == value:
                return value
            if isinstance(choice, enum.Enum) and value in (
                choice.name,
                f"{type(choice).__name__}.{choice.name}",
            ):
                return choice
        raise self.error(container, key, value, "not one of " + ", ".join(map(repr, self.choices)))


# -- primitive converters (OmegaConf's ValueNode rules) -----------------------------------------


def _to_int(value: Any) -> int:
    if type(value) is str:
        return int(value)
    raise ValueError("")


def _to_float(value: Any) -> float:
    if type(value) in (int, str):
        return float(value)
    raise ValueError("")


def _to_bool(value: Any) -> bool:
    if isinstance(value, int):  # bool is handled by the exact-type fast path
        return value != 0
    if isinstance(value, str):
        try:
            return int(value) != 0
        except ValueError:
            low = value.lower()
            if low in _TRUE:
                return True
            if low in _FALSE:
                return False
    raise ValueError("")


def _to_str(value: Any) -> str:
    if isinstance(value, bytes | Container):
        raise ValueError("")
    return str(value)


def _to_bytes(value: Any) -> bytes:
    raise ValueError("")


def _enum_converter(cls: type[enum.Enum]) -> Callable[[Any], Any]:
    prefix = cls.__name__ + "."

    def convert(value: Any) -> Any:
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            name = value[len(prefix) :] if value.startswith(prefix) else value
            if name in cls.__members__:
                return cls[name]
        elif isinstance(value, int) and not isinstance(value, bool):
            return cls(value)
        raise Why("expected one of " + ", ".join(cls.__members__))

    return convert


def _path_converter(cls: type) -> Callable[[Any], Any]:
    def convert(value: Any) -> Any:
        if isinstance(value, str | os.PathLike):
            return cls(value)
        raise ValueError("")

    return convert


def _exact(tp: type) -> Callable[[Any], bool]:
    return lambda v: type(v) is tp


def _leaf(tp: Any, optional: bool) -> LeafSpec | None:
    """A spec for a primitive annotation, or None when ``tp`` is not one."""
    simple: dict[Any, Callable[[Any], Any]] = {
        int: _to_int,
        float: _to_float,
        bool: _to_bool,
        str: _to_str,
        bytes: _to_bytes,
    }
    if tp in simple:
        return LeafSpec(tp.__name__, optional, tp, simple[tp], _exact(tp))
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return LeafSpec(tp.__name__, optional, tp, _enum_converter(tp), lambda v: isinstance(v, tp))
    if isinstance(tp, type) and tp.__module__ == "pathlib" and issubclass(tp, os.PathLike):
        return LeafSpec(
            "Path", optional, tp, _path_converter(tp), lambda v: isinstance(v, os.PathLike)
        )
    return None


# -- annotation -> spec ---------------------------------------------------------------------------


def type_text(tp: Any) -> str:
    """A short human name for an annotation (``int``, ``list[int]``, ``Optional[DB]``)."""
    if isinstance(tp, type) and not typing.get_args(tp):
        return tp.__name__
    return repr(tp).replace("typing.", "")


def split_optional(tp: Any) -> tuple[Any, bool]:
    """``(inner, True)`` for ``Optional[inner]`` / ``inner | None``, else ``(tp, False)``."""
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        args = typing.get_args(tp)
        rest = tuple(a for a in args if a is not type(None))
        if len(rest) < len(args):
            if len(rest) == 1:
                return rest[0], True
            return typing.Union[rest], True  # noqa: UP007 - built from a runtime tuple
    return tp, False


def build_leafish(tp: Any, optional: bool, where: str) -> FieldSpec | None:
    """Specs for annotations that need no node building: primitives, Any, Union, Literal."""
    if tp is Any or tp is object or tp is None:
        return AnySpec("Any", True)
    leaf = _leaf(tp, optional)
    if leaf is not None:
        return leaf
    origin = typing.get_origin(tp)
    if origin is typing.Literal:
        return LiteralSpec(type_text(tp), optional, typing.get_args(tp))
    if origin is typing.Union or origin is types.UnionType:
        members = []
        for arg in typing.get_args(tp):
            member = _leaf(arg, False)
            if member is None:
                raise ConfigTypeError(
                    f"unsupported Union member {type_text(arg)} in {where}",
                    expected="a Union of primitives (int, float, bool, str, bytes, Path, Enum)",
                )
            members.append(member)
        return UnionSpec(type_text(tp), optional, tuple(members))
    return None
