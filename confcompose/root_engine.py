"""The engine of composed and attached configs: structured configs' rules loaded on first need.

A config root resolves its interpolations through an engine; structured configs add two rules
(a dataclass or attrs value becomes a typed node, an interpolation result is converted to the
declared type). Most processes never meet either: an app composing YAML files reads no schema
and stores no dataclass. :class:`RootEngine` applies the rules of :mod:`confcompose.structured`
and imports that module (~0.7 ms with its field specs) the first time one is needed.
"""

from __future__ import annotations

from confcompose.resolve import Engine

TYPE_CHECKING = False  # keep the typing module out of `import confcompose`
if TYPE_CHECKING:
    from typing import Any

    from confcompose.nodes import Container

__all__ = ["RootEngine"]


class RootEngine(Engine):
    """:class:`confcompose.structured.StructuredEngine`'s behaviour, its module imported when a
    typed value or an object first needs it."""

    __slots__ = ()

    def typed(self, container: Container, key: Any, raw: str, result: Any) -> Any:
        """Convert the value resolved from ``raw`` to the declared type of ``key``, if any."""
        from confcompose.structured import typed_result

        return typed_result(container, key, raw, result)

    def wrap_object(self, value: Any, parent: Container, key: Any) -> Any:
        """Dataclass/attrs instances and classes become typed nodes; other objects are refused."""
        from confcompose.structured import wrap_value

        return wrap_value(value, parent, key, super().wrap_object)
