"""Structured configs: typed, validated nodes from dataclasses and attrs classes.

A dataclass-typed :class:`~confcompose.nodes.DictNode` carries a :class:`StructSchema` in its
``_schema`` slot. Nodes and ``merge`` call ``schema.convert(container, key, value)`` for every value
stored into it, so assignment and merging validate and convert (``cfg.port = "80"`` stores ``80``)
and unknown keys are rejected with a did-you-mean (unless the node is opened with ``open_dict``).
Typed lists and dicts (``list[int]``, ``dict[str, DB]``) carry an element schema. Reading a typed
leaf costs nothing extra: values are stored already converted; interpolation results are converted
when resolved (:class:`StructuredEngine`).

The rules follow OmegaConf 2.3, with two deliberate differences: a mapping may be assigned to a
dataclass-typed field (OmegaConf only merges one), and ``to_object`` returns tuples for
``tuple[...]`` fields (OmegaConf returns lists).
"""

from __future__ import annotations

import functools
import sys
import typing
from collections.abc import Callable
from typing import Any

from confcompose.errors import (
    ConfigAttributeError,
    ConfigError,
    ConfigKeyError,
    ConfigTypeError,
    InterpolationValidationError,
    ValidationError,
    suggestions,
)
from confcompose.fieldspecs import (
    NO_DEFAULT,
    AnySpec,
    FieldSpec,
    build_leafish,
    split_optional,
    type_text,
)
from confcompose.location import Location, code_location
from confcompose.merge import merge_into
from confcompose.nodes import MISSING, Container, DictNode, ListNode
from confcompose.paths import split_path
from confcompose.resolve import Engine
from confcompose.tree import (
    child_path,
    content,
    copy_node,
    engine,
    get_flag,
    new_dict,
    new_list,
    origin,
    origins,
    own_flags,
    path,
    schema,
    set_engine,
    set_flag,
    set_parent,
    set_schema,
    value,
    walk,
)

# -- schemas (what a typed node holds) ---------------------------------------------------------


class StructSchema:
    """The schema of a dataclass/attrs-typed dict node: field name -> :class:`FieldSpec`."""

    __slots__ = ("cls", "defaults", "fields", "init_names", "origins")

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self.fields: dict[str, FieldSpec] = {}
        # name -> (default value or NO_DEFAULT, factory or None)
        self.defaults: dict[str, tuple[Any, Any]] = {}
        self.init_names: dict[str, str] = {}  # field name -> __init__ parameter name
        self.origins: dict[str, Location] = {}

    def convert(self, container: Container, key: Any, value: Any) -> Any:
        """Validate and convert ``value`` for the field ``key`` (unknown keys are refused)."""
        spec = self.fields.get(key)
        if spec is None:
            if get_flag(container, "struct") is False:  # open_dict() / force_add
                return value
            names = list(self.fields)
            raise ConfigAttributeError(
                f"no field {key!r} in {self.cls.__name__}",
                key_path=child_path(container, key),
                location=code_location(),
                suggestions=suggestions(str(key), names),
            )
        return spec.check(container, key, value)

    def resolved(self, container: Container, key: Any, value: Any) -> Any:
        """Convert the result of an interpolation stored at ``key``."""
        spec = self.fields.get(key)
        return value if spec is None else spec.check(container, key, value)

    def __reduce__(self) -> tuple[Any, ...]:
        return (schema_of, (self.cls,))


class ElementSchema:
    """The schema of a typed list (``list[T]``, ``tuple[...]``) or dict (``dict[K, T]``)."""

    __slots__ = ("is_tuple", "items", "key_spec", "owner", "spec")

    def __init__(
        self,
        spec: FieldSpec,
        items: tuple[FieldSpec, ...] = (),
        key_spec: FieldSpec | None = None,
        is_tuple: bool = False,
    ) -> None:
        self.spec = spec
        self.items = items  # per-position specs of a fixed-length tuple
        self.key_spec = key_spec
        self.is_tuple = is_tuple  # to_object() returns a tuple
        self.owner: FieldSpec | None = None  # the list/dict spec holding this schema

    def __reduce__(self) -> tuple[Any, ...]:
        return (getattr, (self.owner, "schema"))

    def convert(self, container: Container, key: Any, value: Any) -> Any:
        """Validate and convert ``value`` for position or key ``key``."""
        if self.items:
            if type(key) is int and key < len(self.items):
                return self.items[key].check(container, key, value)
            raise ValidationError(
                f"a tuple of {len(self.items)} items has no position {key}",
                key_path=child_path(container, key),
                location=code_location(),
            )
        if self.key_spec is not None:
            self.key_spec.check(container, key, key)
        return self.spec.check(container, key, value)

    resolved = convert


# -- container specs ------------------------------------------------------------------------------


class StructSpec(FieldSpec):
    """A field whose type is a dataclass or attrs class."""

    __slots__ = ("cls",)

    def __init__(self, cls: type, optional: bool) -> None:
        super().__init__(cls.__name__, optional)
        self.cls = cls

    def check_value(self, container: Container, key: Any, value: Any) -> Any:
        if not isinstance(value, DictNode):
            raise self.error(container, key, value)
        have = schema(value)
        if isinstance(have, StructSchema):
            if issubclass(have.cls, self.cls):
                return value
            raise self.error(
                container,
                key,
                value,
                f"{have.cls.__name__} is not a subclass of {self.cls.__name__}",
            )
        return retype(schema_of(self.cls), value, container, key)


class ListSpec(FieldSpec):
    """``list[T]``, ``tuple[T, ...]`` (``homogeneous``) or ``tuple[A, B]`` (fixed ``items``)."""

    __slots__ = ("is_tuple", "schema")

    def __init__(self, text: str, optional: bool, schema: ElementSchema, is_tuple: bool) -> None:
        super().__init__(text, optional)
        self.schema = schema
        self.is_tuple = is_tuple

    def check_value(self, container: Container, key: Any, value: Any) -> Any:
        if not isinstance(value, ListNode):
            raise self.error(container, key, value)
        if schema(value) is self.schema:
            return value
        items = content(value)
        n = len(self.schema.items)
        if n and len(items) != n:
            raise self.error(container, key, value, f"expected {n} items, got {len(items)}")
        set_schema(value, self.schema)
        for i, item in enumerate(items):
            items[i] = _check_at(self.schema, value, i, item)
        return value


class DictSpec(FieldSpec):
    """``dict[K, T]``: any key (of type K), every value checked against T."""

    __slots__ = ("schema",)

    def __init__(self, text: str, optional: bool, schema: ElementSchema) -> None:
        super().__init__(text, optional)
        self.schema = schema

    def check_value(self, container: Container, key: Any, value: Any) -> Any:
        if not isinstance(value, DictNode) or isinstance(schema(value), StructSchema):
            raise self.error(container, key, value)
        if schema(value) is self.schema:
            return value
        set_schema(value, self.schema)
        items = content(value)
        for k, item in list(items.items()):
            items[k] = _check_at(self.schema, value, k, item)
        return value


def _check_at(typed: Any, node: Container, key: Any, new: Any) -> Any:
    """``typed.convert`` for a value already stored in ``node``: errors point at its origin."""
    try:
        return typed.convert(node, key, new)
    except (ValidationError, ConfigKeyError) as e:
        raise _relocated(e, origin(node, key)) from None


def _relocated(e: ConfigError, origin: Location | None) -> ConfigError:
    if origin is None or (e.location is not None and e.location.kind != "code"):
        return e
    new = type(e)(
        e.msg,
        key_path=e.key_path,
        location=origin,
        expected=e.expected,
        suggestions=e.suggestions,
        context=e.context,
    )
    new.__cause__ = e.__cause__
    return new


@functools.lru_cache(maxsize=1024)
def spec_for(tp: Any, where: str = "") -> FieldSpec:
    """The (cached) spec of the annotation ``tp``; ``where`` names the field for errors."""
    spec = _make_spec(tp, where)
    spec.hint = (tp, where)
    if isinstance(spec, ListSpec | DictSpec):
        spec.schema.owner = spec
    return spec


# Specs pickle as a call to this builder (fieldspecs cannot import this module: it is below it).
FieldSpec.builder = spec_for


def _make_spec(tp: Any, where: str) -> FieldSpec:
    inner, optional = split_optional(tp)
    spec = build_leafish(inner, optional, where)
    if spec is not None:
        return spec
    if isinstance(inner, type) and is_structured(inner):
        return StructSpec(inner, optional)
    origin = typing.get_origin(inner) or inner
    args = typing.get_args(inner)
    import collections.abc as abc

    if origin in (list, abc.Sequence, abc.MutableSequence):
        elem = spec_for(args[0], where) if args else AnySpec("Any", True)
        return ListSpec(type_text(inner), optional, ElementSchema(elem), False)
    if origin is tuple:
        if not args or (len(args) == 2 and args[1] is Ellipsis):
            elem = spec_for(args[0], where) if args else AnySpec("Any", True)
            return ListSpec(type_text(inner), optional, ElementSchema(elem, is_tuple=True), True)
        items = tuple(spec_for(a, where) for a in args)
        schema = ElementSchema(items[0], items, is_tuple=True)
        return ListSpec(type_text(inner), optional, schema, True)
    if origin in (dict, abc.Mapping, abc.MutableMapping):
        key = spec_for(args[0], where) if args else None
        value = spec_for(args[1], where) if args else AnySpec("Any", True)
        key_spec = None if key is None or isinstance(key, AnySpec) else key
        return DictSpec(type_text(inner), optional, ElementSchema(value, key_spec=key_spec))
    raise ConfigTypeError(
        f"unsupported type {type_text(tp)} for {where or 'a structured config field'}",
        expected="int, float, bool, str, bytes, Path, an Enum, Any, Optional, a Union of "
        "primitives, Literal, list, tuple, dict, or a dataclass",
    )


# -- classes -> schemas ---------------------------------------------------------------------------


def is_structured(obj: Any) -> bool:
    """Whether ``obj`` is a dataclass or attrs class or instance."""
    return hasattr(obj, "__dataclass_fields__") or hasattr(obj, "__attrs_attrs__")


@functools.cache
def schema_of(cls: type) -> StructSchema:
    """The (cached) schema of a dataclass or attrs class: one converter per field."""
    schema = StructSchema(cls)
    try:
        hints = typing.get_type_hints(cls, localns={cls.__name__: cls})
    except Exception:  # a forward reference that does not resolve: fall back per field
        hints = {}
    lines = _field_lines(cls)
    file = _class_file(cls)
    for name, tp, default, factory, init_name in _raw_fields(cls):
        tp = hints.get(name, tp)
        where = f"{cls.__name__}.{name}"
        if isinstance(tp, str):
            raise ConfigTypeError(
                f"cannot resolve the annotation {tp!r} of {where}",
                expected="an annotation importable from the class's module",
            )
        schema.fields[name] = spec_for(tp, where)
        schema.defaults[name] = (default, factory)
        if init_name is not None:
            schema.init_names[name] = init_name
        schema.origins[name] = Location(file, lines.get(name), None, "default", where)
    return schema


def _raw_fields(cls: type) -> list[tuple[str, Any, Any, Any, str | None]]:
    """``(name, annotation, default, factory, init parameter or None)`` for each field."""
    out: list[tuple[str, Any, Any, Any, str | None]] = []
    if hasattr(cls, "__dataclass_fields__"):
        import dataclasses

        for f in dataclasses.fields(cls):
            default = NO_DEFAULT if f.default is dataclasses.MISSING else f.default
            factory = None if f.default_factory is dataclasses.MISSING else f.default_factory
            out.append((f.name, f.type, default, factory, f.name if f.init else None))
        return out
    import attr

    for a in attr.fields(cls):
        default, factory = a.default, None
        if default is attr.NOTHING:
            default = NO_DEFAULT
        elif isinstance(default, attr.Factory):  # type: ignore[arg-type]
            # A factory that takes self cannot run without an instance: the value is missing.
            factory = None if default.takes_self else default.factory
            default = NO_DEFAULT
        alias = getattr(a, "alias", None) or a.name.lstrip("_")
        tp = Any if a.type is None else a.type
        out.append((a.name, tp, default, factory, alias if a.init else None))
    return out


def _class_file(cls: type) -> str | None:
    module = sys.modules.get(cls.__module__)
    return getattr(module, "__file__", None)


def _field_lines(cls: type) -> dict[str, int]:
    """The source line of each field's annotation (read once per class; {} without source)."""
    import inspect
    import re

    out: dict[str, int] = {}
    for klass in reversed(cls.__mro__[:-1]):
        names = inspect.get_annotations(klass)
        if not names:
            continue
        try:
            lines, start = inspect.getsourcelines(klass)
        except (OSError, TypeError):
            continue
        for i, line in enumerate(lines):
            m = re.match(r"\s+(\w+)\s*:", line)
            if m and m.group(1) in names:
                out.setdefault(m.group(1), start + i)
    return out


# -- building typed nodes -------------------------------------------------------------------------


def plain_node(data: Any, where: Location, parent: Container | None, key: Any) -> Any:
    """A node for a Python value that may hold dataclass instances (lists, dicts, objects)."""
    # Each node is placed before its children are built: their errors name their full path.
    if isinstance(data, dict):
        node = new_dict()
        set_parent(node, parent, key)
        items, history = content(node), origins(node)
        for k, v in data.items():
            items[k] = plain_node(v, where, node, k)
            history[k] = where
        return node
    if isinstance(data, list | tuple):
        lst = new_list()
        set_parent(lst, parent, key)
        listed, positions = content(lst), origins(lst)
        for i, v in enumerate(data):
            listed.append(plain_node(v, where, lst, i))
            positions.append(where)
        return lst
    if is_structured(data):
        return build(data, parent, key)
    if isinstance(data, Container):
        return copy_node(data, parent, key)
    return data


def build(obj: Any, parent: Container | None = None, key: Any = None) -> DictNode:
    """A typed node for a dataclass/attrs class (its defaults) or instance (its values)."""
    cls = obj if isinstance(obj, type) else type(obj)
    typed = schema_of(cls)
    node = new_dict(schema=typed)
    set_parent(node, parent, key)
    items, history = content(node), origins(node)
    for name in typed.fields:
        where = typed.origins[name]
        if obj is cls:
            default, factory = typed.defaults[name]
            if factory is not None:
                default = factory()
        else:
            default = getattr(obj, name, NO_DEFAULT)
        if default is NO_DEFAULT:
            items[name] = MISSING
        else:
            items[name] = _check_at(typed, node, name, plain_node(default, where, node, name))
        history[name] = where
    if getattr(getattr(cls, "__dataclass_params__", None), "frozen", False):
        set_flag(node, "readonly", True)  # as OmegaConf: a frozen dataclass is a read-only node
    return node


def retype(schema: StructSchema, value: DictNode, parent: Container | None, key: Any) -> DictNode:
    """A typed node: the class defaults with ``value`` merged over them (validated)."""
    node = build(schema.cls, parent, key)
    merge_validated(node, value)
    return node


def merge_validated(dst: Container, src: Container) -> None:
    """``merge_into(dst, src)``, with validation errors located at the source value's file:line.

    >>> import dataclasses, confcompose
    >>> @dataclasses.dataclass
    ... class DB:
    ...     port: int = 0
    >>> cfg = confcompose.create(DB)
    >>> merge_validated(cfg, confcompose.create({"port": "80"})); cfg.port
    80
    """
    try:
        merge_into(dst, src)
    except (ValidationError, ConfigKeyError) as e:
        raise _relocated(e, _origin_in(src, dst, e.key_path)) from None


def _origin_in(src: Container, dst: Container, key_path: str | None) -> Location | None:
    """The origin, in ``src``, of the value at the full path ``key_path`` of ``dst``'s tree."""
    if not key_path:
        return None
    try:
        parts = list(split_path(key_path))
        prefix = list(split_path(path(dst)))
    except ConfigError:
        return None
    if parts[: len(prefix)] != prefix:
        return None
    found = walk(src, parts[len(prefix) :], resolve=False, strict_missing=False)
    return None if found is None else origin(*found)


def from_structured(obj: Any) -> DictNode:
    """A typed root node from a dataclass/attrs class or instance (``create`` calls this).

    >>> import dataclasses
    >>> @dataclasses.dataclass
    ... class DB:
    ...     port: int = 3306
    >>> from_structured(DB)["port"]
    3306
    """
    return build(obj)


def apply_schema(cfg: DictNode, schema_cls: type) -> DictNode:
    """A typed copy of ``cfg``: ``schema_cls``'s defaults with ``cfg`` merged over them.

    The composer calls this for ``compose(..., schema=Cls)``; unknown keys and values that do not
    convert raise, located at the YAML line (or override) that set them.
    """
    if not is_structured(schema_cls):
        raise ConfigTypeError(
            f"schema {schema_cls!r} is not a dataclass or attrs class", expected="a dataclass"
        )
    typed = build(schema_cls)
    merge_validated(typed, cfg)
    for name in own_flags(typed):
        set_flag(typed, name, None)
    for name, flag in own_flags(cfg).items():
        set_flag(typed, name, flag)
    found = engine(cfg)
    if isinstance(found, Engine):
        set_engine(typed, StructuredEngine(found.resolvers))
    return typed


# -- the engine: objects as values, typed interpolation results -----------------------------------


def typed_result(container: Container, key: Any, raw: str, result: Any) -> Any:
    """The value resolved from ``raw`` at ``container[key]``, converted to the type that
    ``container``'s schema declares (what :meth:`Engine.typed` does for structured configs)."""
    if isinstance(result, Container):
        return result
    try:
        return schema(container).resolved(container, key, result)  # type: ignore[union-attr]
    except ValidationError as e:
        # The value itself is not shown: it may be a secret (``${oc.env:DB_PASSWORD}``).
        raise InterpolationValidationError(
            f"interpolation {raw!r} resolved to a value of type {type(result).__name__} "
            "that does not convert (the value is not shown)",
            key_path=e.key_path,
            location=origin(container, key),
            expected=e.expected,
        ) from None


def wrap_value(
    value: Any, parent: Container, key: Any, refuse: Callable[[Any, Container, Any], Any]
) -> Any:
    """An object stored at ``parent[key]`` (what :meth:`Engine.wrap_object` does for structured
    configs): dataclass/attrs instances and classes become typed nodes; other objects go to
    ``refuse`` (the base engine's refusal) unless ``parent`` allows objects."""
    if not is_structured(value):
        if get_flag(parent, "allow_objects"):  # instantiate() results hold any object
            return value
        return refuse(value, parent, key)
    node = build(value, parent, key)
    typed = schema(parent)
    return node if typed is None else typed.convert(parent, key, node)


class StructuredEngine(Engine):
    """The root engine: accepts dataclass values and converts interpolation results to the type.

    (:class:`confcompose.root_engine.RootEngine` is the same, with this module loaded only when
    first needed: the engine of composed and attached configs.)
    """

    __slots__ = ()

    def typed(self, container: Container, key: Any, raw: str, result: Any) -> Any:
        """Convert the value resolved from ``raw`` to the declared type of ``key``, if any."""
        return typed_result(container, key, raw, result)

    def wrap_object(self, value: Any, parent: Container, key: Any) -> Any:
        """Dataclass/attrs instances and classes become typed nodes; other objects are refused."""
        return wrap_value(value, parent, key, super().wrap_object)


# -- back to objects ------------------------------------------------------------------------------


def to_object(cfg: Any) -> Any:
    """Real objects from a config: dataclass/attrs instances for typed nodes (nested), dicts and
    lists elsewhere; interpolations resolved. A ``???`` value raises ``MissingValueError``.

    >>> import dataclasses, confcompose
    >>> @dataclasses.dataclass
    ... class DB:
    ...     port: int = 3306
    ...     url: str = "db:${port}"
    >>> to_object(confcompose.create(DB))
    DB(port=3306, url='db:3306')
    """
    if not isinstance(cfg, Container):
        return cfg
    return _obj(cfg)


def _obj(data: Any) -> Any:
    if isinstance(data, DictNode):
        typed = schema(data)
        if isinstance(typed, StructSchema):
            return _instance(data, typed)
        return {k: _obj(value(data, k)) for k in list(content(data))}
    if isinstance(data, ListNode):
        items = [_obj(value(data, i)) for i in range(len(content(data)))]
        typed = schema(data)
        if isinstance(typed, ElementSchema) and typed.is_tuple:
            return tuple(items)
        return items
    return data


def _instance(node: DictNode, typed: StructSchema) -> Any:
    cls = typed.cls
    kwargs: dict[str, Any] = {}
    later: dict[str, Any] = {}
    for name in list(content(node)):
        if name not in typed.fields:
            raise ValidationError(
                f"cannot build {cls.__name__}: {name!r} is not one of its fields",
                key_path=child_path(node, name),
                location=origin(node, name),
                suggestions=suggestions(str(name), list(typed.fields)),
            )
        field_value = _obj(value(node, name))
        init = typed.init_names.get(name)
        if init is None:
            later[name] = field_value
        else:
            kwargs[init] = field_value
    try:
        obj = cls(**kwargs)
        for name, field_value in later.items():
            object.__setattr__(obj, name, field_value)
    except ConfigError:
        raise
    except Exception as e:
        raise ValidationError(
            f"building {cls.__name__} raised {type(e).__name__}: {e}",
            key_path=path(node) or None,
        ) from e
    return obj
