"""A warm app start loads only what its run needs (each module costs every run of every app)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.app.conftest import Runner

# Modules a plain run must not load: each is a few milliseconds of every start (or, for
# ruamel.yaml and lark, the parsing the warm cache exists to skip).
HEAVY = [
    "ruamel.yaml",
    "lark",
    "logging",
    "json",
    "typing",
    "threading",
    "math",
    "binascii",
    "dataclasses",
    "inspect",
    "argparse",
    "confcompose.structured",
    "confcompose.app.cli",
    "confcompose.app.sweep",
    "confcompose.composition.store",
    "confcompose.parsing._interp_lex",
]

APP = """\
import sys
had = set(sys.modules)
import confcompose


@confcompose.main(version_base=None, config_path="conf", config_name="config")
def main(cfg):
    loaded = [m for m in {heavy!r} if m in sys.modules and m not in had]
    print("LOADED " + __import__("json").dumps(loaded))


if __name__ == "__main__":
    main()
"""


@pytest.mark.parametrize(
    "overrides",
    [pytest.param([], id="no-overrides"), pytest.param(["model.lr=0.01"], id="one-override")],
)
def test_warm_run_loads_nothing_heavy(tmp_path: Path, run: Runner, overrides: list[str]) -> None:
    conf = tmp_path / "conf"
    (conf / "model").mkdir(parents=True)
    (conf / "config.yaml").write_text("defaults:\n  - model: small\n  - _self_\nseed: 1\n")
    (conf / "model" / "small.yaml").write_text("lr: 0.1\nname: small\nlayers: [1, 2]\n")
    script = tmp_path / "app.py"
    script.write_text(APP.format(heavy=HEAVY))
    env = {"CONFCOMPOSE_CACHE_DIR": str(tmp_path / "cache")}
    first = run(script, *overrides, env=env)  # parses the YAML and fills the cache
    assert first.returncode == 0, first.stderr
    second = run(script, *overrides, env=env)
    assert second.returncode == 0, second.stderr
    line = next(x for x in second.stdout.splitlines() if x.startswith("LOADED "))
    assert json.loads(line[len("LOADED ") :]) == []
