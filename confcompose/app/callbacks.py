"""Hydra-style callbacks: ``hydra.callbacks.<name>: {_target_: my.Callback, ...}``.

Each entry is instantiated (with :func:`confcompose.instantiate`) and its ``on_run_start`` /
``on_run_end``, ``on_multirun_start`` / ``on_multirun_end`` and ``on_job_start`` /
``on_job_end`` methods are called when present, as Hydra 1.3.8 calls them. End callbacks run
in reverse order; a callback's exception becomes a warning (so every callback gets its turn).
Job callbacks are instantiated where the job runs (in the worker process for parallel
launchers), so only their configs travel between processes.
"""

from __future__ import annotations

import confcompose
from confcompose import ConfigError, DictNode

TYPE_CHECKING = False  # keep the typing module off the start-up path
if TYPE_CHECKING:
    from typing import Any

# Hydra's ready-made callbacks, served by the hydra facade (configs name them by Hydra's path).
_HYDRA_CALLBACKS = {
    f"hydra.experimental.callbacks.{name}": f"confcompose.hydra.experimental.callbacks.{name}"
    for name in ("LogJobReturnCallback", "PickleJobInfoCallback")
}


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
        target = entry["_target_"]
        if isinstance(target, str) and target in _HYDRA_CALLBACKS:
            entry = {**entry, "_target_": _HYDRA_CALLBACKS[target]}
        out.append(confcompose.instantiate(entry))
    return out


def notify(callbacks: list[Any], method: str, *, end: bool = False, **kwargs: Any) -> None:
    """Call ``method`` on each callback that has it (in reverse order for ends).

    A callback that raises is reported with a ``UserWarning`` in Hydra 1.3.8's words and the
    others still run: a callback never changes the run's result.
    """
    for callback in reversed(callbacks) if end else callbacks:
        fn = getattr(callback, method, None)
        if fn is None:
            continue
        try:
            fn(**kwargs)
        except Exception as e:
            import warnings

            warnings.warn(
                f"Callback {type(callback).__name__}.{method} raised {type(e).__name__}: {e}",
                stacklevel=2,
            )
