"""A tab or a syntax error in a large file costs a re-read of one top-level entry, not of the
whole file with the pure-Python parser; the result and the message stay the reference's."""

from __future__ import annotations

from typing import Any

import pytest

import confcompose as cc
from confcompose.parsing import yaml as cy

pytestmark = pytest.mark.skipif(cy._c_parser() is None, reason="needs ruamel's C extension")

BODY = "".join(f"k{i}:\n  a: {i}\n  b: [1, 2, 3]\n  c: 'text {i}'\n" for i in range(40))

DOCS = [
    pytest.param(BODY + "z:\n\tq: 1\n", id="tab-indent-at-end"),
    pytest.param("z:\n\tq: 1\n" + BODY, id="tab-indent-at-start"),
    pytest.param(BODY + "z: 'a\tb'\n", id="tab-in-single-quotes"),
    pytest.param(BODY + 'z: "a\tb"\n', id="tab-in-double-quotes"),
    pytest.param(BODY + "z:\t1\n", id="tab-after-colon"),
    pytest.param(BODY + "z: a\tb\n", id="tab-inside-plain"),
    pytest.param(BODY + "z: a\t\n", id="tab-trailing-plain"),
    pytest.param(BODY + "z: 1 #\tcomment\n", id="tab-in-comment"),
    pytest.param("#\tprelude comment\n" + BODY, id="tab-in-prelude-comment"),
    pytest.param(BODY + "z: |\n  a\tb\n  c\n", id="tab-in-literal-block"),
    pytest.param(BODY + "z: >\n  a\tb\n  c\n", id="tab-in-folded-block"),
    pytest.param(BODY + "z: [1,\t2]\n", id="tab-in-flow"),
    pytest.param("a: &x 1\n" + BODY + "z: [*x,\t2]\n", id="tab-with-alias-to-earlier-anchor"),
    pytest.param(BODY + "z: [1, 2\n", id="unclosed-flow-at-end"),
    pytest.param("x: [1\n" + BODY, id="unclosed-flow-at-start"),
    pytest.param(BODY + "z:\n  a: 1\n b: 2\n", id="bad-indent"),
    pytest.param(BODY + "z: 'unterminated\n", id="unterminated-quote"),
    pytest.param(BODY + "z:\n\tq: 1\nw: [1\n", id="tab-then-syntax-error"),
    pytest.param("- a\n-\tb\n", id="root-list-with-tab"),
    pytest.param("{a: 1,\tb: 2}\n", id="flow-root-with-tab"),
    pytest.param(BODY + "k0: dup\n", id="duplicate-key"),
    pytest.param(BODY + "z: a\tb\nk0: dup\n", id="tab-and-duplicate-key"),
]


def _outcome(fn: Any, text: str) -> Any:
    try:
        return ("value", cc.to_container(fn(text, "f.yaml")))
    except cc.ConfigError as e:
        return ("error", str(e))


@pytest.mark.parametrize("text", DOCS)
def test_same_value_or_message_as_the_pure_parser(text: str) -> None:
    assert _outcome(cy._build, text) == _outcome(cy._build_pure, text)


@pytest.mark.parametrize(
    "tail",
    ["z:\n\tq: 1\n", "z: [1, 2\n", "z: 'a\tb'\n", "z:\t1\n"],
    ids=["tab-indent", "syntax-error", "tab-quoted", "tab-after-colon"],
)
def test_a_large_file_is_not_reparsed_whole(monkeypatch: pytest.MonkeyPatch, tail: str) -> None:
    expected = _outcome(cy._build_pure, BODY + tail)

    def refuse(text: str, file: str | None) -> Any:
        raise AssertionError("the whole file was parsed again with the pure parser")

    monkeypatch.setattr(cy, "_build_pure", refuse)
    assert _outcome(cy._build, BODY + tail) == expected
