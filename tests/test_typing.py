"""User code type-checks under `mypy --strict` with precise types (tests/typing/*.py).

Each ``reveal_type(x)  # revealed: T`` line states the type mypy must reveal; every script must
otherwise be free of errors (no "untyped decorator", no Any leaking from the public API).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted((ROOT / "tests" / "typing").glob("*.py"))
EXPECTED = re.compile(r"reveal_type\(.*\)\s+# revealed: (.+)$")
NOTE = re.compile(r"^(.+?):(\d+): note: Revealed type is \"(.+)\"$")

pytest.importorskip("mypy")


def _normal(text: str) -> str:
    # mypy versions differ in spelling builtins ("builtins.str" or "str"); the node classes
    # are written short in the scripts.
    return text.replace("builtins.", "").replace("confcompose.nodes.", "").strip()


@pytest.fixture(scope="module")
def mypy_output(tmp_path_factory: pytest.TempPathFactory) -> str:
    # One run over every script: the package is checked once and the cache stays in tmp.
    cache = tmp_path_factory.mktemp("mypy-cache")
    command = [sys.executable, "-m", "mypy", "--strict", "--no-incremental"]
    command += ["--cache-dir", str(cache), "--config-file", str(ROOT / "pyproject.toml")]
    done = subprocess.run(
        [*command, *map(str, SCRIPTS)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def _expected() -> list[object]:
    cases = []
    for script in SCRIPTS:
        for lineno, line in enumerate(script.read_text().splitlines(), 1):
            m = EXPECTED.search(line)
            if m:
                rel = script.relative_to(ROOT).as_posix()
                cases.append(pytest.param(rel, lineno, m.group(1), id=f"{script.name}:{lineno}"))
    return cases


@pytest.mark.parametrize(("script", "lineno", "expected"), _expected())
def test_revealed_type(mypy_output: str, script: str, lineno: int, expected: str) -> None:
    revealed = {}
    for line in mypy_output.splitlines():
        m = NOTE.match(line)
        if m:
            revealed[(Path(m.group(1)).as_posix(), int(m.group(2)))] = m.group(3)
    assert (script, lineno) in revealed, mypy_output
    assert _normal(revealed[(script, lineno)]) == _normal(expected)


def test_every_reveal_is_checked() -> None:
    for script in SCRIPTS:
        for line in script.read_text().splitlines():
            if "reveal_type(" in line and "import" not in line:
                assert EXPECTED.search(line), f"{script.name}: {line.strip()} has no expectation"


def test_no_errors_and_a_decorated_app(mypy_output: str) -> None:
    assert "error:" not in mypy_output
    assert "Success: no issues found in" in mypy_output
    assert any("@confcompose.main" in s.read_text() for s in SCRIPTS)
