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

TYPE_CHECKING = False
if TYPE_CHECKING:
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


def __getattr__(name: str) -> object:
    # ConfigStore loads when first asked for: a composition from folders never needs it.
    if name == "ConfigStore":
        from confcompose.composition.store import ConfigStore

        return ConfigStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
