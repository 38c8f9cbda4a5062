"""Small Hydra apps run under hydra-core 1.3.8 and, with their imports ported to
``confcompose.hydra``, under confcompose: same exit status, same stdout (timestamps aside),
same files under the working directory (``outputs/``, ``multirun/``, logs).

Each case costs a hydra-core start-up (~0.5 s), so the table is kept to one case per behaviour.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("hydra")

ROOT = Path(__file__).resolve().parents[2]

DB_APP = """
import logging
import os

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode

log = logging.getLogger(__name__)


@hydra.main(VERSION_BASE config_path="conf", config_name="config")
def main(cfg) -> None:
    hc = HydraConfig.get()
    log.info("driver=%s", cfg.db.driver)
    num = hc.job.num if hc.mode == RunMode.MULTIRUN else "-"
    print(f"job={hc.job.name} mode={hc.mode.name} num={num} choice={hc.runtime.choices.db}")
    original = hydra.utils.get_original_cwd()
    inside = os.path.relpath(hc.runtime.output_dir, original).split(os.sep)[0]
    print(f"chdir={os.getcwd() != original} task={list(hc.overrides.task)} under={inside}")
    print(f"abs={hydra.utils.to_absolute_path('x') == os.path.join(original, 'x')}")
    with open("out.txt", "w") as f:
        f.write(cfg.db.driver)


if __name__ == "__main__":
    main()
"""

DB_CONF = {
    "conf/config.yaml": "defaults:\n  - db: ???\n  - _self_\nname: ${hydra:job.name}\n",
    "conf/sweep.yaml": (
        "defaults:\n  - db: ???\n  - _self_\n"
        "hydra:\n  mode: MULTIRUN\n  sweeper:\n    params:\n      db: mysql,postgresql\n"
    ),
    # Hydra 1.0 style: a hydra/ group chosen without `override` (accepted for version_base 1.1)
    "conf/legacy.yaml": (
        "defaults:\n  - db: mysql\n  - hydra/job_logging: disabled\n  - _self_\nname: legacy\n"
    ),
    "conf/db/mysql.yaml": "driver: mysql\nport: 3306\n",
    "conf/db/postgresql.yaml": "driver: postgresql\nport: 5432\n",
    "other/config.yaml": "defaults:\n  - db: mysql\n  - _self_\nname: other\n",
    "other/db/mysql.yaml": "driver: mysql-other\n",
}

STRUCTURED_APP = """
from dataclasses import dataclass, field

import hydra
from hydra.core.config_store import ConfigStore


@dataclass
class DB:
    driver: str = "???"
    port: int = 0


@dataclass
class MySQL(DB):
    driver: str = "mysql"
    port: int = 3306


@dataclass
class Config:
    db: DB = field(default_factory=DB)
    debug: bool = False


cs = ConfigStore.instance()
cs.store(name="base_config", node=Config)
cs.store(group="db", name="base_mysql", node=MySQL)


@hydra.main(version_base=None, config_path="conf", config_name="config")
def main(cfg) -> None:
    print(cfg.db.driver, cfg.db.port + 1, type(cfg.db.port).__name__, cfg.debug)


if __name__ == "__main__":
    main()
"""

STRUCTURED_CONF = {
    "conf/config.yaml": "defaults:\n  - base_config\n  - db: mysql\n  - _self_\ndebug: true\n",
    "conf/db/mysql.yaml": "defaults:\n  - base_mysql\n\nport: 3307\n",
}

HYDRACONF_APP = """
import os
from dataclasses import dataclass, field

import hydra
from hydra.conf import HydraConf, JobConf, RunDir
from hydra.core.config_store import ConfigStore
from hydra.core.hydra_config import HydraConfig


@dataclass
class Config:
    hydra: HydraConf = field(
        default_factory=lambda: HydraConf(run=RunDir("custom_out"), job=JobConf(chdir=True))
    )
    x: int = 1


ConfigStore.instance().store(name="config", node=Config)


@hydra.main(version_base=None, config_name="config")
def main(cfg) -> None:
    hc = HydraConfig.get()
    print(cfg.x, os.path.basename(os.getcwd()), hc.job.name, hc.output_subdir, hc.run.dir)


if __name__ == "__main__":
    main()
"""

COMPOSE_APP = """
import os

from hydra import compose, initialize, initialize_config_dir, initialize_config_module
from hydra.core.global_hydra import GlobalHydra
from hydra.errors import (
    ConfigCompositionException,
    MissingConfigException,
    OverrideParseException,
)

print("before", GlobalHydra.instance().is_initialized())
with initialize(version_base=None, config_path="conf", job_name="composer"):
    cfg = compose(config_name="config", overrides=["db=mysql"])
    print(cfg.db.driver, "hydra" in cfg)
    full = compose(config_name="config", overrides=["db=postgresql"], return_hydra_config=True)
    print(full.hydra.job.name, full.hydra.runtime.choices.db, full.db.driver)
    for bad in (["db=nope"], ["db=mysql", "nokey=1"], ["db=[1"], ["db=mysql", "db.port=x,"]):
        try:
            compose("config", bad)
        except MissingConfigException:
            print("missing")
        except OverrideParseException:
            print("parse")
        except ConfigCompositionException:
            print("composition")
    print("inside", GlobalHydra.instance().is_initialized())
print("after", GlobalHydra.instance().is_initialized())
here = os.path.dirname(os.path.abspath(__file__))
initialize_config_dir(version_base=None, config_dir=os.path.join(here, "other"))
print("plain call", GlobalHydra.instance().is_initialized(), compose("config").db.driver)
try:
    initialize_config_module(version_base=None, config_module="conf")
except ValueError:
    print("already initialized")
GlobalHydra.instance().clear()
print("cleared", GlobalHydra.instance().is_initialized())
try:
    compose("config")
except AssertionError:
    print("not initialized")
"""


def _port(source: str) -> str:
    source = re.sub(r"^import hydra$", "from confcompose import hydra", source, flags=re.M)
    return re.sub(r"^from hydra([. ])", r"from confcompose.hydra\1", source, flags=re.M)


def _write(folder: Path, app: str, files: dict[str, str]) -> None:
    for rel, text in {"app.py": app, **files}.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


_STAMP = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}")
_DIRS = re.compile(r"\d{4}-\d\d-\d\d[/\\]\d\d-\d\d-\d\d")
# Files whose text records the engine itself (its version, search path, plugin list); pickles
# (PickleJobInfoCallback) hold each engine's own classes.
_ENGINE_FILES = {"hydra.yaml", "multirun.yaml"}
# confcompose's own sweep records in a multirun's folder (not written by hydra-core).
_ENGINE_FILES |= {"summary.json", "summary.csv"}


def _normal(text: str) -> str:
    return _DIRS.sub("<date>/<time>", _STAMP.sub("<timestamp>", text))


def _files(work: Path) -> dict[str, str]:
    out = {}
    for path in sorted(work.rglob("*")):
        if path.is_file() and path.name not in _ENGINE_FILES and path.suffix != ".pickle":
            out[_normal(str(path.relative_to(work)))] = _normal(path.read_text())
    return out


def _run_both(
    tmp_path: Path, app: str, files: dict[str, str], args: list[str]
) -> tuple[tuple[int, str, dict[str, str], str], ...]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("HYDRA_", "CONFCOMPOSE_"))},
        "PYTHONPATH": str(ROOT),
    }
    runs = []
    for engine, source in (("hydra", app), ("confcompose", _port(app))):
        folder = tmp_path / engine
        _write(folder / "app", source, files)
        (folder / "work").mkdir(exist_ok=True)
        proc = subprocess.Popen(
            [sys.executable, str(folder / "app" / "app.py"), *args],
            cwd=folder / "work",
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        runs.append((folder / "work", proc))
    results = []
    for work, proc in runs:  # both engines run at once
        out, err = proc.communicate(timeout=120)
        results.append((proc.returncode, _normal(out), _files(work), err))
    return tuple(results)


DB_CASES = [
    pytest.param("version_base=None,", ["db=mysql"], id="run"),
    # hydra.mode: MULTIRUN in the config: a multirun without -m
    pytest.param("version_base=None,", ["-cn", "sweep"], id="multirun-mode-sweeper-params"),
    pytest.param(
        'version_base="1.1",', ["-cn", "legacy", "db=postgresql"], id="version-1.1-chdir-legacy"
    ),
    pytest.param("version_base=None,", ["-cn", "legacy"], id="legacy-override-refused"),
    # also: sweeping a `???` group
    pytest.param("", ["-m", "db=mysql,postgresql"], id="version-omitted-chdir-multirun"),
    pytest.param('version_base="1.2",', ["db=mysql", "hydra.job.chdir=true"], id="chdir-true"),
    pytest.param("version_base=None,", ["--cfg", "job", "--resolve", "db=mysql"], id="cfg-resolve"),
    pytest.param("version_base=None,", ["-cp", "other"], id="config-path-flag"),
    pytest.param("version_base=None,", [], id="missing-group-error"),
    pytest.param("version_base=None,", ["db=nope"], id="missing-option-error"),
    pytest.param(
        "version_base=None,",
        ["-m", "db=mysql,postgresql", "hydra/job_logging=colorlog"],
        id="plugin-colorlog",
    ),
]


@pytest.mark.parametrize(("version_base", "args"), DB_CASES)
def test_db_app(tmp_path: Path, version_base: str, args: list[str]) -> None:
    if "hydra/job_logging=colorlog" in args:
        pytest.importorskip("hydra_plugins.hydra_colorlog")
    app = DB_APP.replace("VERSION_BASE", version_base)
    hydra, ours = _run_both(tmp_path, app, DB_CONF, args)
    assert ours[:3] == hydra[:3], f"hydra stderr:\n{hydra[3]}\nconfcompose stderr:\n{ours[3]}"


@pytest.mark.parametrize(
    "args",
    [
        pytest.param([], id="schema-and-inheritance"),
        pytest.param(["db.port=1234"], id="typed-override"),
        pytest.param(["db.port=abc"], id="validation-error"),
        pytest.param(["+db.user=x"], id="struct-schema"),
    ],
)
def test_structured_app(tmp_path: Path, args: list[str]) -> None:
    hydra, ours = _run_both(tmp_path, STRUCTURED_APP, STRUCTURED_CONF, args)
    assert ours[:3] == hydra[:3], f"hydra stderr:\n{hydra[3]}\nconfcompose stderr:\n{ours[3]}"


def test_hydra_conf_dataclasses(tmp_path: Path) -> None:
    hydra, ours = _run_both(tmp_path, HYDRACONF_APP, {}, ["x=3"])
    assert hydra[0] == 0, hydra[3]
    assert ours[:3] == hydra[:3], f"hydra stderr:\n{hydra[3]}\nconfcompose stderr:\n{ours[3]}"


RERUN_APP = """
import logging
import os

import hydra
from hydra.core.hydra_config import HydraConfig

log = logging.getLogger(__name__)


@hydra.main(version_base=None, config_path=".", config_name="config")
def main(cfg) -> None:
    out = os.path.relpath(HydraConfig.get().runtime.output_dir)
    log.info(f"output_dir={out} foo={cfg.foo}")


if __name__ == "__main__":
    main()
"""

RERUN_CONF = {
    "config.yaml": (
        "foo: bar\nhydra:\n  callbacks:\n    save_job_info:\n"
        "      _target_: hydra.experimental.callbacks.PickleJobInfoCallback\n"
    )
}


def test_experimental_rerun_of_a_pickled_config(tmp_path: Path) -> None:
    first = _run_both(tmp_path, RERUN_APP, RERUN_CONF, ["hydra.run.dir=first", "foo=baz"])
    assert first[0][0] == 0, first[0][3]
    again = _run_both(
        tmp_path, RERUN_APP, RERUN_CONF, ["--experimental-rerun", "first/.hydra/config.pickle"]
    )
    hydra, ours = again
    assert hydra[0] == 0, hydra[3]
    assert "foo=baz" in hydra[1]
    assert ours[:2] == hydra[:2], f"hydra stderr:\n{hydra[3]}\nconfcompose stderr:\n{ours[3]}"


def test_compose_api(tmp_path: Path) -> None:
    files = {**DB_CONF, "conf/__init__.py": ""}
    hydra, ours = _run_both(tmp_path, textwrap.dedent(COMPOSE_APP), files, [])
    assert hydra[0] == 0, hydra[3]
    assert ours[:3] == hydra[:3], f"hydra stderr:\n{hydra[3]}\nconfcompose stderr:\n{ours[3]}"
