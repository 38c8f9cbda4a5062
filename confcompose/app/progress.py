"""Progress while jobs run (done/running/failed) and the end-of-multirun summary.

On a terminal the progress is one line rewritten in place; otherwise each finished job prints one
plain line, so logs and CI output stay readable.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from confcompose.app.runs import JobResult, JobSpec


def _label(overrides: Sequence[str]) -> str:
    return " ".join(overrides) if overrides else "(no overrides)"


class Progress:
    """Counts jobs as launchers report them and prints the counts to ``stream``."""

    def __init__(self, total: int, stream: TextIO | None = None, tty: bool | None = None) -> None:
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.running = 0
        self.done = 0
        self.failed = 0
        self._lock = threading.Lock()

    def counts(self) -> str:
        """``'3/20 done, 2 running, 1 failed'``."""
        return f"{self.done}/{self.total} done, {self.running} running, {self.failed} failed"

    def started(self, spec: JobSpec) -> None:
        """A launcher started ``spec``."""
        with self._lock:
            self.running += 1
            if self.tty:
                self._redraw()

    def finished(self, result: JobResult) -> None:
        """A launcher got the result of a job."""
        with self._lock:
            self.running = max(0, self.running - 1)
            self.done += 1
            self.failed += not result.ok
            if self.tty:
                self._redraw()
            else:
                status = "ok" if result.ok else "FAILED"
                self.stream.write(
                    f"[{self.counts()}] #{result.num} {_label(result.overrides)}: {status} "
                    f"({result.duration:.2f}s)\n"
                )
            self.stream.flush()

    def _redraw(self) -> None:
        self.stream.write(f"\r\x1b[2K[{self.counts()}]")
        if self.done == self.total:
            self.stream.write("\n")
        self.stream.flush()


def summary(results: Sequence[JobResult]) -> str:
    """A table of every job: number, status, duration, overrides and directory."""
    lines = ["Summary:"]
    for r in results:
        status = "completed" if r.ok else "FAILED"
        lines.append(f"  #{r.num:<3} {status:<9} {r.duration:7.2f}s  {_label(r.overrides)}")
        lines.append(f"        {r.output_dir}")
    failed = [r for r in results if not r.ok]
    lines.append(f"{len(results) - len(failed)} completed, {len(failed)} failed")
    for r in failed:
        err = r.error
        text = f"{type(err).__name__}: {err}" if err is not None else "failed"
        lines.append(f"  job #{r.num} ({_label(r.overrides)}) failed: {text}")
    return "\n".join(lines) + "\n"
