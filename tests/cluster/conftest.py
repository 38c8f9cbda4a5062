"""Real clusters for the launcher tests: the SLURM that .ci/slurm-up.sh started, a Ray head.

The SLURM tests skip, with the reason, when ``sinfo``/``sbatch`` do not answer here. Where CI said
the cluster is up (``CONFCOMPOSE_SLURM=1``, exported by .ci/run after .ci/slurm-up.sh) a missing
cluster fails instead: the tests must not pass by skipping there. The Ray head is started by a
session fixture (``ray start --head --block`` in its own process group and temp dir) and stopped
when the session ends.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.app.conftest import app_env

APPS = Path(__file__).resolve().parent / "apps"
JOB = APPS / "job.py"
SLURM_STATE = Path("/run/confcompose-slurm")


def _command(*cmd: str) -> subprocess.CompletedProcess[str] | None:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None


def slurm_unavailable() -> str | None:
    """Why SLURM cannot run jobs here (``None``: it can), from ``sbatch`` and ``sinfo`` themselves."""
    why = ""
    with contextlib.suppress(OSError):
        why = (SLURM_STATE / "unavailable").read_text().strip()
    version = _command("sbatch", "--version")
    if version is None or version.returncode != 0:
        return f"sbatch does not run here ({why or 'SLURM is not installed'})"
    info = _command("sinfo", "--noheader", "--Node", "--format=%t")
    if info is None or info.returncode != 0:
        err = info.stderr.strip() if info is not None else "timed out"
        return f"sinfo fails: {err} ({why or 'no slurmctld answering; run .ci/slurm-up.sh'})"
    states = info.stdout.split()
    if not any(s.rstrip("*~#") in ("idle", "mix", "alloc") for s in states):
        return f"no SLURM node is up (sinfo states: {states or 'none'})"
    return None


@pytest.fixture(scope="session")
def slurm() -> None:
    """Skip (or, in CI with the cluster up, fail) when there is no working SLURM."""
    reason = slurm_unavailable()
    if reason is None:
        return
    if os.environ.get("CONFCOMPOSE_SLURM") == "1":
        pytest.fail(f"CI brought SLURM up, but it does not work: {reason}")
    pytest.skip(f"no SLURM cluster: {reason}")


@pytest.fixture(scope="session")
def ray_head() -> Iterator[str]:
    """A Ray cluster head (``ray start --head``) for the session; yields its GCS address.

    Its own temp dir keeps its address file out of /tmp/ray, so ``ray.init()`` without an
    address still starts a local instance while it runs; ``address: auto`` finds it.
    """
    pytest.importorskip("ray", reason="the ray extra is not installed")
    temp = tempfile.mkdtemp(prefix="ccray", dir="/tmp")  # short: ray's socket paths are limited
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log_path = Path(temp) / "head.log"
    cmd = [
        sys.executable, "-m", "ray.scripts.scripts", "start", "--head", "--block",
        f"--port={port}", "--num-cpus=2", "--include-dashboard=false",
        "--object-store-memory=100000000", f"--temp-dir={temp}", "--disable-usage-stats",
    ]  # fmt: skip
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, cwd=temp
        )
    try:
        deadline = time.monotonic() + 90
        while "Ray runtime started" not in log_path.read_text():
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = "\n".join(log_path.read_text().splitlines()[-5:])
                pytest.skip(f"cannot start a Ray head here (ray start --head): {tail}")
            time.sleep(0.2)
        yield f"127.0.0.1:{port}"
    finally:
        # The whole process group: gcs_server, raylet and the workers. SIGTERM drains for up
        # to 30 s; a test cluster has nothing to drain, so SIGKILL after a short grace.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=1)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        shutil.rmtree(temp, ignore_errors=True)


def run_job_app(
    cwd: Path, *args: str, timeout: float = 180, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run tests/cluster/apps/job.py in ``cwd`` as a user would."""
    return subprocess.run(
        [sys.executable, str(JOB), *args],
        cwd=cwd,
        env=app_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_job_app(cwd: Path, *args: str) -> subprocess.Popen[str]:
    """Start tests/cluster/apps/job.py in ``cwd`` without waiting for it."""
    return subprocess.Popen(
        [sys.executable, str(JOB), *args],
        cwd=cwd,
        env=app_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def results(stdout: str) -> list[dict[str, Any]]:
    """The ``RESULT`` lines job.py prints, one per job in job order."""
    return [json.loads(line[7:]) for line in stdout.splitlines() if line.startswith("RESULT ")]
