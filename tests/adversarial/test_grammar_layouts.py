"""The grammars are found in an installed layout and in a source checkout, a stale copy is
skipped, and a missing grammar says what is wrong instead of Lark's "undefined rule"."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import confcompose

SOURCE = Path(confcompose.__file__).resolve().parent
GRAMMARS = sorted(Path(__file__).resolve().parents[2].joinpath("grammar").glob("*.lark")) or sorted(
    SOURCE.joinpath("grammar").glob("*.lark")
)
CODE = (
    # Drop the finder of an editable install of this checkout: the copy must stand alone.
    "import sys\n"
    "sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in str(f.__module__)]\n"
    "import confcompose as cc\n"
    "from confcompose.parsing import _lark\n"
    "_lark.build('override.lark', 'override')\n"  # no fast path: the grammar itself
    "_lark.build('interpolation.lark', 'start')\n"
    "from confcompose.parsing.overrides import parse_override\n"
    "print(cc.__file__.startswith(sys.argv[1]), parse_override('a=[1,2]').value, "
    "cc.to_container(cc.create({'x': 1, 'y': '${x}'}), resolve=True))\n"
)


def _tree(tmp_path: Path, layout: str) -> Path:
    root = tmp_path / "checkout"
    shutil.copytree(SOURCE, root / "confcompose", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.rmtree(root / "confcompose" / "grammar", ignore_errors=True)
    if layout in ("installed", "stale-installed-copy"):
        target = root / "confcompose" / "grammar"
        target.mkdir()
        (target / "__init__.py").write_text("")
        for g in GRAMMARS:
            shutil.copy(g, target / g.name)
    if layout in ("source", "stale-installed-copy"):
        target = root / "grammar"
        target.mkdir()
        (target / "__init__.py").write_text("")
        for g in GRAMMARS:
            shutil.copy(g, target / g.name)
    if layout == "stale-installed-copy":  # an old checkout's leftover in the package folder
        (root / "confcompose" / "grammar" / "override.lark").write_text("old: 'x'\n")
    return root


def _run(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-c", CODE, str(root)], capture_output=True, text=True, env=env, cwd=root
    )


@pytest.mark.parametrize("layout", ["installed", "source", "stale-installed-copy"])
def test_grammars_are_found(tmp_path: Path, layout: str) -> None:
    assert GRAMMARS, "the grammar files of this checkout"
    proc = _run(_tree(tmp_path, layout))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "True [1, 2] {'x': 1, 'y': 1}\n"


def test_missing_grammars_say_what_is_wrong(tmp_path: Path) -> None:
    proc = _run(_tree(tmp_path, "none"))
    assert proc.returncode != 0
    assert "cannot find its grammar file 'override.lark'" in proc.stderr
    assert "keep the grammar/ folder beside confcompose/" in proc.stderr
    assert "undefined rule" not in proc.stderr
