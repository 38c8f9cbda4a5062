"""The immutable AST of an interpolation string, below the parsers that build it.

Both the regex fast paths (``interpolation``) and the Lark transformer (``_interp_tx``) build
these nodes; the evaluator (``confcompose.resolve``) walks them. Import them from
:mod:`confcompose.parsing.interpolation`, which re-exports them with the parse functions.
"""

from __future__ import annotations

TYPE_CHECKING = False  # keep the typing module out of `import confcompose`
if TYPE_CHECKING:
    from typing import Any, TypeAlias

__all__ = ["Arg", "Call", "Concat", "Node", "Part", "Select", "Text"]


class AstNode:
    """Immutable AST node base: fields by position, ``text`` (source) left out of equality.

    A hand-written class rather than a dataclass: importing ``dataclasses`` costs several
    milliseconds of ``import confcompose``, and these nodes need nothing it offers.
    """

    __slots__: tuple[str, ...] = ()
    _fields: tuple[str, ...] = ()  # positional order (``__slots__`` order is not significant)
    _compared: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        names = self._fields
        values = dict(zip(names, args, strict=False))
        values.update(kwargs)
        for name in names:
            if name not in values:
                if name != "text":
                    raise TypeError(f"{type(self).__name__} needs {name!r}")
                values[name] = ""
            object.__setattr__(self, name, values[name])

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _key(self) -> tuple[Any, ...]:
        return tuple(getattr(self, n) for n in self._compared)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._key()))

    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in self._fields)
        return f"{type(self).__name__}({inner})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), tuple(getattr(self, n) for n in self._fields))


class Text(AstNode):
    """Literal text, escapes already processed: ``parse(r"\\${x}") == Text("${x}")``."""

    __slots__ = ("value",)
    _fields = ("value",)
    _compared = ("value",)
    value: str


class Select(AstNode):
    """A node reference: ``${a.b[0]}`` is ``Select(0, ("a", "b", "0"), "${a.b[0]}")``.

    ``relative`` counts the leading dots (0: from the root, 1: a sibling, 2: the parent's
    sibling, ...). A path part is a key (list indices stay strings) or a nested interpolation
    whose value names the key. ``text`` is the source text; it takes no part in equality.
    """

    __slots__ = ("path", "relative", "text")
    _fields = ("relative", "path", "text")
    _compared = ("relative", "path")
    relative: int
    path: tuple[Part, ...]
    text: str


class Call(AstNode):
    """A resolver call: ``${oc.env:HOME,1}`` is ``Call("oc.env", ("HOME", 1), ...)``.

    Arguments are typed as OmegaConf types them (see :data:`Arg`). ``text`` is the source text;
    it takes no part in equality.
    """

    __slots__ = ("args", "name", "text")
    _fields = ("name", "args", "text")
    _compared = ("name", "args")
    name: str
    args: tuple[Arg, ...]
    text: str


class Concat(AstNode):
    """String interpolation: ``parse("x_${a}")`` is ``Concat((Text("x_"), Select(0, ("a",))))``.

    Every part is turned into ``str`` and joined, also when there is a single part (a quoted
    resolver argument such as ``'${a}'``).
    """

    __slots__ = ("parts",)
    _fields = ("parts",)
    _compared = ("parts",)
    parts: tuple[Text | Select | Call, ...]


Node: TypeAlias = "Text | Select | Call | Concat"
Part: TypeAlias = "str | Concat | Select | Call"
# A resolver argument. Dict keys are typed like scalar arguments (``{1: a}`` has the key 1).
Arg: TypeAlias = (
    "bool | int | float | str | list[Arg] | dict[Any, Arg] | Select | Call | Concat | None"
)
