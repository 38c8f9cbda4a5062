"""Configs pass where a Mapping or a Sequence is expected, with no cast (mypy --strict only)."""

from __future__ import annotations

import json
from collections.abc import Mapping, MutableMapping, MutableSequence, Sequence
from typing import Any, reveal_type

import confcompose


def count_keys(m: Mapping[str, Any]) -> int:
    return len(m)


def total(xs: Sequence[Any]) -> int:
    return len(xs)


def fill(m: MutableMapping[str, Any], s: MutableSequence[Any]) -> None:
    m["x"] = 1
    s.append(2)


cfg = confcompose.create({"items": [1, 2], "n": 3})
hosts = confcompose.create(["a", "b"])
count_keys(cfg)
total(hosts)
fill(cfg, hosts)
print(json.dumps(dict(cfg)), dict(**cfg))
reveal_type(cfg.items())  # revealed: typing.ItemsView[Any, Any]
reveal_type(cfg.keys())  # revealed: typing.KeysView[Any]
reveal_type(cfg.get("n"))  # revealed: Any
reveal_type(list(hosts))  # revealed: list[Any]
