"""Export a node tree as plain Python containers or YAML text."""

from __future__ import annotations

import enum

from confcompose._typing import overload
from confcompose.errors import MissingValueError, depth_guarded
from confcompose.nodes import MISSING, Container, DictNode, ListNode

TYPE_CHECKING = False  # keep the typing module out of `import confcompose`
if TYPE_CHECKING:
    from typing import Any


@overload
def to_container(
    cfg: DictNode, resolve: bool = False, throw_on_missing: bool = False, enum_to_str: bool = False
) -> dict[Any, Any]: ...
@overload
def to_container(
    cfg: ListNode, resolve: bool = False, throw_on_missing: bool = False, enum_to_str: bool = False
) -> list[Any]: ...
@overload
def to_container(
    cfg: object, resolve: bool = False, throw_on_missing: bool = False, enum_to_str: bool = False
) -> Any: ...


@depth_guarded
def to_container(
    cfg: Any,
    resolve: bool = False,
    throw_on_missing: bool = False,
    enum_to_str: bool = False,
) -> Any:
    """Plain dicts and lists from a config (interpolations kept as text unless ``resolve``).

    >>> import confcompose
    >>> confcompose.to_container(confcompose.create({"a": 1, "b": "${a}"}), resolve=True)
    {'a': 1, 'b': 1}
    """
    if not isinstance(cfg, Container):
        return cfg
    return _export(cfg, resolve, throw_on_missing, enum_to_str)


def _leaf(
    node: Container, key: Any, raw: Any, resolve: bool, throw: bool, enum_to_str: bool
) -> Any:
    if type(raw) is str:
        if raw == MISSING:
            if throw:
                raise MissingValueError(
                    "missing mandatory value ('???')",
                    key_path=node._child_path(key),
                    location=node._origin(key),
                )
            return raw
        if resolve and "${" in raw:
            value = node._resolve_leaf(key, raw)
            if isinstance(value, Container):
                return _export(value, resolve, throw, enum_to_str)
            return value
        return raw
    if isinstance(raw, Container):
        return _export(raw, resolve, throw, enum_to_str)
    if enum_to_str and isinstance(raw, enum.Enum):
        return raw.name
    return raw


def _export(node: Container, resolve: bool, throw: bool, enum_to_str: bool) -> Any:
    # The hot loop of to_container: plain leaves are copied inline; strings that are missing
    # values or interpolations, containers and enums go through _leaf.
    if isinstance(node, DictNode):
        out: dict[Any, Any] = {}
        if enum_to_str:
            for k, raw in node._content.items():
                key = k.name if isinstance(k, enum.Enum) else k
                out[key] = _leaf(node, k, raw, resolve, throw, enum_to_str)
            return out
        for k, raw in node._content.items():
            if type(raw) is str:
                if raw == MISSING or (resolve and "${" in raw):
                    raw = _leaf(node, k, raw, resolve, throw, enum_to_str)
            elif isinstance(raw, Container):
                raw = _export(raw, resolve, throw, enum_to_str)
            out[k] = raw
        return out
    assert isinstance(node, ListNode)
    items = []
    for i, raw in enumerate(node._content):
        if enum_to_str or type(raw) is str or isinstance(raw, Container):
            raw = _leaf(node, i, raw, resolve, throw, enum_to_str)
        items.append(raw)
    return items


@depth_guarded
def to_yaml(cfg: Any, resolve: bool = False, sort_keys: bool = False) -> str:
    """YAML text for a config, loadable back to an equal config.

    >>> import confcompose
    >>> print(confcompose.to_yaml(confcompose.create({"db": {"user": "omry"}})), end="")
    db:
      user: omry
    """
    from confcompose.parsing.yaml import dump

    data = to_container(cfg, resolve=resolve, enum_to_str=True)
    if sort_keys:
        data = _sorted(data)
    return dump(data)


def _sorted(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _sorted(data[k]) for k in sorted(data, key=str)}
    if isinstance(data, list):
        return [_sorted(v) for v in data]
    return data
