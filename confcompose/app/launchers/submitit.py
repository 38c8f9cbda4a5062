"""Jobs through submitit: SLURM jobs, or submitit's local executor (same code path, this machine).

``pip install 'confcompose[submitit]'``. The settings are hydra-submitit-launcher's, and reach
submitit's ``AutoExecutor`` as the plugin passes them:

- ``timeout_min``, ``cpus_per_task``, ``gpus_per_node``, ``tasks_per_node``, ``mem_gb``,
  ``nodes``, ``name``, ``stderr_to_stdout``: submitit's shared parameters (``--time``,
  ``--cpus-per-task``, ``--gpus-per-node``, ``--ntasks-per-node``, ``--mem``, ``--nodes``,
  ``--job-name`` on SLURM), for every executor;
- ``max_num_timeout``: ``AutoExecutor(slurm_max_num_timeout=...)``, how many times a job that hit
  its time limit (or was preempted) is requeued;
- ``partition``, ``qos``, ``comment``, ``constraint``, ``exclude``, ``gres``, ``cpus_per_gpu``,
  ``gpus_per_task``, ``mem_per_gpu``, ``mem_per_cpu``, ``account``, ``signal_delay_s``,
  ``array_parallelism``, ``setup``, ``srun_args``, ``additional_parameters``: ``slurm_<name>``
  parameters, written into the sbatch script (``additional_parameters`` as extra ``#SBATCH``
  lines, ``setup`` as shell lines before ``srun``, ``array_parallelism`` as ``--array=0-N%P``).

A setting the installed submitit does not accept is a :class:`~confcompose.ConfigError` naming it.
The jobs of a batch are one SLURM job array; a job that leaves the queue without a result
(``scancel``, its time limit, the node died) is recorded as failed with the end of its log.
"""

from __future__ import annotations

import contextlib
import subprocess
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from confcompose import ConfigError
from confcompose.app.compat import travel
from confcompose.app.launchers import check_options, missing_extra
from confcompose.app.runs import JobResult, JobSpec, run_job_portable

if TYPE_CHECKING:
    from confcompose.app.progress import Progress

# submitit's shared parameters: passed to update_parameters() as they are.
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
# Arguments of the SLURM executor's constructor (AutoExecutor(slurm_<name>=...)).
_INIT = ("max_num_timeout",)
# SLURM-only parameters: update_parameters(slurm_<name>=...).
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
    "additional_parameters",
    "array_parallelism",
    "setup",
    "srun_args",
)
# How long a job may be gone from the queue before its missing result counts as a failure
# (result files written at the very end may take a moment to show on a shared file system).
_GRACE_S = 5.0
_POLL_S = 0.1
_SQUEUE_EVERY_S = 1.0


def _check_slurm_only(executor: str, key: str) -> None:
    if executor != "slurm":
        raise ConfigError(
            f"{key!r} is a SLURM setting; the {executor} executor does not take it",
            key_path=f"hydra.launcher.{key}",
        )


def executor_parameters(executor: str, options: dict[str, Any]) -> dict[str, Any]:
    """submitit ``update_parameters`` keywords for our launcher options (``None`` dropped).

    >>> executor_parameters("slurm", {"timeout_min": 5, "partition": "gpu", "qos": None})
    {'timeout_min': 5, 'slurm_partition': 'gpu'}
    """
    params: dict[str, Any] = {}
    for key, value in options.items():
        if value is None or (key in ("additional_parameters", "setup", "srun_args") and not value):
            continue
        if key in _COMMON:
            params[key] = value
        elif key in _SLURM:
            _check_slurm_only(executor, key)
            params[f"slurm_{key}"] = value
    return params


def executor_init(executor: str, options: dict[str, Any]) -> dict[str, Any]:
    """``AutoExecutor(...)`` keywords for our launcher options (``max_num_timeout``).

    >>> executor_init("slurm", {"max_num_timeout": 2, "partition": "gpu"})
    {'slurm_max_num_timeout': 2}
    """
    init: dict[str, Any] = {}
    for key in _INIT:
        value = options.get(key)
        if value is None:
            continue
        _check_slurm_only(executor, key)
        init[f"{executor}_{key}"] = value
    return init


def _accepted(submitit: Any, executor: str) -> set[str] | None:
    """The settings the installed submitit's executor accepts (``None``: cannot tell)."""
    import inspect

    try:
        cls = submitit.AutoExecutor if executor == "local" else submitit.SlurmExecutor
        accepted = set(cls._valid_parameters())
        init = inspect.signature(cls.__init__).parameters  # max_num_timeout
        accepted.update(p for p in init if p not in ("self", "folder"))
    except Exception:  # a submitit without the classmethod: let update_parameters decide
        return None
    return accepted


def _unaccepted(submitit: Any, executor: str, params: dict[str, Any]) -> None:
    """Raise for a parameter the installed submitit does not know, before submitting anything."""
    accepted = _accepted(submitit, executor)
    if accepted is None:
        return
    shared = set(_COMMON)
    for param in params:
        name = param.removeprefix("slurm_")
        if name not in shared and name not in accepted:
            version = getattr(submitit, "__version__", "?")
            raise ConfigError(
                f"the installed submitit {version} does not accept {name!r} "
                f"for its {executor} executor",
                key_path=f"hydra.launcher.{name}",
                expected="one of " + ", ".join(sorted(shared | accepted)),
            )


def _text(e: BaseException) -> str:
    """An exception's message with the output of a failed command (sbatch's error) appended."""
    parts = [str(e)]
    for attr in ("stderr", "output"):
        out = getattr(e, attr, None)
        if isinstance(out, bytes):
            out = out.decode(errors="replace")
        if out:
            parts.append(str(out).strip())
    return "\n".join(p for p in parts if p)


def _tail(path: Path, lines: int = 8) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.rstrip().splitlines()[-lines:])


class _SlurmQueue:
    """Which of our SLURM jobs are still queued or running, from ``squeue`` (no accounting needed).

    ``sacct`` (submitit's own way) needs slurmdbd, which small clusters often lack; without it a
    cancelled job would look unfinished forever.
    """

    def __init__(self, array_ids: set[str]) -> None:
        self.array_ids = sorted(array_ids)
        self.queued: set[str] | None = None  # None: never read successfully
        self.read_at = 0.0

    def refresh(self) -> None:
        now = time.monotonic()
        if now - self.read_at < _SQUEUE_EVERY_S:
            return
        self.read_at = now
        cmd = ["squeue", "--noheader", "--array", "--format=%i", "--jobs", ",".join(self.array_ids)]
        try:
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            return  # keep what we knew; try again later
        if out.returncode == 0:
            self.queued = {line.strip() for line in out.stdout.splitlines() if line.strip()}
        elif "invalid job id" in out.stderr.lower():
            self.queued = set()  # slurmctld already forgot the whole array: all of it is gone

    def gone(self, job_id: str) -> bool:
        """Whether ``job_id`` (``<array>_<index>``) has left the queue."""
        return self.queued is not None and job_id not in self.queued


def _slurm_state(job_id: str) -> str:
    """The job's final state from ``sacct`` (``unknown`` on clusters without accounting)."""
    cmd = ["sacct", "--noheader", "--allocations", "--parsable2", "--format=State", "-j", job_id]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    states = [s.strip() for s in out.stdout.splitlines() if s.strip()]
    if out.returncode != 0 or not states:
        return "unknown, no SLURM accounting"
    return states[-1]


class SubmititLauncher:
    """``hydra/launcher=submitit_slurm`` or ``submitit_local``."""

    #: The executor when the config names none (hydra-submitit-launcher's configs never do:
    #: their ``_target_`` class says which).
    default_executor = "slurm"

    def __init__(self, **options: Any) -> None:
        check_options(
            "submitit", options, ("executor", "submitit_folder", *_COMMON, *_INIT, *_SLURM)
        )
        self.executor = str(options.pop("executor", self.default_executor))
        if self.executor not in ("slurm", "local"):
            raise ConfigError(
                f"unknown submitit executor {self.executor!r}",
                key_path="hydra.launcher.executor",
                expected="slurm or local",
            )
        self.folder = str(options.pop("submitit_folder", ".submitit/%j"))
        self.init = executor_init(self.executor, options)
        self.params = executor_parameters(self.executor, options)

    def _make_executor(self, submitit: Any) -> Any:
        _unaccepted(submitit, self.executor, {**self.init, **self.params})
        try:
            executor = submitit.AutoExecutor(folder=self.folder, cluster=self.executor, **self.init)
        except RuntimeError as e:  # submitit's "Could not detect srun"
            raise ConfigError(
                f"cannot use the {self.executor} executor here: {e}",
                key_path="hydra.launcher",
                expected="a machine that can submit SLURM jobs (sbatch and srun on PATH)",
            ) from None
        try:
            executor.update_parameters(**self.params)
        except (AssertionError, NameError, ValueError, TypeError) as e:
            raise ConfigError(
                f"submitit rejected the launcher settings: {e}", key_path="hydra.launcher"
            ) from None
        return executor

    def launch(self, jobs: Sequence[JobSpec], progress: Progress) -> list[JobResult]:
        """Submit ``jobs`` as one job array and wait for all of them."""
        try:
            import cloudpickle as submitit_cloudpickle  # type: ignore[import-untyped, import-not-found, unused-ignore]
            import submitit
        except ImportError:
            raise missing_extra("submitit", "submitit") from None
        if not jobs:
            return []
        executor = self._make_executor(submitit)
        # Under `confcompose run`, each job installs the hydra/omegaconf hook before it loads.
        shipped = [travel(spec, submitit_cloudpickle.dumps) for spec in jobs]
        try:
            handles = executor.map_array(run_job_portable, shipped)
        except (OSError, subprocess.SubprocessError, submitit.core.utils.UncompletedJobError) as e:
            raise ConfigError(
                f"the {self.executor} executor did not accept the jobs: {_text(e)}",
                key_path="hydra.launcher",
            ) from None
        for spec in jobs:
            progress.started(spec)
        try:
            return self._wait(jobs, handles, progress)
        except BaseException:  # interrupted: do not leave the rest of the array queued
            for handle in handles:
                with contextlib.suppress(Exception):
                    handle.cancel(check=False)
            raise

    def _wait(
        self, jobs: Sequence[JobSpec], handles: Sequence[Any], progress: Progress
    ) -> list[JobResult]:
        queue = None
        if self.executor == "slurm":
            queue = _SlurmQueue({str(h.job_id).split("_")[0] for h in handles})
        gone_since: dict[int, float] = {}
        results: list[JobResult | None] = [None] * len(jobs)
        while any(r is None for r in results):
            if queue is not None:
                queue.refresh()
            for i, handle in enumerate(handles):
                if results[i] is not None:
                    continue
                result: JobResult | None = None
                if queue is None:
                    if handle.done():
                        result = self._result(jobs[i], handle)
                elif handle.paths.result_pickle.exists():
                    result = self._result(jobs[i], handle)
                elif queue.gone(str(handle.job_id)):
                    since = gone_since.setdefault(i, time.monotonic())
                    if time.monotonic() - since >= _GRACE_S:
                        result = self._vanished(jobs[i], handle)
                if result is not None:
                    results[i] = result
                    progress.finished(result)
            time.sleep(_POLL_S)
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

    @staticmethod
    def _vanished(spec: JobSpec, handle: Any) -> JobResult:
        """The result of a SLURM job that left the queue without writing its result."""
        from submitit.core.utils import UncompletedJobError

        job_id = str(handle.job_id)
        log = _tail(Path(handle.paths.stderr))
        message = (
            f"SLURM job {job_id} ended without a result (state: {_slurm_state(job_id)}); "
            f"cancelled, over its time limit or killed? Its log: {handle.paths.stderr}"
        )
        error = UncompletedJobError(message)
        text = message + ("\n--- end of the job's log ---\n" + log if log else "")
        return JobResult(
            spec.num, spec.overrides, spec.output_dir, "failed", error=error, traceback=text
        )


class LocalLauncher(SubmititLauncher):
    """hydra-submitit-launcher's ``LocalLauncher`` target: submitit's local executor."""

    default_executor = "local"
