"""Jobs in parallel on local cores: ``concurrent.futures`` processes, or joblib's loky.

``n_jobs`` workers (``-1``: one per core). The task function travels by reference when it can
(a module-level function, including one in the app's ``__main__``), so workers run the same
code as the parent; each job's result comes back pickled, unpicklable return values as a repr.
"""

from __future__ import annotations

import importlib
import os
import traceback
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from confcompose import ConfigError
from confcompose.app._records import replace
from confcompose.app.launchers import check_options, missing_extra
from confcompose.app.runs import JobResult, JobSpec, run_job_portable

if TYPE_CHECKING:
    from confcompose.app.progress import Progress


def _load_task(module: str, qualname: str) -> Callable[[Any], Any]:
    obj: Any = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    # @confcompose.main replaces the function by its wrapper; the job wants the original.
    return getattr(obj, "__wrapped__", obj)  # type: ignore[no-any-return]


class TaskRef:
    """A task function that pickles as ``module:qualname`` when it is importable that way."""

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        self.fn = fn

    def __call__(self, cfg: Any) -> Any:
        return self.fn(cfg)

    def __reduce__(self) -> tuple[Any, ...]:
        module = getattr(self.fn, "__module__", None)
        qualname = getattr(self.fn, "__qualname__", "")
        if module and "<" not in qualname:
            try:
                found = _load_task(module, qualname)
            except (ImportError, AttributeError):
                found = None
            if found is self.fn:
                return (_load_task, (module, qualname))
        return (TaskRef, (self.fn,))


def _workers(n_jobs: int, total: int) -> int:
    cores = os.cpu_count() or 1
    n = cores + 1 + n_jobs if n_jobs < 0 else n_jobs  # joblib's convention: -1 = all cores
    if n < 1:
        raise ConfigError(f"n_jobs={n_jobs} leaves no worker", key_path="hydra.launcher.n_jobs")
    return max(1, min(n, total))


def _failed(spec: JobSpec, e: BaseException) -> JobResult:
    tb = "".join(traceback.format_exception(type(e), e, e.__traceback__))
    return JobResult(spec.num, spec.overrides, spec.output_dir, "failed", error=e, traceback=tb)


class ProcessesLauncher:
    """Local parallel launcher (``hydra/launcher=processes``; ``joblib`` uses loky)."""

    OPTIONS = ("n_jobs", "backend", "start_method")

    def __init__(self, **options: Any) -> None:
        check_options("processes", options, self.OPTIONS)
        self.n_jobs = int(options.get("n_jobs") or -1)
        self.backend = str(options.get("backend") or "futures")
        self.start_method = options.get("start_method")
        if self.backend not in ("futures", "loky"):
            raise ConfigError(
                f"unknown backend {self.backend!r}",
                key_path="hydra.launcher.backend",
                expected="futures or loky",
            )

    def launch(self, jobs: Sequence[JobSpec], progress: Progress) -> list[JobResult]:
        """Run ``jobs`` on a pool of worker processes; results in job order."""
        if not jobs:
            return []
        workers = _workers(self.n_jobs, len(jobs))
        if self.backend == "loky":
            # loky pickles with cloudpickle and its workers do not run the app's __main__, so
            # the task travels by value there.
            return self._loky(list(jobs), workers, progress)
        specs = [replace(s, task=TaskRef(s.task)) for s in jobs]
        return self._futures(specs, workers, progress)

    def _futures(self, specs: list[JobSpec], workers: int, progress: Progress) -> list[JobResult]:
        import multiprocessing
        from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

        ctx = multiprocessing.get_context(self.start_method) if self.start_method else None
        results: dict[int, JobResult] = {}
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            pending: dict[Future[JobResult], int] = {}
            queue = list(enumerate(specs))
            while queue or pending:
                # Keep exactly `workers` jobs in flight, so "running" in the progress is true.
                while queue and len(pending) < workers:
                    i, spec = queue.pop(0)
                    progress.started(spec)
                    pending[pool.submit(run_job_portable, spec)] = i
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    i = pending.pop(fut)
                    try:
                        result = fut.result()
                    except Exception as e:  # a crashed worker or an unpicklable job
                        result = _failed(specs[i], e)
                    results[i] = result
                    progress.finished(result)
        return [results[i] for i in range(len(specs))]

    def _loky(self, specs: list[JobSpec], workers: int, progress: Progress) -> list[JobResult]:
        try:
            import joblib  # type: ignore[import-untyped, import-not-found, unused-ignore]
        except ImportError:
            raise missing_extra("joblib", "joblib") from None
        for spec in specs:
            progress.started(spec)
        out: list[JobResult] = []
        runner = joblib.Parallel(n_jobs=workers, backend="loky", return_as="generator")
        for spec, result in zip(
            specs, runner(joblib.delayed(run_job_portable)(s) for s in specs), strict=True
        ):
            progress.finished(result if isinstance(result, JobResult) else _failed(spec, result))
            out.append(result)
        return out
