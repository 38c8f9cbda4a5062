"""``hydra.core.hydra_config.HydraConfig``: the running job's ``hydra`` node.

``HydraConfig.get()`` inside a job started by ``@main`` returns that job's ``hydra`` node (read
only, with ``mode`` as a :class:`~confcompose.hydra.types.RunMode`), the same fields Hydra has:
``job.name``, ``job.num``, ``runtime.output_dir``, ``runtime.choices``, ``overrides.task``, ...
"""

from __future__ import annotations

import threading
from typing import Any, ClassVar

import confcompose
import confcompose.tree as tree
from confcompose import ConfigError, DictNode


def _view(hydra: DictNode) -> DictNode:
    """A read-only copy of ``hydra`` (under a copy of its root, so interpolations still work)."""
    from confcompose.hydra.types import RunMode

    parent = tree.parent(hydra)
    if isinstance(parent, DictNode):
        root = tree.copy_node(parent)
        tree.set_engine(root, tree.own_engine(parent))
        node = confcompose.select(root, "hydra")
    else:
        node = tree.copy_node(hydra)
        tree.set_engine(node, tree.own_engine(hydra))
    mode = confcompose.select(node, "mode", default=None)
    if isinstance(mode, str) and mode in RunMode.__members__:
        with confcompose.open_dict(node):
            confcompose.update(node, "mode", RunMode[mode], merge=False)
    confcompose.set_readonly(node, True)
    return node  # type: ignore[no-any-return]


class HydraConfig:
    """Where the ``hydra`` node of the running job (or of :meth:`set_config`) is found."""

    _instance: ClassVar[HydraConfig | None] = None
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self) -> None:
        self.cfg: DictNode | None = None
        self._seen: tuple[DictNode, DictNode] | None = None  # (job's node, its view)

    @staticmethod
    def instance(*args: Any, **kwargs: Any) -> HydraConfig:
        """The process's instance."""
        if HydraConfig._instance is None:
            with HydraConfig._lock:
                if HydraConfig._instance is None:
                    HydraConfig._instance = HydraConfig()
        return HydraConfig._instance

    def set_config(self, cfg: DictNode) -> None:
        """Use ``cfg.hydra`` outside a running job (as Hydra's launchers do)."""
        hydra = confcompose.select(cfg, "hydra", default=None)
        if not isinstance(hydra, DictNode):
            raise ConfigError("set_config needs a config with a 'hydra' node", key_path="hydra")
        self.cfg = cfg
        self._seen = None

    @staticmethod
    def get() -> DictNode:
        """The ``hydra`` node of the running job; ``ValueError`` when there is none."""
        instance = HydraConfig.instance()
        hydra = _running_hydra()
        if hydra is None and instance.cfg is not None:
            hydra = confcompose.select(instance.cfg, "hydra")
        if hydra is None:
            raise ValueError("HydraConfig was not set")
        seen = instance._seen
        if seen is not None and seen[0] is hydra:
            return seen[1]
        view = _view(hydra)
        instance._seen = (hydra, view)
        return view

    @staticmethod
    def initialized() -> bool:
        """Whether :meth:`get` has a ``hydra`` node to return."""
        return _running_hydra() is not None or HydraConfig.instance().cfg is not None


def _running_hydra() -> DictNode | None:
    try:
        hydra: DictNode = confcompose.runtime().hydra
        return hydra
    except ConfigError:
        return None


__all__ = ["HydraConfig"]
