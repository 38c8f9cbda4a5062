"""``omegaconf.dictconfig.DictConfig`` for confcompose configs."""

from __future__ import annotations

from typing import Any, cast

from confcompose.nodes import DictNode
from confcompose.omegaconf._impl import make_config
from confcompose.omegaconf.base import ConfigTypeMeta


class DictConfig(DictNode, metaclass=ConfigTypeMeta):
    """OmegaConf's dict config type: ``isinstance(cfg, DictConfig)`` holds for every confcompose
    dict node, and ``DictConfig({"a": 1})`` / ``DictConfig(content=..., flags=...)`` build one
    (the result's concrete class is :class:`confcompose.DictNode`).
    """

    _cc_types: tuple[type, ...] = (DictNode,)

    def __new__(
        cls,
        content: Any,
        key: Any = None,
        parent: Any = None,
        ref_type: Any = Any,
        key_type: Any = Any,
        element_type: Any = Any,
        is_optional: bool = True,
        flags: dict[str, bool] | None = None,
    ) -> DictConfig:
        node = make_config({} if content is None else content, parent, flags)
        if not isinstance(node, DictNode):
            from confcompose.omegaconf.errors import ValidationError

            raise ValidationError(
                f"cannot build a DictConfig from a {type(content).__name__}", expected="a mapping"
            )
        return cast(DictConfig, node)


__all__ = ["DictConfig"]
