"""Run a Hydra app three ways and reduce each run to what must be equal.

- ``hydra``: ``python app.py ARGS`` on the installed hydra-core/omegaconf (the reference);
- ``run``: ``confcompose run app.py ARGS`` (the app unchanged; imports served by confcompose);
- ``ported``: ``python app.py ARGS`` after its import lines were rewritten to
  ``confcompose.hydra``/``confcompose.omegaconf`` (:func:`port_source`).

Every run happens in its own copy of the app folder, which is also its working directory, so
``outputs/`` and ``multirun/`` land there. A run is reduced to its exit code, its stdout and the
files under ``outputs/``/``multirun/`` (:class:`Outcome`), with dates, times and the copy's path
replaced by placeholders.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
APPS = Path(__file__).resolve().parent / "apps"
MODES = ("hydra", "run", "ported")


@dataclass(frozen=True)
class Case:
    """One command line of one app; ``before`` runs first in the same folder (e.g. rerun)."""

    app: str
    args: tuple[str, ...] = ()
    script: str = "app.py"
    before: tuple[tuple[str, ...], ...] = ()
    env: tuple[tuple[str, str], ...] = ()

    @property
    def id(self) -> str:
        words = " ".join(self.args) or "-"
        name = self.app if self.script == "app.py" else f"{self.app}/{self.script}"
        return f"{name}:{words}"


@dataclass
class Outcome:
    """What a run leaves behind, normalised."""

    returncode: int
    stdout: str
    files: dict[str, Any] = field(default_factory=dict)
    stderr: str = ""  # not compared (our additions go there); shown when a comparison fails


# -- porting -------------------------------------------------------------------------------------

_FROM = re.compile(r"^(\s*)from (hydra|omegaconf)((?:\.\w+)*) import ", re.MULTILINE)
_IMPORT = re.compile(r"^(\s*)import (hydra|omegaconf)((?:\.\w+)*)(\s+as\s+\w+)?\s*$", re.MULTILINE)


def _port_import(m: re.Match[str]) -> str:
    indent, top, rest, alias = m.group(1), m.group(2), m.group(3), m.group(4)
    if alias:
        return f"{indent}import confcompose.{top}{rest}{alias}"
    if not rest:
        return f"{indent}from confcompose import {top}"
    # `import hydra.utils` binds `hydra` and loads hydra.utils: the same, from confcompose.
    return f"{indent}import confcompose.{top}{rest}; from confcompose import {top}"


def port_source(source: str) -> str:
    """``source`` with its hydra/omegaconf import lines pointed at confcompose's facades.

    >>> port_source("import hydra\\nfrom omegaconf import OmegaConf\\nimport hydra.utils\\n")
    'from confcompose import hydra\\nfrom confcompose.omegaconf import OmegaConf\\nimport confcompose.hydra.utils; from confcompose import hydra\\n'
    """
    source = _FROM.sub(
        lambda m: f"{m.group(1)}from confcompose.{m.group(2)}{m.group(3)} import ", source
    )
    return _IMPORT.sub(_port_import, source)


# -- running -------------------------------------------------------------------------------------


def _env(extra: Sequence[tuple[str, str]]) -> dict[str, str]:
    keep = {"CONFCOMPOSE_CACHE_DIR"}
    env = {
        k: v
        for k, v in os.environ.items()
        if k in keep or not k.startswith(("CONFCOMPOSE_", "COMP_", "HYDRA_"))
    }
    env["PYTHONPATH"] = str(ROOT)
    env.update(extra)
    return env


def run_command(mode: str, script: str, args: Sequence[str]) -> list[str]:
    """The command line of one run."""
    if mode == "run":
        command = Path(sys.executable).with_name("confcompose")
        if command.exists():
            return [str(command), "run", script, *args]
        return [sys.executable, "-m", "confcompose", "run", script, *args]
    return [sys.executable, script, *args]


def prepare(case: Case, mode: str, where: Path) -> Path:
    """A fresh copy of the app for one mode (ported when the mode says so)."""
    folder = where / mode
    shutil.copytree(APPS / case.app, folder, ignore=shutil.ignore_patterns("__pycache__"))
    if mode == "ported":
        for py in folder.rglob("*.py"):
            py.write_text(port_source(py.read_text()))
    return folder


def run_case(case: Case, mode: str, where: Path, timeout: float = 120) -> Outcome:
    """Run ``case`` in ``mode`` in a fresh copy under ``where``; its outcome, normalised."""
    folder = prepare(case, mode, where)
    env = _env(case.env)
    for args in case.before:
        subprocess.run(
            run_command(mode, case.script, args),
            cwd=folder,
            env=env,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    done = subprocess.run(
        run_command(mode, case.script, case.args),
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    norm = Normaliser(folder)
    return Outcome(
        done.returncode, norm.text(done.stdout), collect_files(folder, norm), done.stderr
    )


# -- normalising ---------------------------------------------------------------------------------

_LOG_STAMP = re.compile(r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\]", re.MULTILINE)
_DATE = re.compile(r"\b\d{4}-\d\d-\d\d\b")
_TIME = re.compile(r"\b\d\d-\d\d-\d\d\b")


class Normaliser:
    """Replaces a run's own folder, dates and times by placeholders."""

    def __init__(self, folder: Path) -> None:
        self.paths = sorted({str(folder), os.path.realpath(folder)}, key=len, reverse=True)

    def text(self, text: str) -> str:
        for path in self.paths:
            text = text.replace(path, "<APP>")
        text = _LOG_STAMP.sub("[<STAMP>]", text)
        return _TIME.sub("<TIME>", _DATE.sub("<DATE>", text))

    def value(self, value: Any) -> Any:
        if isinstance(value, dict):
            return {self.text(str(k)): self.value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, str):
            return self.text(value)
        return value


# Keys of hydra.yaml / multirun.yaml that name the engine rather than describe the run: the
# version of hydra-core, where the `hydra` group's configs come from (`pkg://hydra.conf` there,
# confcompose's own package here), the classes of the built-in launcher and sweeper, and the
# help texts, which name the engine. Everything else must be equal.
ENGINE_KEYS = (
    ("runtime", "version"),
    ("runtime", "config_sources"),
    ("launcher", "_target_"),
    ("sweeper", "_target_"),
    ("help",),
    ("hydra_help",),
)


def _hydra_node(data: Any) -> Any:
    if isinstance(data, dict) and isinstance(data.get("hydra"), dict):
        for path in ENGINE_KEYS:
            node = data["hydra"]
            for key in path[:-1]:
                node = node.get(key, {}) if isinstance(node, dict) else {}
            if isinstance(node, dict) and path[-1] in node:
                node[path[-1]] = "<ENGINE>"
    return data


def _read(path: Path, norm: Normaliser) -> Any:
    import yaml

    if path.suffix == ".pickle":
        return "<PICKLE>"
    text = path.read_text()
    if path.suffix == ".yaml":
        data = norm.value(yaml.safe_load(text))
        return _hydra_node(data) if path.name in ("hydra.yaml", "multirun.yaml") else data
    return norm.text(text)


# Files confcompose adds on purpose: a multirun's records of its jobs, next to multirun.yaml.
SWEEP_RECORDS = ("summary.json", "summary.csv", "summary.jsonl")


def collect_files(folder: Path, norm: Normaliser) -> dict[str, Any]:
    """The files under ``outputs/`` and ``multirun/``: normalised name -> normalised content."""
    found: dict[str, Any] = {}
    for top in ("outputs", "multirun"):
        for path in sorted((folder / top).rglob("*")):
            if not path.is_file():
                continue
            if path.name in SWEEP_RECORDS and (path.parent / "multirun.yaml").exists():
                continue
            found[norm.text(str(path.relative_to(folder)))] = _read(path, norm)
    return found
