"""The fast YAML writer matches ruamel's output byte for byte wherever it writes at all."""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from confcompose import yaml_writer as cy


def _ruamel(data: Any) -> str:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.allow_unicode = True
    stream = io.StringIO()
    yaml.emit(cy._dump_events(data), stream)
    return stream.getvalue()


words = st.one_of(
    st.sampled_from(
        [
            "",
            "x",
            "db",
            "lr",
            "yes",
            "no",
            "null",
            "1e3",
            "0x10",
            "${a.b}",
            "a b",
            "http://h:80/p",
            "-x",
            "x-",
            "a: b",
            "#c",
            "a #b",
            "it's",
            "~",
            "",
            "[1]",
            "{a}",
            "a,b",
            "_t_",
            "ü",
            "$x",
            "@a",
            "(1)",
            "a:b",
            "1.0",
            "True",
            "010",
            "2024-01-01",
            " s",
            "s ",
        ]
    ),
    st.text(alphabet="ab:#-,[]{}$ '.@!&*|>%\"?", max_size=6),
    # Long values: ruamel folds them at spaces only (paths in site-packages have none).
    st.text(alphabet="ab/._-:#'", min_size=55, max_size=140),
    st.text(alphabet="ab/ ", min_size=55, max_size=140),
    st.text(alphabet="ab/' ", min_size=20, max_size=60),
    st.integers(min_value=10**40, max_value=10**80),
)
leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), words)
keys = st.one_of(
    words.filter(lambda s: s != ""),
    st.integers(),
    st.booleans(),
    st.text(alphabet="ab", min_size=20, max_size=64),  # long keys push values past the width
)
trees = st.recursive(
    leaves,
    lambda ch: st.lists(ch, max_size=3) | st.dictionaries(keys, ch, max_size=3),
    max_leaves=12,
)


@settings(max_examples=600, deadline=None)
@given(st.one_of(st.dictionaries(keys, trees, max_size=4), st.lists(trees, max_size=4)))
def test_fast_dump_matches_ruamel(data: Any) -> None:
    fast = cy._fast_dump(data)
    if fast is not None:
        assert fast == _ruamel(data)


@pytest.mark.parametrize(
    "data",
    [
        {
            "db": {"user": "omry", "port": 3306, "hosts": ["a", "b"], "opts": {}},
            "l": [{"a": 1, "b": [1, [2, 3]]}, []],
        },
        {
            "hydra": {
                "run": {"dir": "outputs/${now:%Y-%m-%d}/${now:%H-%M-%S}"},
                "job": {"name": "train", "chdir": False},
            }
        },
        ["model.learning_rate=0.01", "dataset.batch_size=64"],
        {"f": 0.001, "g": 1e-05, "h": float("inf"), "n": None, "t": True},
        {"path": "/root/.pyenv/versions/3.11.7/lib/python3.11/site-packages/pkg/conf" * 2},
        {"a" * 30: {"b" * 30: "c" * 60}, "l": ["d" * 90]},
        # an app run without overrides: `override_dirname: ''`
        {"hydra": {"job": {"override_dirname": "", "id": "???"}}, "": ["", "x"]},
        # an empty flow collection stays on the line of a key longer than the line (found by hypothesis)
        {10**76: [], 10**85: {}, "a": {10**90: []}},
    ],
)
def test_fast_dump_handles_typical_configs(data: Any) -> None:
    fast = cy._fast_dump(data)
    assert fast is not None
    assert fast == _ruamel(data)


# -- the regex-free checks agree with the patterns they stand in for ------------------------------

SCALAR_TEXT = st.text(
    alphabet=st.sampled_from(
        list("aZ_9$./()~^+=@{}[],:%*&!?|>'\"-# \t`\\é٣\u2028\x85\x00xbeEfinNA0123456789")
    ),
    max_size=12,
)


@given(SCALAR_TEXT)
def test_plain_safe_is_the_pattern(text: str) -> None:
    assert cy._plain_safe(text) is bool(cy._PLAIN_SAFE.fullmatch(text))
    assert cy._quotable(text) is bool(cy._QUOTABLE.fullmatch(text))


@given(st.one_of(SCALAR_TEXT, st.text(alphabet="0123456789._+-:\u0663eE", max_size=8)))
def test_number_prefilter_never_hides_a_number(text: str) -> None:
    from confcompose.parsing import yaml_scalars as ys

    if text.count(".") > 1 or not ys._NUMBER_CHARS.issuperset(text):
        assert not ys._INT_RE.fullmatch(text)
        assert not ys._FLOAT_RE.fullmatch(text)
    # The shortcuts for plain decimals type as the patterns do.
    if not text or text[0] not in "-+0123456789.":
        return
    try:
        if ys._INT_RE.fullmatch(text):
            expected: object = ys._to_int(text)
        elif ys._FLOAT_RE.fullmatch(text):
            expected = ys._to_float(text)
        else:
            expected = text
    except (ValueError, IndexError):  # "0b_" looks like an int but does not convert
        with pytest.raises((ValueError, IndexError)):
            ys.resolve_plain(text)
        return
    got = ys.resolve_plain(text)
    assert type(got) is type(expected) and (got == expected or got != got), text


@given(SCALAR_TEXT)
def test_printable_lines_are_literal_lines(text: str) -> None:
    if text.isprintable():
        assert cy._LITERAL_LINE.fullmatch(text)


@given(st.from_regex(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt \t].*)?", fullmatch=True))
def test_dates_pass_the_date_prefilter(text: str) -> None:
    assert text[:4].isdigit() and text[4:5] == "-"
    assert cy._needs_quotes(text)
