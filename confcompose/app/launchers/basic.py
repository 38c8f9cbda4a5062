"""The default launcher: jobs one after another in this process (as Hydra's basic launcher)."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable, Sequence, Sized
from typing import TYPE_CHECKING, Any

from confcompose import ConfigError
from confcompose.app.launchers import check_options
from confcompose.app.logsetup import configure_logging
from confcompose.app.runs import JobResult, JobSpec, run_job

if TYPE_CHECKING:
    from confcompose.app.progress import Progress

# Hydra's basic launcher logs through hydra/hydra_logging ("[...][HYDRA] Launching 2 jobs
# locally", then "\t#0 : a=1" before each job), on stdout by default.
log = logging.getLogger("hydra._internal.core_plugins.basic_launcher")


class BasicLauncher:
    """Serial, in-process launcher; a failing job is recorded and the next one runs."""

    def __init__(self, **options: Any) -> None:
        check_options("basic", options, ())

    def launch(self, jobs: Sequence[JobSpec], progress: Progress) -> list[JobResult]:
        """Run ``jobs`` in order in this process."""
        return self.launch_stream(jobs, progress)

    def launch_stream(self, jobs: Iterable[JobSpec], progress: Progress) -> list[JobResult]:
        """Run ``jobs`` in order as they come (each is composed just before it runs)."""
        results = []
        if isinstance(jobs, Sized) and len(jobs):
            log.info("Launching %d jobs locally", len(jobs))
        for spec in jobs:
            shown = " ".join(o for o in spec.overrides if not o.startswith("hydra."))
            log.info("\t#%s : %s", spec.num, shown)
            progress.started(spec)
            try:
                result = run_job(spec)
            except ConfigError as e:  # e.g. a bad logging config of this one job
                result = JobResult(
                    spec.num,
                    spec.overrides,
                    spec.output_dir,
                    status="failed",
                    error=e,
                    traceback=traceback.format_exc(),
                )
            # The job set up its own logging; the next launch message is the framework's again.
            configure_logging(spec.hydra, "hydra_logging")
            progress.finished(result)
            results.append(result)
        return results
