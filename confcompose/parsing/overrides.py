"""Command-line overrides: ``str -> Override``, compatible with Hydra 1.3's override grammar.

Kinds: ``key=v`` (change), ``+key=v`` (add), ``++key=v`` (force_add), ``~key`` / ``~key=v``
(delete). Keys are dotted paths (``a.b.0``), group paths (``db/engine``) with an optional
``@package``. Values are typed exactly as Hydra types them (``1_000`` -> 1000, ``TRUE`` -> True,
``null`` -> None, ``a= x y `` -> ``'x y'``, ``${a.b}`` kept as text), lists, dicts, and the
Hydra functions (``int()``, ``float()``, ``str()``, ``bool()``, ``choice()``, ``range()``,
``interval()``, ``glob()``, ``tag()``, ``sort()``, ``shuffle()``), which are evaluated eagerly.

Extensions over Hydra 1.3:

* quoted key segments for keys that contain dots: ``a.'b.c'=1`` has the key parts ``a``, ``b.c``;
* ``json_str(v)`` and ``extend_list(...)`` from Hydra 1.4; ``extend_list`` gives a
  :class:`ListExtension` that the composer appends to the existing list;
* ``zip(...)`` sweeps, expanded pairwise by :func:`confcompose.parsing.sweeps.expand_sweep`.

>>> parse_override("+db.port=3306")
Override(kind='add', key='db.port', package=None, value=3306, text='+db.port=3306', index=0)
>>> parse_override("a.'b.c'=x").key_parts()
('a', 'b.c')
>>> parse_override("xs=extend_list(1,2)").value
ListExtension(items=(1, 2))
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Sequence
from typing import Any, Literal, Union

from confcompose._lazy_re import lazy_re
from confcompose.errors import OverrideSyntaxError
from confcompose.location import Location

__all__ = [
    "NO_VALUE",
    "ChoiceSweep",
    "GlobSweep",
    "IntervalSweep",
    "ListExtension",
    "Override",
    "RangeSweep",
    "Sweep",
    "ZipSweep",
    "parse_override",
    "parse_overrides",
]

Kind = Literal["change", "add", "force_add", "delete"]


class _NoValue(enum.Enum):
    NO_VALUE = "NO_VALUE"

    def __repr__(self) -> str:
        return "NO_VALUE"


#: The value of a ``~key`` override written without ``=``.
NO_VALUE = _NoValue.NO_VALUE


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
    if isinstance(value, _StrictEq):
        return (kind.__name__, value._strict_key())
    return (kind.__name__, value)


class _StrictEq:
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


class ChoiceSweep(_StrictEq):
    """``a=1,2,3`` (``simple=True``) or ``a=choice(1,2,3)``."""

    __slots__ = ("items", "shuffle", "simple", "tags")
    _fields = ("items", "simple", "shuffle", "tags")
    _defaults = {"simple": False, "shuffle": False, "tags": frozenset()}  # noqa: RUF012 - read-only class data

    items: tuple[Any, ...]
    simple: bool
    shuffle: bool
    tags: frozenset[str]


class RangeSweep(_StrictEq):
    """``range(start, stop, step)``: ints, or floats stepped exactly as Hydra does."""

    __slots__ = ("shuffle", "start", "step", "stop", "tags")
    _fields = ("start", "stop", "step", "shuffle", "tags")
    _defaults = {"step": 1, "shuffle": False, "tags": frozenset()}  # noqa: RUF012 - read-only class data

    start: int | float
    stop: int | float
    step: int | float
    shuffle: bool
    tags: frozenset[str]


class IntervalSweep(_StrictEq):
    """``interval(start, end)``: a continuous range, for optimizing sweepers only."""

    __slots__ = ("end", "start", "tags")
    _fields = ("start", "end", "tags")
    _defaults = {"tags": frozenset()}  # noqa: RUF012 - read-only class data

    start: int | float
    end: int | float
    tags: frozenset[str]


class GlobSweep(_StrictEq):
    """``glob(include, exclude=...)``: the options of the config group matching the patterns."""

    __slots__ = ("exclude", "include", "tags")
    _fields = ("include", "exclude", "tags")
    _defaults = {"exclude": (), "tags": frozenset()}  # noqa: RUF012 - read-only class data

    include: tuple[str, ...]
    exclude: tuple[str, ...]
    tags: frozenset[str]


class ZipSweep(_StrictEq):
    """``lr=zip(0.1,0.01) bs=zip(32,64)``: zip sweeps with the same tags advance together."""

    __slots__ = ("items", "tags")
    _fields = ("items", "tags")
    _defaults = {"tags": frozenset()}  # noqa: RUF012 - read-only class data

    items: tuple[Any, ...]
    tags: frozenset[str]


class ListExtension(_StrictEq):
    """``key=extend_list(a,b)``: append ``items`` to the existing list at ``key``."""

    __slots__ = ("items",)
    _fields = ("items",)
    _defaults = {}  # noqa: RUF012 - read-only class data

    items: tuple[Any, ...]


Sweep = Union[ChoiceSweep, RangeSweep, IntervalSweep, GlobSweep, ZipSweep]  # noqa: UP007 (runtime alias on 3.10)
SWEEP_TYPES = (ChoiceSweep, RangeSweep, IntervalSweep, GlobSweep, ZipSweep)
Value = Any  # None | bool | int | float | str | list[Value] | dict[Any, Value]
OverrideValue = Union[Value, Sweep, ListExtension, _NoValue]  # noqa: UP007 (runtime alias on 3.10)

_PREFIX: dict[str, str] = {"change": "", "add": "+", "force_add": "++", "delete": "~"}


class Override(_StrictEq):
    """One parsed override. Equality ignores ``text`` and ``index`` and is type-strict.

    >>> parse_override("db=mysql").render()
    'db=mysql'
    """

    __slots__ = ("hydra_text", "index", "key", "kind", "package", "text", "value")
    _fields = ("kind", "key", "package", "value", "text", "index")
    _defaults = {"index": 0}  # noqa: RUF012 - read-only class data
    _compared = ("kind", "key", "package", "value")
    # Set (outside the fields) when quotes matter to Hydra's sweepers: the value as they write
    # it back, quotes kept (`'x y'`), or for `a=1,'x y'` each item's text. See sweep_texts().
    hydra_text: str | tuple[str, ...]

    def __reduce__(self) -> tuple[Any, ...]:
        reduced = super().__reduce__()
        text = getattr(self, "hydra_text", None)
        return reduced if text is None else (*reduced, text)

    def __setstate__(self, state: Any) -> None:
        object.__setattr__(self, "hydra_text", state)

    kind: Kind
    key: str
    package: str | None
    value: OverrideValue
    text: str
    index: int

    def is_sweep(self) -> bool:
        """True for choice/range/interval/glob/zip sweeps (``a=1,2`` is one)."""
        return isinstance(self.value, SWEEP_TYPES)

    def is_delete(self) -> bool:
        """True for ``~key`` and ``~key=value``."""
        return self.kind == "delete"

    def is_add(self) -> bool:
        """True for ``+key=value``."""
        return self.kind == "add"

    def is_force_add(self) -> bool:
        """True for ``++key=value``."""
        return self.kind == "force_add"

    def key_parts(self) -> tuple[str, ...]:
        """The real segments of a dotted key: ``a.'b.c'`` -> ``('a', 'b.c')``.

        >>> parse_override("a.b=1").key_parts()
        ('a', 'b')
        """
        return split_key(self.key)

    def key_element(self) -> str:
        """The part before ``=``: prefix, key and ``@package`` (``+db@backup``)."""
        pkg = "" if self.package is None else "@" + self.package
        return _PREFIX[self.kind] + self.key + pkg

    def value_text(self) -> str:
        """The value rendered as override text (``''`` for ``~key`` without a value).

        >>> parse_override("a=[1, 'x y']").value_text()
        '[1,x\\\\ y]'
        """
        if self.value is NO_VALUE:
            return ""
        return format_value(self.value, top=True)

    def render(self) -> str:
        """Canonical text that parses back to an equal override.

        >>> parse_override("~a.b").render()
        '~a.b'
        """
        if self.value is NO_VALUE:
            return self.key_element()
        return self.key_element() + "=" + self.value_text()


# ---- keys -------------------------------------------------------------------------------

_SEGMENT = r"[A-Za-z_$][A-Za-z0-9_\-$]*"
_INT_SEGMENT = r"0|[1-9](?:_?[0-9])*"
_PLAIN_SEGMENT_RE = lazy_re(_SEGMENT)
_INT_SEGMENT_RE = lazy_re(_INT_SEGMENT)
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

_INT_U = r"(?:0|[1-9](?:_?[0-9])*)"
_DIGITS = r"[0-9](?:_?[0-9])*"
_POINT = rf"(?:{_INT_U}\.|{_INT_U}?\.{_DIGITS})"
_FLOAT_RE = lazy_re(
    rf"[+-]?(?:(?:{_INT_U}|{_POINT})[eE][+-]?{_DIGITS}|{_POINT}|[Ii][Nn][Ff]|[Nn][Aa][Nn])"
)
_INT_RE = lazy_re(rf"[+-]?{_INT_U}")
_BOOL_RE = lazy_re(r"[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]")
_NULL_RE = lazy_re(r"[Nn][Uu][Ll][Ll]")
# One lexical unit of an unquoted run: an interpolation, an escape pair or one character.
_UNIT_RE = lazy_re(r"\$\{[^}]+\}|\\[\\()\[\]{}:=, \t]|[\s\S]")
_CHUNK_RE = lazy_re(r"(?:\$\{[^}]+\}|\\[\\()\[\]{}:=, \t]|[A-Za-z0-9_\-/\\+.$%*@?|: \t])+")
_ESC_CHARS = "\\()[]{}:=, \t"
_ESC_RE = lazy_re("[" + re.escape(_ESC_CHARS) + "]")


def typed_token(text: str) -> Value:
    """Type one Hydra token: float, int, bool, null, else the text itself."""
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


# ---- parsing ------------------------------------------------------------------------------


class Failure(Exception):
    """Internal: why and where (1-based column) an override failed to parse."""

    def __init__(self, column: int, msg: str, expected: str | None = None) -> None:
        super().__init__(msg)
        self.column = column
        self.msg = msg
        self.expected = expected


# The common `a.b.c=value`, `+a=1`, `group/sub=option` with a single-token value: parsed
# without Lark (and without importing it). Accepts only texts the grammar gives the same result.
_FAST_RE = lazy_re(
    r"(\+{0,2})"
    r"([A-Za-z_$][A-Za-z0-9_\-$]*(?:\.(?:[A-Za-z_$][A-Za-z0-9_\-$]*|0|[1-9](?:_?[0-9])*))*"
    r"|[A-Za-z_][A-Za-z0-9_\-]*(?:/[A-Za-z_][A-Za-z0-9_\-]*)+)"
    r"=([A-Za-z0-9_\-/+.$%*@?|:]*)"
)
_KINDS: tuple[Kind, Kind, Kind] = ("change", "add", "force_add")
_SCALARS = (type(None), bool, int, float, str, _NoValue)


# The same keys with a simple sweep (``lr=0.1,0.01``) or a flat list (``tags=[a,b]``) of plain
# tokens: the usual shape of a multirun command line, kept out of Lark too.
_TOKEN = r"[A-Za-z0-9_\-/+.$%*@?|:]+"
_FAST_MULTI_RE = lazy_re(
    _FAST_RE.pattern.rsplit("=", 1)[0]
    + rf"=(?:({_TOKEN}(?:,{_TOKEN})+)|\[((?:{_TOKEN}(?:,{_TOKEN})*)?)\])"
)


def _fast(text: str, index: int) -> Override | None:
    match = _FAST_RE.fullmatch(text)
    if match is None:
        return _fast_multi(text, index)
    plus, key, value = match.groups()
    return Override(_KINDS[len(plus)], key, None, typed_token(value), text, index)


def _fast_multi(text: str, index: int) -> Override | None:
    match = _FAST_MULTI_RE.fullmatch(text)
    if match is None:
        return None
    plus, key, sweep, items = match.groups()
    value: Any
    if sweep is not None:
        value = ChoiceSweep(tuple(typed_token(t) for t in sweep.split(",")), simple=True)
    else:
        value = [typed_token(t) for t in items.split(",")] if items else []
    return Override(_KINDS[len(plus)], key, None, value, text, index)


def _parse_grammar(text: str, index: int = 0) -> Override:
    """Parse with the Lark grammar only (no fast path, no cache)."""
    from confcompose.parsing import _override_tx

    try:
        kind, key, package, value, hydra_text = _override_tx.parse(text)
    except Failure as failure:
        raise _syntax_error(text, index, failure) from None
    except RecursionError:
        raise _syntax_error(text, index, Failure(1, "value is too deeply nested")) from None
    override = Override(kind, key, package, value, text, index)
    if hydra_text is not None:
        object.__setattr__(override, "hydra_text", hydra_text)
    return override


def _parse_rd(text: str, index: int = 0) -> Override | None:
    """Parse with the hand-written parser (no Lark); ``None`` leaves the text to the grammar."""
    from confcompose.parsing import _override_rd

    parsed = _override_rd.parse(text)
    if parsed is None:
        return None
    kind, key, package, value, hydra_text = parsed
    override = Override(kind, key, package, value, text, index)
    if hydra_text is not None:
        object.__setattr__(override, "hydra_text", hydra_text)
    return override


def _syntax_error(text: str, index: int, failure: Failure) -> OverrideSyntaxError:
    column = max(1, min(failure.column, len(text) + 1))
    caret = " " * (column - 1) + "^"
    msg = f"{failure.msg} at column {column}"
    if failure.expected:  # said here: ConfigError skips `expected` when msg says "unexpected"
        msg += f"; expected {failure.expected}"
    return OverrideSyntaxError(
        msg,
        location=Location(None, index, column, "override", text),
        expected=failure.expected,
        context=f"{text}\n{caret}",
    )


def _parse(text: str, index: int) -> Override:
    return _fast(text, index) or _parse_rd(text, index) or _parse_grammar(text, index)


@functools.lru_cache(maxsize=4096)
def _parse_cached(text: str, index: int) -> Override:
    return _parse(text, index)


def parse_override(text: str, index: int = 0) -> Override:
    """Parse one override; ``index`` is its position on the command line (for errors).

    >>> parse_override("db.hosts=[a, b]").value
    ['a', 'b']
    """
    if not isinstance(text, str):
        raise TypeError(f"an override must be a str, got {type(text).__name__}")
    if "shuffle" in text:  # shuffle([...]) draws a new order on every parse: never cache it
        return _parse(text, index)
    result = _parse_cached(text, index)
    if isinstance(result.value, _SCALARS):
        return result
    try:  # cached results are shared: hand out private copies of lists and dicts
        return _private(result)
    except RecursionError:
        raise _syntax_error(text, index, Failure(1, "value is too deeply nested")) from None


def _private(result: Override) -> Override:
    # copy.deepcopy of the whole record costs more than a parse: copy what can change.
    out = object.__new__(Override)
    for name in Override._fields:
        object.__setattr__(out, name, getattr(result, name))
    object.__setattr__(out, "value", _fresh(result.value))
    hydra_text = getattr(result, "hydra_text", None)
    if hydra_text is not None:
        object.__setattr__(out, "hydra_text", hydra_text)
    return out


def _fresh(value: Any) -> Any:
    kind = type(value)
    if kind is list:
        return [_fresh(v) for v in value]
    if kind is dict:
        return {k: _fresh(v) for k, v in value.items()}
    if kind in _SCALARS:
        return value
    import copy  # only for sweeps and list extensions (they may hold lists)

    return copy.deepcopy(value)


def parse_overrides(texts: Sequence[str]) -> list[Override]:
    """Parse a command line's overrides; each one's index is its position.

    >>> [o.kind for o in parse_overrides(["a=1", "+b=2", "~c"])]
    ['change', 'add', 'delete']
    """
    return [parse_override(text, i) for i, text in enumerate(texts)]
