"""A small app for the adversarial app-layer tests, written into each test's directory.

The task misbehaves on request (environment variables name the job value ``x`` at which to
misbehave): ``KILL_AT`` (SIGKILL itself, as the OOM killer would), ``EXIT_AT`` (``os._exit``),
``SYSEXIT_AT`` (``sys.exit``), ``STOP_AT`` (end the whole process after printing: to see that a
sweep started). Each job prints ``JOB <json>``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

APP = """
import json, os, signal, sys
import confcompose

def task(cfg):
    x = str(cfg.get("x"))
    # one write per line: with PYTHONUNBUFFERED, print() writes the text and the newline
    # separately, and two workers' lines could interleave on the shared pipe
    sys.stdout.write("JOB " + json.dumps({"x": x, "tag": str(cfg.get("tag"))}) + "\\n")
    sys.stdout.flush()
    if x == os.environ.get("KILL_AT"):
        os.kill(os.getpid(), signal.SIGKILL)
    if x == os.environ.get("EXIT_AT"):
        os._exit(3)
    if x == os.environ.get("SYSEXIT_AT"):
        sys.exit(4)
    if x == os.environ.get("STOP_AT"):
        os._exit(0)
    return x

app = confcompose.main(config_path="conf", config_name="config")(task)
api = confcompose.main(config_path="conf", config_name="config", standalone=False)(task)

if __name__ == "__main__":
    if os.environ.get("API") == "1":  # the Python API: print the MultirunResult
        res = api(argv=sys.argv[1:])
        print("RESULT " + json.dumps([[r.num, r.status, str(r.error)] for r in res]))
    else:
        app()
"""

CONFIG = "seed: 42\nmsg: hi\n"


def write_app(where: Path) -> Path:
    (where / "conf").mkdir(parents=True, exist_ok=True)
    (where / "conf" / "config.yaml").write_text(CONFIG)
    script = where / "app.py"
    script.write_text(APP)
    return script


def env(extra: dict[str, str] | None = None) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith("CONFCOMPOSE_")}
    if "CONFCOMPOSE_CACHE_DIR" in os.environ:
        out["CONFCOMPOSE_CACHE_DIR"] = os.environ["CONFCOMPOSE_CACHE_DIR"]
    out["PYTHONPATH"] = str(ROOT)
    out.update(extra or {})
    return out


def run_app(
    where: Path,
    *args: str,
    extra_env: dict[str, str] | None = None,
    timeout: float = 120,
    prefix: tuple[str, ...] = (),
) -> subprocess.CompletedProcess[str]:
    script = write_app(where)
    return subprocess.run(
        [*prefix, sys.executable, str(script), *args],
        cwd=where,
        env=env(extra_env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def jobs(stdout: str) -> list[dict[str, Any]]:
    return [json.loads(line[4:]) for line in stdout.splitlines() if line.startswith("JOB ")]
