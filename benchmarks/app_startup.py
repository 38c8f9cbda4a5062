"""Whole-process start-up of the seed's ML app (``examples/train``): confcompose vs hydra-core.

Runs ``python train.py model.learning_rate=0.01`` (same config folder, same overrides) with
``@confcompose.main`` and with ``@hydra.main``, alternating, in fresh working directories, and
prints medians, the ratio and ``python -c pass`` as the floor. confcompose is byte-compiled first
(installed packages such as hydra-core ship ``.pyc`` files; with ``PYTHONDONTWRITEBYTECODE=1``
a checkout would otherwise compile its sources in every run). With ``--multirun`` it also times a
20-job sweep of CPU-bound jobs with the ``processes`` launcher against the same jobs run
serially (``basic``).

    python benchmarks/app_startup.py [--runs 15] [--multirun]

``python benchmarks/run.py --only app-process`` measures the same app process side by side with
hydra-core and hydra-fast (CPU times too, an empty-parse-cache row, an output check); this script
stays for the quick two-library look and the multirun timing.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "examples" / "train" / "config"

HYDRA_APP = f"""
import hydra
from omegaconf import DictConfig


@hydra.main(version_base=None, config_path={str(CONFIG)!r}, config_name="config")
def main(cfg: DictConfig):
    print("Configuration:", cfg)
    print(f"Training {{cfg.model.name}} on {{cfg.dataset.name}} with batch size "
          f"{{cfg.dataset.batch_size}} and LR {{cfg.model.learning_rate}}")


if __name__ == "__main__":
    main()
"""

BUSY_APP = f"""
import time
import confcompose


@confcompose.main(config_path={str(CONFIG)!r}, config_name="config")
def main(cfg):
    end = time.process_time() + 0.25  # CPU-bound work, so parallelism must come from processes
    while time.process_time() < end:
        pass
    return cfg.seed


if __name__ == "__main__":
    main()
"""


def _time(cmd: list[str], cwd: str) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr}")
    return elapsed


def compile_confcompose() -> None:
    """Byte-compile the checkout, as an install does (fair against hydra-core's .pyc files)."""
    import compileall

    compileall.compile_dir(str(ROOT / "confcompose"), quiet=1)
    note = " (PYTHONDONTWRITEBYTECODE is set)" if os.environ.get("PYTHONDONTWRITEBYTECODE") else ""
    print(f"note: byte-compiled {ROOT / 'confcompose'} before timing{note}")


def startup(runs: int) -> None:
    """Median whole-process time of the ML app on both libraries, interleaved."""
    with tempfile.TemporaryDirectory() as tmp:
        hydra_app = Path(tmp) / "train_hydra.py"
        hydra_app.write_text(HYDRA_APP)
        ours = [
            sys.executable,
            str(ROOT / "examples" / "train" / "train.py"),
            "model.learning_rate=0.01",
        ]
        theirs = [sys.executable, str(hydra_app), "model.learning_rate=0.01"]
        floor = [sys.executable, "-c", "pass"]
        times: dict[str, list[float]] = {"python -c pass": [], "confcompose": [], "hydra-core": []}
        for cmd in (ours, theirs):  # warm the file cache and .pyc files once
            _time(cmd, tmp)
        for _ in range(runs):
            times["python -c pass"].append(_time(floor, tmp))
            times["confcompose"].append(_time(ours, tmp))
            times["hydra-core"].append(_time(theirs, tmp))
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores")
    for name, value in med.items():
        print(f"  {name:<16} median {value * 1000:7.1f} ms  (best {min(times[name]) * 1000:.1f})")
    print(f"  hydra-core / confcompose: {med['hydra-core'] / med['confcompose']:.2f}x")
    net = (med["hydra-core"] - med["python -c pass"]) / (med["confcompose"] - med["python -c pass"])
    print(f"  above the interpreter floor: {net:.2f}x")


def multirun() -> None:
    """A 20-job sweep of 0.25 s CPU jobs: processes launcher vs basic (serial)."""
    with tempfile.TemporaryDirectory() as tmp:
        app = Path(tmp) / "busy.py"
        app.write_text(BUSY_APP)
        base = [sys.executable, str(app), "-m", "seed=range(20)", "hydra/job_logging=none"]
        serial = _time(base, tmp)
        parallel = _time([*base, "--launcher", "processes"], tmp)
    print(
        f"  20-job multirun: basic {serial:.2f} s, processes {parallel:.2f} s "
        f"({serial / parallel:.2f}x)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--multirun", action="store_true")
    opts = parser.parse_args()
    compile_confcompose()
    startup(opts.runs)
    if opts.multirun:
        multirun()
