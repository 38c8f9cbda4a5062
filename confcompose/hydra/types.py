"""``hydra.types``: ``RunMode``, ``ConvertMode``, ``TaskFunction`` and ``TargetConf``."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any

TaskFunction = Callable[[Any], Any]


class RunMode(Enum):
    """``HydraConfig.get().mode``: a single run or a multirun."""

    RUN = 1
    MULTIRUN = 2


class ConvertMode(Enum):
    """``_convert_`` values of ``instantiate``."""

    NONE = "none"
    PARTIAL = "partial"
    OBJECT = "object"
    ALL = "all"

    def __eq__(self, other: object) -> bool:
        # Hydra compares a ConvertMode with its string value, case-insensitively.
        if isinstance(other, ConvertMode):
            return other.value == self.value
        if isinstance(other, str):
            return other.upper() == self.name.upper()
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.value)


class TargetConf:
    """Removed in Hydra 1.2 (``_target_`` in any config or dataclass works instead)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("TargetConf is unsupported since Hydra 1.2")


__all__ = ["ConvertMode", "RunMode", "TargetConf", "TaskFunction"]
