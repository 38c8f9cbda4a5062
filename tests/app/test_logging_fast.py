"""The direct set-up of the default job logging matches logging.config.dictConfig."""

from __future__ import annotations

import logging
import logging.config
from pathlib import Path
from typing import Any

import pytest

from confcompose.app.logsetup import _simple_logging


def _default(tmp_path: Path) -> dict[str, Any]:
    return {
        "version": 1,
        "formatters": {
            "simple": {"format": "[%(asctime)s][%(name)s][%(levelname)s] - %(message)s"}
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "simple",
                "stream": "ext://sys.stdout",
            },
            "file": {
                "class": "logging.FileHandler",
                "formatter": "simple",
                "filename": str(tmp_path / "job.log"),
            },
        },
        "root": {"level": "INFO", "handlers": ["console", "file"]},
        "disable_existing_loggers": False,
    }


pytestmark = pytest.mark.usefixtures("root_logger_restored")


def _shape() -> list[tuple[str, str | None, str | None, int]]:
    root = logging.getLogger()
    out = []
    for h in root.handlers:
        fmt = h.formatter._fmt if h.formatter else None
        name = getattr(h, "baseFilename", None) or getattr(getattr(h, "stream", None), "name", None)
        out.append((type(h).__name__, fmt, name, root.level))
    return out


def test_default_shape_matches_dict_config(tmp_path: Path) -> None:
    conf = _default(tmp_path)
    logging.config.dictConfig(conf)
    expected = _shape()
    assert _simple_logging(conf) is True
    assert _shape() == expected
    logging.getLogger("x").info("hello")
    assert "[x][INFO] - hello" in (tmp_path / "job.log").read_text()


def test_named_logger_levels_match_dict_config(tmp_path: Path) -> None:
    # hydra/hydra_logging/default.yaml sets `loggers: {logging_example: {level: DEBUG}}`.
    conf = {**_default(tmp_path), "loggers": {"cc_named": {"level": "DEBUG"}}}
    named = logging.getLogger("cc_named")
    named.setLevel(logging.ERROR)
    named.propagate = False
    logging.config.dictConfig(conf)
    expected = (_shape(), named.level, named.propagate, named.handlers[:])
    named.setLevel(logging.ERROR)
    named.propagate = False
    assert _simple_logging(conf) is True
    assert (_shape(), named.level, named.propagate, named.handlers[:]) == expected


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"disable_existing_loggers": True}, id="disable-existing"),
        pytest.param(
            {"loggers": {"a": {"level": "DEBUG", "handlers": ["console"]}}},
            id="named-logger-handlers",
        ),
        pytest.param(
            {"handlers": {"x": {"class": "logging.handlers.RotatingFileHandler"}}},
            id="other-handler",
        ),
        pytest.param({"filters": {}}, id="filters"),
    ],
)
def test_other_shapes_go_to_dict_config(tmp_path: Path, change: dict[str, Any]) -> None:
    conf = {**_default(tmp_path), **change}
    assert _simple_logging(conf) is False
