"""``--experimental-rerun``: run a task again with the config an earlier run saved.

Hydra's experimental option, with its warnings word for word: a ``.hydra/config.yaml`` reruns the
task in a new run directory with the saved config; a ``config.pickle`` (written by
``PickleJobInfoCallback``) calls the task directly with the pickled config.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import confcompose
from confcompose import ConfigError, DictNode
from confcompose.app.logsetup import configure_logging
from confcompose.app.runs import Runtime, run_job, using_runtime

if TYPE_CHECKING:
    from confcompose.app.main import Session


def rerun(session: Session, path: str) -> Any:
    """``--experimental-rerun``: run the task again with a saved job config."""
    import warnings

    # Hydra's two warnings, word for word (UserWarning, so filters written for Hydra apply).
    warnings.warn(
        "Experimental rerun CLI option, other command line args are ignored.", stacklevel=2
    )
    saved = Path(path)
    if not saved.is_file():
        raise ConfigError(f"--experimental-rerun: no such file: {path!r}")
    if session.overrides:
        warnings.warn("Config overrides are not supported as of now.", stacklevel=2)
    if saved.suffix == ".pickle":
        return _rerun_pickle(session, saved)
    job = _load_saved_config(saved, session.resolvers)
    spec = session.spec([], "RUN")
    hydra_file = saved.parent / "hydra.yaml"
    if hydra_file.is_file():
        old = confcompose.load(hydra_file)
        task = confcompose.select(old, "hydra.overrides.task", default=[])
        confcompose.update(spec.hydra, "overrides.task", list(task), merge=False)
        spec.overrides = tuple(task)
    spec.config = job
    result = run_job(spec)
    if result.error is not None:
        raise result.error
    return result.return_value


def _rerun_pickle(session: Session, saved: Path) -> Any:
    # A `config.pickle` (PickleJobInfoCallback) holds the whole config, hydra node included.
    # As Hydra does: job logging from it, the task called directly (no new run directory).
    import pickle

    with open(saved, "rb") as f:
        whole = pickle.load(f)  # the user's own file, as Hydra loads it
    hydra = confcompose.select(whole, "hydra", default=None)
    if not isinstance(whole, DictNode) or not isinstance(hydra, DictNode):
        raise ConfigError(f"--experimental-rerun: {str(saved)!r} holds no job config")
    job = _copy_without_hydra(whole)
    configure_logging(hydra)
    rt = Runtime(
        output_dir=str(confcompose.select(hydra, "runtime.output_dir", default="")),
        job_name=str(confcompose.select(hydra, "job.name", default=session.app.job_name)),
        num=None,
        overrides=tuple(confcompose.select(hydra, "overrides.task", default=None) or ()),
        choices=dict(confcompose.select(hydra, "runtime.choices", default=None) or {}),
        cwd=session.cwd,
        config_name=session.config_name,
        hydra=hydra,
    )
    with using_runtime(rt):
        return session.app.task(job)


def _copy_without_hydra(whole: DictNode) -> DictNode:
    import copy

    job = copy.deepcopy(whole)
    with confcompose.read_write(job), confcompose.open_dict(job):
        del job["hydra"]
    return job


def _load_saved_config(saved: Path, resolvers: Any) -> DictNode:
    """The job config saved by an earlier run (its ``.hydra/config.yaml``, next to
    ``hydra.yaml``); any other file is refused with a message that says what it is not."""
    what = (
        f"--experimental-rerun: {str(saved)!r} is not the saved config of a run "
        "(the .hydra/config.yaml of an earlier run, next to its hydra.yaml)"
    )
    hydra_file = saved.parent / "hydra.yaml"
    if not hydra_file.is_file():
        raise ConfigError(f"{what}: there is no hydra.yaml beside it")
    try:
        job = confcompose.load(saved, resolvers=resolvers)
        saved_hydra = confcompose.load(hydra_file)
    except ConfigError as e:
        raise ConfigError(f"{what}: {e}") from None
    if not isinstance(job, DictNode) or not isinstance(saved_hydra, DictNode):
        raise ConfigError(f"{what}: it is not a YAML mapping")
    if confcompose.select(saved_hydra, "hydra", default=None) is None:
        raise ConfigError(f"{what}: its hydra.yaml has no hydra section")
    return job
