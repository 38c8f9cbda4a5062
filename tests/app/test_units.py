"""Unit tests of the app layer's parts: sweeps, names, files, progress, launcher settings."""

from __future__ import annotations

import datetime
import io
import pickle
from pathlib import Path

import pytest

import confcompose
from confcompose.app.args import is_hydra_key
from confcompose.app.launchers import launcher_class, make_launcher
from confcompose.app.launchers.processes import TaskRef, _workers
from confcompose.app.launchers.submitit import executor_parameters
from confcompose.app.progress import Progress, summary
from confcompose.app.records import swept_keys
from confcompose.app.runs import JobResult, NowResolver, atomic_write, override_dirname
from confcompose.app.sweep import BasicSweeper, params_overrides


@pytest.mark.parametrize(
    ("overrides", "batch", "expected"),
    [
        pytest.param(["a=1"], None, [[["a=1"]]], id="single"),
        pytest.param([], None, [[[]]], id="no-overrides"),
        pytest.param(["a=1,2", "b=x"], None, [[["a=1", "b=x"], ["a=2", "b=x"]]], id="cartesian"),
        pytest.param(["a=range(3)"], 2, [[["a=0"], ["a=1"]], [["a=2"]]], id="batches"),
        pytest.param(["a=1,2", "a=3"], None, [[["a=3"]]], id="later-wins"),
        pytest.param(["hydra.x=1,2"], None, confcompose.OverrideError, id="hydra-sweep"),
        pytest.param(["a=interval(0,1)"], None, confcompose.OverrideError, id="interval"),
    ],
)
def test_sweeper_batches(overrides: list[str], batch: int | None, expected: object) -> None:
    sweeper = BasicSweeper(max_batch_size=batch)
    if isinstance(expected, type):
        with pytest.raises(expected):
            sweeper.batches(overrides)
    else:
        assert sweeper.batches(overrides) == expected


@pytest.mark.parametrize("size", [0, -1, "2"])
def test_bad_batch_size(size: object) -> None:
    with pytest.raises(confcompose.ConfigError, match="max_batch_size"):
        BasicSweeper(max_batch_size=size)  # type: ignore[arg-type]


def test_params_first_command_line_wins() -> None:
    sweeper = BasicSweeper(params={"a": "1,2", "b": True})
    assert params_overrides(sweeper.params) == ["a=1,2", "b=true"]
    assert BasicSweeper(params={"a": "1,2", "b": "x"}).jobs(["a=5"]) == [["a=5", "b=x"]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("hydra.run.dir=x", True, id="key"),
        pytest.param("hydra/launcher=ray", True, id="group"),
        pytest.param("++hydra.job.chdir=true", True, id="force-add"),
        pytest.param("~hydra.verbose", True, id="delete"),
        pytest.param("hydrant=1", False, id="prefix-only"),
        pytest.param("db=hydra", False, id="value"),
        pytest.param("hydra@pkg=x", True, id="package"),
        pytest.param("'hydra=x'.y=1", False, id="quoted-key-with-equal"),
        pytest.param("+hydra.'a=b'=1", True, id="quoted-segment"),
    ],
)
def test_is_hydra_key(text: str, expected: bool) -> None:
    assert is_hydra_key(text) is expected


def test_override_dirname() -> None:
    assert override_dirname(["b=2", "a=1"]) == "a=1,b=2"
    assert override_dirname(["b=2", "a=1", "s=3"], "_", "/", ["s"]) == "a_1/b_2"


def test_override_dirname_reads_the_key_of_each_override() -> None:
    # The '=' inside a quoted key is part of the key: the value starts after it.
    assert override_dirname(["a.'b=c'=1", "~d"], kv_sep="_") == "a.'b=c'_1,~d"
    assert override_dirname(["a.'b=c'=1", "x=2"], exclude=["a.'b=c'"]) == "x=2"
    # As Hydra's key_or_group: prefix and package are not part of the excluded key.
    assert override_dirname(["+db@src=mysql", "++s=1", "x=2"], exclude=["db", "s"]) == "x=2"


def test_swept_keys_read_quoted_keys() -> None:
    jobs = [{"overrides": ["a.'b=c'=1", "x=1"]}, {"overrides": ["a.'b=c'=2", "x=1"]}]
    assert swept_keys(jobs) == ["a.'b=c'"]


def test_atomic_write(tmp_path: Path) -> None:
    target = tmp_path / "d" / "f.yaml"
    atomic_write(target, "a: 1\n")
    atomic_write(target, "a: 2\n")
    assert target.read_text() == "a: 2\n"
    assert [p.name for p in target.parent.iterdir()] == ["f.yaml"]


def _result(num: int, ok: bool) -> JobResult:
    return JobResult(
        num,
        (f"a={num}",),
        f"/out/{num}",
        "completed" if ok else "failed",
        error=None if ok else ValueError("bad"),
        duration=0.5,
    )


def test_progress_plain_and_tty() -> None:
    plain = io.StringIO()
    p = Progress(2, plain, tty=False)
    p.started(None)  # type: ignore[arg-type]
    p.finished(_result(0, True))
    p.finished(_result(1, False))
    assert plain.getvalue() == (
        "[1/2 done, 0 running, 0 failed] #0 a=0: ok (0.50s)\n"
        "[2/2 done, 0 running, 1 failed] #1 a=1: FAILED (0.50s)\n"
    )
    tty = io.StringIO()
    t = Progress(1, tty, tty=True)
    t.started(None)  # type: ignore[arg-type]
    t.finished(_result(0, True))
    assert tty.getvalue().endswith("\r\x1b[2K[1/1 done, 0 running, 0 failed]\n")


def test_summary() -> None:
    text = summary([_result(0, True), _result(1, False)])
    assert "1 completed, 1 failed" in text
    assert "job #1 (a=1) failed: ValueError: bad" in text


@pytest.mark.parametrize(
    ("executor", "options", "expected"),
    [
        pytest.param("local", {"timeout_min": 5, "mem_gb": None}, {"timeout_min": 5}, id="local"),
        pytest.param(
            "slurm",
            {"partition": "gpu", "gpus_per_node": 2, "account": "ml", "additional_parameters": {}},
            {"slurm_partition": "gpu", "gpus_per_node": 2, "slurm_account": "ml"},
            id="slurm",
        ),
        pytest.param("local", {"partition": "gpu"}, confcompose.ConfigError, id="slurm-only"),
    ],
)
def test_submitit_parameters(executor: str, options: dict[str, object], expected: object) -> None:
    if isinstance(expected, type):
        with pytest.raises(expected, match="SLURM setting"):
            executor_parameters(executor, options)
    else:
        assert executor_parameters(executor, options) == expected


def test_launcher_selection() -> None:
    assert launcher_class("basic").__name__ == "BasicLauncher"
    assert (
        launcher_class(
            "hydra_plugins.hydra_joblib_launcher.joblib_launcher.JoblibLauncher"
        ).__name__
        == "ProcessesLauncher"
    )
    with pytest.raises(confcompose.ConfigError, match="unknown launcher 'procesess'") as info:
        launcher_class("procesess")
    assert "processes" in info.value.suggestions
    hydra = confcompose.create({"launcher": {"_target_": "processes", "n_jobz": 1}})
    with pytest.raises(confcompose.ConfigError, match="did you mean 'n_jobs'"):
        make_launcher(hydra)


def test_workers() -> None:
    assert _workers(2, 10) == 2
    assert _workers(8, 3) == 3
    assert _workers(-1, 1000) >= 1
    with pytest.raises(confcompose.ConfigError):
        _workers(-1000, 3)


def module_task(cfg: object) -> object:
    return cfg


def test_taskref_pickles_by_reference_or_value() -> None:
    ref = pickle.loads(pickle.dumps(TaskRef(module_task)))
    assert ref is module_task
    local = TaskRef(lambda cfg: cfg)
    with pytest.raises((pickle.PicklingError, AttributeError)):
        pickle.dumps(local)  # a lambda cannot travel with plain pickle; loky uses cloudpickle


@pytest.mark.parametrize(
    "pattern",
    [
        pytest.param("%Y-%m-%d_%H-%M-%S", id="default"),
        pytest.param("%H-%M-%S", id="time"),
        pytest.param("%a %b %j %p %%", id="names-and-percent"),
        pytest.param("%S.%f", id="microseconds"),
        pytest.param("%Y%z|%Z", id="timezone"),
        pytest.param("no directives", id="literal"),
    ],
)
def test_now_resolver_matches_datetime(pattern: str) -> None:
    ns = 1_764_315_296_123_456_789
    expected = datetime.datetime.fromtimestamp(ns // 10**9).replace(microsecond=123_456)
    assert NowResolver(ns)(pattern) == expected.strftime(pattern)
