"""Jobs through submitit: SLURM jobs, or submitit's local executor (same code path, this machine).

``pip install 'confcompose[submitit]'``. Settings map to submitit's: ``timeout_min``,
``cpus_per_task``, ``gpus_per_node``, ``tasks_per_node``, ``mem_gb``, ``nodes``, ``name`` for
every executor; ``partition``, ``qos``, ``account``, ``gres``, ... become ``slurm_*`` parameters.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from confcompose import ConfigError
from confcompose.app.compat import travel
from confcompose.app.launchers import check_options, missing_extra
from confcompose.app.runs import JobResult, JobSpec, run_job_portable

if TYPE_CHECKING:
    from confcompose.app.progress import Progress

_COMMON = (
    "timeout_min",
    "cpus_per_task",
    "gpus_per_node",
    "tasks_per_node",
    "mem_gb",
    "nodes",
    "name",
    "stderr_to_stdout",
)
_SLURM = (
    "partition",
    "qos",
    "comment",
    "constraint",
    "exclude",
    "gres",
    "cpus_per_gpu",
    "gpus_per_task",
    "mem_per_gpu",
    "mem_per_cpu",
    "account",
    "signal_delay_s",
    "max_num_timeout",
    "additional_parameters",
    "array_parallelism",
    "setup",
)


def executor_parameters(executor: str, options: dict[str, Any]) -> dict[str, Any]:
    """submitit ``update_parameters`` keywords for our launcher options (``None`` dropped).

    >>> executor_parameters("slurm", {"timeout_min": 5, "partition": "gpu", "qos": None})
    {'timeout_min': 5, 'slurm_partition': 'gpu'}
    """
    params: dict[str, Any] = {}
    for key, value in options.items():
        if value is None or (key == "additional_parameters" and not value):
            continue
        if key in _COMMON:
            params[key] = value
        elif key in _SLURM:
            if executor != "slurm":
                raise ConfigError(
                    f"{key!r} is a SLURM setting; the {executor} executor does not take it",
                    key_path=f"hydra.launcher.{key}",
                )
            params[f"slurm_{key}"] = value
    return params


class SubmititLauncher:
    """``hydra/launcher=submitit_slurm`` or ``submitit_local``."""

    def __init__(self, **options: Any) -> None:
        check_options("submitit", options, ("executor", "submitit_folder", *_COMMON, *_SLURM))
        self.executor = str(options.pop("executor", "slurm"))
        if self.executor not in ("slurm", "local"):
            raise ConfigError(
                f"unknown submitit executor {self.executor!r}",
                key_path="hydra.launcher.executor",
                expected="slurm or local",
            )
        self.folder = str(options.pop("submitit_folder", ".submitit/%j"))
        self.params = executor_parameters(self.executor, options)

    def launch(self, jobs: Sequence[JobSpec], progress: Progress) -> list[JobResult]:
        """Submit ``jobs`` as one job array and wait for all of them."""
        try:
            import cloudpickle as submitit_cloudpickle  # type: ignore[import-untyped, import-not-found, unused-ignore]
            import submitit
        except ImportError:
            raise missing_extra("submitit", "submitit") from None
        if not jobs:
            return []
        executor = submitit.AutoExecutor(folder=self.folder, cluster=self.executor)
        executor.update_parameters(**self.params)
        # Under `confcompose run`, each job installs the hydra/omegaconf hook before it loads.
        shipped = [travel(spec, submitit_cloudpickle.dumps) for spec in jobs]
        handles = executor.map_array(run_job_portable, shipped)
        for spec in jobs:
            progress.started(spec)
        results: list[JobResult | None] = [None] * len(jobs)
        while any(r is None for r in results):
            for i, handle in enumerate(handles):
                if results[i] is None and handle.done():
                    results[i] = self._result(jobs[i], handle)
                    progress.finished(results[i])  # type: ignore[arg-type]
            time.sleep(0.05)
        return [r for r in results if r is not None]

    @staticmethod
    def _result(spec: JobSpec, handle: Any) -> JobResult:
        try:
            result = handle.result()
        except Exception as e:  # the submitted process died (timeout, OOM, killed)
            tb = "".join(traceback.format_exception(type(e), e, e.__traceback__))
            return JobResult(
                spec.num, spec.overrides, spec.output_dir, "failed", error=e, traceback=tb
            )
        assert isinstance(result, JobResult)
        return result
