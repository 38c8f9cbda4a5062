"""One job run: its output directory, saved configs, logging, runtime info and result.

A :class:`JobSpec` is everything a job needs, explicitly (the job config with its resolvers, the
``hydra`` node, the task function), so launchers can pickle it to another process; nothing is
read from process-global state. While the task runs, :func:`runtime` returns the job's
:class:`Runtime` from a context variable that is set for exactly that duration.

>>> to_absolute_path("/etc/hosts")
'/etc/hosts'
"""

from __future__ import annotations

import _thread
import contextlib
import contextvars
import os
import time
from pathlib import Path

import confcompose
from confcompose import ConfigError, DictNode
from confcompose.app._records import record
from confcompose.app.callbacks import load_callbacks, notify
from confcompose.app.logsetup import configure_logging, flush_logs, log_traceback
from confcompose.app.versions import at_least
from confcompose.parsing.overrides import override_key, split_override

TYPE_CHECKING = False  # keep the typing module off the start-up path
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence
    from typing import Any, Literal, TextIO

    Status = Literal["completed", "failed"]


@record(frozen=True, hidden=("hydra",))
class Runtime:
    """What a running job knows about itself (``confcompose.runtime()``).

    ``num`` is ``None`` in a single run (as ``hydra.job.num`` is unset there).
    """

    output_dir: str
    job_name: str
    num: int | None
    overrides: tuple[str, ...]
    choices: Mapping[str, Any]
    cwd: str
    config_name: str | None
    hydra: DictNode


# The running job's Runtime; set by run_job for the duration of the task only.
_RUNTIME: contextvars.ContextVar[Runtime | None] = contextvars.ContextVar(
    "confcompose_runtime", default=None
)


def runtime() -> Runtime:
    """The running job's output dir, name, number, overrides and choices.

    Raises :class:`~confcompose.ConfigError` outside a job started by ``@confcompose.main``.
    """
    rt = _RUNTIME.get()
    if rt is None:
        raise ConfigError(
            "runtime() is only available inside a job started by @confcompose.main",
            expected="a call from the decorated function (or code it calls)",
        )
    return rt


@contextlib.contextmanager
def using_runtime(rt: Runtime) -> Iterator[Runtime]:
    """Make ``rt`` the current :func:`runtime` inside a ``with`` block."""
    token = _RUNTIME.set(rt)
    try:
        yield rt
    finally:
        _RUNTIME.reset(token)


def to_absolute_path(path: str | os.PathLike[str]) -> str:
    """``path`` made absolute against the directory the app started in (not the job's dir).

    >>> to_absolute_path("/data/x.csv")
    '/data/x.csv'
    """
    p = Path(path)
    if p.is_absolute():
        return str(p)
    rt = _RUNTIME.get()
    base = Path(rt.cwd) if rt is not None else Path.cwd()
    return str(base / p)


# -- resolvers registered on the app's own registry ---------------------------------------------


def hydra_resolver(path: str) -> Any:
    """``${hydra:job.name}``: a value of the running job's ``hydra`` node."""
    rt = _RUNTIME.get()
    if rt is None:
        raise ConfigError(
            f"${{hydra:{path}}} can only be resolved while an app job runs",
            expected="resolution inside the decorated function",
        )
    return confcompose.select(rt.hydra, str(path))


# Directives that time.strftime renders differently from datetime's (or not at all).
_DATETIME_ONLY = ("%f", "%z", "%Z", "%:")


class NowResolver:
    """``${now:%H-%M-%S}``: the app's start time, formatted; the same value for every job.

    >>> NowResolver(0)("%Y") in ("1969", "1970")
    True
    """

    def __init__(self, at_ns: int) -> None:
        self.at_ns = at_ns  # time.time_ns() at start-up

    def __call__(self, pattern: str = "%Y-%m-%d_%H-%M-%S") -> str:
        pattern = str(pattern)
        seconds, ns = divmod(self.at_ns, 10**9)
        if not any(d in pattern for d in _DATETIME_ONLY):
            # Same output as datetime.strftime (which calls time.strftime for these), without
            # importing datetime on every run.
            return time.strftime(pattern, time.localtime(seconds))
        import datetime

        at = datetime.datetime.fromtimestamp(seconds).replace(microsecond=ns // 1000)
        return at.strftime(pattern)


def app_resolvers(base: confcompose.Resolvers, started_ns: int) -> Any:
    """A copy of ``base`` with the ``hydra`` and ``now`` resolvers added (``base`` unchanged)."""
    resolvers = base.copy()
    resolvers.register("hydra", hydra_resolver, replace=True)
    resolvers.register("now", NowResolver(started_ns), replace=True)
    return resolvers


# -- the job -------------------------------------------------------------------------------------


@record()
class JobSpec:
    """Everything one job needs; picklable when its task function and resolvers are."""

    task: Callable[[Any], Any]
    config: DictNode
    hydra: DictNode
    overrides: tuple[str, ...]
    num: int | None
    output_dir: str
    choices: dict[str, Any]
    cwd: str
    config_name: str | None
    configure_logging: bool = True
    #: The root holding ``hydra`` and the job's keys (``Composer.compose_all``), if composed.
    root: DictNode | None = None

    def full_config(self) -> DictNode:
        """The config a callback receives: the job's keys and the ``hydra`` node, as in Hydra."""
        return self.root if self.root is not None else self.config

    def __getstate__(self) -> dict[str, Any]:
        # The hydra node interpolates through its root (``${hydra.job.name}``, job keys), and a
        # pickled child loses its parent: ship the root only and take the child back out of it.
        state = dict(self.__dict__)
        if self.root is not None:
            del state["hydra"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        if "hydra" not in state:
            state["hydra"] = confcompose.select(state["root"], "hydra")
        self.__dict__.update(state)


@record(slots=True)
class JobResult:
    """How one job ended: ``status``, ``return_value`` or ``error``, where and how long."""

    num: int | None
    overrides: tuple[str, ...]
    output_dir: str
    status: Status = "completed"
    return_value: Any = None
    error: BaseException | None = None
    traceback: str = ""
    duration: float = 0.0
    working_dir: str = ""

    @property
    def ok(self) -> bool:
        """Whether the task returned without raising."""
        return self.status == "completed"


class MultirunResult(list[JobResult]):
    """The results of a multirun, in job order; ``failed`` lists the jobs that raised."""

    @property
    def failed(self) -> list[JobResult]:
        """The jobs whose task raised."""
        return [r for r in self if not r.ok]


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[TextIO]:
    """A text file to write ``path`` through: a temporary file renamed on success (readers
    never see half of it; on an error it is removed and ``path`` is left as it was)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # A name no other writer uses (pid + thread); tempfile would cost ~7 ms of start-up.
    tmp = str(path.parent / f".{path.name}.{os.getpid()}.{_thread.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_TRUNC, 0o644)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            yield f
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file + rename (readers never see half)."""
    with atomic_writer(path) as f:
        f.write(text)


def save_run_files(spec: JobSpec) -> None:
    """``.hydra/config.yaml``, ``hydra.yaml`` and ``overrides.yaml`` in the job's directory,
    published as one set (see :func:`confcompose.app.outdir.publish`)."""
    from confcompose.app.outdir import publish

    subdir = confcompose.select(spec.hydra, "output_subdir", default=None)
    if subdir is None:
        return
    # The user's text as given (as Hydra saves it): `+z=${seed}` stays `+z=${seed}`.
    overrides = confcompose.select(spec.hydra, "overrides", default=None)
    task = confcompose.to_container(overrides, resolve=False).get("task") if overrides else None
    files = {
        "config.yaml": confcompose.to_yaml(spec.config),
        "hydra.yaml": confcompose.to_yaml(confcompose.create({"hydra": spec.hydra})),
        "overrides.yaml": confcompose.to_yaml(confcompose.create(task or [])),
    }
    # os.path, not pathlib: pathlib interns every path part, which grows with a long sweep.
    publish(os.path.join(spec.output_dir, str(subdir)), files, "hydra.output_subdir")


_CHDIR_WARNING = (
    "Future Hydra versions will no longer change working directory at job runtime by default.\n"
    "See https://hydra.cc/docs/1.2/upgrades/1.1_to_1.2/changes_to_job_working_dir/ "
    "for more information."
)


def job_chdir(hydra: DictNode) -> bool:
    """``hydra.job.chdir``; when unset, as Hydra decides it: only for ``version_base`` 1.1."""
    chdir = confcompose.select(hydra, "job.chdir", default=None)
    if chdir is not None:
        return bool(chdir)
    if at_least(confcompose.select(hydra, "runtime.version_base", default=None), "1.2"):
        return False
    import warnings

    warnings.warn(_CHDIR_WARNING, UserWarning, stacklevel=3)
    return True


@contextlib.contextmanager
def _env(values: Mapping[str, Any]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update({str(k): str(v) for k, v in values.items()})
    try:
        yield
    finally:
        for k, old in saved.items():
            if old is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = old


def run_job(spec: JobSpec) -> JobResult:
    """Run one job: make its directory, save its configs, set up logging, call the task.

    A task exception is caught into the result (``status="failed"``); configuration errors
    (a bad logging config, ...) propagate.
    """
    started = time.perf_counter()
    result = JobResult(spec.num, spec.overrides, spec.output_dir)
    old_cwd = os.getcwd()
    _make_output_dir(spec)
    chdir = job_chdir(spec.hydra)
    rt = Runtime(
        output_dir=spec.output_dir,
        job_name=str(confcompose.select(spec.hydra, "job.name", default="app")),
        num=spec.num,
        overrides=spec.overrides,
        choices=dict(spec.choices),
        cwd=spec.cwd,
        config_name=spec.config_name,
        hydra=spec.hydra,
    )
    env_set = confcompose.to_container(
        confcompose.select(spec.hydra, "job.env_set", default={}), resolve=True
    )
    try:
        with using_runtime(rt):
            if chdir:
                _chdir(spec.output_dir)
            result.working_dir = os.getcwd()
            if spec.configure_logging:
                configure_logging(spec.hydra)
            save_run_files(spec)
            callbacks = load_callbacks(spec.hydra)
            whole = spec.full_config()
            notify(callbacks, "on_job_start", config=whole, task_function=spec.task)
            with _env(env_set or {}):
                try:
                    result.return_value = spec.task(spec.config)
                except Exception as e:
                    result.status = "failed"
                    result.error = e
                    import traceback  # only a failed job needs it

                    result.traceback = traceback.format_exc()
                    log_traceback(result.traceback)  # the job's log keeps why it failed
            notify(callbacks, "on_job_end", end=True, config=whole, job_return=result)
            flush_logs()
    finally:
        if chdir:
            os.chdir(old_cwd)
        result.duration = time.perf_counter() - started
    return result


def _make_output_dir(spec: JobSpec) -> None:
    from confcompose.app.outdir import make_dir

    make_dir(spec.output_dir, "hydra.run.dir" if spec.num is None else "hydra.sweep.dir")


def _chdir(path: str) -> None:
    try:
        os.chdir(path)
    except OSError as e:
        from confcompose.app.outdir import os_error

        raise os_error("change into the output directory", path, e, "hydra.job.chdir") from None


def portable(result: JobResult) -> JobResult:
    """``result`` with values that cannot be pickled replaced by their ``repr`` (for workers)."""
    import pickle  # only worker processes need it: not a cost of every run

    try:
        pickle.dumps(result.return_value)
    except Exception:
        result.return_value = f"<unpicklable {type(result.return_value).__name__}>"
    if result.error is not None:
        try:
            pickle.loads(pickle.dumps(result.error))
        except Exception:
            result.error = RuntimeError(f"{type(result.error).__name__}: {result.error}")
    return result


def run_job_portable(spec: JobSpec) -> JobResult:
    """:func:`run_job` for another process: errors, too, come back as a failed result."""
    try:
        return portable(run_job(spec))
    except Exception as e:  # a config error inside the worker still belongs to this job
        import traceback

        return portable(
            JobResult(
                spec.num,
                spec.overrides,
                spec.output_dir,
                status="failed",
                error=e,
                traceback=traceback.format_exc(),
            )
        )


def override_dirname(
    overrides: Sequence[str], kv_sep: str = "=", item_sep: str = ",", exclude: Sequence[str] = ()
) -> str:
    """Hydra's ``hydra.job.override_dirname``: sorted overrides, excluded keys dropped.

    >>> override_dirname(["b=2", "a=1", "seed=3"], exclude=["seed"])
    'a=1,b=2'
    """
    lines = []
    for text in overrides:
        if override_key(text) not in exclude:
            key_element, value = split_override(text)
            has_value = kv_sep != "=" and len(key_element) < len(text)
            lines.append(key_element + kv_sep + value if has_value else text)
    return item_sep.join(sorted(lines))
