"""A recursive schema (a tree of Optional[Tree] nodes) filled by YAML, then instantiated."""

from dataclasses import dataclass
from typing import Any, Optional

import hydra
from hydra.core.config_store import ConfigStore
from hydra.utils import instantiate
from omegaconf import MISSING


class Node:
    def __init__(self, value: int, left: Any = None, right: Any = None) -> None:
        self.value, self.left, self.right = value, left, right

    def total(self) -> int:
        return self.value + sum(c.total() for c in (self.left, self.right) if c is not None)


@dataclass
class Tree:
    _target_: str = "__main__.Node"
    value: int = MISSING
    left: Optional["Tree"] = None
    right: Optional["Tree"] = None


@dataclass
class Config:
    tree: Tree = MISSING


ConfigStore.instance().store(name="config_schema", node=Config)


@hydra.main(version_base=None, config_path="conf", config_name="config")
def my_app(cfg: Any) -> None:
    root = instantiate(cfg.tree)
    print(type(root).__name__, root.total(), type(root.left).__name__)


if __name__ == "__main__":
    my_app()
