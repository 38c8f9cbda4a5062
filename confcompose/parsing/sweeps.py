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

:func:`iter_sweep` gives the same jobs lazily: its length is known at once, and the jobs are
made one at a time (``range()`` axes are never listed), so a long sweep starts at once and
runs in constant memory. A sweep may have at most :func:`max_sweep_size` jobs (10,000,000
unless ``CONFCOMPOSE_MAX_SWEEP_SIZE`` says otherwise); a larger one is an :class:`OverrideError`.

>>> jobs = iter_sweep(["a=range(1000000)", "b=x,y"])
>>> len(jobs), next(iter(jobs))
(2000000, ['a=0', 'b=x'])
"""

from __future__ import annotations

import fnmatch
import random
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from confcompose.errors import OverrideError
from confcompose.location import Location
from confcompose.parsing._override_funcs import (
    MAX_SWEEP_SIZE,
    SWEEP_SIZE_ENV,
    FunctionError,
    max_sweep_size,
    range_size,
    range_values,
)
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

__all__ = [
    "MAX_SWEEP_SIZE",
    "SWEEP_SIZE_ENV",
    "SweepJobs",
    "expand_sweep",
    "iter_sweep",
    "range_values",
]

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


class _RangeAxis:
    """One ``key=range(...)`` axis, listed on demand (each iteration starts again)."""

    def __init__(self, key: str, sweep: RangeSweep) -> None:
        self.key = key
        self.sweep = sweep
        self.size = range_size(sweep)

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[list[str]]:
        key = self.key
        for value in range_values(self.sweep):
            yield [f"{key}={format_value(value)}"]


Axis = Sequence[list[str]] | _RangeAxis


class SweepJobs:
    """The jobs of a sweep, made lazily: ``len()`` at once, one job per step of the iteration.

    Axes are iterated as nested loops (the first axis outermost, as ``itertools.product``, which
    would list every axis first); each job is a fresh list of override strings.
    """

    def __init__(self, axes: Sequence[Axis]) -> None:
        self.axes = list(axes)

    def __len__(self) -> int:
        total = 1
        for axis in self.axes:
            total *= len(axis)
        return total

    def __iter__(self) -> Iterator[list[str]]:
        if len(self) == 0:
            return iter(())
        return self._product(0)

    def _product(self, depth: int) -> Iterator[list[str]]:
        if depth == len(self.axes):
            yield []
            return
        for choice in self.axes[depth]:
            for rest in self._product(depth + 1):
                yield [*choice, *rest]


def _hydra_texts(override: Override) -> tuple[str, ...] | None:
    """The items of ``a=1,'x y'`` as Hydra writes them back: quoted ones keep their quotes."""
    texts = getattr(override, "hydra_text", None)
    sweep = override.value
    if (
        isinstance(texts, tuple)
        and isinstance(sweep, ChoiceSweep)
        and sweep.simple
        and not sweep.shuffle
        and len(texts) == len(sweep.items)
    ):
        return texts
    return None


def iter_sweep(
    overrides: Sequence[str | Override],
    options: Options | None = None,
    *,
    rng: random.Random | None = None,
    max_size: int | None = None,
) -> SweepJobs:
    """The jobs of a basic sweep, lazily (see :func:`expand_sweep` for the arguments).

    ``max_size`` (default :func:`max_sweep_size`) bounds the number of jobs.

    >>> try:
    ...     iter_sweep(["a=1,2,3", "b=range(10)"], max_size=20)
    ... except OverrideError as e:
    ...     print(e.msg)  # doctest: +ELLIPSIS
    the sweep has 30 jobs, more than the maximum sweep size 20 (set CONFCOMPOSE_MAX_SWEEP_SIZE...
    """
    parsed = [
        o if isinstance(o, Override) else parse_override(o, i) for i, o in enumerate(overrides)
    ]
    # Each axis lists choices; a choice is the override strings one job gets from it.
    axes: dict[str, Axis] = {}
    zips: dict[frozenset[str], dict[str, tuple[Override, list[str]]]] = {}
    first_sweep: Override | None = None
    for override in parsed:
        key = override.key_element()
        sweep = override.value
        if override.is_sweep() and first_sweep is None:
            first_sweep = override
        if isinstance(sweep, ZipSweep):
            group = zips.setdefault(sweep.tags, {})
            items = [f"{key}={format_value(v)}" for v in _values(override, options, rng)]
            group[key] = (override, items)
            axes.setdefault(f"\0zip{sorted(sweep.tags)}", [])
        elif isinstance(sweep, RangeSweep) and not sweep.shuffle:
            axes[key] = _RangeAxis(key, sweep)
        elif override.is_sweep():
            texts = _hydra_texts(override) or [
                format_value(v) for v in _values(override, options, rng)
            ]
            axes[key] = [[f"{key}={text}"] for text in texts]
        else:
            text = getattr(override, "hydra_text", None)
            axes[key] = [[f"{key}={text}" if isinstance(text, str) else override.render()]]
    for tags, group in zips.items():
        axes[f"\0zip{sorted(tags)}"] = _zip_axis(list(group.values()))
    jobs = SweepJobs(list(axes.values()))
    try:
        limit = max_sweep_size() if max_size is None else max_size
    except FunctionError as e:
        raise OverrideError(str(e)) from None
    size = len(jobs)
    if size > limit:
        where = first_sweep or parsed[0]
        raise _error(
            where,
            f"the sweep has {size} jobs, more than the maximum sweep size {limit} "
            f"(set {SWEEP_SIZE_ENV} to raise it)",
        )
    return jobs


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
    return list(iter_sweep(overrides, options, rng=rng))


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
