"""The strict comparison must see every difference the differential suite relies on."""

from __future__ import annotations

import pytest

from .harness import mismatches, strict_equal

NAN = float("nan")


@pytest.mark.parametrize(
    ("actual", "expected", "equal"),
    [
        pytest.param({"a": 1, "b": [1, 2]}, {"b": [1, 2], "a": 1}, True, id="dict-order-ignored"),
        pytest.param(NAN, NAN, True, id="nan-equals-nan"),
        pytest.param([NAN], [NAN], True, id="nan-in-list"),
        pytest.param(1, True, False, id="int-vs-bool"),
        pytest.param(1, 1.0, False, id="int-vs-float"),
        pytest.param("1", 1, False, id="str-vs-int"),
        pytest.param(0.0, -0.0, False, id="zero-sign"),
        pytest.param(NAN, 1.0, False, id="nan-vs-number"),
        pytest.param([1], (1,), False, id="list-vs-tuple"),
        pytest.param({1: "a"}, {"1": "a"}, False, id="int-key-vs-str-key"),
        pytest.param({1: "a"}, {True: "a"}, False, id="int-key-vs-bool-key"),
        pytest.param({"a": {"b": 1}}, {"a": {"b": 1, "c": 2}}, False, id="missing-nested-key"),
        pytest.param([1, 2], [1, 2, 3], False, id="list-length"),
        pytest.param(None, {}, False, id="none-vs-empty-dict"),
    ],
)
def test_strict_equal(actual: object, expected: object, equal: bool) -> None:
    assert strict_equal(actual, expected) is equal
    assert strict_equal(expected, actual) is equal


def test_mismatch_paths_are_readable() -> None:
    found = mismatches({"a": [1, {"b": 2}], "x": 1}, {"a": [1, {"b": 2.0}], "y": 1})
    assert found == [
        "<root>['a'][1]['b']: type int != float (2 vs 2.0)",
        "<root>: unexpected key 'x' (str) = 1",
        "<root>: missing key 'y' (str) = 1",
    ]
