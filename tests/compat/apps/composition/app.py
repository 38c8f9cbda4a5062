"""Several groups composed into one config, with interpolations across them."""

import hydra
from omegaconf import DictConfig, OmegaConf


@hydra.main(version_base=None, config_path="conf", config_name="config")
def my_app(cfg: DictConfig) -> None:
    print(OmegaConf.to_yaml(cfg, resolve=True))
    print("tables:", ", ".join(t.name for t in cfg.schema.tables))


if __name__ == "__main__":
    my_app()
