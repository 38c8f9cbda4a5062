"""hydra.job.override_dirname in run and sweep directories, with excluded keys."""

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig


@hydra.main(version_base=None, config_path="conf", config_name="config")
def my_app(cfg: DictConfig) -> None:
    print("override_dirname:", HydraConfig.get().job.override_dirname)
    print("seed:", cfg.seed, "lr:", cfg.lr, "batch:", cfg.batch_size)


if __name__ == "__main__":
    my_app()
