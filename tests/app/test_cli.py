"""The `confcompose` command, shell completion, and in-process embedding (standalone=False)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import confcompose
from confcompose.app.main import main
from confcompose.app.runs import MultirunResult
from tests.app.conftest import APPS, EXAMPLES, Runner, app_env

CONF = EXAMPLES / "my_app" / "conf"
PROBE = APPS / "probe.py"


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "confcompose.app.cli", *args],
        capture_output=True,
        text=True,
        env=app_env(),
        cwd=cwd,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("args", "status", "stdout", "stderr"),
    [
        pytest.param(
            [str(CONF)], 0, "db:\n  driver: mysql\n  user: omry\n  pass: secret\n", "", id="yaml"
        ),
        pytest.param(
            [str(CONF), "db=postgresql", "--json"],
            0,
            json.dumps(
                {
                    "db": {
                        "driver": "postgresql",
                        "user": "postgres_user",
                        "pass": "drowssap",
                        "timeout": 10,
                    }
                },
                indent=2,
            )
            + "\n",
            "",
            id="json",
        ),
        pytest.param(
            [str(CONF), "--explain", "db.user", "db.user=root"],
            0,
            "db.user: root\n  set by: override 'db.user=root'\n"
            "  history (merge order, last wins):\n"
            f"    1. {CONF}/db/mysql.yaml:2:7\n    2. override 'db.user=root'\n",
            "",
            id="explain",
        ),
        pytest.param([str(CONF), "db=nope"], 2, "", "Could not find 'db/nope'", id="bad-option"),
        pytest.param([str(CONF), "db.usr=1"], 2, "", "did you mean 'user'?", id="bad-key"),
        pytest.param(["/no/such/dir"], 2, "", "does not exist", id="bad-dir"),
        pytest.param([], 2, "", "the following arguments are required", id="no-args"),
    ],
)
def test_confcompose_command(args: list[str], status: int, stdout: str, stderr: str) -> None:
    res = cli(*args)
    assert res.returncode == status, res.stderr
    if status == 0:
        assert res.stdout == stdout
    else:
        assert stderr in res.stderr
        assert "Traceback" not in res.stderr


def test_confcompose_defaults_tree_and_schema(tmp_path: Path) -> None:
    tree = cli(str(CONF), "--defaults-tree", "db=postgresql")
    assert tree.returncode == 0, tree.stderr
    assert "db/postgresql" in tree.stdout
    schema = cli("schema", str(CONF))
    assert schema.returncode == 0, schema.stderr
    assert json.loads(schema.stdout)["title"] == "config"
    out = cli("schema", str(CONF), "--out", str(tmp_path / "s"))
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "s" / "db" / "mysql.schema.json").exists()


def test_verbose_shows_traceback() -> None:
    res = cli(str(CONF), "db=nope", "--verbose")
    assert res.returncode == 2
    assert "Traceback" in res.stderr


# -- completion ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param("probe.py ", ["db.", "db=", "fail_on=", "lr=", "name="], id="empty"),
        pytest.param("probe.py d", ["db.", "db="], id="prefix"),
        pytest.param("probe.py db.", ["db.driver=", "db.port="], id="nested"),
        pytest.param("probe.py db=p", ["db=postgresql"], id="option"),
        pytest.param("probe.py +db=", ["+db=mysql", "+db=postgresql"], id="add-option"),
        pytest.param("probe.py db@x.y=p", ["db@x.y=postgresql"], id="package-option"),
        pytest.param(
            "probe.py --conf", ["--config-dir", "--config-name", "--config-path"], id="flag"
        ),
        pytest.param("probe.py hydra/lau", ["hydra/launcher="], id="hydra-group"),
        pytest.param(
            "probe.py hydra/launcher=sub",
            ["hydra/launcher=submitit_local", "hydra/launcher=submitit_slurm"],
            id="hydra-option",
        ),
        pytest.param("probe.py hydra.job.ch", ["hydra.job.chdir="], id="hydra-key"),
        pytest.param("python probe.py lr", ["lr="], id="via-python"),
    ],
)
def test_completion_query(run: Runner, line: str, expected: list[str]) -> None:
    res = run(PROBE, "-sc", "query=bash", env={"COMP_LINE": line})
    assert res.returncode == 0, res.stderr
    assert res.stdout.splitlines() == expected


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_install_scripts(run: Runner, shell: str) -> None:
    res = run(PROBE, "-sc", f"install={shell}")
    assert res.returncode == 0, res.stderr
    # zsh runs the bash completion function through bashcompinit.
    assert f"{PROBE} -sc query={'bash' if shell == 'zsh' else shell}" in res.stdout
    if shell == "zsh":
        assert res.stdout.startswith("autoload -Uz bashcompinit && bashcompinit\n")


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_completion_in_bash(run: Runner, tmp_path: Path) -> None:
    script = run(PROBE, "-sc", "install=bash").stdout
    (tmp_path / "c.sh").write_text(script)
    line = "probe.py db=p"
    res = subprocess.run(
        [
            "bash",
            "-c",
            f'source c.sh; COMP_LINE="{line}"; COMP_POINT={len(line)}; '
            '_confcompose_probe_py; printf "%s\\n" "${COMPREPLY[@]}"',
        ],
        cwd=tmp_path,
        env=app_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.stdout.splitlines() == ["db=postgresql"], res.stderr


def test_bad_completion_request(run: Runner) -> None:
    res = run(PROBE, "-sc", "install=tcsh")
    assert res.returncode == 2
    assert "unsupported shell completion request 'install=tcsh'" in res.stderr


# -- in-process embedding ---------------------------------------------------------------------


def _app(tmp_path: Path):  # type: ignore[no-untyped-def]
    def task(cfg: confcompose.DictNode) -> tuple[str, int | None]:
        from confcompose.app import runtime

        if cfg.lr == 0.3:
            raise ZeroDivisionError("boom")
        return cfg.db.driver, runtime().num

    task.__module__ = __name__
    return main(config_path=str(APPS / "conf"), config_name="config", standalone=False)(task)


def test_embedded_single_and_multirun(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = _app(tmp_path)
    assert app(argv=["db=postgresql", "hydra/job_logging=none"]) == ("postgresql", None)
    results = app(argv=["-m", "lr=0.1,0.3", "db=mysql,postgresql", "hydra/job_logging=none"])
    assert isinstance(results, MultirunResult)
    assert [(r.status, r.return_value) for r in results] == [
        ("completed", ("mysql", 0)),
        ("completed", ("postgresql", 1)),
        ("failed", None),
        ("failed", None),
    ]
    assert isinstance(results.failed[0].error, ZeroDivisionError)
    with pytest.raises(ZeroDivisionError):
        app(argv=["lr=0.3", "hydra/job_logging=none"])
    with pytest.raises(confcompose.ConfigError, match="did you mean 'driver'"):
        app(argv=["db.drive=x"])


def test_runtime_outside_a_job() -> None:
    from confcompose.app import runtime, to_absolute_path

    with pytest.raises(confcompose.ConfigError, match="only available inside a job"):
        runtime()
    assert to_absolute_path("x") == os.path.join(os.getcwd(), "x")


def test_cfg_output_is_captured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = _app(tmp_path)
    buf = io.StringIO()
    app.app.out = buf
    app(argv=["--cfg", "job", "-p", "db"])
    assert buf.getvalue() == "# @package db\ndriver: mysql\nport: 3306\n"
