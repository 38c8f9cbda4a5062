"""No version_base at all: Hydra warns and uses 1.1 defaults. Where it runs: the working directory, the output directory and the original cwd."""

import os
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.utils import get_original_cwd, to_absolute_path
from omegaconf import DictConfig


@hydra.main(config_path="conf", config_name="config")
def my_app(cfg: DictConfig) -> None:
    original = get_original_cwd()
    out = HydraConfig.get().runtime.output_dir
    print("in output dir:", os.path.samefile(os.getcwd(), out))
    print("in original cwd:", os.path.samefile(os.getcwd(), original))
    print("output dir under cwd:", os.path.relpath(out, original).startswith(("outputs", "custom")))
    print("absolute data:", os.path.relpath(to_absolute_path(cfg.data), original))
    print("chdir:", HydraConfig.get().job.chdir)
    Path("written.txt").write_text(f"{cfg.message}\n")


if __name__ == "__main__":
    my_app()
