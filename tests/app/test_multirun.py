"""Multirun end to end: sweeps, batches, launchers, failures, results."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

import confcompose
from tests.app.conftest import APPS, EXAMPLES, Runner, probes

TRAIN = EXAMPLES / "train" / "train.py"
PROBE = APPS / "probe.py"


def _job_dirs(tmp_path: Path) -> list[Path]:
    [sweep] = [p for p in (tmp_path / "multirun").glob("*/*") if p.is_dir()]
    return sorted((p for p in sweep.iterdir() if p.is_dir()), key=lambda p: int(p.name))


def test_seed_sweep_basic(run: Runner, tmp_path: Path) -> None:
    res = run(TRAIN, "-m", "model.learning_rate=0.001,0.01", "dataset.batch_size=32,64")
    assert res.returncode == 0, res.stderr
    lines = [ln for ln in res.stdout.splitlines() if ln.startswith("Training")]
    assert lines == [
        "Training resnet50 on cifar10 with batch size 32 and LR 0.001",
        "Training resnet50 on cifar10 with batch size 64 and LR 0.001",
        "Training resnet50 on cifar10 with batch size 32 and LR 0.01",
        "Training resnet50 on cifar10 with batch size 64 and LR 0.01",
    ]
    dirs = _job_dirs(tmp_path)
    assert [d.name for d in dirs] == ["0", "1", "2", "3"]
    assert (dirs[3] / ".hydra" / "overrides.yaml").read_text() == (
        "- model.learning_rate=0.01\n- dataset.batch_size=64\n"
    )
    assert (dirs[0].parent / "multirun.yaml").exists()
    assert "4 completed, 0 failed" in res.stderr
    assert "[4/4 done, 0 running, 0 failed]" in res.stderr  # plain progress lines (not a tty)


def test_failure_does_not_stop_others(run: Runner, tmp_path: Path) -> None:
    res = run(PROBE, "-m", "lr=0.1,0.2,0.3", "fail_on=0.2", "hydra/job_logging=disabled")
    assert res.returncode == 1
    assert [p["lr"] for p in probes(res.stdout)] == [0.1, 0.3]
    assert "2 completed, 1 failed" in res.stderr
    assert "error: 1 of 3 jobs failed: #1 (lr=0.2 fail_on=0.2)" in res.stderr
    assert "ValueError: failing on purpose for lr=0.2" in res.stderr


def test_sweeper_params_glob_and_batches(run: Runner, tmp_path: Path) -> None:
    res = run(PROBE, "-m", "-cn", "sweep", "lr=0.5,0.6", "hydra/job_logging=disabled")
    assert res.returncode == 0, res.stderr
    seen = [(p["driver"], p["lr"], p["num"]) for p in probes(res.stdout)]
    # params first (db from glob over the group's options), the command line replaces lr.
    assert seen == [
        ("mysql", 0.5, 0),
        ("mysql", 0.6, 1),
        ("postgresql", 0.5, 2),
        ("postgresql", 0.6, 3),
    ]


def test_runtime_in_sweep(run: Runner, tmp_path: Path) -> None:
    res = run(
        PROBE,
        "-m",
        "db=mysql,postgresql",
        "hydra.sweep.dir=sw",
        "hydra.sweep.subdir=${hydra.job.override_dirname}",
    )
    assert res.returncode == 0, res.stderr
    infos = probes(res.stdout)
    assert [i["output_dir"] for i in infos] == [
        str(tmp_path / "sw" / "db=mysql"),
        str(tmp_path / "sw" / "db=postgresql"),
    ]
    assert [i["num"] for i in infos] == [0, 1]
    assert [i["choice"] for i in infos] == ["mysql", "postgresql"]


def _launcher_run(run: Runner, tmp_path: Path, *launcher: str) -> None:
    res = run(
        PROBE, "-m", "lr=0.1,0.2,0.3", "fail_on=0.3", "hydra.sweep.dir=sw", *launcher, timeout=240
    )
    assert res.returncode == 1, res.stderr
    assert "2 completed, 1 failed" in res.stderr
    assert "job #2 (lr=0.3 fail_on=0.3) failed: ValueError: failing on purpose" in res.stderr
    for num, lr in [(0, 0.1), (1, 0.2)]:
        job_dir = tmp_path / "sw" / str(num)
        saved = confcompose.load(job_dir / ".hydra" / "config.yaml")
        assert confcompose.select(saved, "lr") == lr
        assert f"probe lr={lr}" in (job_dir / "probe.log").read_text()
        hydra = confcompose.load(job_dir / ".hydra" / "hydra.yaml")
        assert confcompose.select(hydra, "hydra.job.num") == num


def test_processes_launcher(run: Runner, tmp_path: Path) -> None:
    _launcher_run(run, tmp_path, "--launcher", "processes", "hydra.launcher.n_jobs=2")


def test_processes_launcher_loky(run: Runner, tmp_path: Path) -> None:
    pytest.importorskip("joblib", reason="the joblib extra is not installed")
    _launcher_run(run, tmp_path, "hydra/launcher=joblib", "hydra.launcher.n_jobs=2")


@pytest.mark.slow
def test_submitit_local_launcher(run: Runner, tmp_path: Path) -> None:
    pytest.importorskip("submitit", reason="the submitit extra is not installed")
    _launcher_run(run, tmp_path, "hydra/launcher=submitit_local", "hydra.launcher.timeout_min=5")
    assert list((tmp_path / "sw" / ".submitit").iterdir()), "submitit's job folders"


@pytest.mark.slow
@pytest.mark.skipif(
    importlib.util.find_spec("ray") is None, reason="the ray extra is not installed"
)
def test_ray_launcher_local_instance(run: Runner, tmp_path: Path) -> None:
    _launcher_run(run, tmp_path, "--launcher", "ray", "hydra.launcher.ray.init.num_cpus=2")


def test_missing_extra_names_pip_command(run: Runner, tmp_path: Path) -> None:
    blocker = tmp_path / "block"
    blocker.mkdir()
    (blocker / "submitit.py").write_text("raise ImportError('blocked for the test')\n")
    res = run(
        PROBE,
        "-m",
        "lr=0.1",
        "hydra/launcher=submitit_local",
        env={"PYTHONPATH": f"{blocker}"},
    )
    assert res.returncode == 2, res.stderr
    assert "pip install 'confcompose[submitit]'" in res.stderr
