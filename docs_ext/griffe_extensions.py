"""griffe extensions for the API reference.

:class:`DoctestFences`: docstring ``>>>`` examples become ``pycon`` code. The docstrings are
rendered as Markdown, where a bare ``>>> cfg["a"]["b"]`` line would be a quote holding link
syntax; fencing each example keeps it verbatim and highlighted.

:class:`Overloads`: signatures decorated with ``confcompose._typing.overload`` (``typing.overload``
for type checkers, kept out of ``import confcompose`` at run time) are shown as overloads.
"""

from __future__ import annotations

from typing import Any

import griffe


def fence_examples(text: str) -> str:
    """Wrap every run of ``>>>``/``...`` lines and their output in a ``pycon`` fence."""
    out: list[str] = []
    in_example = False
    for line in text.splitlines():
        stripped = line.strip()
        if not in_example and stripped.startswith(">>>"):
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}```pycon")
            in_example = True
        elif in_example and not stripped:
            out.append(f"{indent}```")
            in_example = False
        out.append(line)
    if in_example:
        out.append(f"{indent}```")
    return "\n".join(out)


class DoctestFences(griffe.Extension):
    """Fence the doctest examples of every docstring."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None and ">>>" in obj.docstring.value:
            obj.docstring.value = fence_examples(obj.docstring.value)


class Overloads(griffe.Extension):
    """Collect ``confcompose._typing.overload`` stubs as the overloads of the implementation."""

    def on_function_instance(self, *, func: griffe.Function, **kwargs: Any) -> None:
        parent = func.parent
        if parent is None:
            return
        if any(d.callable_path.endswith("_typing.overload") for d in func.decorators):
            # The visitor hands the stubs gathered so far to the next definition of the same
            # name: take them back while that definition is itself a stub.
            parent.overloads[func.name] = [*(func.overloads or []), func]
            func.overloads = None
