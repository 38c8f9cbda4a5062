"""confcompose: compose application configuration from Hydra-style config directories.

>>> import confcompose
>>> cfg = confcompose.create({"db": {"user": "omry", "url": "mysql://${db.user}@localhost"}})
>>> cfg.db.url
'mysql://omry@localhost'
"""

from __future__ import annotations

from typing import Any

from confcompose.api import (
    create,
    history,
    is_interpolation,
    is_missing,
    is_readonly,
    is_struct,
    load,
    merge,
    missing_keys,
    open_dict,
    read_write,
    register_resolver,
    resolve,
    select,
    set_readonly,
    set_struct,
    update,
    where,
)
from confcompose.context import Context, Resolvers, builtin_resolvers, default_context
from confcompose.errors import (
    CompositionError,
    ConfigAttributeError,
    ConfigError,
    ConfigKeyError,
    ConfigNotFoundError,
    ConfigParseError,
    ConfigTypeError,
    InstantiationError,
    InterpolationCycleError,
    InterpolationError,
    InterpolationKeyError,
    InterpolationMissingError,
    InterpolationSyntaxError,
    MissingValueError,
    OverrideError,
    OverrideSyntaxError,
    ReadonlyConfigError,
    ResolverError,
    UnknownResolverError,
    ValidationError,
    YAMLError,
)
from confcompose.export import to_container, to_yaml
from confcompose.location import Location
from confcompose.nodes import MISSING, DictNode, ListNode

__version__ = "0.1.0"

__all__ = [
    # building and reading configs
    "create",
    "load",
    "merge",
    "select",
    "update",
    "resolve",
    "to_container",
    "to_yaml",
    "missing_keys",
    "is_missing",
    "is_interpolation",
    # flags
    "set_readonly",
    "is_readonly",
    "set_struct",
    "is_struct",
    "read_write",
    "open_dict",
    # provenance
    "where",
    "history",
    "Location",
    # resolvers and context
    "register_resolver",
    "builtin_resolvers",
    "Resolvers",
    "Context",
    "default_context",
    # nodes
    "DictNode",
    "ListNode",
    "MISSING",
    # errors
    "ConfigError",
    "ConfigKeyError",
    "ConfigAttributeError",
    "ConfigTypeError",
    "ValidationError",
    "MissingValueError",
    "ReadonlyConfigError",
    "ConfigParseError",
    "YAMLError",
    "InterpolationError",
    "InterpolationSyntaxError",
    "InterpolationKeyError",
    "InterpolationMissingError",
    "InterpolationCycleError",
    "UnknownResolverError",
    "ResolverError",
    "OverrideError",
    "OverrideSyntaxError",
    "CompositionError",
    "ConfigNotFoundError",
    "InstantiationError",
    "__version__",
    # composition (loaded lazily)
    "compose",
    "Composer",
    "ConfigStore",
    "defaults_tree",
    "DefaultsTree",
]

_COMPOSE_NAMES = frozenset(("compose", "Composer", "ConfigStore", "defaults_tree", "DefaultsTree"))


def __getattr__(name: str) -> Any:
    # Heavier layers load on first use so that `import confcompose` stays cheap; the value is
    # then stored in the module so later lookups are plain attribute reads.
    if name in _COMPOSE_NAMES:
        import confcompose.composition as composition

        value = getattr(composition, name)
    else:
        raise AttributeError(f"module 'confcompose' has no attribute {name!r}")
    globals()[name] = value
    return value
