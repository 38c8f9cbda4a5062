"""``confcompose.hydra``: hydra-core 1.3's public import paths, served by confcompose.

Replacing ``hydra`` with ``confcompose.hydra`` in the import lines is the whole port::

    from confcompose import hydra                 # import hydra
    from confcompose.hydra import compose, initialize
    from confcompose.hydra.core.config_store import ConfigStore
    from confcompose.hydra.core.hydra_config import HydraConfig

The modules sit at the same dotted paths as Hydra's (``hydra.main`` is the decorator,
``hydra.utils``, ``hydra.core.*``, ``hydra.errors``, ``hydra.types``, ...), so ``confcompose run``
can serve them as ``hydra`` itself. Process defaults (``ConfigStore.instance()``,
``GlobalHydra``, ``HydraConfig``) live here only; the engine and the app layer take them as
arguments.
"""

from __future__ import annotations

from typing import Any

from confcompose.hydra.compose import compose
from confcompose.hydra.errors import MissingConfigException
from confcompose.hydra.initialize import initialize, initialize_config_dir, initialize_config_module
from confcompose.hydra.main import main
from confcompose.hydra.types import TaskFunction
from confcompose.hydra.version import __version__


def __getattr__(name: str) -> Any:
    # `hydra.utils` loads on first use: it brings the instantiate engine (dataclasses, inspect),
    # which an app that never instantiates should not pay for at start-up.
    if name == "utils":
        import importlib

        return importlib.import_module("confcompose.hydra.utils")
    raise AttributeError(f"module 'hydra' has no attribute {name!r}")


__all__ = [
    "MissingConfigException",
    "TaskFunction",
    "__version__",
    "compose",
    "initialize",
    "initialize_config_dir",
    "initialize_config_module",
    "main",
    "utils",
]
