"""Compiled interpolation programs (confcompose.evaluator) agree with the reference evaluator.

The reference is ``Engine.evaluate``, which walks the parsed AST on every access; a
``ReferenceEngine`` below resolves every text with it, so each case runs both ways and compares
values, error types and messages.
"""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import confcompose as cc
from confcompose.evaluator import compile_node, compile_text
from confcompose.parsing.interpolation import Select, parse
from confcompose.structured import StructuredEngine


class ReferenceEngine(StructuredEngine):
    """Evaluates every interpolation with the AST walker instead of a compiled program."""

    __slots__ = ()
    _programs: ClassVar[dict[str, Any]] = {}  # never filled: every text goes through _compile

    def _compile(self, raw: str, container: Any, key: Any) -> Any:
        ast = self._parse(raw, container, key)
        return lambda engine, node, k: engine.evaluate(ast, node, k)


def _both(data: Any, resolvers: Any = None) -> tuple[Any, Any]:
    # One line: both get the same location in error messages.
    compiled, reference = cc.create(data, resolvers=resolvers), cc.create(data, resolvers=resolvers)
    reference._engine = ReferenceEngine(reference._engine.resolvers)
    return compiled, reference


def _outcome(read: Any) -> Any:
    try:
        value = read()
    except cc.ConfigError as e:
        return ("error", type(e).__name__, str(e), e.key_path)
    except (KeyError, IndexError, AttributeError, ValueError, TypeError) as e:
        return ("error", type(e).__name__, str(e))
    if isinstance(value, cc.DictConfig | cc.ListConfig):  # nodes compare by their raw text
        return ("node", cc.to_container(value))
    return ("value", value)


BASE: dict[str, Any] = {
    "a": 1,
    "s": "text",
    "n": None,
    "m": "???",
    "d": {"x": 10, "y": "${.x}", "up": "${..a}", "deep": {"z": "${...s}"}, "k": "x", "mm": "???"},
    "l": [1, "${a}", {"k": "v"}, "${..a}"],
    "ik": {1: "one", False: "no"},
    "chain": {"c0": "${a}", "c1": "${chain.c0}", "c2": "${.c1}_${d.y}"},
}


@pytest.mark.parametrize(
    "expr",
    [
        pytest.param("${a}", id="absolute:one-key"),
        pytest.param("${d.x}", id="absolute:two-keys"),
        pytest.param("${d.deep.z}", id="absolute:three-keys-to-interp"),
        pytest.param("${d.y}", id="absolute:to-relative"),
        pytest.param("${.a}", id="sibling"),
        pytest.param("${..a}", id="relative:above-root"),
        pytest.param("${chain.c2}", id="chain:concat"),
        pytest.param("${l[1]}", id="list:index"),
        pytest.param("${l.3}", id="list:relative-in-list"),
        pytest.param("${l[2].k}", id="list:into-dict"),
        pytest.param("${l.9}", id="list:out-of-range"),
        pytest.param("${l.-1}", id="list:negative"),
        pytest.param("${ik.1}", id="key:int"),
        pytest.param("${ik.False}", id="key:bool"),
        pytest.param("${d}", id="node"),
        pytest.param("${nope}", id="absent:top"),
        pytest.param("${d.nope}", id="absent:nested"),
        pytest.param("${d.x.y}", id="absent:through-leaf"),
        pytest.param("${m}", id="missing"),
        pytest.param("${d.mm}", id="missing:absolute-two"),
        pytest.param("${.mm}", id="missing:sibling"),
        pytest.param("${..d.mm}", id="missing:relative-walk"),
        pytest.param("${m.x}", id="missing:midway"),
        pytest.param("${n.x}", id="none:midway"),
        pytest.param("${d[${d.k}]}", id="key:computed"),
        pytest.param("x_${a}_${s}_${n}", id="concat:types"),
        pytest.param("${a}${a}", id="concat:adjacent"),
        pytest.param("\\${a}", id="escaped"),
        pytest.param("${oc.select:d.x,5}", id="call:select"),
        pytest.param("${oc.select:nope,${a}}", id="call:nested-default"),
        pytest.param("${oc.decode:'[1, ${a}]'}", id="call:decode"),
        pytest.param("${oc.create:{q: [${a}, {r: ${s}}]}}", id="call:nested-args"),
        pytest.param("${nope_resolver:1}", id="call:unknown"),
        pytest.param("${d.x", id="syntax-error"),
        pytest.param("${v}", id="cycle:self"),
    ],
)
def test_compiled_equals_reference(expr: str) -> None:
    compiled, reference = _both({**BASE, "v": expr, "w": {"v": expr, "mm": "???"}})
    for path in ("v", "w.v"):
        assert _outcome(partial(cc.select, compiled, path)) == _outcome(
            partial(cc.select, reference, path)
        ), path
    got = _outcome(lambda: cc.to_container(compiled, resolve=True))
    assert got == _outcome(lambda: cc.to_container(reference, resolve=True))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        pytest.param("${.a}", "_sibling", id="sibling"),
        pytest.param("${a.b}", "_absolute2", id="absolute-two"),
        pytest.param("${a}", "_walk", id="absolute-one"),
        pytest.param("${..a.b}", "_walk", id="relative-walk"),
        pytest.param("${a[${b}]}", "_select", id="computed-key:reference"),
        pytest.param("x${a}", "_concat", id="concat"),
        pytest.param("${f:1,[2]}", "_call", id="call"),
    ],
)
def test_programs_are_specialised_by_shape(text: str, kind: str) -> None:
    assert compile_node(parse(text)).__qualname__.startswith(kind)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        pytest.param("${.a}", "_sibling", id="sibling"),
        pytest.param("${a.b}", "_absolute2", id="absolute-two"),
        pytest.param("${...a-b.c_d.0}", "_walk", id="walk"),
        pytest.param("${a[0]}", None, id="bracket:parsed"),
        pytest.param("x${a}", None, id="concat:parsed"),
        pytest.param("${a:b}", None, id="call:parsed"),
        pytest.param("${a.}", None, id="syntax-error:parsed"),
        pytest.param("\\${a}", None, id="escape:parsed"),
    ],
)
def test_lone_dotted_references_compile_from_text(text: str, kind: str | None) -> None:
    program = compile_text(text)
    assert (program and program.__qualname__.split(".")[0]) == kind


def _as_select(text: str) -> Select:
    body = text[2:-1]
    path = body.lstrip(".")
    return Select(len(body) - len(path), tuple(path.split(".")))


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.from_regex(r"\$\{(\.*)([A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_\-]+)*)\}", fullmatch=True),
        st.text(alphabet="${}.ab1-_[]:' \\", max_size=12),
    )
)
def test_text_fast_path_reads_as_the_parser(text: str) -> None:
    # Wherever the evaluator skips the parser, the parser gives the same select.
    if compile_text(text) is not None:
        assert parse(text) == _as_select(text)


def test_programs_are_cached_by_text() -> None:
    cfg = cc.create({"a": 1, "b": "${a}", "c": "${a}"})
    engine = cfg._engine
    assert cfg.b == cfg.c == 1
    assert engine._programs["${a}"] is engine._programs["${a}"]


def test_resolver_list_arguments_are_fresh_each_call() -> None:
    seen: list[Any] = []

    def grab(items: list[Any]) -> int:
        seen.append(items)
        items.append("changed")  # a resolver changing its argument must not change the program
        return len(items)

    r = cc.builtin_resolvers()
    r.register("grab", grab)
    cfg = cc.create({"a": 1, "x": "${grab:[1, ${a}]}", "y": "${grab:[1, ${a}]}"}, resolvers=r)
    assert cfg.x == 3 and cfg.y == 3
    assert seen[0] is not seen[1]


# -- property: compiled == reference over generated configs ---------------------------------

_KEYS = ["a", "b", "c", "1"]
_leaf = st.one_of(st.just("???"), st.integers(-3, 3), st.sampled_from(["x", "None", ""]), st.none())


def _tree(depth: int) -> st.SearchStrategy[Any]:
    if depth == 0:
        return _leaf
    child = _tree(depth - 1)
    return st.one_of(
        _leaf,
        st.dictionaries(st.sampled_from(_KEYS), child, max_size=3),
        st.lists(child, max_size=3),
    )


def _slots(data: Any, here: tuple[str, ...] = ()) -> list[tuple[Any, Any, tuple[str, ...]]]:
    """(container, key, path of the container) of every value, depth first."""
    out = []
    items = list(data.items()) if isinstance(data, dict) else list(enumerate(data))
    for k, v in items:
        out.append((data, k, here))
        if isinstance(v, dict | list):
            out += _slots(v, (*here, str(k)))
    return out


def _reference(target: tuple[str, ...], here: tuple[str, ...], form: str) -> str:
    """A ``${...}`` naming ``target`` from a value whose container is at ``here``."""
    if form == "relative":
        common = 0
        while common < min(len(here), len(target) - 1) and here[common] == target[common]:
            common += 1
        inner = "." * (len(here) - common + 1) + ".".join(target[common:])
    elif form == "bracket" and len(target) > 1:
        inner = target[0] + "".join(f"[{p}]" for p in target[1:])
    else:
        inner = ".".join(target)
    if form == "select":
        return "${oc.select:" + ".".join(target) + ",dflt}"
    if form == "concat":
        return "<${" + inner + "}>${" + inner + "}"
    return "${" + inner + "}"


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_property_compiled_equals_reference(data: st.DataObject) -> None:
    # A random tree, then some of its values replaced by references to its own paths (mostly
    # existing ones, so that chains, lists, missing values and cycles all come up).
    tree = data.draw(st.dictionaries(st.sampled_from(_KEYS), _tree(2), min_size=1, max_size=4))
    slots = _slots(tree)
    paths = [(*here, str(k)) for _, k, here in slots]
    forms = st.sampled_from(["absolute", "relative", "bracket", "select", "concat"])
    for container, k, here in slots:
        if data.draw(st.integers(0, 2)) != 0:
            continue
        target = data.draw(st.sampled_from([*paths, ("zz",), (*paths[0], "zz")]))
        container[k] = _reference(target, here, data.draw(forms))
    compiled, reference = _both(tree)
    got = _outcome(lambda: cc.to_container(compiled, resolve=True))
    assert got == _outcome(lambda: cc.to_container(reference, resolve=True))
    for path in paths:
        key = ".".join(path)
        assert _outcome(partial(cc.select, compiled, key)) == _outcome(
            partial(cc.select, reference, key)
        ), key
