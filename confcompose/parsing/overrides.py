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

import functools
import re

from confcompose._lazy_re import lazy_re
from confcompose.errors import OverrideSyntaxError
from confcompose.location import Location
from confcompose.parsing import lexicon
from confcompose.parsing.override_values import (
    NO_VALUE,
    SWEEP_TYPES,
    TYPING_ALIASES,
    ChoiceSweep,
    GlobSweep,
    IntervalSweep,
    ListExtension,
    NoValueType,
    OverrideFailure,
    RangeSweep,
    StrictRecord,
    ZipSweep,
    canonical_key,
    chunk_value,
    escape,
    format_value,
    quote,
    replace,
    split_key,
    typed_token,
    unquote,
)

TYPE_CHECKING = False  # keep the typing module off the start-up path
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from confcompose.parsing.override_values import Kind, OverrideValue, Sweep, Value

__all__ = [
    "NO_VALUE",
    "SWEEP_TYPES",
    "ChoiceSweep",
    "GlobSweep",
    "IntervalSweep",
    "Kind",
    "ListExtension",
    "Override",
    "OverrideValue",
    "RangeSweep",
    "Sweep",
    "Value",
    "ZipSweep",
    "canonical_key",
    "chunk_value",
    "escape",
    "format_value",
    "override_key",
    "parse_override",
    "parse_overrides",
    "quote",
    "replace",
    "split_key",
    "split_override",
    "typed_token",
    "unquote",
]


def __getattr__(name: str) -> object:
    # Kind, OverrideValue, Sweep and Value: typing aliases, built when first asked for.
    if name in TYPING_ALIASES:
        from confcompose.parsing.override_values import typing_alias

        alias = globals()[name] = typing_alias(name)
        return alias
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ---- the parse result ---------------------------------------------------------------------

_PREFIX: dict[str, str] = {"change": "", "add": "+", "force_add": "++", "delete": "~"}


class Override(StrictRecord):
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

        >>> parse_override("a.'b.c'=1").key_parts()
        ('a', 'b.c')
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


# ---- parsing ------------------------------------------------------------------------------


# The common `a.b.c=value`, `+a=1`, `group/sub=option` with a single-token value: parsed
# without Lark (and without importing it). Accepts only texts the grammar gives the same result.
_KINDS: tuple[Kind, Kind, Kind] = ("change", "add", "force_add")
_SCALARS = (type(None), bool, int, float, str, NoValueType)
_FAST_KEY = rf"(\+{{0,2}})({lexicon.PLAIN_KEY})="
_FAST_RE = lazy_re(rf"{_FAST_KEY}((?:{lexicon.PLAIN_TOKEN})?)")

# The same keys with a simple sweep (``lr=0.1,0.01``) or a flat list (``tags=[a,b]``) of plain
# tokens: the usual shape of a multirun command line, kept out of Lark too.
_TOKEN = lexicon.PLAIN_TOKEN
_FAST_MULTI_RE = lazy_re(
    rf"{_FAST_KEY}(?:({_TOKEN}(?:,{_TOKEN})+)|\[((?:{_TOKEN}(?:,{_TOKEN})*)?)\])"
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
    except OverrideFailure as failure:
        raise _syntax_error(text, index, failure) from None
    except RecursionError:
        raise _syntax_error(text, index, OverrideFailure(1, "value is too deeply nested")) from None
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


def _syntax_error(text: str, index: int, failure: OverrideFailure) -> OverrideSyntaxError:
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
        raise _syntax_error(text, index, OverrideFailure(1, "value is too deeply nested")) from None


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


# ---- the key of an override's text, without parsing its value -----------------------------


@functools.cache
def _key_element_re() -> re.Pattern[str]:
    # The prefix, the key (quoted segments may hold '=' or '@') and the package, up to the '='
    # that starts the value (or the end, for `~key`): the grammar's own KEY and PACKAGE.
    # Compiled on first use: it is the largest regex here, and most processes never need it.
    return re.compile(
        rf"(?:{lexicon.PREFIX})((?:{lexicon.KEY})?)(?:@(?:{lexicon.PACKAGE})?)?(?==|\Z)"
    )


def split_override(text: str) -> tuple[str, str]:
    """Split an override's text at the ``=`` that starts its value: the key element (prefix,
    key and ``@package`` as written) and the value text (``''`` when there is none).

    Works on the text only (the value is neither parsed nor checked); a text that does not
    start with a well-formed key element is split at its first ``=``.

    >>> split_override("+db@backup=mysql"), split_override("~x"), split_override("a.'b=c'=1")
    (('+db@backup', 'mysql'), ('~x', ''), ("a.'b=c'", '1'))
    """
    head, _, value = text.partition("=")
    if "'" not in head and '"' not in head:
        # Without a quoted segment a key element holds no '=': it ends at the first one
        # (and a text that is no key element is split there too). No regex to compile.
        return head, value
    match = _key_element_re().match(text)
    if match is None:
        return head, value
    return text[: match.end()], text[match.end() + 1 :]


def override_key(text: str) -> str:
    """The key of an override's text, as :attr:`Override.key` gives it: no ``+``/``++``/``~``
    prefix, no ``@package``, quoted segments in canonical form.

    Cheap (one regex, no value parsing, never Lark), so the app can sort and filter override
    texts by key. A text that does not start with a well-formed key element gives the part
    before its first ``=``, prefix and package stripped.

    >>> override_key("+db@backup=mysql"), override_key("~a.b"), override_key("a.'b=c'=1")
    ('db', 'a.b', "a.'b=c'")
    """
    head = text.partition("=")[0]
    if "'" not in head and '"' not in head:
        # No quoted segment: the key is the text up to the first '=' without the prefix
        # and package, matched by the pattern or not (see split_override).
        return head.lstrip("+~").split("@", 1)[0]
    match = _key_element_re().match(text)
    if match is None:
        return head.lstrip("+~").split("@", 1)[0]
    key = match.group(1)
    if "'" in key or '"' in key:
        return canonical_key(split_key(key))
    return key
