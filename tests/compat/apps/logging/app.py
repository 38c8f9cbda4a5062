"""Logging from a job: the default job_logging, a custom one, and hydra.verbose."""

import logging

import hydra
from omegaconf import DictConfig

log = logging.getLogger(__name__)
other = logging.getLogger("my.lib")


@hydra.main(version_base=None, config_path="conf", config_name="config")
def my_app(cfg: DictConfig) -> None:
    log.debug("debug from the app")
    log.info("info from the app: %s", cfg.name)
    log.warning("warning from the app")
    other.debug("debug from a library")
    other.info("info from a library")
    print("printed", cfg.name)


if __name__ == "__main__":
    my_app()
