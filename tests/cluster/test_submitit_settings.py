"""hydra-submitit-launcher's settings reach the installed submitit (no cluster needed)."""

from __future__ import annotations

import inspect
import types
from pathlib import Path
from typing import Any

import pytest

import confcompose
from confcompose.app.launchers.submitit import (
    SubmititLauncher,
    _unaccepted,
    executor_init,
    executor_parameters,
)

CONF = Path(confcompose.__file__).parent / "app" / "conf" / "hydra" / "launcher"
# hydra-submitit-launcher 1.2's SlurmQueueConf, the schema users' configs are written for.
PLUGIN_SLURM_KEYS = {
    "_target_", "submitit_folder", "timeout_min", "cpus_per_task", "gpus_per_node",
    "tasks_per_node", "mem_gb", "nodes", "name", "stderr_to_stdout", "partition", "qos",
    "comment", "constraint", "exclude", "gres", "cpus_per_gpu", "gpus_per_task", "mem_per_gpu",
    "mem_per_cpu", "account", "signal_delay_s", "max_num_timeout", "additional_parameters",
    "array_parallelism", "setup", "srun_args",
}  # fmt: skip
EVERY_SETTING: dict[str, Any] = {
    "timeout_min": 10,
    "cpus_per_task": 2,
    "gpus_per_node": 0,
    "tasks_per_node": 1,
    "mem_gb": 4,
    "nodes": 1,
    "name": "sweep",
    "stderr_to_stdout": True,
    "partition": "debug",
    "qos": "normal",
    "comment": "c",
    "constraint": "cpu",
    "exclude": "node9",
    "gres": "gpu:0",
    "cpus_per_gpu": 1,
    "gpus_per_task": 0,
    "mem_per_gpu": "1G",
    "mem_per_cpu": "1G",
    "account": "ml",
    "signal_delay_s": 60,
    "max_num_timeout": 2,
    "additional_parameters": {"wckey": "x"},
    "array_parallelism": 4,
    "setup": ["export A=1"],
    "srun_args": ["--cpu-bind=none"],
}


def test_slurm_config_has_the_plugin_schema() -> None:
    ours = confcompose.load(CONF / "submitit_slurm.yaml")
    assert set(confcompose.to_container(ours)) - {"executor"} == PLUGIN_SLURM_KEYS
    assert set(EVERY_SETTING) == PLUGIN_SLURM_KEYS - {"_target_", "submitit_folder"}


@pytest.mark.parametrize(
    ("key", "value", "init", "params"),
    [
        pytest.param("timeout_min", 5, {}, {"timeout_min": 5}, id="shared"),
        pytest.param("mem_gb", 2.5, {}, {"mem_gb": 2.5}, id="shared-float"),
        pytest.param("partition", "gpu", {}, {"slurm_partition": "gpu"}, id="slurm"),
        pytest.param(
            "max_num_timeout", 3, {"slurm_max_num_timeout": 3}, {}, id="executor-constructor"
        ),
        pytest.param("setup", [], {}, {}, id="empty-setup-dropped"),
        pytest.param("qos", None, {}, {}, id="null-dropped"),
        pytest.param(
            "additional_parameters",
            {"time": "0:30"},
            {},
            {"slurm_additional_parameters": {"time": "0:30"}},
            id="additional",
        ),
    ],
)
def test_setting_goes_where_submitit_takes_it(
    key: str, value: object, init: dict[str, Any], params: dict[str, Any]
) -> None:
    assert executor_init("slurm", {key: value}) == init
    assert executor_parameters("slurm", {key: value}) == params


def test_every_setting_is_accepted_by_the_installed_submitit(tmp_path: Path) -> None:
    submitit = pytest.importorskip("submitit", reason="the submitit extra is not installed")
    init = executor_init("slurm", EVERY_SETTING)
    params = executor_parameters("slurm", EVERY_SETTING)
    _unaccepted(submitit, "slurm", {**init, **params})
    # AutoExecutor checks every slurm_* parameter against the SLURM executor even when it runs
    # jobs locally, so this needs no srun; it raised NameError for slurm_max_num_timeout before.
    executor = submitit.AutoExecutor(folder=tmp_path, cluster="local")
    executor.update_parameters(**params)
    ctor = inspect.signature(submitit.SlurmExecutor.__init__).parameters
    assert all(k.removeprefix("slurm_") in ctor for k in init)


def test_setting_the_installed_submitit_lacks_is_a_config_error() -> None:
    class OlderSlurmExecutor:  # a submitit release without gpus_per_task and max_num_timeout
        def __init__(self, folder: str) -> None:
            self.folder = folder

        @classmethod
        def _valid_parameters(cls) -> set[str]:
            return {"partition", "time", "mem"}

    older = types.SimpleNamespace(SlurmExecutor=OlderSlurmExecutor, __version__="1.0")
    _unaccepted(older, "slurm", {"slurm_partition": "gpu", "timeout_min": 5})
    for params, name in [
        ({"slurm_gpus_per_task": 1}, "gpus_per_task"),
        ({"slurm_max_num_timeout": 1}, "max_num_timeout"),
    ]:
        with pytest.raises(confcompose.ConfigError) as info:
            _unaccepted(older, "slurm", params)
        assert f"the installed submitit 1.0 does not accept {name!r}" in str(info.value)
        assert info.value.key_path == f"hydra.launcher.{name}"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"executor": "local", "partition": "gpu"}, "'partition' is a SLURM setting"),
        ({"executor": "local", "max_num_timeout": 1}, "'max_num_timeout' is a SLURM setting"),
        ({"executor": "pbs"}, "unknown submitit executor 'pbs'"),
        ({"parition": "gpu"}, "did you mean 'partition'"),
    ],
)
def test_misplaced_settings(options: dict[str, Any], message: str) -> None:
    with pytest.raises(confcompose.ConfigError, match=message):
        SubmititLauncher(**options)


@pytest.mark.parametrize(
    ("target", "options", "executor"),
    [
        # hydra-submitit-launcher's configs name the executor through their target class only
        ("hydra_plugins.hydra_submitit_launcher.submitit_launcher.LocalLauncher", {}, "local"),
        ("hydra_plugins.hydra_submitit_launcher.submitit_launcher.SlurmLauncher", {}, "slurm"),
        ("confcompose.app.launchers.submitit.SubmititLauncher", {}, "slurm"),
        ("confcompose.app.launchers.submitit.SubmititLauncher", {"executor": "local"}, "local"),
    ],
)
def test_plugin_targets_choose_the_executor(
    target: str, options: dict[str, Any], executor: str
) -> None:
    from confcompose.app.launchers import launcher_class

    launcher = launcher_class(target)(**options)
    assert launcher.executor == executor  # type: ignore[attr-defined]
