"""A dataclass schema mirroring a composed config, for the structured-compose workload."""

from __future__ import annotations

import dataclasses
import keyword
from typing import Any, Optional


def schema_for(data: dict[str, Any], name: str = "Root") -> type:
    """Nested dataclasses whose fields have the types (and defaults) of ``data``'s values."""
    fields: list[tuple[str, Any, Any]] = []
    for key, value in data.items():
        if not isinstance(key, str) or not key.isidentifier() or keyword.iskeyword(key):
            raise ValueError(f"key {key!r} cannot be a dataclass field")
        fields.append((key, *_field(value, f"{name}_{key}")))
    return dataclasses.make_dataclass(name, fields)


def _field(value: Any, name: str) -> tuple[Any, Any]:
    if isinstance(value, dict):
        sub = schema_for(value, name)
        return sub, dataclasses.field(default_factory=sub)
    if isinstance(value, list):
        return list, dataclasses.field(default_factory=lambda v=value: list(v))
    if value is None:
        return Optional[Any], dataclasses.field(default=None)  # noqa: UP045 - runtime type
    return type(value), dataclasses.field(default=value)
