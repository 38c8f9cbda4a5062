"""A 2-D quadratic for the Optuna sweeper: the return value is the objective (minimum at 0, 0)."""

import confcompose
from confcompose import DictConfig


@confcompose.main(version_base=None, config_path="conf", config_name="config")
def sphere(cfg: DictConfig) -> float:
    x: float = cfg.x
    y: float = cfg.y
    return x**2 + y**2


if __name__ == "__main__":
    sphere()
