"""``hydra.core.config_store``: ``ConfigStore.instance()``, read by ``@main`` and ``compose``.

The store is confcompose's own :class:`~confcompose.ConfigStore` (an ordinary object); only its
process-wide default instance lives here, as Hydra has it. Apps fill it at import time:

>>> from dataclasses import dataclass
>>> @dataclass
... class MySQL:
...     driver: str = "mysql"
>>> cs = ConfigStore()  # Hydra apps use ConfigStore.instance()
>>> cs.store(group="db", name="mysql", node=MySQL)
>>> cs.list("db")
['mysql.yaml']
"""

from __future__ import annotations

import threading
from typing import Any, ClassVar

import confcompose.tree as tree
from confcompose import ConfigError
from confcompose.composition.store import ConfigStore as _Store


class ConfigStoreLoadError(ConfigError, IOError):
    """``load`` or ``list`` of a path that is not in the store."""


class ConfigNode:
    """What :meth:`ConfigStore.load` returns: a stored config and how it was stored."""

    def __init__(
        self,
        name: str,
        node: Any,
        group: str | None,
        package: str | None,
        provider: str | None,
    ) -> None:
        self.name = name
        self.node = node
        self.group = group
        self.package = package
        self.provider = provider

    def __repr__(self) -> str:
        return (
            f"ConfigNode(name={self.name!r}, group={self.group!r}, package={self.package!r}, "
            f"provider={self.provider!r})"
        )


class ConfigStore(_Store):
    """Hydra's ``ConfigStore``: ``instance()`` is the default store the app layer reads."""

    _default: ClassVar[ConfigStore | None] = None
    _default_lock: ClassVar[threading.Lock] = threading.Lock()

    @staticmethod
    def instance(*args: Any, **kwargs: Any) -> ConfigStore:
        """The process's default store (made on first use)."""
        if ConfigStore._default is None:
            with ConfigStore._default_lock:
                if ConfigStore._default is None:
                    ConfigStore._default = ConfigStore("structured")
        return ConfigStore._default

    def load(self, config_path: str) -> ConfigNode:
        """A copy of the config stored as ``config_path`` (``"db/mysql"``, ``"db/mysql.yaml"``)."""
        path = config_path.removesuffix(".yaml")
        entry = self.get(path)
        if entry is None:
            raise ConfigStoreLoadError(f"Structured config not found {config_path}")
        node, header = entry
        group, _, name = path.rpartition("/")
        return ConfigNode(
            name=f"{name}.yaml",
            node=tree.copy_node(node),
            group=group or None,
            package=header.get("package"),
            provider=self.provider(path),
        )

    def get_type(self, path: str) -> str:
        """``"GROUP"``, ``"CONFIG"`` or ``"NOT_FOUND"`` for ``path``."""
        path = path.strip("/").removesuffix(".yaml")
        if path == "" or self.is_group(path):
            return "GROUP"
        return "CONFIG" if self.get(path) is not None else "NOT_FOUND"

    def list(self, path: str) -> list[str]:
        """Configs (``name.yaml``) and sub-groups directly under ``path``, sorted."""
        path = path.strip("/")
        if path and not self.is_group(path):
            if self.get(path.removesuffix(".yaml")) is not None:
                raise ConfigStoreLoadError(f"Path points to a file : {path}")
            raise ConfigStoreLoadError(f"Path not found {path}")
        prefix = f"{path}/" if path else ""
        out = set()
        for name in self.names():
            if name.startswith(prefix):
                head, sep, _ = name[len(prefix) :].partition("/")
                out.add(head if sep else f"{head}.yaml")
        return sorted(out)


__all__ = ["ConfigNode", "ConfigStore", "ConfigStoreLoadError"]
