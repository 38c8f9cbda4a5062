"""A mode-stack lexer for ``${...}`` strings that mirrors OmegaConf 2.3's ANTLR lexer.

OmegaConf lexes in modes (top-level text, inside ``${...}``, resolver arguments, single- and
double-quoted strings). Which tokens exist depends on the mode stack, not on the parser state, so
Lark's contextual lexer cannot reproduce it (after a ``}`` the same LALR state is reached from
every mode). This module does the lexing by hand, with ANTLR's rule: the longest match wins and
ties go to the rule listed first. It never imports lark; ``_interp_tx`` wraps its output into
Lark tokens. Token type names are the terminals declared in ``grammar/interpolation.lark``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from confcompose.parsing import lexicon

TYPE_CHECKING = False  # keep the typing module out of `import confcompose`
if TYPE_CHECKING:
    from typing import NamedTuple

    class Lexeme(NamedTuple):
        """One token: its terminal name, text, span and (for a closing brace) its source."""

        type: str
        value: str
        start: int
        end: int
        raw: str | None

else:
    from collections import namedtuple

    Lexeme = namedtuple("Lexeme", ("type", "value", "start", "end", "raw"))

# Modes, as in OmegaConfGrammarLexer.g4.
TOP, INTERP, VALUE, QSINGLE, QDOUBLE = range(5)

# Stack actions.
_PUSH, _POP, _SET, _NONE = range(4)

# Interpolations nested deeper than this are refused: OmegaConf's recursive-descent parser would
# overflow the stack long before, and our AST helpers (eq, repr, render) recurse.
MAX_DEPTH = 100

_INTER_OPEN = lexicon.INTER_OPEN
_ESC_INTER = lexicon.ESC_INTER


class InterpFailure(Exception):
    """A syntax problem at ``offset`` (0-based, an index into the text: a string may span
    several lines); ``interpolation`` turns it into an InterpolationSyntaxError."""

    def __init__(self, offset: int, problem: str, expected: str | None) -> None:
        super().__init__(problem)
        self.offset = offset
        self.problem = problem
        self.expected = expected


# (emitted type, regex, action, mode for push/set) per mode, in ANTLR rule order.
_Rule = tuple[str, str, int, int]
_RULES: dict[int, tuple[_Rule, ...]] = {
    TOP: (
        ("INTER_OPEN", _INTER_OPEN, _PUSH, INTERP),
        ("ANY_STR", r"[^$]*[^\\$]", _NONE, 0),
        ("ESC_INTER", _ESC_INTER, _NONE, 0),
        ("TOP_ESC", r"(?:\\\\)+", _NONE, 0),
        ("ANY_STR", r"\\+", _NONE, 0),
        ("ANY_STR", r"\$", _NONE, 0),
    ),
    INTERP: (
        ("INTER_OPEN", _INTER_OPEN, _PUSH, INTERP),
        ("COLON", lexicon.COLON, _SET, VALUE),
        ("INTER_CLOSE", lexicon.RBRACE, _POP, 0),
        ("DOT", r"\.", _NONE, 0),
        ("KEY_LSQB", r"\[", _NONE, 0),
        ("KEY_RSQB", r"\]", _NONE, 0),
        ("ID", lexicon.ID, _NONE, 0),
        ("INTER_KEY", lexicon.INTER_KEY, _NONE, 0),
    ),
    VALUE: (
        ("INTER_OPEN", _INTER_OPEN, _PUSH, INTERP),
        ("BRACE_OPEN", lexicon.LBRACE, _PUSH, VALUE),
        ("BRACE_CLOSE", lexicon.RBRACE, _POP, 0),
        ("QUOTE_OPEN", r"'", _PUSH, QSINGLE),
        ("QUOTE_OPEN", r'"', _PUSH, QDOUBLE),
        ("COMMA", lexicon.COMMA, _NONE, 0),
        ("LSQB", lexicon.LBRACK, _NONE, 0),
        ("RSQB", lexicon.RBRACK, _NONE, 0),
        ("COLON", lexicon.COLON, _NONE, 0),
        ("FLOAT", lexicon.FLOAT, _NONE, 0),
        ("INT", lexicon.INT, _NONE, 0),
        ("BOOL", lexicon.BOOL, _NONE, 0),
        ("NULL", lexicon.NULL, _NONE, 0),
        ("UNQUOTED_CHAR", r"[/\-\\+.$%*@?|]", _NONE, 0),
        ("ID", lexicon.ID, _NONE, 0),
        ("ESC", r"(?:\\\\|\\[()\[\]{}:=, \t])+", _NONE, 0),
        ("WS", r"[ \t]+", _NONE, 0),
    ),
}


def _quoted_rules(q: str) -> tuple[_Rule, ...]:
    return (
        ("INTER_OPEN", _INTER_OPEN, _PUSH, INTERP),
        ("QUOTE_CLOSE", q, _POP, 0),
        ("ANY_STR", rf"[^{q}$]*[^{q}\\$]", _NONE, 0),
        ("ESC_INTER", _ESC_INTER, _NONE, 0),
        ("Q_ESC", rf"(?:\\\\)*\\{q}", _NONE, 0),
        ("QUOTED_ESC", r"(?:\\\\)+", _NONE, 0),
        ("ANY_STR", r"\\+", _NONE, 0),
        ("ANY_STR", r"\$", _NONE, 0),
    )


_RULES[QSINGLE] = _quoted_rules("'")
_RULES[QDOUBLE] = _quoted_rules('"')

# What each mode would have accepted, for the message when no rule matches.
_EXPECTED = {
    INTERP: "a key, a resolver name, '.', '[', ':' or a closing '}'",
    VALUE: "a resolver argument, ',' or a closing '}' "
    "(quote arguments that contain other characters)",
}


@functools.cache
def _compiled(mode: int) -> tuple[tuple[str, re.Pattern[str], int, int], ...]:
    return tuple((t, re.compile(rx), act, arg) for t, rx, act, arg in _RULES[mode])


def _longest(mode: int, text: str, pos: int) -> tuple[str, int, int, int]:
    """Return (type, end, action, arg) of the longest match at ``pos`` (first rule on ties)."""
    best: tuple[str, int, int, int] | None = None
    for ttype, rx, act, arg in _compiled(mode):
        m = rx.match(text, pos)
        if m is not None and m.end() > pos and (best is None or m.end() > best[1]):
            best = (ttype, m.end(), act, arg)
    if best is None:
        raise InterpFailure(pos, f"unexpected {text[pos]!r}", _EXPECTED.get(mode))
    return best


def lex(text: str) -> Iterator[Lexeme]:
    """Yield the tokens of ``text`` (a top-level config string), following OmegaConf's modes."""
    # Each stack entry is (mode, start of its '${' or -1): a closing token that pops an entry
    # opened by '${' carries the interpolation's source text.
    stack: list[tuple[int, int]] = [(TOP, -1)]
    pos, n = 0, len(text)
    while pos < n:
        mode, opened = stack[-1]
        ttype, end, act, arg = _longest(mode, text, pos)
        raw = None
        if act == _PUSH:
            if len(stack) > MAX_DEPTH:
                raise InterpFailure(pos, f"nesting deeper than {MAX_DEPTH} levels", None)
            stack.append((arg, pos if ttype == "INTER_OPEN" else -1))
        elif act == _POP:
            stack.pop()
            if opened >= 0:
                raw = text[opened:end]
        elif act == _SET:
            stack[-1] = (arg, opened)
        yield Lexeme(ttype, text[pos:end], pos, end, raw)
        pos = end
