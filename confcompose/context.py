"""Explicit registries: :class:`Resolvers` (copy-on-write) and the :class:`Context` that holds them.

There is no process-global registry in the core: ``confcompose.api`` owns one default
:class:`Resolvers`, and every function that needs resolvers takes them explicitly.
"""

from __future__ import annotations

import _thread  # threading's own locks, without importing threading (~0.7 ms)
from collections.abc import Callable, Iterator, Mapping
from types import FunctionType, MappingProxyType, MethodType

from confcompose.errors import ConfigError

TYPE_CHECKING = False  # keep the typing module out of `import confcompose`
if TYPE_CHECKING:
    from typing import Any, NamedTuple

    class ResolverSpec(NamedTuple):
        """A registered resolver and what it asks for."""

        fn: Callable[..., Any]
        use_cache: bool
        wants_parent: bool
        wants_root: bool
        wants_node: bool

else:
    from collections import namedtuple

    ResolverSpec = namedtuple(
        "ResolverSpec", ("fn", "use_cache", "wants_parent", "wants_root", "wants_node")
    )


def _spec(fn: Callable[..., Any], use_cache: bool) -> ResolverSpec:
    params = _plain_parameters(fn)
    if params is None:
        import inspect  # only for wrapped or unusual callables: it costs several ms to import

        try:
            params = tuple(inspect.signature(fn).parameters)
        except (TypeError, ValueError):  # builtins without a signature take positional args only
            params = ()
    return ResolverSpec(fn, use_cache, "_parent_" in params, "_root_" in params, "_node_" in params)


def _plain_parameters(fn: Callable[..., Any]) -> tuple[str, ...] | None:
    """The parameter names of a plain function, bound method or instance with a ``__call__``
    method, read from the code object (the names ``inspect.signature`` lists, in another order);
    None for anything else (wrappers, partials, classes), which ``inspect`` handles."""
    if hasattr(fn, "__wrapped__") or hasattr(fn, "__signature__"):
        return None
    bound = 0
    if type(fn) is MethodType:  # a bound method: its first parameter is taken
        fn, bound = fn.__func__, 1
    elif type(fn) is not FunctionType and type(type(fn).__call__) is FunctionType:
        fn, bound = type(fn).__call__, 1  # an instance with a __call__ method
    if type(fn) is not FunctionType:
        return None
    code = fn.__code__
    if code.co_argcount < bound:
        return None
    count = code.co_argcount + code.co_kwonlyargcount
    count += bool(code.co_flags & 0x04) + bool(code.co_flags & 0x08)  # *args, **kwargs
    return tuple(code.co_varnames[bound:count])


class Resolvers:
    """A registry of interpolation resolvers (``${name:args}``).

    Registration swaps in a new immutable mapping under a lock, so readers never lock and a
    snapshot taken by ``compose`` stays stable while other threads register.

    >>> r = Resolvers()
    >>> r.register("plus", lambda a, b: a + b)
    >>> "plus" in r
    True
    """

    def __init__(self, resolvers: Mapping[str, ResolverSpec] | None = None) -> None:
        self._map: Mapping[str, ResolverSpec] = MappingProxyType(dict(resolvers or {}))
        self._lock = _thread.allocate_lock()

    def register(
        self,
        name: str,
        fn: Callable[..., Any],
        *,
        replace: bool = False,
        use_cache: bool = False,
    ) -> None:
        """Register ``fn`` as the resolver ``name`` (``replace=True`` to overwrite one)."""
        if not isinstance(name, str) or not name:
            raise ConfigError(f"invalid resolver name {name!r}", expected="a non-empty string")
        if not callable(fn):
            raise ConfigError(f"resolver {name!r} is not callable", expected="a function")
        with self._lock:
            if name in self._map and not replace:
                raise ConfigError(
                    f"resolver {name!r} is already registered; pass replace=True to replace it"
                )
            new = dict(self._map)
            new[name] = _spec(fn, use_cache)
            self._map = MappingProxyType(new)

    def unregister(self, name: str) -> None:
        """Remove the resolver ``name`` (no error if absent)."""
        with self._lock:
            if name in self._map:
                new = dict(self._map)
                del new[name]
                self._map = MappingProxyType(new)

    def get(self, name: str) -> ResolverSpec | None:
        """The resolver registered as ``name``, or ``None``."""
        return self._map.get(name)

    def names(self) -> list[str]:
        """Registered resolver names, sorted."""
        return sorted(self._map)

    def copy(self) -> Resolvers:
        """An independent registry with the same resolvers."""
        return Resolvers(self._map)

    def __contains__(self, name: object) -> bool:
        return name in self._map

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._map))

    def __len__(self) -> int:
        return len(self._map)

    def __reduce__(self) -> Any:
        # The default registry travels as a reference: the receiving process uses its own
        # default (whose resolvers may be lambdas that cannot be pickled anyway).
        if _default is not None and self is _default.resolvers:
            return (_default_resolvers, ())
        return (Resolvers, (), {"map": dict(self._map)})

    def __setstate__(self, state: dict[str, Any]) -> None:
        self._map = MappingProxyType(state["map"])
        self._lock = _thread.allocate_lock()


class Context:
    """What composition and resolution need besides the config itself: a :class:`Resolvers`
    registry, a config store and free-form ``options`` for the application's own use.

    Pass one as ``context=`` to :func:`confcompose.create`, ``load``, ``merge`` and
    ``register_resolver`` instead of ``resolvers=``, to keep an application's registry apart
    from the default one (:func:`default_context`) in one object.

    >>> import confcompose
    >>> ctx = Context(builtin_resolvers())
    >>> confcompose.register_resolver("twice", lambda x: 2 * x, context=ctx)
    >>> confcompose.create({"a": "${twice:21}"}, context=ctx).a
    42
    """

    __slots__ = ("options", "resolvers", "store")

    def __init__(
        self,
        resolvers: Resolvers | None = None,
        store: Any = None,
        options: dict[str, Any] | None = None,
    ) -> None:
        self.resolvers = resolvers if resolvers is not None else Resolvers()
        self.store = store
        self.options = dict(options or {})

    def __repr__(self) -> str:
        return f"Context(resolvers={self.resolvers.names()!r}, store={self.store!r})"


_default: Context | None = None
_default_lock = _thread.allocate_lock()


def builtin_resolvers() -> Resolvers:
    """A new registry holding only the built-in ``oc.*`` resolvers.

    >>> "oc.env" in builtin_resolvers()
    True
    """
    from confcompose.resolvers import BUILTINS

    resolvers = Resolvers()
    for name, fn in BUILTINS.items():
        resolvers.register(name, fn)
    return resolvers


def default_context() -> Context:
    """The default context (built on first use): what ``register_resolver`` and ``compose`` use
    when no explicit registry is passed. It is the only shared instance; pass your own
    :class:`Resolvers` to keep applications apart.
    """
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                _default = Context(resolvers=builtin_resolvers())
    return _default


def _default_resolvers() -> Resolvers:
    return default_context().resolvers
