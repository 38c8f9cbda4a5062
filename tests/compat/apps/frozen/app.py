"""A frozen dataclass as the primary config: its fields cannot be overridden (a read-only node)."""

from dataclasses import dataclass

import hydra
from hydra.core.config_store import ConfigStore
from omegaconf import OmegaConf


@dataclass(frozen=True)
class SerialPort:
    baud_rate: int = 19200
    data_bits: int = 8
    stop_bits: int = 1


ConfigStore.instance().store(name="config", node=SerialPort)


@hydra.main(version_base=None, config_name="config")
def my_app(cfg: SerialPort) -> None:
    print(OmegaConf.to_yaml(cfg))
    print("read-only:", OmegaConf.is_readonly(cfg))
    print(OmegaConf.to_object(cfg))


if __name__ == "__main__":
    my_app()
