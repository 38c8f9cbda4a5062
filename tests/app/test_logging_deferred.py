"""Job logging built when something first imports ``logging``: the same console lines and log
files as an eager set-up, and no ``logging`` import in a run that never logs."""

from __future__ import annotations

import logging
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from confcompose.app.logsetup import _build, _percent_format_ok, _plan
from tests.app.conftest import Runner

APP = textwrap.dedent(
    """
    {top}
    import sys
    import confcompose


    @confcompose.main(version_base=None, config_path="conf", config_name="config")
    def main(cfg):
        print("logging loaded:", "logging" in sys.modules)
        if cfg.log:
            import logging

            logging.getLogger("task").info("hello from the task")
        if cfg.fail:
            raise ValueError("boom")


    if __name__ == "__main__":
        main()
    """
)


def _app(tmp_path: Path, top: str = "", extra: str = "") -> Path:
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "config.yaml").write_text(f"log: false\nfail: false\n{extra}")
    script = tmp_path / "app.py"
    script.write_text(APP.format(top=top))
    return script


# (id, module top, config extra, overrides, logging loaded as the task starts, console has the line,
#  log file text contains)
CASES = [
    ("never-logs", "", "", [], False, False, ""),
    ("logs-inside-task", "", "", ["log=true"], False, True, "[task][INFO] - hello from the task"),
    ("fails", "", "", ["fail=true"], False, False, "ValueError: boom"),
    ("imported-at-top", "import logging", "", ["log=true"], True, True, "hello from the task"),
    (
        "custom-format",
        "",
        "hydra:\n  job_logging:\n    formatters:\n      simple:\n"
        "        format: 'CUSTOM %(levelname)s %(message)s'\n",
        ["log=true"],
        False,
        True,
        "CUSTOM INFO hello from the task",
    ),
]


@pytest.mark.parametrize(
    ("top", "extra", "overrides", "loaded", "console", "in_file"),
    [pytest.param(*c[1:], id=c[0]) for c in CASES],
)
def test_deferred_job_logging(
    tmp_path: Path,
    run: Runner,
    top: str,
    extra: str,
    overrides: list[str],
    loaded: bool,
    console: bool,
    in_file: str,
) -> None:
    script = _app(tmp_path, top, extra)
    out = tmp_path / "out"
    proc = run(script, *overrides, f"hydra.run.dir={out}")
    assert proc.returncode == (1 if "fail=true" in overrides else 0), proc.stderr
    assert f"logging loaded: {loaded}" in proc.stdout
    assert ("hello from the task" in proc.stdout) is console
    log = out / "app.log"
    assert log.is_file()  # created at the job's start, as Hydra's FileHandler does
    text = log.read_text()
    if in_file:
        assert in_file in text
    else:
        assert text == ""


@pytest.mark.parametrize(
    ("handler_extra", "message"),
    [
        pytest.param("        level: LOUD\n", "LOUD", id="unknown-level"),
        pytest.param("        mode: r\n", "invalid logging configuration", id="read-mode"),
    ],
)
def test_bad_logging_config_fails_at_the_start(
    tmp_path: Path, run: Runner, handler_extra: str, message: str
) -> None:
    extra = (
        "hydra:\n  job_logging:\n    handlers:\n      file:\n"
        "        filename: ${hydra.runtime.output_dir}/${hydra.job.name}.log\n" + handler_extra
    )
    script = _app(tmp_path, extra=extra)
    proc = run(script, f"hydra.run.dir={tmp_path / 'out'}")
    assert proc.returncode != 0
    assert message in proc.stderr
    assert "logging loaded" not in proc.stdout  # the task never ran


def test_a_deleted_log_folder_does_not_fail_the_import(tmp_path: Path, run: Runner) -> None:
    # The task removes its own output folder, then imports logging and logs: as with handlers
    # built at the start, the log file was opened then, so nothing fails.
    script = _app(tmp_path, extra="")
    text = script.read_text().replace(
        "        if cfg.log:\n",
        "        if cfg.log:\n            import shutil, os\n"
        "            shutil.rmtree(os.path.dirname(__file__) + '/out')\n",
    )
    script.write_text(text)
    proc = run(script, "log=true", f"hydra.run.dir={tmp_path / 'out'}")
    assert proc.returncode == 0, proc.stderr
    assert "hello from the task" in proc.stdout  # the console handler works
    assert "Error" not in proc.stderr


def test_verbose_configures_at_once(tmp_path: Path, run: Runner) -> None:
    script = _app(tmp_path)
    proc = run(script, "log=true", "hydra.verbose=true", f"hydra.run.dir={tmp_path / 'out'}")
    assert proc.returncode == 0, proc.stderr
    assert "logging loaded: True" in proc.stdout  # hydra.verbose needs the loggers at once
    assert "hello from the task" in proc.stdout


# -- the format check and the folding of plans, against the logging module itself --------------

FORMATS = st.text(alphabet="%()sdrxa._0123456789*#+- Lmn\u00e9", max_size=14)


@given(FORMATS)
def test_format_check_agrees_with_logging(fmt: str) -> None:
    try:
        logging.Formatter(fmt)
        accepted = True
    except ValueError:
        accepted = False
    assert _percent_format_ok(fmt) is accepted


def _conf(fmt: str, level: str, named: dict[str, Any]) -> dict[str, Any]:
    return {
        "version": 1,
        "formatters": {"f": {"format": fmt}},
        "handlers": {"c": {"class": "logging.StreamHandler", "formatter": "f"}},
        "root": {"level": level, "handlers": ["c"]},
        "loggers": named,
        "disable_existing_loggers": False,
    }


def _state() -> tuple[Any, ...]:
    root = logging.getLogger()
    handlers = [(type(h).__name__, h.formatter._fmt if h.formatter else None) for h in root.handlers]
    return (handlers, root.level, logging.getLogger("cc_a").level, logging.getLogger("cc_b").level)


@pytest.mark.usefixtures("root_logger_restored")
def test_folded_plans_apply_as_both_in_turn() -> None:
    first = _conf("[HYDRA] %(message)s", "DEBUG", {"cc_a": {"level": "DEBUG"}})
    second = _conf("%(name)s %(message)s", "INFO", {"cc_b": {"level": "ERROR"}})
    for name in ("cc_a", "cc_b"):
        logging.getLogger(name).setLevel(logging.NOTSET)
    one, two = _plan(first), _plan(second)
    assert one is not None and two is not None
    _build(one, logging)
    _build(two, logging)
    in_turn = _state()
    for name in ("cc_a", "cc_b"):
        logging.getLogger(name).setLevel(logging.NOTSET)
    folded, later = _plan(first), _plan(second)
    assert folded is not None and later is not None
    folded.absorb(later)
    _build(folded, logging)
    assert _state() == in_turn
    assert "logging" in sys.modules
