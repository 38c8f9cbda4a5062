"""Sweep records on disk, failure tracebacks, --resume, --fail-fast, the ETA and `confcompose plot`."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import confcompose
from confcompose.app.progress import Progress, format_duration
from confcompose.app.records import SweepRecords, best_first, json_value, summary_table
from confcompose.app.runs import JobResult
from tests.app.conftest import APPS, ROOT, Runner

PROBE = APPS / "probe.py"
SPHERE = APPS / "hpo" / "sphere.py"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
QUIET = "hydra/job_logging=disabled"


def _summary(sweep: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((sweep / "summary.json").read_text())
    return data


def _statuses(sweep: Path) -> list[tuple[int, str]]:
    return [(j["num"], j["status"]) for j in _summary(sweep)["jobs"]]


def test_failed_job_traceback_in_log_and_records(run: Runner, tmp_path: Path) -> None:
    res = run(PROBE, "-m", "lr=0.1,0.2,0.3", "fail_on=0.2", "hydra.sweep.dir=sw")
    assert res.returncode == 1
    sweep = tmp_path / "sw"
    log = (sweep / "1" / "probe.log").read_text()
    assert "Traceback (most recent call last)" in log
    assert "ValueError: failing on purpose for lr=0.2" in log
    assert "Traceback" not in (sweep / "0" / "probe.log").read_text()
    jobs = _summary(sweep)["jobs"]
    assert [(j["num"], j["status"], j["return_value"]) for j in jobs] == [
        (0, "completed", 0.1),
        (1, "failed", None),
        (2, "completed", 0.3),
    ]
    assert jobs[1]["error"] == "ValueError: failing on purpose for lr=0.2"
    assert "raise ValueError" in jobs[1]["traceback"]
    assert jobs[0]["overrides"] == ["lr=0.1", "fail_on=0.2", "hydra.sweep.dir=sw"]
    assert jobs[0]["output_dir"] == str(sweep / "0") and jobs[0]["duration_s"] >= 0
    rows = list(csv.DictReader(io.StringIO((sweep / "summary.csv").read_text())))
    assert [(r["num"], r["lr"], r["status"]) for r in rows] == [
        ("0", "0.1", "completed"),
        ("1", "0.2", "failed"),
        ("2", "0.3", "completed"),
    ]
    # on screen: the traceback when the job fails, then the table of swept parameters
    assert "job #1 (lr=0.2 fail_on=0.2) failed:\nTraceback" in res.stderr
    table = res.stderr.split("Summary:\n")[1].splitlines()
    assert table[0].split() == ["#", "lr", "return", "value", "status", "time"]
    assert table[2].split()[:3] == ["1", "0.2", "failed"]
    assert "2 completed, 1 failed" in res.stderr


def test_resume_reruns_only_what_failed(run: Runner, tmp_path: Path) -> None:
    args = ["-m", "-cn", "plain", "x=1,2,3", "y=0,1", "hydra.sweep.dir=sw"]
    first = run(SPHERE, *args, env={"HPO_FAIL_X": "2"})
    assert first.returncode == 1
    sweep = tmp_path / "sw"
    assert [s for _, s in _statuses(sweep)] == ["completed"] * 2 + ["failed"] * 2 + [
        "completed"
    ] * 2
    kept = (sweep / "0" / ".hydra" / "config.yaml").stat().st_mtime_ns
    again = run(SPHERE, "--resume", "sw")
    assert again.returncode == 0, again.stderr
    ran = re.findall(r"\] (#\d+) ", again.stderr)
    assert ran == ["#2", "#3"]  # just the failed jobs, with their numbers
    assert [s for _, s in _statuses(sweep)] == ["completed"] * 6
    assert _summary(sweep)["jobs"][2]["return_value"] == 4.0
    assert (sweep / "0" / ".hydra" / "config.yaml").stat().st_mtime_ns == kept
    assert (sweep / "2" / ".hydra" / "overrides.yaml").read_text() == "- x=2\n- y=0\n"


def test_fail_fast_then_resume(run: Runner, tmp_path: Path) -> None:
    args = ["-m", "-cn", "plain", "x=1,2,3", "hydra.sweep.dir=sw", "--fail-fast"]
    first = run(SPHERE, *args, env={"HPO_FAIL_X": "2"})
    assert first.returncode == 1
    assert "fail-fast: stopped launching jobs after the first failure" in first.stderr
    sweep = tmp_path / "sw"
    assert _statuses(sweep) == [(0, "completed"), (1, "failed"), (2, "pending")]
    assert not (sweep / "2").exists()
    again = run(SPHERE, "--resume", str(sweep))
    assert again.returncode == 0, again.stderr
    assert _statuses(sweep) == [(0, "completed"), (1, "completed"), (2, "completed")]


def _sphere() -> Any:
    spec = importlib.util.spec_from_file_location("sphere", SPHERE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["sphere"] = module  # @main finds the app's file (and config dir) through it
    spec.loader.exec_module(module)
    return module.sphere


@pytest.mark.parametrize("storage", [None, "sqlite:///study.db"])
def test_optuna_resume_reruns_the_failed_trial(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, storage: str | None
) -> None:
    optuna = pytest.importorskip("optuna")
    monkeypatch.chdir(tmp_path)  # in this process: jobs log nowhere (job_logging=disabled)
    sphere = _sphere()
    monkeypatch.setenv("HPO_FAIL_X", "2")
    args = ["hydra.sweep.dir=sw", "hydra.sweeper.n_trials=4", "hydra.sweeper.max_failure_rate=1"]
    if storage:
        args.append(f"hydra.sweeper.storage={storage}")
    first = sphere(argv=["-m", QUIET, *args, "x=choice(1, 2)"])
    sweep = tmp_path / "sw"
    before = {j["num"]: j for j in _summary(sweep)["jobs"]}
    failed = [n for n, j in before.items() if j["status"] == "failed"]
    assert failed and [r.num for r in first.failed] == failed
    monkeypatch.delenv("HPO_FAIL_X")
    again = sphere(argv=["--resume", "sw"])
    assert [r.num for r in again] == failed and not again.failed
    after = {j["num"]: j for j in _summary(sweep)["jobs"]}
    assert all(j["status"] == "completed" for j in after.values()) and len(after) == 4
    for n in failed:  # the same point again, in the same job
        assert after[n]["params"] == before[n]["params"]
        assert after[n]["overrides"] == before[n]["overrides"]
    best = confcompose.to_container(confcompose.load(sweep / "optimization_results.yaml"))
    assert best["best_value"] == min(j["return_value"] for j in after.values())
    if storage:  # the stored study was continued: its failed trials, then their reruns
        trials = optuna.load_study(study_name="sphere", storage=storage).trials
        assert len(trials) == 4 + len(failed)
        assert sum(t.state.name == "FAIL" for t in trials) == len(failed)


@pytest.mark.parametrize(
    ("argv", "match"),
    [
        pytest.param(["--resume", "nowhere"], "does not exist", id="no-dir"),
        pytest.param(["--resume", "."], "no summary.json", id="no-summary"),
        pytest.param(["--resume", "sw", "x=3"], "takes no task overrides", id="task-override"),
    ],
)
def test_resume_errors(run: Runner, tmp_path: Path, argv: list[str], match: str) -> None:
    (tmp_path / "sw").mkdir()
    (tmp_path / "sw" / "summary.json").write_text('{"jobs": []}')
    res = run(SPHERE, *argv)
    assert res.returncode == 2 and match in res.stderr and "Traceback" not in res.stderr


# -- plot ----------------------------------------------------------------------------------------


def test_plot_writes_a_png(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("optuna")
    pytest.importorskip("matplotlib")
    from confcompose.app.cli import main

    monkeypatch.chdir(tmp_path)
    _sphere()(argv=["-m", QUIET, "hydra.sweep.dir=sw", "hydra.sweeper.n_trials=4"])
    capsys.readouterr()
    with pytest.raises(SystemExit) as done:
        main(["plot", "sw"])
    assert done.value.code == 0
    png = tmp_path / "sw" / "summary.png"
    assert capsys.readouterr().out.strip() == str(png)
    assert png.read_bytes()[:8] == PNG_MAGIC
    import matplotlib.image

    height, width, _ = matplotlib.image.imread(png).shape
    assert width > height > 300  # three panels side by side: x, y, the history
    with pytest.raises(SystemExit) as missing:
        main(["plot", "nowhere", "--out", "x.png"])
    assert missing.value.code == 2 and "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()


# -- units ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(1.5, 1.5, id="float"),
        pytest.param((1, "a"), [1, "a"], id="tuple"),
        pytest.param({"a": [1, None]}, {"a": [1, None]}, id="nested"),
        pytest.param(float("inf"), "inf", id="inf"),
        pytest.param({1, 2}, "{1, 2}", id="set"),
        pytest.param([1, {2}], [1, "{2}"], id="list-of-odd"),
    ],
)
def test_json_value(value: object, expected: object) -> None:
    assert json_value(value) == expected


def _records(tmp_path: Path, values: list[Any], directions: list[str]) -> SweepRecords:
    records = SweepRecords(tmp_path, {"directions": directions})
    for num, value in enumerate(values):
        records.planned(num, [f"a={num}"], str(tmp_path / str(num)))
        ok = value is not None
        records.finished(
            JobResult(
                num,
                (f"a={num}",),
                "",
                "completed" if ok else "failed",
                value,
                None if ok else ValueError("x"),
            )
        )
    return records


@pytest.mark.parametrize(
    ("values", "directions", "order"),
    [
        pytest.param([3.0, 1.0, None, 2.0], ["minimize"], [1, 3, 0, 2], id="minimize"),
        pytest.param([3.0, 1.0, None, 2.0], ["maximize"], [0, 3, 1, 2], id="maximize"),
        pytest.param(
            [[1, 5], [2, 2], [3, 3], [5, 1]], ["minimize", "minimize"], [0, 1, 3, 2], id="pareto"
        ),
    ],
)
def test_best_first(
    tmp_path: Path, values: list[Any], directions: list[str], order: list[int]
) -> None:
    records = _records(tmp_path, values, directions)
    assert [j["num"] for j in best_first(records.ordered(), directions)] == order
    rows = summary_table(records).splitlines()[2 : 2 + len(values)]
    assert [int(r.split()[0]) for r in rows] == order


def test_summary_table_is_capped(tmp_path: Path) -> None:
    text = summary_table(_records(tmp_path, [float(i) for i in range(60)], ["maximize"]))
    rows = text.splitlines()
    assert rows[2].split()[:2] == ["59", "59"] and len(rows) == 2 + 50 + 3
    assert "... and 10 more jobs (every one is in summary.csv)" in text
    assert "60 completed, 0 failed" in text


@pytest.mark.parametrize(("failures", "shown"), [(3, 3), (50, 50), (120, 50)])
def test_failure_lines_are_capped(tmp_path: Path, failures: int, shown: int) -> None:
    # a sweep where every job fails must not print one line per job
    text = summary_table(_records(tmp_path, [None] * failures, []))
    assert text.count(") failed: ValueError: x") == shown
    more = f"... and {failures - shown} more failed jobs (their errors are in summary.csv)"
    assert (more in text) == (failures > shown)
    assert f"0 completed, {failures} failed" in text


def test_records_round_trip(tmp_path: Path) -> None:
    records = _records(tmp_path, [1.0, None], [])
    records.save(force=True)
    back = SweepRecords.load(tmp_path)
    assert back.ordered() == records.ordered() and back.completed(0) and not back.completed(1)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "summary.csv",
        "summary.json",
        "summary.jsonl",
    ]  # no temp files


def test_summary_json_is_the_documented_document(tmp_path: Path) -> None:
    # Streamed entry by entry, the file is byte for byte what one json.dumps of it would be.
    records = _records(tmp_path, [1.0, None, [2, "x"]], ["minimize"])
    records.planned(7, ["a=7"], None, params={"a": 7})
    records.save(force=True)
    text = (tmp_path / "summary.json").read_text()
    data = json.loads(text)
    assert text == json.dumps(data, indent=2) + "\n"
    assert [j["num"] for j in data["jobs"]] == [0, 1, 2, 7]
    assert [j["status"] for j in data["jobs"]] == ["completed", "failed", "completed", "pending"]
    assert data["jobs"][3]["params"] == {"a": 7} and data["directions"] == ["minimize"]
    empty = SweepRecords(tmp_path / "empty", {})
    empty.save(force=True)
    assert json.loads((tmp_path / "empty" / "summary.json").read_text())["jobs"] == []


@pytest.mark.parametrize("cut", [0, 5], ids=["whole-log", "log-cut-mid-line"])
def test_load_prefers_the_log_to_a_stale_summary(tmp_path: Path, cut: int) -> None:
    # The log gets every finished job at once; summary.json is throttled and may lag behind.
    records = SweepRecords(tmp_path, {})
    records.planned(0, ["a=0"], "d0")
    records.planned(1, ["a=1"], "d1")
    records.save(force=True)
    stale = (tmp_path / "summary.json").read_text()  # both pending
    records.finished(JobResult(0, ("a=0",), "d0", "completed", 3))
    records.finished(JobResult(1, ("a=1",), "d1", "failed", None, ValueError("boom")))
    (tmp_path / "summary.json").write_text(stale)  # a crash before the next rewrite
    log = tmp_path / "summary.jsonl"
    if cut:
        log.write_bytes(log.read_bytes()[:-cut])  # job 1's line cut short by a crash
    back = SweepRecords.load(tmp_path)
    assert back.completed(0) and not back.completed(1) and back.count_completed(2) == 1
    entry = back.entry(1)
    assert entry is not None and entry["status"] == ("pending" if cut else "failed")
    back.planned(1, ["a=1"], "d1")
    back.finished(JobResult(1, ("a=1",), "d1", "completed", 4))
    again = SweepRecords.load(tmp_path)
    assert [(j["num"], j["status"], j["return_value"]) for j in again.ordered()] == [
        (0, "completed", 3),
        (1, "completed", 4),
    ]


def test_finished_jobs_leave_memory(tmp_path: Path) -> None:
    records = _records(tmp_path, [float(i) for i in range(300)], [])
    assert records.jobs == {} and records.count_completed(300) == 300
    assert len(records.ordered()) == 300 and records.completed(299)
    records.mark_failed(5, "ValueError: nan")
    assert not records.completed(5) and SweepRecords.load(tmp_path).count_completed(300) == 299


def test_progress_eta() -> None:
    out = io.StringIO()
    p = Progress(4, out, tty=False)
    p.started(None)  # type: ignore[arg-type]
    p._t0 = time.monotonic() - 10  # the first job started 10 s ago
    p.finished(JobResult(0, ("a=0",), "", duration=10.0))
    assert ", ETA " in out.getvalue()
    assert p.eta() == pytest.approx(30, abs=2)


@pytest.mark.parametrize(
    ("seconds", "text"), [(0.4, "0s"), (59, "59s"), (61, "1m01s"), (3600, "1h00m")]
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


def test_readme_documents_the_switches() -> None:
    text = (ROOT / "README.md").read_text()
    for word in (
        "--resume",
        "--fail-fast",
        "confcompose plot",
        "hydra/sweeper=optuna",
        "summary.json",
        "summary.jsonl",
    ):
        assert word in text
