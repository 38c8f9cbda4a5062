"""Every documented example runs: README code blocks and the docstring examples of the package."""

from __future__ import annotations

import doctest
import importlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def _blocks() -> list[object]:
    out = []
    for doc in DOCS:
        if not doc.exists():
            continue
        for i, m in enumerate(BLOCK.finditer(doc.read_text())):
            line = doc.read_text()[: m.start()].count("\n") + 1
            out.append(pytest.param(m.group(1), id=f"{doc.name}:{line}:block{i}"))
    return out


# A block whose first line is this comment is compiled but not run: it shows a feature that
# another part of the project provides (the reason follows the colon).
NOT_RUN = "# not run:"


@pytest.mark.parametrize("code", _blocks())
def test_doc_block_runs(code: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if code.startswith(NOT_RUN):
        compile(code, "<doc>", "exec")
        return
    monkeypatch.chdir(ROOT)
    # A real module, so dataclasses defined in the example can find their namespace.
    module = types.ModuleType("__doc_example__")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    exec(compile(code, "<doc>", "exec"), module.__dict__)


CONSOLE = re.compile(r"```console\n(.*?)```", re.DOTALL)


def _commands() -> list[object]:
    out = []
    for doc in DOCS:
        if doc.exists():
            for m in CONSOLE.finditer(doc.read_text()):
                if m.group(1).startswith(NOT_RUN):
                    continue  # checked by test_doc_command_parses only
                for line in m.group(1).splitlines():
                    if line.startswith("$ "):
                        out.append(pytest.param(line[2:], id=f"{doc.name}:{line[2:60]}"))
    return out


def test_doc_command_parses() -> None:
    for doc in DOCS:
        if doc.exists():
            for m in CONSOLE.finditer(doc.read_text()):
                for line in m.group(1).splitlines():
                    if line.startswith("$ "):
                        assert shlex.split(line[2:])[0] in {"python", "confcompose"}, line


@pytest.mark.parametrize("command", _commands())
def test_doc_command_runs(command: str, tmp_path: Path) -> None:
    # Run from a scratch copy of the examples so run directories land in tmp_path.
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    words = shlex.split(command)
    if words[0] == "python":
        words[0] = sys.executable
    elif words[0] == "confcompose":
        words = [sys.executable, "-m", "confcompose.app.cli", *words[1:]]
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMP_")}
    done = subprocess.run(words, cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() or done.stderr.strip()


def _modules() -> list[str]:
    names = []
    for path in sorted((ROOT / "confcompose").rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        if "app" in rel.parts or "__pycache__" in rel.parts:
            continue
        names.append(".".join(rel.parts).removesuffix(".__init__"))
    return names


@pytest.mark.parametrize("name", _modules())
def test_docstring_examples(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} docstring example(s) failed in {name}"


def test_readme_opens_with_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text()
    first = text.split("```bash\n", 1)[1].split("```", 1)[0].strip().splitlines()
    assert first[0].startswith("pip install -e . && python examples/")
    assert first[1] == "pip install -e '.[test]' && python -m pytest"
    ci = (ROOT / ".ci" / "run").read_text()
    assert "python -m pip install -q -e '.[test,docs]'" in ci
    assert "mkdocs build --strict" in ci
    assert "python -m pytest" in ci
    assert os.access(ROOT / ".ci" / "run", os.X_OK)


DATA_BLOCK = re.compile(r"```(json|toml)\n(.*?)```", re.DOTALL)


def _data_blocks() -> list[object]:
    out = []
    for doc in DOCS:
        if doc.exists():
            for m in DATA_BLOCK.finditer(doc.read_text()):
                out.append(pytest.param(m.group(1), m.group(2), id=f"{doc.name}:{m.group(1)}"))
    return out


@pytest.mark.parametrize(("kind", "text"), _data_blocks())
def test_doc_data_block_parses(kind: str, text: str) -> None:
    if kind == "json":
        json.loads(text)
    else:
        tomllib = pytest.importorskip("tomllib")
        tomllib.loads(text)


def test_editor_page_shows_the_real_mapping() -> None:
    from confcompose.schema import vscode_yaml_schemas

    text = (ROOT / "docs" / "editors.md").read_text()
    shown = json.loads(DATA_BLOCK.search(text).group(2))  # type: ignore[union-attr]
    real = vscode_yaml_schemas(
        ROOT / "examples" / "my_app" / "conf", ROOT / "schemas", workspace=ROOT
    )
    assert shown == {"yaml.schemas": real}


def test_provenance_page_shows_the_real_explain_output(monkeypatch: pytest.MonkeyPatch) -> None:
    import confcompose
    from confcompose.app.cli import explain

    monkeypatch.chdir(ROOT)
    text = (ROOT / "docs" / "provenance.md").read_text()
    shown = text.split("```text\n", 1)[1].split("```", 1)[0]
    cfg = confcompose.compose("examples/train/config", ["dataset.batch_size=64"])
    assert explain(cfg, "dataset.batch_size").replace(f"{ROOT}{os.sep}", "") == shown
