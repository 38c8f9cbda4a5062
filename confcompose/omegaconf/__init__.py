"""OmegaConf 2.3's public API over confcompose's engine.

Changing ``omegaconf`` to ``confcompose.omegaconf`` in an application's import lines is the whole
port; ``confcompose run`` serves this package as ``omegaconf``. ``import confcompose`` never
loads it.

>>> from confcompose.omegaconf import DictConfig, OmegaConf
>>> cfg = OmegaConf.create({"a": 1, "b": "${a}"})
>>> isinstance(cfg, DictConfig), OmegaConf.to_container(cfg, resolve=True)
(True, {'a': 1, 'b': 1})
"""

from confcompose.omegaconf.base import Container, DictKeyType, Node, SCMode, UnionNode
from confcompose.omegaconf.dictconfig import DictConfig
from confcompose.omegaconf.errors import (
    KeyValidationError,
    MissingMandatoryValue,
    ReadonlyConfigError,
    UnsupportedValueType,
    ValidationError,
)
from confcompose.omegaconf.listconfig import ListConfig
from confcompose.omegaconf.nodes import (
    AnyNode,
    BooleanNode,
    BytesNode,
    EnumNode,
    FloatNode,
    IntegerNode,
    PathNode,
    StringNode,
    ValueNode,
)
from confcompose.omegaconf.omegaconf import (
    II,
    MISSING,
    SI,
    OmegaConf,
    Resolver,
    flag_override,
    open_dict,
    read_write,
)
from confcompose.omegaconf.version import __version__

__all__ = [
    "__version__",
    "MissingMandatoryValue",
    "ValidationError",
    "ReadonlyConfigError",
    "UnsupportedValueType",
    "KeyValidationError",
    "Container",
    "UnionNode",
    "ListConfig",
    "DictConfig",
    "DictKeyType",
    "OmegaConf",
    "Resolver",
    "SCMode",
    "flag_override",
    "read_write",
    "open_dict",
    "Node",
    "ValueNode",
    "AnyNode",
    "IntegerNode",
    "StringNode",
    "BytesNode",
    "PathNode",
    "BooleanNode",
    "EnumNode",
    "FloatNode",
    "MISSING",
    "SI",
    "II",
]
