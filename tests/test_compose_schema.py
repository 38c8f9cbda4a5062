"""compose(..., schema=Cls): typed, validated composition (issue 5 on top of the composer)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

import confcompose as cc


@dataclass
class DB:
    driver: str = "???"
    port: int = 0


@dataclass
class App:
    name: str = "x"
    db: DB = field(default_factory=DB)


@pytest.fixture
def conf(tmp_path: Path) -> Path:
    (tmp_path / "db").mkdir()
    (tmp_path / "config.yaml").write_text("defaults:\n  - db: mysql\n  - _self_\nname: app\n")
    (tmp_path / "db" / "mysql.yaml").write_text('driver: mysql\nport: "3306"\n')
    (tmp_path / "db" / "bad.yaml").write_text("driver: x\nport: lots\n")
    return tmp_path


def test_schema_converts_files_and_overrides(conf: Path) -> None:
    cfg = cc.compose(conf, [], schema=App)
    assert cfg.db.port == 3306
    cfg = cc.compose(conf, ["db.port=5432"], schema=App)
    assert cfg.db.port == 5432
    assert cc.to_object(cfg) == App(name="app", db=DB(driver="mysql", port=5432))
    with pytest.raises(cc.ValidationError):
        cfg.db.port = "many"


@pytest.mark.parametrize(
    ("overrides", "error", "fragments"),
    [
        pytest.param(
            ["db.port=abc"], cc.ConfigError, ["db.port", "'abc'", "int"], id="bad-override-value"
        ),
        pytest.param(
            ["db.prt=1"], cc.ConfigError, ["db.prt", "did you mean 'port'"], id="unknown-key"
        ),
        pytest.param(
            ["db=bad"],
            cc.ValidationError,
            ["bad.yaml:2:7", "db.port", "'lots'"],
            id="bad-file-value",
        ),
    ],
)
def test_schema_errors(
    conf: Path, overrides: list[str], error: type[Exception], fragments: list[str]
) -> None:
    with pytest.raises(error) as info:
        cc.compose(conf, overrides, schema=App)
    for fragment in fragments:
        assert fragment in str(info.value)
