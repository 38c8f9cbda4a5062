"""``hydra.experimental.callback.Callback``: the base class of ``hydra.callbacks`` entries.

Every hook does nothing by default; subclasses override the ones they need. The app calls
them as Hydra 1.3 does (see :mod:`confcompose.app.callbacks`).
"""

from __future__ import annotations

from typing import Any


class Callback:
    """Hooks around runs, multiruns and each job; configure them under ``hydra.callbacks``."""

    def on_run_start(self, config: Any, **kwargs: Any) -> None:
        """Before a single run's job (in the launching process)."""

    def on_run_end(self, config: Any, **kwargs: Any) -> None:
        """After a single run's job."""

    def on_multirun_start(self, config: Any, **kwargs: Any) -> None:
        """Before the sweep's first job is launched."""

    def on_multirun_end(self, config: Any, **kwargs: Any) -> None:
        """After the sweep's last job returned."""

    def on_job_start(self, config: Any, *, task_function: Any, **kwargs: Any) -> None:
        """In the job's process, before the task function runs."""

    def on_job_end(self, config: Any, job_return: Any, **kwargs: Any) -> None:
        """In the job's process, after the task function returned or raised."""

    def on_compose_config(self, config: Any, config_name: str | None, overrides: Any) -> None:
        """After a config is composed (Hydra 1.3.3+; not called by confcompose)."""


__all__ = ["Callback"]
