"""Hydra's ``__version__``, and ``version_base`` as Hydra reads it, with Hydra's warnings
(``Hydra14MigrationWarning``)."""

from __future__ import annotations

import warnings
from typing import Any

from confcompose.app.versions import at_least, normalize_version_base

__version__ = "1.3.8"  # the hydra-core release whose behaviour the facade follows

#: The default of ``config_path`` and ``version_base``: "not given" (``None`` means something).
UNSPECIFIED: Any = object()
_UNSPECIFIED_ = UNSPECIFIED  # Hydra's own name for it, for code that imports it from here
_GUIDE = "https://hydra.cc/docs/upgrades/1.3_to_1.4/prepare_for_1_4/"
_MIGRATION = (
    "Hydra 1.4 will remove this compatibility behavior.\n"
    'Before upgrading to Hydra 1.4, set version_base="1.3" and test your application.\n'
    f"See {_GUIDE} for preparation instructions."
)


def setbase(version_base: Any, stacklevel: int) -> str:
    """``"major.minor"`` for ``version_base``, warning as Hydra does when it is omitted or 1.1.

    ``stacklevel`` counts from the caller of ``setbase`` (2 is its caller).
    """
    from confcompose.hydra.errors import Hydra14MigrationWarning

    if version_base is UNSPECIFIED:
        warnings.warn(
            "\nThe version_base parameter is not specified.\n"
            "Hydra will assume defaults for version 1.1.\n" + _MIGRATION,
            Hydra14MigrationWarning,
            stacklevel=stacklevel + 1,
        )
        return "1.1"
    version = normalize_version_base(version_base)
    if version == "1.1":
        warnings.warn(
            '\nversion_base="1.1" selects Hydra 1.1 compatibility behavior.\n' + _MIGRATION,
            Hydra14MigrationWarning,
            stacklevel=stacklevel + 1,
        )
    return version


def base_at_least(version: str, wanted: str) -> bool:
    """Whether the ``"major.minor"`` ``version`` is ``wanted`` or later."""
    return at_least(version, wanted)


def default_config_path(version: str, version_base: Any, where: str, stacklevel: int) -> Any:
    """``config_path`` when the app gave none: ``None`` from 1.2, else ``"."`` (warned when
    ``version_base`` was omitted too)."""
    if base_at_least(version, "1.2"):
        return None
    if version_base is UNSPECIFIED:
        url = "https://hydra.cc/docs/1.2/upgrades/1.0_to_1.1/changes_to_hydra_main_config_path"
        warnings.warn(
            f"\nconfig_path is not specified in {where}.\nSee {url} for more information.",
            UserWarning,
            stacklevel=stacklevel + 1,
        )
    return "."
