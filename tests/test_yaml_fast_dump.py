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
        # an empty flow collection stays on the line of a key longer than the line (found by hypothesis)
        {10**76: [], 10**85: {}, "a": {10**90: []}},
    ],
)
def test_fast_dump_handles_typical_configs(data: Any) -> None:
    fast = cy._fast_dump(data)
    assert fast is not None
    assert fast == _ruamel(data)
