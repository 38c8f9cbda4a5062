# ruff: noqa: UP006, UP035, UP045  (typing.List/Optional, as Hydra-era apps write them)
"""Structured configs only: dataclasses in the ConfigStore, a group of them, typed overrides."""

from dataclasses import dataclass, field
from typing import Any, List, Optional

import hydra
from hydra.core.config_store import ConfigStore
from omegaconf import MISSING, OmegaConf


@dataclass
class DBConfig:
    driver: str = MISSING
    host: str = "localhost"
    port: int = MISSING
    timeout: Optional[float] = None


@dataclass
class MySQLConfig(DBConfig):
    driver: str = "mysql"
    port: int = 3306


@dataclass
class PostGreSQLConfig(DBConfig):
    driver: str = "postgresql"
    port: int = 5432
    user: str = "postgres"


@dataclass
class Config:
    defaults: List[Any] = field(default_factory=lambda: ["_self_", {"db": "mysql"}])
    db: DBConfig = MISSING
    debug: bool = False
    tags: List[str] = field(default_factory=lambda: ["a", "b"])


cs = ConfigStore.instance()
cs.store(name="config", node=Config)
cs.store(group="db", name="mysql", node=MySQLConfig)
cs.store(group="db", name="postgresql", node=PostGreSQLConfig)


@hydra.main(version_base=None, config_name="config")
def my_app(cfg: Config) -> None:
    print(OmegaConf.to_yaml(cfg))
    print("port + 1 =", cfg.db.port + 1, "debug is bool:", isinstance(cfg.debug, bool))
    obj = OmegaConf.to_object(cfg)
    print(type(obj).__name__, type(obj.db).__name__, obj.db.port)


if __name__ == "__main__":
    my_app()
