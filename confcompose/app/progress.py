"""Progress while jobs run (done/running/failed) and the end-of-multirun summary.

On a terminal the progress is one line rewritten in place; otherwise each finished job prints one
plain line, so logs and CI output stay readable.
"""

from __future__ import annotations

import sys
import threading
import time
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
        self._t0: float | None = None  # when the first job started

    def counts(self) -> str:
        """``'3/20 done, 2 running, 1 failed'``, then ``', ETA 1m05s'`` while jobs remain."""
        text = f"{self.done}/{self.total} done, {self.running} running, {self.failed} failed"
        eta = self.eta()
        return text if eta is None else f"{text}, ETA {format_duration(eta)}"

    def eta(self) -> float | None:
        """Seconds until every job is done at the pace so far (None in the first second)."""
        if self._t0 is None or not 0 < self.done < self.total:
            return None
        elapsed = time.monotonic() - self._t0
        if elapsed < 1.0:  # too early to tell, and noise for sweeps of quick jobs
            return None
        return elapsed / self.done * (self.total - self.done)

    def started(self, spec: JobSpec) -> None:
        """A launcher started ``spec``."""
        with self._lock:
            if self._t0 is None:
                self._t0 = time.monotonic()
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


def format_duration(seconds: float) -> str:
    """``'42s'``, ``'3m05s'``, ``'2h07m'``.

    >>> format_duration(42.4), format_duration(185), format_duration(7625)
    ('42s', '3m05s', '2h07m')
    """
    s = round(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


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
