"""A user's app: @confcompose.main on a typed task function (checked by mypy --strict only)."""

from __future__ import annotations

from typing import reveal_type

import confcompose
from confcompose import DictConfig


@confcompose.main(version_base=None, config_path="conf", config_name="config")
def app(cfg: DictConfig) -> None:
    print(cfg.db.user)
    rt = confcompose.runtime()
    reveal_type(rt)  # revealed: confcompose.app.runs.Runtime
    reveal_type(rt.output_dir)  # revealed: str
    reveal_type(confcompose.to_absolute_path("data"))  # revealed: str


@confcompose.main(config_path=None, standalone=False)
def train(cfg: DictConfig) -> float:
    return float(cfg.lr)


if __name__ == "__main__":
    app()
    reveal_type(app())  # revealed: Any
    reveal_type(app(argv=["db.user=root"]))  # revealed: Any
    reveal_type(app(confcompose.create({"db": {"user": "x"}})))  # revealed: None
    reveal_type(train(confcompose.create({"lr": 0.1})))  # revealed: float
    reveal_type(train.app)  # revealed: confcompose.app.main.App
