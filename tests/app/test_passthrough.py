"""Calling a decorated app with a config runs the task directly (Hydra's cfg_passthrough)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import confcompose
from confcompose import DictConfig
from tests.app.conftest import EXAMPLES

CONF = str(EXAMPLES / "my_app" / "conf")


@confcompose.main(config_path=CONF, config_name="config", standalone=False)
def app(cfg: DictConfig, scale: int = 1) -> Any:
    return (cfg.db.driver, scale)


GIVEN = confcompose.create({"db": {"driver": "given"}})


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        pytest.param(lambda: app(GIVEN), ("given", 1), id="positional"),
        pytest.param(lambda: app(cfg=GIVEN), ("given", 1), id="keyword"),
        pytest.param(lambda: app(GIVEN, 3), ("given", 3), id="more-arguments"),
        pytest.param(lambda: app(GIVEN, scale=2), ("given", 2), id="keyword-argument"),
        pytest.param(lambda: app(cfg_passthrough=GIVEN), ("given", 1), id="hydra-keyword"),
    ],
)
def test_passthrough(call: Any, expected: Any) -> None:
    assert call() == expected


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda d: app(argv=["db=postgresql", f"hydra.run.dir={d}"]), id="argv"),
        pytest.param(lambda d: app(None, argv=["db=postgresql", f"hydra.run.dir={d}"]), id="none"),
        pytest.param(
            lambda d: app(cfg_passthrough=None, argv=["db=postgresql", f"hydra.run.dir={d}"]),
            id="hydra-keyword-none",
        ),
    ],
)
def test_without_a_config_the_app_runs(call: Any, tmp_path: Path) -> None:
    assert call(tmp_path) == ("postgresql", 1)
    assert (tmp_path / ".hydra" / "config.yaml").is_file()
