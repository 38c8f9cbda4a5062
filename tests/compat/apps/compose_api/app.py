"""The compose API: initialize / initialize_config_dir, compose with overrides, outside @main."""

import os
import sys

from hydra import compose, initialize, initialize_config_dir
from hydra.core.global_hydra import GlobalHydra
from omegaconf import OmegaConf

if __name__ == "__main__":
    overrides = sys.argv[1:]
    with initialize(version_base=None, config_path="conf", job_name="compose_app"):
        cfg = compose(config_name="config", overrides=overrides)
        print(OmegaConf.to_yaml(cfg))
        print("initialized:", GlobalHydra.instance().is_initialized())
        cfg2 = compose(config_name="config", overrides=["db=postgresql"], return_hydra_config=True)
        print("job:", cfg2.hydra.job.name, "choice:", cfg2.hydra.runtime.choices.db)
    print("after:", GlobalHydra.instance().is_initialized())
    conf_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), "conf")
    with initialize_config_dir(version_base=None, config_dir=conf_dir):
        print(OmegaConf.to_yaml(compose(config_name="config", overrides=["+extra=1"])))
