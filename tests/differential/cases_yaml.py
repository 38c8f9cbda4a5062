"""YAML documents loaded by omegaconf (``create`` and ``load``) and by confcompose.

Omegaconf uses a YAML 1.1 flavoured loader (PyYAML plus its own float rule), so scalar typing
differs from YAML 1.2 in many corners; these cases pin each corner.
"""

from __future__ import annotations

from .harness import TextCase, text_case

T = text_case

YAML_CASES: list[TextCase] = [
    T(
        "bool:yaml11-words",
        "a: yes\nb: No\nc: ON\nd: off\ne: Yes\nf: YES\ng: True\nh: FALSE\n",
        expected={
            "a": True,
            "b": False,
            "c": True,
            "d": False,
            "e": True,
            "f": True,
            "g": True,
            "h": False,
        },
    ),
    T(
        "bool:not-bools",
        "a: y\nb: n\nc: Y\nd: yEs\ne: oN\nf: tRue\ng: yes please\n",
        expected={
            "a": "y",
            "b": "n",
            "c": "Y",
            "d": "yEs",
            "e": "oN",
            "f": "tRue",
            "g": "yes please",
        },
    ),
    T(
        "int:bases",
        "a: 010\nb: 0x1F\nc: 0b101\nd: -0x1F\ne: 0xff_ff\nf: 00\n",
        expected={"a": 8, "b": 31, "c": 5, "d": -31, "e": 65535, "f": 0},
    ),
    T(
        "int:not-ints",
        "a: 0o10\nb: 08\nc: 09\nd: 0x\ne: 0b2\nf: _1\n",
        expected={"a": "0o10", "b": "08", "c": "09", "d": "0x", "e": "0b2", "f": "_1"},
    ),
    T(
        "int:underscores-and-signs",
        "a: 1_000\nb: -0\nc: +5\nd: -1_0\ne: 1__0\nf: 1_\ng: 0_1\n",
        expected={"a": 1000, "b": 0, "c": 5, "d": -10, "e": 10, "f": 1, "g": 1},
    ),
    T("int:sexagesimal", "a: 1:30\nb: 190:20:30\n", expected={"a": 90, "b": 685230}),
    T(
        "float:exponents",
        "a: 1e3\nb: 1.5e-3\nc: 1.0e+3\nd: 1E3\ne: 12e3\nf: 1_2e3\ng: +1e3\n",
        expected={
            "a": 1000.0,
            "b": 0.0015,
            "c": 1000.0,
            "d": 1000.0,
            "e": 12000.0,
            "f": 12000.0,
            "g": 1000.0,
        },
    ),
    T(
        "float:dots",
        "a: .5\nb: 5.\nc: 0.\nd: 1_0.0_1\ne: -0.0\nf: 6.8523015e+5\n",
        expected={"a": 0.5, "b": 5.0, "c": 0.0, "d": 10.01, "e": -0.0, "f": 685230.15},
    ),
    T(
        "float:special",
        "a: .inf\nb: -.inf\nc: +.inf\nd: .NaN\ne: .Inf\nf: .nan\n",
        expected={
            "a": float("inf"),
            "b": float("-inf"),
            "c": float("inf"),
            "d": float("nan"),
            "e": float("inf"),
            "f": float("nan"),
        },
    ),
    T(
        "float:not-floats",
        "a: inf\nb: nan\nc: 1e\nd: 0.1.2\ne: -.5\nf: +.5\n",
        expected={"a": "inf", "b": "nan", "c": "1e", "d": "0.1.2", "e": "-.5", "f": "+.5"},
    ),
    T(
        "null:forms",
        "a: null\nb: ~\nc: Null\nd: NULL\ne:\nf: nULL\n",
        expected={"a": None, "b": None, "c": None, "d": None, "e": None, "f": "nULL"},
    ),
    T(
        "str:timestamps-stay-strings",
        "a: 2001-12-14\nb: 2001-12-14t21:59:43.10-05:00\nc: 2001-12-14 21:59:43.10 -5\n",
        expected={
            "a": "2001-12-14",
            "b": "2001-12-14t21:59:43.10-05:00",
            "c": "2001-12-14 21:59:43.10 -5",
        },
    ),
    T(
        "str:quoted-stays-str",
        "a: '1'\nb: \"true\"\nc: 'null'\nd: \"1e3\"\ne: ''\nf: '~'\n",
        expected={"a": "1", "b": "true", "c": "null", "d": "1e3", "e": "", "f": "~"},
    ),
    T(
        "str:escapes",
        "a: \"\\u00e9\\n\\t\"\nb: 'it''s'\nc: 'x\\y'\nd: \"\\\\\"\n",
        expected={"a": "é\n\t", "b": "it's", "c": "x\\y", "d": "\\"},
    ),
    T(
        "str:multi-line-plain-and-quoted",
        "a: multi\n  line\n  plain\nb: 'quoted\n\n  multi'\nc: \"dq\n  folded\"\n",
        expected={"a": "multi line plain", "b": "quoted\nmulti", "c": "dq folded"},
    ),
    T(
        "str:block-scalars",
        "a: |\n  x\n  y\nb: >\n  x\n  y\nc: |-\n  x\nd: >+\n  x\n\ne: |2\n    indented\n",
        expected={"a": "x\ny\n", "b": "x y\n", "c": "x", "d": "x\n\n", "e": "  indented\n"},
    ),
    T(
        "str:comments-and-hashes",
        "a: 1 # comment\nb: '# not a comment'\nc: x#y\n# whole line\n",
        expected={"a": 1, "b": "# not a comment", "c": "x#y"},
    ),
    T(
        "str:interpolation-text-kept",
        "a: ${b}\nb: 1\nc: '${oc.env:X}'\n",
        expected={"a": "${b}", "b": 1, "c": "${oc.env:X}"},
    ),
    T(
        "str:missing-marker",
        "a: ???\nb: '???'\nc: ['???']\nd:\n  - ???\n",
        expected={"a": "???", "b": "???", "c": ["???"], "d": ["???"]},
    ),
    T(
        "tag:explicit-core-tags",
        "a: !!str 1\nb: !!int '3'\nc: !!float 1\nd: !!bool 'yes'\ne: !!null ''\n",
        expected={"a": "1", "b": 3, "c": 1.0, "d": True, "e": None},
    ),
    T(
        "anchor:alias-and-merge-key",
        "a: &x {p: 1, q: 2}\nb: *x\nc:\n  <<: *x\n  q: 3\n",
        expected={"a": {"p": 1, "q": 2}, "b": {"p": 1, "q": 2}, "c": {"p": 1, "q": 3}},
    ),
    T(
        "anchor:merge-key-list",
        "base: &b {x: 1, y: 2}\nmore: &m {z: 3, y: 5}\nd:\n  <<: [*b, *m]\n  y: 9\n",
        expected={
            "base": {"x": 1, "y": 2},
            "more": {"z": 3, "y": 5},
            "d": {"x": 1, "y": 9, "z": 3},
        },
    ),
    T(
        "anchor:scalar-and-list",
        "a: &s 1\nb: *s\nl: &l [1, 2]\nm: *l\n",
        expected={"a": 1, "b": 1, "l": [1, 2], "m": [1, 2]},
    ),
    T(
        "flow:collections",
        "a: [1, 2, {b: c}]\nd: {e: f, g: [h]}\ni: [1,\n  2]\nj: []\nk: {}\n",
        expected={
            "a": [1, 2, {"b": "c"}],
            "d": {"e": "f", "g": ["h"]},
            "i": [1, 2],
            "j": [],
            "k": {},
        },
    ),
    T(
        "empty:values",
        "a:\nb: []\nc: {}\nd:\n  - \ne: ''\n",
        expected={"a": None, "b": [], "c": {}, "d": [None], "e": ""},
    ),
    T("empty:document", "", expected={}),
    T("empty:comment-only-document", "# nothing here\n", expected={}),
    T("top:list", "- 1\n- [2, 3]\n- {a: ~}\n", expected=[1, [2, 3], {"a": None}]),
    T("top:plain-string-becomes-key", "abc\n", expected={"abc": None}),
    T(
        "keys:int-float-and-str",
        "1: a\n2.5: b\n'1': c\n0x10: d\n",
        expected={1: "a", 2.5: "b", "1": "c", 16: "d"},
    ),
    T("keys:complex-key-syntax", "? a\n: 1\n", expected={"a": 1}),
    T(
        "keys:unicode",
        "ключ: значение\n名前: 値\némoji: 🎉\n",
        expected={"ключ": "значение", "名前": "値", "émoji": "🎉"},
    ),
    T(
        "doc:explicit-markers",
        "%YAML 1.1\n---\na: yes\n...\n",
        expected={"a": True},
    ),
    T(
        "nesting:deep-mixed",
        "a:\n  - b:\n      - c: {d: [1, {e: null}]}\n",
        expected={"a": [{"b": [{"c": {"d": [1, {"e": None}]}}]}]},
    ),
    # Inputs both sides must reject.
    T("error:duplicate-key", "a: 1\na: 2\n", error=True, ref_match="duplicate key"),
    T("error:duplicate-key-flow", "a: {b: 1, b: 2}\n", error=True, ref_match="duplicate key"),
    T("error:bad-indentation", "a:\n  b: 1\n c: 2\n", error=True, ref_match="expected <block end>"),
    T("error:tab-indentation", "a:\tb\n", error=True, ref_match="'\\\\t'"),
    T(
        "error:python-tag",
        "a: !!python/object:os.system x\n",
        error=True,
        ref_match="python/object",
    ),
    T("error:set-tag", "a: !!set {x}\n", error=True, ref_match="set"),
    T("error:timestamp-tag", "a: !!timestamp 2001-12-14\n", error=True, ref_match="date"),
    T("error:undefined-alias", "a: *nope\n", error=True, ref_match="undefined alias"),
    T("error:unclosed-quote", "a: 'x\n", error=True, ref_match="quoted scalar"),
    T("error:mapping-in-plain-scalar", "a: b: c\n", error=True, ref_match="not allowed here"),
    T("error:two-documents", "a: 1\n---\nb: 2\n", error=True, ref_match="single document"),
    T("error:unhashable-key", "[a, b]: 1\n", error=True, ref_match="unhashable"),
    T("error:null-key", "null: d\n", error=True, ref_match="Incompatible key type"),
    # "?" opens a complex key inside flow collections, so an unquoted ??? is invalid there.
    T("error:unquoted-missing-in-flow", "c: [???]\n", error=True, ref_match="found '\\?'"),
    T("error:top-level-scalar-int", "1\n", error=True),
    # PyYAML reads a ':' right before ',', ']' or '}' in a flow collection as the value indicator.
    T("flow:colon-before-brace", "x: {a:}\n"),
    T("flow:colon-before-comma", "x: {a:, b: 1, 1:}\n"),
    T("flow:colon-in-sequence", "x: [a:, b, é:]\n"),
    T("flow:double-colon", "x: {a::}\n"),
    T("flow:colon-inside-text", "x: [a:b]\n"),
    T("error:flow-colon-after-value", "x: {k: a:}\n", error=True),
]
