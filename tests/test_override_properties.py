"""Property tests: render/parse round trip, no foreign exceptions, fast path == grammar."""

from __future__ import annotations

import math
import string
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from confcompose.errors import OverrideSyntaxError
from confcompose.parsing.overrides import (
    NO_VALUE,
    ChoiceSweep,
    GlobSweep,
    IntervalSweep,
    ListExtension,
    Override,
    RangeSweep,
    ZipSweep,
    _fast,
    _parse_grammar,
    canonical_key,
    chunk_value,
    escape,
    parse_override,
)

# ---- strategies ---------------------------------------------------------------------------

ident = st.from_regex(r"[A-Za-z_$][A-Za-z0-9_$-]{0,6}", fullmatch=True)
group_id = st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,6}", fullmatch=True)
int_segment = st.integers(0, 999).map(str)
quoted_segment = st.text(alphabet=string.ascii_letters + "._ -:/@=", min_size=1, max_size=6)

dotted_key = st.lists(st.one_of(ident, int_segment, quoted_segment), min_size=1, max_size=4)
group_key = st.lists(group_id, min_size=2, max_size=3).map("/".join)
keys = st.one_of(
    dotted_key.map(canonical_key),
    group_key,
    st.just(""),
)
packages = st.one_of(st.none(), st.just(""), st.lists(ident, min_size=1, max_size=3).map(".".join))

floats = st.floats(allow_nan=True, allow_infinity=True)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    floats,
    st.text(max_size=12),
    st.sampled_from(["${a.b}", "x_${a:b,c}", "1", "true", "null", "inf", " x ", "a,b", "'"]),
)


def _dict_key_ok(key: str) -> bool:
    esc = escape(key)
    return (
        bool(key) and ":" not in key and chunk_value(esc) == key and type(chunk_value(esc)) is str
    )


dict_keys = st.one_of(
    st.integers(-100, 100),
    st.text(alphabet=string.ascii_letters + string.digits + "_ ,.-[]", max_size=6).filter(
        _dict_key_ok
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(dict_keys, inner, max_size=3)
    ),
    max_leaves=8,
)
tags = st.frozensets(ident, max_size=2)
numbers = st.one_of(st.integers(-50, 50), st.floats(-50, 50, allow_nan=False).map(lambda f: f))
nonzero = st.one_of(
    st.integers(-5, 5).filter(bool), st.floats(-5, 5).filter(lambda f: abs(f) > 1e-3)
)


@st.composite
def choices(draw: Any) -> ChoiceSweep:
    simple = draw(st.booleans())
    items = draw(st.lists(values, min_size=2 if simple else 1, max_size=4))
    if not simple:
        items = [v for v in items if v is not None] or [1]
    tagset = frozenset() if simple else draw(tags)
    return ChoiceSweep(tuple(items), simple, draw(st.booleans()), tagset)


sweeps = st.one_of(
    choices(),
    st.builds(RangeSweep, numbers, numbers, nonzero, st.booleans(), tags),
    st.builds(IntervalSweep, floats, floats, tags),
    st.builds(IntervalSweep, st.integers(-9, 9), st.integers(-9, 9), tags),
    st.builds(
        GlobSweep,
        st.lists(st.text(max_size=5), max_size=3).map(tuple),
        st.lists(st.text(max_size=5), max_size=2).map(tuple),
        tags,
    ),
    st.builds(ZipSweep, st.lists(values, min_size=1, max_size=3).map(tuple), tags),
    st.builds(ListExtension, st.lists(values, max_size=3).map(tuple)),
)


@st.composite
def overrides(draw: Any) -> Override:
    kind = draw(st.sampled_from(["change", "add", "force_add", "delete"]))
    value = draw(st.one_of(values, sweeps))
    if kind == "delete" and draw(st.booleans()):
        value = NO_VALUE
    return Override(kind, draw(keys), draw(packages), value, "")


# ---- properties -------------------------------------------------------------------------


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(overrides())
def test_render_parses_back(override: Override) -> None:
    text = override.render()
    assert parse_override(text) == override, text
    assert _parse_grammar(text) == override, text


GRAMMARISH = st.sampled_from([*"ab1_=.,[]{}()'\"\\ :$+~@/-*\t", "choice(", "${x}", "range("])


@settings(max_examples=300)
@given(st.one_of(st.text(max_size=40), st.lists(GRAMMARISH, max_size=25).map("".join)))
def test_any_text_parses_or_raises_syntax_error(text: str) -> None:
    error: OverrideSyntaxError | None = None
    try:
        result = parse_override(text)
    except OverrideSyntaxError as e:
        error = e
    if error is None:
        assert isinstance(result, Override)
    else:
        assert error.location is not None and error.location.detail == text
        assert error.context is not None and error.context.startswith(text)


fast_values = st.one_of(
    st.text(alphabet=string.ascii_letters + string.digits + "_-/+.$%*@?|:", max_size=10),
    st.integers().map(str),
    st.floats().map(str),
    st.sampled_from(["1_000", "1e-3", ".5", "1.", "TRUE", "NuLL", "-inf", "nan", "007", "+5"]),
)


@settings(max_examples=400)
@given(
    st.sampled_from(["", "+", "++", "~", "+++"]),
    st.one_of(dotted_key.map(".".join), group_key, ident),
    fast_values,
)
def test_fast_path_agrees_with_grammar(prefix: str, key: str, value: str) -> None:
    text = f"{prefix}{key}={value}"
    fast = _fast(text, 0)
    if fast is None:
        return
    grammar = _parse_grammar(text)
    assert fast == grammar
    if isinstance(fast.value, float) and math.isnan(fast.value):
        assert math.isnan(grammar.value)


@settings(max_examples=400)
@given(
    st.sampled_from(["", "+", "++"]),
    st.one_of(dotted_key.map(".".join), group_key, ident),
    st.lists(fast_values, min_size=1, max_size=4),
    st.booleans(),
)
def test_fast_sweeps_and_lists_agree_with_grammar(
    prefix: str, key: str, items: list[str], as_list: bool
) -> None:
    body = f"[{','.join(items)}]" if as_list else ",".join(items)
    text = f"{prefix}{key}={body}"
    fast = _fast(text, 0)
    if fast is None:
        return
    assert fast == _parse_grammar(text)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])  # from_lark is slow
@given(st.data())
def test_strings_from_the_grammar(data: st.DataObject) -> None:
    """Deeply structured texts drawn from override.lark itself: an Override or our error."""
    from hypothesis.extra.lark import from_lark

    from confcompose.parsing._lark import build

    text = data.draw(from_lark(build("override.lark", "override"), start="override"))
    error: OverrideSyntaxError | None = None
    try:
        result = parse_override(text)
    except OverrideSyntaxError as e:  # unknown function names, bad arguments, nested sweeps
        error = e
    if error is None:
        assert parse_override(result.render()) == result
    else:
        assert error.location is not None
