"""confcompose._typing.NamedTuple behaves as typing.NamedTuple for the core's records."""

from __future__ import annotations

import copy
import pickle
import typing
from typing import Any

import pytest

from confcompose import _typing
from confcompose.composition.defaults_list import DefaultsItem
from confcompose.location import Location


def _pair(base: Any) -> Any:
    class Rec(base):  # type: ignore[misc,valid-type]
        a: int
        b: str = "x"
        c: Any = None

        def both(self) -> str:
            return f"{self.a}{self.b}"

    return Rec


Ours, Theirs = _pair(_typing.NamedTuple), _pair(typing.NamedTuple)

CALLS: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    ("positional", (1, "y", 3), {}),
    ("defaults", (1,), {}),
    ("keywords", (), {"a": 1, "c": [2]}),
    ("mixed", (1,), {"c": 3}),
    ("missing", (), {}),
    ("too-many", (1, "y", 3, 4), {}),
    ("unknown", (1,), {"d": 2}),
    ("repeated", (1,), {"a": 2}),
]


@pytest.mark.parametrize(("args", "kwargs"), [pytest.param(a, k, id=i) for i, a, k in CALLS])
def test_construction_matches_typing(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    try:
        expected = Theirs(*args, **kwargs)
    except TypeError:
        with pytest.raises(TypeError):
            Ours(*args, **kwargs)
        return
    got = Ours(*args, **kwargs)
    assert tuple(got) == tuple(expected)
    assert repr(got).replace("Rec", "") == repr(expected).replace("Rec", "")
    assert got._asdict() == expected._asdict()
    assert got._replace(b="z") == expected._replace(b="z")
    assert got.both() == expected.both()
    assert (got.a, got.b, got.c) == (expected.a, expected.b, expected.c)


def test_class_attributes_match_typing() -> None:
    assert Ours._fields == Theirs._fields
    assert Ours._field_defaults == Theirs._field_defaults
    assert issubclass(Ours, tuple)
    assert Ours.__module__ == __name__
    with pytest.raises(AttributeError):
        Ours(1).a = 2  # type: ignore[misc]


@pytest.mark.parametrize(
    "value",
    [
        Location("f.yaml", 3, 4),
        Location(None, 0, None, "override", "a=1"),
        DefaultsItem("group", "db", "mysql", None, False, True, Location("c.yaml", 1, 1)),
    ],
    ids=["location", "override-location", "defaults-item"],
)
def test_core_records_pickle_copy_and_hash(value: Any) -> None:
    for same in (pickle.loads(pickle.dumps(value)), copy.copy(value), copy.deepcopy(value)):
        assert same == value and type(same) is type(value) and hash(same) == hash(value)


def test_default_before_required_is_refused() -> None:
    with pytest.raises(TypeError):

        class Bad(_typing.NamedTuple):  # type: ignore[misc]
            a: int = 1
            b: int  # type: ignore[misc]
