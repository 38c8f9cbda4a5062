"""``hydra.callbacks``: instantiated from the config and called around runs, multiruns and jobs."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.conftest import Runner

APP = """\
import confcompose

@confcompose.main(config_path="conf", config_name="config")
def app(cfg):
    print("TASK", cfg.x)
    return cfg.x

if __name__ == "__main__":
    app()
"""

CALLBACK = """\
class Recorder:
    def __init__(self, tag):
        self.tag = tag

    def on_run_start(self, config, **kwargs):
        print(self.tag, "run_start", config.x, config.hydra.job.name)

    def on_run_end(self, config, **kwargs):
        print(self.tag, "run_end")

    def on_multirun_start(self, config, **kwargs):
        print(self.tag, "multirun_start")

    def on_multirun_end(self, config, **kwargs):
        print(self.tag, "multirun_end")

    def on_job_start(self, config, *, task_function, **kwargs):
        print(self.tag, "job_start", config.x, task_function.__name__)

    def on_job_end(self, config, job_return, **kwargs):
        print(self.tag, "job_end", job_return.status, job_return.return_value)


class Broken:
    def on_run_start(self, config, **kwargs):
        raise KeyError("start")

    def on_run_end(self, config, **kwargs):
        raise RuntimeError("boom")
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "config.yaml").write_text(
        "x: 1\n"
        "hydra:\n  callbacks:\n"
        "    first: {_target_: cbmod.Recorder, tag: A}\n"
        "    second: {_target_: cbmod.Recorder, tag: B}\n"
    )
    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "cbmod.py").write_text(CALLBACK)
    return tmp_path


def _events(stdout: str) -> list[str]:
    return [
        line for line in stdout.splitlines() if line[:2] in ("A ", "B ") or line.startswith("TASK")
    ]


def test_single_run_order(project: Path, run: Runner) -> None:
    done = run(project / "app.py")
    assert done.returncode == 0, done.stderr
    assert _events(done.stdout) == [
        "A run_start 1 app",
        "B run_start 1 app",
        "A job_start 1 app",
        "B job_start 1 app",
        "TASK 1",
        "B job_end completed 1",
        "A job_end completed 1",
        "B run_end",
        "A run_end",
    ]


def test_multirun_order(project: Path, run: Runner) -> None:
    done = run(project / "app.py", "-m", "x=1,2")
    assert done.returncode == 0, done.stderr
    events = _events(done.stdout)
    assert events[:2] == ["A multirun_start", "B multirun_start"]
    assert events[-2:] == ["B multirun_end", "A multirun_end"]
    assert events.count("A job_start 2 app") == 1


def test_failing_callback_is_a_warning(project: Path, run: Runner) -> None:
    (project / "conf" / "config.yaml").write_text(
        "x: 1\nhydra:\n  callbacks:\n    broken: {_target_: cbmod.Broken}\n"
    )
    done = run(project / "app.py")
    assert done.returncode == 0, done.stderr
    # Hydra 1.3.8's words, as a UserWarning on stderr
    assert "Callback Broken.on_run_start raised KeyError: 'start'" in done.stderr
    assert "Callback Broken.on_run_end raised RuntimeError: boom" in done.stderr
