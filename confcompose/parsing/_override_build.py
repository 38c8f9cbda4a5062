"""The values an override parse builds, shared by the Lark transformer (``_override_tx``) and
the hand-written parser (``_override_rd``); no Lark here."""

from __future__ import annotations

import re
from typing import Any

from confcompose.parsing._override_funcs import _plain
from confcompose.parsing.overrides import (
    SWEEP_TYPES,
    ChoiceSweep,
    Failure,
    Kind,
    ListExtension,
    format_value,
    quote,
    unquote,
)

# kind, key, package, value, and the value as Hydra's sweepers write it back when that keeps
# quotes (a str; a tuple of item texts for `a=1,'x y'`), else None.
_Parsed = tuple[Kind, str, str | None, Any, str | tuple[str, ...] | None]
_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")


class _Arg:
    __slots__ = ("name", "value")

    def __init__(self, name: str | None, value: Any) -> None:
        self.name = name
        self.value = value


class _Quoted(str):
    """A quoted string while an override is being built: Hydra's sweepers write quoted values
    back with their quotes (``a='x y',z`` gives the job ``a='x y'``). Function arguments and
    the final value get plain ``str`` (:func:`_plain_str`)."""

    quote_char = "'"


def _quoted(token_text: str) -> _Quoted:
    value = _Quoted(unquote(token_text))
    value.quote_char = token_text[0]
    return value


def _has_quoted(value: Any) -> bool:
    if isinstance(value, _Quoted):
        return True
    if isinstance(value, list):
        return any(_has_quoted(v) for v in value)
    if isinstance(value, dict):
        return any(_has_quoted(v) for v in value.values())
    return False


def _plain_str(value: Any) -> Any:
    if isinstance(value, _Quoted):
        return str.__str__(value)
    if isinstance(value, list):
        return [_plain_str(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain_str(v) for k, v in value.items()}
    return value


def _hydra_text(value: Any) -> str:
    """``value`` as override text, quoted strings keeping their quotes (as Hydra writes them)."""
    if isinstance(value, _Quoted):
        return quote(str.__str__(value), value.quote_char)
    if isinstance(value, list) and _has_quoted(value):
        return "[" + ",".join(_hydra_text(v) for v in value) + "]"
    if isinstance(value, dict) and _has_quoted(value):
        items = (f"{format_value(k)}:{_hydra_text(v)}" for k, v in value.items())
        return "{" + ",".join(items) + "}"
    return format_value(value)


def _finish(value: Any) -> tuple[Any, str | tuple[str, ...] | None]:
    """The top-level value with plain strings, and its Hydra text when quotes matter."""
    if isinstance(value, ChoiceSweep) and value.simple and not value.shuffle:
        if not any(_has_quoted(v) for v in value.items):
            return value, None
        texts = tuple(_hydra_text(v) for v in value.items)
        return ChoiceSweep(tuple(_plain_str(v) for v in value.items), simple=True), texts
    if not _has_quoted(value):
        return value, None
    return _plain_str(value), _hydra_text(value)


def _check_top(value: Any, column: int) -> Any:
    """Sweeps and list extensions are whole values; choice items hold no sweeps."""
    if isinstance(value, (*SWEEP_TYPES, ListExtension)):
        items = getattr(value, "items", ())
        if not all(_plain(v) for v in items):
            raise Failure(column, "a sweep cannot contain another sweep")
        return value
    if not _plain(value):
        raise Failure(
            column, "sweeps and extend_list() must be the whole value, not inside a list or dict"
        )
    return value
