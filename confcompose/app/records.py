"""Sweep records: ``summary.json`` and ``summary.csv`` in the sweep directory, kept current.

Every job of a multirun is one entry (``num``, ``overrides``, ``status``, ``return_value``,
``duration_s``, ``output_dir``, ``error``, ``traceback``); the file is rewritten atomically as
jobs start and finish, so a sweep that dies half-way still says which jobs completed. ``--resume``
reads it back (:meth:`SweepRecords.load`), ``confcompose plot`` draws it, and
:func:`summary_table` prints it at the end of a sweep.

>>> json_value((1, 2.5)), json_value(float("nan")), json_value(object)
([1, 2.5], 'nan', "<class 'object'>")
"""

from __future__ import annotations

import json
import logging
import math
import os
import time
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from confcompose import ConfigError
from confcompose.app.progress import Progress
from confcompose.app.runs import atomic_write

if TYPE_CHECKING:
    from confcompose.app.runs import JobResult, JobSpec

SUMMARY_JSON = "summary.json"
SUMMARY_CSV = "summary.csv"
FORMAT = 1
#: Statuses a job entry can have; ``running``/``pending`` ones never finished (resume reruns them).
STATUSES = ("pending", "running", "completed", "failed")
# Rewrite at most this often once a sweep is large (the final write always happens).
_THROTTLE_S = 0.5
_THROTTLE_FROM = 200


def json_value(value: Any) -> Any:
    """``value`` as JSON data when it can be (tuples become lists), else its ``repr``."""
    if isinstance(value, tuple):
        value = list(value)
    try:
        json.dumps(value, allow_nan=False)
        return value
    except (TypeError, ValueError):
        pass
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item):
        try:
            plain = item()
            if plain is not value:
                return json_value(plain)
        except Exception:  # any failure falls back to the repr
            pass
    if isinstance(value, list):
        return [json_value(v) for v in value]
    return repr(value)


def log_traceback(text: str) -> None:
    """Append a failed job's traceback to the job's log file(s), not to the console.

    The log files are the root logger's file handlers, which ``hydra.job_logging`` set up for
    this job (none when job logging is disabled).
    """
    root = logging.getLogger()
    handlers = [h for h in root.handlers if isinstance(h, logging.FileHandler)]
    if not handlers:
        return
    record = logging.LogRecord(
        "confcompose", logging.ERROR, __file__, 0, "job failed:\n%s", (text.rstrip(),), None
    )
    for handler in handlers:
        handler.handle(record)
        handler.flush()


def split_override(text: str) -> tuple[str, str]:
    """``('+db', 'mysql')`` for ``+db=mysql``; ``('~x', '')`` for ``~x``."""
    key, _, value = text.partition("=")
    return key, value


def swept_keys(jobs: Iterable[Mapping[str, Any]]) -> list[str]:
    """The override keys whose value differs between jobs (all keys of a single job)."""
    seen: dict[str, set[str]] = {}
    count = 0
    for job in jobs:
        count += 1
        for text in job.get("overrides") or []:
            key, value = split_override(text)
            if not key.lstrip("+~").startswith(("hydra.", "hydra/")):
                seen.setdefault(key, set()).add(value)
    if count <= 1:
        return list(seen)
    return [k for k, values in seen.items() if len(values) > 1]


class SweepRecords:
    """The job entries of one sweep directory and the metadata of the sweep."""

    def __init__(self, sweep_dir: str | os.PathLike[str], meta: Mapping[str, Any]) -> None:
        self.sweep_dir = Path(sweep_dir)
        self.meta: dict[str, Any] = {"format": FORMAT, **meta}
        self.jobs: dict[int, dict[str, Any]] = {}
        self._started: dict[int, float] = {}
        self._written = 0.0

    # -- reading ---------------------------------------------------------------------------
    @classmethod
    def load(cls, sweep_dir: str | os.PathLike[str]) -> SweepRecords:
        """The records of an earlier sweep (``summary.json`` in ``sweep_dir``)."""
        path = Path(sweep_dir) / SUMMARY_JSON
        if not Path(sweep_dir).is_dir():
            raise ConfigError(
                f"sweep directory {str(sweep_dir)!r} does not exist",
                expected="the directory of a multirun (it holds summary.json)",
            )
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(
                f"no {SUMMARY_JSON} in {str(sweep_dir)!r}",
                expected="the directory of a multirun made by confcompose",
            ) from None
        except (OSError, ValueError) as e:
            raise ConfigError(f"cannot read {path}: {e}") from None
        if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
            raise ConfigError(f"{path} is not a sweep summary", expected='{"jobs": [...]}')
        meta = {k: v for k, v in data.items() if k != "jobs"}
        records = cls(Path(sweep_dir).resolve(), meta)
        for job in data["jobs"]:
            if isinstance(job, dict) and isinstance(job.get("num"), int):
                records.jobs[job["num"]] = job
        return records

    def entry(self, num: int) -> dict[str, Any] | None:
        """The entry of job ``num``, if it was recorded."""
        return self.jobs.get(num)

    def completed(self, num: int) -> bool:
        """Whether job ``num`` completed (a resume leaves it alone)."""
        job = self.jobs.get(num)
        return job is not None and job.get("status") == "completed"

    def ordered(self) -> list[dict[str, Any]]:
        """Every entry, by job number."""
        return [self.jobs[n] for n in sorted(self.jobs)]

    def directions(self) -> list[str]:
        """The objective's directions when the sweeper optimizes (``[]`` otherwise)."""
        found = self.meta.get("directions") or []
        return [str(d) for d in found]

    # -- writing ---------------------------------------------------------------------------
    def planned(
        self, num: int, overrides: Sequence[str], output_dir: str | None, **extra: Any
    ) -> None:
        """Record job ``num`` before it starts (``pending``); ``extra`` keys are kept as given."""
        job = self.jobs.get(num, {})
        job.update(
            {
                "num": num,
                "overrides": list(overrides),
                "status": "pending",
                "return_value": None,
                "duration_s": None,
                "output_dir": output_dir,
                "error": None,
                "traceback": None,
            }
        )
        job.update(extra)
        self.jobs[num] = job

    def started(self, num: int | None) -> None:
        """A launcher started job ``num``."""
        if num is not None and num in self.jobs:
            self.jobs[num]["status"] = "running"
            self._started[num] = time.time()
            self.save()

    def finished(self, result: JobResult) -> None:
        """Job ``result.num`` ended: record its status, value or error."""
        if result.num is None:
            return
        job = self.jobs.setdefault(
            result.num,
            {
                "num": result.num,
                "overrides": list(result.overrides),
                "output_dir": result.output_dir,
            },
        )
        job["status"] = result.status
        job["duration_s"] = round(float(result.duration), 6)
        if result.ok:
            job["return_value"] = json_value(result.return_value)
            job["error"] = job["traceback"] = None
        else:
            err = result.error
            job["return_value"] = None
            job["error"] = f"{type(err).__name__}: {err}" if err is not None else "failed"
            job["traceback"] = result.traceback or None
        self.save()

    def mark_failed(self, num: int, error: str) -> None:
        """Turn a completed job into a failed one (its return value is not a valid objective)."""
        job = self.jobs.get(num)
        if job is not None:
            job["status"] = "failed"
            job["error"] = error
            self.save(force=True)

    def save(self, force: bool = False) -> None:
        """Rewrite ``summary.json`` and ``summary.csv`` (atomically; throttled on big sweeps)."""
        now = time.monotonic()
        if not force and len(self.jobs) >= _THROTTLE_FROM and now - self._written < _THROTTLE_S:
            return
        self._written = now
        self.meta["updated"] = time.strftime("%Y-%m-%dT%H:%M:%S")
        data = {**self.meta, "jobs": self.ordered()}
        atomic_write(self.sweep_dir / SUMMARY_JSON, json.dumps(data, indent=2) + "\n")
        atomic_write(self.sweep_dir / SUMMARY_CSV, self.csv())

    def csv(self) -> str:
        """The entries as CSV: one row per job, one column per swept parameter."""
        import csv
        import io

        jobs = self.ordered()
        keys = swept_keys(jobs)
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(
            [
                "num",
                *keys,
                "return_value",
                "status",
                "duration_s",
                "output_dir",
                "error",
                "overrides",
            ]
        )
        for job in jobs:
            values = dict(split_override(o) for o in job.get("overrides") or [])
            rv = job.get("return_value")
            writer.writerow(
                [
                    job["num"],
                    *(values.get(k, "") for k in keys),
                    "" if rv is None else (rv if isinstance(rv, str) else json.dumps(rv)),
                    job.get("status", ""),
                    "" if job.get("duration_s") is None else job["duration_s"],
                    job.get("output_dir", ""),
                    job.get("error") or "",
                    " ".join(job.get("overrides") or []),
                ]
            )
        return out.getvalue()


class RecordingProgress(Progress):
    """:class:`Progress` that also keeps the records current and prints failed jobs' tracebacks."""

    def __init__(
        self,
        total: int,
        records: SweepRecords,
        stream: TextIO | None = None,
        tty: bool | None = None,
    ) -> None:
        super().__init__(total, stream, tty)
        self.records = records
        self.first_failure: JobResult | None = None

    def started(self, spec: JobSpec) -> None:
        """A launcher started ``spec``."""
        with self._lock:
            self.records.started(spec.num)
        super().started(spec)

    def finished(self, result: JobResult) -> None:
        """A job ended: record it; print its traceback when it failed."""
        with self._lock:
            self.records.finished(result)
            if not result.ok:
                if self.first_failure is None:
                    self.first_failure = result
                label = " ".join(result.overrides) or "(no overrides)"
                text = result.traceback or f"{type(result.error).__name__}: {result.error}\n"
                if self.tty:
                    self.stream.write("\r\x1b[2K")
                self.stream.write(f"job #{result.num} ({label}) failed:\n{text.rstrip()}\n")
        super().finished(result)


# -- the end-of-sweep table -----------------------------------------------------------------


def _objective(job: Mapping[str, Any], n: int) -> list[float] | None:
    if job.get("status") != "completed":
        return None
    rv = job.get("return_value")
    try:
        values = [float(v) for v in rv] if n > 1 else [float(rv)]  # type: ignore[union-attr, arg-type]
    except (TypeError, ValueError):
        return None
    if len(values) != n or any(math.isnan(v) for v in values):
        return None
    return values


def _dominates(a: Sequence[float], b: Sequence[float]) -> bool:
    return all(x <= y for x, y in zip(a, b, strict=True)) and any(
        x < y for x, y in zip(a, b, strict=True)
    )


def best_first(jobs: Sequence[Mapping[str, Any]], directions: Sequence[str]) -> list[Any]:
    """``jobs`` ordered best first for ``directions`` (the Pareto front first for several)."""
    n = len(directions)
    signs = [-1.0 if d == "maximize" else 1.0 for d in directions]
    scored = []
    for job in jobs:
        values = _objective(job, n)
        scored.append(
            (job, None if values is None else [s * v for s, v in zip(signs, values, strict=True)])
        )
    front = {
        id(job)
        for job, v in scored
        if v is not None and not any(w is not None and _dominates(w, v) for _, w in scored)
    }

    def key(
        item: tuple[Mapping[str, Any], list[float] | None],
    ) -> tuple[int, int, list[float], int]:
        job, v = item
        if v is None:
            return (2, 0, [], int(job["num"]))
        return (0 if id(job) in front else 1, 0, v, int(job["num"]))

    return [job for job, _ in sorted(scored, key=key)]


def _cell(value: Any, width: int = 24) -> str:
    if value is None:
        text = ""
    elif isinstance(value, float):
        text = f"{value:.6g}"
    elif isinstance(value, list):
        text = "[" + ", ".join(_cell(v, width) for v in value) + "]"
    else:
        text = str(value)
        if len(text) > 8 and _is_float(text):  # 0.17922999612094048 from an override
            text = f"{float(text):.6g}"
    return text if len(text) <= width else text[: width - 1] + "…"


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _task_label(overrides: Sequence[str]) -> str:
    task = [o for o in overrides if not split_override(o)[0].lstrip("+~").startswith("hydra")]
    return " ".join(task) or "(no overrides)"


def summary_table(records: SweepRecords, limit: int = 50) -> str:
    """The swept parameters against return value and status; best first when optimizing.

    At most ``limit`` rows (every job is in ``summary.csv``).
    """
    jobs = records.ordered()
    directions = records.directions()
    rows_jobs = best_first(jobs, directions) if directions else jobs
    hidden = max(0, len(rows_jobs) - limit)
    rows_jobs = rows_jobs[:limit]
    keys = swept_keys(jobs)
    header = ["#", *keys, "return value", "status", "time"]
    rows = []
    for job in rows_jobs:
        values = dict(split_override(o) for o in job.get("overrides") or [])
        duration = job.get("duration_s")
        rows.append(
            [
                str(job["num"]),
                *(_cell(values.get(k, "")) for k in keys),
                _cell(job.get("return_value")),
                str(job.get("status", "")),
                "" if duration is None else f"{float(duration):.2f}s",
            ]
        )
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  " + "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    title = "Summary (best first):" if directions else "Summary:"
    out = [title, line(header), *(line(r) for r in rows)]
    if hidden:
        out.append(f"  ... and {hidden} more jobs (every one is in {SUMMARY_CSV})")
    failed = [j for j in jobs if j.get("status") == "failed"]
    done = [j for j in jobs if j.get("status") == "completed"]
    other = len(jobs) - len(failed) - len(done)
    tail = f"{len(done)} completed, {len(failed)} failed"
    out.append(tail + (f", {other} did not run" if other else ""))
    for job in failed:
        label = _task_label(job.get("overrides") or [])
        out.append(f"  job #{job['num']} ({label}) failed: {job.get('error')}")
    out.append(f"Records: {records.sweep_dir / SUMMARY_JSON} (and {SUMMARY_CSV})")
    return "\n".join(out) + "\n"
