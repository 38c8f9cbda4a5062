"""The lexicon of the fast paths against the grammars' own terminals.

Every hand-written parser takes its token regexes from ``confcompose.parsing.lexicon``; the
Lark grammars are the reference. For each pair, strings drawn from one regex must fully match
the other, and on any text both must match the same prefix (the hand-written parsers and
the mode lexer match prefixes, so the order of alternatives matters too).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from confcompose.parsing import lexicon
from confcompose.parsing._lark import build

# (grammar file, start rule, terminal name, lexicon regex)
PAIRS = [
    ("override.lark", "override", "KEY", lexicon.KEY),
    ("override.lark", "override", "PACKAGE", lexicon.PACKAGE),
    ("override.lark", "override", "EQUAL", lexicon.EQUAL),
    ("override.lark", "override", "CHUNK", lexicon.CHUNK),
    ("override.lark", "override", "DICT_KEY", lexicon.DICT_KEY),
    ("override.lark", "override", "QUOTED", lexicon.QUOTED),
    ("override.lark", "override", "FUNC_OPEN", lexicon.FUNC_OPEN),
    ("override.lark", "override", "KWARG", lexicon.KWARG),
    ("override.lark", "override", "COMMA", lexicon.COMMA),
    ("override.lark", "override", "COLON", lexicon.COLON),
    ("override.lark", "override", "LBRACK", lexicon.LBRACK),
    ("override.lark", "override", "RBRACK", lexicon.RBRACK),
    ("override.lark", "override", "LBRACE", lexicon.LBRACE),
    ("override.lark", "override", "RBRACE", lexicon.RBRACE),
    ("override.lark", "override", "RPAREN", lexicon.RPAREN),
    ("interpolation.lark", "start", "FLOAT", lexicon.FLOAT),
    ("interpolation.lark", "start", "INT", lexicon.INT),
    ("interpolation.lark", "start", "BOOL", lexicon.BOOL),
    ("interpolation.lark", "start", "NULL", lexicon.NULL),
    ("interpolation.lark", "start", "ID", lexicon.ID),
    ("interpolation.lark", "start", "INTER_KEY", lexicon.INTER_KEY),
]
IDS = [name for _, _, name, _ in PAIRS]

# The fast paths' narrower tokens: every string they accept is one token of the grammar.
SUBSETS = [
    ("override.lark", "override", "KEY", lexicon.PLAIN_KEY),
    ("override.lark", "override", "CHUNK", lexicon.PLAIN_TOKEN),
    ("interpolation.lark", "start", "INTER_KEY", lexicon.SELECT_KEY),
]

# Characters that matter to the terminals, so that drawn suffixes often extend a match.
SUFFIX = st.text(alphabet="aZ_$09.'\"/-=@:,()[]{}\\ \tEe+", max_size=6)


@cache
def _terminal(grammar: str, start: str, name: str) -> str:
    parser = build(grammar, start)
    (term,) = (t for t in parser.terminals if t.name == name)
    return str(term.pattern.to_regexp())


def _agree(grammar_rx: str, lexicon_rx: str, text: str) -> None:
    ours, theirs = re.match(lexicon_rx, text), re.match(grammar_rx, text)
    assert (ours and ours.end()) == (theirs and theirs.end()), text


@pytest.mark.parametrize(("grammar", "start", "name", "regex"), PAIRS, ids=IDS)
@settings(max_examples=80, deadline=None)
@given(data=st.data())
def test_lexicon_and_grammar_accept_the_same_tokens(
    data: st.DataObject, grammar: str, start: str, name: str, regex: str
) -> None:
    reference = _terminal(grammar, start, name)
    from_grammar = data.draw(st.from_regex(reference, fullmatch=True), "from grammar")
    assert re.fullmatch(regex, from_grammar), from_grammar
    from_lexicon = data.draw(st.from_regex(regex, fullmatch=True), "from lexicon")
    assert re.fullmatch(reference, from_lexicon), from_lexicon
    suffix = data.draw(SUFFIX, "suffix")
    _agree(reference, regex, from_grammar + suffix)
    _agree(reference, regex, from_lexicon + suffix)


@pytest.mark.parametrize(("grammar", "start", "name", "regex"), SUBSETS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_fast_path_tokens_are_grammar_tokens(
    data: st.DataObject, grammar: str, start: str, name: str, regex: str
) -> None:
    text = data.draw(st.from_regex(regex, fullmatch=True))
    assert re.fullmatch(_terminal(grammar, start, name), text), text


def test_the_key_segment_is_written_once_in_the_grammar() -> None:
    text = (Path(__file__).resolve().parent.parent / "grammar" / "override.lark").read_text()
    assert text.count("[A-Za-z_$][A-Za-z0-9_\\-$]*") == 1
    assert text.count("0|[1-9](_?[0-9])*") == 1


@pytest.mark.parametrize(
    "text",
    ["0", "1.5", "1.", ".5", "1e5", "1_000", "+1.5e-3", "inf", "-NaN", "1__0", "01", "1.5.5"],
)
def test_number_tokens_match_as_the_grammar_does(text: str) -> None:
    for name, regex in (("FLOAT", lexicon.FLOAT), ("INT", lexicon.INT)):
        _agree(_terminal("interpolation.lark", "start", name), regex, text)


def test_the_escapes_are_the_special_characters() -> None:
    for char in map(chr, range(128)):
        escaped = re.fullmatch(lexicon.ESCAPE, "\\" + char) is not None
        assert escaped == (char in lexicon.SPECIAL_CHARS), repr(char)


@pytest.mark.parametrize(
    ("chars", "regex"),
    [
        pytest.param(lexicon.SELECT_KEY_CHARS, lexicon.SELECT_KEY, id="SELECT_KEY"),
        pytest.param(lexicon.PLAIN_ARG_CHARS, lexicon.PLAIN_ARG, id="PLAIN_ARG"),
        pytest.param(
            lexicon.ID_FIRST_CHARS, lexicon.ID[: lexicon.ID.index("]") + 1], id="ID-first"
        ),
        pytest.param(lexicon.ID_CHARS, lexicon.ID[lexicon.ID.index("]") + 1 :], id="ID-rest"),
    ],
)
def test_character_sets_are_their_classes(chars: frozenset[str], regex: str) -> None:
    pattern = re.compile(regex)
    for code in range(0x3000):
        c = chr(code)
        assert (c in chars) is bool(pattern.fullmatch(c)), repr(c)
