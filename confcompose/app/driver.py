"""The multirun driver between a sweeper and a launcher: jobs in, results and records out.

A sweeper hands :meth:`SweepDriver.launch` a batch of ``(num, overrides, extra)`` jobs; the
driver composes each job (through the session's ``make_spec``), records it in the sweep's
``summary.json`` (:mod:`confcompose.app.records`), runs the batch on the launcher and returns the
results in order. With fail-fast, a batch is launched in waves of the launcher's parallelism and
no new wave starts after a job failed. On ``--resume`` the jobs that completed before are skipped.
"""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import (
    Callable,
    Iterable,
    Iterator,
    Mapping,
    MutableSequence,
    Sequence,
    Sized,
)
from typing import TYPE_CHECKING, Any

from confcompose.app.records import RecordingProgress, SweepRecords, summary_table
from confcompose.app.sweep import Counted

if TYPE_CHECKING:
    from confcompose.app.launchers import Launcher
    from confcompose.app.runs import JobResult, JobSpec

Job = tuple[int, Sequence[str], Mapping[str, Any]]
_PENDING_RECORDED = 10_000
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

    def launch(self, jobs: Iterable[Job]) -> list[JobResult]:
        """Run one batch of jobs; their results, in order (fewer when fail-fast stopped it).

        Each job is composed and recorded when it is about to be launched: a launcher that
        streams (``launch_stream``) takes them one by one, others take a list per batch (or
        per fail-fast wave).
        """
        from confcompose.app.launchers import launch_batch

        specs: Iterable[JobSpec] = self._specs(jobs)
        if isinstance(jobs, Sized):
            specs = Counted(specs, len(jobs))
        out: list[JobResult] = []
        if self.wave is None:
            out.extend(launch_batch(self.launcher, specs, self.progress))
        else:
            while not self.stopped:
                wave = list(itertools.islice(iter(specs), self.wave))
                if not wave:
                    break
                done = self.launcher.launch(wave, self.progress)
                out.extend(done)
                if any(not r.ok for r in done):
                    self.stopped = True
                    self._pending(jobs)
        self.results.extend(out)
        self.records.save(force=True)
        return out

    def _pending(self, jobs: Iterable[Job]) -> None:
        # The jobs fail-fast kept from running are recorded as pending, without composing them
        # (their directory is decided when --resume runs them), up to a bound: --resume runs
        # every job that did not complete, recorded or not.
        for num, overrides, extra in itertools.islice(jobs, _PENDING_RECORDED):
            if self.records.entry(num) is None:
                self.records.planned(num, list(overrides), None, **extra)

    def _specs(self, jobs: Iterable[Job]) -> Iterator[JobSpec]:
        for num, overrides, extra in jobs:
            entry = self.records.entry(num) if self.resuming else None
            out_dir = entry.get("output_dir") if entry else None
            spec = self.make_spec(num, overrides, out_dir if isinstance(out_dir, str) else None)
            self.records.planned(num, list(overrides), spec.output_dir, **extra)
            yield spec

    def run_batches(self, batches: Iterable[Iterable[Sequence[str]]]) -> None:
        """The basic sweeper's batches, numbered in order (completed jobs skipped on resume)."""
        numbers = itertools.count()
        start = 0
        for batch in batches:
            jobs: Iterable[Job] = self._numbered(batch, numbers)
            if isinstance(batch, Sized):
                n = len(batch)
                done = (
                    sum(1 for num in range(start, start + n) if self.records.completed(num))
                    if self.resuming
                    else 0
                )
                jobs = Counted(jobs, n - done)
                start += n
            self.launch(jobs)
            if self.stopped:
                break

    def _numbered(self, batch: Iterable[Sequence[str]], numbers: Iterator[int]) -> Iterator[Job]:
        for overrides in batch:
            num = next(numbers)
            if self.resuming and self.records.completed(num):
                continue
            entry = self.records.entry(num) if self.resuming else None
            recorded = entry.get("overrides") if entry else None
            yield (num, recorded if isinstance(recorded, list) else overrides, {})

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
