"""An app written for Hydra, left as it is: `confcompose run my_app.py ARGS` runs it on confcompose.

(`python my_app.py ARGS` runs it on hydra-core, when that is installed.)
"""

import logging

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig, OmegaConf

log = logging.getLogger(__name__)


@hydra.main(version_base="1.3", config_path="conf", config_name="config")
def my_app(cfg: DictConfig) -> None:
    log.info("connecting to %s as %s", cfg.db.driver, cfg.db.user)
    print(OmegaConf.to_yaml(cfg))
    print("choices:", dict(HydraConfig.get().runtime.choices).get("db"))


if __name__ == "__main__":
    my_app()
