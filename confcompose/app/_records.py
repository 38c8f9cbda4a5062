"""Small record classes for the app layer, without ``dataclasses``.

Importing ``dataclasses`` pulls in ``inspect`` and ``ast`` (~15 ms), paid by every run of a
decorated script; these records need only an ``__init__`` from the annotated fields, equality
and a repr.
"""

from __future__ import annotations

TYPE_CHECKING = False  # keep the typing module off the start-up path
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    from typing_extensions import dataclass_transform

    T = TypeVar("T", bound=type)
else:

    def dataclass_transform(**_: Any) -> Any:
        return lambda fn: fn


_MISSING: Any = object()


@dataclass_transform()
def record(
    *, frozen: bool = False, hidden: tuple[str, ...] = (), slots: bool = False
) -> Callable[[T], T]:
    """Class decorator: fields are the class's annotations, in order; defaults are class values.

    ``hidden`` fields are left out of the repr; ``frozen`` records refuse attribute changes;
    ``slots`` records have no ``__dict__`` (a small object, for records kept by the thousand).
    """

    def wrap(cls: T) -> T:
        # The class's own annotations (not inspect.get_annotations: inspect is what we avoid).
        own = cls.__dict__.get("__annotations__", {})  # noqa: RUF063
        names = tuple(n for n in own if not n.startswith("_"))
        defaults = {n: cls.__dict__[n] for n in names if n in cls.__dict__}
        if slots:
            # A slot and a class value cannot share a name: make the class again, without them.
            skip = {*names, "__dict__", "__weakref__"}
            ns = {k: v for k, v in cls.__dict__.items() if k not in skip}
            ns["__slots__"] = names
            cls = type(cls)(cls.__name__, cls.__bases__, ns)

        def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
            if len(args) > len(names):
                raise TypeError(f"{cls.__name__} takes at most {len(names)} arguments")
            values = dict(zip(names, args, strict=False))
            for key, value in kwargs.items():
                if key not in names or key in values:
                    raise TypeError(f"{cls.__name__}: unexpected or repeated argument {key!r}")
                values[key] = value
            for name in names:
                value = values.get(name, defaults.get(name, _MISSING))
                if value is _MISSING:
                    raise TypeError(f"{cls.__name__} needs {name!r}")
                object.__setattr__(self, name, value)

        def __repr__(self: Any) -> str:
            shown = ", ".join(f"{n}={getattr(self, n)!r}" for n in names if n not in hidden)
            return f"{cls.__name__}({shown})"

        def __eq__(self: Any, other: object) -> bool:
            if type(other) is not type(self):
                return NotImplemented
            return all(getattr(self, n) == getattr(other, n) for n in names)

        cls.__init__ = __init__  # type: ignore[misc]
        cls.__repr__ = __repr__  # type: ignore[assignment,method-assign]
        cls.__eq__ = __eq__  # type: ignore[assignment,method-assign]
        cls.__hash__ = None  # type: ignore[assignment]
        cls._fields = names  # type: ignore[attr-defined]
        if frozen:

            def __setattr__(self: Any, name: str, value: Any) -> None:
                raise AttributeError(f"{cls.__name__} is read-only")

            cls.__setattr__ = __setattr__  # type: ignore[assignment,method-assign]
        return cls

    return wrap


def replace(obj: Any, **changes: Any) -> Any:
    """A copy of a record with some fields changed (``dataclasses.replace`` for records)."""
    values = {n: getattr(obj, n) for n in obj._fields}
    values.update(changes)
    return type(obj)(**values)
