"""The node tree: :class:`DictNode` and :class:`ListNode` containers holding plain leaf values.

Leaves are stored as plain Python values (``int``, ``float``, ``bool``, ``str``, ``None``,
``bytes``, ``pathlib.Path``, ``Enum``); a string containing ``${`` is an interpolation and the
string ``"???"`` marks a missing value. Each container keeps, beside its content, where every child
value came from (``_origins``) and optional flags (``readonly``, ``struct``) inherited by children.

Keeping leaves unboxed is what makes loading, merging and copying cheap; the per-key metadata
lives in the parent. Interpolations resolve lazily on access through the :class:`Engine` attached
to the root (``api`` attaches it), so this module never imports the resolver.
"""

from __future__ import annotations

import enum
import os
from collections.abc import MutableMapping, MutableSequence

from confcompose.errors import (
    ConfigAttributeError,
    ConfigIndexError,
    ConfigKeyError,
    ConfigTypeError,
    MissingValueError,
    ReadonlyConfigError,
    UnsupportedValueError,
    suggestions,
)
from confcompose.location import Location, code_location
from confcompose.node_methods import (
    MappingMethods,
    SequenceMethods,
    tree_repr,
)
from confcompose.paths import join_path

TYPE_CHECKING = False  # keep the typing module out of `import confcompose`


if TYPE_CHECKING:
    from typing import Any, Protocol

    class Engine(Protocol):
        """What a root container needs from the resolver (``confcompose.resolve.Engine``)."""

        def resolve(self, container: Container, key: Any, raw: str) -> Any:
            """Return the value of the interpolation string ``raw`` stored at ``container[key]``."""

        def wrap_object(self, value: Any, parent: Container, key: Any) -> Any:
            """Convert a value of a non-plain type (a dataclass, ...) for storage, or raise."""

        def evaluate(self, ast: Any, container: Container, key: Any) -> Any:
            """Evaluate an already parsed expression found at ``container[key]``."""

        def merge(self, dst: Container, src: Any, origin: Location) -> None:
            """Merge ``src`` (a config, plain data or a dataclass) into ``dst`` in place."""

        def apply_dotlist(self, dst: Container, dotlist: Any, origin: Location) -> None:
            """Set ``key=value`` items (values read as YAML) in ``dst``."""

        def pass_memo(self, on: bool) -> bool:
            """Start or end a whole-tree pass (values without resolver calls are kept)."""

    class Schema(Protocol):
        """Validation of assigned values (implemented by structured configs)."""

        def convert(self, container: Container, key: Any, value: Any) -> Any:
            """Return ``value`` converted to the declared type of ``key``, or raise."""


# Type checkers see the ABCs as bases; at run time the classes are registered with them instead
# (at the end of this module), which keeps their metaclass `type`: isinstance() against an
# ABCMeta class costs about 3x more for the values that fail it, and leaves fail it on hot paths.
if TYPE_CHECKING:
    _MappingBase = MutableMapping[Any, Any]
    _SequenceBase = MutableSequence[Any]
else:
    _MappingBase = _SequenceBase = object


MISSING = "???"
# os.PathLike covers pathlib paths without importing pathlib (slow to import).
_LEAF_TYPES = (str, int, float, bool, type(None), bytes, enum.Enum, os.PathLike)
_KEY_TYPES = (str, int, float, bool, enum.Enum, bytes)
Origin = Location | tuple[Location, ...]
_NO_DEFAULT: Any = object()


class Container:
    """Behaviour shared by dict and list nodes: parent links, flags, origins, resolution."""

    __slots__ = ("_engine", "_flags", "_key", "_origins", "_parent", "_schema")

    _parent: Container | None
    _key: Any
    _content: Any  # dict in DictNode, list in ListNode
    _origins: Any  # key -> Origin (dict) or index -> Origin (list)
    _flags: dict[str, bool] | None
    _engine: Engine | None
    _schema: Schema | None

    # -- tree navigation -------------------------------------------------------------------
    def _root(self) -> Container:
        node = self
        while node._parent is not None:
            node = node._parent
        return node

    def _path(self) -> str:
        """The full key path of this container (``""`` for the root)."""
        parts: list[tuple[Any, bool]] = []
        node: Container = self
        while node._parent is not None:
            parts.append((node._key, isinstance(node._parent, ListNode)))
            node = node._parent
        path = ""
        for key, is_index in reversed(parts):
            path = join_path(path, key, is_index)
        return path

    def _child_path(self, key: Any) -> str:
        return join_path(self._path(), key, isinstance(self, ListNode))

    def _get_flag(self, name: str) -> bool | None:
        node: Container | None = self
        while node is not None:
            flags = node._flags
            if flags is not None and name in flags:
                return flags[name]
            node = node._parent
        return None

    def _set_flag(self, name: str, value: bool | None) -> None:
        if value is None:
            if self._flags is not None:
                self._flags.pop(name, None)
                if not self._flags:
                    self._flags = None
            return
        if self._flags is None:
            self._flags = {}
        self._flags[name] = value

    def _find_engine(self) -> Engine | None:
        node: Container | None = self
        while node is not None:
            if node._engine is not None:
                return node._engine
            node = node._parent
        return None

    def _origin(self, key: Any) -> Location | None:
        """The location that set the current value at ``key`` (``None`` if unknown)."""
        try:
            origin = self._origins[key]
        except (KeyError, IndexError, TypeError):
            return None
        if type(origin) is tuple:
            return origin[-1] if origin else None
        return origin  # type: ignore[no-any-return]

    # -- values ----------------------------------------------------------------------------
    def _resolve_leaf(self, key: Any, value: str) -> Any:
        if value == MISSING:
            raise MissingValueError(
                "missing mandatory value ('???')",
                key_path=self._child_path(key),
                location=self._origin(key),
            )
        if "${" not in value:
            return value
        engine = self._find_engine()
        if engine is None:
            raise ConfigTypeError(
                "cannot resolve an interpolation in a config not made by confcompose.create()",
                key_path=self._child_path(key),
            )
        return engine.resolve(self, key, value)

    def _check_writable(self, key: Any) -> None:
        if self._get_flag("readonly"):
            raise ReadonlyConfigError(
                "config is read-only", key_path=self._child_path(key), location=self._origin(key)
            )

    def _wrap(self, key: Any, value: Any, origin: Location) -> Any:
        """Turn an assigned value into what is stored at ``key`` (copying containers)."""
        if isinstance(value, _LEAF_TYPES):
            if self._schema is not None:
                return self._schema.convert(self, key, value)
            return value
        if isinstance(value, Container):
            node = value._copy(self, key)
        elif isinstance(value, dict | list | tuple):
            try:
                node = from_plain(value, origin, self, key)
            except RecursionError:
                raise _too_deep(value, self._child_path(key)) from None
        else:
            engine = self._find_engine()
            if engine is None:
                raise UnsupportedValueError(
                    f"unsupported value type {type(value).__name__}",
                    key_path=self._child_path(key),
                    expected="a plain value, a dict or a list",
                )
            return engine.wrap_object(value, self, key)
        if self._schema is not None:
            return self._schema.convert(self, key, node)
        return node

    def _copy(self, parent: Container | None, key: Any) -> Any:
        raise NotImplementedError

    def _editing_engine(self) -> Engine:
        engine = self._find_engine()
        if engine is None:
            raise ConfigTypeError(
                "cannot merge into a config not made by confcompose.create()",
                key_path=self._path() or None,
            )
        if self._get_flag("readonly"):
            raise ReadonlyConfigError("config is read-only", key_path=self._path() or None)
        return engine

    def _merge_with(self, others: tuple[Any, ...]) -> None:
        engine = self._editing_engine()
        origin = code_location(2)
        for other in others:
            engine.merge(self, other, origin)

    def _get(self, key: Any, attr: bool = False) -> Any:
        """The value at ``key``, interpolations resolved."""
        raise NotImplementedError

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return tree_repr(self)

    __str__ = __repr__

    # -- pickling (parent links rebuilt; state after memoisation keeps cycles safe) ------------
    def __reduce__(self) -> tuple[Any, ...]:
        engine = self._engine if self._parent is None else None
        state = (self._content, self._origins, self._flags, self._schema, engine, self._key)
        return (_new_empty, (type(self),), state)

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        content, origins, flags, schema, engine, key = state
        _set = object.__setattr__  # DictNode's own __setattr__ is the user-facing one
        for name, value in (
            ("_content", content),
            ("_origins", origins),
            ("_flags", flags),
            ("_schema", schema),
            ("_engine", engine),
            ("_key", key),
            ("_parent", None),
        ):
            _set(self, name, value)
        items = content.items() if isinstance(content, dict) else enumerate(content)
        for k, v in items:
            if isinstance(v, Container):
                v._parent = self
                v._key = k

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        res = self._copy(None, self._key)
        # Like OmegaConf: the copy keeps a reference to the parent (so relative
        # interpolations still resolve) but the parent does not own it.
        res._parent = self._parent
        if self._parent is None:
            res._engine = self._engine
        return res

    def __copy__(self) -> Any:
        return self.__deepcopy__({})


def _plain_leaf_or_wrap(parent: Container, key: Any, value: Any, origin: Location) -> Any:
    if isinstance(value, dict):
        return _dict_from_plain(value, origin, parent, key)
    if isinstance(value, list | tuple):
        return _list_from_plain(value, origin, parent, key)
    if isinstance(value, Container):
        return value._copy(parent, key)
    return parent._wrap(key, value, origin)


class DictNode(MappingMethods, Container, _MappingBase):
    """A mapping node with attribute and item access: a ``collections.abc.MutableMapping``.

    Build one with :func:`confcompose.create`. ``cfg.a.b``, ``cfg["a"]["b"]``, ``"a" in cfg``,
    ``len(cfg)``, iteration over keys, ``dict(cfg)``, ``**cfg`` and the mapping methods work as
    for a dict. As in OmegaConf, the methods win on attribute access: with a key named
    ``items``, ``cfg.items`` is still the method and ``cfg["items"]`` the value.

    >>> from collections.abc import Mapping
    >>> import confcompose
    >>> cfg = confcompose.create({"items": [1, 2], "n": 3})
    >>> isinstance(cfg, Mapping), dict(cfg), cfg["items"][0]
    (True, {'items': [1, 2], 'n': 3}, 1)
    """

    __slots__ = ("_content",)
    _content: dict[Any, Any]
    _origins: dict[Any, Origin]

    # -- construction (see new_dict / from_plain) -----------------------------------------------
    def _copy(self, parent: Container | None, key: Any) -> DictNode:
        # The hot path of every compose (see _blank_dict for the slot setters).
        node = object.__new__(DictNode)
        content = dict(self._content)
        for k, v in content.items():
            if isinstance(v, Container):
                content[k] = v._copy(node, k)
        _set_dict_content(node, content)
        _set_origins(node, dict(self._origins))
        _set_parent(node, parent)
        _set_key(node, key)
        _set_flags(node, dict(self._flags) if self._flags else None)
        _set_engine(node, None)
        _set_schema(node, self._schema)
        return node

    # -- reading ---------------------------------------------------------------------------
    def _get(self, key: Any, attr: bool = False) -> Any:
        try:
            value = self._content[key]
        except KeyError:
            raise self._missing_key(key, attr) from None
        except TypeError:
            raise ConfigKeyError(f"unhashable key {key!r}", key_path=self._path() or None) from None
        if type(value) is str:
            return self._resolve_leaf(key, value)
        return value

    def _missing_key(self, key: Any, attr: bool) -> ConfigKeyError:
        cls = ConfigAttributeError if attr else ConfigKeyError
        return cls(
            "no such key",
            key_path=self._child_path(key),
            suggestions=suggestions(str(key), [k for k in self._content if isinstance(k, str)]),
        )

    def __getattr__(self, name: str) -> Any:
        if name in _DICT_SLOTS or (name[:2] == "__" and name[-2:] == "__"):
            raise AttributeError(name)
        return self._get(name, attr=True)

    def __getitem__(self, key: Any) -> Any:
        return self._get(key)

    # -- writing ---------------------------------------------------------------------------
    def _set(self, key: Any, value: Any, origin: Location | None, attr: bool = False) -> None:
        if not isinstance(key, _KEY_TYPES):
            raise ConfigTypeError(
                f"unsupported key type {type(key).__name__}",
                key_path=self._child_path(key),
                expected="str, int, float, bool, bytes or Enum keys",
            )
        self._check_writable(key)
        if key not in self._content and self._get_flag("struct"):
            cls = ConfigAttributeError if attr else ConfigKeyError
            raise cls(
                "cannot add a new key to a struct config",
                key_path=self._child_path(key),
                suggestions=suggestions(str(key), [k for k in self._content if isinstance(k, str)]),
            )
        origin = origin or Location(None, None, None, "code")
        self._content[key] = self._wrap(key, value, origin)
        self._origins[key] = origin

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _DICT_SLOTS:
            object.__setattr__(self, name, value)
            return
        self._set(name, value, code_location(1), attr=True)

    def __setitem__(self, key: Any, value: Any) -> None:
        self._set(key, value, code_location(1))

    def _delete(self, key: Any, attr: bool) -> None:
        self._check_writable(key)
        if self._get_flag("struct"):
            raise ConfigTypeError(
                "cannot delete a key from a struct config", key_path=self._child_path(key)
            )
        if key not in self._content:
            raise self._missing_key(key, attr)
        del self._content[key]
        self._origins.pop(key, None)

    def __delattr__(self, name: str) -> None:
        self._delete(name, attr=True)

    def __delitem__(self, key: Any) -> None:
        self._delete(key, attr=False)


class ListNode(SequenceMethods, Container, _SequenceBase):
    """A sequence node, a ``collections.abc.MutableSequence``: indexing, slicing, iteration
    (values resolved), and the list methods."""

    __slots__ = ("_content",)
    _content: list[Any]
    _origins: list[Origin]

    def _copy(self, parent: Container | None, key: Any) -> ListNode:
        node = object.__new__(ListNode)
        node._content = [
            v._copy(node, i) if isinstance(v, Container) else v for i, v in enumerate(self._content)
        ]
        node._origins = list(self._origins)
        node._parent = parent
        node._key = key
        node._flags = dict(self._flags) if self._flags else None
        node._engine = None
        node._schema = self._schema
        return node

    def _reindex(self, start: int = 0) -> None:
        for i in range(start, len(self._content)):
            v = self._content[i]
            if isinstance(v, Container):
                v._key = i

    def _index(self, index: Any) -> int:
        if isinstance(index, bool) or not isinstance(index, int):
            raise ConfigTypeError(
                f"list indices must be integers, not {type(index).__name__}",
                key_path=self._path() or None,
            )
        n = len(self._content)
        if not -n <= index < n:
            raise ConfigIndexError(
                f"list index {index} out of range (length {n})", key_path=self._child_path(index)
            )
        return index + n if index < 0 else index

    def _get(self, index: int, attr: bool = False) -> Any:
        value = self._content[index]
        if type(value) is str:
            return self._resolve_leaf(index, value)
        return value

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            return [self._get(i) for i in range(*index.indices(len(self._content)))]
        return self._get(self._index(index))

    def __setitem__(self, index: Any, value: Any) -> None:
        i = self._index(index)
        self._check_writable(i)
        origin = code_location(1)
        self._content[i] = self._wrap(i, value, origin)
        self._origins[i] = origin

    def __delitem__(self, index: Any) -> None:
        i = self._index(index)
        self._check_writable(i)
        del self._content[i]
        del self._origins[i]
        self._reindex(i)


# -- construction: the only places that build nodes ------------------------------------------


# A DictNode's own __setattr__ is the user-facing, validating one: its slots are set through
# their descriptors (1.5x faster than object.__setattr__; building and copying are hot paths).
_slot = vars(Container)
_set_dict_content = vars(DictNode)["_content"].__set__
_set_origins = _slot["_origins"].__set__
_set_parent = _slot["_parent"].__set__
_set_key = _slot["_key"].__set__
_set_flags = _slot["_flags"].__set__
_set_engine = _slot["_engine"].__set__
_set_schema = _slot["_schema"].__set__


def _blank_dict(content: Any, origins: Any, parent: Container | None, key: Any) -> DictNode:
    node: DictNode = object.__new__(DictNode)
    _set_dict_content(node, content)
    _set_origins(node, origins)
    _set_parent(node, parent)
    _set_key(node, key)
    _set_flags(node, None)
    _set_engine(node, None)
    _set_schema(node, None)
    return node


def _blank_list(content: Any, origins: Any, parent: Container | None, key: Any) -> ListNode:
    node: ListNode = object.__new__(ListNode)  # no __setattr__ of its own: plain stores
    node._content = content
    node._origins = origins
    node._parent = parent
    node._key = key
    node._flags = None
    node._engine = None
    node._schema = None
    return node


def new_dict(
    content: dict[Any, Any] | None = None,
    origins: dict[Any, Origin] | None = None,
    *,
    adopt: bool = True,
    flags: dict[str, bool] | None = None,
    schema: Schema | None = None,
) -> DictNode:
    """A root :class:`DictNode` holding ``content`` as it is (leaves and built nodes: no copy,
    no validation) with ``origins`` (key -> Location), its own ``flags`` (the dict is kept) and
    ``schema``. Its child nodes become its children; with ``adopt=False`` they keep their
    parents: a read-only view over shared nodes."""
    content = {} if content is None else content
    node = _blank_dict(content, {} if origins is None else origins, None, None)
    if flags or schema is not None:
        _adopt_settings(node, flags, schema)
    if adopt:
        for k, v in content.items():
            if isinstance(v, Container):
                v._parent = node
                v._key = k
    return node


def new_list(
    content: list[Any] | None = None,
    origins: list[Origin] | None = None,
    *,
    adopt: bool = True,
    flags: dict[str, bool] | None = None,
    schema: Schema | None = None,
) -> ListNode:
    """A root :class:`ListNode` holding ``content`` as it is (see :func:`new_dict`); without
    ``origins`` every item's origin is an unknown ``Location()``."""
    content = [] if content is None else content
    if origins is None:
        origins = [Location()] * len(content)
    node = _blank_list(content, origins, None, None)
    if flags or schema is not None:
        _adopt_settings(node, flags, schema)
    if adopt:
        for i, v in enumerate(content):
            if isinstance(v, Container):
                v._parent = node
                v._key = i
    return node


def _adopt_settings(node: Container, flags: dict[str, bool] | None, schema: Schema | None) -> None:
    _set_flags(node, flags or None)
    _set_schema(node, schema)


def from_plain(
    data: Any, origin: Location, parent: Container | None = None, key: Any = None
) -> DictNode | ListNode:
    """A node built from plain data (a mapping, a list or a tuple; nested ones become child
    nodes, configs are copied), every value set at ``origin``; ``parent``/``key`` place it."""
    if isinstance(data, list | tuple):
        return _list_from_plain(data, origin, parent, key)
    return _dict_from_plain(data, origin, parent, key)


def _dict_from_plain(data: Any, origin: Location, parent: Container | None, key: Any) -> DictNode:
    content: dict[Any, Any] = {}
    origins: dict[Any, Origin] = {}
    node = _blank_dict(content, origins, parent, key)
    for k, v in data.items():
        if not isinstance(k, _KEY_TYPES):
            raise ConfigTypeError(
                f"unsupported key type {type(k).__name__}",
                key_path=node._child_path(k),
                expected="str, int, float, bool, bytes or Enum keys",
            )
        content[k] = v if isinstance(v, _LEAF_TYPES) else _plain_leaf_or_wrap(node, k, v, origin)
        origins[k] = origin
    return node


def _list_from_plain(data: Any, origin: Location, parent: Container | None, key: Any) -> ListNode:
    content: list[Any] = []
    node = _blank_list(content, None, parent, key)
    for i, v in enumerate(data):
        content.append(v if isinstance(v, _LEAF_TYPES) else _plain_leaf_or_wrap(node, i, v, origin))
    node._origins = [origin] * len(content)
    return node


_DICT_SLOTS = frozenset(("_content", "_origins", "_parent", "_key", "_flags", "_engine", "_schema"))


# Libraries test `isinstance(x, Mapping)` / `Sequence` to walk nested data (OmegaConf's configs
# are registered mapping and sequence types too). Registered rather than inherited: making the
# node classes ABCs would slow down every isinstance check on the hot paths.
MutableMapping.register(DictNode)
MutableSequence.register(ListNode)


def _new_empty(cls: type[Container]) -> Container:
    return object.__new__(cls)


def _too_deep(value: Any, key_path: str) -> ConfigTypeError:
    """The error for a plain value that could not be stored: a cycle, or just too deep."""
    seen: set[int] = set()
    pending: list[tuple[Any, frozenset[int]]] = [(value, frozenset())]
    while pending:
        current, above = pending.pop()
        if id(current) in above:
            return ConfigTypeError(
                "the value contains itself (a dict or list that refers to itself)",
                key_path=key_path,
                expected="a tree of dicts and lists without cycles",
            )
        if id(current) in seen:
            continue
        seen.add(id(current))
        children = current.values() if isinstance(current, dict) else current
        inner = above | {id(current)}
        pending.extend((c, inner) for c in children if isinstance(c, dict | list | tuple))
    return ConfigTypeError(
        "the value is nested too deeply (Python's recursion limit)",
        key_path=key_path,
        expected="fewer levels of nesting",
    )
