"""OmegaConf's ``omegaconf.base`` names: Node, Container, SCMode, DictKeyType, metadata classes.

confcompose keeps leaf values unboxed, so there are no value nodes in a config; ``Node`` and
``Container`` therefore stand for confcompose's containers (``isinstance(cfg, Node)`` holds for
every config, as in OmegaConf).
"""

from __future__ import annotations

from enum import Enum
from typing import Any, Union

from confcompose.nodes import Container


class ConfigTypeMeta(type):
    """Makes ``isinstance``/``issubclass`` against an OmegaConf name test confcompose's classes.

    The class named by ``_cc_types`` need not inherit from it: every confcompose node passes
    ``isinstance(node, DictConfig)`` whichever function created it.
    """

    _cc_types: tuple[type, ...]

    def __instancecheck__(cls, obj: object) -> bool:
        return isinstance(obj, cls._cc_types) or type.__instancecheck__(cls, obj)

    def __subclasscheck__(cls, sub: type) -> bool:
        return issubclass(sub, cls._cc_types) or type.__subclasscheck__(cls, sub)


class Node(metaclass=ConfigTypeMeta):
    """Any config node (in confcompose: a dict or list container, or a facade value node)."""

    _cc_types: tuple[type, ...] = (Container,)


BaseContainer = Container

DictKeyType = Union[str, bytes, int, Enum, float, bool]  # noqa: UP007 - a runtime alias, as OmegaConf's


class SCMode(Enum):
    """How ``OmegaConf.to_container`` exports structured (dataclass-backed) nodes."""

    DICT = 1  # plain dicts
    DICT_CONFIG = 2  # keep them as DictConfig
    INSTANTIATE = 3  # instances of the dataclass / attrs class


class Metadata:
    """OmegaConf's per-node metadata record (kept for imports such as
    ``torch.serialization.add_safe_globals([ContainerMetadata, Metadata])``; confcompose stores
    no such records). A plain class: ``dataclasses`` would cost start-up time."""

    def __init__(
        self,
        ref_type: Any = Any,
        object_type: Any = None,
        optional: bool = True,
        key: Any = None,
        flags: dict[str, bool] | None = None,
        flags_root: bool = False,
        resolver_cache: dict[str, Any] | None = None,
    ) -> None:
        self.ref_type = ref_type
        self.object_type = object_type
        self.optional = optional
        self.key = key
        self.flags = flags
        self.flags_root = flags_root
        self.resolver_cache = {} if resolver_cache is None else resolver_cache


class ContainerMetadata(Metadata):
    """OmegaConf's container metadata record (see :class:`Metadata`)."""

    def __init__(self, *args: Any, key_type: Any = None, element_type: Any = None, **kw: Any):
        super().__init__(*args, **kw)
        self.key_type = key_type
        self.element_type = element_type


class UnionNode(Node):
    """OmegaConf's node for ``Union`` annotations (confcompose validates unions in the schema)."""

    _cc_types = ()


__all__ = [
    "BaseContainer",
    "Container",
    "ContainerMetadata",
    "DictKeyType",
    "Metadata",
    "Node",
    "SCMode",
    "UnionNode",
]
