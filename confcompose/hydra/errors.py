"""``hydra.errors``: Hydra's exception names, bound to the errors confcompose raises.

Each name *is* the confcompose class raised in that situation, so ``except
hydra.errors.MissingConfigException`` catches a missing config and ``except
confcompose.ConfigNotFoundError`` catches the same error. Hydra's tree is kept where it matters:
a missing config is a composition error, and every name is a :class:`HydraException`.

>>> issubclass(MissingConfigException, ConfigCompositionException)
True
"""

from __future__ import annotations

from confcompose.errors import (
    CompositionError,
    ConfigError,
    ConfigNotFoundError,
    InstantiationError,
    OverrideSyntaxError,
)

HydraException = ConfigError
CompactHydraException = ConfigError
OverrideParseException = OverrideSyntaxError
InstantiationException = InstantiationError
ConfigCompositionException = CompositionError
MissingConfigException = ConfigNotFoundError


class SearchPathException(ConfigError):
    """A config search path entry that cannot be used."""


class HydraDeprecationError(ConfigError):
    """A deprecated feature used while deprecation warnings are errors."""


class Hydra14MigrationWarning(UserWarning):
    """Behaviour that Hydra 1.4 changes (``version_base`` not given, or ``"1.1"``)."""


__all__ = [
    "CompactHydraException",
    "ConfigCompositionException",
    "HydraDeprecationError",
    "HydraException",
    "Hydra14MigrationWarning",
    "InstantiationException",
    "MissingConfigException",
    "OverrideParseException",
    "SearchPathException",
]
