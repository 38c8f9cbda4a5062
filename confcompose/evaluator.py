"""Parsed ``${...}`` expressions compiled once into closures ("programs").

The reference evaluator (``Engine.evaluate``) walks the AST on every access: a type dispatch per
node, and path walks that check for lists, non-text keys, missing values and errors at every
step. A program does the same evaluation with that work done once per expression: constants are
folded, a path is split into how far to climb and which keys to follow, and only the common
success path is kept. As soon as a walk meets anything else (a list, an absent key, a missing
value, an interpolation midway, a key that is itself an interpolation) the program hands the
expression to the reference evaluator, which starts again and does the full work, errors
included. Fast walks only read the tree, so starting again is safe, and results and messages
are the reference's by construction (``tests/test_evaluator.py`` checks it).

A program is called as ``program(engine, container, key)``: ``container[key]`` holds the text
being resolved. Programs hold no tree or engine, so they are cached by source text and shared.
"""

from __future__ import annotations

from itertools import repeat

from confcompose.nodes import MISSING, DictNode
from confcompose.parsing.interpolation import Call, Concat, Select, Text, dotted_reference, parse

TYPE_CHECKING = False  # keep the typing module out of `import confcompose`
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeAlias

    from confcompose.nodes import Container

    Program: TypeAlias = Callable[[Any, Container, Any], Any]

__all__ = ["compile_node", "compile_text"]

_ABSENT: Any = object()


def compile_node(ast: Any) -> Program:
    """The program evaluating ``ast`` (an interpolation AST or a resolver argument)."""
    kind = type(ast)
    if kind is Select:
        return _select(ast)
    if kind is Concat:
        return _concat(ast)
    if kind is Call:
        return _call(ast)
    if kind is Text:
        return _constant(ast.value)
    if kind is list:  # resolver arguments: a fresh list or dict on every call, as a resolver
        items = [compile_node(a) for a in ast]  # may change what it is given
        return lambda engine, container, key: [f(engine, container, key) for f in items]
    if kind is dict:
        values = {k: compile_node(v) for k, v in ast.items()}
        return lambda engine, container, key: {
            k: f(engine, container, key) for k, f in values.items()
        }
    return _constant(ast)


def _constant(value: Any) -> Program:
    return lambda engine, container, key: value


def compile_text(text: str) -> Program | None:
    """The program of a lone dotted reference (``${a.b}``, ``${..x}``) straight from its text,
    or None for anything else (``compile_node(parse(text))`` then).

    The commonest interpolation, and the one configs hold in the most distinct texts (every
    absolute path is one), so it skips building an AST: the parser reads the same texts
    (:func:`~confcompose.parsing.interpolation.dotted_reference`) as ``Select(dots, keys)``,
    which ``tests/test_evaluator.py`` checks. The AST is parsed only if the walk needs it.
    """
    dotted = dotted_reference(text)
    if dotted is None:
        return None
    return _select_program(text, dotted[0], dotted[1])


def _select(ast: Select) -> Program:
    path = ast.path
    keys = tuple(p for p in path if type(p) is str)
    if not path or len(keys) != len(path):
        # An empty path or a key computed by an interpolation: the reference walk.
        return lambda engine, container, key: engine._select(ast, container, key)
    return _select_program(ast, ast.relative, keys)


def _select_program(source: Select | str, relative: int, path: tuple[str, ...]) -> Program:
    """The program walking ``path`` (keys only); ``source`` (the AST or its text) is what the
    reference evaluator is given when the walk leaves the common path."""
    if len(path) == 1 and relative == 1:
        return _sibling(source, path[0])
    if len(path) == 2 and relative == 0:
        return _absolute2(source, path[0], path[1])
    return _walk(source, relative, path[:-1], path[-1])


def _reference(engine: Any, source: Select | str, container: Container, key: Any) -> Any:
    """The reference evaluator's value (or error) for the select ``source``."""
    ast = parse(source) if type(source) is str else source
    return engine._select(ast, container, key)


def _sibling(source: Select | str, name: str) -> Program:
    """``${.name}``: the most common relative reference, without a walk."""

    def run(engine: Any, container: Container, key: Any) -> Any:
        if type(container) is DictNode:
            raw = container._content.get(name, _ABSENT)
            if type(raw) is str:
                if "${" in raw:
                    return engine.resolve(container, name, raw)
                if raw != MISSING:
                    return raw
            elif raw is not _ABSENT:
                return raw
        return _reference(engine, source, container, key)

    return run


def _absolute2(source: Select | str, first: str, last: str) -> Program:
    """``${group.key}``: the most common absolute reference, without a loop over the keys."""

    def run(engine: Any, container: Container, key: Any) -> Any:
        node: Any = container
        parent = node._parent
        while parent is not None:
            node = parent
            parent = node._parent
        node = node._content.get(first) if type(node) is DictNode else None
        if type(node) is DictNode:
            raw = node._content.get(last, _ABSENT)
            if type(raw) is str:
                if "${" in raw:
                    return engine.resolve(node, last, raw)
                if raw != MISSING:
                    return raw
            elif raw is not _ABSENT:
                return raw
        return _reference(engine, source, container, key)

    return run


def _walk(source: Select | str, relative: int, keys: tuple[str, ...], last: str) -> Program:
    """Any other text path: ``relative`` 0 starts at the root, ``n`` climbs ``n - 1`` levels."""
    climb = relative - 1

    def run(engine: Any, container: Container, key: Any) -> Any:
        node: Any = container
        if climb < 0:
            parent = node._parent
            while parent is not None:
                node = parent
                parent = node._parent
        else:
            for _ in repeat(None, climb):
                node = node._parent
                if node is None:
                    return _reference(engine, source, container, key)
        for part in keys:
            if type(node) is not DictNode:
                return _reference(engine, source, container, key)
            node = node._content.get(part)
        if type(node) is DictNode:
            raw = node._content.get(last, _ABSENT)
            if type(raw) is str:
                if "${" in raw:
                    return engine.resolve(node, last, raw)
                if raw != MISSING:
                    return raw
            elif raw is not _ABSENT:
                return raw
        return _reference(engine, source, container, key)

    return run


def _concat(ast: Concat) -> Program:
    # Literal parts stay text; the others become programs whose values are turned into text.
    parts: tuple[Any, ...] = tuple(
        p.value if type(p) is Text else compile_node(p) for p in ast.parts
    )

    def run(engine: Any, container: Container, key: Any) -> Any:
        out = []
        for part in parts:
            if type(part) is str:
                out.append(part)
            else:
                value = part(engine, container, key)
                out.append(value if isinstance(value, str) else str(value))
        text = "".join(out)
        engine.check_length(text, container, key)
        return text

    return run


def _call(ast: Call) -> Program:
    args = tuple(compile_node(a) for a in ast.args)

    def run(engine: Any, container: Container, key: Any) -> Any:
        return engine._call(ast, container, key, args)

    return run
