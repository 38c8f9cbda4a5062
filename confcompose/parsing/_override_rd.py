"""A hand-written parser for ``override.lark``: lists, dicts, quoted strings and function calls
without Lark (no parse tree, no token objects, no state machine).

It reads the same terminals as the grammar (the regexes of ``lexicon``, checked against the
grammar's by ``tests/test_lexicon.py``), in the order
Lark's contextual lexer would try them in each state, and builds the values with the same
helpers as the Lark transformer. It only ever answers for texts it parses completely: on
anything it does not expect it returns ``None`` and the Lark grammar decides, so every error
message still comes from one place. Tests draw texts from the grammar and check both agree.
"""

from __future__ import annotations

import re
from typing import Any

from confcompose.parsing import lexicon
from confcompose.parsing._override_build import (
    NAME_RE,
    FunctionArg,
    Parsed,
    check_whole_value,
    drop_quote_marks,
    finish_value,
    quoted_value,
)
from confcompose.parsing.override_values import (
    NO_VALUE,
    ChoiceSweep,
    Kind,
    OverrideFailure,
    canonical_key,
    chunk_value,
    split_key,
)

_KEY_RE = re.compile(lexicon.KEY)
_PACKAGE_RE = re.compile(lexicon.PACKAGE)
_EQUAL_RE = re.compile(lexicon.EQUAL)
_CHUNK_RE = re.compile(lexicon.CHUNK)
_DICT_KEY_RE = re.compile(lexicon.DICT_KEY)
_QUOTED_RE = re.compile(lexicon.QUOTED)
_FUNC_OPEN_RE = re.compile(lexicon.FUNC_OPEN)
_KWARG_RE = re.compile(lexicon.KWARG)
_COMMA_RE = re.compile(lexicon.COMMA)
_COLON_RE = re.compile(lexicon.COLON)
_LBRACK_RE = re.compile(lexicon.LBRACK)
_RBRACK_RE = re.compile(lexicon.RBRACK)
_LBRACE_RE = re.compile(lexicon.LBRACE)
_RBRACE_RE = re.compile(lexicon.RBRACE)
_RPAREN_RE = re.compile(lexicon.RPAREN)
_KINDS: dict[str, Kind] = {"": "change", "+": "add", "++": "force_add", "~": "delete"}
_MAX_DEPTH = 100  # deeper nesting goes to the grammar (and its recursion guard)


class _Unsure(Exception):
    """Internal: the grammar must decide (an error, or a form this parser leaves to Lark)."""


class _Reader:
    __slots__ = ("depth", "pos", "text")

    def __init__(self, text: str, pos: int) -> None:
        self.text = text
        self.pos = pos
        self.depth = 0

    def take(self, pattern: re.Pattern[str]) -> str | None:
        match = pattern.match(self.text, self.pos)
        if match is None:
            return None
        self.pos = match.end()
        return match.group()

    def element(self) -> Any:
        # Lark tries the priority-2 FUNC_OPEN first; the other openers differ in their first
        # character (a CHUNK never starts with a quote, '[' or '{').
        opener = self.take(_FUNC_OPEN_RE)
        if opener is not None:
            return self.function(opener)
        chunk = self.take(_CHUNK_RE)
        if chunk is not None:
            return chunk_value(chunk)
        text = self.take(_QUOTED_RE)
        if text is not None:
            return quoted_value(text)
        if self.take(_LBRACK_RE) is not None:
            return self.container(self.element, _RBRACK_RE, list)
        if self.take(_LBRACE_RE) is not None:
            return self.container(self.pair, _RBRACE_RE, dict)
        raise _Unsure

    def container(self, item: Any, close: re.Pattern[str], kind: Any) -> Any:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise _Unsure
        items = []
        if self.take(close) is None:
            items.append(item())
            while self.take(_COMMA_RE) is not None:
                items.append(item())
            if self.take(close) is None:
                raise _Unsure
        self.depth -= 1
        return kind(items)

    def pair(self) -> tuple[Any, Any]:
        key = self.take(_DICT_KEY_RE)
        if key is None or self.take(_COLON_RE) is None:
            raise _Unsure
        return chunk_value(key), self.element()

    def arg(self) -> FunctionArg:
        kwarg = self.take(_KWARG_RE)
        if kwarg is not None:
            name = NAME_RE.match(kwarg)
            return FunctionArg(name.group(0) if name else "", self.element())
        return FunctionArg(None, self.element())

    def function(self, opener: str) -> Any:
        from confcompose.parsing._override_funcs import FunctionError, call_function

        name_match = NAME_RE.match(opener)
        name = name_match.group(0) if name_match else ""
        args: list[Any] = []
        kwargs: dict[str, Any] = {}
        for arg in self.container(self.arg, _RPAREN_RE, list):
            if arg.name is None:
                if kwargs:
                    raise _Unsure  # positional after keyword: the grammar says so
                args.append(drop_quote_marks(arg.value))
            elif arg.name in kwargs:
                raise _Unsure
            else:
                kwargs[arg.name] = drop_quote_marks(arg.value)
        try:
            return call_function(name, args, kwargs)
        except FunctionError:
            raise _Unsure from None


def parse(text: str) -> Parsed | None:
    """``(kind, key, package, value, hydra_text)`` as the grammar gives them, or ``None`` when
    the grammar must decide (errors included)."""
    try:
        return _parse(text)
    except (_Unsure, OverrideFailure, RecursionError):
        return None


def _parse(text: str) -> Parsed:
    # The prefix: '~', '+' or '++' (Lark lexes the pluses one at a time).
    pos = 0
    if text.startswith("~"):
        pos = 1
    elif text.startswith("++"):
        pos = 2
    elif text.startswith("+"):
        pos = 1
    kind = _KINDS[text[:pos]]
    reader = _Reader(text, pos)
    key = reader.take(_KEY_RE) or ""
    if "'" in key or '"' in key:
        key = canonical_key(split_key(key))
    package: str | None = None
    if text.startswith("@", reader.pos):
        reader.pos += 1
        package = reader.take(_PACKAGE_RE) or ""
    if reader.pos == len(text) and kind == "delete":
        return kind, key, package, NO_VALUE, None
    if reader.take(_EQUAL_RE) is None:
        raise _Unsure
    if reader.pos == len(text):
        value: Any = ""
    else:
        value = reader.element()
        if reader.take(_COMMA_RE) is not None:
            items = [value, reader.element()]
            while reader.take(_COMMA_RE) is not None:
                items.append(reader.element())
            value = ChoiceSweep(tuple(items), simple=True)
        if reader.pos != len(text):
            raise _Unsure
    value, hydra_text = finish_value(value)
    return kind, key, package, check_whole_value(value, 1), hydra_text
