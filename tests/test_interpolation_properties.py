"""Property tests for the ``${...}`` parser (fuzzing contract, round trip, fast path == Lark)."""

from __future__ import annotations

import math
from typing import Any

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from confcompose.errors import InterpolationSyntaxError
from confcompose.parsing.interpolation import (
    Call,
    Concat,
    Node,
    Select,
    Text,
    _parse_lark,
    _parse_simple,
    parse,
    render,
)

# Characters that matter to the grammar, so that random strings often parse.
GRAMMAR_ALPHABET = "${}[].:,'\"\\ ab01"
grammar_text = st.text(alphabet=GRAMMAR_ALPHABET, max_size=40)
any_text = st.one_of(st.text(max_size=40), grammar_text)

# Strings built from pieces of valid syntax, for the round trip.
_piece = st.sampled_from(
    [
        "${a}",
        "${.b[0]}",
        "${..c.${d}}",
        "${f:}",
        "${oc.env:X, 1_0}",
        '${f:\'q ${a}\',"x\\"y"}',
        "${f:[1,{k: v}],null,-inf,nan, a b }",
        "${f:${g:1.5e3}x,\\,\\ }",
        "\\${a}",
        "\\\\",
        "\\",
        "$",
        "{",
        "}",
        "'",
        " ",
        "x",
        "${f:'a\\\\'}",
        "${f:'\\\\${a}'}",
        "${f:'a\\\\\\'b'}",
        '${f:"\\\\\\"${a}\\\\"}',
    ]
)
valid_text = st.lists(_piece, max_size=6).map("".join)

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def norm(x: Any) -> Any:
    """Comparable form of an AST (NaN equals NaN, types matter, ``text`` ignored)."""
    if isinstance(x, float):
        return ("float", "nan" if math.isnan(x) else x)
    if isinstance(x, (Select, Call, Concat, Text)):
        return (type(x).__name__, [norm(getattr(x, k)) for k in x.__slots__ if k != "text"])
    if isinstance(x, (list, tuple)):
        return (type(x).__name__, [norm(v) for v in x])
    if isinstance(x, dict):
        return ("dict", [(norm(k), norm(v)) for k, v in x.items()])
    return (type(x).__name__, x)


def _parse_or_none(text: str) -> Node | None:
    try:
        return parse(text)
    except InterpolationSyntaxError:
        return None


@FAST
@given(any_text)
@example("${" * 200 + "}" * 200)
@example("${a.${b}" * 30)
def test_only_our_syntax_error_escapes(text: str) -> None:
    column = None
    try:
        node = parse(text)
    except InterpolationSyntaxError as e:
        column = e.column  # type: ignore[attr-defined]
    if column is not None:
        assert 1 <= column <= len(text) + 1
    else:
        assert isinstance(node, (Text, Select, Call, Concat))


@FAST
@given(st.one_of(valid_text, grammar_text))
@example(r"\\${a}\\")
@example(r"${f:'\'\\'}")
@example("${f:{1: a, x\\ y: [b]}}")
@example(r"${f:'a\\\'b'}")
def test_render_round_trip(text: str) -> None:
    node = _parse_or_none(text)
    assume(node is not None)
    assert node is not None
    again = parse(render(node))
    assert norm(again) == norm(node)


_key = st.text(alphabet="abzAZ019_-", min_size=1, max_size=4)


@st.composite
def simple_select(draw: st.DrawFn) -> str:
    dots = "." * draw(st.integers(0, 3))
    first = draw(_key)
    if draw(st.booleans()):
        first = f"[{first}]"
    rest = draw(st.lists(st.one_of(_key.map(lambda k: "." + k), _key.map("[{}]".format))))
    return "${" + dots + first + "".join(rest) + "}"


@FAST
@given(st.one_of(simple_select(), simple_select().map(lambda s: s[:-1] + " }"), grammar_text))
def test_fast_path_agrees_with_lark(text: str) -> None:
    fast = _parse_simple(text)
    if fast is None:  # not simple: nothing to compare (filtering would be slow)
        return
    slow = _parse_lark(text)
    assert norm(fast) == norm(slow)
    assert isinstance(slow, Select) and fast.text == slow.text == text


@FAST
@given(any_text)
def test_text_fast_path_agrees_with_lark(text: str) -> None:
    assume("${" not in text and text)
    assert parse(text) == _parse_lark(text)
