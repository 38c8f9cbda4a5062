"""``hydra.conf``: the dataclasses of the ``hydra`` node, for apps that set it in Python.

An app's structured config may carry ``hydra: HydraConf = field(default_factory=lambda:
HydraConf(run=RunDir("out")))``; what it sets is merged over the built-in ``hydra/config``
(values left ``???`` keep the built-in ones). The defaults list of Hydra's ``HydraConf`` is not
a field here: the built-in ``hydra/config.yaml`` holds it.

Like Hydra's module, this one also exposes ``dataclass``, ``field`` and ``MISSING``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MISSING: Any = "???"


@dataclass
class HelpConf:
    """``hydra.help``: the app's ``--help`` text."""

    app_name: str = MISSING
    header: str = MISSING
    footer: str = MISSING
    template: str = MISSING


@dataclass
class HydraHelpConf:
    """``hydra.hydra_help``: the ``--hydra-help`` text."""

    hydra_help: str = MISSING
    template: str = MISSING


@dataclass
class RunDir:
    """``hydra.run``: a single run's output directory."""

    dir: str = MISSING


@dataclass
class SweepDir:
    """``hydra.sweep``: a multirun's directory and each job's subdirectory in it."""

    dir: str = MISSING
    subdir: str = MISSING


@dataclass
class OverridesConf:
    """``hydra.overrides``: the command line, split into the ``hydra`` and the task parts."""

    hydra: list[str] = field(default_factory=list)
    task: list[str] = field(default_factory=list)


@dataclass
class OverrideDirname:
    """``hydra.job.config.override_dirname``: how ``hydra.job.override_dirname`` is built."""

    kv_sep: str = "="
    item_sep: str = ","
    exclude_keys: list[str] = field(default_factory=list)


@dataclass
class JobConfig:
    """``hydra.job.config``."""

    override_dirname: OverrideDirname = field(default_factory=OverrideDirname)


@dataclass
class JobConf:
    """``hydra.job``: the job's name, number, working-directory policy and environment."""

    name: str = MISSING
    chdir: bool | None = None
    override_dirname: str = MISSING
    id: str = MISSING
    num: int = MISSING
    config_name: str | None = MISSING
    env_set: dict[str, str] = field(default_factory=dict)
    env_copy: list[str] = field(default_factory=list)
    config: JobConfig = field(default_factory=JobConfig)


# Hydra nests these in JobConf; the same classes under Hydra's qualified names.
JobConf.JobConfig = JobConfig  # type: ignore[attr-defined]
JobConfig.OverrideDirname = OverrideDirname  # type: ignore[attr-defined]


@dataclass
class ConfigSourceInfo:
    """One entry of ``hydra.runtime.config_sources``."""

    path: str
    schema: str
    provider: str


@dataclass
class RuntimeConf:
    """``hydra.runtime``: versions, the original working directory, output dir, choices."""

    version: str = MISSING
    version_base: str = MISSING
    cwd: str = MISSING
    config_sources: list[ConfigSourceInfo] = MISSING
    output_dir: str = MISSING
    choices: dict[str, Any] = field(default_factory=dict)


@dataclass
class HydraConf:
    """The ``hydra`` node."""

    mode: Any = None
    searchpath: list[str] = field(default_factory=list)
    run: RunDir = field(default_factory=RunDir)
    sweep: SweepDir = field(default_factory=SweepDir)
    hydra_logging: dict[str, Any] = MISSING
    job_logging: dict[str, Any] = MISSING
    sweeper: Any = MISSING
    launcher: Any = MISSING
    callbacks: dict[str, Any] = field(default_factory=dict)
    help: HelpConf = field(default_factory=HelpConf)
    hydra_help: HydraHelpConf = field(default_factory=HydraHelpConf)
    output_subdir: str | None = ".hydra"
    overrides: OverridesConf = field(default_factory=OverridesConf)
    job: JobConf = field(default_factory=JobConf)
    runtime: RuntimeConf = field(default_factory=RuntimeConf)
    verbose: Any = False


__all__ = [
    "MISSING",
    "ConfigSourceInfo",
    "HelpConf",
    "HydraConf",
    "HydraHelpConf",
    "JobConf",
    "OverridesConf",
    "RunDir",
    "RuntimeConf",
    "SweepDir",
    "dataclass",
    "field",
]
