"""``confcompose.hydra``: Hydra's import paths, its errors under both names, its process
defaults (ConfigStore, GlobalHydra, HydraConfig) and the app behaviours that depend on them."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import confcompose
from confcompose.hydra import compose, initialize, initialize_config_dir
from confcompose.hydra import errors as herrors
from confcompose.hydra.core.config_store import ConfigStore, ConfigStoreLoadError
from confcompose.hydra.core.global_hydra import GlobalHydra
from confcompose.hydra.core.hydra_config import HydraConfig
from confcompose.hydra.core.utils import JobReturn, JobStatus

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("module", "names"),
    [
        pytest.param(
            "",
            "main compose initialize initialize_config_dir initialize_config_module utils "
            "MissingConfigException TaskFunction __version__",
            id="hydra",
        ),
        pytest.param(
            "utils",
            "instantiate call get_class get_method get_object get_static_method "
            "to_absolute_path get_original_cwd ConvertMode",
            id="utils",
        ),
        pytest.param("main", "main", id="main"),
        pytest.param("compose", "compose", id="compose"),
        pytest.param(
            "initialize", "initialize initialize_config_dir initialize_config_module", id="init"
        ),
        pytest.param("core.config_store", "ConfigStore ConfigNode", id="config_store"),
        pytest.param("core.hydra_config", "HydraConfig", id="hydra_config"),
        pytest.param("core.global_hydra", "GlobalHydra", id="global_hydra"),
        pytest.param("core.utils", "JobReturn JobStatus", id="core.utils"),
        pytest.param("types", "RunMode ConvertMode TaskFunction TargetConf", id="types"),
        pytest.param(
            "conf",
            "HydraConf JobConf RunDir SweepDir HelpConf HydraHelpConf RuntimeConf OverridesConf "
            "MISSING dataclass field",
            id="conf",
        ),
        pytest.param("experimental.callback", "Callback", id="callback"),
        pytest.param(
            "experimental.callbacks",
            "LogJobReturnCallback PickleJobInfoCallback",
            id="callbacks",
        ),
        pytest.param(
            "errors",
            "HydraException CompactHydraException MissingConfigException "
            "ConfigCompositionException OverrideParseException InstantiationException "
            "SearchPathException HydraDeprecationError Hydra14MigrationWarning",
            id="errors",
        ),
    ],
)
def test_import_paths(module: str, names: str) -> None:
    mod = importlib.import_module("confcompose.hydra" + (f".{module}" if module else ""))
    for name in names.split():
        assert getattr(mod, name) is not None, name


def test_main_and_compose_are_functions_at_hydra_paths() -> None:
    import confcompose.hydra as hydra

    assert callable(hydra.main) and hydra.main.__module__ == "confcompose.hydra.main"
    assert callable(hydra.compose)
    assert hydra.__version__ == "1.3.8"


def test_import_confcompose_does_not_load_the_facade() -> None:
    code = "import sys, confcompose; print(any(m.startswith('confcompose.hydra') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.fixture
def conf(tmp_path: Path) -> Path:
    (tmp_path / "conf" / "db").mkdir(parents=True)
    (tmp_path / "conf" / "config.yaml").write_text("defaults:\n  - db: mysql\n  - _self_\nx: 1\n")
    (tmp_path / "conf" / "db" / "mysql.yaml").write_text("driver: mysql\n")
    return tmp_path / "conf"


@pytest.fixture(autouse=True)
def _fresh_global_hydra() -> Any:
    GlobalHydra.instance().clear()
    yield
    GlobalHydra.instance().clear()


@pytest.mark.parametrize(
    ("overrides", "hydra_name", "ours"),
    [
        pytest.param(["db=nope"], "MissingConfigException", confcompose.ConfigNotFoundError),
        pytest.param(["nokey=1"], "ConfigCompositionException", confcompose.OverrideError),
        pytest.param(["x=[1"], "OverrideParseException", confcompose.OverrideSyntaxError),
        pytest.param(["x=1,2"], "ConfigCompositionException", confcompose.OverrideError),
        pytest.param([], "HydraException", confcompose.ConfigError, id="any"),
    ],
)
def test_errors_are_caught_under_both_names(
    conf: Path, overrides: list[str], hydra_name: str, ours: type[Exception]
) -> None:
    hydra_cls = getattr(herrors, hydra_name)
    with initialize_config_dir(config_dir=str(conf), version_base=None):
        for cls in (hydra_cls, ours, herrors.HydraException):
            with pytest.raises(cls):
                compose("config", overrides or ["db=nope"])


def test_initialize_is_relative_to_the_caller_and_restores_state(conf: Path) -> None:
    rel = os.path.relpath(conf, Path(__file__).parent)
    assert not GlobalHydra.instance().is_initialized()
    with initialize(config_path=rel, version_base=None, job_name="j"):
        assert GlobalHydra.instance().is_initialized()
        cfg = compose("config")
        assert (cfg.db.driver, "hydra" in cfg) == ("mysql", False)
        full = compose("config", ["hydra.job.name=renamed"], return_hydra_config=True)
        assert full.hydra.job.name == "renamed"
        assert full.hydra.runtime.choices.db == "mysql"
    assert not GlobalHydra.instance().is_initialized()
    with pytest.raises(AssertionError, match="GlobalHydra is not initialized"):
        compose("config")


def test_initialize_twice_without_clear(conf: Path) -> None:
    initialize_config_dir(config_dir=str(conf), version_base=None)
    with pytest.raises(ValueError, match="already initialized"):
        initialize_config_dir(config_dir=str(conf), version_base=None)


@pytest.mark.parametrize(
    ("version_base", "warned"),
    [
        pytest.param("omitted", "The version_base parameter is not specified", id="omitted"),
        pytest.param("1.1", 'version_base="1.1" selects Hydra 1.1 compatibility', id="1.1"),
        pytest.param(None, None, id="none"),
        pytest.param("1.3", None, id="1.3"),
    ],
)
def test_version_base_warnings(conf: Path, version_base: Any, warned: str | None) -> None:
    kwargs = {} if version_base == "omitted" else {"version_base": version_base}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with initialize_config_dir(config_dir=str(conf), **kwargs):
            pass
    found = [str(w.message) for w in caught if w.category is herrors.Hydra14MigrationWarning]
    assert bool(found) == bool(warned)
    if warned:
        assert warned in found[0]


def test_version_base_below_1_1_is_refused(conf: Path) -> None:
    with pytest.raises(herrors.HydraException, match=r'version_base must be >= "1.1"'):
        initialize_config_dir(config_dir=str(conf), version_base="1.0")


@dataclass
class _MySQL:
    driver: str = "mysql"
    port: int = 3306


def test_config_store_list_load_and_types() -> None:
    cs = ConfigStore()
    cs.store(name="mysql", node=_MySQL, group="db/sql", provider="test")
    cs.store(name="config", node={"a": 1})
    assert cs.list("") == ["config.yaml", "db"]
    assert cs.list("db") == ["sql"]
    assert cs.list("db/sql") == ["mysql.yaml"]
    loaded = cs.load("db/sql/mysql")
    assert (loaded.name, loaded.group, loaded.provider) == ("mysql.yaml", "db/sql", "test")
    assert loaded.node.port == 3306
    assert [cs.get_type(p) for p in ("db", "db/sql/mysql", "nope")] == [
        "GROUP",
        "CONFIG",
        "NOT_FOUND",
    ]
    with pytest.raises(ConfigStoreLoadError):
        cs.load("db/nope")
    with pytest.raises(OSError, match="Path not found"):
        cs.list("nope")
    assert ConfigStore.instance() is ConfigStore.instance()


def test_compose_reads_the_default_store(conf: Path) -> None:
    ConfigStore.instance().store(group="db", name="stored_sql", node=_MySQL)
    with initialize_config_dir(config_dir=str(conf), version_base=None):
        cfg = compose("config", ["db=stored_sql", "db.port=1"])
    assert (cfg.db.driver, cfg.db.port) == ("mysql", 1)
    with (
        initialize_config_dir(config_dir=str(conf), version_base=None),
        pytest.raises(herrors.ConfigCompositionException, match="Error merging override"),
    ):
        compose("config", ["db=stored_sql", "db.port=abc"])


def test_hydra_config_outside_a_job() -> None:
    assert not HydraConfig.initialized()
    with pytest.raises(ValueError, match="HydraConfig was not set"):
        HydraConfig.get()


def test_job_status_and_return() -> None:
    assert JobStatus.COMPLETED == "completed" and JobStatus.FAILED != "completed"
    ret = JobReturn(overrides=["a=1"], status=JobStatus.FAILED, _return_value=KeyError("k"))
    with pytest.raises(KeyError):
        _ = ret.return_value
    assert JobReturn(status=JobStatus.COMPLETED, _return_value=3).return_value == 3


# -- app behaviours, run as a user would ----------------------------------------------------------

APP = """
import logging
from confcompose import hydra

log = logging.getLogger("mine")


@hydra.main(version_base=None, config_path="conf", config_name="config")
def main(cfg):
    log.debug("debug line")
    log.info("info line")


main()
"""


def _app(tmp_path: Path, conf: Path, *args: str) -> subprocess.CompletedProcess[str]:
    (conf.parent / "app.py").write_text(APP)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, str(conf.parent / "app.py"), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("args", "debug_shown"),
    [
        pytest.param(["hydra.verbose=true"], True, id="verbose-true"),
        pytest.param(["hydra.verbose=mine"], True, id="verbose-name"),
        pytest.param(["hydra.verbose=[other,mine]"], True, id="verbose-list"),
        pytest.param(["hydra.verbose=other"], False, id="verbose-other"),
        pytest.param([], False, id="quiet"),
    ],
)
def test_hydra_verbose(tmp_path: Path, conf: Path, args: list[str], debug_shown: bool) -> None:
    res = _app(tmp_path, conf, *args)
    assert res.returncode == 0, res.stderr
    assert "[mine][INFO] - info line" in res.stdout
    assert ("[mine][DEBUG] - debug line" in res.stdout) is debug_shown


def test_experimental_rerun_warns_about_overrides(tmp_path: Path, conf: Path) -> None:
    first = _app(tmp_path, conf, "hydra.run.dir=first")
    assert first.returncode == 0, first.stderr
    again = _app(tmp_path, conf, "--experimental-rerun", "first/.hydra/config.yaml", "x=2")
    assert again.returncode == 0, again.stderr
    assert "Experimental rerun CLI option, other command line args are ignored." in again.stderr
    assert "Config overrides are not supported as of now." in again.stderr


def test_bad_input_exits_1_as_hydra(tmp_path: Path, conf: Path) -> None:
    res = _app(tmp_path, conf, "db=nope")
    assert res.returncode == 1
    assert "Could not find 'db/nope'" in res.stderr


def test_cli_resolves_hydra_interpolations(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text(
        "name: ${hydra:job.name}\nlogger: ${hydra:runtime.choices.hydra/job_logging}\n"
    )
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    res = subprocess.run(
        ["confcompose", str(tmp_path), "--resolve"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout == "name: config\nlogger: default\n"


# -- plugins --------------------------------------------------------------------------------------


def test_plugin_search_path_is_read_without_importing(tmp_path: Path) -> None:
    from confcompose.app.plugins import plugin_searchpath

    plugin = tmp_path / "hydra_plugins" / "my_plugin"
    (plugin / "conf" / "hydra" / "job_logging").mkdir(parents=True)
    (plugin / "conf" / "hydra" / "job_logging" / "mine.yaml").write_text("version: 1\n")
    (plugin / "__init__.py").write_text("raise RuntimeError('never imported')\n")
    (plugin / "plugin.py").write_text(
        "import hydra  # would fail without hydra\n"
        "from hydra.plugins.search_path_plugin import SearchPathPlugin\n"
        "class P(SearchPathPlugin):\n"
        "    def manipulate_search_path(self, search_path):\n"
        "        search_path.append('mine', 'pkg://hydra_plugins.my_plugin.conf')\n"
        "        search_path.append('other', 'file:///somewhere/else')\n"
    )
    (plugin / "not_a_plugin.py").write_text(
        "x = 'SearchPathPlugin'\nsearch_path.append('a', 'b')\n"
    )
    found = plugin_searchpath([str(tmp_path)])
    assert found == [str(plugin / "conf"), "/somewhere/else"]
    composer = confcompose.Composer(None, search_path=[found[0]])
    assert composer.search_path.options("hydra/job_logging") == ["mine"]


def test_builtin_colorlog_without_the_plugin(tmp_path: Path) -> None:
    pytest.importorskip("colorlog")
    from confcompose.app.sources import builtin_conf

    composer = confcompose.Composer(None, search_path=[builtin_conf()])
    _, hydra, _ = composer.compose_with_hydra(["hydra/job_logging=colorlog"], None)
    formatter = confcompose.select(hydra, "job_logging.formatters.colorlog")
    assert formatter["()"] == "colorlog.ColoredFormatter"


def test_hydra_config_set_config(conf: Path) -> None:
    from confcompose.hydra.types import RunMode

    with initialize_config_dir(config_dir=str(conf), version_base=None, job_name="nb"):
        cfg = compose("config", return_hydra_config=True)
    instance = HydraConfig.instance()
    try:
        instance.set_config(cfg)
        assert HydraConfig.initialized()
        hc = HydraConfig.get()
        assert (hc.job.name, hc.mode) == ("nb", RunMode.RUN)
        with pytest.raises(confcompose.ReadonlyConfigError):
            hc.job.name = "x"
    finally:
        instance.cfg = None


@pytest.mark.parametrize(
    ("version_base", "expected"),
    [
        pytest.param(None, "1.3", id="none-is-current"),
        pytest.param("1.1", "1.1", id="1.1"),
        pytest.param("1.2.0", "1.2", id="patch-dropped"),
        pytest.param("1.0", confcompose.ConfigError, id="too-old"),
        pytest.param("one", confcompose.ConfigError, id="not-a-version"),
    ],
)
def test_normalize_version_base(version_base: Any, expected: Any) -> None:
    from confcompose.app.versions import normalize_version_base

    if isinstance(expected, str):
        assert normalize_version_base(version_base) == expected
    else:
        with pytest.raises(expected):
            normalize_version_base(version_base)


@pytest.mark.parametrize(
    ("skip_missing", "expected"),
    [
        pytest.param(True, {"x": 1}, id="skipped"),
        pytest.param(False, confcompose.CompositionError, id="must-specify"),
    ],
)
def test_compose_skip_missing_group(tmp_path: Path, skip_missing: bool, expected: Any) -> None:
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "a.yaml").write_text("v: 1\n")
    (tmp_path / "config.yaml").write_text("defaults:\n  - db: ???\n  - _self_\nx: 1\n")
    composer = confcompose.Composer(tmp_path)
    if isinstance(expected, dict):
        job, _, _ = composer.compose_with_hydra([], "config", skip_missing=skip_missing)
        assert confcompose.to_container(job) == expected
    else:
        with pytest.raises(expected, match="You must specify 'db'"):
            composer.compose_with_hydra([], "config", skip_missing=skip_missing)


INSIDE_APP = """
import os
from confcompose import hydra
from confcompose.hydra import compose, initialize_config_dir
from confcompose.hydra.core.global_hydra import GlobalHydra


@hydra.main(version_base=None, config_path="conf", config_name="config")
def main(cfg):
    gh = GlobalHydra.instance()
    print("in job", gh.is_initialized(), compose("config", ["x=5"]).x)
    gh.clear()
    print("cleared", gh.is_initialized())
    here = os.path.dirname(os.path.abspath(__file__))
    with initialize_config_dir(config_dir=os.path.join(here, "conf"), version_base=None):
        print("again", compose("config").db.driver)
    print("after", GlobalHydra.instance().is_initialized())


main()
"""


def test_global_hydra_inside_a_job(tmp_path: Path, conf: Path) -> None:
    (conf.parent / "inside.py").write_text(INSIDE_APP)
    res = subprocess.run(
        [sys.executable, str(conf.parent / "inside.py")],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines()[-4:] == [
        "in job True 5",
        "cleared False",
        "again mysql",
        "after False",
    ]


@pytest.mark.parametrize(
    ("config", "warned"),
    [
        pytest.param("defaults:\n  - db: mysql\nx: 1\n", True, id="missing-self"),
        pytest.param("defaults:\n  - db: mysql\n  - _self_\nx: 1\n", False, id="with-self"),
        pytest.param("defaults:\n  - db: mysql\n", False, id="no-content"),
        pytest.param("defaults:\n  - db: mysql\nx: ???\n", False, id="only-missing"),
    ],
)
def test_missing_self_warning(tmp_path: Path, config: str, warned: bool) -> None:
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "mysql.yaml").write_text("driver: mysql\n")
    (tmp_path / "config.yaml").write_text(config)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        confcompose.Composer(tmp_path).compose([], "config")
    found = [w for w in caught if "Defaults list is missing `_self_`" in str(w.message)]
    assert bool(found) is warned
    if warned:
        assert (Path(found[0].filename).name, found[0].lineno) == ("config.yaml", 2)
