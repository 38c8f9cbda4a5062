"""YAML configs checked against dataclass schemas stored in the ConfigStore."""

from dataclasses import dataclass

import hydra
from hydra.core.config_store import ConfigStore
from omegaconf import MISSING, DictConfig, OmegaConf


@dataclass
class DBSchema:
    driver: str = MISSING
    user: str = MISSING
    port: int = MISSING


@dataclass
class MainSchema:
    db: DBSchema = MISSING
    debug: bool = False


cs = ConfigStore.instance()
cs.store(name="base_config", node=MainSchema)
cs.store(group="db", name="base_mysql", node=DBSchema)


@hydra.main(version_base=None, config_path="conf", config_name="config")
def my_app(cfg: DictConfig) -> None:
    print(OmegaConf.to_yaml(cfg))
    print("port is int:", isinstance(cfg.db.port, int))


if __name__ == "__main__":
    my_app()
