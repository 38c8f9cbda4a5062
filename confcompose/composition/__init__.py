"""Composition: repositories, the config store, defaults lists and the composer.

The package is named ``composition`` (not ``compose``) so that importing it never rebinds the
public function ``confcompose.compose``.
"""

from confcompose.composition.composer import (
    Composer,
    Composition,
    DefaultsTree,
    compose,
    defaults_tree,
)
from confcompose.composition.repository import (
    DirRepository,
    PackageRepository,
    Repository,
    StoreRepository,
)
from confcompose.composition.store import ConfigStore

__all__ = [
    "Composer",
    "Composition",
    "ConfigStore",
    "DefaultsTree",
    "DirRepository",
    "PackageRepository",
    "Repository",
    "StoreRepository",
    "compose",
    "defaults_tree",
]
