"""The built-in ``oc.*`` resolvers, as plain functions, and the :data:`BUILTINS` table.

Nothing is registered here: ``confcompose.api`` seeds its default registry from ``BUILTINS``.
"""

from __future__ import annotations

import os
import warnings

from confcompose.errors import ConfigError, ConfigKeyError, ConfigTypeError, ResolverError
from confcompose.location import Location
from confcompose.nodes import MISSING, Container, DictNode, ListNode
from confcompose.paths import split_path
from confcompose.tree import (
    content,
    copy_node,
    engine,
    from_plain,
    root,
    set_parent,
    up,
    value,
    walk,
)

TYPE_CHECKING = False  # keep the typing module out of `import confcompose`
if TYPE_CHECKING:
    from typing import Any


_NO_DEFAULT: Any = object()


def env(key: str, default: Any = _NO_DEFAULT) -> str | None:
    """``${oc.env:VAR}`` / ``${oc.env:VAR,default}``: an environment variable, always a string."""
    try:
        return os.environ[key]
    except KeyError:
        if default is _NO_DEFAULT:
            raise ResolverError(f"environment variable {key!r} is not set") from None
        return None if default is None else str(default)


def _select_node(parent: Container, key: str) -> Any:
    """Select ``key`` relative to ``parent`` when it starts with '.', else from the root.

    OmegaConf's rules for ``oc.select``: keys match exactly (no text for a non-string key), an
    index may count from the end, and a ``???`` on the way means absent.
    """
    start: Container | None
    if key.startswith("."):
        stripped = key.lstrip(".")
        start = up(parent, len(key) - len(stripped) - 1)
        key = stripped
    else:
        start = root(parent)
    if not key:
        return start
    if start is None:
        return _NO_DEFAULT
    found = walk(start, split_path(key), coerce=False, strict_missing=False)
    if found is None:
        return _NO_DEFAULT
    node, last = found
    raw = content(node)[last]
    return raw if type(raw) is not str or raw == MISSING else value(node, last)


def select(key: str, default: Any = _NO_DEFAULT, *, _parent_: Container) -> Any:
    """``${oc.select:key,default}``: the value at ``key``, or ``default`` if absent or missing."""
    found = _select_node(_parent_, key)
    if found is _NO_DEFAULT or (type(found) is str and found == MISSING):
        return None if default is _NO_DEFAULT else default
    return found


def decode(expr: str | None, _parent_: Container, _node_: Any) -> Any:
    """``${oc.decode:'[1, 2]'}``: parse a string as a typed value (``'1'`` -> ``1``)."""
    if expr is None:
        return None
    if not isinstance(expr, str):
        raise ConfigTypeError(
            f"oc.decode takes a string or null, not {type(expr).__name__}", expected="a string"
        )
    from confcompose.parsing.interpolation import Call, parse

    # The argument grammar of a resolver call is exactly the "single element" grammar.
    ast = parse("${oc.decode:" + expr + "}")
    if not isinstance(ast, Call) or len(ast.args) != 1:
        raise ConfigError(f"oc.decode: {expr!r} is not a single value", expected="one value")
    found = engine(_parent_)
    if found is None:  # pragma: no cover - resolvers only run through an engine
        raise ConfigError("oc.decode needs a config made by confcompose")
    return found.evaluate(ast.args[0], _parent_, _node_.key)


def create(obj: Any, _parent_: Container) -> Any:
    """``${oc.create:{a: 1}}``: make a config node from a dict, a list or YAML text."""
    origin = Location(None, None, None, "code", "oc.create")
    if isinstance(obj, str):
        from confcompose.parsing.yaml import load_text

        obj = load_text(obj)
    if isinstance(obj, Container):
        node = copy_node(obj, _parent_)
    elif isinstance(obj, dict | list | tuple):
        node = from_plain(obj, origin, _parent_)
    else:
        return obj
    return node


def _dict_input(key: Any, parent: Container, name: str) -> DictNode:
    if isinstance(key, DictNode):
        return key
    if not isinstance(key, str):
        raise ConfigTypeError(
            f"{name} takes a key (string) or a dict node, not {type(key).__name__}",
            expected="a string",
        )
    found = _select_node(parent, key)
    if found is _NO_DEFAULT:
        raise ConfigKeyError(f"{name}: no key {key!r}")
    if not isinstance(found, DictNode):
        raise ConfigTypeError(f"{name}: {key!r} is a {type(found).__name__}, not a dict")
    return found


def dict_keys(key: Any, _parent_: Container) -> ListNode:
    """``${oc.dict.keys:key}``: the keys of a dict node, as a list."""
    node = _dict_input(key, _parent_, "oc.dict.keys")
    out = from_plain(list(content(node)), Location(None, None, None, "code", "oc.dict.keys"))
    set_parent(out, _parent_, None)
    return out  # type: ignore[return-value]


def dict_values(key: Any, _parent_: Container) -> ListNode:
    """``${oc.dict.values:key}``: the values of a dict node, as interpolations to them."""
    node = _dict_input(key, _parent_, "oc.dict.values")
    if isinstance(key, str):
        # One more dot: the interpolations live one level deeper, inside the new list.
        ref = f".{key}" if key.startswith(".") else key
        items = [f"${{{ref}.{k!s}}}" for k in content(node)]
    else:
        items = list(content(node).values())
    out = from_plain(items, Location(None, None, None, "code", "oc.dict.values"))
    set_parent(out, _parent_, None)
    return out  # type: ignore[return-value]


def deprecated(
    key: str,
    message: str = "'$OLD_KEY' is deprecated. Change your code and config to use '$NEW_KEY'",
    *,
    _parent_: Container,
    _node_: Any,
) -> Any:
    """``${oc.deprecated:new.key}``: warn that this key moved, and return the new key's value."""
    if not isinstance(key, str) or not isinstance(message, str):
        raise ConfigTypeError("oc.deprecated takes a key and a message (strings)")
    found = _select_node(_parent_, key)
    if found is _NO_DEFAULT:
        raise ConfigKeyError(f"oc.deprecated: no key {key!r}")
    import string  # only a deprecated key's message needs it

    text = string.Template(message).safe_substitute(OLD_KEY=_node_.full_key(), NEW_KEY=key)
    warnings.warn(text, UserWarning, stacklevel=2)
    return found


BUILTINS: dict[str, Any] = {
    "oc.env": env,
    "oc.select": select,
    "oc.decode": decode,
    "oc.create": create,
    "oc.dict.keys": dict_keys,
    "oc.dict.values": dict_values,
    "oc.deprecated": deprecated,
}

__all__ = ["BUILTINS", "ConfigError"]
