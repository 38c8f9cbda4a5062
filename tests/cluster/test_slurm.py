"""``hydra/launcher=submitit_slurm`` on a real SLURM cluster (.ci/slurm-up.sh brings one up).

Every test submits real jobs with ``sbatch`` and reads back what the jobs saw; they skip with the
reason where no cluster answers (and fail where CI said it brought one up).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import confcompose
from tests.app.conftest import ROOT, app_env
from tests.cluster.conftest import results, run_job_app, start_job_app

pytestmark = pytest.mark.usefixtures("slurm")
SLURM = ("hydra/launcher=submitit_slurm", "hydra.sweep.dir=sw", "hydra.launcher.timeout_min=5")


@pytest.fixture(scope="module", autouse=True)
def time_limited(
    slurm: None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[subprocess.Popen[str], Path]]:
    """A sweep whose second job outlives its time limit, started before this module's tests.

    A limit in seconds goes through additional_parameters (timeout_min cannot go below a
    minute), but SLURM checks time limits only about once a minute: the sweep runs while the
    other tests do, and the time-limit test (placed late) collects it. The signal moves to
    SIGURG (ignored): submitit's USR2 handler, sent `signal_delay_s` before the limit, would
    requeue a job that ran less than its timeout_min as "preempted".
    """
    cwd = tmp_path_factory.mktemp("time_limit")
    proc = start_job_app(
        cwd,
        "-m",
        "x=1,2",
        "sleep=300",
        "sleep_on=2",
        *SLURM,
        "+hydra.launcher.additional_parameters.time='0:05'",
        "+hydra.launcher.additional_parameters.signal=URG@1",
    )
    yield proc, cwd
    if proc.poll() is None:  # the module's tests were deselected or failed early
        proc.kill()
        proc.communicate()
        for folder in (cwd / "sw" / ".submitit").glob("*"):
            if folder.name.isdigit():
                subprocess.run(["scancel", folder.name], check=False)


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if ".submitit" not in p.parts)


def _submission(sweep: Path) -> str:
    [script] = sweep.glob(".submitit/*/*_submission.sh")
    return script.read_text()


def test_sweep_runs_as_slurm_jobs(tmp_path: Path) -> None:
    res = run_job_app(
        tmp_path,
        "-m",
        "x=1,2,3",
        "fail_on=2",
        *SLURM,
        "hydra.launcher.partition=debug",
        "hydra.launcher.cpus_per_task=1",
        "hydra.launcher.mem_gb=1",
        "hydra.launcher.comment=confcompose-test",
        "hydra.launcher.max_num_timeout=1",
        "hydra.launcher.signal_delay_s=30",
        "hydra.launcher.setup=['export CC_SETUP=from-setup']",
        "+hydra.launcher.additional_parameters.wckey=cc",
    )
    assert res.returncode == 1, res.stderr
    assert "2 completed, 1 failed" in res.stderr
    assert "job #1 (x=2 fail_on=2) failed: ValueError: failing on purpose for x=2" in res.stderr
    ok0, failed, ok2 = results(res.stdout)
    assert [ok0["status"], failed["status"], ok2["status"]] == ["completed", "failed", "completed"]
    # Return values come back from the jobs: each ran as a task of one SLURM job array.
    values = [ok0["value"], ok2["value"]]
    assert [v["x"] for v in values] == [1, 3]
    assert [v["slurm_task"] for v in values] == ["0", "2"]
    assert all(v["slurm_job_id"] for v in values)
    assert values[0]["slurm_job_id"] != values[1]["slurm_job_id"]
    assert values[0]["slurm_array"] == values[1]["slurm_array"]
    assert all(v["setup_env"] == "from-setup" for v in values)  # `setup` ran before the job
    assert failed["error"] == "ValueError: failing on purpose for x=2"
    assert ", in job\nValueError: failing on purpose for x=2" in failed["traceback"]
    # The settings reached sbatch as hydra-submitit-launcher's users expect.
    script = _submission(tmp_path / "sw")
    for line in (
        "#SBATCH --partition=debug",
        "#SBATCH --cpus-per-task=1",
        "#SBATCH --mem=1GB",
        "#SBATCH --comment=confcompose-test",
        "#SBATCH --signal=USR2@30",
        "#SBATCH --time=5",
        "#SBATCH --wckey=cc",
        "#SBATCH --job-name=job",
        "#SBATCH --array=0-2%3",
        "export CC_SETUP=from-setup",
    ):
        assert line in script.splitlines(), line
    # Job dirs and saved files are those of the local launcher.
    local = run_job_app(tmp_path, "-m", "x=1,2,3", "fail_on=2", "hydra.sweep.dir=local")
    assert local.returncode == 1, local.stderr
    assert _files(tmp_path / "sw") == _files(tmp_path / "local")
    for num, x in [(0, 1), (1, 2), (2, 3)]:
        job_dir = tmp_path / "sw" / str(num)
        for name in ("config.yaml", "overrides.yaml"):
            assert (job_dir / ".hydra" / name).read_text() == (
                tmp_path / "local" / str(num) / ".hydra" / name
            ).read_text()
        hydra = confcompose.load(job_dir / ".hydra" / "hydra.yaml")
        assert confcompose.select(hydra, "hydra.job.num") == num
        assert f"job x={x}" in (job_dir / "job.log").read_text()


@pytest.mark.parametrize(
    ("override", "message"),
    [
        pytest.param(
            "hydra.launcher.partition=nope",
            "the slurm executor did not accept the jobs",
            id="sbatch-refuses",
        ),
        pytest.param(
            "+hydra.launcher.mail_type=END",
            "unknown option 'mail_type' for the submitit launcher",
            id="unknown-setting",
        ),
        pytest.param(
            "hydra.launcher.timeout_min=ten",
            "submitit rejected the launcher settings",
            id="wrong-type",
        ),
    ],
)
def test_refused_settings_are_config_errors(tmp_path: Path, override: str, message: str) -> None:
    res = run_job_app(tmp_path, "-m", "x=1,2", *SLURM, override, timeout=60)
    assert res.returncode == 2, res.stderr
    assert message in res.stderr
    assert "Traceback" not in res.stderr


def _wait_running(array: str, index: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        out = subprocess.run(
            ["squeue", "--noheader", "--array", "--format=%i %T", "--jobs", array],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        if f"{array}_{index} RUNNING" in out.splitlines():
            return
        time.sleep(0.2)
    raise AssertionError(f"array task {array}_{index} never ran")


def _array_id(sweep: Path, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [p.name for p in sweep.glob(".submitit/*") if p.name.isdigit()]
        if found:
            return found[0]
        time.sleep(0.2)
    raise AssertionError("the sweep submitted nothing")


def test_cancelled_and_dead_jobs_fail_and_the_sweep_finishes(tmp_path: Path) -> None:
    proc = start_job_app(tmp_path, "-m", "x=1,2,3", "sleep=300", "sleep_on=2", "exit_on=3", *SLURM)
    try:
        array = _array_id(tmp_path / "sw")
        _wait_running(array, 1)
        subprocess.run(["scancel", f"{array}_1"], check=True)
        stdout, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
            subprocess.run(["scancel", "--name=job"], check=False)
    assert proc.returncode == 1, stderr
    assert "1 completed, 2 failed" in stderr
    ok, cancelled, died = results(stdout)
    assert ok["status"] == "completed" and ok["value"]["x"] == 1
    assert cancelled["status"] == "failed"
    assert cancelled["error"].startswith(f"UncompletedJobError: SLURM job {array}_1 ended without")
    assert "CANCELLED" in cancelled["traceback"]  # the end of the job's log, from slurmstepd
    assert died["status"] == "failed"
    assert f"SLURM job {array}_2 ended without a result" in died["error"]
    assert "job #1 (x=2 sleep=300 sleep_on=2 exit_on=3) failed: UncompletedJobError" in stderr


def test_readme_slurm_sweep(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text()
    [command] = re.findall(
        r"```shell\n\$ (python \S+ -m hydra/launcher=submitit_slurm .*)\n", readme
    )
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    words = shlex.split(command)
    res = subprocess.run(
        [sys.executable, *words[1:]],
        cwd=tmp_path,
        env=app_env(),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert res.returncode == 0, res.stderr
    assert "3 completed, 0 failed" in res.stderr
    logs = "".join(p.read_text() for p in tmp_path.glob("multirun/*/*/.submitit/*/*_log.out"))
    for lr in ("0.001", "0.01", "0.1"):
        assert f"with batch size 32 and LR {lr}\n" in logs


def test_time_limit_kills_a_job_and_the_sweep_finishes(
    time_limited: tuple[subprocess.Popen[str], Path],
) -> None:
    proc, _ = time_limited
    stdout, stderr = proc.communicate(timeout=240)
    assert proc.returncode == 1, stderr
    ok, killed = results(stdout)
    assert ok["status"] == "completed"
    assert killed["status"] == "failed"
    assert "ended without a result" in killed["error"]
    assert "DUE TO TIME LIMIT" in killed["traceback"]


def _overlaps(values: list[dict[str, Any]]) -> int:
    """The largest number of jobs that ran at the same moment."""
    events = sorted([(v["start"], 1) for v in values] + [(v["end"], -1) for v in values])
    most = running = 0
    for _, step in events:
        running += step
        most = max(most, running)
    return most


@pytest.mark.parametrize("parallelism", [1, 2])
def test_array_parallelism_limits_concurrency(tmp_path: Path, parallelism: int) -> None:
    res = run_job_app(
        tmp_path,
        "-m",
        "x=1,2,3",
        "sleep=2",
        *SLURM,
        "hydra.launcher.cpus_per_task=1",
        f"hydra.launcher.array_parallelism={parallelism}",
    )
    assert res.returncode == 0, res.stderr
    values = [r["value"] for r in results(res.stdout)]
    assert f"#SBATCH --array=0-2%{parallelism}" in _submission(tmp_path / "sw").splitlines()
    # One CPU per job: as many run together as allowed, unless the node has fewer CPUs.
    assert _overlaps(values) == min(parallelism, os.cpu_count() or 1)
