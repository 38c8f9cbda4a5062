"""Evaluation of parsed ``${...}`` expressions against a node tree.

An :class:`Engine` is attached to each root config; nodes call it when a value contains ``${``.
Each text is compiled once into a program (``confcompose.evaluator``), cached by the text, so
evaluating the same expression in many configs never re-parses it; the AST walker here is the
reference those programs fall back on. Cycles are detected with a per-thread record of the keys
being resolved and reported as ``a -> b -> a``.

The tree is read through ``confcompose.tree`` except on the hot path (``Engine.resolve``), where
a function call per access would show: there it reads the node slots directly.
"""

from __future__ import annotations

import _thread  # threading's local is _thread._local; threading itself costs ~0.7 ms
import functools

import confcompose.tree as tree
from confcompose.context import Resolvers, ResolverSpec
from confcompose.errors import (
    ConfigError,
    InterpolationCycleError,
    InterpolationError,
    InterpolationKeyError,
    InterpolationMissingError,
    InterpolationSyntaxError,
    MissingValueError,
    ResolverError,
    UnknownResolverError,
    UnsupportedValueError,
    ValidationError,
    suggestions,
)
from confcompose.evaluator import compile_node, compile_text
from confcompose.location import Location
from confcompose.merge import merge_into, set_path
from confcompose.nodes import MISSING, Container, DictNode, ListNode
from confcompose.parsing.interpolation import Call, Concat, Select, Text, parse

TYPE_CHECKING = False  # keep the typing module out of `import confcompose`
if TYPE_CHECKING:
    from typing import Any, ClassVar


class _Frame:
    """Resolution state of one thread: the keys being resolved, outermost first."""

    __slots__ = ("active", "calls", "limit", "memo", "pure", "steps")

    def __init__(self) -> None:
        # (id(container), key) -> container of each value being resolved, outermost first: one
        # dict serves both the cycle check (membership) and the cycle report (its order).
        self.active: dict[tuple[int, Any], Container] = {}
        # Values resolved during the current outermost resolution (the container is kept so its
        # id is not reused): a key referenced 2**n times through a fan-out is evaluated once.
        self.memo: dict[tuple[int, Any], tuple[Container, Any]] = {}
        self.steps = 0
        self.limit = 0  # max_steps(), read when an outermost resolution or a pass starts
        # During a whole-tree pass (Engine.pass_memo: to_container), the values whose
        # evaluation called no resolver, kept across outermost resolutions with the raw text
        # they came from: a chain a -> b -> c is evaluated once, not once per key that ends
        # in it. Resolver results are never kept (a resolver may answer differently).
        self.pure: dict[tuple[int, Any], tuple[Container, str, Any]] | None = None
        self.calls = 0  # resolver calls so far (a value is pure when it made none)


def _env_limit(name: str, default: int) -> int:
    import os

    try:
        value = int(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


@functools.cache
def max_steps() -> int:
    """Interpolations evaluated for one value (``CONFCOMPOSE_MAX_INTERP_STEPS``, default 1e6)."""
    return _env_limit("CONFCOMPOSE_MAX_INTERP_STEPS", 1_000_000)


@functools.cache
def max_chars() -> int:
    """Longest text an interpolation may build (``CONFCOMPOSE_MAX_INTERP_CHARS``, default 1e7)."""
    return _env_limit("CONFCOMPOSE_MAX_INTERP_CHARS", 10_000_000)


class Engine:
    """Resolves interpolations for one config tree using a :class:`Resolvers` registry."""

    __slots__ = ("_cache", "_local", "resolvers")

    def __init__(self, resolvers: Resolvers) -> None:
        self.resolvers = resolvers
        self._cache: dict[tuple[str, str], Any] = {}
        self._local = _thread._local()

    def __getstate__(self) -> dict[str, Any]:
        return {"resolvers": self.resolvers}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.resolvers = state["resolvers"]
        self._cache = {}
        self._local = _thread._local()

    def merge(self, dst: Container, src: Any, origin: Location) -> None:
        """Merge ``src`` (a config, plain data or an object this engine stores) into ``dst``."""
        if not isinstance(src, Container):
            src = self._node(src, origin)
        merge_into(dst, src)

    def apply_dotlist(self, dst: Container, dotlist: Any, origin: Location) -> None:
        """Set each ``key=value`` of ``dotlist`` in ``dst`` (values read as YAML; a bare ``key``
        sets ``None``)."""
        from confcompose.parsing.yaml import load_value  # ruamel only when used

        if not isinstance(dotlist, list | tuple) or not all(isinstance(a, str) for a in dotlist):
            raise ValidationError(
                f"expected a list of 'key=value' strings, not {type(dotlist).__name__}"
            )
        for arg in dotlist:
            key, sep, text = arg.partition("=")
            set_path(dst, key, load_value(text) if sep else None, origin)

    def _node(self, value: Any, origin: Location) -> Container:
        if value is None:
            return tree.new_dict()
        node: Container
        if isinstance(value, dict):
            node = tree.new_dict()
        elif isinstance(value, list | tuple):
            # Items are stored one by one (a list index must exist before it is stored).
            node = tree.new_list([None] * len(value), [origin] * len(value))
        else:
            return self.wrap_object(value, tree.new_dict(), "")  # type: ignore[no-any-return]
        # Built under this engine so that values needing it (dataclasses) can be stored.
        tree.set_engine(node, self)
        try:
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for k, v in items:
                tree.store(node, k, v, origin)
        finally:
            tree.set_engine(node, None)
        return node

    def _frame(self) -> _Frame:
        try:
            frame: _Frame = self._local.frame
        except AttributeError:
            frame = self._local.frame = _Frame()
        return frame

    def pass_memo(self, on: bool) -> bool:
        """Start (``on``) or end a whole-tree pass, in which resolver-free values are kept
        across keys; whether this call started it (only the starter ends it)."""
        frame = self._frame()
        if on:
            if frame.pure is not None:
                return False
            frame.pure = {}
            frame.limit = max_steps()  # read once per pass, not once per key
            return True
        frame.pure = None
        return True

    # -- entry point (called by nodes) ---------------------------------------------------
    def resolve(self, container: Container, key: Any, raw: str) -> Any:
        """The value of the interpolation string ``raw`` stored at ``container[key]``."""
        try:
            frame: _Frame = self._local.frame
        except AttributeError:
            frame = self._frame()
        ident = (id(container), key)
        pure = frame.pure
        if pure is not None:
            kept = pure.get(ident)
            if kept is not None and kept[1] is raw:  # the same text is still stored there
                return kept[2]
        active = frame.active
        if active:
            hit = frame.memo.get(ident)
            if hit is not None:
                return hit[1]
            frame.steps += 1
            if frame.steps > frame.limit:
                raise self._budget_error(frame)
            if ident in active:
                raise self._cycle_error(frame, container, key)
        elif pure is None:
            frame.limit = max_steps()
        program = self._programs.get(raw)
        if program is None:
            program = self._compile(raw, container, key)
        active[ident] = container
        calls = frame.calls
        try:
            value = program(self, container, key)
            if container._schema is not None:
                value = self.typed(container, key, raw, value)
        except RecursionError:
            if len(active) > 1:
                raise  # unwind to the outermost interpolation, which reports it
            raise InterpolationError(
                "interpolation chain too deep (Python's recursion limit was reached); "
                "shorten the chain of ${...} references",
                key_path=tree.child_path(container, key),
                location=tree.origin(container, key),
            ) from None
        finally:
            del active[ident]
        if active:
            frame.memo[ident] = (container, value)
        else:
            frame.steps = 0
            if frame.memo:
                frame.memo = {}
        if pure is not None and frame.calls == calls:
            pure[ident] = (container, raw, value)
        return value

    def typed(self, container: Container, key: Any, raw: str, result: Any) -> Any:
        """``result``, resolved from ``raw`` at ``container[key]``, converted to the type that
        ``container``'s schema declares (called only for containers with a schema; structured
        configs implement it)."""
        del container, key, raw
        return result

    # Programs (see confcompose.evaluator) by source text; a pure function of the text.
    _programs: ClassVar[dict[str, Any]] = {}

    def _compile(self, raw: str, container: Container, key: Any) -> Any:
        program = compile_text(raw) or compile_node(self._parse(raw, container, key))
        programs = self._programs
        if len(programs) >= _MAX_PROGRAMS:
            programs.clear()  # texts of configs no longer in use, most likely
        programs[raw] = program
        return program

    def _parse(self, raw: str, container: Container, key: Any) -> Any:
        """The AST of ``raw``; a syntax error names ``container[key]`` and its location."""
        try:
            return parse(raw)
        except InterpolationSyntaxError as e:
            raise InterpolationSyntaxError(
                e.msg,
                key_path=tree.child_path(container, key),
                location=_column_location(tree.origin(container, key), e),
                expected=e.expected,
                context=e.context,
            ) from None

    def wrap_object(self, value: Any, parent: Container, key: Any) -> Any:
        """Objects of other types are not config values (structured configs extend this)."""
        raise UnsupportedValueError(
            f"unsupported value type {type(value).__name__}",
            key_path=tree.child_path(parent, key),
            expected="a plain value (str, int, float, bool, None, bytes, Path, Enum), "
            "a dict or a list",
        )

    def _budget_error(self, frame: _Frame) -> InterpolationError:
        (_, key), container = next(iter(frame.active.items()))
        return InterpolationError(
            f"resolving this value took more than {max_steps()} interpolation steps (a key "
            "referenced many times over, e.g. a: ${b}${b}, b: ${c}${c}, ...); raise "
            "CONFCOMPOSE_MAX_INTERP_STEPS if the config is right",
            key_path=tree.child_path(container, key),
            location=tree.origin(container, key),
        )

    def _cycle_error(self, frame: _Frame, container: Container, key: Any) -> InterpolationError:
        stack = [(c, k) for (_, k), c in frame.active.items()]
        paths = [tree.child_path(c, k) for c, k in stack]
        start = next(i for i, (c, k) in enumerate(stack) if c is container and k == key)
        cycle = [*paths[start:], tree.child_path(container, key)]
        return InterpolationCycleError(
            "interpolation cycle: " + " -> ".join(cycle),
            key_path=cycle[0],
            location=tree.origin(container, key),
        )

    # -- evaluation ------------------------------------------------------------------------
    def evaluate(self, ast: Any, container: Container, key: Any) -> Any:
        """Evaluate a parsed expression found at ``container[key]``."""
        kind = type(ast)
        if kind is Select:
            return self._select(ast, container, key)
        if kind is Call:
            return self._call(ast, container, key)
        if kind is Concat:
            text = "".join(_to_text(self.evaluate(p, container, key)) for p in ast.parts)
            self.check_length(text, container, key)
            return text
        if kind is Text:
            return ast.value
        return self._arg(ast, container, key)

    def check_length(self, text: str, container: Container, key: Any) -> None:
        """Refuse a text longer than ``max_chars()`` built by an interpolation."""
        if len(text) > max_chars():
            raise self._error(
                InterpolationError,
                f"an interpolation built a text of {len(text)} characters, over the limit of "
                f"{max_chars()} (raise CONFCOMPOSE_MAX_INTERP_CHARS if the config is right)",
                container,
                key,
            )

    def _arg(self, value: Any, container: Container, key: Any) -> Any:
        if isinstance(value, Select | Call | Concat | Text):
            return self.evaluate(value, container, key)
        if isinstance(value, list):
            return [self._arg(v, container, key) for v in value]
        if isinstance(value, dict):
            return {k: self._arg(v, container, key) for k, v in value.items()}
        return value

    def _part(self, part: Any, container: Container, key: Any) -> str:
        if isinstance(part, str):
            return part
        return _to_text(self.evaluate(part, container, key))

    def _select(self, ast: Select, container: Container, key: Any) -> Any:
        node: Container | None
        if ast.relative == 0:
            node = tree.root(container)
        else:
            node = tree.up(container, ast.relative - 1)
            if node is None:
                raise self._error(
                    InterpolationKeyError,
                    f"interpolation {ast.text!r}: relative key goes above the root",
                    container,
                    key,
                )
        found = self._select_plain(node, ast.path)
        if found is not _ABSENT:
            return found
        value: Any = node
        parts: Any = ast.path
        for p in parts:
            if type(p) is not str:  # a key that is itself an interpolation: evaluate the parts
                parts = [self._part(q, container, key) for q in ast.path]
                break
        for i, part in enumerate(parts):
            if not isinstance(value, Container):
                raise self._error(
                    InterpolationKeyError,
                    f"interpolation {ast.text!r}: {'.'.join(parts[:i])!r} is not a config node",
                    container,
                    key,
                )
            value = self._child(value, part, ast, container, key)
        return value

    def _select_plain(self, node: Container, path: tuple[Any, ...]) -> Any:
        # The common walk (text keys through plain dicts, to a value or one more
        # interpolation) without the checks of the general one; _ABSENT sends anything else
        # (lists, other key types, a missing key or value, an interpolation midway) there.
        value: Any = node
        last = len(path) - 1
        for i, part in enumerate(path):
            if type(value) is not DictNode or type(part) is not str:
                return _ABSENT
            raw = tree.content(value).get(part, _ABSENT)
            if type(raw) is str:
                if raw == MISSING:
                    return _ABSENT
                if "${" in raw:
                    return self.resolve(value, part, raw) if i == last else _ABSENT
            elif raw is _ABSENT:
                return _ABSENT
            value = raw
        return value

    def _child(
        self, node: Container, part: str, ast: Select, container: Container, key: Any
    ) -> Any:
        content = tree.content(node)
        if isinstance(node, DictNode):
            k: Any = part
            if part not in content:
                k = _coerce_key(part, content)
            if k is _ABSENT:
                raise self._error(
                    InterpolationKeyError,
                    f"interpolation {ast.text!r}: no key {part!r} in {_where(node)}",
                    container,
                    key,
                    suggestions(part, [c for c in content if isinstance(c, str)]),
                )
        else:
            assert isinstance(node, ListNode)
            try:
                k = int(part)
                if k < 0:  # OmegaConf does not count from the end in interpolations
                    raise ValueError(part)
                node._index(k)
            except (ValueError, ConfigError):
                raise self._error(
                    InterpolationKeyError,
                    f"interpolation {ast.text!r}: no index {part!r} in {_where(node)} "
                    f"(length {len(content)})",
                    container,
                    key,
                ) from None
        raw = content[k]
        if type(raw) is not str:
            return raw
        if raw == MISSING:
            raise self._error(
                InterpolationMissingError,
                f"interpolation {ast.text!r} points at {tree.child_path(node, k)!r}, "
                "which is missing ('???')",
                container,
                key,
            )
        # Straight to this engine (it is the root's): no walk up to find it.
        return self.resolve(node, k, raw) if "${" in raw else raw

    def _call(
        self, ast: Call, container: Container, key: Any, programs: tuple[Any, ...] | None = None
    ) -> Any:
        """Call the resolver of ``ast``; ``programs`` (compiled arguments) replace evaluating
        ``ast.args``."""
        self._frame().calls += 1
        spec = self.resolvers.get(ast.name)
        if spec is None:
            raise self._error(
                UnknownResolverError,
                f"interpolation {ast.text!r}: unknown resolver {ast.name!r}; registered: "
                + (", ".join(self.resolvers.names()) or "none"),
                container,
                key,
                suggestions(ast.name, self.resolvers.names()),
            )
        if spec.use_cache:
            cache_key = (ast.name, ast.text)
            if cache_key in self._cache:
                return self._cache[cache_key]
        if programs is None:
            args = [self._arg(a, container, key) for a in ast.args]
        else:
            args = [p(self, container, key) for p in programs]
        result = self._invoke(spec, ast, args, container, key)
        if isinstance(result, dict | list | tuple):
            result = _attach(result, container)
        if spec.use_cache:
            self._cache[(ast.name, ast.text)] = result
        return result

    def _invoke(
        self, spec: ResolverSpec, ast: Call, args: list[Any], container: Container, key: Any
    ) -> Any:
        kwargs: dict[str, Any] = {}
        if spec.wants_parent:
            kwargs["_parent_"] = container
        if spec.wants_root:
            kwargs["_root_"] = tree.root(container)
        if spec.wants_node:
            kwargs["_node_"] = _NodeRef(container, key)
        try:
            return spec.fn(*args, **kwargs)
        except ConfigError as e:
            if e.key_path is not None or e.location is not None:
                raise  # already placed (a nested interpolation failed)
            raise type(e)(
                f"interpolation {ast.text!r}: {_redact(e.msg, ast.args, args)}",
                key_path=tree.child_path(container, key),
                location=tree.origin(container, key),
                expected=e.expected,
                suggestions=e.suggestions,
                context=_redact(e.context, ast.args, args) if e.context else None,
            ) from None
        except Exception as e:
            text = _redact(str(e), ast.args, args)
            raise self._error(
                ResolverError,
                f"interpolation {ast.text!r}: resolver {ast.name!r} raised {type(e).__name__}: "
                + text,
                container,
                key,
            ) from e

    def _error(
        self,
        cls: type[InterpolationError],
        msg: str,
        container: Container,
        key: Any,
        close: list[str] | None = None,
    ) -> InterpolationError:
        return cls(
            msg,
            key_path=tree.child_path(container, key),
            location=tree.origin(container, key),
            suggestions=close or (),
        )


def _redact(text: str, asts: Any, values: list[Any]) -> str:
    """``text`` without the values of arguments computed by interpolations (secrets such as
    ``${oc.env:TOKEN}`` must not reach logs through an error message)."""
    for ast, value in zip(asts, values, strict=False):
        if isinstance(ast, Select | Call | Concat) and not isinstance(value, Container):
            shown = str(value)
            if len(shown) >= 3 and shown in text:
                source = getattr(ast, "text", "an interpolated argument")
                text = text.replace(shown, f"<hidden: value of {source}>")
    return text


class _NodeRef:
    """What a resolver asking for ``_node_`` gets: the key being resolved and its parent."""

    __slots__ = ("key", "parent")

    def __init__(self, parent: Container, key: Any) -> None:
        self.parent = parent
        self.key = key

    def full_key(self) -> str:
        """The full key path of the value being resolved."""
        return tree.child_path(self.parent, self.key)


_ABSENT: Any = object()
_MAX_PROGRAMS = 8192  # as many as parsed texts are cached (parsing.interpolation)


def _coerce_key(part: str, content: dict[Any, Any]) -> Any:
    """Find a non-string key written as text in a path (``${a.1}`` for the int key 1)."""
    for k in content:
        if not isinstance(k, str) and str(k) == part:
            return k
    return _ABSENT


def _where(node: Container) -> str:
    return tree.path(node) or "the root"


def _to_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return str(value)


def _attach(value: dict[Any, Any] | list[Any] | tuple[Any, ...], parent: Container) -> Container:
    """Wrap a resolver's dict or list result as a node whose parent is ``parent``."""
    return tree.from_plain(value, Location(None, None, None, "code", "resolver result"), parent)


def _column_location(origin: Location | None, err: InterpolationSyntaxError) -> Location | None:
    column = getattr(err, "column", None)
    if origin is None or column is None or origin.kind != "file" or origin.column is None:
        return origin
    return origin._replace(column=origin.column + column - 1)


def check_not_ancestor(container: Container, key: Any, value: Container) -> None:
    """Refuse a value that contains the key it was read from (``x: {a: ${x}}``): exporting or
    resolving it would never end."""
    node: Container | None = container
    while node is not None:
        if node is value:
            path = tree.child_path(container, key)
            target = tree.path(value) or "the root"
            raise InterpolationCycleError(
                f"interpolation cycle: {path} -> {target} (the value of {path!r} is "
                f"{target!r}, which contains it)",
                key_path=path,
                location=tree.origin(container, key),
            )
        node = tree.parent(node)


def resolve_all(root: Container) -> None:
    """Replace every interpolation in ``root`` by its value, in place (as OmegaConf.resolve)."""
    stack: list[Container] = [root]
    while stack:
        node = stack.pop()
        content = tree.content(node)
        keys = list(content) if isinstance(node, DictNode) else range(len(content))
        for k in keys:
            raw = content[k]
            if type(raw) is str and "${" in raw:
                try:
                    value = tree.value(node, k)
                except InterpolationMissingError:
                    value = MISSING
                except MissingValueError:
                    value = MISSING
                if isinstance(value, Container):
                    check_not_ancestor(node, k, value)
                    value = tree.copy_node(value, node, k)
                # In place: the value keeps its history (tree.store would replace it).
                content[k] = value
                raw = value
            if isinstance(raw, Container):
                stack.append(raw)
