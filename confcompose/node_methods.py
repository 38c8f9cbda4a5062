"""The mapping and sequence methods of the nodes: what makes a :class:`~confcompose.nodes.DictNode`
a ``MutableMapping`` and a :class:`~confcompose.nodes.ListNode` a ``MutableSequence``, written on
top of the node core (storage, paths, validation) that :mod:`confcompose.nodes` holds, plus the
plain-value comparison and the ``repr`` of a tree.

The node classes inherit these mixins; nothing else should. Method lookups go through the class
attribute cache, so living in a base class costs nothing on access.
"""

from __future__ import annotations

import sys

from confcompose.errors import ConfigKeyError
from confcompose.location import code_location

TYPE_CHECKING = False  # keep the typing module out of `import confcompose`
if TYPE_CHECKING:
    from collections.abc import ItemsView, Iterable, Iterator, KeysView, ValuesView
    from typing import Any

    from confcompose.location import Location
    from confcompose.nodes import Container as _Core
else:
    _Core = object

MISSING = "???"  # as confcompose.nodes.MISSING (this module sits below it)
_NO_DEFAULT: Any = object()


class MappingMethods(_Core):
    """``dict``'s methods for DictNode."""

    __slots__ = ()

    if TYPE_CHECKING:
        _content: dict[Any, Any]

        def _set(
            self, key: Any, value: Any, origin: Location | None, attr: bool = False
        ) -> None: ...
        def _delete(self, key: Any, attr: bool) -> None: ...
        def _missing_key(self, key: Any, attr: bool) -> ConfigKeyError: ...

    def get(self, key: Any, default: Any = None) -> Any:
        """The value at ``key``, or ``default`` if the key is absent or its value is ``???``."""
        value = self._content.get(key, _NO_DEFAULT)
        if value is _NO_DEFAULT:
            return default
        if type(value) is str:
            if value == MISSING:
                return default
            return self._resolve_leaf(key, value)
        return value

    def __contains__(self, key: object) -> bool:
        try:
            value = self._content.get(key, _NO_DEFAULT)
        except TypeError:
            return False
        return not (value is _NO_DEFAULT or (type(value) is str and value == MISSING))

    def __len__(self) -> int:
        return len(self._content)

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self._content))

    def __reversed__(self) -> Iterator[Any]:
        return iter(list(reversed(self._content)))

    def keys(self) -> KeysView[Any]:
        """The keys, in order (a live view, ``???`` values included)."""
        return self._content.keys()

    def values(self) -> ValuesView[Any]:
        """The values, resolved (raises for a ``???`` value, as OmegaConf does)."""
        return {k: self._get(k) for k in list(self._content)}.values()

    def items(self) -> ItemsView[Any, Any]:
        """``(key, value)`` pairs, values resolved (raises for a ``???`` value)."""
        return {k: self._get(k) for k in list(self._content)}.items()

    def __dir__(self) -> Iterable[str]:
        return [k for k in self._content if isinstance(k, str)]

    def pop(self, key: Any, default: Any = _NO_DEFAULT) -> Any:
        """Remove ``key`` and return its value (``default`` if absent)."""
        if key not in self._content:
            if default is _NO_DEFAULT:
                raise self._missing_key(key, attr=False)
            return default
        value = self._get(key)
        self._delete(key, attr=False)
        return value

    def setdefault(self, key: Any, default: Any = None) -> Any:
        """Return the value at ``key``, setting it to ``default`` first if absent."""
        if key not in self._content:
            self._set(key, default, code_location(1))
        return self._get(key)

    def update(self, other: Any = (), /, **kwargs: Any) -> None:
        """Set keys from a mapping, ``(key, value)`` pairs and keywords, as ``dict.update``.

        Values replace (a dict value is not merged: use :func:`confcompose.merge` for that).
        """
        origin = code_location(1)
        pairs = other.items() if isinstance(other, MappingMethods | dict) else other
        if not isinstance(other, MappingMethods | dict) and hasattr(other, "keys"):
            pairs = ((k, other[k]) for k in other.keys())  # noqa: SIM118 - dict.update protocol
        for k, v in pairs:
            self._set(k, v, origin)
        for k, v in kwargs.items():
            self._set(k, v, origin)

    def popitem(self) -> tuple[Any, Any]:
        """Remove and return the last ``(key, value)`` pair."""
        if not self._content:
            raise ConfigKeyError("popitem(): the config is empty", key_path=self._path() or None)
        key = next(reversed(self._content))
        return key, self.pop(key)

    def clear(self) -> None:
        """Remove every key."""
        for key in list(self._content):
            self._delete(key, attr=False)

    def merge_with(self, *others: Any) -> None:
        """Merge ``others`` (configs, dicts, dataclasses) into this config in place, as
        :func:`confcompose.merge` does into a copy (OmegaConf's ``DictConfig.merge_with``)."""
        self._merge_with(others)

    def copy(self) -> Any:
        """A copy of this config (children copied too; it still sees its parent)."""
        return self.__copy__()

    def merge_with_dotlist(self, dotlist: list[str]) -> None:
        """Apply ``["a.b=1", "c=[x, y]"]`` (values read as YAML) in place, as
        OmegaConf's ``DictConfig.merge_with_dotlist``."""
        self._editing_engine().apply_dotlist(self, dotlist, code_location(1))

    def merge_with_cli(self) -> None:
        """Apply the command line's ``key=value`` arguments (``sys.argv[1:]``) in place."""
        self._editing_engine().apply_dotlist(self, sys.argv[1:], code_location(1))

    # -- comparison and representation -----------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if isinstance(other, MappingMethods | dict):
            return bool(plain(self) == plain(other))
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result


class SequenceMethods(_Core):
    """``list``'s methods for ListNode."""

    __slots__ = ()

    if TYPE_CHECKING:
        _content: list[Any]
        _origins: list[Any]

        def _index(self, index: Any) -> int: ...
        def _reindex(self, start: int = 0) -> None: ...
        def __setitem__(self, index: Any, value: Any) -> None: ...
        def __delitem__(self, index: Any) -> None: ...

    def __len__(self) -> int:
        return len(self._content)

    def __iter__(self) -> Iterator[Any]:
        return (self._get(i) for i in range(len(self._content)))

    def __contains__(self, value: object) -> bool:
        return any(v == value for v in self)

    def insert(self, index: int, value: Any) -> None:
        """Insert ``value`` before ``index``."""
        n = len(self._content)
        self._check_writable(n)
        i = max(0, min(n, index + n if index < 0 else index))
        origin = code_location(1)
        self._content.insert(i, self._wrap(i, value, origin))
        self._origins.insert(i, origin)
        self._reindex(i)

    def append(self, value: Any) -> None:
        """Append ``value``."""
        n = len(self._content)
        self._check_writable(n)
        origin = code_location(1)
        self._content.append(self._wrap(n, value, origin))
        self._origins.append(origin)

    def extend(self, values: Iterable[Any]) -> None:
        """Append every item of ``values``."""
        for v in list(values):
            self.append(v)

    def pop(self, index: int = -1) -> Any:
        """Remove and return the item at ``index``."""
        i = self._index(index)
        value = self._get(i)
        del self[i]
        return value

    def remove(self, value: Any) -> None:
        """Remove the first item equal to ``value``."""
        del self[self.index(value)]

    def clear(self) -> None:
        """Remove every item."""
        self._check_writable(0)
        self._content.clear()
        self._origins.clear()

    def index(self, value: Any, start: int = 0, stop: int = sys.maxsize) -> int:
        """The position of the first item equal to ``value`` (from ``start``, before ``stop``)."""
        n = len(self._content)
        start = max(0, start + n if start < 0 else start)
        stop = min(n, stop + n if stop < 0 else stop)
        for i in range(start, stop):
            if self._get(i) == value:
                return i
        raise NotInListError(f"{value!r} is not in the list", key_path=self._path() or None)

    def reverse(self) -> None:
        """Reverse the items in place."""
        self._check_writable(0)
        self._content.reverse()
        self._origins.reverse()
        self._reindex()

    def __reversed__(self) -> Iterator[Any]:
        return (self._get(i) for i in range(len(self._content) - 1, -1, -1))

    def __iadd__(self, values: Iterable[Any]) -> Any:  # type: ignore[misc]
        self.extend(values)
        return self

    def count(self, value: Any) -> int:
        """How many items equal ``value``."""
        return sum(1 for v in self if v == value)

    def merge_with(self, *others: Any) -> None:
        """Replace the items by those of ``others`` merged in order (lists merge by
        replacement), as OmegaConf's ``ListConfig.merge_with``."""
        self._merge_with(others)

    def copy(self) -> Any:
        """A copy of this list (children copied too; it still sees its parent)."""
        return self.__copy__()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, SequenceMethods | list | tuple):
            return bool(plain(self) == plain(list(other) if isinstance(other, tuple) else other))
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    def __add__(self, other: Any) -> list[Any]:
        return list(self) + list(other)


class NotInListError(ConfigKeyError, ValueError):
    """``index``/``remove`` of a value the list does not hold: a ``ValueError`` as for ``list``."""


def plain(value: Any) -> Any:
    """A plain copy for comparisons: interpolations resolved where possible, ``???`` kept."""
    if isinstance(value, MappingMethods):
        out = {}
        for k, v in value._content.items():
            out[k] = plain(_value_or_raw(value, k, v))
        return out
    if isinstance(value, SequenceMethods):
        return [plain(_value_or_raw(value, i, v)) for i, v in enumerate(value._content)]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def _value_or_raw(container: Any, key: Any, raw: Any) -> Any:
    if type(raw) is str and "${" in raw:
        try:
            return container._resolve_leaf(key, raw)
        except Exception:  # an unresolvable interpolation compares as its text
            return raw
    return raw


def _leaf_repr(value: Any) -> str:
    try:
        return repr(value)
    except ValueError:  # an int too long for Python's int-to-text limit
        if isinstance(value, int):
            return f"<int of {value.bit_length()} bits>"
        raise


def tree_repr(root: Any) -> str:
    """``repr`` of the content as dicts and lists, without recursion (any depth)."""
    out: list[str] = []
    # Each frame: [closing bracket, iterator over (key or None, value), first item pending]
    stack: list[list[Any]] = []

    def enter(node: Any) -> None:
        if isinstance(node, MappingMethods):
            out.append("{")
            stack.append(["}", iter(node._content.items()), True])
        else:
            out.append("[")
            stack.append(["]", ((None, v) for v in node._content), True])

    enter(root)
    while stack:
        frame = stack[-1]
        item = next(frame[1], _NO_DEFAULT)
        if item is _NO_DEFAULT:
            out.append(frame[0])
            stack.pop()
            continue
        if not frame[2]:
            out.append(", ")
        frame[2] = False
        key, value = item
        if frame[0] == "}":
            out.append(_leaf_repr(key) + ": ")
        if isinstance(value, MappingMethods | SequenceMethods):
            enter(value)
        else:
            out.append(_leaf_repr(value))
    return "".join(out)
