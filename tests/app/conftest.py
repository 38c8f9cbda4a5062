"""Run the example apps as a user would: a subprocess in a fresh working directory."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
APPS = Path(__file__).resolve().parent / "apps"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: starts an engine (submitit, ray); runs in CI")


def app_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    keep = {"CONFCOMPOSE_CACHE_DIR"}  # the session's parsed-file cache, not the user's
    env = {
        k: v
        for k, v in os.environ.items()
        if k in keep or not k.startswith(("CONFCOMPOSE_", "COMP_"))
    }
    paths = [str(ROOT)]
    extra = dict(extra or {})
    if "PYTHONPATH" in extra:  # extra entries go first
        paths.insert(0, extra.pop("PYTHONPATH"))
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env.update(extra)
    return env


Runner = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run(tmp_path: Path) -> Runner:
    def _run(
        script: str | Path, *args: str, env: dict[str, str] | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        cmd: Sequence[str] = [sys.executable, str(script), *args]
        return subprocess.run(
            cmd, cwd=tmp_path, env=app_env(env), capture_output=True, text=True, timeout=timeout
        )

    return _run


def probes(stdout: str) -> list[dict[str, object]]:
    return [json.loads(line[6:]) for line in stdout.splitlines() if line.startswith("PROBE ")]


@pytest.fixture
def root_logger_restored() -> Iterator[None]:
    """The root logger's handlers and level as they were before the test (its own are closed)."""
    root = logging.getLogger()
    saved, level = root.handlers[:], root.level
    yield
    for h in root.handlers[:]:
        root.removeHandler(h)
        h.close()
    for h in saved:
        root.addHandler(h)
    root.setLevel(level)
