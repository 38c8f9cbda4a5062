"""The public functions of the core: create, load, merge, select, update, resolve, export, flags.

Functions live at module level (not as methods) so they never collide with user keys. The
functions that need resolvers take either ``resolvers=`` (a :class:`Resolvers`) or
``context=`` (a :class:`~confcompose.context.Context`, whose resolvers are used); without
either, the default context's.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping

from confcompose._typing import overload
from confcompose.context import Context, Resolvers, default_context
from confcompose.errors import (
    ConfigKeyError,
    ConfigTypeError,
    MissingValueError,
    depth_guarded,
    suggestions,
)
from confcompose.location import Location, code_location
from confcompose.merge import merge_into, set_path
from confcompose.nodes import MISSING, Container, DictNode, ListNode
from confcompose.paths import split_path
from confcompose.resolve import Engine, resolve_all
from confcompose.tree import (
    ABSENT,
    child_key,
    child_path,
    content,
    copy_node,
    engine,
    from_plain,
    get_flag,
    new_dict,
    origin,
    own_flags,
    root,
    set_engine,
    set_flag,
    temporary_flags,
    up,
    value,
    walk,
)
from confcompose.tree import history as _history

TYPE_CHECKING = False  # keep the typing module out of `import confcompose`
if TYPE_CHECKING:
    from typing import Any, TypeVar

    from _typeshed import DataclassInstance

    # What create() turns into a DictNode: a mapping, a dataclass (instance or class), None.
    _DictLike = Mapping[Any, Any] | DataclassInstance | type[DataclassInstance] | None
    _ListLike = list[Any] | tuple[Any, ...] | ListNode
    _Node = TypeVar("_Node", bound=Container)


def register_resolver(
    name: str,
    fn: Callable[..., Any],
    *,
    replace: bool = False,
    use_cache: bool = False,
    resolvers: Resolvers | None = None,
    context: Context | None = None,
) -> None:
    """Register ``fn`` as ``${name:...}`` in ``resolvers`` (or ``context``'s; default: the
    default context's).

    >>> from confcompose import builtin_resolvers
    >>> mine = builtin_resolvers()
    >>> register_resolver("plus", lambda a, b: a + b, resolvers=mine)
    >>> create({"x": "${plus:1,2}"}, resolvers=mine).x
    3
    """
    registry = _chosen(resolvers, context) or default_context().resolvers
    registry.register(name, fn, replace=replace, use_cache=use_cache)


def _chosen(resolvers: Resolvers | None, context: Context | None) -> Resolvers | None:
    """The registry a call asked for: ``resolvers=`` or ``context=``'s, never two different."""
    if context is None:
        return resolvers
    if resolvers is not None and resolvers is not context.resolvers:
        raise ConfigTypeError(
            "pass resolvers= or context=, not both", expected="one registry for one call"
        )
    return context.resolvers


def attach(
    node: _Node, resolvers: Resolvers | None = None, *, context: Context | None = None
) -> _Node:
    """Make ``node`` a root that resolves interpolations with ``resolvers`` (or ``context``'s)."""
    # The root engine also turns assigned dataclasses into typed nodes and converts
    # interpolation results to declared types (confcompose.structured, loaded when needed).
    from confcompose.root_engine import RootEngine

    registry = _chosen(resolvers, context) or default_context().resolvers
    set_engine(node, RootEngine(registry))
    return node


def _engine_resolvers(cfg: Any) -> Resolvers | None:
    if isinstance(cfg, Container):
        found = engine(cfg)
        if isinstance(found, Engine):
            return found.resolvers
    return None


@overload
def create(
    obj: _DictLike = None, *, resolvers: Resolvers | None = None, context: Context | None = None
) -> DictNode: ...
@overload
def create(
    obj: _ListLike, *, resolvers: Resolvers | None = None, context: Context | None = None
) -> ListNode: ...
@overload
def create(
    obj: object, *, resolvers: Resolvers | None = None, context: Context | None = None
) -> DictNode | ListNode: ...


@depth_guarded
def create(
    obj: Any = None, *, resolvers: Resolvers | None = None, context: Context | None = None
) -> DictNode | ListNode:
    """A config from a dict, a list, YAML text, another config or ``None`` (empty dict).

    >>> cfg = create({"db": {"user": "omry", "port": 3306}})
    >>> cfg.db.user, cfg["db"]["port"]
    ('omry', 3306)
    >>> create("a: [1, 2]").a[1]
    2
    """
    resolvers = _chosen(resolvers, context)
    depth_origin = code_location(1)
    node: DictNode | ListNode
    if obj is None:
        node = new_dict()
    elif isinstance(obj, str):
        from confcompose.parsing.yaml import load_text

        node = _document_node(load_text(obj), obj)
    elif isinstance(obj, Container):
        node = copy_node(obj)
        resolvers = resolvers or _engine_resolvers(obj)
    elif isinstance(obj, dict | list | tuple):
        node = from_plain(obj, depth_origin)
    elif hasattr(obj, "__dataclass_fields__") or hasattr(obj, "__attrs_attrs__"):
        from confcompose.structured import from_structured

        node = from_structured(obj)
    elif isinstance(obj, Mapping):  # any other mapping (a MappingProxyType, ...): its items
        node = from_plain(obj, depth_origin)
    else:
        raise ConfigTypeError(
            f"cannot create a config from a {type(obj).__name__}",
            expected="a dict, a list, YAML text, a dataclass or None",
        )
    return attach(node, resolvers)


@depth_guarded
def load(
    path: str | os.PathLike[str],
    *,
    resolvers: Resolvers | None = None,
    context: Context | None = None,
) -> DictNode | ListNode:
    """A config from a YAML file; every value remembers its file, line and column."""
    resolvers = _chosen(resolvers, context)
    from confcompose.parsing.files import read_bytes
    from confcompose.parsing.yaml import load_text

    file = os.fspath(path)
    if not os.path.lexists(file):
        from confcompose.errors import ConfigNotFoundError

        raise ConfigNotFoundError(f"no such file: {file!r}")
    data = read_bytes(file)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        from confcompose.errors import YAMLError

        raise YAMLError(f"{file}: not UTF-8 text ({e.reason})") from None
    return attach(_document_node(load_text(text, os.fspath(path)), text), resolvers)


def _document_node(loaded: Any, text: str) -> DictNode | ListNode:
    """The config for a loaded YAML document (OmegaConf's rules for scalar documents)."""
    if isinstance(loaded, DictNode | ListNode):
        return loaded
    if loaded is None:
        return new_dict()
    if isinstance(loaded, str):
        # As OmegaConf: a document that is a plain string is a key with no value.
        return new_dict({loaded: None})
    raise ConfigTypeError(
        f"YAML text {text[:40]!r} is a {type(loaded).__name__}, not a mapping or a list",
        expected="a mapping or a list",
    )


@overload
def merge(
    first: _DictLike,
    /,
    *others: object,
    resolvers: Resolvers | None = None,
    context: Context | None = None,
) -> DictNode: ...
@overload
def merge(
    first: _ListLike,
    /,
    *others: object,
    resolvers: Resolvers | None = None,
    context: Context | None = None,
) -> ListNode: ...
@overload
def merge(
    *configs: object, resolvers: Resolvers | None = None, context: Context | None = None
) -> DictNode | ListNode: ...


@depth_guarded
def merge(
    *configs: Any, resolvers: Resolvers | None = None, context: Context | None = None
) -> DictNode | ListNode:
    """A new config: ``configs`` merged left to right (inputs are not modified).

    >>> merge({"a": 1, "b": {"c": 2}}, {"b": {"d": 3}})
    {'a': 1, 'b': {'c': 2, 'd': 3}}
    """
    resolvers = _chosen(resolvers, context)
    if not configs:
        return create({}, resolvers=resolvers)
    origin = code_location(1)
    first = configs[0]
    result: DictNode | ListNode = create(first, resolvers=resolvers or _engine_resolvers(first))
    readonly = own_flags(result).get("readonly")
    set_flag(result, "readonly", None)
    for other in configs[1:]:
        src = other if isinstance(other, Container) else _plain_to_node(other, origin)
        merge_into(result, src)
    if readonly is not None:
        set_flag(result, "readonly", readonly)
    return result


def _plain_to_node(obj: Any, origin: Location) -> Container:
    if isinstance(obj, dict | list | tuple):
        return from_plain(obj, origin)
    if obj is None:
        return new_dict()
    node = create(obj)
    assert isinstance(node, Container)
    return node


def _walk(cfg: Container, key: str) -> tuple[Container, Any] | None:
    """The container holding ``key`` (a path; leading dots go up from ``cfg``, staying at the
    root) and the last segment's key, or None if absent."""
    start: Container = cfg
    stripped = key.lstrip(".")
    if len(stripped) < len(key):
        start = up(cfg, len(key) - len(stripped) - 1) or root(cfg)
    return walk(start, split_path(stripped))


@depth_guarded
def select(cfg: Any, key: str, default: Any = ABSENT, *, throw_on_missing: bool = False) -> Any:
    """The value at the path ``key`` (``"a.b[0].c"``), resolved.

    An absent key returns ``default`` or, without one, raises :class:`ConfigKeyError` with the
    closest existing keys. A ``???`` value returns ``default`` (or ``None``), or raises
    :class:`MissingValueError` with ``throw_on_missing=True``.

    >>> cfg = create({"a": {"b": [{"c": 5}]}})
    >>> select(cfg, "a.b[0].c"), select(cfg, "a.x", default=0)
    (5, 0)
    """
    if key == "":
        return cfg
    found = _walk(cfg, key)
    if found is None:
        if default is not ABSENT:
            return default
        raise _absent(cfg, key)
    node, last = found
    raw = content(node)[last]
    if type(raw) is str and raw == MISSING:
        if throw_on_missing:
            raise MissingValueError(
                "missing mandatory value ('???')",
                key_path=child_path(node, last),
                location=origin(node, last),
            )
        return None if default is ABSENT else default
    return value(node, last)


def _absent(cfg: Container, key: str) -> ConfigKeyError:
    """A did-you-mean error for the first segment of ``key`` that does not exist."""
    node: Any = cfg
    parts = split_path(key.lstrip("."))
    for i, part in enumerate(parts):
        found = child_key(node, part)
        if found is ABSENT:
            keys = content(node) if isinstance(node, DictNode) else ()
            names = [k for k in keys if isinstance(k, str)]
            prefix = ".".join(parts[:i])
            return ConfigKeyError(
                f"no such key {part!r}" + (f" in {prefix!r}" if prefix else ""),
                key_path=key,
                suggestions=suggestions(part, names),
            )
        try:
            node = value(node, found)
        except MissingValueError:
            break
    return ConfigKeyError("no such key", key_path=key)


@depth_guarded
def update(cfg: Any, key: str, value: Any, *, merge: bool = True, force_add: bool = False) -> None:
    """Set the value at the path ``key``, creating missing dicts on the way.

    Dict values are merged into an existing dict when ``merge``; ``force_add`` adds keys even to
    struct configs.

    >>> cfg = create({"a": {"b": 1}})
    >>> update(cfg, "a.c.d", 2); cfg
    {'a': {'b': 1, 'c': {'d': 2}}}
    """
    set_path(cfg, key, value, code_location(1), merge=merge, force_add=force_add)


@depth_guarded
def resolve(cfg: Any) -> None:
    """Replace every interpolation in ``cfg`` by its value, in place."""
    if isinstance(cfg, Container):
        resolve_all(cfg)


def missing_keys(cfg: Any) -> set[str]:
    """The full paths of every ``???`` value.

    >>> sorted(missing_keys(create({"a": "???", "b": {"c": "???"}})))
    ['a', 'b.c']
    """
    out: set[str] = set()
    stack: list[Container] = [cfg]
    while stack:
        node = stack.pop()
        raw = content(node)
        for k, v in raw.items() if isinstance(raw, dict) else enumerate(raw):
            if type(v) is str and v == MISSING:
                out.add(child_path(node, k))
            elif isinstance(v, Container):
                stack.append(v)
    return out


def is_missing(cfg: Any, key: str) -> bool:
    """Whether the value at ``key`` is ``???`` (an absent key is not missing)."""
    found = _walk(cfg, key)
    if found is None:
        return False
    node, last = found
    raw = content(node)[last]
    return type(raw) is str and raw == MISSING


def is_interpolation(cfg: Any, key: str) -> bool:
    """Whether the value at ``key`` is an interpolation string."""
    found = _walk(cfg, key)
    if found is None:
        return False
    node, last = found
    raw = content(node)[last]
    return type(raw) is str and "${" in raw


def set_readonly(cfg: Any, value: bool | None) -> None:
    """Make ``cfg`` and its children read-only (``None`` inherits from the parent again)."""
    set_flag(cfg, "readonly", value)


def is_readonly(cfg: Any) -> bool:
    """Whether ``cfg`` is read-only (set on it or inherited)."""
    return bool(get_flag(cfg, "readonly"))


def set_struct(cfg: Any, value: bool | None) -> None:
    """Forbid (``True``) or allow new keys in ``cfg`` and its children."""
    set_flag(cfg, "struct", value)


def is_struct(cfg: Any) -> bool:
    """Whether ``cfg`` is in struct mode (set on it or inherited)."""
    return bool(get_flag(cfg, "struct"))


def read_write(cfg: Any) -> contextlib.AbstractContextManager[Any]:
    """Lift read-only mode on ``cfg`` inside a ``with`` block.

    >>> cfg = create({"a": 1}); set_readonly(cfg, True)
    >>> with read_write(cfg):
    ...     cfg.a = 2
    >>> cfg.a
    2
    """
    return temporary_flags(cfg, {"readonly": False})


def open_dict(cfg: Any) -> contextlib.AbstractContextManager[Any]:
    """Allow new keys in a struct ``cfg`` inside a ``with`` block."""
    return temporary_flags(cfg, {"struct": False})


def where(cfg: Any, key: str) -> Location | None:
    """The location that set the current value at ``key``: file:line:column, override or call.

    >>> cfg = merge(create("port: 1"), {"port": 2})
    >>> where(cfg, "port").kind
    'code'
    """
    found = _walk(cfg, key)
    if found is None:
        raise _absent(cfg, key)
    node, last = found
    return origin(node, last)


def history(cfg: Any, key: str) -> list[Location]:
    """Every location that set the value at ``key``, in merge order (the last one won)."""
    found = _walk(cfg, key)
    if found is None:
        raise _absent(cfg, key)
    node, last = found
    return _history(node, last)
