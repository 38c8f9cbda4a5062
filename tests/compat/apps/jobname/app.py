"""Job names: from the file name by default, hydra.job.name from the config or the command line."""

import logging

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

log = logging.getLogger(__name__)


@hydra.main(version_base=None, config_path="conf", config_name="config")
def my_app(cfg: DictConfig) -> None:
    name = HydraConfig.get().job.name
    log.info("job name %s", name)
    print("job name:", name, "config name:", HydraConfig.get().job.config_name)


if __name__ == "__main__":
    my_app()
