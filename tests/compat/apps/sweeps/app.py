"""Multirun: sweeping groups and values from the command line or from hydra.sweeper.params."""

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig


@hydra.main(version_base=None, config_path="conf", config_name="config")
def my_app(cfg: DictConfig) -> float:
    hc = HydraConfig.get()
    print(f"job {hc.job.num}: db={cfg.db.driver} lr={cfg.lr} mode={hc.mode}")
    return cfg.lr * 2


if __name__ == "__main__":
    my_app()
