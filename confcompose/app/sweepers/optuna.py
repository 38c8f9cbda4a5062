"""``hydra/sweeper=optuna``: hyper-parameter search with Optuna, on hydra-optuna-sweeper's schema.

The search space comes from ``hydra.sweeper.params`` and the command line, in override syntax:
``interval(a, b)`` is a float range (``int(interval(...))`` an int one, ``tag(log, ...)`` on a log
scale), ``range(a, b, step)`` a stepped int or float range (categorical when shuffled),
``choice(...)``/``a,b,c`` categorical; plain overrides are fixed. ``custom_search_space`` names a
callable ``(cfg, trial)`` that suggests more. Each batch asks the study for ``n_jobs`` trials,
launches them and tells it the jobs' return values: a float, or one per ``direction`` for a
multi-objective study. The best point goes to ``optimization_results.yaml`` in the sweep dir.

>>> space, fixed = parse_space(["x=interval(-1, 1)", "n=range(1, 4)", "opt=adam,sgd", "seed=3"])
>>> [(k, p.kind, p.low, p.high) for k, p in space.items()]
[('x', 'float', -1.0, 1.0), ('n', 'int', 1, 4), ('opt', 'categorical', None, None)]
>>> fixed
{'seed': 'seed=3'}
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import json
import math
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import confcompose
from confcompose import ConfigError, OverrideError
from confcompose.app._records import record
from confcompose.app.args import is_hydra_key
from confcompose.app.launchers import check_options
from confcompose.app.records import json_value
from confcompose.app.runs import atomic_write
from confcompose.app.sweep import params_overrides
from confcompose.errors import suggestions
from confcompose.parsing.overrides import (
    ChoiceSweep,
    GlobSweep,
    IntervalSweep,
    RangeSweep,
    format_value,
    parse_override,
)
from confcompose.parsing.sweeps import range_values

if TYPE_CHECKING:
    from confcompose.app.driver import SweepDriver
    from confcompose.app.runs import JobResult

DIRECTIONS = ("minimize", "maximize")
RESULTS_FILE = "optimization_results.yaml"
OPTIONS = (
    "_target_",
    "sampler",
    "direction",
    "storage",
    "study_name",
    "n_trials",
    "n_jobs",
    "max_failure_rate",
    "search_space",
    "params",
    "custom_search_space",
)
_CATEGORICAL_TYPES = (type(None), bool, int, float, str)
# Samplers that import an optional package of Optuna's when they first sample.
_SAMPLER_PACKAGES = {"CmaEsSampler": "cmaes", "QMCSampler": "scipy", "GPSampler": "torch"}


def import_optuna() -> Any:
    """The ``optuna`` module, or one clear error naming the extra that installs it."""
    try:
        import optuna
    except ImportError:
        raise ConfigError(
            "hydra/sweeper=optuna needs the 'optuna' package, which is not installed; "
            "install it with: pip install 'confcompose[optuna]'",
            key_path="hydra.sweeper",
        ) from None
    return optuna


@record()
class Param:
    """One dimension of the search space (independent of Optuna until :meth:`suggest`)."""

    kind: str  # "float", "int" or "categorical"
    low: Any = None
    high: Any = None
    step: Any = None
    log: bool = False
    choices: tuple[Any, ...] = ()
    grid: tuple[Any, ...] | None = None  # the points a GridSampler visits (discrete only)

    def suggest(self, trial: Any, name: str) -> Any:
        """Ask ``trial`` for this parameter's value."""
        if self.kind == "categorical":
            return trial.suggest_categorical(name, list(self.choices))
        if self.kind == "int":
            return trial.suggest_int(name, self.low, self.high, step=self.step or 1, log=self.log)
        return trial.suggest_float(name, self.low, self.high, step=self.step, log=self.log)


def _sweep_error(text: str, index: int, msg: str) -> OverrideError:
    return OverrideError(msg, location=confcompose.Location(None, index, None, "override", text))


def _param(
    text: str, index: int, options: Callable[[str], Sequence[str]] | None
) -> tuple[str, Param | str]:
    """The key of one override and its dimension (or, for a plain override, its text)."""
    o = parse_override(text, index)
    key, value = o.key_element(), o.value
    if not o.is_sweep():
        return key, o.render()
    if isinstance(value, ChoiceSweep):
        choices = tuple(value.items)
    elif isinstance(value, GlobSweep):
        if options is None:
            raise _sweep_error(text, index, "glob() needs the options of the config group")
        from confcompose.parsing.sweeps import expand_sweep

        choices = tuple(job[0].partition("=")[2] for job in expand_sweep([text], options))
    elif isinstance(value, RangeSweep):
        points = tuple(range_values(value))
        if value.shuffle:
            choices = points
        elif any(isinstance(v, float) for v in (value.start, value.stop, value.step)):
            return key, Param(
                "float", float(value.start), float(value.stop), float(value.step), grid=points
            )
        else:
            return key, Param("int", value.start, value.stop, value.step, grid=points)
    elif isinstance(value, IntervalSweep):
        kind = "int" if isinstance(value.start, int) and isinstance(value.end, int) else "float"
        low, high = (
            (value.start, value.end) if kind == "int" else (float(value.start), float(value.end))
        )
        return key, Param(kind, low, high, log="log" in value.tags)
    else:  # zip()
        raise _sweep_error(
            text, index, f"the Optuna sweeper cannot use {type(value).__name__} sweeps ({text!r})"
        )
    for c in choices:
        if not isinstance(c, _CATEGORICAL_TYPES):
            raise _sweep_error(
                text, index, f"a choice for Optuna is a str, int, float, bool or null, not {c!r}"
            )
    return key, Param("categorical", choices=choices, grid=choices)


def parse_space(
    overrides: Sequence[str], options: Callable[[str], Sequence[str]] | None = None
) -> tuple[dict[str, Param], dict[str, str]]:
    """Search-space dimensions and fixed overrides (by key: a later override of a key wins)."""
    space: dict[str, Param] = {}
    fixed: dict[str, str] = {}
    for i, text in enumerate(overrides):
        key, found = _param(text, i, options)
        if isinstance(found, Param):
            fixed.pop(key, None)
            space[key] = found
        else:
            space.pop(key, None)
            fixed[key] = found
    return space, fixed


def _legacy_space(search_space: Mapping[str, Any]) -> dict[str, Param]:
    # Hydra 1.1's `search_space: {x: {type: float, low: .., high: .., log:, step:}}`.
    out = {}
    for name, spec in search_space.items():
        where = f"hydra.sweeper.search_space.{name}"
        if not isinstance(spec, Mapping) or spec.get("type") not in ("int", "float", "categorical"):
            raise ConfigError(
                "a search_space entry needs type: int, float or categorical",
                key_path=where,
                expected="{type: float, low: 0, high: 1} (or use hydra.sweeper.params)",
            )
        kind = str(spec["type"])
        if kind == "categorical":
            out[str(name)] = Param(kind, choices=tuple(spec.get("choices") or ()))
            continue
        cast = int if kind == "int" else float
        step = spec.get("step")
        out[str(name)] = Param(
            kind,
            cast(spec["low"]),
            cast(spec["high"]),
            None if step is None else cast(step),
            bool(spec.get("log", False)),
        )
    return out


def _directions(value: Any) -> list[str]:
    found = [value] if isinstance(value, str) else list(value or [])
    for d in found:
        if d not in DIRECTIONS:
            raise ConfigError(
                f"unknown direction {d!r}",
                key_path="hydra.sweeper.direction",
                expected="minimize or maximize, or a list of them",
                suggestions=suggestions(str(d), DIRECTIONS),
            )
    if not found:
        raise ConfigError("direction is empty", key_path="hydra.sweeper.direction")
    return [str(d) for d in found]


def _absolute_storage(storage: Any) -> Any:
    # A relative SQLite path is relative to where the app started (jobs may chdir).
    if isinstance(storage, str) and storage.startswith("sqlite:///"):
        path = storage[len("sqlite:///") :]
        if path and not path.startswith("/") and path != ":memory:":
            return "sqlite:///" + os.path.abspath(path)
    return storage


def load_callable(path: str, what: str) -> Callable[..., Any]:
    """A callable from ``module.attr`` (``__main__.f`` included) or ``.file-stem.attr``.

    The relative form names a Python file beside the app's script (hydra-optuna-sweeper's
    example writes ``.custom-search-space-objective.configure``).
    """
    module_name, _, attr = path.lstrip(".").rpartition(".")
    module: Any = None
    if path.startswith("."):
        main = sys.modules.get("__main__")
        main_file = getattr(main, "__file__", None)
        loaded = [main, *list(sys.modules.values())]  # the app's script, or the module it is
        module = next(
            (m for m in loaded if Path(getattr(m, "__file__", None) or "-").stem == module_name),
            None,
        )
        if module is None:
            base = Path(main_file).resolve().parent if main_file else Path.cwd()
            file = base / f"{module_name}.py"
            spec = importlib.util.spec_from_file_location(module_name, file)
            if spec is not None and spec.loader is not None and file.is_file():
                module = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(module)
    elif module_name:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            module = None
    fn = getattr(module, attr, None) if module is not None else None
    if not callable(fn):
        raise ConfigError(
            f"cannot load {path!r}",
            key_path=what,
            expected="the dotted path of a callable (cfg, trial) -> None, e.g. mymodule.configure",
        )
    return fn  # type: ignore[no-any-return]


def objective_values(value: Any, n: int) -> list[float]:
    """A job's return value as ``n`` floats (ValueError when it is not one).

    >>> objective_values(1, 1), objective_values((1, "2.5"), 2)
    ([1.0], [1.0, 2.5])
    """
    try:
        values = [float(value)] if n == 1 else [float(v) for v in value]
    except (TypeError, ValueError):
        shape = "a float" if n == 1 else f"a sequence of {n} floats"
        raise ValueError(
            f"the return value must be {shape} (the objective), not {value!r}"
        ) from None
    if len(values) != n:
        raise ValueError(f"{n} objectives (direction) but {len(values)} values: {value!r}")
    if any(math.isnan(v) for v in values):
        raise ValueError(f"the objective is NaN: {value!r}")
    return values


def _tell(study: Any, trial: Any, **how: Any) -> None:
    try:
        study.tell(trial, **how)
    except RuntimeError as e:
        # GridSampler stops the study once the grid is done, which Optuna only allows inside
        # study.optimize; the trial is already told, and the sweep stops by n_trials anyway.
        if "Study.stop" not in str(e):
            raise


class OptunaSweeper:
    """hydra-optuna-sweeper's sweeper, run on confcompose's launchers and records."""

    def __init__(self, **conf: Any) -> None:
        check_options("Optuna", conf, OPTIONS, section="sweeper")
        self.sampler_conf = dict(conf.get("sampler") or {"_target_": "optuna.samplers.TPESampler"})
        self.directions = _directions(conf.get("direction", "minimize"))
        self.storage = _absolute_storage(conf.get("storage"))
        self.study_name = conf.get("study_name")
        self.n_trials = self._int(conf, "n_trials", 20, 1)
        self.n_jobs = self._int(conf, "n_jobs", 2, 1)
        rate = conf.get("max_failure_rate", 0.0)
        if not isinstance(rate, int | float) or isinstance(rate, bool) or not 0 <= rate <= 1:
            raise ConfigError(
                f"max_failure_rate must be between 0.0 and 1.0, not {rate!r}",
                key_path="hydra.sweeper.max_failure_rate",
            )
        self.max_failure_rate = float(rate)
        self.search_space = conf.get("search_space")
        self.params = conf.get("params")
        self.custom_search_space = conf.get("custom_search_space")

    @classmethod
    def from_config(cls, conf: Mapping[str, Any]) -> OptunaSweeper:
        """The sweeper for a ``hydra.sweeper`` node (as plain data)."""
        return cls(**{k: v for k, v in conf.items() if k != "defaults"})

    @staticmethod
    def _int(conf: Mapping[str, Any], key: str, default: int, least: int) -> int:
        value = conf.get(key, default)
        if value is None:
            value = default
        if not isinstance(value, int) or isinstance(value, bool) or value < least:
            raise ConfigError(
                f"{key} must be an integer >= {least}, not {value!r}",
                key_path=f"hydra.sweeper.{key}",
            )
        return value

    # -- set-up ------------------------------------------------------------------------------
    def space(
        self, task: Sequence[str], options: Callable[[str], Sequence[str]] | None = None
    ) -> tuple[dict[str, Param], dict[str, str]]:
        """The search space and fixed overrides: ``params`` first, then the command line."""
        texts = [*params_overrides(self.params), *task]
        space, fixed = parse_space(texts, options)
        if self.search_space and not self.params:
            space = {**_legacy_space(self.search_space), **space}
        return space, fixed

    def sampler(self, optuna: Any, space: Mapping[str, Param]) -> Any:
        """The sampler of ``hydra.sweeper.sampler`` (a GridSampler gets the grid of ``space``)."""
        conf = dict(self.sampler_conf)
        target = str(conf.pop("_target_", "optuna.samplers.TPESampler"))
        conf.pop("_partial_", None)
        if target == "optuna.samplers.MOTPESampler" and not hasattr(
            optuna.samplers, "MOTPESampler"
        ):
            # Optuna 4 removed MOTPESampler; TPESampler optimizes several objectives itself.
            target = "optuna.samplers.TPESampler"
            conf.pop("n_ehvi_candidates", None)
        module, _, name = target.rpartition(".")
        try:
            cls = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError, ValueError):
            raise ConfigError(
                f"unknown sampler {target!r}",
                key_path="hydra.sweeper.sampler._target_",
                expected="an Optuna sampler class (hydra/sweeper/sampler=tpe, random, cmaes, "
                "nsgaii, motpe, grid, qmc)",
            ) from None
        needs = _SAMPLER_PACKAGES.get(name)
        if needs is not None and importlib.util.find_spec(needs) is None:
            raise ConfigError(
                f"the {name} needs the {needs!r} package, which is not installed; "
                f"install it with: pip install {needs}",
                key_path="hydra.sweeper.sampler",
            )
        accepted = inspect.signature(cls).parameters
        kwargs: dict[str, Any] = {}
        for key, value in conf.items():
            if value is None:
                continue  # null: the sampler's own default (in whichever Optuna is installed)
            if key not in accepted:
                raise ConfigError(
                    f"{name} takes no option {key!r}",
                    key_path=f"hydra.sweeper.sampler.{key}",
                    suggestions=suggestions(key, list(accepted)),
                )
            if isinstance(value, Mapping) and "_target_" in value:
                value = confcompose.instantiate(dict(value))
            kwargs[key] = value
        if name == "GridSampler":
            grid = {}
            for key, param in space.items():
                if param.grid is None:
                    raise ConfigError(
                        f"the grid sampler needs discrete values for {key!r}",
                        key_path=f"hydra.sweeper.params.{key}",
                        expected="range(...) or choice(...), not interval(...)",
                    )
                grid[key] = list(param.grid)
            return cls(grid, **kwargs)
        try:
            return cls(**kwargs)
        except (TypeError, ValueError) as e:
            raise ConfigError(
                f"cannot create {name}: {e}", key_path="hydra.sweeper.sampler"
            ) from None

    def study(self, optuna: Any, sampler: Any) -> Any:
        """The study: new, or the stored one of the same name (which this run continues)."""
        try:
            return optuna.create_study(
                study_name=self.study_name,
                storage=self.storage,
                sampler=sampler,
                directions=self.directions,
                load_if_exists=True,
            )
        except Exception as e:  # bad URL, missing driver, a stored study of other directions
            raise ConfigError(
                f"cannot open the Optuna study: {type(e).__name__}: {e}",
                key_path="hydra.sweeper.storage",
                expected="null (in memory) or an RDB URL such as sqlite:///study.db",
            ) from None

    # -- the sweep ---------------------------------------------------------------------------
    def sweep(
        self,
        overrides: Sequence[str],
        driver: SweepDriver,
        config: Any,
        options: Callable[[str], Sequence[str]] | None = None,
    ) -> None:
        """Ask, launch, tell, batch after batch, until ``n_trials`` jobs ran (or a stop)."""
        optuna = import_optuna()
        hydra_overrides = [o for o in overrides if is_hydra_key(o)]
        for text in hydra_overrides:
            if parse_override(text).is_sweep():
                raise OverrideError(
                    f"sweeping over the hydra configuration is not supported: {text!r}"
                )
        space, fixed = self.space([o for o in overrides if not is_hydra_key(o)], options)
        sampler = self.sampler(optuna, space)
        n_trials = self.n_trials
        if type(sampler).__name__ == "GridSampler":
            points = math.prod(len(p.grid or ()) for p in space.values())
            n_trials = min(n_trials, points)
        study = self.study(optuna, sampler)
        custom = (
            load_callable(str(self.custom_search_space), "hydra.sweeper.custom_search_space")
            if self.custom_search_space
            else None
        )
        records = driver.records
        records.meta.update(
            {
                "sweeper": "optuna",
                "directions": self.directions,
                "study_name": study.study_name,
                "storage": self.storage,
                "sampler": type(sampler).__name__,
            }
        )
        sys.stderr.write(
            f"Optuna study {study.study_name!r} ({self.storage or 'in memory'}), "
            f"{type(sampler).__name__}, {' and '.join(self.directions)}\n"
        )
        queue = self._queue(optuna, study, driver, n_trials)
        driver.expect(len(queue))
        try:
            self._loop(queue, study, space, fixed, custom, config, hydra_overrides, driver, optuna)
        except ImportError as e:  # a sampler's own optional package (cmaes, scipy, torch)
            raise ConfigError(
                f"the {type(sampler).__name__} needs the {e.name or 'a'!r} package, which is "
                f"not installed; install it with: pip install {e.name or '...'}",
                key_path="hydra.sweeper.sampler",
            ) from None
        self._results(optuna, study, records)

    def _loop(
        self,
        queue: list[tuple[int, dict[str, Any] | None]],
        study: Any,
        space: Mapping[str, Param],
        fixed: Mapping[str, str],
        custom: Callable[..., Any] | None,
        config: Any,
        hydra_overrides: Sequence[str],
        driver: SweepDriver,
        optuna: Any,
    ) -> None:
        records = driver.records
        while queue and not driver.stopped:
            chunk, queue = queue[: self.n_jobs], queue[self.n_jobs :]
            trials = []
            jobs = []
            for num, enqueued in chunk:
                if enqueued:
                    study.enqueue_trial(enqueued, skip_if_exists=False)
                trial = study.ask()
                params = self._configure(trial, space, fixed, custom, config)
                self._remember(optuna, records, trial)
                texts = [f"{k}={format_value(v)}" for k, v in params.items()]
                jobs.append(
                    (
                        num,
                        [*hydra_overrides, *texts, *fixed.values()],
                        {"trial": trial.number, "params": json_value(params)},
                    )
                )
                trials.append(trial)
            results = driver.launch(jobs)
            failures = self._tell(optuna, study, trials, results, records)
            if results and failures / len(results) > self.max_failure_rate:
                sys.stderr.write(
                    f"Optuna sweeper: {failures} of {len(results)} jobs of the batch failed "
                    f"(max_failure_rate={self.max_failure_rate}); stopping\n"
                )
                records.meta["stopped"] = "max_failure_rate"
                break

    def _queue(
        self, optuna: Any, study: Any, driver: SweepDriver, n_trials: int
    ) -> list[tuple[int, dict[str, Any] | None]]:
        # The jobs to run: every trial of a new sweep; on resume, the recorded ones that did not
        # complete (same params, same num) and the trials that never started.
        if not driver.resuming:
            return [(i, None) for i in range(n_trials)]
        records = driver.records
        entries = records.ordered()
        if self.storage is None:  # an in-memory study starts empty: teach it what completed
            self._replay(
                optuna, study, [e for e in entries if e.get("status") == "completed"], records.meta
            )
        rerun = [
            (int(e["num"]), e.get("params") if isinstance(e.get("params"), dict) else None)
            for e in entries
            if e.get("status") != "completed"
        ]
        start = max((int(e["num"]) for e in entries), default=-1) + 1
        fresh = max(0, n_trials - len(entries))
        return [*rerun, *((start + i, None) for i in range(fresh))]

    def _replay(
        self, optuna: Any, study: Any, entries: Sequence[Mapping[str, Any]], meta: Mapping[str, Any]
    ) -> None:
        known = meta.get("distributions") or {}
        dists = {
            k: optuna.distributions.json_to_distribution(json.dumps(v)) for k, v in known.items()
        }
        for e in entries:
            params = e.get("params")
            if not isinstance(params, dict) or any(k not in dists for k in params):
                continue
            try:
                values = objective_values(e.get("return_value"), len(self.directions))
                trial = optuna.trial.create_trial(
                    params=params,
                    distributions={k: dists[k] for k in params},
                    values=values,
                )
            except ValueError:
                continue
            study.add_trial(trial)

    def _configure(
        self,
        trial: Any,
        space: Mapping[str, Param],
        fixed: Mapping[str, str],
        custom: Callable[..., Any] | None,
        config: Any,
    ) -> dict[str, Any]:
        for key, param in space.items():
            param.suggest(trial, key)
        for key, text in fixed.items():
            trial.set_user_attr(key, text.partition("=")[2])
        if custom is not None:
            custom(config, trial)
        overlap = sorted(set(trial.params) & set(fixed))
        if overlap:
            raise ConfigError(
                f"custom_search_space suggests {overlap[0]!r}, which an override fixes",
                key_path="hydra.sweeper.custom_search_space",
                expected="search-space parameters that no plain override sets",
            )
        return dict(trial.params)

    @staticmethod
    def _remember(optuna: Any, records: Any, trial: Any) -> None:
        known = records.meta.setdefault("distributions", {})
        for key, dist in trial.distributions.items():
            known[key] = json.loads(optuna.distributions.distribution_to_json(dist))

    def _tell(
        self,
        optuna: Any,
        study: Any,
        trials: Sequence[Any],
        results: Sequence[JobResult],
        records: Any,
    ) -> int:
        failed_state = optuna.trial.TrialState.FAIL
        failures = 0
        for i, trial in enumerate(trials):
            if i >= len(results):  # fail-fast stopped before this job started
                _tell(study, trial, state=failed_state)
                continue
            result = results[i]
            if not result.ok:
                _tell(study, trial, state=failed_state)
                failures += 1
                continue
            try:
                values = objective_values(result.return_value, len(self.directions))
            except ValueError as e:
                result.status = "failed"
                result.error = e
                if result.num is not None:
                    records.mark_failed(result.num, f"ValueError: {e}")
                sys.stderr.write(f"job #{result.num}: {e}\n")
                _tell(study, trial, state=failed_state)
                failures += 1
                continue
            _tell(study, trial, values=values)
        return failures

    def _results(self, optuna: Any, study: Any, records: Any) -> None:
        complete = study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,))
        if not complete:
            sys.stderr.write("Optuna sweeper: no trial completed; no best point\n")
            return
        data: dict[str, Any]
        if len(self.directions) == 1:
            best = study.best_trial
            data = {"name": "optuna", "best_params": best.params, "best_value": best.value}
            lines = [f"Best parameters: {best.params}", f"Best value: {best.value}"]
        else:
            front = [{"params": t.params, "values": list(t.values)} for t in study.best_trials]
            data = {"name": "optuna", "solutions": front}
            lines = [f"Number of Pareto solutions: {len(front)}"]
            lines += [f"    Values: {s['values']}, Params: {s['params']}" for s in front]
        records.meta["best"] = json_value(data)
        records.meta["n_trials_in_study"] = len(study.get_trials(deepcopy=False))
        path = records.sweep_dir / RESULTS_FILE
        atomic_write(path, confcompose.to_yaml(confcompose.create(data)))
        sys.stderr.write("\n".join(lines) + f"\n(written to {path})\n")
