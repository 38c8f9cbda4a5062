"""``${...}`` interpolations resolved by omegaconf and by confcompose (``resolve=True``).

The custom resolvers below are registered under the same names on both sides. They report
what they receive in a library-neutral form, so the cases pin how resolver arguments are typed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .harness import TextCase, text_case


def _plain(value: Any) -> Any:
    # Either library may hand container arguments over as its own node types.
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        return [_plain(v) for v in value]
    return value


def cc_types(*args: Any) -> str:
    """Name the type of each argument: ``${cc_types:1,x}`` -> ``"int str"``."""
    return " ".join(type(_plain(a)).__name__ for a in args)


def cc_repr(*args: Any) -> str:
    """Show the arguments exactly: ``${cc_repr: a b ,1}`` -> ``"['a b', 1]"``."""
    return repr([_plain(a) for a in args])


def cc_add(a: Any, b: Any) -> Any:
    """Add two arguments: ``${cc_add:1,2}`` -> ``3``."""
    return a + b


def cc_pair(a: Any, b: Any) -> list[Any]:
    """Return a two-element list (resolvers may return containers)."""
    # Plain values: omegaconf would otherwise leak a DictConfig argument into to_container.
    return [_plain(a), _plain(b)]


RESOLVERS: dict[str, Callable[..., Any]] = {
    "cc_types": cc_types,
    "cc_repr": cc_repr,
    "cc_add": cc_add,
    "cc_pair": cc_pair,
}

T = text_case


def R(case_id: str, *texts: str, **kw: Any) -> TextCase:
    """A case compared with ``resolve=True`` (and ``resolve=False``)."""
    return text_case(case_id, *texts, resolve=True, **kw)


def E(case_id: str, *texts: str, ref: str, **kw: Any) -> TextCase:
    """A case whose resolution must fail on both sides; ``ref`` must match omegaconf's text."""
    return text_case(case_id, *texts, resolve=True, error=True, ref_match=ref, **kw)


INTERP_CASES: list[TextCase] = [
    R("path:absolute-keeps-type", "a: {b: 7}\nc: ${a.b}\n", expected={"a": {"b": 7}, "c": 7}),
    R(
        "path:list-index",
        "a: [10, 20]\nb: ${a.0}\nc: ${a[1]}\n",
        expected={"a": [10, 20], "b": 10, "c": 20},
    ),
    R(
        "path:relative",
        "x: top\na:\n  x: mid\n  b:\n    x: low\n"
        "    here: ${.x}\n    up: ${..x}\n    root: ${...x}\n",
        expected={
            "x": "top",
            "a": {"x": "mid", "b": {"x": "low", "here": "low", "up": "mid", "root": "top"}},
        },
    ),
    R(
        "path:relative-from-list-element",
        "x: 1\nl:\n  - ${..x}\n  - v: ${...x}\n",
        expected={"x": 1, "l": [1, {"v": 1}]},
    ),
    R("path:dashes-in-key", "a-b: 1\nc: ${a-b}\n", expected={"a-b": 1, "c": 1}),
    R("path:whitespace-inside", "x: 1\na: ${ x }\n", expected={"x": 1, "a": 1}),
    R(
        "path:nested-key-interpolation",
        "k: x\nd: {x: 5}\nv: ${d.${k}}\n",
        expected={"k": "x", "d": {"x": 5}, "v": 5},
    ),
    R(
        "path:chain",
        "a: ${b}\nb: ${c}\nc: [1, {d: 2}]\n",
        expected={"a": [1, {"d": 2}], "b": [1, {"d": 2}], "c": [1, {"d": 2}]},
    ),
    R(
        "path:to-dict-node-and-through-it",
        "x: {y: 1}\nd: ${x}\ne: ${d.y}\n",
        expected={"x": {"y": 1}, "d": {"y": 1}, "e": 1},
    ),
    R(
        "path:typed-targets",
        "f: 1e3\nn: null\nt: true\nm: ${n}\nb: ${t}\ng: ${f}\n",
        expected={"f": 1000.0, "n": None, "t": True, "m": None, "b": True, "g": 1000.0},
    ),
    R(
        "string:concatenation-stringifies",
        "f: 1e3\nt: true\nn: null\ns: v${f}/${t}/${n}/${l}\nl: [1]\n",
        expected={"f": 1000.0, "t": True, "n": None, "s": "v1000.0/True/None/[1]", "l": [1]},
    ),
    R(
        "string:in-list-elements",
        "x: 1\na: ['${x}', 'v${x}']\n",
        expected={"x": 1, "a": [1, "v1"]},
    ),
    R(
        "string:escapes",
        r"""
        x: 1
        a: \${x}
        b: \\${x}
        c: '\\\${x}'
        d: $x
        e: '$${x}'
        """,
        expected={"x": 1, "a": "${x}", "b": "\\1", "c": "\\${x}", "d": "$x", "e": "$1"},
    ),
    R(
        "missing:kept-with-resolve",
        "a: ???\nb:\n  c: ???\n",
        expected={"a": "???", "b": {"c": "???"}},
    ),
    R(
        "oc.select:default",
        "x: 2\na: ${oc.select:x,0}\nb: ${oc.select:nope,dflt}\nc: ${oc.select:nope}\n"
        "d: ${oc.select:nope,${x}}\n",
        expected={"x": 2, "a": 2, "b": "dflt", "c": None, "d": 2},
    ),
    R(
        "oc.dict:keys-values",
        "d: {x: 1, y: '${z}'}\nz: 2\nk: ${oc.dict.keys:d}\nv: ${oc.dict.values:d}\n",
        expected={"d": {"x": 1, "y": 2}, "z": 2, "k": ["x", "y"], "v": [1, 2]},
    ),
    R(
        "oc.decode:forms",
        """\
        s: '123'
        a: ${oc.decode:${s}}
        b: '${oc.decode:"{a: 1, b: [2]}"}'
        c: ${oc.decode:null}
        d: ${oc.decode:'null'}
        e: ${oc.decode:'[1, 2.5, x, true]'}
        """,
        expected={
            "s": "123",
            "a": 123,
            "b": {"a": 1, "b": [2]},
            "c": None,
            "d": None,
            "e": [1, 2.5, "x", True],
        },
    ),
    R(
        "oc.create:from-string",
        "s: '{a: 1}'\nc: ${oc.create:${s}}\nd: '${oc.create:{b: [2]}}'\n",
        expected={"s": "{a: 1}", "c": {"a": 1}, "d": {"b": [2]}},
    ),
    R(
        "oc.env:set-and-default",
        "a: ${oc.env:CC_DIFF_SET}\nb: ${oc.env:CC_DIFF_UNSET_VAR,fallback}\n"
        "c: ${oc.env:CC_DIFF_UNSET_VAR,null}\nd: ${oc.env:CC_DIFF_NUM}\n",
        env={"CC_DIFF_SET": "hello", "CC_DIFF_NUM": "12"},
        # oc.env always returns strings: "12" is not decoded.
        expected={"a": "hello", "b": "fallback", "c": None, "d": "12"},
    ),
    R(
        "resolver:arg-types",
        'x: 1\nt: \'${cc_types:1,1.5,true,null,abc,"q",[1],{a: 1},'
        "${x}, a b ,1e3,0x10,inf,nan,-1}'\n",
        expected={
            "x": 1,
            "t": "int float bool NoneType str str list dict int str float str float float int",
        },
    ),
    R(
        "resolver:arg-values",
        # A block scalar needs no YAML escaping, so the grammar sees the text as is.
        "t: >-\n  ${cc_repr: a b ,'q', \"d\" ,a\\, b,x${y},'${y}'}\ny: 2\n",
        expected={"t": "['a b', 'q', 'd', 'a, b', 'x2', '2']", "y": 2},
    ),
    R(
        "resolver:no-args",
        "a: ${cc_types:}\nb: ${cc_types:'',\"\"}\n",
        expected={"a": "", "b": "str str"},
    ),
    R(
        "resolver:arithmetic-on-typed-args",
        "x: 2.5\na: ${cc_add:1,2}\nb: ${cc_add:1.5,${x}}\nc: ${cc_add:a,b}\n",
        expected={"x": 2.5, "a": 3, "b": 4.0, "c": "ab"},
    ),
    R(
        "resolver:returns-container",
        "p: ${cc_pair:1,${q}}\nq: {z: 1}\n",
        expected={"p": [1, {"z": 1}], "q": {"z": 1}},
    ),
    R(
        "resolver:nested-calls",
        "a: ${cc_add:${cc_add:1,2},${oc.select:n,4}}\n",
        expected={"a": 7},
    ),
    R(
        "merge:interpolation-follows-later-value",
        "a: 1\nb: ${a}\n",
        "a: 2\n",
        expected={"a": 2, "b": 2},
    ),
    R(
        "merge:value-replaces-interpolation",
        "a: 1\nb: ${a}\n",
        "b: 5\n",
        expected={"a": 1, "b": 5},
    ),
    R(
        "merge:later-doc-refers-to-earlier",
        "base: {host: h, port: 1}\n",
        "url: ${base.host}:${base.port}\nbase: {port: 2}\n",
        expected={"base": {"host": "h", "port": 2}, "url": "h:2"},
    ),
    R(
        "merge:interpolation-replaces-dict",
        "d: {x: 1}\no: {y: 2}\n",
        "d: ${o}\n",
        expected={"d": {"y": 2}, "o": {"y": 2}},
    ),
    R(
        "merge:missing-filled",
        "a: ???\nb: ${a}\n",
        "a: 3\n",
        expected={"a": 3, "b": 3},
    ),
    # Inputs both sides must reject.
    E("error:missing-key", "a: ${nope}\n", ref="nope", error_match="nope"),
    E("error:missing-nested-key", "a: {b: 1}\nc: ${a.nope}\n", ref="a.nope"),
    E("error:through-scalar", "a: 1\nb: ${a.c}\n", ref="not a container"),
    E("error:negative-list-index", "a: [10, 20]\nd: ${a.-1}\n", ref="a.-1"),
    E("error:relative-above-root", "a: {b: {c: {r: '${...top}'}}}\ntop: T\n", ref="top"),
    E("error:cycle", "a: ${b}\nb: ${a}\n", ref="Recursive interpolation"),
    E("error:self-cycle", "a: ${a}\n", ref="Recursive interpolation"),
    E("error:cycle-through-string", "a: x${b}\nb: y${a}\n", ref="Recursive interpolation"),
    E("error:to-missing-value", "a: ???\nb: ${a}\n", ref="Missing mandatory value"),
    E(
        "error:unknown-resolver",
        "a: ${nope:1}\n",
        ref="Unsupported interpolation type nope",
        error_match="nope",
    ),
    E("error:syntax-unclosed", "a: ${b\n", ref="no viable alternative"),
    E("error:syntax-empty", "a: ${}\n", ref=""),
    E("error:env-unset-no-default", "a: ${oc.env:CC_DIFF_UNSET_VAR}\n", ref="not found"),
    E("error:resolver-raises", "a: ${cc_add:1,x}\n", ref="unsupported operand"),
]
