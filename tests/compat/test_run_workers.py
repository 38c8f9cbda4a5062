"""`confcompose run` with each launcher: every job, wherever it runs, imports confcompose's hydra.

The app's task imports `hydra` and `omegaconf` inside the job (after its worker started) and
records which modules it got, and whether any file of an installed hydra-core/omegaconf is
loaded in that worker.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

APP = """\
import json
import os
import sys

import hydra
from omegaconf import DictConfig


def _real(name):
    mod = sys.modules.get(name)
    return mod is not None and not getattr(mod, "__name__", "").startswith("confcompose.")


@hydra.main(version_base=None, config_path=None)
def job(cfg: DictConfig) -> None:
    import hydra.utils
    import omegaconf

    files = [
        getattr(m, "__file__", None) or "" for m in list(sys.modules.values())
    ]
    report = {
        "in_worker": os.environ.get("APP_MAIN_PID") != str(os.getpid()),
        "hydra": hydra.__name__,
        "utils": hydra.utils.__name__,
        "omegaconf": omegaconf.__name__,
        "real_loaded": [
            f for f in files
            if os.sep + "site-packages" + os.sep in f
            and f.split("site-packages" + os.sep, 1)[1].split(os.sep)[0] in ("hydra", "omegaconf")
        ],
    }
    with open(os.path.join(hydra.utils.get_original_cwd(), f"job{cfg.n}.json"), "w") as f:
        json.dump(report, f)


if __name__ == "__main__":
    os.environ["APP_MAIN_PID"] = str(os.getpid())
    job()
"""

LAUNCHERS = [
    pytest.param(
        ["hydra/launcher=processes", "hydra.launcher.n_jobs=2"], None, id="processes-fork"
    ),
    pytest.param(
        [
            "hydra/launcher=processes",
            "hydra.launcher.n_jobs=2",
            "+hydra.launcher.start_method=spawn",
        ],
        None,
        id="processes-spawn",
    ),
    pytest.param(
        [
            "hydra/launcher=processes",
            "hydra.launcher.n_jobs=2",
            "+hydra.launcher.start_method=forkserver",
        ],
        None,
        id="processes-forkserver",
    ),
    pytest.param(["hydra/launcher=joblib", "hydra.launcher.n_jobs=2"], "joblib", id="joblib-loky"),
    pytest.param(
        ["hydra/launcher=submitit_local", "hydra.launcher.timeout_min=5"],
        "submitit",
        id="submitit-local",
    ),
    pytest.param(["--launcher", "ray", "hydra.launcher.ray.init.num_cpus=2"], "ray", id="ray"),
]


@pytest.mark.parametrize(("launcher", "engine"), LAUNCHERS)
def test_jobs_import_the_facades(launcher: list[str], engine: str | None, tmp_path: Path) -> None:
    if importlib.util.find_spec("confcompose.hydra") is None:
        pytest.skip("confcompose.hydra is not there yet")
    if engine is not None and importlib.util.find_spec(engine) is None:
        pytest.skip(f"{engine} is not installed")
    (tmp_path / "app.py").write_text(APP)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CONFCOMPOSE_", "COMP_"))}
    env["PYTHONPATH"] = str(ROOT)
    env["CONFCOMPOSE_CACHE_DIR"] = str(tmp_path / "cache")
    done = subprocess.run(
        [sys.executable, "-m", "confcompose", "run", "app.py", "-m", "+n=0,1", *launcher],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    reports = [json.loads((tmp_path / f"job{n}.json").read_text()) for n in (0, 1)]
    for report in reports:
        assert report["hydra"] == "confcompose.hydra"
        assert report["utils"] == "confcompose.hydra.utils"
        assert report["omegaconf"] == "confcompose.omegaconf"
        assert report["real_loaded"] == []
        assert report["in_worker"]
