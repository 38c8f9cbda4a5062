"""Lark side of the override parser: the stateless transformer and the error translation.

Imported only when an override needs the grammar (see ``overrides._parse_grammar``). One parser
is shared by all threads, so the transformer keeps no state; functions are evaluated inline.
"""

from __future__ import annotations

from typing import Any, cast

from lark import Token, Transformer
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from confcompose.parsing._lark import build
from confcompose.parsing._override_build import (
    NAME_RE,
    FunctionArg,
    Parsed,
    check_whole_value,
    drop_quote_marks,
    finish_value,
    quoted_value,
)
from confcompose.parsing._override_funcs import FunctionError, call_function
from confcompose.parsing.override_values import (
    NO_VALUE,
    ChoiceSweep,
    Kind,
    OverrideFailure,
    canonical_key,
    chunk_value,
    split_key,
)

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


def _values(children: list[Any]) -> list[Any]:
    return [c for c in children if not isinstance(c, Token)]


class OverrideTransformer(Transformer[Token, Parsed]):
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

    def _build(self, kind: Kind, children: list[Any]) -> Parsed:
        key, package = next(c for c in children if isinstance(c, tuple))
        equal = next((c for c in children if isinstance(c, Token) and c.type == "EQUAL"), None)
        if equal is None:
            return kind, key, package, NO_VALUE, None
        rest = children[children.index(equal) + 1 :]
        value, text = finish_value(rest[0] if rest else "")
        return kind, key, package, check_whole_value(value, (equal.end_pos or 0) + 1), text

    def change(self, children: list[Any]) -> Parsed:
        return self._build("change", children)

    def add(self, children: list[Any]) -> Parsed:
        return self._build("add", children)

    def force_add(self, children: list[Any]) -> Parsed:
        return self._build("force_add", children)

    def delete(self, children: list[Any]) -> Parsed:
        return self._build("delete", children)

    def primitive(self, children: list[Token]) -> Any:
        (tok,) = children
        if tok.type == "QUOTED":
            return quoted_value(tok.value)
        return chunk_value(tok.value)

    def simple_sweep(self, children: list[Any]) -> ChoiceSweep:
        return ChoiceSweep(tuple(_values(children)), simple=True)

    def list_container(self, children: list[Any]) -> list[Any]:
        return _values(children)

    def dict_container(self, children: list[Any]) -> dict[Any, Any]:
        return dict(_values(children))

    def pair(self, children: list[Any]) -> tuple[Any, Any]:
        return chunk_value(children[0].value), children[-1]

    def arg(self, children: list[Any]) -> FunctionArg:
        if len(children) == 2:
            name = NAME_RE.match(children[0].value)
            return FunctionArg(name.group(0) if name else "", children[1])
        return FunctionArg(None, children[0])

    def function(self, children: list[Any]) -> Any:
        opener: Token = children[0]
        name_match = NAME_RE.match(opener.value)
        name = name_match.group(0) if name_match else ""
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        column = (opener.start_pos or 0) + 1
        for arg in _values(children):
            if arg.name is None:
                if kwargs:
                    raise OverrideFailure(
                        column, f"{name}(): positional argument follows keyword argument"
                    )
                args.append(drop_quote_marks(arg.value))
            elif arg.name in kwargs:
                raise OverrideFailure(column, f"{name}(): argument {arg.name!r} given twice")
            else:
                kwargs[arg.name] = drop_quote_marks(arg.value)
        try:
            return call_function(name, args, kwargs)
        except FunctionError as exc:
            raise OverrideFailure(column, str(exc)) from None


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


def _describe(exc: UnexpectedInput, text: str) -> OverrideFailure:
    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream or 0
        return OverrideFailure(pos + 1, _at_char(text, pos), _expected(exc.allowed))
    if isinstance(exc, UnexpectedToken):
        # The token may come from the fallback lexer and be meaningless here (a CHUNK '+a'
        # after '++'): name its first character instead.
        tok = exc.token
        if tok.type == "$END":
            pos, msg = len(text), "unexpected end of the override"
        else:
            pos = tok.start_pos or 0
            msg = _at_char(text, pos)
        return OverrideFailure(pos + 1, msg, _expected(exc.accepts or exc.expected))
    return OverrideFailure(1, f"cannot parse the override: {exc}")


def parse(text: str) -> Parsed:
    """Parse ``text`` with the grammar; failures raise :class:`override_values.OverrideFailure`."""
    parser = build("override.lark", "override", OverrideTransformer, "contextual")
    try:
        result = cast("Parsed", parser.parse(text))
    except UnexpectedInput as exc:
        raise _describe(exc, text) from None
    except LarkError as exc:  # VisitError and friends: unwrap our own failures
        orig = getattr(exc, "orig_exc", None)
        if isinstance(orig, OverrideFailure):
            raise orig from None
        raise OverrideFailure(1, f"cannot parse the override: {orig or exc}") from None
    return result
