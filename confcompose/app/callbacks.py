"""Hydra-style callbacks: ``hydra.callbacks.<name>: {_target_: my.Callback, ...}``.

Each entry is instantiated (with :func:`confcompose.instantiate`) and its ``on_run_start`` /
``on_run_end``, ``on_multirun_start`` / ``on_multirun_end`` and ``on_job_start`` /
``on_job_end`` methods are called when present, as Hydra 1.3 calls them. End callbacks run in
reverse order and their exceptions are logged, not raised (so every callback gets its turn).
Job callbacks are instantiated where the job runs (in the worker process for parallel
launchers), so only their configs travel between processes.
"""

from __future__ import annotations

import logging
from typing import Any

import confcompose
from confcompose import ConfigError, DictNode

log = logging.getLogger(__name__)


def load_callbacks(hydra: DictNode) -> list[Any]:
    """The instantiated callbacks of ``hydra.callbacks`` (an empty list when there are none)."""
    conf = confcompose.select(hydra, "callbacks", default=None)
    if not conf:
        return []
    plain = confcompose.to_container(conf, resolve=True)
    if not isinstance(plain, dict):
        raise ConfigError(
            "must be a mapping of name -> {_target_: ...}", key_path="hydra.callbacks"
        )
    out = []
    for name, entry in plain.items():
        if not isinstance(entry, dict) or "_target_" not in entry:
            raise ConfigError("a callback needs a _target_", key_path=f"hydra.callbacks.{name}")
        out.append(confcompose.instantiate(entry))
    return out


def notify(callbacks: list[Any], method: str, *, end: bool = False, **kwargs: Any) -> None:
    """Call ``method`` on each callback that has it (reverse order, errors logged, for ends)."""
    for callback in reversed(callbacks) if end else callbacks:
        fn = getattr(callback, method, None)
        if fn is None:
            continue
        if not end:
            fn(**kwargs)
            continue
        try:
            fn(**kwargs)
        except Exception as e:  # an end callback must not hide the job's result
            log.warning("callback %s.%s failed: %s", type(callback).__name__, method, e)


def full_config(job: DictNode, hydra: DictNode) -> DictNode:
    """The config a callback receives: the job's keys and the ``hydra`` node, as in Hydra."""
    parent = hydra._parent
    return parent if isinstance(parent, DictNode) else job
