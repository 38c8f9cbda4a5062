"""Single runs of the seed's examples and the probe app: output, run directories, flags."""

from __future__ import annotations

from pathlib import Path

import pytest

import confcompose
from tests.app.conftest import APPS, EXAMPLES, Runner, probes

MY_APP = EXAMPLES / "my_app" / "my_app.py"
TRAIN = EXAMPLES / "train" / "train.py"
PROBE = APPS / "probe.py"


def test_facade_exports() -> None:
    # The seed's examples use these names (see the report to the lead).
    from confcompose.app import main, runtime, to_absolute_path

    assert confcompose.main is main
    assert confcompose.runtime is runtime
    assert confcompose.to_absolute_path is to_absolute_path
    assert confcompose.DictConfig is confcompose.DictNode


@pytest.mark.parametrize(
    ("script", "args", "expected"),
    [
        pytest.param(
            MY_APP, [], "db:\n  driver: mysql\n  user: omry\n  pass: secret\n", id="basic"
        ),
        pytest.param(
            MY_APP,
            ["db.user=root", "db.pass=1234"],
            "db:\n  driver: mysql\n  user: root\n  pass: 1234\n",
            id="override-values",
        ),
        pytest.param(
            MY_APP,
            ["db=postgresql", "db.timeout=20"],
            "driver: postgresql\n  user: postgres_user\n  pass: drowssap\n  timeout: 20\n",
            id="composition",
        ),
        pytest.param(
            TRAIN,
            ["model.learning_rate=0.01", "dataset.batch_size=64"],
            "Training resnet50 on cifar10 with batch size 64 and LR 0.01\n",
            id="train",
        ),
        pytest.param(
            TRAIN,
            ["model=transformer", "dataset=imagenet"],
            "Training transformer on imagenet with batch size 256 and LR 0.0001\n",
            id="train-groups",
        ),
    ],
)
def test_seed_examples(run: Runner, script: Path, args: list[str], expected: str) -> None:
    res = run(script, *args)
    assert res.returncode == 0, res.stderr
    assert expected in res.stdout


def test_run_dir_files(run: Runner, tmp_path: Path) -> None:
    res = run(MY_APP, "db.user=root")
    assert res.returncode == 0, res.stderr
    [run_dir] = [p for p in (tmp_path / "outputs").glob("*/*") if p.is_dir()]
    hydra_dir = run_dir / ".hydra"
    assert sorted(p.name for p in hydra_dir.iterdir()) == [
        "config.yaml",
        "hydra.yaml",
        "overrides.yaml",
    ]
    assert (hydra_dir / "overrides.yaml").read_text() == "- db.user=root\n"
    saved = confcompose.load(hydra_dir / "config.yaml")
    assert confcompose.to_container(saved) == {
        "db": {"driver": "mysql", "user": "root", "pass": "secret"}
    }
    hydra = confcompose.load(hydra_dir / "hydra.yaml")
    assert confcompose.select(hydra, "hydra.job.name") == "my_app"
    assert confcompose.select(hydra, "hydra.runtime.output_dir") == str(run_dir)
    assert confcompose.select(hydra, "hydra.runtime.choices")["db"] == "mysql"
    assert (run_dir / "my_app.log").exists()
    assert not list(run_dir.glob(".*.tmp*")), "no temporary files left behind"


def test_runtime_and_resolvers(run: Runner, tmp_path: Path) -> None:
    res = run(PROBE, "hydra.run.dir=out/${db.driver}", "lr=0.5")
    assert res.returncode == 0, res.stderr
    [info] = probes(res.stdout)
    assert info == {
        "name": "probe",
        "lr": 0.5,
        "driver": "mysql",
        "output_dir": str(tmp_path / "out" / "mysql"),
        "num": None,
        "overrides": ["lr=0.5"],
        "cwd": str(tmp_path),
        "abs": str(tmp_path / "data.csv"),
        "choice": "mysql",
    }
    log = (tmp_path / "out" / "mysql" / "probe.log").read_text()
    assert "probe lr=0.5" in log
    assert "probe lr=0.5" in res.stdout  # console handler too


def test_chdir_and_disabled_logging(run: Runner, tmp_path: Path) -> None:
    res = run(PROBE, "hydra.run.dir=run1", "hydra.job.chdir=true", "hydra/job_logging=disabled")
    assert res.returncode == 0, res.stderr
    [info] = probes(res.stdout)
    assert info["cwd"] == str(tmp_path / "run1")
    assert info["abs"] == str(tmp_path / "data.csv")
    assert not (tmp_path / "run1" / "probe.log").exists()
    assert "probe lr" not in res.stdout


def test_failing_job_exits_1_with_traceback(run: Runner) -> None:
    res = run(PROBE, "fail_on=0.1")
    assert res.returncode == 1
    assert "Traceback" in res.stderr
    assert "ValueError: failing on purpose for lr=0.1" in res.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["db=nope"], "Could not find 'db/nope'", id="unknown-option"),
        pytest.param(["db.usr=x"], "did you mean 'user'?", id="unknown-key"),
        pytest.param(["db.user=[a"], "expected a closing ']'", id="syntax"),
        pytest.param(
            ["db.user=a,b"], "Ambiguous value for argument 'db.user=a,b'", id="sweep-no-m"
        ),
        pytest.param(["--cfg", "jbo"], "invalid choice: 'jbo'", id="bad-flag-value"),
        pytest.param(["--bogus"], "unrecognized arguments: --bogus", id="unknown-flag"),
        pytest.param(["--launcher", "rayy"], "unknown launcher 'rayy'", id="unknown-launcher"),
        pytest.param(["-cn", "nope"], "nope", id="unknown-config-name"),
        pytest.param(
            ["-m", "hydra/launcher=processes", "hydra.launcher.n_job=2"],
            "n_job",
            id="unknown-launcher-option",
        ),
    ],
)
def test_bad_input_exits_2(run: Runner, args: list[str], message: str) -> None:
    res = run(MY_APP, *args)
    assert res.returncode == 2, res.stdout + res.stderr
    assert message in res.stderr
    assert "Traceback" not in res.stderr
    assert res.stderr.startswith("error: ")


def test_full_error_env_shows_traceback(run: Runner) -> None:
    res = run(MY_APP, "db=nope", env={"CONFCOMPOSE_FULL_ERROR": "1"})
    assert res.returncode == 2
    assert "Traceback" in res.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(
            ["--cfg", "job", "db=postgresql"],
            "db:\n  driver: postgresql\n  user: postgres_user\n  pass: drowssap\n  timeout: 10\n",
            id="job",
        ),
        pytest.param(
            ["--cfg", "job", "-p", "db"],
            "# @package db\ndriver: mysql\nuser: omry\npass: secret\n",
            id="package",
        ),
        pytest.param(["--cfg", "job", "-p", "db.user"], "omry\n", id="package-leaf"),
        pytest.param(["--version"], f"confcompose {confcompose.__version__}\n", id="version"),
    ],
)
def test_show_exact(run: Runner, args: list[str], expected: str) -> None:
    res = run(MY_APP, *args)
    assert res.returncode == 0, res.stderr
    assert res.stdout == expected


def test_cfg_hydra_all_and_resolve(run: Runner, tmp_path: Path) -> None:
    hydra = run(MY_APP, "--cfg", "hydra").stdout
    assert hydra.startswith("hydra:\n  run:\n    dir: outputs/${now:%Y-%m-%d}/${now:%H-%M-%S}\n")
    # As hydra-core shows it: no help texts, and hydra.mode as configured (null), not RUN.
    assert "\n  help:" not in hydra and "\n  hydra_help:" not in hydra
    assert "\n  mode: null\n" in hydra and "hydra.mode=" not in hydra
    everything = run(MY_APP, "--cfg", "all").stdout
    assert everything.startswith("hydra:\n") and "\ndb:\n" in everything  # as Hydra orders it
    assert "\n  help:" in everything and "\n  hydra_help:" in everything
    resolved = run(PROBE, "--cfg", "job", "--resolve").stdout
    assert "name: probe\n" in resolved
    assert not (tmp_path / "outputs").exists(), "--cfg runs nothing"


def test_info_and_help(run: Runner) -> None:
    info = run(MY_APP, "--info", "searchpath").stdout
    assert "file://" + str(EXAMPLES / "my_app" / "conf") in info
    assert "pkg://confcompose.app.conf" in info
    tree = run(MY_APP, "--info", "defaults", "db=postgresql").stdout
    assert "db/postgresql" in tree and "choice db=postgresql" in tree
    help_text = run(PROBE, "--help").stdout
    assert help_text.startswith("probe is powered by confcompose.\n")
    assert "Probe: report the runtime of the job." in help_text
    assert "db: mysql, postgresql\n" in help_text
    assert "hydra/launcher" not in help_text
    hydra_help = run(PROBE, "--hydra-help").stdout
    assert (
        "hydra/launcher: basic, joblib, processes, ray, submitit_local, submitit_slurm"
        in hydra_help
    )
    assert "--multirun" in hydra_help


def test_experimental_rerun(run: Runner, tmp_path: Path) -> None:
    first = run(PROBE, "hydra.run.dir=first", "lr=0.7")
    assert first.returncode == 0, first.stderr
    again = run(PROBE, "--experimental-rerun", "first/.hydra/config.yaml", "hydra.run.dir=second")
    assert again.returncode == 0, again.stderr
    [info] = probes(again.stdout)
    assert info["lr"] == 0.7
    assert info["overrides"] == ["lr=0.7"]
