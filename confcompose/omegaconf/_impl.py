"""Building configs the way OmegaConf's constructors do, on confcompose's engine."""

from __future__ import annotations

from typing import Any

import confcompose
import confcompose.tree as tree
from confcompose.errors import UnsupportedValueError
from confcompose.nodes import Container
from confcompose.omegaconf.nodes import unbox


def make_config(obj: Any, parent: Any = None, flags: dict[str, bool] | None = None) -> Any:
    """A config from ``obj`` (as ``OmegaConf.create``), under ``parent``, with ``flags`` set."""
    obj = unbox(obj)
    if not (
        obj is None
        or isinstance(obj, str | dict | list | tuple | Container)
        or hasattr(obj, "__dataclass_fields__")
        or hasattr(obj, "__attrs_attrs__")
    ):
        # OmegaConf's ValidationError; ours is also the ConfigTypeError the core raises
        raise UnsupportedValueError(
            f"cannot create a config from a {type(obj).__name__}",
            expected="a dict, a list, YAML text, a dataclass or None",
        )
    try:
        node = confcompose.create(obj)
    except UnsupportedValueError:
        if not isinstance(obj, dict | list | tuple):
            raise
        # Dataclasses nested in plain data need the root's engine while they are stored:
        # build the empty root first, then add the items through it.
        node = confcompose.create({} if isinstance(obj, dict) else [])
        for name, value in (flags or {}).items():
            if name not in ("readonly", "struct"):  # allow_objects counts while filling
                tree.set_flag(node, name, value)
        if isinstance(obj, dict):
            for key, value in obj.items():
                node[key] = value
        else:
            node.extend(obj)
    if parent is not None:
        # As in OmegaConf, the new config sees its parent (relative and absolute interpolations
        # resolve there) but the parent does not own it.
        tree.set_parent(node, parent, tree.key_in_parent(node))
    for name, value in (flags or {}).items():
        tree.set_flag(node, name, value)
    return node


def check_config(cfg: Any, what: str) -> Container:
    """``cfg`` if it is a config, else OmegaConf's ValueError."""
    if not isinstance(cfg, Container):
        raise ValueError(f"{what}: input is not an OmegaConf config object ({type(cfg).__name__})")
    return cfg
