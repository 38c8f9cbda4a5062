"""The Optuna sweeper: hydra-optuna-sweeper's example apps, samplers, storage, search spaces."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import confcompose
from confcompose.app.sweep import BasicSweeper
from confcompose.app.sweepers.optuna import OptunaSweeper, Param, import_optuna, parse_space
from tests.app.conftest import APPS, Runner

optuna = pytest.importorskip("optuna")

HPO = APPS / "hpo"
QUIET = "hydra/job_logging=disabled"


def _load(name: str) -> ModuleType:
    path = HPO / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # as a script's module would be: custom_search_space finds it
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _sweep(module: ModuleType, task: str, *argv: str) -> Any:
    return getattr(module, task)(argv=["-m", QUIET, "hydra.sweep.dir=sw", *argv])


def _summary(root: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((root / "sw" / "summary.json").read_text())
    return data


def _results(root: Path) -> Any:
    return confcompose.to_container(confcompose.load(root / "sw" / "optimization_results.yaml"))


# -- hydra-optuna-sweeper's three example apps ---------------------------------------------------


def test_sphere_tpe(in_tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    results = _sweep(_load("sphere"), "sphere")
    assert len(results) == 8 and not results.failed
    jobs = _summary(in_tmp)["jobs"]
    points = [dict(o.split("=") for o in job["overrides"] if "hydra" not in o) for job in jobs]
    assert all(-5.5 <= float(p["x"]) <= 5.5 and float(p["x"]) * 2 % 1 == 0 for p in points)
    assert {p["y"] for p in points} <= {"-5", "0", "5"}
    best = _results(in_tmp)
    assert best["name"] == "optuna" and set(best["best_params"]) == {"x", "y"}
    assert best["best_value"] == min(job["return_value"] for job in jobs)
    assert best["best_value"] == best["best_params"]["x"] ** 2 + best["best_params"]["y"] ** 2
    err = capsys.readouterr().err
    assert "Summary (best first):" in err and f"Best value: {best['best_value']}" in err
    # best first: the first row of the table is the best job
    first_row = err.split("Summary (best first):\n")[1].splitlines()[1].split()
    assert float(first_row[3]) == pytest.approx(best["best_value"])
    assert sorted(p.name for p in (in_tmp / "sw").iterdir() if p.is_dir()) == [
        str(i) for i in range(8)
    ]


def test_command_line_search_space(in_tmp: Path) -> None:
    _sweep(
        _load("sphere"),
        "sphere",
        "x=int(interval(-5.0, 5.0))",
        "y=tag(log, interval(1, 10))",
        "hydra.sweeper.n_trials=4",
    )
    for job in _summary(in_tmp)["jobs"]:
        values = dict(o.split("=") for o in job["overrides"] if "hydra" not in o)
        assert -5 <= int(values["x"]) <= 5  # an int: int(interval())
        assert 1.0 <= float(values["y"]) <= 10.0 and "." in values["y"]


def test_custom_search_space(run: Runner, tmp_path: Path) -> None:
    res = run(HPO / "custom-search-space-objective.py", "-m", QUIET, "hydra.sweep.dir=sw")
    assert res.returncode == 0, res.stderr
    best = _results(tmp_path)["best_params"]
    assert set(best) == {"x", "y", "z", "+w"}
    for job in _summary(tmp_path)["jobs"]:
        p = job["params"]
        assert abs(p["z"] - p["x"]) <= 0.5 and 0.0 <= p["+w"] <= 1.0
        assert job["return_value"] == pytest.approx(sum(v**2 for v in p.values()))


def test_multi_objective_nsga2(in_tmp: Path) -> None:
    _sweep(_load("multi_objective"), "binh_and_korn")
    front = _results(in_tmp)["solutions"]
    jobs = _summary(in_tmp)["jobs"]
    values = [job["return_value"] for job in jobs]
    assert front and all(len(s["values"]) == 2 and set(s["params"]) == {"x", "y"} for s in front)
    for s in front:  # no job dominates a Pareto solution
        assert not any(
            v[0] <= s["values"][0] and v[1] <= s["values"][1] and v != s["values"] for v in values
        )
    assert _summary(in_tmp)["directions"] == ["minimize", "minimize"]


def test_sqlite_study_is_continued(in_tmp: Path) -> None:
    app = _load("sphere")
    storage = f"sqlite:///{in_tmp / 'study.db'}"
    args = [f"hydra.sweeper.storage={storage}", "hydra.sweeper.n_trials=3"]
    _sweep(app, "sphere", *args)
    assert len(optuna.load_study(study_name="sphere", storage=storage).trials) == 3
    app.sphere(argv=["-m", QUIET, "hydra.sweep.dir=sw2", *args])
    study = optuna.load_study(study_name="sphere", storage=storage)
    assert len(study.trials) == 6
    saved = confcompose.to_container(confcompose.load(in_tmp / "sw2" / "optimization_results.yaml"))
    assert saved["best_value"] == study.best_value


@pytest.mark.parametrize("sampler", ["tpe", "random", "cmaes", "nsgaii", "motpe", "grid", "qmc"])
def test_every_sampler(in_tmp: Path, sampler: str) -> None:
    import warnings

    needs = {"cmaes": "cmaes", "qmc": "scipy"}.get(sampler)
    if needs is not None and importlib.util.find_spec(needs) is None:  # Optuna's optional deps
        with pytest.raises(confcompose.ConfigError, match=f"pip install {needs}"):
            _sweep(_load("sphere"), "sphere", f"hydra/sweeper/sampler={sampler}")
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # experimental samplers, independent sampling
        results = _sweep(
            _load("sphere"),
            "sphere",
            f"hydra/sweeper/sampler={sampler}",
            "hydra.sweeper.n_trials=3",
            "x=range(-2, 2)",
        )
    assert len(results) == 3 and not results.failed
    assert (
        _summary(in_tmp)["sampler"]
        in {
            "tpe": "TPESampler",
            "random": "RandomSampler",
            "cmaes": "CmaEsSampler",
            "nsgaii": "NSGAIISampler",
            "motpe": "MOTPESampler" if hasattr(optuna.samplers, "MOTPESampler") else "TPESampler",
            "grid": "GridSampler",
            "qmc": "QMCSampler",
        }[sampler]
    )


def test_grid_caps_trials_at_the_grid(in_tmp: Path) -> None:
    results = _sweep(
        _load("sphere"), "sphere", "hydra/sweeper/sampler=grid", "x=range(0, 2)", "y=choice(0, 1)"
    )
    assert len(results) == 4  # n_trials=8, but 2 x 2 points (range's stop is excluded)
    seen = sorted(tuple(o for o in r.overrides) for r in results)
    assert seen == [("x=0", "y=0"), ("x=0", "y=1"), ("x=1", "y=0"), ("x=1", "y=1")]


def test_bad_return_value_fails_the_trial(in_tmp: Path) -> None:
    # max_failure_rate=0 (the default): the first batch with a failure stops the sweep
    results = _load("multi_objective").binh_and_korn(
        argv=["-m", QUIET, "hydra.sweep.dir=sw", "hydra.sweeper.direction=minimize"]
    )
    assert len(results) == 4 and len(results.failed) == 4
    job = _summary(in_tmp)["jobs"][0]
    assert job["status"] == "failed" and "must be a float" in job["error"]
    assert not (in_tmp / "sw" / "optimization_results.yaml").exists()


# -- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "match"),
    [
        pytest.param("hydra.sweeper.direction=minimise", "did you mean 'minimize'", id="direction"),
        pytest.param("hydra.sweeper.max_failure_rate=2", "between 0.0 and 1.0", id="rate"),
        pytest.param("hydra.sweeper.n_trials=0", "n_trials must be an integer >= 1", id="trials"),
        pytest.param(
            "+hydra.sweeper.sampler.n_startup=3",
            "did you mean 'n_startup_trials'",
            id="sampler-opt",
        ),
        pytest.param("+hydra.sweeper.n_trial=3", "did you mean 'n_trials'", id="sweeper-opt"),
        pytest.param("x=zip(1,2)", "cannot use ZipSweep", id="zip"),
        pytest.param("x=choice([1],[2])", "str, int, float, bool or null", id="list-choice"),
        pytest.param(
            "hydra.sweeper.storage=nosuch://x", "cannot open the Optuna study", id="storage"
        ),
        pytest.param(
            "hydra.sweeper.custom_search_space=nosuch.fn", "cannot load 'nosuch.fn'", id="custom"
        ),
        pytest.param("hydra/sweeper/sampler=grid", None, id="grid-interval"),
    ],
)
def test_config_errors(in_tmp: Path, override: str, match: str | None) -> None:
    extra = ["x=interval(0, 1)"] if match is None else []
    with pytest.raises(
        confcompose.ConfigError, match=match or "grid sampler needs discrete values"
    ):
        _sweep(_load("sphere"), "sphere", override, *extra)


def test_without_optuna(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    app = _load("sphere")
    monkeypatch.setitem(sys.modules, "optuna", None)  # `import optuna` raises ImportError
    with pytest.raises(confcompose.ConfigError, match=r"pip install 'confcompose\[optuna\]'"):
        import_optuna()
    with pytest.raises(confcompose.ConfigError, match=r"hydra/sweeper=optuna needs the 'optuna'"):
        _sweep(app, "sphere")


def test_basic_sweeper_names_the_optuna_sweeper() -> None:
    with pytest.raises(confcompose.OverrideError, match="hydra/sweeper=optuna"):
        BasicSweeper().jobs(["lr=interval(0.0001, 0.1)"])


# -- the search space --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        pytest.param("x=interval(0, 1)", Param("float", 0.0, 1.0), id="interval"),
        pytest.param("x=int(interval(1, 9))", Param("int", 1, 9), id="int-interval"),
        pytest.param(
            "x=tag(log, interval(1e-4, 0.1))", Param("float", 1e-4, 0.1, log=True), id="log"
        ),
        pytest.param("x=range(1, 4)", Param("int", 1, 4, 1, grid=(1, 2, 3)), id="range"),
        pytest.param(
            "x=range(0, 1, step=0.5)",
            Param("float", 0.0, 1.0, 0.5, grid=(0.0, 0.5)),
            id="float-range",
        ),
        pytest.param(
            "x=shuffle(range(2))", Param("categorical", choices=(0, 1), grid=(0, 1)), id="shuffled"
        ),
        pytest.param(
            "x=choice(a, 1, true)",
            Param("categorical", choices=("a", 1, True), grid=("a", 1, True)),
            id="choice",
        ),
        pytest.param(
            "x=a,b", Param("categorical", choices=("a", "b"), grid=("a", "b")), id="simple-choice"
        ),
        pytest.param("x=3", "x=3", id="fixed"),
        pytest.param("+x=[1,2]", "+x=[1,2]", id="fixed-add"),
    ],
)
def test_parse_space(override: str, expected: object) -> None:
    space, fixed = parse_space([override])
    key = override.split("=")[0]
    assert (space.get(key) or fixed.get(key)) == expected


def test_parse_space_later_wins_and_params_come_first() -> None:
    sweeper = OptunaSweeper(params={"x": "interval(0, 1)", "y": "choice(1, 2)"})
    space, fixed = sweeper.space(["y=5", "z=range(1, 3)"])
    assert list(space) == ["x", "z"] and fixed == {"y": "y=5"}


def test_legacy_search_space() -> None:
    sweeper = OptunaSweeper(search_space={"x": {"type": "float", "low": 0, "high": 2, "step": 0.5}})
    assert sweeper.space([])[0] == {"x": Param("float", 0.0, 2.0, 0.5)}


def test_hparams_search_config_runs_unchanged(in_tmp: Path) -> None:
    app = _load("train")
    # no -m: `hydra.mode: MULTIRUN` in the hparams_search config makes the run a multirun
    results = app.train(argv=["hparams_search=lr_search", QUIET, "hydra.sweep.dir=sw"])
    assert len(results) == 4 and not results.failed
    best = _results(in_tmp)
    assert 0.0001 <= best["best_params"]["model.optimizer.lr"] <= 0.1
    assert best["best_params"]["model.batch_size"] in (32, 64, 128, 256)
    assert best["best_value"] == max(r.return_value for r in results)  # direction: maximize
    assert app.train(argv=[QUIET]) == pytest.approx(1 - 0.1 - 0.064)  # without it: one run
