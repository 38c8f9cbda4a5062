"""Jobs in parallel on local cores: worker processes of ``multiprocessing`` or of joblib's loky.

``n_jobs`` workers (``-1``: one per core, ``-2``: all but one, as joblib counts; ``0`` is an
error, as in joblib). The task function travels by reference when it can
(a module-level function, including one in the app's ``__main__``), so workers run the same
code as the parent; each job's result comes back pickled, unpicklable return values as a repr.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import traceback
from collections.abc import Callable, Iterable, Sequence, Sized
from typing import TYPE_CHECKING, Any

from confcompose import ConfigError
from confcompose.app._records import replace
from confcompose.app.launchers import check_options, missing_extra
from confcompose.app.runs import JobResult, JobSpec, portable, run_job_portable

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


def _workers(n_jobs: int, total: int | None = None) -> int:
    cores = os.cpu_count() or 1
    n = cores + 1 + n_jobs if n_jobs < 0 else n_jobs  # joblib's convention: -1 = all cores
    if n < 1:
        raise ConfigError(f"n_jobs={n_jobs} leaves no worker", key_path="hydra.launcher.n_jobs")
    return max(1, n if total is None else min(n, total))


def _n_jobs(value: Any) -> int:
    """``hydra.launcher.n_jobs`` as joblib reads it: a non-zero int, negative counting back
    from the number of cores (``-1``: all of them); ``null`` means 1 (joblib's default)."""
    if value is None:
        return 1
    if isinstance(value, bool) or not isinstance(value, int):
        try:
            value = int(str(value).strip())
        except ValueError:
            raise ConfigError(
                f"n_jobs must be an integer, not {value!r}",
                key_path="hydra.launcher.n_jobs",
                expected="a positive number of workers, or -1 for one per core",
            ) from None
    if value == 0:
        raise ConfigError(
            "n_jobs=0 runs nothing (as in joblib)",
            key_path="hydra.launcher.n_jobs",
            expected="a positive number of workers, or -1 for one per core",
        )
    return int(value)


class WorkerDied(RuntimeError):
    """A job's worker process ended without returning its result (killed, ``os._exit``)."""


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        import signal

        try:
            name = f" ({signal.Signals(-exitcode).name})"
        except ValueError:
            name = ""
        return f"worker died: killed by signal {-exitcode}{name}"
    return f"worker died: exited with status {exitcode}"


def _failed(spec: JobSpec, e: BaseException) -> JobResult:
    tb = "".join(traceback.format_exception(type(e), e, e.__traceback__))
    return JobResult(spec.num, spec.overrides, spec.output_dir, "failed", error=e, traceback=tb)


def _worker_main(conn: Any) -> None:
    """A worker process: run each pickled job it receives and send back its result."""
    import pickle

    while True:
        try:
            payload = conn.recv_bytes()
        except (EOFError, OSError):
            return
        if not payload:  # the parent is done
            return
        try:
            spec = pickle.loads(payload)
        except Exception as e:
            conn.send(("lost", f"the job could not be loaded in the worker: {e!r}"))
            continue
        try:
            result = run_job_portable(spec)
        except SystemExit as e:  # the task called sys.exit(): that job failed, the worker lives
            result = portable(_failed(spec, e))
        try:
            conn.send(("ok", result))
        except Exception as e:
            conn.send(("lost", f"the job's result could not be sent back: {e!r}"))


class _Worker:
    """One worker process, its pipe, and the job it runs (``None`` when idle)."""

    def __init__(self, ctx: Any) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child,), daemon=True)
        self.proc.start()
        child.close()
        self.job: tuple[int, JobSpec] | None = None

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send_bytes(b"")
        self.proc.join(timeout=5)
        if self.proc.is_alive():
            self.proc.terminate()
            self.proc.join()
        self.conn.close()


class ProcessesLauncher:
    """Local parallel launcher (``hydra/launcher=processes``; ``joblib`` uses loky).

    Each worker runs one job at a time; a worker that dies (the OOM killer, ``os._exit``) fails
    only its own job (:class:`WorkerDied`, with the signal or status) and is replaced, so the
    other jobs run and finish undisturbed.
    """

    OPTIONS = ("n_jobs", "backend", "start_method")

    def __init__(self, **options: Any) -> None:
        check_options("processes", options, self.OPTIONS)
        self.n_jobs = _n_jobs(options.get("n_jobs"))
        self.backend = str(options.get("backend") or "futures")
        self.start_method = options.get("start_method")
        if self.backend not in ("futures", "loky"):
            raise ConfigError(
                f"unknown backend {self.backend!r}",
                key_path="hydra.launcher.backend",
                expected="futures or loky",
            )

    def launch(self, jobs: Sequence[JobSpec], progress: Progress) -> list[JobResult]:
        """Run ``jobs`` on worker processes; results in job order."""
        return self.launch_stream(jobs, progress)

    def launch_stream(self, jobs: Iterable[JobSpec], progress: Progress) -> list[JobResult]:
        """Run ``jobs`` as they come, at most ``n_jobs`` at a time; results in job order."""
        total = len(jobs) if isinstance(jobs, Sized) else None
        if total == 0:
            return []
        workers = _workers(self.n_jobs, total)
        ctx, dumps = self._engine()
        results: dict[int, JobResult] = {}
        pool: list[_Worker] = []
        stream = enumerate(jobs)
        more = True
        try:
            while True:
                while more and (len(pool) < workers or any(w.job is None for w in pool)):
                    item = next(stream, None)
                    if item is None:
                        more = False
                        break
                    self._dispatch(item, pool, ctx, dumps, results, progress)
                busy = [w for w in pool if w.job is not None]
                if not busy:
                    break
                self._collect(busy, pool, results, progress)
        finally:
            for w in pool:
                w.stop()
        return [results[i] for i in sorted(results)]

    def _engine(self) -> tuple[Any, Callable[[Any], bytes]]:
        import multiprocessing
        import pickle

        if self.backend == "loky":
            # loky pickles with cloudpickle and its workers do not run the app's __main__, so
            # the task travels by value there.
            try:
                from joblib.externals.loky.backend.context import (  # type: ignore[import-untyped, import-not-found, unused-ignore]
                    get_context,
                )
                from joblib.externals.loky.backend.reduction import (  # type: ignore[import-untyped, import-not-found, unused-ignore]
                    dumps,
                )
            except ImportError:
                raise missing_extra("joblib", "joblib") from None
            return get_context("loky"), lambda spec: bytes(dumps(spec))
        ctx = multiprocessing.get_context(self.start_method)
        return ctx, lambda spec: pickle.dumps(replace(spec, task=TaskRef(spec.task)))

    @staticmethod
    def _dispatch(
        item: tuple[int, JobSpec],
        pool: list[_Worker],
        ctx: Any,
        dumps: Callable[[Any], bytes],
        results: dict[int, JobResult],
        progress: Progress,
    ) -> None:
        i, spec = item
        progress.started(spec)
        try:
            payload = dumps(spec)
        except Exception as e:  # an unpicklable task or resolver: this job cannot travel
            results[i] = _failed(spec, e)
            progress.finished(results[i])
            return
        for _ in range(2):  # an idle worker may have died meanwhile: then use a new one
            worker = next((w for w in pool if w.job is None), None)
            if worker is None:
                worker = _Worker(ctx)
                pool.append(worker)
            try:
                worker.conn.send_bytes(payload)
            except OSError:
                pool.remove(worker)
                worker.stop()
                continue
            worker.job = (i, spec)
            return
        results[i] = _failed(spec, WorkerDied("no worker process could take the job"))
        progress.finished(results[i])

    @staticmethod
    def _collect(
        busy: list[_Worker],
        pool: list[_Worker],
        results: dict[int, JobResult],
        progress: Progress,
    ) -> None:
        from multiprocessing.connection import wait

        ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy]))
        for worker in busy:
            if worker.conn not in ready and worker.proc.sentinel not in ready:
                continue
            assert worker.job is not None
            i, spec = worker.job
            try:
                if not worker.conn.poll():
                    raise EOFError
                status, value = worker.conn.recv()
            except (EOFError, OSError):  # the process is gone without an answer
                worker.proc.join()
                pool.remove(worker)
                worker.conn.close()
                result = _failed(spec, WorkerDied(_death(worker.proc.exitcode)))
            else:
                worker.job = None
                result = value if status == "ok" else _failed(spec, WorkerDied(value))
            results[i] = result
            progress.finished(result)
