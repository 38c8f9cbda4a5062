"""What `confcompose run` adds: an unmodified Hydra app run through it vs the same app ported.

Writes a small Hydra app (a config group, a defaults list, an override) into a scratch folder,
plus its ported twin (import lines pointed at ``confcompose.hydra``/``confcompose.omegaconf``),
and times whole processes, interleaved, in fresh output folders:

- ``python app_ported.py ARGS`` (the port: no hook);
- ``confcompose run app.py ARGS`` (the console script) and ``python -m confcompose run app.py``;
- ``python app.py ARGS`` on hydra-core, for scale (skipped when it is not installed).

It prints medians, the best run, and the overhead of each ``run`` form over the port in ms, in wall time and in CPU time
(user + system, which a busy machine disturbs less).
confcompose is byte-compiled first, as an installed package would be.

    python benchmarks/run_overhead.py [--runs 21]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

APP = """\
import hydra
from omegaconf import DictConfig, OmegaConf


@hydra.main(version_base=None, config_path="conf", config_name="config")
def main(cfg: DictConfig) -> None:
    print(OmegaConf.to_yaml(cfg))


if __name__ == "__main__":
    main()
"""
PORTED = APP.replace("import hydra\n", "from confcompose import hydra\n").replace(
    "from omegaconf import", "from confcompose.omegaconf import"
)
FILES = {
    "conf/config.yaml": "defaults:\n  - db: mysql\n  - _self_\n\nseed: 1\n",
    "conf/db/mysql.yaml": "driver: mysql\nuser: omry\nport: 3306\n",
    "conf/db/postgresql.yaml": "driver: postgresql\nuser: postgres\nport: 5432\n",
}
ARGS = ["db=postgresql", "db.port=5433", "hydra/job_logging=none", "hydra/hydra_logging=none"]


def _write_app(folder: Path) -> None:
    for rel, text in {**FILES, "app.py": APP, "app_ported.py": PORTED}.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _time(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run of ``cmd``."""
    shutil.rmtree(cwd / "outputs", ignore_errors=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


def _commands() -> dict[str, list[str]]:
    console = Path(sys.executable).with_name("confcompose")
    commands = {
        "python app_ported.py": [sys.executable, "app_ported.py", *ARGS],
        "confcompose run app.py": (
            [str(console), "run", "app.py", *ARGS]
            if console.exists()
            else [sys.executable, "-m", "confcompose", "run", "app.py", *ARGS]
        ),
        "python -m confcompose run app.py": [
            sys.executable,
            "-m",
            "confcompose",
            "run",
            "app.py",
            *ARGS,
        ],
    }
    if importlib.util.find_spec("hydra") is not None:
        commands["python app.py (hydra-core)"] = [sys.executable, "app.py", *ARGS]
    return commands


def main(runs: int) -> None:
    import compileall

    compileall.compile_dir(str(ROOT / "confcompose"), quiet=1)
    env_note = " (PYTHONDONTWRITEBYTECODE set)" if os.environ.get("PYTHONDONTWRITEBYTECODE") else ""
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores")
    print(f"byte-compiled {ROOT / 'confcompose'}{env_note}; {runs} interleaved runs each")
    commands = _commands()
    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _write_app(folder)
        for cmd in commands.values():  # warm the OS file cache and .pyc files
            _time(cmd, folder)
        for _ in range(runs):
            for name, cmd in commands.items():
                w, c = _time(cmd, folder)
                wall[name].append(w)
                cpu[name].append(c)
    print(f"  {'':<34} {'wall median':>12} {'wall best':>10} {'CPU median':>11}")
    for name in commands:
        print(
            f"  {name:<34} {statistics.median(wall[name]) * 1000:9.1f} ms"
            f" {min(wall[name]) * 1000:7.1f} ms {statistics.median(cpu[name]) * 1000:8.1f} ms"
        )
    base = "python app_ported.py"
    for name in ("confcompose run app.py", "python -m confcompose run app.py"):
        print(
            f"  overhead of {name!r} over the port: "
            f"wall median {_diff(wall, name, base, statistics.median)}, "
            f"wall best {_diff(wall, name, base, min)}, "
            f"CPU median {_diff(cpu, name, base, statistics.median)}"
        )


def _diff(
    values: dict[str, list[float]], name: str, base: str, stat: Callable[[list[float]], float]
) -> str:
    return f"{(stat(values[name]) - stat(values[base])) * 1000:+.1f} ms"


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=21)
    main(parser.parse_args().runs)
