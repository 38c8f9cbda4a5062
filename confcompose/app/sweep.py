"""The basic sweeper: sweep overrides (command line + ``hydra.sweeper.params``) into job batches.

>>> BasicSweeper(max_batch_size=2).batches(["a=1,2", "b=x,y"])
[[['a=1', 'b=x'], ['a=1', 'b=y']], [['a=2', 'b=x'], ['a=2', 'b=y']]]
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import confcompose
from confcompose import ConfigError, OverrideError
from confcompose.app.args import is_hydra_key

_T = TypeVar("_T")

if TYPE_CHECKING:
    from confcompose.parsing.sweeps import SweepJobs


def compose_hydra_values(
    hydra: Any,
    overrides: Sequence[str],
    config_name: str | None,
    choices: Mapping[str, Any],
    *,
    job_name: str | None,
    version: str,
    version_base: str,
) -> None:
    """Fill the ``hydra`` node of a compose outside a job as Hydra does (mode RUN, the
    overrides split into task and hydra ones, runtime facts; ``job.name`` when unset)."""
    values: dict[str, Any] = {
        "mode": "RUN",
        "overrides.task": [o for o in overrides if not is_hydra_key(o)],
        "overrides.hydra": [o for o in overrides if is_hydra_key(o)],
        "job.config_name": config_name,
        "runtime.version": version,
        "runtime.version_base": version_base,
        "runtime.cwd": os.getcwd(),
        "runtime.choices": dict(choices),
    }
    if confcompose.is_missing(hydra, "job.name"):
        values["job.name"] = job_name
    for key, value in values.items():
        confcompose.update(hydra, key, value, merge=False, force_add=True)


def params_overrides(params: Mapping[str, Any] | None) -> list[str]:
    """``hydra.sweeper.params`` (``{key: "a,b"}``) as override strings, in order.

    >>> params_overrides({"db": "mysql,postgresql", "seed": 1})
    ['db=mysql,postgresql', 'seed=1']
    """
    if not params:
        return []
    out = []
    for key, value in params.items():
        if isinstance(value, bool):
            value = str(value).lower()
        elif value is None:
            value = "null"
        out.append(f"{key}={value}")
    return out


class Counted(Iterable[_T]):
    """Items made as they are iterated, with their number known up front (Hydra's launchers
    log "Launching N jobs" before the first job is composed), so a long batch is never held in
    memory."""

    __slots__ = ("_it", "_n")

    def __init__(self, items: Iterable[_T], n: int) -> None:
        self._it, self._n = iter(items), n

    def __len__(self) -> int:
        return self._n

    def __iter__(self) -> Iterator[_T]:
        return self._it


class BasicSweeper:
    """Cartesian product of the sweeps, in Hydra's order, split into ``max_batch_size`` batches."""

    def __init__(
        self, max_batch_size: int | None = None, params: Mapping[str, Any] | None = None
    ) -> None:
        if max_batch_size is not None and (
            not isinstance(max_batch_size, int) or max_batch_size < 1
        ):
            raise ConfigError(
                f"max_batch_size must be a positive integer or null, not {max_batch_size!r}",
                key_path="hydra.sweeper.max_batch_size",
            )
        self.max_batch_size = max_batch_size
        self.params = dict(params or {})

    def sweep(
        self, overrides: Sequence[str], options: Callable[[str], Sequence[str]] | None = None
    ) -> SweepJobs:
        """Every job's override list, lazily (config params first; the command line wins)."""
        from confcompose.parsing.sweeps import iter_sweep

        texts = [*params_overrides(self.params), *overrides]
        for text in texts:
            if is_hydra_key(text):
                from confcompose import parse_override

                if parse_override(text).is_sweep():
                    raise OverrideError(
                        f"sweeping over the hydra configuration is not supported: {text!r}"
                    )
        return iter_sweep(texts, options=options)

    def jobs(
        self, overrides: Sequence[str], options: Callable[[str], Sequence[str]] | None = None
    ) -> list[list[str]]:
        """Every job's override list, as a list (:meth:`sweep` makes them one at a time)."""
        return list(self.sweep(overrides, options))

    def iter_batches(self, jobs: SweepJobs) -> Iterator[Counted[list[str]]]:
        """``jobs`` in batches of at most ``max_batch_size`` (one batch when unset), lazily;
        each batch knows its size before its jobs are made."""
        it = iter(jobs)
        left = len(jobs)
        size = self.max_batch_size or max(left, 1)
        while left > 0:
            n = min(size, left)
            yield Counted(itertools.islice(it, n), n)
            left -= n

    def batches(
        self, overrides: Sequence[str], options: Callable[[str], Sequence[str]] | None = None
    ) -> list[list[list[str]]]:
        """:meth:`jobs` in batches of at most ``max_batch_size`` (one batch when unset)."""
        jobs = self.jobs(overrides, options)
        size = self.max_batch_size or max(len(jobs), 1)
        return [jobs[i : i + size] for i in range(0, len(jobs), size)]
