"""Sweep records: ``summary.json`` and ``summary.csv`` in the sweep directory, kept current.

Every job of a multirun is one entry (``num``, ``overrides``, ``status``, ``return_value``,
``duration_s``, ``output_dir``, ``error``, ``traceback``); each finished job is appended to
``summary.jsonl`` at once and the summaries are rewritten atomically as jobs start and finish
(throttled on long sweeps), so a sweep that dies half-way still says which jobs completed.
``--resume`` reads it back (:meth:`SweepRecords.load`), ``confcompose plot`` draws it, and
:func:`summary_table` prints it at the end of a sweep.

>>> json_value((1, 2.5)), json_value(float("nan")), json_value(object)
([1, 2.5], 'nan', "<class 'object'>")
"""

from __future__ import annotations

import itertools
import json
import math
import os
import time
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO

from confcompose import ConfigError
from confcompose.app.progress import Progress
from confcompose.app.runs import atomic_writer
from confcompose.parsing.overrides import override_key, split_override

if TYPE_CHECKING:
    from confcompose.app.runs import JobResult, JobSpec

SUMMARY_JSON = "summary.json"
SUMMARY_CSV = "summary.csv"
#: The append-only log of finished jobs (one JSON entry a line; the last line of a number wins).
SUMMARY_LOG = "summary.jsonl"
FORMAT = 1
#: Statuses a job entry can have; ``running``/``pending`` ones never finished (resume reruns them).
STATUSES = ("pending", "running", "completed", "failed")
# Rewrite at most this often once a sweep is large (the final write always happens).
_THROTTLE_S = 0.5
_THROTTLE_FROM = 200
# ...and at most this share of the sweep's time (a rewrite costs time linear in the jobs).
_WRITE_SHARE = 0.05
_CODES = {s: i for i, s in enumerate(STATUSES, 1)}
_COMPLETED = _CODES["completed"]


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


def swept_keys(jobs: Iterable[Mapping[str, Any]]) -> list[str]:
    """The override keys whose value differs between jobs (all keys of a single job)."""
    seen: dict[str, set[str]] = {}
    count = 0
    for job in jobs:
        count += 1
        for text in job.get("overrides") or []:
            if not override_key(text).startswith(("hydra.", "hydra/")):
                key, value = split_override(text)
                seen.setdefault(key, set()).add(value)
    if count <= 1:
        return list(seen)
    return [k for k, values in seen.items() if len(values) > 1]


class SweepRecords:
    """The job entries of one sweep directory and the metadata of the sweep.

    Memory stays flat on long sweeps: a finished job's entry is appended to ``summary.jsonl``
    (one JSON line per job, the last line of a number wins) and dropped from memory, keeping
    only its status and where its line starts (9 bytes per job). Entries of jobs not finished
    yet (``pending``, ``running``) stay in :attr:`jobs`. ``summary.json`` and ``summary.csv``
    are streamed from both; they are rewritten no sooner than ``1 / _WRITE_SHARE`` times the
    time the last rewrite took (and on a large sweep at most every ``_THROTTLE_S`` seconds),
    so the records cost a bounded share of the sweep (the write at the end of every batch
    always happens).
    """

    def __init__(self, sweep_dir: str | os.PathLike[str], meta: Mapping[str, Any]) -> None:
        self.sweep_dir = Path(sweep_dir)
        self.meta: dict[str, Any] = {"format": FORMAT, **meta}
        #: Entries of the jobs that did not finish (yet), by number.
        self.jobs: dict[int, dict[str, Any]] = {}
        # Finished jobs: offset of their last line in the log (-1: none), status code by number.
        self._offsets = array("q")
        self._status = bytearray()
        self._written = 0.0
        self._cost = 0.0

    # -- reading ---------------------------------------------------------------------------
    @classmethod
    def load(cls, sweep_dir: str | os.PathLike[str]) -> SweepRecords:
        """The records of an earlier sweep (``summary.json`` and its log in ``sweep_dir``)."""
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
        records._index_log()
        # The log holds every job that finished (it is written first); summary.json adds the
        # jobs that never finished, and jobs of a summary written without a log.
        for job in data["jobs"]:
            if isinstance(job, dict) and isinstance(job.get("num"), int):
                num = job["num"]
                if num < 0 or records._offset(num) < 0:
                    records.jobs[num] = job
        return records

    def _index_log(self) -> None:
        path = self.sweep_dir / SUMMARY_LOG
        try:
            f = path.open("rb")
        except OSError:
            return
        with f:
            offset = 0
            for line in f:
                try:
                    job = json.loads(line)
                    num = job["num"]
                    status = job.get("status")
                except (ValueError, TypeError, KeyError):
                    num = None  # a line cut short by a crash: the job did not finish
                if isinstance(num, int) and num >= 0:
                    self._remember(num, offset, status)
                offset += len(line)
        if offset and not self._valid_end(path):
            # A crash mid-line: end it, so the next line appended starts on a line of its own.
            with path.open("ab") as out:
                out.write(b"\n")

    @staticmethod
    def _valid_end(path: Path) -> bool:
        with path.open("rb") as f:
            f.seek(-1, os.SEEK_END)
            return f.read(1) == b"\n"

    def _remember(self, num: int, offset: int, status: Any) -> None:
        if num >= len(self._offsets):
            grow = num + 1 - len(self._offsets)
            self._offsets.extend(itertools.repeat(-1, grow))
            self._status.extend(bytes(grow))
        self._offsets[num] = offset
        self._status[num] = _CODES.get(status, 0)

    def _offset(self, num: int) -> int:
        return self._offsets[num] if 0 <= num < len(self._offsets) else -1

    def _read(self, num: int, reader: BinaryIO | None = None) -> dict[str, Any] | None:
        offset = self._offset(num)
        if offset < 0:
            return None
        if reader is None:
            with (self.sweep_dir / SUMMARY_LOG).open("rb") as f:
                return self._read(num, f)
        reader.seek(offset)
        job: dict[str, Any] = json.loads(reader.readline())
        return job

    def entry(self, num: int) -> dict[str, Any] | None:
        """The entry of job ``num``, if it was recorded (a copy for a finished job)."""
        job = self.jobs.get(num)
        return job if job is not None else self._read(num)

    def completed(self, num: int) -> bool:
        """Whether job ``num`` completed (a resume leaves it alone)."""
        job = self.jobs.get(num)
        if job is not None:
            return job.get("status") == "completed"
        return 0 <= num < len(self._status) and self._status[num] == _COMPLETED

    def count_completed(self, below: int) -> int:
        """How many of the jobs numbered under ``below`` completed."""
        live = sum(1 for n, j in self.jobs.items() if n < below and j.get("status") == "completed")
        return live + sum(
            1
            for n, code in enumerate(self._status[: max(0, below)])
            if code == _COMPLETED and n not in self.jobs
        )

    def numbers(self) -> Iterator[int]:
        """The numbers of every recorded job, in order."""
        size = len(self._offsets)
        live = self.jobs
        yield from sorted(n for n in live if n < 0)
        offsets = self._offsets
        for num in range(size):
            if offsets[num] >= 0 or num in live:
                yield num
        yield from sorted(n for n in live if n >= size)

    def iter_ordered(self) -> Iterator[dict[str, Any]]:
        """Every entry, by job number, read as it is iterated (flat memory on long sweeps)."""
        if not len(self._offsets):
            yield from (self.jobs[n] for n in sorted(self.jobs))
            return
        with (self.sweep_dir / SUMMARY_LOG).open("rb") as reader:
            for num in self.numbers():
                job = self.jobs.get(num)
                if job is None:
                    job = self._read(num, reader)
                if job is not None:
                    yield job

    def ordered(self) -> list[dict[str, Any]]:
        """Every entry, by job number."""
        return list(self.iter_ordered())

    def directions(self) -> list[str]:
        """The objective's directions when the sweeper optimizes (``[]`` otherwise)."""
        found = self.meta.get("directions") or []
        return [str(d) for d in found]

    # -- writing ---------------------------------------------------------------------------
    def planned(
        self, num: int, overrides: Sequence[str], output_dir: str | None, **extra: Any
    ) -> None:
        """Record job ``num`` before it starts (``pending``); ``extra`` keys are kept as given."""
        job = self.entry(num) or {}
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
            self.save()

    def finished(self, result: JobResult) -> None:
        """Job ``result.num`` ended: record its status, value or error."""
        if result.num is None:
            return
        job = self.jobs.pop(result.num, None) or self._read(result.num)
        if job is None:
            job = {
                "num": result.num,
                "overrides": list(result.overrides),
                "output_dir": result.output_dir,
            }
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
        self._append(job)
        self.save()

    def mark_failed(self, num: int, error: str) -> None:
        """Turn a completed job into a failed one (its return value is not a valid objective)."""
        job = self.entry(num)
        if job is not None:
            job["status"] = "failed"
            job["error"] = error
            if num in self.jobs:
                self.jobs[num] = job
            else:
                self._append(job)
            self.save(force=True)

    def _append(self, job: dict[str, Any]) -> None:
        num = job["num"]
        if not isinstance(num, int) or num < 0:  # not a job number the log can index
            self.jobs[num] = job
            return
        self.sweep_dir.mkdir(parents=True, exist_ok=True)
        # Opened per line: no handle outlives a call, and a crash after the write keeps the job.
        with (self.sweep_dir / SUMMARY_LOG).open("ab") as log:
            offset = log.seek(0, os.SEEK_END)
            log.write(json.dumps(job).encode() + b"\n")
        self._remember(num, offset, job.get("status"))

    def save(self, force: bool = False) -> None:
        """Rewrite ``summary.json`` and ``summary.csv`` (atomically; throttled on big sweeps)."""
        now = time.monotonic()
        if not force:
            big = len(self._status) + len(self.jobs) >= _THROTTLE_FROM
            wait = max(_THROTTLE_S if big else 0.0, self._cost / _WRITE_SHARE)
            if now - self._written < wait:
                return
        self.meta["updated"] = time.strftime("%Y-%m-%dT%H:%M:%S")
        head = json.dumps({**self.meta, "jobs": []}, indent=2)  # ends with `[]\n}`
        with atomic_writer(self.sweep_dir / SUMMARY_JSON) as out:
            out.write(head[:-4])
            first = True
            for job in self.iter_ordered():
                text = json.dumps(job, indent=2).replace("\n", "\n    ")
                out.write(("[\n    " if first else ",\n    ") + text)
                first = False
            out.write("[]\n}\n" if first else "\n  ]\n}\n")
        with atomic_writer(self.sweep_dir / SUMMARY_CSV) as out:
            self._csv(out)
        self._written = time.monotonic()
        self._cost = self._written - now

    def csv(self) -> str:
        """The entries as CSV: one row per job, one column per swept parameter."""
        import io

        out = io.StringIO()
        self._csv(out)
        return out.getvalue()

    def _csv(self, out: TextIO) -> None:
        import csv

        keys = swept_keys(self.iter_ordered())
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
        for job in self.iter_ordered():
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
    task = [o for o in overrides if not override_key(o).startswith("hydra")]
    return " ".join(task) or "(no overrides)"


def summary_table(records: SweepRecords, limit: int = 50) -> str:
    """The swept parameters against return value and status; best first when optimizing.

    At most ``limit`` rows and ``limit`` failure lines (every job is in ``summary.csv``).
    """
    directions = records.directions()
    # Read as streams (a long sweep's entries are on disk); ordering best first needs them all.
    if directions:
        rows_jobs = best_first(records.ordered(), directions)
    else:
        rows_jobs = list(itertools.islice(records.iter_ordered(), limit + 1))
    counts = {"completed": 0, "failed": 0, "other": 0}
    failed: list[tuple[Any, str, Any]] = []

    def tallied(jobs: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        # Statuses and failures counted while swept_keys reads the entries: one pass over them.
        for job in jobs:
            status = job.get("status")
            if status == "failed" and len(failed) < limit:
                label = _task_label(job.get("overrides") or [])
                failed.append((job["num"], label, job.get("error")))
            counts[status if status in ("completed", "failed") else "other"] += 1
            yield job

    keys = swept_keys(tallied(records.iter_ordered()))
    hidden = sum(counts.values()) - min(limit, len(rows_jobs))
    rows_jobs = rows_jobs[:limit]
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
    other = counts["other"]
    tail = f"{counts['completed']} completed, {counts['failed']} failed"
    out.append(tail + (f", {other} did not run" if other else ""))
    for num, label, error in failed:
        out.append(f"  job #{num} ({label}) failed: {error}")
    if counts["failed"] > len(failed):
        more = counts["failed"] - len(failed)
        out.append(f"  ... and {more} more failed jobs (their errors are in {SUMMARY_CSV})")
    out.append(f"Records: {records.sweep_dir / SUMMARY_JSON} (and {SUMMARY_CSV})")
    return "\n".join(out) + "\n"
