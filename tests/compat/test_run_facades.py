"""`confcompose run` with the real facades, while hydra-core and omegaconf are installed too.

The script records, with an audit hook set before its first import, every file the process
opens; no file of the installed hydra-core/omegaconf may be among them, and `sys.modules` maps
the real names to confcompose's modules.
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


def _real_package_dirs() -> list[str]:
    dirs = []
    for name in ("hydra", "omegaconf"):
        spec = importlib.util.find_spec(name)
        if spec is None or not spec.submodule_search_locations:
            pytest.skip(f"{name} is not installed: nothing to keep out")
        dirs.extend(os.path.realpath(p) for p in spec.submodule_search_locations)
    return dirs


PROBE = """\
import json
import os
import sys

opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" else None)

import omegaconf
import omegaconf.errors
from omegaconf import DictConfig, OmegaConf
{hydra_imports}

cfg = OmegaConf.create({{"a": 1}})
report = {{
    "modules": {{
        name: getattr(sys.modules[name], "__name__", None)
        for name in sorted(sys.modules)
        if name.split(".")[0] in ("hydra", "omegaconf")
    }},
    "omegaconf_is_ours": sys.modules["omegaconf"].__name__ == "confcompose.omegaconf",
    "errors_same": omegaconf.errors is sys.modules["confcompose.omegaconf.errors"],
    "dictconfig_is_ours": isinstance(cfg, sys.modules["confcompose.omegaconf"].DictConfig)
    and DictConfig is sys.modules["confcompose.omegaconf"].DictConfig,
    "opened": [os.path.realpath(p) for p in opened if os.path.exists(p)],
}}
print(json.dumps(report))
"""

HYDRA_IMPORTS = """\
import hydra
import hydra.utils
from hydra.core.config_store import ConfigStore
assert hydra.utils is sys.modules["confcompose.hydra.utils"]
"""


def _facade(name: str) -> bool:
    return importlib.util.find_spec(f"confcompose.{name}") is not None


@pytest.mark.parametrize(
    "with_hydra",
    [
        pytest.param(False, id="omegaconf"),
        pytest.param(
            True,
            id="hydra-and-omegaconf",
            marks=pytest.mark.skipif(not _facade("hydra"), reason="no confcompose.hydra yet"),
        ),
    ],
)
def test_real_packages_are_never_loaded(with_hydra: bool, tmp_path: Path) -> None:
    real = _real_package_dirs()
    app = tmp_path / "probe.py"
    app.write_text(PROBE.format(hydra_imports=HYDRA_IMPORTS if with_hydra else ""))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CONFCOMPOSE_", "COMP_"))}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-m", "confcompose", "run", str(app)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["omegaconf_is_ours"]
    assert report["errors_same"]
    assert report["dictconfig_is_ours"]
    assert report["modules"], "nothing was aliased"
    for alias, name in report["modules"].items():
        assert name.startswith("confcompose."), f"sys.modules[{alias!r}] is {name}"
    leaked = [p for p in report["opened"] if any(p.startswith(d + os.sep) for d in real)]
    assert leaked == []
    assert any("confcompose" in p for p in report["opened"])  # the hook did see the imports
