"""libyaml (ruamel.yaml's C extension) and the pure-Python parser build identical configs."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from confcompose.errors import YAMLError
from confcompose.parsing import yaml as cy

pytest.importorskip("_ruamel_yaml")


def _load(text: str, pure: bool, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("CONFCOMPOSE_PURE_YAML", "1" if pure else "0")
    try:
        node = cy.load_text(text, "f.yaml")
    except YAMLError as e:
        return ("error", str(e))
    return _plain(node)


def _plain(node: Any) -> Any:
    # Values, types and locations: both parsers must agree on all three.
    if hasattr(node, "_content"):
        content = node._content
        items = content.items() if isinstance(content, dict) else enumerate(content)
        # An empty value has no extent: libyaml marks it right after the ':', ruamel's pure
        # parser at the end of the line. Nulls are compared without their location.
        return [
            (k, type(v).__name__, _plain(v), None if v is None else node._origins[k])
            for k, v in items
        ]
    return node


SAMPLES = [
    "a: 1\nb: [1, 2.5, yes, ~, '3']\nc:\n  d: {x: 010, y: 0x1F, z: 1e3}\n",
    "a: &x {k: v}\nb: *x\nc:\n  <<: *x\n  k2: v2\n",
    "s: |\n  line one\n  line two\nf: >\n  folded\n  text\n",
    "- 1\n- - 2\n  - 3\n- {a: [4]}\n",
    "a: 1\na: 2\n",
    "a: [1\n",
    "a: !!python/object:os.system x\n",
    "k: 'it''s'\nq: \"a\\tb\"\nu: ünï\n",
    "",
    "# only a comment\n",
    "a: 2024-01-01\nb: 1:30\nc: .inf\nd: -.NaN\ne: +.5\n",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_parsers_agree(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _load(text, False, monkeypatch) == _load(text, True, monkeypatch)


fragments = st.lists(
    st.sampled_from(
        [
            "a",
            "b",
            ":",
            " ",
            "\n",
            "- ",
            "[",
            "]",
            "{",
            "}",
            ",",
            "'",
            '"',
            "1",
            "0x1",
            "yes",
            "~",
            "&x ",
            "*x",
            "#",
            "\t",
            "|",
            ">",
            "  ",
            "!!str ",
            "<<",
        ]
    ),
    max_size=14,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(fragments)
def test_parsers_agree_on_fragments(text: str) -> None:
    # Where the reference (pure) parser reads a document, libyaml reads the same config. On
    # some malformed text libyaml is more lenient (it accepts "|#", say); a known limit.
    with pytest.MonkeyPatch.context() as mp:
        pure = _load(text, True, mp)
        fast = _load(text, False, mp)
    if not (isinstance(pure, tuple) and pure[0] == "error"):
        assert fast == pure
