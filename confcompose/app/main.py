"""``@confcompose.main``: compose the config from the command line and run the decorated function.

>>> @main(config_path="conf", config_name="config", standalone=False)  # doctest: +SKIP
... def my_app(cfg):
...     return cfg.db.driver
>>> my_app(argv=["db=postgresql"])  # doctest: +SKIP
'postgresql'

With ``standalone=True`` (the default) a call without arguments reads ``sys.argv`` and errors
end the process with a status (``confcompose.app.standalone.run_standalone``); with
``standalone=False`` the call returns the result (a list of :class:`JobResult` for ``-m``) or
raises.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from pathlib import Path

import confcompose
from confcompose import ConfigError, DictNode
from confcompose._typing import Protocol, cast, overload
from confcompose.app._records import record
from confcompose.app.args import UsageError, is_hydra_key, parse_app_args
from confcompose.app.callbacks import load_callbacks, notify
from confcompose.app.logsetup import configure_logging
from confcompose.app.runs import (
    JobSpec,
    MultirunResult,
    Runtime,
    app_resolvers,
    override_dirname,
    run_job,
    using_runtime,
)
from confcompose.app.sources import beside, primary_dir, search_path
from confcompose.app.versions import CURRENT_VERSION_BASE, at_least, normalize_version_base
from confcompose.composition import Composition
from confcompose.errors import suggestions
from confcompose.parsing.overrides import split_override

TYPE_CHECKING = False  # keep the typing module off the start-up path
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any, ParamSpec, TextIO, TypeVar

    TaskFunction = Callable[..., Any]
    _P = ParamSpec("_P")
    _R = TypeVar("_R")
    _R_co = TypeVar("_R_co", covariant=True)
else:
    _P = _R_co = None  # type parameters, for type checkers only


class MainFunction(Protocol[_P, _R_co]):
    """What ``@confcompose.main`` returns: the task function, made runnable from a command line.

    ``app()`` reads ``sys.argv`` (``app(argv=[...])`` takes the arguments instead) and returns
    what the run returns (a :class:`MultirunResult` for ``-m``); ``app(cfg)`` calls the task
    function directly with a config, as ``@hydra.main``'s ``cfg_passthrough`` does.
    """

    app: App

    @overload
    def __call__(self, *, argv: Sequence[str] | None = None) -> Any: ...
    @overload
    def __call__(self, *args: _P.args, **kwargs: _P.kwargs) -> _R_co: ...


@record()
class App:
    """A decorated task function and where its configs are; :meth:`run` takes a command line."""

    task: TaskFunction
    config_path: str | None
    config_name: str | None
    job_name: str
    doc: str = ""
    out: TextIO | None = None
    #: A ConfigStore read after the config directories (Hydra's ``structured://`` source).
    store: Any = None
    #: Hydra's ``version_base`` as ``"major.minor"``: ``"1.1"`` turns on 1.1's defaults.
    version_base: str = CURRENT_VERSION_BASE
    #: Exit status for bad input (2; apps through ``confcompose.hydra`` exit 1, as Hydra's do).
    error_status: int = 2
    #: The folder of the app's file: ``--config-path`` is relative to it (as in Hydra).
    app_dir: str | None = None

    @property
    def stdout(self) -> TextIO:
        """Where ``--cfg``, ``--help`` and ``--info`` print."""
        return self.out if self.out is not None else sys.stdout

    def run(self, argv: Sequence[str]) -> Any:
        """Run the app for ``argv`` (without the program name)."""
        args = parse_app_args(self.job_name + ".py", argv)
        if args.version:
            self.stdout.write(f"confcompose {confcompose.__version__}\n")
            return None
        session = Session(self, args)
        if args.shell_completion:
            from confcompose.app.completion import completion

            self.stdout.write(completion(session, list(args.overrides)))
            return None
        if args.help or args.hydra_help:
            from confcompose.app.help import app_help

            self.stdout.write(app_help(session, hydra=args.hydra_help))
            return None
        if args.cfg or args.info:
            return session.show()
        if args.experimental_rerun:
            from confcompose.app.rerun import rerun

            return rerun(session, args.experimental_rerun)
        if args.resume:
            return session.resume(args.resume)
        if args.multirun:
            return session.multirun()
        return session.single_run()


class Session:
    """One invocation: the composer, the app's resolvers and the parsed command line."""

    def __init__(self, app: App, args: Any) -> None:
        self.app = app
        self.args = args
        self.cwd = os.getcwd()
        self.config_name = args.config_name or app.config_name
        overrides = list(args.overrides)
        if args.launcher:
            overrides.append(_launcher_override(args.launcher))
        self.overrides = overrides
        # One start time per invocation: every ${now:...} of every job agrees (sweep dir, logs).
        self.started = time.time_ns()
        self.resolvers = app_resolvers(confcompose.default_context().resolvers, self.started)
        self._composer: Any = None
        self.sweep_dir: str | None = None  # fixed by --resume (else hydra.sweep.dir decides)
        self.configured_mode: str | None = None  # hydra.mode as the configs set it

    @property
    def composer(self) -> Any:
        """The :class:`~confcompose.Composer` over the app's search path (built on first use)."""
        if self._composer is None:
            self._composer = confcompose.Composer(
                self.config_dir(),
                search_path=self.search_path(),
                store=self.app.store,
                resolvers=self.resolvers,
            )
            self._composer.legacy_hydra_overrides = not at_least(self.app.version_base, "1.2")
        return self._composer

    def config_dir(self) -> str | None:
        """The primary config directory: ``--config-path`` or ``config_path``."""
        path = self.app.config_path
        if self.args.config_path:
            path = beside(self.args.config_path, self.app.app_dir)
        return primary_dir(path)

    def search_path(self) -> list[Any]:
        """Extra repositories after the primary one (``--config-dir``, then the built-ins)."""
        primary = self.config_dir()
        return search_path(
            self.args.config_dir, primary, self.config_name, self.overrides, self.resolvers
        )

    # -- composition -------------------------------------------------------------------------
    def compose(
        self,
        overrides: Sequence[str],
        mode: str,
        num: int | None = None,
        *,
        skip_missing: bool = False,
        recorded: Sequence[str] | None = None,
        launching: bool = True,
        launcher: str = "basic",
    ) -> Composition:
        """Job config, filled-in ``hydra`` node, their root and choices for one job's overrides.

        ``skip_missing``: a multirun's own config, where ``???`` groups wait for the sweep.
        ``recorded``: the overrides ``hydra.overrides`` and ``hydra.job.override_dirname`` show
        when they are not ``overrides`` (a multirun's own config keeps its sweeps there).
        ``launching``: a run or a multirun (not ``--cfg``), which records ``hydra.mode=...``
        among the hydra overrides as Hydra does. ``launcher``: the kind of launcher running a
        multirun job (``basic`` or another), which decides its ``hydra.job.id``.
        """
        composed: Composition = self.composer.compose_all(
            list(overrides), self.config_name, skip_missing=skip_missing
        )
        hydra, choices = composed.hydra, composed.choices
        if self.configured_mode is None:  # `hydra.mode: MULTIRUN` in a config makes -m implicit
            self.configured_mode = str(confcompose.select(hydra, "mode", default=None) or "")
        shown = list(overrides if recorded is None else recorded)
        task = [o for o in shown if not is_hydra_key(o)]
        hydra_overrides = [o for o in shown if is_hydra_key(o)]
        if launching and self.configured_mode in ("", "RUN") and self.configured_mode != mode:
            # Hydra adds this override when no config sets the mode (or -m overrules RUN).
            hydra_overrides.append(f"hydra.mode={mode}")
        values: dict[str, Any] = {
            "overrides.task": task,
            "overrides.hydra": hydra_overrides,
            "job.config_name": self.config_name,
            "runtime.version": confcompose.__version__,
            "runtime.version_base": self.app.version_base,
            "runtime.cwd": self.cwd,
            "runtime.config_sources": self.sources(),
        }
        if launching:  # `--cfg` shows hydra.mode as the configs set it (null), as Hydra does
            values["mode"] = mode
        if confcompose.is_missing(hydra, "job.name"):
            values["job.name"] = self.app.job_name
        if self.sweep_dir is not None:
            values["sweep.dir"] = self.sweep_dir
        if num is not None:
            values["job.num"] = num
            # Hydra's basic launcher numbers its jobs; the other launchers name them.
            values["job.id"] = str(num) if launcher == "basic" else f"job_id_for_{num}"
        for key, value in values.items():
            confcompose.update(hydra, key, value, merge=False, force_add=True)
        confcompose.update(hydra, "runtime.choices", dict(choices), merge=False, force_add=True)
        dirname = _override_dirname(hydra, task)
        confcompose.update(hydra, "job.override_dirname", dirname, force_add=True)
        _copy_env(hydra)
        return composed

    def sources(self) -> list[dict[str, str]]:
        """Where the configs come from, as ``hydra.runtime.config_sources`` lists them."""
        out = []
        for i, repo in enumerate(self.composer.search_path.repositories):
            schema, _, path = repo.describe().partition("://")
            provider = "main" if i == 0 and self.config_dir() else "confcompose"
            out.append({"path": path, "schema": schema, "provider": provider})
        return out

    def spec(
        self,
        overrides: Sequence[str],
        mode: str,
        num: int | None = None,
        sweep_dir: str = "",
        output_dir: str | None = None,
        launcher: str = "basic",
    ) -> JobSpec:
        """A ready-to-run job: composed, with its output directory decided (or given)."""
        job, hydra, root, choices = self.compose(overrides, mode, num, launcher=launcher)
        if output_dir is None and num is None:
            output_dir = os.path.abspath(str(confcompose.select(hydra, "run.dir")))
            output_dir = _own_dir(hydra, "run.dir", output_dir)
        elif output_dir is None:
            configured = os.path.abspath(str(confcompose.select(hydra, "sweep.dir")))
            if sweep_dir and sweep_dir != configured:
                # The sweep claimed another dir (its name was taken): the job says where it is.
                # Otherwise the value stays as configured (`multirun/${now:...}`), as in Hydra.
                confcompose.update(hydra, "sweep.dir", sweep_dir)
            output_dir = os.path.join(sweep_dir, str(confcompose.select(hydra, "sweep.subdir")))
        output_dir = os.path.abspath(output_dir)
        confcompose.update(hydra, "runtime.output_dir", output_dir, force_add=True)
        task = tuple(o for o in overrides if not is_hydra_key(o))
        return JobSpec(
            self.app.task,
            job,
            hydra,
            task,
            num,
            output_dir,
            choices,
            self.cwd,
            self.config_name,
            root=root,
        )

    # -- modes -------------------------------------------------------------------------------
    def single_run(self) -> Any:
        """Compose, run the task once in this process; re-raise its exception if it fails.

        A config that sets ``hydra.mode: MULTIRUN`` (an ``hparams_search`` config) runs the
        multirun instead, as with ``-m``; like Hydra 1.3.8, even with ``--run``.
        """
        plain = [o for o in self.overrides if not _is_sweep(o)]
        try:
            spec = self.spec(plain, "RUN")
        except ConfigError:
            # A multirun config may leave a `???` group to its sweep.
            if self._configured_mode() == "MULTIRUN":
                return self.multirun()
            _check_no_sweep(self.overrides)
            raise
        if self.configured_mode == "MULTIRUN":
            return self.multirun()
        _check_no_sweep(self.overrides)
        configure_logging(spec.hydra, "hydra_logging")
        callbacks = load_callbacks(spec.hydra)
        whole = spec.full_config()
        notify(callbacks, "on_run_start", config=whole)
        result = run_job(spec)
        notify(callbacks, "on_run_end", end=True, config=whole)
        if result.error is not None:
            raise result.error
        return result.return_value

    def _configured_mode(self) -> Any:
        """``hydra.mode`` as the configs set it; ``None`` when they do not compose."""
        try:
            plain = [o for o in self.overrides if not _is_sweep(o)]
            self.compose(plain, "RUN", skip_missing=True)
        except ConfigError:
            return None
        return self.configured_mode

    def multirun(self, resume: Any = None) -> MultirunResult:
        """Run the sweep batch by batch; the results come back in job order.

        ``resume`` (the :class:`~confcompose.app.records.SweepRecords` of an earlier run of
        this sweep) skips the jobs that completed then.
        """
        from confcompose.app.driver import SweepDriver
        from confcompose.app.launchers import make_launcher
        from confcompose.app.records import SweepRecords
        from confcompose.app.sweep import BasicSweeper
        from confcompose.app.sweepers import optimizing_sweeper

        plain = [o for o in self.overrides if not _is_sweep(o)]
        _, hydra, whole, _ = self.compose(
            plain, "MULTIRUN", skip_missing=True, recorded=self.overrides
        )
        configure_logging(hydra, "hydra_logging")
        callbacks = load_callbacks(hydra)
        notify(callbacks, "on_multirun_start", config=whole)
        sweeper_cfg = confcompose.select(hydra, "sweeper")
        optimizer = optimizing_sweeper(sweeper_cfg)
        sweep_dir = os.path.abspath(str(confcompose.select(hydra, "sweep.dir")))
        sweep_dir = _own_dir(hydra, "sweep.dir", sweep_dir)
        self._save_multirun(whole, sweep_dir)
        launcher = make_launcher(hydra)
        kind = "basic" if type(launcher).__name__ == "BasicLauncher" else "other"
        results = MultirunResult()
        records = resume if resume is not None else SweepRecords(sweep_dir, self._sweep_meta())
        driver = SweepDriver(
            lambda num, overrides, out: self.spec(
                overrides, "MULTIRUN", num, sweep_dir, out, launcher=kind
            ),
            launcher,
            records,
            results,
            fail_fast=bool(self.args.fail_fast),
            resuming=resume is not None,
        )
        if optimizer is not None:
            optimizer.sweep(self.overrides, driver, whole, self.composer.search_path.options)
        else:
            sweeper = BasicSweeper(
                max_batch_size=confcompose.select(sweeper_cfg, "max_batch_size", default=None),
                params=confcompose.to_container(
                    confcompose.select(sweeper_cfg, "params", default=None) or {}
                ),
            )
            # Lazily: each job is composed when the launcher takes it, so a long sweep starts
            # at once and holds only the jobs in flight (see SweepDriver.launch).
            jobs = sweeper.sweep(self.overrides, self.composer.search_path.options)
            total = len(jobs)
            done = records.count_completed(below=total)
            driver.expect(total - done)
            driver.run_batches(sweeper.iter_batches(jobs))
        sys.stderr.write(driver.finish())
        notify(callbacks, "on_multirun_end", end=True, config=whole)
        return results

    def _sweep_meta(self) -> dict[str, Any]:
        # What --resume needs to run the same sweep again: the command line and the config.
        return {
            "app": self.app.job_name,
            "config_name": self.config_name,
            "overrides": list(self.overrides),
            "started": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(self.started / 1e9)),
        }

    def resume(self, sweep_dir: str) -> MultirunResult:
        """``--resume SWEEP_DIR``: rerun the jobs of that sweep that failed or never ran."""
        from confcompose.app.records import SweepRecords

        records = SweepRecords.load(sweep_dir)
        extra = list(self.overrides)
        bad = [o for o in extra if not is_hydra_key(o)]
        if bad:
            raise UsageError(
                f"--resume reruns the sweep's own jobs; it takes no task overrides: {bad[0]!r}",
                expected="only hydra overrides (hydra/launcher=..., hydra.job.chdir=...)",
            )
        saved = records.meta.get("overrides")
        self.overrides = [*(saved if isinstance(saved, list) else []), *extra]
        name = records.meta.get("config_name")
        if isinstance(name, str) and not self.args.config_name:
            self.config_name = name
        self.sweep_dir = str(records.sweep_dir.resolve())
        return self.multirun(resume=records)

    def _save_multirun(self, root: DictNode, sweep_dir: str) -> None:
        from confcompose.app.outdir import os_error
        from confcompose.app.runs import atomic_write

        try:
            atomic_write(Path(sweep_dir) / "multirun.yaml", confcompose.to_yaml(root))
        except OSError as e:
            raise os_error("write multirun.yaml in", sweep_dir, e, "hydra.sweep.dir") from None

    def show(self) -> None:
        """``--cfg`` and ``--info``: print the composed config or how it was composed."""
        plain = [o for o in self.overrides if not (self.args.multirun and _is_sweep(o))]
        if not self.args.multirun:
            _check_no_sweep(plain)
        if self.args.info:
            from confcompose.app.help import info

            self.app.stdout.write(info(self, plain, self.args.info))
            return
        job, hydra, root, choices = self.compose(
            plain, "MULTIRUN" if self.args.multirun else "RUN", launching=False
        )
        shown = {"job": job, "hydra": _hydra_only(hydra), "all": root}
        cfg = shown[self.args.cfg]
        package = self.args.package
        rt = Runtime("", self.app.job_name, None, tuple(plain), choices, self.cwd, None, hydra)
        with using_runtime(rt):
            self.app.stdout.write(_render(cfg, package, self.args.resolve))


def _hydra_only(hydra: DictNode) -> DictNode:
    """What ``--cfg hydra`` shows: the hydra node without its help texts (as Hydra shows it)."""
    shown = confcompose.create({"hydra": hydra})
    node = shown["hydra"]
    with confcompose.open_dict(node):
        for key in ("help", "hydra_help"):
            if key in node:
                del node[key]
    return shown


def _render(cfg: Any, package: str | None, resolve: bool) -> str:
    if package in (None, "", "_global_"):
        return confcompose.to_yaml(cfg, resolve=resolve)
    value = confcompose.select(cfg, str(package), default=None)
    if value is None:
        raise ConfigError(f"package {package!r} not found in config", key_path=package)
    if not isinstance(value, DictNode | confcompose.ListNode):
        return f"{value}\n"
    return f"# @package {package}\n" + confcompose.to_yaml(value, resolve=resolve)


def _is_sweep(text: str) -> bool:
    # Cheap test first: a sweep needs a comma or a function call; plain values never load lark.
    value = split_override(text)[1]
    if "," not in value and "(" not in value:
        return False
    return bool(confcompose.parse_override(text).is_sweep())


def _check_no_sweep(overrides: Sequence[str]) -> None:
    for i, text in enumerate(overrides):
        if _is_sweep(text):
            raise confcompose.OverrideError(
                f"Ambiguous value for argument '{text}'\n"
                "1. To use it as a list, use key=[value1,value2]\n"
                "2. To use it as string, quote the value: key=\\'value1,value2\\'\n"
                "3. To sweep over it, add --multirun to your command line",
                location=confcompose.Location(None, i, None, "override", text),
            )


def _launcher_override(name: str) -> str:
    from confcompose.app.launchers import LAUNCHER_OPTIONS

    option = LAUNCHER_OPTIONS.get(name)
    if option is None:
        raise UsageError(
            f"unknown launcher {name!r}",
            expected="one of " + ", ".join(sorted(LAUNCHER_OPTIONS)),
            suggestions=suggestions(name, LAUNCHER_OPTIONS),
        )
    return f"hydra/launcher={option}"


def _override_dirname(hydra: DictNode, task: Sequence[str]) -> str:
    conf = confcompose.select(hydra, "job.config.override_dirname", default=None)
    if conf is None:
        return override_dirname(task)
    return override_dirname(
        task,
        kv_sep=str(conf.kv_sep),
        item_sep=str(conf.item_sep),
        exclude=[str(k) for k in conf.exclude_keys],
    )


def _own_dir(hydra: DictNode, key: str, path: str) -> str:
    """``path`` made; claimed for this run alone when its name comes from the start time."""
    from confcompose.app.outdir import claim_dir, make_dir, time_named

    if not time_named(hydra, key):
        make_dir(path, f"hydra.{key}")
        return path
    claimed = claim_dir(path, f"hydra.{key}")
    if claimed != path:  # another run started in the same second: keep the two apart
        sys.stderr.write(f"confcompose: {path} is taken by another run; using {claimed}\n")
        confcompose.update(hydra, key, claimed)
    return claimed


def _env_copy_keys(hydra: DictNode) -> list[str]:
    keys = confcompose.select(hydra, "job.env_copy", default=[]) or []
    if not isinstance(keys, confcompose.ListNode | list):
        raise ConfigError(
            f"must be a list of environment variable names, not {keys!r}",
            key_path="hydra.job.env_copy",
        )
    out = []
    for i, key in enumerate(keys):
        # Hydra's env_copy is a List[str]: scalars become their text, as OmegaConf converts them.
        if not isinstance(key, (str, int, float)) or key == "" or "\0" in str(key):
            raise ConfigError(
                f"an environment variable name must be a non-empty string, not {key!r}",
                key_path=f"hydra.job.env_copy[{i}]",
            )
        out.append(str(key))
    return out


def _copy_env(hydra: DictNode) -> None:
    for key in _env_copy_keys(hydra):
        if key in os.environ:
            confcompose.update(hydra, f"job.env_set.{key}", os.environ[key], force_add=True)


def _job_name(task: TaskFunction) -> str:
    module = sys.modules.get(task.__module__)
    file = getattr(module, "__file__", None)
    return Path(file).stem if file else task.__module__.rpartition(".")[2]


def main(
    config_path: str | None = None,
    config_name: str | None = None,
    version_base: str | None = None,
    *,
    standalone: bool = True,
    store: Any = None,
    error_status: int = 2,
) -> Callable[[Callable[_P, _R]], MainFunction[_P, _R]]:
    """Decorate a task function taking the composed config, as ``@hydra.main`` does.

    ``config_path`` is relative to the file that defines the function. ``version_base`` selects
    Hydra's version-dependent defaults: ``None`` (the default) is the current behaviour,
    ``"1.1"`` changes into each job's output directory unless ``hydra.job.chdir`` says
    otherwise. ``store`` (a :class:`~confcompose.ConfigStore`) is searched after the config
    directories, as Hydra's structured configs are. ``error_status`` is the exit status of a
    standalone run for bad input (Hydra's apps exit 1).
    """
    version = normalize_version_base(version_base)

    def decorate(task: Callable[_P, _R]) -> MainFunction[_P, _R]:
        module = sys.modules.get(task.__module__)
        file = getattr(module, "__file__", None)
        app_dir = str(Path(file).resolve().parent) if file else None
        path = None if config_path is None else beside(config_path, app_dir)
        app = App(
            task,
            path,
            config_name,
            _job_name(task),
            (task.__doc__ or "").strip(),
            store=store,
            version_base=version,
            error_status=error_status,
            app_dir=app_dir,
        )

        @functools.wraps(task)
        def wrapper(*args: Any, argv: Sequence[str] | None = None, **kwargs: Any) -> Any:
            if list(kwargs) == ["cfg_passthrough"]:  # @hydra.main's keyword
                args, kwargs = (kwargs["cfg_passthrough"],), {}
            if kwargs or (args and args != (None,)):
                return task(*args, **kwargs)
            if standalone and argv is None:
                from confcompose.app.standalone import run_standalone

                return run_standalone(app, sys.argv[1:])
            return app.run(sys.argv[1:] if argv is None else argv)

        wrapper.app = app  # type: ignore[attr-defined]
        return cast("MainFunction[_P, _R]", wrapper)

    return decorate
