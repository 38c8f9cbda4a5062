"""Composition: repositories, the config store, defaults lists and the composer.

Importing a submodule binds ``confcompose.compose`` to this package, which would hide the
``compose`` function of the same name; so the package itself is callable and composes.
"""

import sys
import types
from typing import Any

from confcompose.compose.composer import Composer, DefaultsTree, compose, defaults_tree
from confcompose.compose.repository import (
    DirRepository,
    PackageRepository,
    Repository,
    StoreRepository,
)
from confcompose.compose.store import ConfigStore

__all__ = [
    "Composer",
    "ConfigStore",
    "DefaultsTree",
    "DirRepository",
    "PackageRepository",
    "Repository",
    "StoreRepository",
    "compose",
    "defaults_tree",
]


class _CallableModule(types.ModuleType):
    """``confcompose.compose`` is both this package and the function: calling it composes."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return compose(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
