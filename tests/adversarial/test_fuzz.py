"""Seeded fuzzing: YAML text, overrides and interpolations only ever give values or ConfigErrors.

Hypothesis runs derandomized (a fixed seed, no example database) with a bounded number of
examples, so CI sees the same inputs every time. Inputs that could exhaust memory or time run in
a subprocess under ``resource.setrlimit`` and a timeout.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import confcompose as cc
from confcompose.parsing.overrides import parse_override

FUZZ = settings(
    derandomize=True,
    database=None,
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

YAML_ATOMS = [
    "a",
    "b",
    "k",
    "1",
    "0x1f",
    "1e3",
    ".inf",
    "~",
    "null",
    "yes",
    "???",
    "${a}",
    "${oc.env:HOME}",
    ":",
    ": ",
    "- ",
    "-",
    "[",
    "]",
    "{",
    "}",
    ",",
    "'",
    '"',
    "#",
    "&x ",
    "*x",
    "!!str ",
    "!!int ",
    "!!binary ",
    "!foo ",
    "|",
    ">",
    "? ",
    "<<: ",
    "%YAML 1.1\n",
    "---\n",
    "...\n",
    "\n",
    "\n  ",
    "\n    ",
    "\t",
    " ",
    "\\",
    "@",
    "\x00",
    "\x85",
    "\u2028",
    "é",
    "\ufeff",
]
OVERRIDE_ATOMS = [
    "a",
    "b",
    "db",
    "x",
    ".",
    "/",
    "=",
    "+",
    "++",
    "~",
    "@",
    "@pkg",
    ",",
    "[",
    "]",
    "{",
    "}",
    "(",
    ")",
    ":",
    "'",
    '"',
    "\\",
    " ",
    "$",
    "${a}",
    "${",
    "}",
    "1",
    "1.5",
    "-1",
    "null",
    "true",
    "choice",
    "range",
    "interval",
    "glob",
    "shuffle",
    "sort",
    "tag",
    "key=",
    "int(",
    "str(",
    "nan",
    "inf",
]
INTERP_ATOMS = [
    "${",
    "}",
    "a",
    "b.c",
    "b",
    "c",
    ".",
    "..",
    ":",
    ",",
    "oc.env",
    "oc.select",
    "oc.decode",
    "oc.create",
    "oc.dict.keys",
    "oc.dict.values",
    "nope",
    "HOME",
    "[",
    "]",
    "{",
    "}",
    "'",
    '"',
    "\\",
    " ",
    "1",
    "null",
    "${a}",
    "${b.c}",
    "${x}",
    "${oc.env:HOME}",
    "$",
    "=",
    "???",
]


def _text(atoms: list[str], max_size: int) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(atoms), max_size=max_size).map("".join)


def _only_values_or_config_errors(fn: Any) -> None:
    with contextlib.suppress(cc.ConfigError):
        fn()


@FUZZ
@given(_text(YAML_ATOMS, 30))
def test_yaml_text(text: str) -> None:
    def run() -> None:
        cfg = cc.create(text)
        cc.to_container(cfg, resolve=True)
        cc.to_yaml(cfg)
        str(cfg)

    _only_values_or_config_errors(run)


@FUZZ
@given(_text(OVERRIDE_ATOMS, 12))
def test_override_strings(text: str) -> None:
    _only_values_or_config_errors(lambda: parse_override(text))


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz-tree")
    (root / "db").mkdir()
    (root / "config.yaml").write_text("defaults:\n  - db: a\n  - _self_\nx: 1\ny: {z: [1, 2]}\n")
    (root / "db" / "a.yaml").write_text("host: h\nport: 1\n")
    (root / "db" / "b.yaml").write_text("host: ${x}\n")
    return root


@FUZZ
@given(st.lists(_text(OVERRIDE_ATOMS, 8), max_size=3))
def test_overrides_applied_to_a_tree(tree: Path, overrides: list[str]) -> None:
    def run() -> None:
        cfg = cc.compose(tree, overrides)
        cc.to_container(cfg, resolve=True)

    _only_values_or_config_errors(run)


@FUZZ
@given(_text(INTERP_ATOMS, 12))
def test_interpolations(text: str) -> None:
    def run() -> None:
        cfg = cc.create({"a": 1, "b": {"c": 2}, "x": text, "l": [text, "${x}"]})
        cc.to_container(cfg, resolve=True)
        cc.resolve(cfg)

    _only_values_or_config_errors(run)


# -- risky inputs under resource limits ---------------------------------------------------------

RISKY = {
    "billion-laughs": "\n".join(
        ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    ),
    "long-scalar-aliased": "a: &x " + "y" * 10_000 + "\nb: [" + ", ".join(["*x"] * 20_000) + "]",
    "fan-out-60": "\n".join(
        ["a0: x"] + [f"a{i}: ${{a{i - 1}}}${{a{i - 1}}}" for i in range(1, 61)]
    ),
    "fan-out-select-60": "\n".join(
        ["a0: x"] + [f"a{i}: ${{oc.select:a{i - 1}}}${{oc.select:a{i - 1}}}" for i in range(1, 61)]
    ),
    "deep-nesting": "".join("  " * i + "k:\n" for i in range(3000)) + "  " * 3000 + "v: 1",
    "deep-flow": "a: " + "[" * 5000 + "]" * 5000,
    "self-reference": "x:\n  a: ${x}",
}

RUNNER = textwrap.dedent(
    """
    import resource, sys
    limit = 768 * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import confcompose as cc
    text = sys.stdin.read()
    try:
        cfg = cc.create(text)
        cc.to_container(cfg, resolve=True)
        cc.to_yaml(cfg, resolve=True)
        str(cfg)
        print("value")
    except cc.ConfigError as e:
        print("config-error", type(e).__name__)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="resource.setrlimit is POSIX")
@pytest.mark.parametrize("name", sorted(RISKY))
def test_risky_inputs_stay_within_limits(name: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER],
        input=RISKY[name],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONFAULTHANDLER": "1"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split()[0] in ("value", "config-error"), proc.stdout
