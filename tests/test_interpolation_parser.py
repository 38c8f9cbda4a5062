"""Tests for the ``${...}`` parser: a case table, exact errors, and a differential check."""

from __future__ import annotations

import math
import subprocess
import sys
import threading
import warnings
from typing import Any

import pytest

from confcompose.errors import ConfigParseError, InterpolationSyntaxError
from confcompose.parsing.interpolation import (
    Call,
    Concat,
    Select,
    Text,
    _parse_cached,
    _parse_lark,
    has_interpolation,
    parse,
    render,
)

T = Text


def S(*path: Any, rel: int = 0) -> Select:
    return Select(rel, tuple(path))


def C(name: str, *args: Any) -> Call:
    return Call(name, tuple(args))


def J(*parts: Any) -> Concat:
    return Concat(tuple(parts))


def norm(x: Any) -> Any:
    """Comparable form of an AST: NaN equals NaN and types are part of the value."""
    if isinstance(x, float):
        return ("float", "nan" if math.isnan(x) else x)
    if isinstance(x, (Select, Call, Concat, Text)):
        fields = {k: norm(getattr(x, k)) for k in x.__slots__ if k != "text"}
        return (type(x).__name__, fields)
    if isinstance(x, (list, tuple)):
        return (type(x).__name__, [norm(v) for v in x])
    if isinstance(x, dict):
        return ("dict", [(norm(k), norm(v)) for k, v in x.items()])
    return (type(x).__name__, x)


def _deep_list(depth: int) -> Any:
    value: Any = []
    for _ in range(depth - 1):
        value = [value]
    return value


E = InterpolationSyntaxError
INF = float("inf")

CASES = [
    # text without interpolations (fast path)
    pytest.param("hello", T("hello"), id="text:plain"),
    pytest.param("", T(""), id="text:empty"),
    pytest.param("a$b $ {x}", T("a$b $ {x}"), id="text:dollar-without-brace"),
    pytest.param("{a}", T("{a}"), id="text:brace-without-dollar"),
    pytest.param(r"a\\b\\", T(r"a\\b\\"), id="text:backslashes-kept"),
    pytest.param("$}", T("$}"), id="text:dollar-close"),
    # node references
    pytest.param("${a}", S("a"), id="select:simple"),
    pytest.param("${a.b.c}", S("a", "b", "c"), id="select:dotted"),
    pytest.param("${a[0]}", S("a", "0"), id="select:index"),
    pytest.param("${a[b].c[1][2]}", S("a", "b", "c", "1", "2"), id="select:brackets"),
    pytest.param("${[a]}", S("a"), id="select:leading-bracket"),
    pytest.param("${.a}", S("a", rel=1), id="select:relative-1"),
    pytest.param("${..a}", S("a", rel=2), id="select:relative-2"),
    pytest.param("${...a.b}", S("a", "b", rel=3), id="select:relative-3"),
    pytest.param("${.[0]}", S("0", rel=1), id="select:relative-bracket"),
    pytest.param("${a.0.1}", S("a", "0", "1"), id="select:numeric-keys"),
    pytest.param("${a-b.-c.d_}", S("a-b", "-c", "d_"), id="select:dash-keys"),
    pytest.param("${$a.b$}", S("$a", "b$"), id="select:dollar-in-key"),
    pytest.param("${ключ.é}", S("ключ", "é"), id="select:unicode-keys"),
    pytest.param("${a/b.c+d}", S("a/b", "c+d"), id="select:punctuation-keys"),
    pytest.param("${  a.b \t}", S("a", "b"), id="select:outer-whitespace"),
    pytest.param("${a\nb}", S("a\nb"), id="select:newline-in-key"),
    pytest.param("${a.${b}}", S("a", S("b")), id="select:nested-key"),
    pytest.param("${a[${i}]}", S("a", S("i")), id="select:nested-index"),
    pytest.param("${${k}}", S(S("k")), id="select:nested-first"),
    pytest.param("${.${k}.x}", S(S("k"), "x", rel=1), id="select:nested-relative"),
    pytest.param("${a.${f:x}}", S("a", C("f", "x")), id="select:call-as-key"),
    pytest.param("${a.${b.${c}}}", S("a", S("b", S("c"))), id="select:deep"),
    # resolver calls
    pytest.param("${foo:}", C("foo"), id="call:no-args"),
    pytest.param("${foo: }", C("foo"), id="call:no-args-space"),
    pytest.param("${oc.dict.keys:a}", C("oc.dict.keys", "a"), id="call:dotted-name"),
    pytest.param("${oc.env:HOME,default}", C("oc.env", "HOME", "default"), id="call:env"),
    pytest.param("${my-res_1:x}", C("my-res_1", "x"), id="call:dash-name"),
    pytest.param("${ f : a , b }", C("f", "a", "b"), id="call:whitespace"),
    pytest.param("${f:\ta\t,\tb\t}", C("f", "a", "b"), id="call:tabs"),
    pytest.param("${f:1}", C("f", 1), id="call:int"),
    pytest.param("${f:1_000}", C("f", 1000), id="call:int-underscore"),
    pytest.param("${f:+5,-5,0}", C("f", 5, -5, 0), id="call:int-signed"),
    pytest.param("${f:0x10}", C("f", "0x10"), id="call:hex-is-str"),
    pytest.param("${f:00,0_1,1__0}", C("f", "00", "0_1", "1__0"), id="call:bad-ints-are-str"),
    pytest.param("${f:2.5}", C("f", 2.5), id="call:float"),
    pytest.param(
        "${f:1e3,1.5E-2,.5,5.,1_0.5}", C("f", 1e3, 0.015, 0.5, 5.0, 10.5), id="call:floats"
    ),
    pytest.param("${f:inf,-inf,+INF}", C("f", INF, -INF, INF), id="call:inf"),
    pytest.param("${f:nan,-NaN}", C("f", float("nan"), float("nan")), id="call:nan"),
    pytest.param("${f:infinity,nana}", C("f", "infinity", "nana"), id="call:inf-prefix-is-str"),
    pytest.param("${f:1.2.3,1e}", C("f", "1.2.3", "1e"), id="call:float-like-str"),
    pytest.param("${f:true,False,TRUE}", C("f", True, False, True), id="call:bool"),
    pytest.param("${f:trueish}", C("f", "trueish"), id="call:bool-prefix-is-str"),
    pytest.param("${f:null,NULL,Null}", C("f", None, None, None), id="call:null"),
    pytest.param("${f:abc}", C("f", "abc"), id="call:str"),
    pytest.param("${f:  a b  }", C("f", "a b"), id="call:str-inner-space"),
    pytest.param("${f:1 2}", C("f", "1 2"), id="call:tokens-join-to-str"),
    pytest.param("${f:/a-b+c.d$e%f*g@h?i|j}", C("f", "/a-b+c.d$e%f*g@h?i|j"), id="call:punct"),
    pytest.param("${f:a:b}", C("f", "a:b"), id="call:colon-in-arg"),
    pytest.param("${f: : }", C("f", ": "), id="call:colon-alone"),
    pytest.param("${f:-}", C("f", "-"), id="call:dash-alone"),
    pytest.param("${f:'q'}", C("f", "q"), id="call:quoted-single"),
    pytest.param('${f:"q"}', C("f", "q"), id="call:quoted-double"),
    pytest.param("${f:'  a '}", C("f", "  a "), id="call:quoted-keeps-space"),
    pytest.param("${f:'a,b'}", C("f", "a,b"), id="call:quoted-arg-with-comma"),
    pytest.param("${f:'1','null'}", C("f", "1", "null"), id="call:quoted-is-str"),
    pytest.param("${f:'',\"\"}", C("f", "", ""), id="call:quoted-empty"),
    pytest.param("${f:'a\"b'}", C("f", 'a"b'), id="call:quoted-other-quote"),
    pytest.param(r"${f:'a\'b'}", C("f", "a'b"), id="call:quoted-escaped-quote"),
    pytest.param(r'${f:"a\"b"}', C("f", 'a"b'), id="call:double-quoted-escaped-quote"),
    pytest.param(r"${f:'a\\\'b'}", C("f", r"a\'b"), id="call:quoted-escaped-backslash-quote"),
    pytest.param("${f:'${a}'}", C("f", J(S("a"))), id="call:quoted-interp"),
    pytest.param("${f:'x${a}y'}", C("f", J(T("x"), S("a"), T("y"))), id="call:quoted-mixed"),
    pytest.param(r"${f:'\${a}'}", C("f", "${a}"), id="call:quoted-escaped-interp"),
    pytest.param(r"${f:'a\\'}", C("f", "a\\"), id="call:quoted-trailing-backslashes"),
    pytest.param(r"${f:'a\\b'}", C("f", r"a\\b"), id="call:quoted-inner-backslashes"),
    pytest.param(r"${f:'\\${a}'}", C("f", J(T("\\"), S("a"))), id="call:quoted-backslash-interp"),
    pytest.param(r"${f:'a\b$c'}", C("f", r"a\b$c"), id="call:quoted-verbatim"),
    pytest.param(r"${f:a\,b}", C("f", "a,b"), id="call:escaped-comma"),
    pytest.param(r"${f:\ a\ }", C("f", " a "), id="call:escaped-space"),
    pytest.param(r"${f:\\}", C("f", "\\"), id="call:escaped-backslash"),
    pytest.param(r"${f:a\b}", C("f", r"a\b"), id="call:lone-backslash"),
    pytest.param(r"${f:\(\)\[\]\{\}\:\=\,}", C("f", "()[]{}:=,"), id="call:all-escapes"),
    pytest.param(r"${f:\n}", C("f", r"\n"), id="call:backslash-letter"),
    pytest.param("${f:a,,b}", C("f", "a", "", "b"), id="call:empty-middle"),
    pytest.param("${f:,}", C("f", "", ""), id="call:only-comma"),
    pytest.param("${f:,a}", C("f", "", "a"), id="call:leading-comma"),
    pytest.param("${f:a,}", C("f", "a", ""), id="call:trailing-comma"),
    pytest.param("${f:[1,2]}", C("f", [1, 2]), id="call:list"),
    pytest.param("${f:[]}", C("f", []), id="call:list-empty"),
    pytest.param("${f:[ 1 , 'a' ]}", C("f", [1, "a"]), id="call:list-spaces"),
    pytest.param("${f:[a,[b,[]]]}", C("f", ["a", ["b", []]]), id="call:list-nested"),
    pytest.param("${f:[1,2,]}", C("f", [1, 2, ""]), id="call:list-trailing-comma"),
    pytest.param("${f:{a:1}}", C("f", {"a": 1}), id="call:dict"),
    pytest.param("${f:{}}", C("f", {}), id="call:dict-empty"),
    pytest.param(
        "${f:{1:a, null: b, a b: 1, 1.5: c, x.y: d}}",
        C("f", {1: "a", None: "b", "a b": 1, 1.5: "c", "x.y": "d"}),
        id="call:dict-typed-keys",
    ),
    pytest.param(r"${f:{\,\ : 1}}", C("f", {", ": 1}), id="call:dict-escaped-key"),
    pytest.param(
        "${f:{a:[1], b:{c:null}, d:'x'}}",
        C("f", {"a": [1], "b": {"c": None}, "d": "x"}),
        id="call:dict-values",
    ),
    pytest.param("${f:{a:b:c}}", C("f", {"a": "b:c"}), id="call:dict-value-colon"),
    pytest.param("${f:{a:${b}}}", C("f", {"a": S("b")}), id="call:dict-value-interp"),
    pytest.param("${f:[{a:1},{}]}", C("f", [{"a": 1}, {}]), id="call:dicts-in-list"),
    pytest.param("${oc.select:${which},7}", C("oc.select", S("which"), 7), id="call:nested"),
    pytest.param("${f:${g:1}}", C("f", C("g", 1)), id="call:nested-call"),
    pytest.param("${f:${..x}}", C("f", S("x", rel=2)), id="call:relative-arg"),
    pytest.param("${f:x${a}y}", C("f", J(T("x"), S("a"), T("y"))), id="call:unquoted-concat"),
    pytest.param("${f:${a} ${b}}", C("f", J(S("a"), T(" "), S("b"))), id="call:concat-space"),
    pytest.param(r"${f:\${a}}", C("f", J(T("\\"), S("a"))), id="call:backslash-then-interp"),
    pytest.param("${f:$}", C("f", "$"), id="call:dollar"),
    # string interpolation
    pytest.param("x_${a}", J(T("x_"), S("a")), id="concat:prefix"),
    pytest.param("${a}${b}", J(S("a"), S("b")), id="concat:adjacent"),
    pytest.param(" ${a} ", J(T(" "), S("a"), T(" ")), id="concat:spaces"),
    pytest.param(
        "http://${host}:${port}/",
        J(T("http://"), S("host"), T(":"), S("port"), T("/")),
        id="concat:url",
    ),
    pytest.param("$${a}", J(T("$"), S("a")), id="concat:dollar-before"),
    pytest.param("{${a}}", J(T("{"), S("a"), T("}")), id="concat:braces"),
    pytest.param("${a}}", J(S("a"), T("}")), id="concat:stray-brace"),
    pytest.param("a\n${b}\n", J(T("a\n"), S("b"), T("\n")), id="concat:newlines"),
    pytest.param("x${f:1}", J(T("x"), C("f", 1)), id="concat:call"),
    # escapes at top level
    pytest.param(r"\${a}", T("${a}"), id="escape:escaped-interp"),
    pytest.param(r"\\${a}", J(T("\\"), S("a")), id="escape:double-backslash"),
    pytest.param(r"\\\${a}", T(r"\${a}"), id="escape:triple-backslash"),
    pytest.param(r"\\\\${a}", J(T(r"\\"), S("a")), id="escape:quad-backslash"),
    pytest.param(r"a\b${x}", J(T(r"a\b"), S("x")), id="escape:backslash-kept"),
    pytest.param(r"${a}\\", J(S("a"), T(r"\\")), id="escape:trailing-backslashes-kept"),
    pytest.param(r"\${a}${b}", J(T("${a}"), S("b")), id="escape:escaped-then-real"),
    pytest.param(r"\${a", T("${a"), id="escape:unclosed-escaped"),
    pytest.param(r"\\\x${a}", J(T(r"\\\x"), S("a")), id="escape:odd-run-before-text"),
    pytest.param(r"\\ ${a}", J(T(r"\\ "), S("a")), id="escape:run-not-adjacent"),
    # errors
    pytest.param("${a", E, id="error:unclosed"),
    pytest.param("${}", E, id="error:empty"),
    pytest.param("${.}", E, id="error:only-dot"),
    pytest.param("${a.}", E, id="error:trailing-dot"),
    pytest.param("${a..b}", E, id="error:double-dot"),
    pytest.param("${a b}", E, id="error:space-in-key"),
    pytest.param("${a .b}", E, id="error:space-before-dot"),
    pytest.param("${a[0}", E, id="error:unclosed-bracket"),
    pytest.param("${a[ 0]}", E, id="error:space-in-bracket"),
    pytest.param("${a[]}", E, id="error:empty-bracket"),
    pytest.param("${a${b}}", E, id="error:key-concat"),
    pytest.param("${a(b)}", E, id="error:paren-in-key"),
    pytest.param("${a'b}", E, id="error:quote-in-key"),
    pytest.param(r"${a\b}", E, id="error:backslash-in-key"),
    pytest.param("${a.${b}", E, id="error:unclosed-outer"),
    pytest.param("${foo/bar:1}", E, id="error:resolver-bad-name"),
    pytest.param("${a[0]:1}", E, id="error:resolver-bracket-name"),
    pytest.param("${1a:x}", E, id="error:resolver-numeric-name"),
    pytest.param("${.f:x}", E, id="error:resolver-relative-name"),
    pytest.param("${${x}:1}", E, id="error:resolver-dynamic-name"),
    pytest.param("${f:a", E, id="error:unclosed-call"),
    pytest.param("${f:'a}", E, id="error:unclosed-quote"),
    pytest.param("${f:[1}", E, id="error:unclosed-list"),
    pytest.param("${f:{a:}}", E, id="error:dict-missing-value"),
    pytest.param("${f:{a}}", E, id="error:dict-missing-colon"),
    pytest.param("${f:{a:1,}}", E, id="error:dict-trailing-comma"),
    pytest.param("${f:{${a}:1}}", E, id="error:dict-interp-key"),
    pytest.param("${f:{'a':1}}", E, id="error:dict-quoted-key"),
    pytest.param("${f:'a'b}", E, id="error:quoted-then-text"),
    pytest.param("${f:'a' 'b'}", E, id="error:two-quoted"),
    pytest.param("${f:[1]x}", E, id="error:list-then-text"),
    pytest.param("${f:a=b}", E, id="error:equals-in-arg"),
    pytest.param("${f:a#b}", E, id="error:hash-in-arg"),
    pytest.param("${f:é}", E, id="error:unicode-in-arg"),
    pytest.param("${f:(a)}", E, id="error:paren-in-arg"),
    pytest.param("${" * 150 + "a" + "}" * 150, E, id="error:too-deep"),
    # only ${...} nesting is capped; deep lists are fine
    pytest.param(
        "${f:" + "[" * 150 + "]" * 150 + "}", C("f", _deep_list(150)), id="call:deep-list"
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_parse(text: str, expected: Any) -> None:
    if isinstance(expected, type):
        with pytest.raises(expected):
            parse(text)
        return
    assert norm(parse(text)) == norm(expected)


def test_error_is_a_parse_error_and_value_error() -> None:
    with pytest.raises(ConfigParseError):
        parse("${a.}")
    with pytest.raises(ValueError, match="expected a key after '.'"):
        parse("${a.}")


ERRORS = [
    pytest.param(
        "${a.}",
        "invalid interpolation '${a.}': unexpected '}' at column 5; expected a key after '.'\n"
        "    ${a.}\n"
        "        ^",
        5,
        id="trailing-dot",
    ),
    pytest.param(
        "x ${a.b",
        "invalid interpolation 'x ${a.b': unexpected end of string; "
        "expected '.', '[', ':' or a closing '}'\n"
        "    x ${a.b\n"
        "           ^",
        8,
        id="unclosed",
    ),
    pytest.param(
        "${}",
        "invalid interpolation '${}': unexpected '}' at column 3; "
        "expected a key or a resolver name, '.' or '[' after '${'\n"
        "    ${}\n"
        "      ^",
        3,
        id="empty",
    ),
    pytest.param(
        "${f:{a:1,}}",
        "invalid interpolation '${f:{a:1,}}': unexpected '}' at column 10; "
        "expected a dict key\n"
        "    ${f:{a:1,}}\n"
        "             ^",
        10,
        id="dict-trailing-comma",
    ),
    pytest.param(
        "${f:a=b}",
        "invalid interpolation '${f:a=b}': unexpected '=' at column 6; expected a resolver "
        "argument, ',' or a closing '}' (quote arguments that contain other characters)\n"
        "    ${f:a=b}\n"
        "         ^",
        6,
        id="bad-char",
    ),
    pytest.param(
        "${foo/bar:1}",
        "invalid interpolation '${foo/bar:1}': invalid resolver name part 'foo/bar' at column 3;"
        " expected a resolver name made of letters, digits, '_', '-' and '.'\n"
        "    ${foo/bar:1}\n"
        "      ^",
        3,
        id="resolver-name",
    ),
    pytest.param(
        "a\n\t${b.}\nc",
        "invalid interpolation 'a\\n\\t${b.}\\nc': unexpected '}' at column 8; "
        "expected a key after '.'\n"
        "    \t${b.}\n"
        "    \t    ^",
        8,
        id="multi-line-tab",
    ),
]


@pytest.mark.parametrize(("text", "message", "column"), ERRORS)
def test_error_message(text: str, message: str, column: int) -> None:
    with pytest.raises(InterpolationSyntaxError) as info:
        parse(text)
    assert str(info.value) == message
    assert info.value.column == column  # type: ignore[attr-defined]
    assert info.value.location is None


def test_text_is_source() -> None:
    node = parse("x ${ a[0] } ${f: ${..b}, 'q' }")
    assert isinstance(node, Concat)
    sel, call = node.parts[1], node.parts[3]
    assert isinstance(sel, Select) and sel.text == "${ a[0] }"
    assert isinstance(call, Call) and call.text == "${f: ${..b}, 'q' }"
    assert isinstance(call.args[0], Select) and call.args[0].text == "${..b}"
    assert parse("${a.b}").text == "${a.b}"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("${a}", True), ("x${f:}", True), (r"\${a}", False), ("plain", False), ("$ {a}", False)],
)
def test_has_interpolation(text: str, expected: bool) -> None:
    assert has_interpolation(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${a[0]}:${oc.env:HOME, 'x y'}", "${a.0}:${oc.env:'HOME','x y'}"),
        (r"\${x} \\${y}", r"\${x} \\${y}"),
        ("${f:1,2.5,null,true,[a],{k: v}}", "${f:1,2.5,null,true,['a'],{k:'v'}}"),
        (r"${f:'it\'s ${x}'}", r"${f:'it\'s ${x}'}"),
    ],
)
def test_render(text: str, expected: str) -> None:
    assert render(parse(text)) == expected


def test_threads_agree_with_serial() -> None:
    texts = [f"${{a{i}.b[{i}]}}_${{f{i % 7}:{i},'x{i}',[{i}]}}" for i in range(400)]
    texts += [f"${{oc.env:V{i},{i}.5}}" for i in range(400)]
    _parse_cached.cache_clear()
    results: dict[int, list[Any]] = {}

    def work(k: int) -> None:
        results[k] = [norm(parse(t)) for t in texts[k::3] + texts]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    serial = [norm(_parse_lark(t)) for t in texts]
    for k in range(8):
        assert results[k][-len(texts) :] == serial


def test_fast_paths_do_not_import_lark() -> None:
    code = (
        "import sys\n"
        "from confcompose.parsing.interpolation import parse\n"
        "parse('no interpolation here'); parse('${a.b}'); parse('${..x[0]}')\n"
        "parse('${oc.env:HOME,/tmp}'); parse('run_${seed}/${paths.root}')\n"
        "assert 'lark' not in sys.modules, 'lark imported'\n"
        "parse('x_${oc.env:\\'HOME\\'}')\n"
        "assert 'lark' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- differential test against omegaconf 2.3 ---------------------------------------------------

CONFIG: dict[str, Any] = {
    "a": 1,
    "b": {"c": 2, "k": "c", "n": None},
    "s": "x",
    "i": "1",
    "l": [10, 20],
    "f": 1.5,
    "t": True,
    "n": None,
    "ka": "a",
}

DIFF = [
    "${a}",
    "${b.c}",
    "${b}",
    "${l[1]}",
    "${l.0}",
    "${.a}",
    "${[b][c]}",
    "${b.${b.k}}",
    "${${ka}}",
    "${l[${i}]}",
    "${  a }",
    "x_${a}_${b.c}",
    "${t}${n}${f}${b}",
    r"\${a}",
    r"\\${a}",
    r"\\\${a}",
    r"\\\\${a}",
    r"a\b${a}\\",
    r"\${a}${a}\${a",
    "$${a}$",
    "${echo:}",
    "${echo:1,-2,+3,1_000,0x10,00}",
    "${echo:2.5,1e3,1.5E-2,.5,5.,-inf,+INF,1.2.3,1e}",
    "${echo:nan}",
    "${echo:true,False,TRUE,trueish,null,NULL}",
    "${echo:abc,  a b  ,1 2,a:b, : ,-,$}",
    "${echo:/a-b+c.d$e%f*g@h?i|j}",
    "${echo:'q',\"q\",'  a ','a,b','1','',\"\"}",
    "${echo:'a\"b',\"a'b\"}",
    r"${echo:'a\'b'," + '"a\\"b"' + r",'a\\\'b'}",
    "${echo:'${a}','x${a}y','${b}','${t}'}",
    r"${echo:'\${a}','a\\','a\\b','\\${a}','a\b$c','\\'}",
    r"${echo:a\,b,\ a\ ,\\,a\b,\(\)\[\]\{\}\:\=\,,\n}",
    "${echo:a,,b}",
    "${echo:,}",
    "${echo:,a}",
    "${echo:a,}",
    "${echo:[1,2],[],[ 1 , 'a' ],[a,[b,[]]],[1,2,]}",
    "${echo:{a:1},{},{1:a, null: b, a b: 1, 1.5: c, x.y: d}}",
    r"${echo:{\,\ : 1},{a:[1], b:{c:null}, d:'x'},{a:b:c},{a:${a}}}",
    "${echo:${a},${b},${l},${n},${.s}}",
    "${echo:x${a}y,${a} ${b.c},${t}${n}}",
    r"${echo:\${a}}",
    "${echo:${echo:1,'a'}}",
    "${ echo : a , b }",
    "${echo:\ta\t,\tb\t}",
    "x${echo:1}y",
    "${ident:1}",
    "${ident:[1,{a:null}]}",
    "${ident:'1'}",
    "${ident:1.5}",
    "${ident:${b}}",
    "${oc.select:b.c,7}",
]

DIFF_ERRORS = [
    "${a",
    "${}",
    "${.}",
    "${a.}",
    "${a..b}",
    "${a b}",
    "${a .b}",
    "${a[0}",
    "${a[ 0]}",
    "${a[]}",
    "${a${b}}",
    "${a(b)}",
    "${a'b}",
    r"${a\b}",
    "${a.${b}",
    "${foo/bar:1}",
    "${a[0]:1}",
    "${1a:x}",
    "${.f:x}",
    "${echo:a",
    "${echo:'a}",
    "${echo:[1}",
    "${echo:{a:}}",
    "${echo:{a}}",
    "${echo:{a:1,}}",
    "${echo:{${a}:1}}",
    "${echo:{'a':1}}",
    "${echo:'a'b}",
    "${echo:'a' 'b'}",
    "${echo:[1]x}",
    "${echo:a=b}",
    "${echo:a#b}",
    "${echo:é}",
    "${echo:(a)}",
]


def _omegaconf() -> Any:
    oc = pytest.importorskip("omegaconf")
    if not oc.OmegaConf.has_resolver("echo"):
        oc.OmegaConf.register_new_resolver("echo", lambda *a: repr(a))
        oc.OmegaConf.register_new_resolver("ident", lambda x: x)
    return oc


class _Eval:
    """A tiny evaluator over a plain dict, enough to compare with omegaconf."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root

    def value(self, node: Any) -> Any:
        if isinstance(node, Text):
            return node.value
        if isinstance(node, Concat):
            return "".join(str(self.value(p)) for p in node.parts)
        if isinstance(node, Select):
            return self.select(node)
        if isinstance(node, Call):
            return self.call(node)
        if isinstance(node, list):
            return [self.value(v) for v in node]
        if isinstance(node, dict):
            return {k: self.value(v) for k, v in node.items()}
        return node

    def select(self, node: Select) -> Any:
        assert node.relative <= 1, "the test config puts the value at the root"
        keys = [p if isinstance(p, str) else self.value(p) for p in node.path]
        cur: Any = self.root
        for key in ".".join(keys).split("."):
            cur = cur[int(key)] if isinstance(cur, list) else cur[key]
        return cur

    def call(self, node: Call) -> Any:
        args = [self.value(a) for a in node.args]
        if node.name == "echo":
            return repr(tuple(args))
        if node.name == "ident":
            return args[0]
        assert node.name == "oc.select"
        return self.select(Select(0, (args[0],))) if args else None


def _typed(x: Any) -> Any:
    return norm(x)


@pytest.mark.parametrize("text", DIFF)
def test_same_value_as_omegaconf(text: str) -> None:
    oc = _omegaconf()
    cfg = oc.OmegaConf.create({**CONFIG, "v": text})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # omegaconf warns about empty sequence items
        want = oc.OmegaConf.to_container(cfg, resolve=True)["v"]
    got = _Eval(CONFIG).value(parse(text))
    if isinstance(want, str) and isinstance(got, str) and "nan" in want:
        assert want == got  # repr() of nan is stable text
    else:
        assert _typed(got) == _typed(want)


@pytest.mark.parametrize("text", DIFF_ERRORS)
def test_same_errors_as_omegaconf(text: str) -> None:
    oc = _omegaconf()
    from omegaconf.errors import GrammarParseError

    with pytest.raises(GrammarParseError):  # raised by create() or on access
        _ = oc.OmegaConf.create({**CONFIG, "v": text}).v
    with pytest.raises(InterpolationSyntaxError):
        parse(text)


def test_ast_roundtrip_of_table() -> None:
    for p in CASES:
        text, expected = p.values
        if expected is E:
            continue
        node = parse(str(text))
        assert norm(parse(render(node))) == norm(node), text
