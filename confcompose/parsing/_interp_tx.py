"""Lark glue for ``grammar/interpolation.lark``: the token adapter and the stateless transformer.

Imported only by :mod:`confcompose.parsing.interpolation` on its slow path. The one parser is
shared by all threads: the lexer and the transformer keep no state between calls.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedInput, UnexpectedToken
from lark.lexer import Lexer

from confcompose.parsing import _lark
from confcompose.parsing._interp_lex import InterpFailure, lex
from confcompose.parsing.interp_ast import Arg, Call, Concat, Node, Select, Text

_Interp = Select | Call


class _CloseToken(Token):
    """A closing ``}`` that also carries the source text of its ``${...}``."""

    __slots__ = ("raw",)
    raw: str


class InterpLexer(Lexer):
    """Feeds Lark the tokens of :func:`confcompose.parsing._interp_lex.lex`."""

    def __init__(self, lexer_conf: Any) -> None:
        del lexer_conf  # Lark's interface; the mode lexer has its own terminals (the lexicon)

    def lex(self, text: Any, *_: Any) -> Iterator[Token]:
        # Lark's custom-lexer interface 0 passes the whole input string.
        for t in lex(text):
            if t.raw is None:
                yield Token(t.type, t.value, t.start, end_pos=t.end)
            else:
                tok = _CloseToken(t.type, t.value, t.start, end_pos=t.end)
                tok.raw = t.raw
                yield tok


def parser() -> Lark:
    """The shared LALR parser (built once, on first use)."""
    return _lark.build("interpolation.lark", "start", InterpTransformer, InterpLexer)


def parse(text: str) -> Node:
    """Parse ``text`` with Lark; every failure is raised as :class:`InterpFailure`."""
    try:
        node = cast("Node", parser().parse(text))
    except UnexpectedInput as e:
        raise _failure(text, e) from None
    except RecursionError:
        raise InterpFailure(0, "nesting too deep", None) from None
    return node


# Terminal names in words, for "expected ..." messages (in this order).
_WORDS = (
    ("DOT", "'.'"),
    ("KEY_LSQB", "'['"),
    ("COLON", "':'"),
    ("COMMA", "','"),
    ("KEY_RSQB", "a closing ']'"),
    ("RSQB", "a closing ']'"),
    ("QUOTE_CLOSE", "a closing quote"),
    ("INTER_CLOSE", "a closing '}'"),
    ("BRACE_CLOSE", "a closing '}'"),
)
_ENDINGS = {"COMMA", "RSQB", "BRACE_CLOSE", "QUOTE_CLOSE"}


def _failure(text: str, e: UnexpectedInput) -> InterpFailure:
    if isinstance(e, UnexpectedToken) and e.token.type != "$END":
        pos = e.token.start_pos if e.token.start_pos is not None else len(text)
        problem = f"unexpected {str(e.token.value)!r}"
    else:
        pos, problem = len(text), "unexpected end of string"
    return InterpFailure(pos, problem, _expected_words(text[:pos], _accepted(e)))


def _accepted(e: UnexpectedInput) -> set[str]:
    # LALR lookahead sets are merged across contexts; asking the interactive parser which
    # terminals it would really accept gives exact messages (only computed on errors).
    ip = getattr(e, "interactive_parser", None)
    if ip is not None:
        try:
            return set(ip.accepts())
        except Exception:  # fall back to the LALR lookahead set
            pass
    return set(getattr(e, "expected", None) or ())


def _expected_words(before: str, accepted: set[str]) -> str:
    """Describe in words what the parser would have accepted after ``before``."""
    words: list[str] = []
    prev = before.rstrip(" \t")
    if "INTER_KEY" in accepted:  # inside ${...}
        words.append("a key or a resolver name" if prev.endswith("${") else "a key")
    elif not prev.endswith(("{", "[", ",", ":")) and accepted & (_ENDINGS | {"COLON"}):
        pass  # right after a value, which could continue: the separators are what is missing
    elif accepted & {"QUOTE_OPEN", "COMMA"}:
        words.append("a value")
    elif "ID" in accepted:
        words.append("a dict key")
    for name, word in _WORDS:
        if name == "COLON" and "COMMA" in accepted:
            continue  # ':' could continue an unquoted argument; not worth suggesting
        if name in accepted and word not in words:
            words.append(word)
    if not words:
        words.append("something else")
    text = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
    if words[0].startswith("a key") and len(words) == 1:
        text += " after '.'" if prev.endswith(".") else ""
    if prev.endswith("${") and not text.endswith("'${'"):
        text += " after '${'"
    return text


def _typed(tok: Token) -> Arg:
    """The value of a resolver argument (or dict key) made of one token."""
    t, v = tok.type, str(tok.value)
    if t == "INT":
        return int(v)
    if t == "FLOAT":
        return float(v)
    if t == "BOOL":
        return v.lower() == "true"
    if t == "NULL":
        return None
    if t == "ESC":
        return v[1::2]
    return v


def _join(items: list[Any]) -> list[Text | Select | Call]:
    """Unescape a run of text tokens and interpolations (OmegaConf's ``_unescape``)."""
    parts: list[Text | Select | Call] = []
    buf: list[str] = []
    last = len(items) - 1
    for i, item in enumerate(items):
        if not isinstance(item, Token):
            if buf:
                parts.append(Text("".join(buf)))
                buf = []
            parts.append(item)
            continue
        t, v = item.type, str(item.value)
        nxt_interp = i < last and not isinstance(items[i + 1], Token)
        if t == "ESC_INTER":  # 2k+1 backslashes then "${": k backslashes and a literal "${"
            v = v[-(len(v) // 2 + 1) :]
        elif (
            t in ("ESC", "Q_ESC")
            # OmegaConf halves an even run of backslashes only where a '${' (or, in quotes,
            # the closing quote) follows; elsewhere the run is kept as written.
            or (t == "TOP_ESC" and nxt_interp)
            or (t == "QUOTED_ESC" and (nxt_interp or i == last))
        ):
            v = v[1::2]
        buf.append(v)
    if buf:
        parts.append(Text("".join(buf)))
    return parts


class InterpTransformer(Transformer[Token, Any]):
    """Builds the AST while Lark parses (stateless; rules get children, never ``meta``)."""

    def start(self, items: list[Any]) -> Node:
        parts = _join(items)
        if len(parts) == 1:
            return parts[0]
        return Concat(tuple(parts))

    def select(self, items: list[Any]) -> Select:
        relative = 0
        for item in items[1:]:
            if not (isinstance(item, Token) and item.type == "DOT"):
                break
            relative += 1
        path = []
        for item in items[1 + relative : -1]:
            if not isinstance(item, Token):
                path.append(item)
            elif item.type in ("ID", "INTER_KEY"):
                path.append(str(item.value))
        return Select(relative, tuple(path), items[-1].raw)

    def call(self, items: list[Any]) -> Call:
        name: list[str] = []
        args: tuple[Arg, ...] = ()
        for i, item in enumerate(items[1:-1], 1):
            if isinstance(item, list):
                args = tuple(item)
            elif not isinstance(item, Token):
                raise InterpFailure(
                    items[i - 1].end_pos,
                    "a resolver name cannot be an interpolation",
                    "a resolver name made of letters, digits, '_', '-' and '.'",
                )
            elif item.type == "ID":
                name.append(str(item.value))
            elif item.type not in ("DOT", "COLON"):
                raise InterpFailure(
                    item.start_pos or 0,
                    f"invalid resolver name part {str(item.value)!r}",
                    "a resolver name made of letters, digits, '_', '-' and '.'",
                )
        return Call(".".join(name), args, items[-1].raw)

    def sequence(self, items: list[Any]) -> list[Arg]:
        out: list[Arg] = []
        after_comma = True  # an empty item before a leading comma
        for item in items:
            if isinstance(item, Token):
                if after_comma:
                    out.append("")
                after_comma = True
            else:
                out.append(item[0])
                after_comma = False
        if after_comma:
            out.append("")
        return out

    def element(self, items: list[Any]) -> tuple[Arg]:
        # Wrapped so that sequence() can tell a value from a COMMA token (a str subclass).
        return (items[0],)

    def list_value(self, items: list[Any]) -> list[Arg]:
        return items[1] if len(items) == 3 else []

    def dict_value(self, items: list[Any]) -> dict[Any, Arg]:
        return dict(item for item in items if isinstance(item, tuple))

    def pair(self, items: list[Any]) -> tuple[Any, Arg]:
        return (items[0], items[2][0])

    def primitive(self, items: list[Any]) -> Arg:
        if len(items) == 1:
            item = items[0]
            return _typed(item) if isinstance(item, Token) else item
        parts = _join(items)
        if len(parts) == 1 and isinstance(parts[0], Text):
            return parts[0].value
        return Concat(tuple(parts))

    def dict_key(self, items: list[Any]) -> Arg:
        if len(items) == 1:
            return _typed(items[0])
        return "".join(str(v.value)[1::2] if v.type == "ESC" else str(v.value) for v in items)

    def quoted(self, items: list[Any]) -> Arg:
        parts = _join(items[1:-1])
        if not parts:
            return ""
        if len(parts) == 1 and isinstance(parts[0], Text):
            return parts[0].value
        return Concat(tuple(parts))
