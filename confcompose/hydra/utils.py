"""``hydra.utils``: ``instantiate``/``call``, ``get_class``/``get_method``/``get_object`` and
the original-working-directory helpers."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from confcompose.instantiation import get_class, get_method, get_object, instantiate

    call = instantiate
    get_static_method = get_method

# instantiate & co. load on first use (the instantiate engine imports dataclasses/inspect).
_LAZY = {
    "instantiate": "instantiate",
    "call": "instantiate",
    "get_class": "get_class",
    "get_method": "get_method",
    "get_static_method": "get_method",
    "get_object": "get_object",
}


def get_original_cwd() -> str:
    """The directory the app was started in (``hydra.runtime.cwd``) inside a job."""
    from confcompose.hydra.core.hydra_config import HydraConfig

    if not HydraConfig.initialized():
        raise ValueError("get_original_cwd() must only be used after HydraConfig is initialized")
    return str(HydraConfig.get().runtime.cwd)


def to_absolute_path(path: str | os.PathLike[str]) -> str:
    """``path`` made absolute against the original working directory (the current one
    outside a job)."""
    from confcompose.hydra.core.hydra_config import HydraConfig

    p = Path(path)
    if p.is_absolute():
        return str(p)
    base = Path(get_original_cwd()) if HydraConfig.initialized() else Path.cwd()
    return str(base / p)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from confcompose import instantiation

        value = getattr(instantiation, _LAZY[name])
        globals()[name] = value
        return value
    if name == "ConvertMode":
        from confcompose.hydra.types import ConvertMode

        return ConvertMode
    raise AttributeError(f"module 'hydra.utils' has no attribute {name!r}")


__all__ = [
    "call",
    "get_class",
    "get_method",
    "get_object",
    "get_original_cwd",
    "get_static_method",
    "instantiate",
    "to_absolute_path",
]
