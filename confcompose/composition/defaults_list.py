"""A config's ``defaults:`` list as written, read and checked once per file.

The entries a defaults list may hold: ``group: option``, ``group/sub: option``,
``/abs_group: option``, ``group@pkg: option``, ``optional group: option``, ``override group:
option``, ``group: null``, ``group: ???``, ``group: [a, b]`` (options merged in order),
``group: ${other_group}`` (an interpolation over the other choices), plain configs ``- other`` /
``- /abs/other``, and ``_self_``. :class:`Library` keeps each config's parsed list until its
file changes; :mod:`confcompose.composition.defaults` expands them into the defaults tree.
"""

from __future__ import annotations

from confcompose._typing import NamedTuple
from confcompose.errors import CompositionError, ConfigNotFoundError
from confcompose.location import Location
from confcompose.nodes import Container, DictNode, ListNode
from confcompose.tree import content, new_dict, origins, own_flags, schema
from confcompose.tree import origin as origin_at

TYPE_CHECKING = False  # keep the typing module off the start-up path
if TYPE_CHECKING:
    from typing import Any

    from confcompose.composition.repository import Header, Repository, SearchPath


class DefaultsItem(NamedTuple):
    """One parsed defaults-list entry, as written (immutable; cached with its file)."""

    kind: str  # "group" | "config"
    target: str  # the group (group entries) or the config path (config entries)
    value: str | list[str] | None = None
    package: str | None = None
    optional: bool = False
    override: bool = False
    origin: Location | None = None


class Parsed(NamedTuple):
    """A loaded config split into its body (no ``defaults`` key) and its defaults entries."""

    name: str
    body: Container
    header: Header
    items: tuple[DefaultsItem, ...]
    node: Container | None = None  # the shared node it came from (identity checks)
    repo: Repository | None = None


def parse_defaults(
    name: str, node: Container, header: Header, repo: Repository | None = None
) -> Parsed:
    """Split ``node`` into body and defaults items, validating the list's shape."""
    if not isinstance(node, DictNode) or "defaults" not in content(node):
        return Parsed(name, node, header, (), node, repo)
    raw = content(node)["defaults"]
    where = origin_at(node, "defaults")
    if not isinstance(raw, ListNode):
        kind = "mapping" if isinstance(raw, DictNode) else type(raw).__name__
        raise CompositionError(
            f"Invalid defaults list in '{name}', defaults must be a list (got {kind})",
            location=where,
        )
    items = tuple(
        _item(name, item, origin_at(raw, i) or where) for i, item in enumerate(content(raw))
    )
    return Parsed(name, _without(node, "defaults"), header, items, node, repo)


def _without(node: DictNode, key: str) -> DictNode:
    # A shallow view without ``key``; the children stay owned by the shared cached node, which
    # is never mutated (merging only reads the source).
    return new_dict(
        {k: v for k, v in content(node).items() if k != key},
        {k: v for k, v in origins(node).items() if k != key},
        adopt=False,
        flags=own_flags(node),
        schema=schema(node),
    )


def _item(name: str, item: Any, origin: Location | None) -> DefaultsItem:
    if isinstance(item, str):
        path, package = _split_package(item)
        if path == "_self_" and package is not None:
            raise CompositionError(f"In '{name}': _self_@PACKAGE is not supported", location=origin)
        return DefaultsItem("config", path, None, package, origin=origin)
    if not isinstance(item, DictNode):
        raise CompositionError(
            f"In '{name}': Unsupported type in defaults : {type(item).__name__}", location=origin
        )
    keys = list(content(item))
    if len(keys) != 1:
        what = "Too many keys" if keys else "Missing group name"
        raise CompositionError(f"In '{name}': {what} in default item {item!r}", location=origin)
    key = str(keys[0])
    origin = origin_at(item, keys[0]) or origin
    words, package = _split_package(key)
    *flags, group = words.split(" ")
    optional = override = False
    for word in flags:
        if word == "optional":
            optional = True
        elif word == "override":
            override = True
        else:  # Hydra stops at the first word that is not a keyword
            break
    value = content(item)[keys[0]]
    if isinstance(value, ListNode):
        options = []
        for v in content(value):
            if not isinstance(v, str):
                raise CompositionError(
                    f"In '{name}': Unsupported item value in defaults : {type(v).__name__},"
                    " nested list items must be strings",
                    location=origin,
                )
            options.append(v)
        value = options
    elif value is not None and not isinstance(value, str):
        raise CompositionError(
            f"In '{name}': Unsupported item value in defaults : {type(value).__name__}."
            " Supported: string or list",
            location=origin,
        )
    if not group:
        raise CompositionError(f"In '{name}': Missing group name in {key!r}", location=origin)
    return DefaultsItem("group", group, value, package, optional, override, origin)


def _split_package(text: str) -> tuple[str, str | None]:
    head, at, package = text.partition("@")
    if not at:
        return text, None
    return head, package.partition(":")[0]


class Library:
    """A search path plus the defaults lists parsed from its configs (per Composer)."""

    def __init__(self, search_path: SearchPath) -> None:
        self.search_path = search_path
        self._parsed: dict[str, Parsed] = {}

    def get(self, name: str) -> Parsed | None:
        """The parsed config ``name`` (re-parsed when its file changed), or ``None``."""
        found = self.search_path.load(name)
        if found is None:
            return None
        repo, node, header = found
        hit = self._parsed.get(name)
        if hit is not None and hit.node is node and hit.repo is repo:
            return hit
        parsed = parse_defaults(name, node, header, repo)
        self._parsed[name] = parsed  # a racing thread stores an equal value: harmless
        return parsed

    def forget(self) -> None:
        """Drop the parsed defaults lists (the repositories' listings changed)."""
        self._parsed = {}

    def is_current(self, parsed: Parsed) -> bool:
        """Whether ``parsed`` is still what its repository holds (files unchanged)."""
        if parsed.repo is None:
            return True
        try:
            node, _ = parsed.repo.load(parsed.name)
        except ConfigNotFoundError:
            return False
        return node is parsed.node and self.search_path.find(parsed.name) is parsed.repo
