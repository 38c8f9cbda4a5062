"""``hydra/launcher=ray`` against a real Ray cluster (``ray start --head``) and in-process."""

from __future__ import annotations

from pathlib import Path

import confcompose
from tests.cluster.conftest import results, run_job_app

RAY = ("hydra/launcher=ray", "hydra.sweep.dir=sw")


def auto_env(head: str) -> dict[str, str]:
    """Where ``address: auto`` looks first, as on a cluster's login node: ``RAY_ADDRESS``.

    (Without it, ``auto`` takes the newest ``ray start`` cluster, else any Ray instance running
    on this machine, which on a shared machine need not be ours.) ``ray start`` turns token
    authentication on by default in recent Ray, and a driver given the address this way sends
    the token (``~/.ray/auth_token``) only with ``RAY_AUTH_MODE=token``.
    """
    return {"RAY_ADDRESS": head, "RAY_AUTH_MODE": "token"}


def test_sweep_joins_the_running_cluster(ray_head: str, tmp_path: Path) -> None:
    port = ray_head.rsplit(":", 1)[1]
    res = run_job_app(
        tmp_path,
        "-m",
        "x=1,2,3,4",
        "fail_on=2",
        "exit_on=4",
        *RAY,
        "hydra.launcher.ray.init.address=auto",
        "+hydra.launcher.ray.remote.max_retries=0",  # a dead worker is not retried
        env=auto_env(ray_head),
    )
    assert res.returncode == 1, res.stderr
    connected = [ln for ln in res.stderr.splitlines() if "Connecting to existing Ray cluster" in ln]
    assert connected and connected[0].endswith(f":{port}..."), res.stderr
    assert "Started a local Ray instance" not in res.stderr
    assert "2 completed, 2 failed" in res.stderr
    assert "job #1 (x=2 fail_on=2 exit_on=4) failed: ValueError: failing on purpose" in res.stderr
    ok0, failed, ok2, died = results(res.stdout)
    assert [ok0["status"], ok2["status"]] == ["completed", "completed"]
    assert [ok0["value"]["x"], ok2["value"]["x"]] == [1, 3]
    assert ok0["value"]["ray_node"] and ok0["value"]["ray_node"] == ok2["value"]["ray_node"]
    assert failed["status"] == "failed"
    assert ", in job\n" in failed["traceback"]
    assert "ValueError: failing on purpose for x=2" in failed["traceback"]
    assert died["status"] == "failed"  # the worker process died: Ray reports it, we record it
    assert "Worker" in died["error"] or "worker" in died["error"], died["error"]
    for num in range(4):
        saved = confcompose.load(tmp_path / "sw" / str(num) / ".hydra" / "config.yaml")
        assert confcompose.select(saved, "x") == num + 1


def test_cluster_refusing_settings_is_a_config_error(ray_head: str, tmp_path: Path) -> None:
    res = run_job_app(
        tmp_path,
        "-m",
        "x=1",
        *RAY,
        "hydra.launcher.ray.init.address=auto",
        "hydra.launcher.ray.init.num_cpus=2",  # not allowed when joining a cluster
        env=auto_env(ray_head),
        timeout=120,
    )
    assert res.returncode == 2, res.stderr
    assert "hydra.launcher.ray.init: ray.init could not start or join Ray (auto)" in res.stderr
    assert "Traceback" not in res.stderr


def test_in_process_instance_while_a_cluster_runs(ray_head: str, tmp_path: Path) -> None:
    # address: null starts a private local instance even though a head runs on this machine.
    res = run_job_app(tmp_path, "-m", "x=1,2", *RAY, "hydra.launcher.ray.init.num_cpus=1")
    assert res.returncode == 0, res.stderr
    assert "Started a local Ray instance" in res.stderr
    assert "Connecting to existing Ray cluster" not in res.stderr
    assert [r["value"]["x"] for r in results(res.stdout)] == [1, 2]
