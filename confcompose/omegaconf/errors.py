"""OmegaConf's exception names over confcompose's errors.

Where an OmegaConf class matches one of ours the name is an alias, so an error confcompose raises
is caught by ``except <OmegaConf name>`` and still is a :class:`confcompose.ConfigError`. The few
OmegaConf classes without a counterpart are subclasses of the nearest confcompose error.
"""

from __future__ import annotations

from confcompose.errors import (
    ConfigAttributeError,
    ConfigError,
    ConfigIndexError,
    ConfigKeyError,
    ConfigTypeError,
    InterpolationError,
    InterpolationKeyError,
    InterpolationMissingError,
    InterpolationSyntaxError,
    InterpolationValidationError,
    MissingValueError,
    ReadonlyConfigError,
    UnknownResolverError,
    UnsupportedValueError,
    ValidationError,
)

OmegaConfBaseException = ConfigError
MissingMandatoryValue = MissingValueError
UnsupportedValueType = UnsupportedValueError
InterpolationResolutionError = InterpolationError
UnsupportedInterpolationType = UnknownResolverError
InterpolationToMissingValueError = InterpolationMissingError
GrammarParseError = InterpolationSyntaxError


class KeyValidationError(ValidationError):
    """A key of the wrong type for a typed dict."""


class ConfigValueError(ConfigError, ValueError):
    """An invalid value for an operation (OmegaConf's name)."""


class ConfigCycleDetectedException(ConfigError):
    """A config that contains itself (OmegaConf's name)."""


__all__ = [
    "OmegaConfBaseException",
    "MissingMandatoryValue",
    "KeyValidationError",
    "ValidationError",
    "UnsupportedValueType",
    "ReadonlyConfigError",
    "InterpolationResolutionError",
    "UnsupportedInterpolationType",
    "InterpolationKeyError",
    "InterpolationToMissingValueError",
    "InterpolationValidationError",
    "ConfigKeyError",
    "ConfigAttributeError",
    "ConfigTypeError",
    "ConfigIndexError",
    "ConfigValueError",
    "ConfigCycleDetectedException",
    "GrammarParseError",
]
