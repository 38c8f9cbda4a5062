"""The smallest app: one config file, printed as YAML; values read as attributes and items."""

import hydra
from omegaconf import DictConfig, OmegaConf


@hydra.main(version_base=None, config_path="conf", config_name="config")
def my_app(cfg: DictConfig) -> None:
    print(OmegaConf.to_yaml(cfg))
    print(f"driver={cfg.db.driver} user={cfg['db']['user']} port={cfg.db.port + 1}")
    print(sorted(OmegaConf.to_container(cfg, resolve=True)["db"].items()))


if __name__ == "__main__":
    my_app()
