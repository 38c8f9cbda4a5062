"""Export a node tree as plain Python containers or YAML text."""

from __future__ import annotations

import enum

from confcompose._typing import overload
from confcompose.errors import ConfigTypeError, MissingValueError, depth_guarded
from confcompose.nodes import MISSING, Container, DictNode, ListNode
from confcompose.resolve import check_not_ancestor

TYPE_CHECKING = False  # keep the typing module out of `import confcompose`
if TYPE_CHECKING:
    from typing import Any

    from confcompose.nodes import Engine


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
    engine = cfg._find_engine() if resolve else None
    if engine is None:
        return _export(cfg, None, resolve, throw_on_missing, enum_to_str)
    if not engine.pass_memo(True):
        return _export(cfg, engine, resolve, throw_on_missing, enum_to_str)
    try:  # the tree does not change while it is exported: chains are evaluated once
        return _export(cfg, engine, resolve, throw_on_missing, enum_to_str)
    finally:
        engine.pass_memo(False)


def _leaf(
    node: Container,
    key: Any,
    raw: Any,
    engine: Engine | None,
    resolve: bool,
    throw: bool,
    enum_to_str: bool,
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
                return _export_value(node, key, value, engine, throw, enum_to_str)
            return value
        return raw
    if isinstance(raw, Container):
        return _export(raw, engine, resolve, throw, enum_to_str)
    if enum_to_str and isinstance(raw, enum.Enum):
        return raw.name
    return raw


def _export_value(
    node: Container,
    key: Any,
    value: Container,
    engine: Engine | None,
    throw: bool,
    enum_to_str: bool,
) -> Any:
    """The export of ``value``, the node an interpolation at ``node[key]`` resolved to."""
    check_not_ancestor(node, key, value)
    return _export(value, engine, True, throw, enum_to_str)


def _export(
    node: Container, engine: Engine | None, resolve: bool, throw: bool, enum_to_str: bool
) -> Any:
    # The hot loop of to_container: plain leaves are copied inline, and so are interpolations
    # when resolving (straight to the root's engine, found once); missing values, containers
    # and enums go through _leaf. ``engine`` is None unless resolving.
    if isinstance(node, DictNode):
        out: dict[Any, Any] = {}
        if enum_to_str:
            for k, raw in node._content.items():
                key = k.name if isinstance(k, enum.Enum) else k
                out[key] = _leaf(node, k, raw, engine, resolve, throw, enum_to_str)
            return out
        for k, raw in node._content.items():
            if type(raw) is str:
                if engine is not None and "${" in raw:
                    raw = engine.resolve(node, k, raw)
                    if isinstance(raw, Container):
                        raw = _export_value(node, k, raw, engine, throw, enum_to_str)
                elif raw == MISSING or (resolve and "${" in raw):
                    raw = _leaf(node, k, raw, engine, resolve, throw, enum_to_str)
            elif isinstance(raw, Container):
                raw = _export(raw, engine, resolve, throw, enum_to_str)
            out[k] = raw
        return out
    assert isinstance(node, ListNode)
    items = []
    for i, raw in enumerate(node._content):
        if enum_to_str or type(raw) is str or isinstance(raw, Container):
            raw = _leaf(node, i, raw, engine, resolve, throw, enum_to_str)
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
    from confcompose.yaml_writer import dump

    data = to_container(cfg, resolve=resolve, enum_to_str=True)
    if sort_keys:
        data = _sorted(data)
    try:
        return dump(data)
    except ValueError as e:
        path = _huge_int_path(data)
        if path is None:
            raise
        raise ConfigTypeError(
            f"an integer has more than {_int_digits_limit()} digits, Python's limit for turning "
            "it into text "
            "(raise it with sys.set_int_max_str_digits or PYTHONINTMAXSTRDIGITS)",
            key_path=path or None,
        ) from e


def _int_digits_limit() -> int:
    import sys

    get = getattr(sys, "get_int_max_str_digits", None)  # Python 3.11+
    return int(get()) if get is not None else 0


def _huge_int_path(data: Any) -> str | None:
    """The key path of the first int too long to print in ``data`` (``None`` if there is none)."""
    limit = _int_digits_limit()
    if not limit:
        return None
    threshold = 10 ** min(limit, 10_000)
    pending: list[tuple[str, Any]] = [("", data)]
    while pending:
        path, value = pending.pop()
        if isinstance(value, dict):
            pending.extend((f"{path}.{k}" if path else str(k), v) for k, v in value.items())
        elif isinstance(value, list):
            pending.extend((f"{path}[{i}]", v) for i, v in enumerate(value))
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= threshold:
            return path
    return None


def _sorted(data: Any) -> Any:
    if isinstance(data, dict):
        return {k: _sorted(data[k]) for k in sorted(data, key=str)}
    if isinstance(data, list):
        return [_sorted(v) for v in data]
    return data
