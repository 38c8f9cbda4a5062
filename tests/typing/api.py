"""The core API's types as a user sees them (checked by mypy --strict only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import reveal_type

import confcompose
from confcompose import DictConfig, ListConfig


@dataclass
class DB:
    user: str = "omry"
    port: int = 3306


@dataclass
class Config:
    db: DB = field(default_factory=DB)
    hosts: list[str] = field(default_factory=list)


d = confcompose.create({"a": 1})
reveal_type(d)  # revealed: DictNode
reveal_type(confcompose.create())  # revealed: DictNode
reveal_type(confcompose.create(Config))  # revealed: DictNode
reveal_type(confcompose.create(Config()))  # revealed: DictNode
reveal_type(confcompose.create([1, 2]))  # revealed: ListNode
reveal_type(confcompose.create((1, 2)))  # revealed: ListNode
reveal_type(confcompose.create("a: 1"))  # revealed: DictNode | ListNode
reveal_type(confcompose.create(d))  # revealed: DictNode
reveal_type(confcompose.load("config.yaml"))  # revealed: DictNode | ListNode
reveal_type(confcompose.compose("conf", ["db=mysql"]))  # revealed: DictNode
reveal_type(confcompose.Composer("conf").compose())  # revealed: DictNode
reveal_type(confcompose.merge(d, {"b": 2}, "c: 3"))  # revealed: DictNode
reveal_type(confcompose.merge(Config, {"db": {"port": 1}}))  # revealed: DictNode
reveal_type(confcompose.merge([1], [2]))  # revealed: ListNode
reveal_type(confcompose.merge("a: 1", {"b": 2}))  # revealed: DictNode | ListNode
reveal_type(confcompose.to_container(d))  # revealed: dict[Any, Any]
reveal_type(confcompose.to_container(confcompose.create([1])))  # revealed: list[Any]
reveal_type(confcompose.to_container(d.a))  # revealed: Any
reveal_type(confcompose.to_yaml(d))  # revealed: str
loc = confcompose.where(d, "a")
reveal_type(loc.format() if loc else None)  # revealed: str | None
reveal_type(confcompose.history(d, "a")[0].line)  # revealed: int | None
reveal_type(confcompose.is_missing(d, "a"))  # revealed: bool
reveal_type(confcompose.parse_override("a=1"))  # revealed: confcompose.parsing.overrides.Override


def annotated(cfg: DictConfig, items: ListConfig) -> None:
    reveal_type(cfg.anything)  # revealed: Any
    reveal_type(cfg["anything"])  # revealed: Any
    reveal_type(items[0])  # revealed: Any
