"""confcompose: compose application configuration from Hydra-style config directories.

>>> import confcompose
>>> cfg = confcompose.create({"db": {"user": "omry", "url": "mysql://${db.user}@localhost"}})
>>> cfg.db.url
'mysql://omry@localhost'
"""

from __future__ import annotations

from confcompose._version import __version__
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

DictConfig = DictNode  # the name OmegaConf users annotate with: `def app(cfg: DictConfig)`
ListConfig = ListNode

TYPE_CHECKING = False  # keep the typing module out of `import confcompose`
if TYPE_CHECKING:
    # The names served lazily by __getattr__ below, visible to type checkers and editors.
    from typing import Any

    from confcompose.app.main import main
    from confcompose.app.runs import runtime, to_absolute_path
    from confcompose.composition import Composer, ConfigStore, DefaultsTree, compose, defaults_tree
    from confcompose.instantiation import call, get_class, get_method, get_object, instantiate
    from confcompose.parsing.overrides import (
        ChoiceSweep,
        GlobSweep,
        IntervalSweep,
        ListExtension,
        Override,
        RangeSweep,
        ZipSweep,
        parse_override,
        parse_overrides,
    )
    from confcompose.parsing.sweeps import expand_sweep
    from confcompose.schema import json_schema, write_json_schemas
    from confcompose.structured import to_object


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
    # overrides and sweeps (loaded lazily)
    "parse_override",
    "parse_overrides",
    "expand_sweep",
    "Override",
    "ChoiceSweep",
    "RangeSweep",
    "IntervalSweep",
    "GlobSweep",
    "ZipSweep",
    "ListExtension",
    # structured configs, instantiate and JSON Schema (loaded lazily)
    "to_object",
    "instantiate",
    "call",
    "get_class",
    "get_method",
    "get_object",
    "json_schema",
    "write_json_schemas",
    # the application layer (loaded lazily)
    "main",
    "runtime",
    "to_absolute_path",
    # OmegaConf-style names, for code moving from `from omegaconf import DictConfig`
    "DictConfig",
    "ListConfig",
]

# Names served by modules that `import confcompose` does not load until first use.
_LAZY = {
    **dict.fromkeys(
        ("compose", "Composer", "ConfigStore", "defaults_tree", "DefaultsTree"), "composition"
    ),
    **dict.fromkeys(
        (
            "parse_override",
            "parse_overrides",
            "Override",
            "ChoiceSweep",
            "RangeSweep",
            "IntervalSweep",
            "GlobSweep",
            "ZipSweep",
            "ListExtension",
        ),
        "parsing.overrides",
    ),
    "expand_sweep": "parsing.sweeps",
    "to_object": "structured",
    **dict.fromkeys(
        ("instantiate", "call", "get_class", "get_method", "get_object"), "instantiation"
    ),
    **dict.fromkeys(("json_schema", "write_json_schemas"), "schema"),
    **dict.fromkeys(("main", "runtime", "to_absolute_path"), "app"),
}


def __getattr__(name: str) -> Any:
    # Heavier layers load on first use so that `import confcompose` stays cheap; the value is
    # then stored in the module so later lookups are plain attribute reads.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'confcompose' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"confcompose.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
