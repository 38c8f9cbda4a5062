"""``omegaconf.listconfig.ListConfig`` for confcompose configs."""

from __future__ import annotations

from typing import Any, cast

from confcompose.nodes import ListNode
from confcompose.omegaconf._impl import make_config
from confcompose.omegaconf.base import ConfigTypeMeta


class ListConfig(ListNode, metaclass=ConfigTypeMeta):
    """OmegaConf's list config type: ``isinstance(cfg, ListConfig)`` holds for every confcompose
    list node, and ``ListConfig([1, 2])`` builds one (its concrete class is
    :class:`confcompose.ListNode`).
    """

    _cc_types: tuple[type, ...] = (ListNode,)

    def __new__(
        cls,
        content: Any,
        key: Any = None,
        parent: Any = None,
        element_type: Any = Any,
        is_optional: bool = True,
        ref_type: Any = Any,
        flags: dict[str, bool] | None = None,
    ) -> ListConfig:
        if isinstance(content, str) or not isinstance(content, ListNode | list | tuple):
            from confcompose.omegaconf.errors import ValidationError

            raise ValidationError(
                f"cannot build a ListConfig from a {type(content).__name__}",
                expected="a list or a tuple",
            )
        return cast(ListConfig, make_config(content, parent, flags))


__all__ = ["ListConfig"]
