"""The values an override parse builds, shared by the Lark transformer (``_override_tx``) and
the hand-written parser (``_override_rd``); no Lark here."""

from __future__ import annotations

import re
from typing import Any

from confcompose.parsing import lexicon
from confcompose.parsing._override_funcs import holds_no_sweep
from confcompose.parsing.override_values import (
    SWEEP_TYPES,
    ChoiceSweep,
    Kind,
    ListExtension,
    OverrideFailure,
    format_value,
    quote,
    unquote,
)

# kind, key, package, value, and the value as Hydra's sweepers write it back when that keeps
# quotes (a str; a tuple of item texts for `a=1,'x y'`), else None.
Parsed = tuple[Kind, str, str | None, Any, str | tuple[str, ...] | None]
NAME_RE = re.compile(lexicon.ID)


class FunctionArg:
    """One argument of a grammar function call: ``name`` is None for a positional one."""

    __slots__ = ("name", "value")

    def __init__(self, name: str | None, value: Any) -> None:
        self.name = name
        self.value = value


class Quoted(str):
    """A quoted string while an override is being built: Hydra's sweepers write quoted values
    back with their quotes (``a='x y',z`` gives the job ``a='x y'``). Function arguments and
    the final value get plain ``str`` (:func:`drop_quote_marks`)."""

    quote_char = "'"


def quoted_value(token_text: str) -> Quoted:
    """The value of a QUOTED token, marked as quoted."""
    value = Quoted(unquote(token_text))
    value.quote_char = token_text[0]
    return value


def _has_quoted(value: Any) -> bool:
    if isinstance(value, Quoted):
        return True
    if isinstance(value, list):
        return any(_has_quoted(v) for v in value)
    if isinstance(value, dict):
        return any(_has_quoted(v) for v in value.values())
    return False


def drop_quote_marks(value: Any) -> Any:
    """``value`` with every :class:`Quoted` (in lists and dicts too) turned into a plain str."""
    if isinstance(value, Quoted):
        return str.__str__(value)
    if isinstance(value, list):
        return [drop_quote_marks(v) for v in value]
    if isinstance(value, dict):
        return {k: drop_quote_marks(v) for k, v in value.items()}
    return value


def _hydra_text(value: Any) -> str:
    """``value`` as override text, quoted strings keeping their quotes (as Hydra writes them)."""
    if isinstance(value, Quoted):
        return quote(str.__str__(value), value.quote_char)
    if isinstance(value, list) and _has_quoted(value):
        return "[" + ",".join(_hydra_text(v) for v in value) + "]"
    if isinstance(value, dict) and _has_quoted(value):
        items = (f"{format_value(k)}:{_hydra_text(v)}" for k, v in value.items())
        return "{" + ",".join(items) + "}"
    return format_value(value)


def finish_value(value: Any) -> tuple[Any, str | tuple[str, ...] | None]:
    """The top-level value with plain strings, and its Hydra text when quotes matter."""
    if isinstance(value, ChoiceSweep) and value.simple and not value.shuffle:
        if not any(_has_quoted(v) for v in value.items):
            return value, None
        texts = tuple(_hydra_text(v) for v in value.items)
        return ChoiceSweep(tuple(drop_quote_marks(v) for v in value.items), simple=True), texts
    if not _has_quoted(value):
        return value, None
    return drop_quote_marks(value), _hydra_text(value)


def check_whole_value(value: Any, column: int) -> Any:
    """Sweeps and list extensions are whole values; choice items hold no sweeps."""
    if isinstance(value, (*SWEEP_TYPES, ListExtension)):
        items = getattr(value, "items", ())
        if not all(holds_no_sweep(v) for v in items):
            raise OverrideFailure(column, "a sweep cannot contain another sweep")
        return value
    if not holds_no_sweep(value):
        raise OverrideFailure(
            column, "sweeps and extend_list() must be the whole value, not inside a list or dict"
        )
    return value
