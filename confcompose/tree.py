"""The internal API of the node tree: what other modules of confcompose may do with nodes.

The node classes (:mod:`confcompose.nodes`) keep their state in ``_``-prefixed slots, because a
public attribute of a config would shadow a config key of the same name (``cfg.content`` must be
the key ``content``). For the same reason this API is made of functions, not node methods. Every
module outside the node module builds, reads and edits nodes through these functions only.

- Building: :func:`new_dict`, :func:`new_list`, :func:`from_plain`, :func:`copy_node`.
- Reading: :func:`content` (raw values: interpolations unresolved, ``???`` kept), :func:`value`
  (resolved), :func:`origins` / :func:`origin`, :func:`parent`, :func:`key_in_parent`,
  :func:`root`, :func:`up`, :func:`path`, :func:`child_path`, :func:`schema`, :func:`engine`.
- Writing: :func:`store` (validated, as ``cfg[key] = value``), :func:`set_origin`,
  :func:`remove`, :func:`set_schema`, :func:`set_engine`.
- Flags: :func:`get_flag`, :func:`set_flag`, :func:`own_flags`, :class:`temporary_flags`.
- Paths: :func:`child_key` (one segment) and :func:`walk` (a whole path): the one place where
  the rules for path segments (negative indexes, non-string keys) are written.

``set_path`` (``update``'s walk that creates dicts on the way) lives in :mod:`confcompose.merge`,
since it merges.
"""

from __future__ import annotations

from confcompose.location import Location
from confcompose.nodes import (
    MISSING,
    Container,
    DictNode,
    ListNode,
    Origin,
    from_plain,
    new_dict,
    new_list,
)

TYPE_CHECKING = False  # keep the typing module out of `import confcompose`
if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from typing import Any

    from confcompose.nodes import Engine, Schema

__all__ = [
    "ABSENT",
    "child_key",
    "child_path",
    "content",
    "copy_node",
    "engine",
    "from_plain",
    "get_flag",
    "key_in_parent",
    "new_dict",
    "new_list",
    "origin",
    "origins",
    "own_flags",
    "parent",
    "path",
    "put",
    "remove",
    "root",
    "schema",
    "set_engine",
    "set_flag",
    "set_content",
    "set_origin",
    "set_parent",
    "set_schema",
    "store",
    "temporary_flags",
    "up",
    "value",
    "walk",
]

ABSENT: Any = object()  # what child_key / walk give for a path that names nothing


# -- building ---------------------------------------------------------------------------------


def copy_node(node: Container, parent: Container | None = None, key: Any = None) -> Any:
    """A deep copy of ``node`` (flags and schema included) placed at ``parent[key]``."""
    return node._copy(parent, key)


# -- reading ----------------------------------------------------------------------------------


def content(node: Container) -> Any:
    """The live ``dict`` (DictNode) or ``list`` (ListNode) of raw values: interpolation strings
    unresolved, ``???`` kept, child nodes as they are. Read it; write with :func:`store` or
    :func:`put`, or directly only into a node being built (before anyone else sees it)."""
    return node._content


def value(node: Container, key: Any) -> Any:
    """The value at ``node[key]``, an interpolation resolved (``???`` raises), as ``node[key]``
    does, for a key or an index already checked (see :func:`child_key`)."""
    return node._get(key)


def origins(node: Container) -> Any:
    """The live key -> Origin ``dict`` (or index -> Origin ``list``): each value's history, a
    Location or a tuple of them (merge order, the last one set the value)."""
    return node._origins


def origin(node: Container, key: Any) -> Location | None:
    """The location that set the current value at ``node[key]`` (``None`` if unknown)."""
    return node._origin(key)


def history(node: Container, key: Any) -> list[Location]:
    """Every location that set the value at ``node[key]``, in merge order."""
    try:
        found = node._origins[key]
    except (KeyError, IndexError, TypeError):
        return []
    return list(found) if type(found) is tuple else [found]


def parent(node: Container) -> Container | None:
    """The container holding ``node`` (``None`` for a root)."""
    return node._parent


def key_in_parent(node: Container) -> Any:
    """The key (or index) of ``node`` in its parent."""
    return node._key


def set_parent(node: Container, parent: Container | None, key: Any) -> None:
    """Place ``node`` at ``parent[key]`` (its link up only: the parent's content is not set)."""
    node._parent = parent
    node._key = key


def root(node: Container) -> Container:
    """The root of ``node``'s tree."""
    return node._root()


def up(node: Container, levels: int) -> Container | None:
    """The container ``levels`` parents above ``node`` (``None`` above the root)."""
    current: Container | None = node
    for _ in range(levels):
        if current is None:
            return None
        current = current._parent
    return current


def path(node: Container) -> str:
    """The full key path of ``node`` (``""`` for the root)."""
    return node._path()


def child_path(node: Container, key: Any) -> str:
    """The full key path of ``node[key]``."""
    return node._child_path(key)


def schema(node: Container) -> Schema | None:
    """The structured type checking values assigned to ``node`` (``None``: untyped)."""
    return node._schema


def set_schema(node: Container, new: Schema | None) -> None:
    """Type ``node`` with ``new`` (``None`` makes it untyped)."""
    node._schema = new


def engine(node: Container) -> Engine | None:
    """The resolver engine of ``node``'s tree (from the nearest container that has one)."""
    return node._find_engine()


def set_engine(node: Container, new: Engine | None) -> None:
    """Attach ``new`` to ``node``: it resolves the interpolations of ``node``'s subtree."""
    node._engine = new


def own_engine(node: Container) -> Engine | None:
    """The engine attached to ``node`` itself (not inherited)."""
    return node._engine


# -- writing ----------------------------------------------------------------------------------


def store(node: Container, key: Any, new: Any, where: Location, *, attr: bool = False) -> None:
    """``node[key] = new`` as a user assignment does (read-only, struct and type checks,
    containers copied), recording ``where`` as the value's only origin. ``attr``: a struct
    refusal is a ``ConfigAttributeError``, as for ``cfg.key = new``. A list index must exist."""
    if isinstance(node, DictNode):
        node._set(key, new, where, attr=attr)
        return
    assert isinstance(node, ListNode)
    i = node._index(key)
    node._check_writable(i)
    node._content[i] = node._wrap(i, new, where)
    node._origins[i] = where


def put(node: Container, key: Any, raw: Any, where: Origin | None = None) -> None:
    """Set ``node[key]`` to ``raw`` as it is (no checks, no copy; a node must already be placed
    at ``node[key]``), with the origin ``where`` (``None``: no origin, a DictNode only). For
    values the caller vouches for, such as objects in an ``instantiate`` result."""
    node._content[key] = raw
    if where is not None:
        node._origins[key] = where
    elif isinstance(node, DictNode):
        node._origins.pop(key, None)


def set_content(node: Container, new: Any, new_origins: Any) -> None:
    """Replace the whole content of ``node`` (a dict for a DictNode, a list for a ListNode)
    and its origins, as they are: child nodes in ``new`` must already be placed in ``node``."""
    object.__setattr__(node, "_content", new)
    object.__setattr__(node, "_origins", new_origins)


def set_origin(node: Container, key: Any, where: Origin) -> None:
    """Set the history of ``node[key]`` (a Location or a tuple of them) as it is."""
    node._origins[key] = where


def remove(node: Container, key: Any) -> None:
    """Delete ``node[key]`` and its origin without checks (list items after it move up)."""
    del node._content[key]
    if isinstance(node, ListNode):
        del node._origins[key]
        node._reindex(key)
    else:
        node._origins.pop(key, None)


# -- flags ------------------------------------------------------------------------------------


def get_flag(node: Container, name: str) -> bool | None:
    """The flag ``name`` (``readonly``, ``struct``, ...) of ``node``, inherited from its parents
    (``None``: set nowhere)."""
    return node._get_flag(name)


def set_flag(node: Container, name: str, value: bool | None) -> None:
    """Set the flag ``name`` on ``node`` (``None`` removes it: inherited again)."""
    node._set_flag(name, value)


def own_flags(node: Container) -> dict[str, bool]:
    """A copy of the flags set on ``node`` itself (not inherited)."""
    return dict(node._flags) if node._flags else {}


class temporary_flags:
    """``with temporary_flags(node, {"struct": False}):`` sets the flags on ``node`` for the
    block, then puts back what was set on ``node`` itself (a flag it did not have is removed).
    ``None`` as a value removes the flag for the block. The ``with`` gives ``node``.

    A class, not a ``contextlib`` generator: the composer enters one per override.
    """

    __slots__ = ("flags", "node", "saved")

    def __init__(self, node: Any, flags: Mapping[str, bool | None]) -> None:
        self.node = node
        self.flags = flags
        self.saved: dict[str, bool | None] = {}

    def __enter__(self) -> Any:
        node = self.node
        own = node._flags
        for name, value in self.flags.items():
            self.saved[name] = own.get(name) if own else None
            node._set_flag(name, value)
            own = node._flags
        return node

    def __exit__(self, *exc: object) -> None:
        for name, value in self.saved.items():
            self.node._set_flag(name, value)


# -- paths ------------------------------------------------------------------------------------


def child_key(node: Any, part: Any, *, negative: bool = True, coerce: bool = True) -> Any:
    """The key or index of ``node`` that the path segment ``part`` names, or :data:`ABSENT`.

    In a DictNode, ``part`` names the key equal to it or, with ``coerce``, a non-string key
    whose ``str()`` is ``part`` (``"1"`` names the key ``1``, ``"True"`` the key ``True``). In a
    ListNode, it names an existing index (an ``int`` or the text of one; with ``negative``,
    ``-1`` is the last item and the index given is the positive one). A leaf names nothing.
    """
    if isinstance(node, DictNode):
        found = node._content
        try:
            if part in found:
                return part
        except TypeError:  # an unhashable segment
            return ABSENT
        if coerce and type(part) is str:
            for k in found:
                if not isinstance(k, str) and str(k) == part:
                    return k
        return ABSENT
    if isinstance(node, ListNode):
        if isinstance(part, bool):
            return ABSENT
        try:
            index = int(part)
        except (ValueError, TypeError):
            return ABSENT
        n = len(node._content)
        if 0 <= index < n:
            return index
        return index + n if negative and -n <= index < 0 else ABSENT
    return ABSENT


def walk(
    node: Container,
    parts: Sequence[Any],
    *,
    negative: bool = True,
    coerce: bool = True,
    resolve: bool = True,
    strict_missing: bool = True,
) -> tuple[Container, Any] | None:
    """``(container, key)`` of the last segment of the path ``parts`` from ``node``, or
    ``None`` if a segment names nothing (or ``parts`` is empty).

    Each segment is matched by :func:`child_key` (``negative``, ``coerce``). The value met at
    each segment before the last must be a container: with ``resolve``, an interpolation there
    is resolved first (its errors propagate); a ``???`` there raises ``MissingValueError`` when
    ``strict_missing`` and ends the walk (``None``) otherwise. The last value is not read.
    """
    if not parts:
        return None
    current: Any = node
    last = len(parts) - 1
    for i, part in enumerate(parts):
        k = child_key(current, part, negative=negative, coerce=coerce)
        if k is ABSENT:
            return None
        if i == last:
            return current, k
        raw = current._content[k]
        if type(raw) is str and (resolve or raw == MISSING):
            if raw == MISSING and not strict_missing:
                return None
            raw = current._get(k)
        current = raw
    return None  # pragma: no cover - the loop returns at the last segment
