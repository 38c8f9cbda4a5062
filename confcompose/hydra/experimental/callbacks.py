"""``hydra.experimental.callbacks``: Hydra's ready-made callbacks.

``LogJobReturnCallback`` logs each job's result; ``PickleJobInfoCallback`` pickles each job's
config (``.hydra/config.pickle``, which ``--experimental-rerun`` takes) and result.
"""

from __future__ import annotations

import logging
import pickle
from pathlib import Path
from typing import Any

from confcompose.hydra.core.utils import JobStatus
from confcompose.hydra.experimental.callback import Callback

# Hydra's logger names, so log lines read the same as under hydra-core.
_LOGGER = "hydra.experimental.callbacks"


def _error(job_return: Any) -> Any:
    # Hydra's JobReturn keeps the exception in _return_value; the app's JobResult in error.
    error = getattr(job_return, "error", None)
    return error if error is not None else getattr(job_return, "_return_value", None)


class LogJobReturnCallback(Callback):
    """Log the job's return value (INFO) or its exception (ERROR) when the job ends."""

    def __init__(self) -> None:
        self.log = logging.getLogger(f"{_LOGGER}.{type(self).__name__}")

    def on_job_end(self, config: Any, job_return: Any, **kwargs: Any) -> None:
        """Log how the job ended."""
        if job_return.status == JobStatus.COMPLETED:
            self.log.info(f"Succeeded with return value: {job_return.return_value}")
        elif job_return.status == JobStatus.FAILED:
            self.log.error("", exc_info=_error(job_return))
        else:
            self.log.error("Status unknown. This should never happen.")


class PickleJobInfoCallback(Callback):
    """Pickle the job's config and result into its ``output_dir/.hydra`` folder."""

    output_dir: Path

    def __init__(self) -> None:
        self.log = logging.getLogger(f"{_LOGGER}.{type(self).__name__}")

    def on_job_start(self, config: Any, **kwargs: Any) -> None:
        """``config.pickle``: the whole config, ``hydra`` node included."""
        subdir = config.hydra.output_subdir
        self.output_dir = Path(config.hydra.runtime.output_dir) / str(subdir)
        self._save(config, "config.pickle")

    def on_job_end(self, config: Any, job_return: Any, **kwargs: Any) -> None:
        """``job_return.pickle``: the job's result."""
        self._save(job_return, "job_return.pickle")

    def _save(self, obj: Any, filename: str) -> None:
        self.output_dir.mkdir(parents=True, exist_ok=True)
        with open(self.output_dir / filename, "wb") as f:
            pickle.dump(obj, f, protocol=4)
        what = "job configs" if filename == "config.pickle" else "job_return"
        self.log.info(f"Saving {what} in {self.output_dir / filename}")


__all__ = ["LogJobReturnCallback", "PickleJobInfoCallback"]
