"""An explicit in-memory store of configs, usable as a config source (Hydra's ConfigStore).

Unlike Hydra's, it is an ordinary object: make one, fill it, and pass it to ``compose`` or a
``Composer``; nothing is global.

>>> store = ConfigStore()
>>> store.store("mysql", {"driver": "mysql"}, group="db")
>>> store.store("config", "defaults:\\n  - db: mysql\\n")
>>> store.options("db")
['mysql']
"""

from __future__ import annotations

import _thread

from confcompose.errors import ConfigTypeError
from confcompose.location import Location, code_location
from confcompose.nodes import Container
from confcompose.tree import copy_node, from_plain, new_dict

TYPE_CHECKING = False  # keep the typing module off the start-up path
if TYPE_CHECKING:
    from typing import Any

Entry = tuple[Container, dict[str, str]]


class ConfigStore:
    """Named configs in groups: ``store(name, node, group=None, package=None, provider=None)``."""

    def __init__(self, name: str = "store") -> None:
        self.name = name
        self._entries: dict[str, Entry] = {}
        self._providers: dict[str, str | None] = {}
        self._lock = _thread.allocate_lock()

    def __repr__(self) -> str:
        return f"ConfigStore({self.name!r}, {len(self._entries)} configs)"

    def store(
        self,
        name: str,
        node: Any,
        group: str | None = None,
        package: str | None = None,
        provider: str | None = None,
    ) -> None:
        """Store ``node`` (a dict, list, YAML text, config or dataclass) as ``group/name``.

        ``package`` acts like a ``# @package`` header of a file.

        >>> s = ConfigStore(); s.store("x", "a: 1", group="g", package="_global_")
        >>> s.get("g/x")[1]
        {'package': '_global_'}
        """
        if name.endswith(".yaml"):
            name = name[: -len(".yaml")]
        path = f"{group.strip('/')}/{name}" if group else name
        converted = _to_node(node, path)
        header = {} if package is None else {"package": package}
        with self._lock:
            # Copy-on-write: readers see either the old or the new mapping, never a torn one.
            entries = dict(self._entries)
            entries[path] = (converted, header)
            self._entries = entries
            self._providers[path] = provider

    def get(self, path: str) -> Entry | None:
        """The stored node and header of ``path`` (``"db/mysql"``), or ``None``."""
        return self._entries.get(path)

    def provider(self, path: str) -> str | None:
        """Who stored ``path``."""
        return self._providers.get(path)

    def is_group(self, group: str) -> bool:
        """Whether any config is stored below ``group``."""
        prefix = group + "/"
        return group != "" and any(p.startswith(prefix) for p in self._entries)

    def options(self, group: str) -> list[str]:
        """The config names directly in ``group`` (``""`` for the top level), sorted."""
        prefix = group + "/" if group else ""
        out = []
        for path in self._entries:
            if path.startswith(prefix) and "/" not in path[len(prefix) :]:
                out.append(path[len(prefix) :])
        return sorted(out)

    def names(self) -> list[str]:
        """Every stored path, sorted."""
        return sorted(self._entries)


def _to_node(node: Any, path: str) -> Container:
    caller = code_location(2)  # the user's line that called store()
    origin = Location(caller.file, caller.line, None, "code", f"store {path}")
    if node is None:
        return new_dict()
    if isinstance(node, Container):
        return copy_node(node)  # type: ignore[no-any-return]
    if isinstance(node, dict | list | tuple):
        return from_plain(node, origin)
    if isinstance(node, str):
        from confcompose.parsing.yaml import load_text

        loaded = load_text(node, f"<store {path}>")
        if not isinstance(loaded, Container):
            raise ConfigTypeError(
                f"stored config {path!r} is a {type(loaded).__name__}, not a mapping or a list"
            )
        return loaded
    # Dataclasses and attrs classes (and their instances) become typed nodes.
    from confcompose.structured import from_structured

    return from_structured(node)
