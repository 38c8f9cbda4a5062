"""Expand sweep overrides into jobs, as Hydra's BasicSweeper does (plus zipped sweeps).

Each sweep (``a=1,2``, ``choice()``, ``range()``, ``glob()``) is one axis of a cartesian
product, in the order the keys first appear; a later override of the same key replaces the
earlier one's values but keeps its place. Plain overrides are repeated in every job.

Zipped sweeps (not in Hydra): every ``key=zip(...)`` override with the same tags (none, or
``tag(t, zip(...))``) advances together as one axis, placed where the first of them appears;
their lengths must match.

>>> expand_sweep(["a=1,2", "b=x", "c=range(2)"])
[['a=1', 'b=x', 'c=0'], ['a=1', 'b=x', 'c=1'], ['a=2', 'b=x', 'c=0'], ['a=2', 'b=x', 'c=1']]
>>> for job in expand_sweep(["lr=zip(0.1,0.01)", "seed=1,2", "bs=zip(32,64)"]):
...     print(job)
['lr=0.1', 'bs=32', 'seed=1']
['lr=0.1', 'bs=32', 'seed=2']
['lr=0.01', 'bs=64', 'seed=1']
['lr=0.01', 'bs=64', 'seed=2']
>>> expand_sweep(["db=glob(m*)"], options=lambda group: ["mysql", "mongo", "sqlite"])
[['db=mysql'], ['db=mongo']]
"""

from __future__ import annotations

import fnmatch
import itertools
import random
from collections.abc import Callable, Sequence
from typing import Any

from confcompose.errors import OverrideError
from confcompose.location import Location
from confcompose.parsing._override_funcs import range_values
from confcompose.parsing.overrides import (
    ChoiceSweep,
    GlobSweep,
    IntervalSweep,
    Override,
    RangeSweep,
    ZipSweep,
    format_value,
    parse_override,
)

__all__ = ["expand_sweep"]

Options = Callable[[str], Sequence[str]]


def _error(override: Override, msg: str) -> OverrideError:
    return OverrideError(
        msg, location=Location(None, override.index, None, "override", override.text)
    )


def _values(override: Override, options: Options | None, rng: random.Random | None) -> list[Any]:
    """The values a discrete sweep takes, in order (shuffled when it asks for it)."""
    sweep = override.value
    if isinstance(sweep, IntervalSweep):
        raise _error(
            override,
            "the basic sweeper cannot expand interval() sweeps; an optimizing sweeper can: "
            "hydra/sweeper=optuna (pip install 'confcompose[optuna]')",
        )
    if isinstance(sweep, GlobSweep):
        if options is None:
            raise _error(override, "glob() needs the options of the config group to expand")
        return [
            name
            for name in options(override.key)
            if any(fnmatch.fnmatch(name, p) for p in sweep.include)
            and not any(fnmatch.fnmatch(name, p) for p in sweep.exclude)
        ]
    if isinstance(sweep, RangeSweep):
        values: list[Any] = list(range_values(sweep))
    elif isinstance(sweep, (ChoiceSweep, ZipSweep)):
        values = list(sweep.items)
    else:  # pragma: no cover - every sweep type is handled above
        raise _error(override, f"cannot expand {type(sweep).__name__}")
    if getattr(sweep, "shuffle", False):
        (rng or random).shuffle(values)
    return values


def expand_sweep(
    overrides: Sequence[str | Override],
    options: Options | None = None,
    *,
    rng: random.Random | None = None,
) -> list[list[str]]:
    """Return the jobs of a basic sweep, each a list of plain override strings.

    ``options(group)`` lists a config group's options (needed by ``glob()``); ``rng`` drives
    ``shuffle()`` (default: the ``random`` module).

    >>> expand_sweep(["+db=a,b", "~x"])
    [['+db=a', '~x'], ['+db=b', '~x']]
    """
    parsed = [
        o if isinstance(o, Override) else parse_override(o, i) for i, o in enumerate(overrides)
    ]
    # Each axis is a list of choices; a choice is the override strings one job gets from it.
    axes: dict[str, list[list[str]]] = {}
    zips: dict[frozenset[str], dict[str, tuple[Override, list[str]]]] = {}
    for override in parsed:
        key = override.key_element()
        if isinstance(override.value, ZipSweep):
            group = zips.setdefault(override.value.tags, {})
            items = [f"{key}={format_value(v)}" for v in _values(override, options, rng)]
            group[key] = (override, items)
            axes.setdefault(f"\0zip{sorted(override.value.tags)}", [])
        elif override.is_sweep():
            items = [f"{key}={format_value(v)}" for v in _values(override, options, rng)]
            axes[key] = [[item] for item in items]
        else:
            axes[key] = [[override.render()]]
    for tags, group in zips.items():
        axes[f"\0zip{sorted(tags)}"] = _zip_axis(list(group.values()))
    return [[s for choice in job for s in choice] for job in itertools.product(*axes.values())]


def _zip_axis(members: list[tuple[Override, list[str]]]) -> list[list[str]]:
    first, first_items = members[0]
    for override, items in members[1:]:
        if len(items) != len(first_items):
            raise _error(
                override,
                f"zip() sweeps must have the same length: {first.key_element()!r} has "
                f"{len(first_items)} values, {override.key_element()!r} has {len(items)}",
            )
    return [list(values) for values in zip(*(items for _, items in members), strict=True)]
