"""The regex fast path for plain resolver calls agrees with the Lark grammar."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from confcompose.parsing.interpolation import Call, _parse_lark, _parse_simple_call


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


def _agree(text: str) -> None:
    fast = _parse_simple_call(text)
    if fast is None:
        return
    slow = _parse_lark(text)
    assert isinstance(slow, Call)
    assert fast.name == slow.name
    assert len(fast.args) == len(slow.args)
    assert all(_same(x, y) for x, y in zip(fast.args, slow.args, strict=True)), (fast, slow)


tokens = st.text(alphabet="abeEfinINtrueflsaul0123456789_./%+-", min_size=1, max_size=8)


@settings(max_examples=500, deadline=None)
@given(st.lists(tokens, max_size=4), st.sampled_from(["f", "oc.env", "a_b.c-d"]))
def test_fast_call_agrees_with_grammar(args: list[str], name: str) -> None:
    _agree("${" + name + ":" + ",".join(args) + "}")


@pytest.mark.parametrize(
    "text",
    [
        "${oc.env:HOME,/tmp}",
        "${now:%Y-%m-%d}",
        "${f:1_000,.5,5.,-inf,NaN,0x10,1e3,+3,True,NULL}",
        "${f:}",
    ],
)
def test_fast_call_examples(text: str) -> None:
    assert _parse_simple_call(text) is not None
    _agree(text)


@pytest.mark.parametrize(
    "text", ["${f: a}", "${f:'a'}", "${f:[1]}", "${f:${x}}", "${f:a}x", "${f:a,,b}"]
)
def test_fast_call_declines(text: str) -> None:
    assert _parse_simple_call(text) is None


pieces = st.lists(
    st.sampled_from(
        [
            "x",
            "_",
            "/",
            " ",
            "$",
            "{",
            "}",
            ":",
            ".",
            "'",
            '"',
            "[",
            "]",
            "\\",
            "${a}",
            "${a.b}",
            "${..c}",
            "${l[0]}",
            "${oc.env:HOME,/tmp}",
            "${f:1,x}",
            "${",
            "}",
        ]
    ),
    max_size=8,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(pieces)
def test_fast_concat_agrees_with_grammar(text: str) -> None:
    from confcompose.parsing.interpolation import _parse_simple_concat

    fast = _parse_simple_concat(text)
    if fast is None:
        return
    assert fast == _parse_lark(text)


DOTTED = r"\$\{(\.*)([A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_\-]+)*)\}"


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(["${", "}", ".", "a", "Z_", "-", "9", "[0]", "é", "$", ":"]), max_size=8
    ).map("".join)
)
def test_dotted_reference_is_the_pattern(text: str) -> None:
    import re

    from confcompose.parsing import interpolation

    m = re.fullmatch(DOTTED, text)
    expected = None if m is None else (len(m.group(1)), tuple(m.group(2).split(".")))
    assert interpolation._dotted_by_hand(text) == expected  # a process's first texts
    assert interpolation._DOTTED.pattern == DOTTED
    saved = interpolation._read_by_hand[0]
    interpolation._read_by_hand[0] = interpolation._BY_HAND  # then the compiled pattern
    try:
        assert interpolation.dotted_reference(text) == expected
    finally:
        interpolation._read_by_hand[0] = saved
