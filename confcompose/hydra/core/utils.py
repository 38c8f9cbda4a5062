"""``hydra.core.utils``: ``JobReturn`` and ``JobStatus`` (what callbacks and launchers see)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from enum import Enum
from typing import Any


class JobStatus(Enum):
    """How a job ended.

    The app layer's results say ``"completed"``/``"failed"``; the members compare equal to those
    strings, so a Hydra callback's ``job_return.status == JobStatus.COMPLETED`` holds.

    >>> "completed" == JobStatus.COMPLETED, JobStatus.FAILED == "completed"
    (True, False)
    """

    UNKNOWN = 0
    COMPLETED = 1
    FAILED = 2

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str):
            return other.upper() == self.name
        return self is other

    def __hash__(self) -> int:
        return hash(self.name)


class JobReturn:
    """One job's result; ``return_value`` re-raises the job's exception when it failed."""

    def __init__(
        self,
        overrides: Sequence[str] | None = None,
        cfg: Any = None,
        hydra_cfg: Any = None,
        working_dir: str | None = None,
        task_name: str | None = None,
        status: JobStatus = JobStatus.UNKNOWN,
        _return_value: Any = None,
    ) -> None:
        self.overrides = overrides
        self.cfg = cfg
        self.hydra_cfg = hydra_cfg
        self.working_dir = working_dir
        self.task_name = task_name
        self.status = status
        self._return_value = _return_value

    def __repr__(self) -> str:
        return f"JobReturn(overrides={self.overrides!r}, status={self.status})"

    @property
    def return_value(self) -> Any:
        """The task's return value, or its exception raised again."""
        if self.status == JobStatus.UNKNOWN:
            raise ValueError("return_value not yet available")
        if self.status == JobStatus.COMPLETED:
            return self._return_value
        sys.stderr.write(f"Error executing job with overrides: {self.overrides}{os.linesep}")
        raise self._return_value

    @return_value.setter
    def return_value(self, value: Any) -> None:
        self._return_value = value


def filter_overrides(overrides: Sequence[str]) -> list[str]:
    """``overrides`` without the ones of the ``hydra.`` node."""
    return [o for o in overrides if not o.startswith("hydra.")]


__all__ = ["JobReturn", "JobStatus", "filter_overrides"]
