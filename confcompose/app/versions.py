"""Hydra's ``version_base``: which release's defaults an app asked for.

The decorator, the runs and the Hydra facade all read it; it lives apart so none of them has to
import another for it.

>>> normalize_version_base("1.1"), at_least("1.1", "1.2")
('1.1', False)
"""

from __future__ import annotations

from confcompose import ConfigError

TYPE_CHECKING = False  # keep the typing module off the start-up path
if TYPE_CHECKING:
    from typing import Any

#: The ``version_base`` whose behaviour ``version_base=None`` selects (hydra-core 1.3's).
CURRENT_VERSION_BASE = "1.3"


def normalize_version_base(version_base: str | None) -> str:
    """``version_base`` as ``"major.minor"`` (``None`` is the current ``"1.3"``).

    >>> normalize_version_base("1.1"), normalize_version_base(None), normalize_version_base("1.2.0")
    ('1.1', '1.3', '1.2')
    """
    if version_base is None:
        return CURRENT_VERSION_BASE
    parts = str(version_base).split(".")
    try:
        major, minor = int(parts[0]), int(parts[1]) if len(parts) > 1 else 0
    except ValueError:
        raise ConfigError(
            f"version_base {version_base!r} is not a version",
            expected='"1.1", "1.2", "1.3" or None',
        ) from None
    if (major, minor) < (1, 1):
        raise ConfigError(f'version_base must be >= "1.1", not {version_base!r}')
    return f"{major}.{minor}"


def at_least(version_base: Any, version: str) -> bool:
    """Whether ``hydra.runtime.version_base`` (``"1.1"``, ...) is ``version`` or later.

    >>> at_least("1.1", "1.2"), at_least("1.3", "1.2"), at_least(None, "1.2")
    (False, True, True)
    """
    if not isinstance(version_base, str) or not version_base:
        return True  # no version base: the current behaviour
    try:
        have = tuple(int(p) for p in version_base.split(".")[:2])
    except ValueError:
        return True
    return have >= tuple(int(p) for p in version.split("."))
