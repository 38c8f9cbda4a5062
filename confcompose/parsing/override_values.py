"""The values an override parses to, below every parser of them.

The sweeps and :class:`ListExtension`, the key helpers and the typing of
unquoted tokens, shared by the regex fast path (``overrides``), the hand-written parser
(``_override_rd``), the Lark transformer (``_override_tx``) and the grammar functions
(``_override_funcs``). No parser here; :class:`~confcompose.parsing.overrides.Override`, the
parse result, lives with the parse functions.
"""

from __future__ import annotations

import enum
import re

from confcompose._lazy_re import lazy_re
from confcompose.parsing import lexicon

TYPE_CHECKING = False  # keep the typing module off the start-up path (see __getattr__)
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any, Literal

    Kind = Literal["change", "add", "force_add", "delete"]


class NoValueType(enum.Enum):
    """The type of :data:`NO_VALUE`."""

    NO_VALUE = "NO_VALUE"

    def __repr__(self) -> str:
        return "NO_VALUE"


#: The value of a ``~key`` override written without ``=``.
NO_VALUE = NoValueType.NO_VALUE


# ---- value objects ------------------------------------------------------------------------


def _strict(value: Any) -> Any:
    """A hashable, type-strict image of a value: ``1``, ``1.0`` and ``True`` stay distinct."""
    kind = type(value)
    if kind is float:
        return ("float", repr(value))  # repr keeps nan == nan and -0.0 != 0.0
    if kind in (list, tuple):
        return ("list", tuple(_strict(v) for v in value))
    if kind is dict:
        return ("dict", frozenset((_strict(k), _strict(v)) for k, v in value.items()))
    if isinstance(value, StrictRecord):
        return (kind.__name__, value._strict_key())
    return (kind.__name__, value)


class StrictRecord:
    """Small immutable records (hand-written rather than dataclasses, which cost several ms of
    import time on every cold start). Fields are listed in ``_fields`` (positional order),
    defaults in ``_defaults``; equality and hashing go through :func:`_strict` of the fields in
    ``_compared`` (all fields unless given).
    """

    __slots__ = ()
    _fields: tuple[str, ...]
    _defaults: dict[str, Any] = {}  # noqa: RUF012 - read-only class data
    _compared: tuple[str, ...] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        names = self._fields
        if not kwargs and len(args) == len(names):  # the common call: every field, in order
            for name, value in zip(names, args, strict=True):
                object.__setattr__(self, name, value)
            return
        if len(args) > len(names):
            raise TypeError(f"{type(self).__name__} takes {len(names)} arguments")
        values = dict(zip(names, args, strict=False))
        for key, value in kwargs.items():
            if key not in names or key in values:
                raise TypeError(f"{type(self).__name__}: unexpected or repeated argument {key!r}")
            values[key] = value
        for name in names:
            if name in values:
                value = values[name]
            elif name in self._defaults:
                value = self._defaults[name]
            else:
                raise TypeError(f"{type(self).__name__} needs {name!r}")
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable; use replace()")

    def _strict_key(self) -> tuple[Any, ...]:
        names = self._fields if self._compared is None else self._compared
        return tuple(_strict(getattr(self, n)) for n in names)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._strict_key() == other._strict_key()

    def __hash__(self) -> int:
        return hash(self._strict_key())

    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._fields)
        return f"{type(self).__name__}({inner})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), tuple(getattr(self, n) for n in self._fields))


def replace(record: Any, **changes: Any) -> Any:
    """A copy of ``record`` (an override or sweep) with some fields changed."""
    values = {n: getattr(record, n) for n in record._fields}
    values.update(changes)
    return type(record)(**values)


class ChoiceSweep(StrictRecord):
    """``a=1,2,3`` (``simple=True``) or ``a=choice(1,2,3)``."""

    __slots__ = ("items", "shuffle", "simple", "tags")
    _fields = ("items", "simple", "shuffle", "tags")
    _defaults = {"simple": False, "shuffle": False, "tags": frozenset()}  # noqa: RUF012 - read-only class data

    items: tuple[Any, ...]
    simple: bool
    shuffle: bool
    tags: frozenset[str]


class RangeSweep(StrictRecord):
    """``range(start, stop, step)``: ints, or floats stepped exactly as Hydra does."""

    __slots__ = ("shuffle", "start", "step", "stop", "tags")
    _fields = ("start", "stop", "step", "shuffle", "tags")
    _defaults = {"step": 1, "shuffle": False, "tags": frozenset()}  # noqa: RUF012 - read-only class data

    start: int | float
    stop: int | float
    step: int | float
    shuffle: bool
    tags: frozenset[str]


class IntervalSweep(StrictRecord):
    """``interval(start, end)``: a continuous range, for optimizing sweepers only."""

    __slots__ = ("end", "start", "tags")
    _fields = ("start", "end", "tags")
    _defaults = {"tags": frozenset()}  # noqa: RUF012 - read-only class data

    start: int | float
    end: int | float
    tags: frozenset[str]


class GlobSweep(StrictRecord):
    """``glob(include, exclude=...)``: the options of the config group matching the patterns."""

    __slots__ = ("exclude", "include", "tags")
    _fields = ("include", "exclude", "tags")
    _defaults = {"exclude": (), "tags": frozenset()}  # noqa: RUF012 - read-only class data

    include: tuple[str, ...]
    exclude: tuple[str, ...]
    tags: frozenset[str]


class ZipSweep(StrictRecord):
    """``lr=zip(0.1,0.01) bs=zip(32,64)``: zip sweeps with the same tags advance together."""

    __slots__ = ("items", "tags")
    _fields = ("items", "tags")
    _defaults = {"tags": frozenset()}  # noqa: RUF012 - read-only class data

    items: tuple[Any, ...]
    tags: frozenset[str]


class ListExtension(StrictRecord):
    """``key=extend_list(a,b)``: append ``items`` to the existing list at ``key``."""

    __slots__ = ("items",)
    _fields = ("items",)
    _defaults = {}  # noqa: RUF012 - read-only class data

    items: tuple[Any, ...]


SWEEP_TYPES = (ChoiceSweep, RangeSweep, IntervalSweep, GlobSweep, ZipSweep)
if TYPE_CHECKING:
    from typing import Union

    Sweep = Union[ChoiceSweep, RangeSweep, IntervalSweep, GlobSweep, ZipSweep]  # noqa: UP007
    Value = Any  # None | bool | int | float | str | list[Value] | dict[Any, Value]
    OverrideValue = Union[Value, Sweep, ListExtension, NoValueType]  # noqa: UP007

#: The typing aliases this module (and confcompose.parsing.overrides) builds on first access.
TYPING_ALIASES = ("Kind", "OverrideValue", "Sweep", "Value")


def typing_alias(name: str) -> object:
    """The typing alias ``name`` (``Kind``, ``Sweep``, ``Value``, ``OverrideValue``) at run
    time, built on first use: importing :mod:`typing` (~2 ms) is left to code that asks.

    >>> typing_alias("Kind")
    typing.Literal['change', 'add', 'force_add', 'delete']
    """
    import typing

    aliases: dict[str, object] = {
        "Kind": typing.Literal["change", "add", "force_add", "delete"],
        "Sweep": typing.Union[ChoiceSweep, RangeSweep, IntervalSweep, GlobSweep, ZipSweep],  # noqa: UP007
        "Value": typing.Any,
    }
    aliases["OverrideValue"] = typing.Union[  # noqa: UP007
        typing.Any, aliases["Sweep"], ListExtension, NoValueType
    ]
    return aliases[name]


def __getattr__(name: str) -> object:
    if name in TYPING_ALIASES:
        alias = globals()[name] = typing_alias(name)
        return alias
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

# ---- keys -------------------------------------------------------------------------------

_PLAIN_SEGMENT_RE = lazy_re(lexicon.KEY_ID)
_INT_SEGMENT_RE = lazy_re(lexicon.INT_UNSIGNED)
_KEY_SPLIT_RE = lazy_re(r"'([^']*)'|\"([^\"]*)\"|([^.'\"]+)")


def split_key(key: str) -> tuple[str, ...]:
    """Split a canonical key on the dots outside quotes; quotes are removed."""
    if "'" not in key and '"' not in key:
        return tuple(key.split(".")) if key else ()
    return tuple(a or b or c for a, b, c in _KEY_SPLIT_RE.findall(key))


def canonical_key(parts: Sequence[str]) -> str:
    """Join key parts, quoting only the segments that need it (``'b.c'``, a lone ``'0'``)."""
    out = []
    for part in parts:
        plain = _PLAIN_SEGMENT_RE.fullmatch(part) or (
            len(parts) > 1 and _INT_SEGMENT_RE.fullmatch(part)
        )
        if plain:
            out.append(part)
        else:
            out.append(f'"{part}"' if "'" in part else f"'{part}'")
    return ".".join(out)


# ---- primitives ---------------------------------------------------------------------------

_FLOAT_RE = lazy_re(lexicon.FLOAT)
_INT_RE = lazy_re(lexicon.INT)
_BOOL_RE = lazy_re(lexicon.BOOL)
_NULL_RE = lazy_re(lexicon.NULL)
# One lexical unit of an unquoted run: an interpolation, an escape pair or one character.
_UNIT_RE = lazy_re(rf"\$\{{[^}}]+\}}|{lexicon.ESCAPE}|[\s\S]")
_CHUNK_RE = lazy_re(lexicon.CHUNK)
_ESC_RE = lazy_re("[" + re.escape(lexicon.SPECIAL_CHARS) + "]")


def typed_token(text: str) -> Value:
    """Type one Hydra token: float, int, bool, null, else the text itself.

    >>> [typed_token(t) for t in ("0.01", "-3", "1_000", "1e3", "TRUE", "Null", "007", "x")]
    [0.01, -3, 1000, 1000.0, True, None, '007', 'x']
    """
    # The commonest tokens without compiling the patterns (each shortcut is a case the
    # patterns read the same way: "42" and "0.01" match INT and FLOAT, "true" BOOL ...).
    body = text[1:] if text[:1] in ("+", "-") else text
    if body.isascii() and body.isdigit() and (body[0] != "0" or body == "0"):
        return int(text)  # `[+-]?(?:0|[1-9][0-9]*)`: no FLOAT without '.', an exponent, inf/nan
    head, dot, tail = body.partition(".")
    if dot and body.isascii() and tail.isdigit() and (head in ("", "0") or (
        head.isdigit() and head[0] != "0"
    )):
        return float(text)  # FLOAT's `{INT_UNSIGNED}?\.{DIGITS}`
    if text.isascii() and text.isalpha():
        lowered = text.lower()
        if lowered in ("true", "false"):
            return lowered == "true"
        if lowered == "null":
            return None
        if lowered not in ("inf", "nan"):
            return text  # letters only: a number only as inf/nan
    if _FLOAT_RE.fullmatch(text):
        return float(text)
    if _INT_RE.fullmatch(text):
        return int(text)
    if _BOOL_RE.fullmatch(text):
        return text.lower() == "true"
    if _NULL_RE.fullmatch(text):
        return None
    return text


def chunk_value(text: str) -> Value:
    """Type an unquoted run exactly as Hydra's visitor types a ``primitive``.

    Trailing blanks are dropped unless they follow an unescaped ``:`` (Hydra's ``:`` token
    keeps its surrounding blanks); one token gets a type, several give their joined text.

    >>> chunk_value("1_000"), chunk_value("x y  "), chunk_value(r"a\\,b")
    (1000, 'x y', 'a,b')
    """
    if "\\" not in text and not text.endswith((" ", "\t")):
        return typed_token(text)
    units = _UNIT_RE.findall(text)
    end = len(units)
    while end and units[end - 1] in (" ", "\t"):
        end -= 1
    if end < len(units) and end and units[end - 1] == ":":
        end = len(units)
    units = units[:end]
    raw = "".join(units)
    if _FLOAT_RE.fullmatch(raw) or _INT_RE.fullmatch(raw) or _BOOL_RE.fullmatch(raw):
        return typed_token(raw)
    if _NULL_RE.fullmatch(raw):
        return None
    return "".join(u[1] if len(u) == 2 and u[0] == "\\" else u for u in units)


def unquote(text: str) -> str:
    """Strip the quotes of a quoted value; only backslashes before a quote are escapes."""
    quote = text[0]
    body = text[1:-1]
    if "\\" not in body:
        return body

    def fix(match: re.Match[str]) -> str:
        # n backslashes then a quote: n // 2 backslashes, and the quote itself when n is odd
        # (an even run only occurs before the closing quote, which is already cut off).
        return "\\" * (len(match.group(1)) // 2) + match.group(2)

    return re.sub(r"(\\+)(" + quote + r"|\Z)", fix, body)


def quote(text: str, q: str | None = None) -> str:
    """Quote ``text`` so that :func:`unquote` gives it back (with ``q``, by default single
    quotes unless it has any)."""
    if q is None:
        q = '"' if "'" in text and '"' not in text else "'"

    def fix(match: re.Match[str]) -> str:
        slashes = len(match.group(1))
        tail = match.group(2)
        return "\\" * (2 * slashes) + ("\\" + q if tail else "")

    return q + re.sub(r"(\\*)(" + q + r"|\Z)", fix, text) + q


def escape(text: str) -> str:
    """Backslash-escape Hydra's special characters (``\\ ( ) [ ] { } : = , space tab``)."""
    return _ESC_RE.sub(lambda m: "\\" + m.group(0), text)


def _format_str(value: str, top: bool) -> str:
    if value == "":
        return "" if top else "''"
    escaped = escape(value)
    if _CHUNK_RE.fullmatch(escaped) and chunk_value(escaped) == value:
        return escaped  # chunk_value gives back a str only: 1 == 1.0 == True are not str
    return quote(value)


def format_value(value: Any, top: bool = False) -> str:
    """Render a value (or sweep) as override text, as Hydra's sweepers do.

    >>> format_value([1, "a,b", None, {"k": 1.5}])
    '[1,a\\\\,b,null,{k:1.5}]'
    """
    if value is None:
        return "null"
    if isinstance(value, str):
        return _format_str(value, top)
    if isinstance(value, (bool, int, float)):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(format_value(v) for v in value) + "]"
    if isinstance(value, dict):
        items = (f"{format_value(k)}:{format_value(v)}" for k, v in value.items())
        return "{" + ",".join(items) + "}"
    return _format_object(value)


def _args(items: Sequence[Any]) -> str:
    return ",".join(format_value(v) for v in items)


def _format_object(value: Any) -> str:
    if isinstance(value, ListExtension):
        return f"extend_list({_args(value.items)})"
    if isinstance(value, ChoiceSweep):
        if value.shuffle:
            body = f"shuffle({_args(value.items)})" if value.simple else None
            body = body or f"shuffle(choice({_args(value.items)}))"
        else:
            body = _args(value.items) if value.simple else f"choice({_args(value.items)})"
    elif isinstance(value, RangeSweep):
        body = f"range({_args([value.start, value.stop, value.step])})"
        body = f"shuffle({body})" if value.shuffle else body
    elif isinstance(value, IntervalSweep):
        body = f"interval({_args([value.start, value.end])})"
        if type(value.start) is int and type(value.end) is int:
            body = f"int({body})"
    elif isinstance(value, GlobSweep):
        body = f"glob({format_value(value.include)},exclude={format_value(value.exclude)})"
    elif isinstance(value, ZipSweep):
        body = f"zip({_args(value.items)})"
    else:
        raise TypeError(f"cannot render {type(value).__name__} as an override value")
    if value.tags:
        body = f"tag({_args(sorted(value.tags))},{body})"
    return body


# ---- parse failures ------------------------------------------------------------


class OverrideFailure(Exception):
    """Why and where an override failed to parse: ``column`` is 1-based, as in the message."""

    def __init__(self, column: int, msg: str, expected: str | None = None) -> None:
        super().__init__(msg)
        self.column = column
        self.msg = msg
        self.expected = expected
