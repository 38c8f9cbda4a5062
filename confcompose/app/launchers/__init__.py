"""Launchers: run a batch of jobs somewhere, behind one small :class:`Launcher` protocol.

Built in: ``basic`` (serial, in this process), ``processes`` (local cores), ``submitit``
(SLURM or submitit's local executor) and ``ray``. The engine packages are optional extras,
imported only when their launcher is chosen. Third-party launchers register a class under the
``confcompose.launchers`` entry-point group, or name it in ``hydra.launcher._target_``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import confcompose
from confcompose import ConfigError
from confcompose.errors import suggestions

if TYPE_CHECKING:
    from confcompose.app.progress import Progress
    from confcompose.app.runs import JobResult, JobSpec

# `_target_` values of the launcher configs, ours and hydra-core's plugins, to our classes.
_TARGETS = {
    "confcompose.app.launchers.basic.BasicLauncher": "basic",
    "hydra._internal.core_plugins.basic_launcher.BasicLauncher": "basic",
    "confcompose.app.launchers.processes.ProcessesLauncher": "processes",
    "hydra_plugins.hydra_joblib_launcher.joblib_launcher.JoblibLauncher": "processes",
    "confcompose.app.launchers.submitit.SubmititLauncher": "submitit",
    "hydra_plugins.hydra_submitit_launcher.submitit_launcher.LocalLauncher": "submitit_local",
    "hydra_plugins.hydra_submitit_launcher.submitit_launcher.SlurmLauncher": "submitit",
    "confcompose.app.launchers.ray.RayLauncher": "ray",
    "hydra_plugins.hydra_ray_launcher.ray_launcher.RayLauncher": "ray",
}
_CLASSES = {
    "basic": "confcompose.app.launchers.basic:BasicLauncher",
    "processes": "confcompose.app.launchers.processes:ProcessesLauncher",
    "submitit": "confcompose.app.launchers.submitit:SubmititLauncher",
    "submitit_local": "confcompose.app.launchers.submitit:LocalLauncher",
    "ray": "confcompose.app.launchers.ray:RayLauncher",
}
#: Names accepted by ``--launcher NAME``, mapped to the ``hydra/launcher`` option they select.
LAUNCHER_OPTIONS = {
    "basic": "basic",
    "processes": "processes",
    "joblib": "joblib",
    "submitit": "submitit_slurm",
    "submitit_local": "submitit_local",
    "submitit_slurm": "submitit_slurm",
    "slurm": "submitit_slurm",
    "ray": "ray",
}


class Launcher(Protocol):
    """Runs jobs and returns one result per job, in the order given."""

    def launch(self, jobs: Sequence[JobSpec], progress: Progress) -> list[JobResult]:
        """Run ``jobs``; report each start and end to ``progress``; never raise for a job.

        A launcher may also define ``launch_stream(jobs: Iterable[JobSpec], progress)``, which
        takes the jobs lazily, as the sweep composes them (see :func:`launch_batch`).
        """


def launch_batch(
    launcher: Launcher, jobs: Iterable[JobSpec], progress: Progress
) -> list[JobResult]:
    """Launch a batch; a launcher with ``launch_stream`` takes the jobs as they are composed
    (constant memory for any batch size), any other gets them as a list."""
    stream = getattr(launcher, "launch_stream", None)
    if stream is not None:
        results: list[JobResult] = stream(jobs, progress)
        return results
    return launcher.launch(list(jobs), progress)


def missing_extra(package: str, extra: str) -> ConfigError:
    """The error for a launcher whose optional package is not installed."""
    return ConfigError(
        f"this launcher needs the {package!r} package, which is not installed; "
        f"install it with: pip install 'confcompose[{extra}]'"
    )


def check_options(
    name: str, options: Mapping[str, Any], allowed: Sequence[str], section: str = "launcher"
) -> None:
    """Raise for an option this launcher (or sweeper) does not know (with a suggestion)."""
    for key in options:
        if key not in allowed:
            raise ConfigError(
                f"unknown option {key!r} for the {name} {section}",
                key_path=f"hydra.{section}.{key}",
                suggestions=suggestions(key, allowed),
            )


def _load(spec: str) -> Callable[..., Launcher]:
    module, _, attr = spec.partition(":")
    cls: Callable[..., Launcher] = getattr(importlib.import_module(module), attr)
    return cls


def _entry_point(name: str) -> Callable[..., Launcher] | None:
    from importlib.metadata import entry_points

    for ep in entry_points(group="confcompose.launchers"):
        if ep.name == name:
            cls: Callable[..., Launcher] = ep.load()
            return cls
    return None


def launcher_class(target: str) -> Callable[..., Launcher]:
    """The launcher class for a ``_target_`` path, a built-in name or an entry-point name."""
    builtin = _TARGETS.get(target, target)
    if builtin in _CLASSES:
        return _load(_CLASSES[builtin])
    found = _entry_point(target)
    if found is not None:
        return found
    module, _, attr = target.rpartition(".")
    try:
        cls: Callable[..., Launcher] = getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError, ValueError):
        raise ConfigError(
            f"unknown launcher {target!r}",
            key_path="hydra.launcher._target_",
            expected="one of " + ", ".join(sorted(_CLASSES)) + " or an importable class",
            suggestions=suggestions(target, [*_CLASSES, *_TARGETS]),
        ) from None
    return cls


def make_launcher(hydra: confcompose.DictNode, name: str | None = None) -> Launcher:
    """The launcher configured in ``hydra.launcher`` (or the entry point ``name``)."""
    node = confcompose.select(hydra, "launcher", default=None)
    options: dict[str, Any] = {}
    if node is not None:
        options = dict(confcompose.to_container(node, resolve=True))
    target = name or str(options.pop("_target_", "basic"))
    options.pop("_target_", None)
    return launcher_class(target)(**options)
