"""Lark side of the override parser: the stateless transformer and the error translation.

Imported only when an override needs the grammar (see ``overrides._parse_grammar``). One parser
is shared by all threads, so the transformer keeps no state; functions are evaluated inline.
"""

from __future__ import annotations

import re
from typing import Any, cast

from lark import Token, Transformer
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from confcompose.parsing._lark import build
from confcompose.parsing._override_funcs import FunctionError, _plain, call_function
from confcompose.parsing.overrides import (
    NO_VALUE,
    SWEEP_TYPES,
    ChoiceSweep,
    Failure,
    Kind,
    ListExtension,
    canonical_key,
    chunk_value,
    format_value,
    quote,
    split_key,
    unquote,
)

# kind, key, package, value, and the value as Hydra's sweepers write it back when that keeps
# quotes (a str; a tuple of item texts for `a=1,'x y'`), else None.
_Parsed = tuple[Kind, str, str | None, Any, str | tuple[str, ...] | None]
_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")

# Terminal names in words, most useful first.
_WORDS: dict[str, str] = {
    "KEY": "a key",
    "EQUAL": "'=' after the key",
    "AT": "'@'",
    "PACKAGE": "a package name",
    "CHUNK": "a value",
    "QUOTED": "a value",
    "LBRACK": "a value",
    "LBRACE": "a value",
    "FUNC_OPEN": "a value",
    "DICT_KEY": "a dict key",
    "COLON": "':' after the dict key",
    "KWARG": "an argument",
    "RBRACK": "a closing ']'",
    "RBRACE": "a closing '}'",
    "RPAREN": "a closing ')'",
    "COMMA": "','",
    "$END": "the end of the override",
    "TILDE": "'~'",
    "PLUS": "'+'",
}
_STRUCTURAL = frozenset("[]{}(),:= \t=")
_ORDER = {word: i for i, word in enumerate(dict.fromkeys(_WORDS.values()))}


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


def _values(children: list[Any]) -> list[Any]:
    return [c for c in children if not isinstance(c, Token)]


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


class OverrideTransformer(Transformer[Token, _Parsed]):
    """Builds ``(kind, key, package, value)`` from the parse; keeps no state."""

    def key_spec(self, children: list[Token]) -> tuple[str, str | None]:
        key, package, seen_at = "", None, False
        for tok in children:
            if tok.type == "KEY":
                key = tok.value
                if "'" in key or '"' in key:
                    key = canonical_key(split_key(key))
            elif tok.type == "AT":
                seen_at, package = True, ""
            elif tok.type == "PACKAGE":
                package = tok.value
        return key, package if seen_at else None

    def _build(self, kind: Kind, children: list[Any]) -> _Parsed:
        key, package = next(c for c in children if isinstance(c, tuple))
        equal = next((c for c in children if isinstance(c, Token) and c.type == "EQUAL"), None)
        if equal is None:
            return kind, key, package, NO_VALUE, None
        rest = children[children.index(equal) + 1 :]
        value, text = _finish(rest[0] if rest else "")
        return kind, key, package, _check_top(value, (equal.end_pos or 0) + 1), text

    def change(self, children: list[Any]) -> _Parsed:
        return self._build("change", children)

    def add(self, children: list[Any]) -> _Parsed:
        return self._build("add", children)

    def force_add(self, children: list[Any]) -> _Parsed:
        return self._build("force_add", children)

    def delete(self, children: list[Any]) -> _Parsed:
        return self._build("delete", children)

    def primitive(self, children: list[Token]) -> Any:
        (tok,) = children
        if tok.type == "QUOTED":
            return _quoted(tok.value)
        return chunk_value(tok.value)

    def simple_sweep(self, children: list[Any]) -> ChoiceSweep:
        return ChoiceSweep(tuple(_values(children)), simple=True)

    def list_container(self, children: list[Any]) -> list[Any]:
        return _values(children)

    def dict_container(self, children: list[Any]) -> dict[Any, Any]:
        return dict(_values(children))

    def pair(self, children: list[Any]) -> tuple[Any, Any]:
        return chunk_value(children[0].value), children[-1]

    def arg(self, children: list[Any]) -> _Arg:
        if len(children) == 2:
            name = _NAME_RE.match(children[0].value)
            return _Arg(name.group(0) if name else "", children[1])
        return _Arg(None, children[0])

    def function(self, children: list[Any]) -> Any:
        opener: Token = children[0]
        name_match = _NAME_RE.match(opener.value)
        name = name_match.group(0) if name_match else ""
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        column = (opener.start_pos or 0) + 1
        for arg in _values(children):
            if arg.name is None:
                if kwargs:
                    raise Failure(column, f"{name}(): positional argument follows keyword argument")
                args.append(_plain_str(arg.value))
            elif arg.name in kwargs:
                raise Failure(column, f"{name}(): argument {arg.name!r} given twice")
            else:
                kwargs[arg.name] = _plain_str(arg.value)
        try:
            return call_function(name, args, kwargs)
        except FunctionError as exc:
            raise Failure(column, str(exc)) from None


def _expected(names: set[str] | frozenset[str] | None) -> str | None:
    words = sorted({_WORDS.get(n, n) for n in names or ()}, key=lambda w: _ORDER.get(w, 99))
    if not words:
        return None
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _at_char(text: str, pos: int) -> str:
    char = text[pos] if pos < len(text) else ""
    if char and char in "'\"":
        return "unterminated quoted string"
    msg = f"unexpected character {char!r}"
    if 0 <= text.find("=") < pos and char not in _STRUCTURAL:
        msg += " (quote the value to use it)"
    return msg


def _describe(exc: UnexpectedInput, text: str) -> Failure:
    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream or 0
        return Failure(pos + 1, _at_char(text, pos), _expected(exc.allowed))
    if isinstance(exc, UnexpectedToken):
        # The token may come from the fallback lexer and be meaningless here (a CHUNK '+a'
        # after '++'): name its first character instead.
        tok = exc.token
        if tok.type == "$END":
            pos, msg = len(text), "unexpected end of the override"
        else:
            pos = tok.start_pos or 0
            msg = _at_char(text, pos)
        return Failure(pos + 1, msg, _expected(exc.accepts or exc.expected))
    return Failure(1, f"cannot parse the override: {exc}")


def parse(text: str) -> _Parsed:
    """Parse ``text`` with the grammar; failures raise :class:`overrides.Failure`."""
    parser = build("override.lark", "override", OverrideTransformer, "contextual")
    try:
        result = cast("_Parsed", parser.parse(text))
    except UnexpectedInput as exc:
        raise _describe(exc, text) from None
    except LarkError as exc:  # VisitError and friends: unwrap our own failures
        orig = getattr(exc, "orig_exc", None)
        if isinstance(orig, Failure):
            raise orig from None
        raise Failure(1, f"cannot parse the override: {orig or exc}") from None
    return result
