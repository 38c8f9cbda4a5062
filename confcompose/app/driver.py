"""The multirun driver between a sweeper and a launcher: jobs in, results and records out.

A sweeper hands :meth:`SweepDriver.launch` a batch of ``(num, overrides, extra)`` jobs; the
driver composes each job (through the session's ``make_spec``), records it in the sweep's
``summary.json`` (:mod:`confcompose.app.records`), runs the batch on the launcher and returns the
results in order. With fail-fast, a batch is launched in waves of the launcher's parallelism and
no new wave starts after a job failed. On ``--resume`` the jobs that completed before are skipped.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Mapping, MutableSequence, Sequence
from typing import TYPE_CHECKING, Any

from confcompose.app.records import RecordingProgress, SweepRecords, summary_table

if TYPE_CHECKING:
    from confcompose.app.launchers import Launcher
    from confcompose.app.runs import JobResult, JobSpec

Job = tuple[int, Sequence[str], Mapping[str, Any]]
MakeSpec = Callable[[int, Sequence[str], "str | None"], "JobSpec"]


def parallelism(launcher: Any) -> int | None:
    """How many jobs ``launcher`` runs at once (``None``: as many as it is given)."""
    name = type(launcher).__name__
    if name == "BasicLauncher":
        return 1
    n = getattr(launcher, "n_jobs", None)
    if isinstance(n, int) and not isinstance(n, bool):
        return n if n > 0 else max(1, (os.cpu_count() or 1) + 1 + n)
    return None


class SweepDriver:
    """Launches the batches a sweeper makes, keeps the records, collects the results."""

    def __init__(
        self,
        make_spec: MakeSpec,
        launcher: Launcher,
        records: SweepRecords,
        results: MutableSequence[JobResult],
        *,
        fail_fast: bool = False,
        resuming: bool = False,
    ) -> None:
        self.make_spec = make_spec
        self.launcher = launcher
        self.records = records
        self.results = results
        self.fail_fast = fail_fast
        self.resuming = resuming
        self.progress = RecordingProgress(0, records)
        self.stopped = False  # fail-fast: no new job after a failure
        self.wave = parallelism(launcher) if fail_fast else None

    def expect(self, total: int) -> None:
        """Set how many jobs the progress line counts towards."""
        self.progress.total = total

    def launch(self, jobs: Sequence[Job]) -> list[JobResult]:
        """Run one batch of jobs; their results, in order (fewer when fail-fast stopped it)."""
        specs = []
        for num, overrides, extra in jobs:
            entry = self.records.entry(num) if self.resuming else None
            out_dir = entry.get("output_dir") if entry else None
            spec = self.make_spec(num, overrides, out_dir if isinstance(out_dir, str) else None)
            self.records.planned(num, list(overrides), spec.output_dir, **extra)
            specs.append(spec)
        self.records.save(force=True)
        out: list[JobResult] = []
        size = self.wave or max(len(specs), 1)
        for i in range(0, len(specs), size):
            if self.stopped:
                break
            done = self.launcher.launch(specs[i : i + size], self.progress)
            out.extend(done)
            if self.fail_fast and any(not r.ok for r in done):
                self.stopped = True
        self.results.extend(out)
        self.records.save(force=True)
        return out

    def run_batches(self, batches: Iterable[Sequence[Sequence[str]]]) -> None:
        """The basic sweeper's batches, numbered in order (completed jobs skipped on resume)."""
        num = 0
        for batch in batches:
            jobs: list[Job] = []
            for overrides in batch:
                if not (self.resuming and self.records.completed(num)):
                    entry = self.records.entry(num) if self.resuming else None
                    recorded = entry.get("overrides") if entry else None
                    jobs.append((num, recorded if isinstance(recorded, list) else overrides, {}))
                num += 1
            if jobs:
                self.launch(jobs)
            if self.stopped:
                break

    def finish(self) -> str:
        """Write the records a last time; the end-of-sweep summary table."""
        self.records.meta["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S")
        if self.stopped:
            self.records.meta["stopped"] = "fail-fast"
        self.records.save(force=True)
        text = summary_table(self.records)
        if self.stopped:
            text += "fail-fast: stopped launching jobs after the first failure\n"
        return text
