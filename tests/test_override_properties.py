"""Property tests: render/parse round trip, no foreign exceptions, fast path == grammar."""

from __future__ import annotations

import math
import string
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
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
    _parse_rd,
    canonical_key,
    chunk_value,
    escape,
    override_key,
    parse_override,
    split_override,
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


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(overrides())
def test_override_key_reads_the_key_of_rendered_overrides(override: Override) -> None:
    text = override.render()
    assert override_key(text) == override.key, text
    value = "" if override.value is NO_VALUE else override.value_text()
    assert split_override(text) == (override.key_element(), value), text


GRAMMARISH = st.sampled_from([*"ab1_=.,[]{}()'\"\\ :$+~@/-*\t", "choice(", "${x}", "range("])


@settings(max_examples=300)
@given(st.lists(GRAMMARISH, max_size=25).map("".join))
def test_key_split_without_quotes_is_the_pattern_split(text: str) -> None:
    # The quote-free shortcut of split_override/override_key gives what the key pattern gives.
    from confcompose.parsing.overrides import _key_element_re

    head = text.partition("=")[0]
    assume("'" not in head and '"' not in head)
    match = _key_element_re().match(text)
    if match is not None:
        assert split_override(text) == (text[: match.end()], text[match.end() + 1 :])
        assert override_key(text) == match.group(1)
    else:
        assert split_override(text) == tuple(text.split("=", 1)) + (("",) if "=" not in text else ())


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
        assert override_key(text) == result.key, text
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


# ---- the hand-written parser (lists, dicts, quotes, functions) == the grammar ---------------


def _rd_agrees(text: str) -> None:
    """Where the hand-written parser answers, the grammar gives the same override."""
    if "shuffle" in text:  # a new random order on every parse
        return
    mine = _parse_rd(text)
    if mine is None:
        return
    try:
        grammar = _parse_grammar(text)
    except OverrideSyntaxError as e:
        raise AssertionError(f"{text!r}: accepted without Lark, refused by the grammar: {e}") from e
    assert mine == grammar, text
    assert getattr(mine, "hydra_text", None) == getattr(grammar, "hydra_text", None), text
    assert repr(mine.value) == repr(grammar.value), text  # types and nan alike


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(overrides())
def test_hand_parser_agrees_on_rendered_overrides(override: Override) -> None:
    text = override.render()
    _rd_agrees(text)
    if override.kind != "delete" or override.value is not NO_VALUE:
        assert _parse_rd(text) is not None or "shuffle" in text or _fast(text, 0), text


@settings(max_examples=500)
@given(st.one_of(st.text(max_size=40), st.lists(GRAMMARISH, max_size=25).map("".join)))
def test_hand_parser_agrees_on_any_text(text: str) -> None:
    _rd_agrees(text)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])  # from_lark is slow
@given(st.data())
def test_hand_parser_agrees_on_strings_from_the_grammar(data: st.DataObject) -> None:
    from hypothesis.extra.lark import from_lark

    from confcompose.parsing._lark import build

    text = data.draw(from_lark(build("override.lark", "override"), start="override"))
    _rd_agrees(text)


COMPLEX = [
    "k=[1,2,3]",
    "k={lr:0.1,betas:[0.9,0.99],name:adam_1}",
    "k=range(1,21,2)",
    "k=choice(sgd,adam,lamb_1)",
    "k=interval(0.1,1.5)",
    "k='quoted, value 1'",
    "+k={x:[1,2,{y:3}]}",
    "++k=${trainer.max_epochs}",
    "model@cfg.slot=resnet_1",
    "~k",
    "~k=",
    "k=glob([res*,vit*],exclude=resnet_1)",
    "k=  [ a , 'b c' , \"d\" ]  ",
    "k=f(x=1)",
    "k=choice(1,x=2)",
    "k=range(1,2),3",
    "k=[choice(1,2)]",
    "k=tag(a,b,choice(1,2))",
    "k=sort(3,1,2)",
    "k=sort([3,1,2],reverse=true)",
    "k=extend_list(1,[2])",
    "k='a',b,\"c d\"",
    "k={a b:c, 1:2, \\::x}",
    "k=a:b",
    "k=x\\,y\\ ",
    "k=str(1),int(2.0)",
    "k=float(1)",
    "k=zip([1,2],[3,4])",
    "@pkg=x",
    "=x",
    "@=x",
    "a.'b.c'=[1]",
    "k=[1,",
    "k={a:}",
    "k=choice()",
    "k=choice(1,)",
    "k=(1)",
    "+++k=1",
    "~+k=1",
]


@pytest.mark.parametrize("text", COMPLEX)
def test_hand_parser_agrees_on_complex_forms(text: str) -> None:
    _rd_agrees(text)


def test_hand_parser_covers_the_benchmark_overrides() -> None:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "workloads" / "overrides.py"
    spec = importlib.util.spec_from_file_location("bench_overrides", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for text in module.complex_overrides(240, 7):
        assert _fast(text, 0) or _parse_rd(text) is not None, text
        _rd_agrees(text)


def _typed_by_patterns(text: str) -> Any:
    # typed_token as the lexicon's patterns alone define it (no shortcuts).
    import re

    from confcompose.parsing import lexicon

    if re.fullmatch(lexicon.FLOAT, text):
        return float(text)
    if re.fullmatch(lexicon.INT, text):
        return int(text)
    if re.fullmatch(lexicon.BOOL, text):
        return text.lower() == "true"
    if re.fullmatch(lexicon.NULL, text):
        return None
    return text


@settings(max_examples=400)
@given(
    st.one_of(
        st.text(alphabet="0123456789._+-eE", max_size=8),
        st.text(alphabet="trueTRUEfalsFALSnNiI\u0131\u212a0.", max_size=6),
        st.text(max_size=6),
    )
)
def test_typed_token_shortcuts_are_the_patterns(text: str) -> None:
    from confcompose.parsing.override_values import typed_token

    got, expected = typed_token(text), _typed_by_patterns(text)
    assert type(got) is type(expected), text
    assert got == expected or (got != got and expected != expected), text
