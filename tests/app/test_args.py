"""The app's command line: the flag-free fast path agrees with argparse's parse."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from confcompose.app.args import FLAG_DEFAULTS, UsageError, app_parser, parse_app_args


def _argparse(argv: list[str]) -> dict[str, object]:
    return vars(app_parser("app.py").parse_intermixed_args(argv))


def test_flag_defaults_match_the_parser() -> None:
    expected = _argparse([])
    del expected["overrides"]
    assert expected == FLAG_DEFAULTS


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        pytest.param([], {"overrides": []}, id="empty"),
        pytest.param(["a=1", "+b=2", "~c"], {"overrides": ["a=1", "+b=2", "~c"]}, id="overrides"),
        pytest.param(["x=-1", ""], {"overrides": ["x=-1", ""]}, id="negative-value-and-empty"),
        pytest.param(["-m", "a=1,2"], {"overrides": ["a=1,2"], "multirun": True}, id="multirun"),
        pytest.param(
            ["a=1", "--cfg", "job", "b=2"],
            {"overrides": ["a=1", "b=2"], "cfg": "job"},
            id="flag-between-overrides",
        ),
        pytest.param(["--", "a=1"], {"overrides": ["a=1"]}, id="double-dash"),
        pytest.param(["--nope"], UsageError, id="unknown-flag"),
        pytest.param(["--cfg", "everything"], UsageError, id="bad-choice"),
    ],
)
def test_parse_app_args(argv: list[str], expected: dict[str, object] | type[Exception]) -> None:
    if isinstance(expected, type):
        with pytest.raises(expected):
            parse_app_args("app.py", argv)
        return
    got = vars(parse_app_args("app.py", argv))
    assert got == {**FLAG_DEFAULTS, **expected}
    assert got == _argparse(argv)


@given(st.lists(st.text(min_size=0, max_size=12).filter(lambda s: not s.startswith("-"))))
def test_fast_path_equals_argparse(argv: list[str]) -> None:
    assert vars(parse_app_args("app.py", argv)) == _argparse(argv)
