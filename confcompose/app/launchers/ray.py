"""Jobs as Ray tasks, on an existing cluster (``address: auto``) or a local instance started here.

``pip install 'confcompose[ray]'``. ``ray.init`` settings come from ``hydra.launcher.ray.init``
and per-task resources (``num_cpus``, ``num_gpus``, ...) from ``hydra.launcher.ray.remote``.
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from confcompose import ConfigError
from confcompose.app.compat import travel
from confcompose.app.launchers import check_options, missing_extra
from confcompose.app.runs import JobResult, JobSpec, run_job_portable

if TYPE_CHECKING:
    from confcompose.app.progress import Progress


class RayLauncher:
    """``hydra/launcher=ray``: one Ray task per job."""

    def __init__(self, **options: Any) -> None:
        check_options("ray", options, ("ray",))
        ray_opts = options.get("ray") or {}
        if not isinstance(ray_opts, dict):
            raise ConfigError(
                "must be a mapping with init and remote", key_path="hydra.launcher.ray"
            )
        check_options(
            "ray", {f"ray.{k}": v for k, v in ray_opts.items()}, ("ray.init", "ray.remote")
        )
        self.init = {k: v for k, v in (ray_opts.get("init") or {}).items() if v is not None}
        self.remote = {k: v for k, v in (ray_opts.get("remote") or {}).items() if v is not None}

    def launch(self, jobs: Sequence[JobSpec], progress: Progress) -> list[JobResult]:
        """Run ``jobs`` as Ray tasks; shut down the Ray instance if this call started it."""
        try:
            import ray
        except ImportError:
            raise missing_extra("ray", "ray") from None
        if not jobs:
            return []
        started_here = not ray.is_initialized()
        if started_here:
            try:
                ray.init(**{"include_dashboard": False, "log_to_driver": True, **self.init})
            except (ConnectionError, ValueError, TypeError, RuntimeError) as e:
                # No cluster at that address, or settings the cluster refuses (num_cpus when
                # joining one): the user's configuration, not our internals.
                where = self.init.get("address") or "a new local instance"
                raise ConfigError(
                    f"ray.init could not start or join Ray ({where}): {e}",
                    key_path="hydra.launcher.ray.init",
                ) from None
        try:
            remote = ray.remote(run_job_portable).options(**self.remote)
            refs = []
            for spec in jobs:
                progress.started(spec)
                # Under `confcompose run`, the job installs the hydra/omegaconf hook first.
                refs.append(remote.remote(travel(spec, ray.cloudpickle.dumps)))
            index = {ref: i for i, ref in enumerate(refs)}
            results: list[JobResult | None] = [None] * len(jobs)
            waiting = list(refs)
            while waiting:
                done, waiting = ray.wait(waiting, num_returns=1)
                for ref in done:
                    i = index[ref]
                    results[i] = self._result(ray, jobs[i], ref)
                    progress.finished(results[i])  # type: ignore[arg-type]
            return [r for r in results if r is not None]
        finally:
            if started_here:
                ray.shutdown()

    @staticmethod
    def _result(ray: Any, spec: JobSpec, ref: Any) -> JobResult:
        try:
            result = ray.get(ref)
        except Exception as e:  # the worker died or the task could not be deserialized
            tb = "".join(traceback.format_exception(type(e), e, e.__traceback__))
            return JobResult(
                spec.num, spec.overrides, spec.output_dir, "failed", error=e, traceback=tb
            )
        assert isinstance(result, JobResult)
        return result
