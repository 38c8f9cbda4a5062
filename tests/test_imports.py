"""Import hygiene: a cheap `import confcompose`, and no module importing a layer above it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "confcompose"

# Each module may import only modules of its own layer or layers before it (DESIGN.md §3).
LAYERS: list[set[str]] = [
    {"location", "errors", "paths", "_version", "_typing", "_lazy_re"},
    {"node_methods", "nodes", "tree"},
    {"parsing"},
    {"resolvers", "context", "merge"},
    {"resolve", "evaluator"},
    {"fieldspecs", "structured", "export", "yaml_writer"},
    {"composition"},
    {"api"},
    {"__init__"},
    {"instantiation", "testing", "schema"},
    {"app"},
    # the Hydra/OmegaConf compatibility facades and `python -m confcompose` sit on top of everything
    {"omegaconf", "hydra", "__main__"},
]


def _layer(module: str) -> int:
    top = module.split(".")[0]
    for i, names in enumerate(LAYERS):
        if top in names:
            return i
    raise AssertionError(f"confcompose.{module} is in no layer: add it to LAYERS")


def _modules() -> list[Path]:
    return sorted(p for p in PKG.rglob("*.py") if "__pycache__" not in p.parts)


def _type_checking_only(tree: ast.AST) -> set[int]:
    """The ids of nodes under `if TYPE_CHECKING:`: imports for type checkers, never run."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        test = node.test if isinstance(node, ast.If) else None
        if isinstance(test, ast.Name) and test.id == "TYPE_CHECKING":
            skip.update(id(n) for stmt in node.body for n in ast.walk(stmt))  # type: ignore[attr-defined]
    return skip


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text())
    skip = _type_checking_only(tree)
    found = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("confcompose")
        ):
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("confcompose")]
    return found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PKG)))
def test_no_import_reaches_up(path: Path) -> None:
    rel = path.relative_to(PKG).with_suffix("")
    module = ".".join(rel.parts)
    here = _layer(module)
    for lineno, imported in _imports(path):
        target = imported.removeprefix("confcompose").lstrip(".") or "__init__"
        if target.split(".")[0] in {"grammar"}:
            continue
        if module.startswith("app") and not target.startswith("app"):
            continue  # the app layer sits on top and may use anything public
        assert _layer(target) <= here, (
            f"{rel}.py:{lineno} imports confcompose.{target} (a later layer)"
        )


def test_third_party_imports_are_confined() -> None:
    allowed = {
        "lark": {"parsing/_lark.py", "parsing/_interp_tx.py", "parsing/_override_tx.py"},
        "ruamel": {"parsing/yaml.py", "yaml_writer.py"},
    }
    for path in _modules():
        rel = str(path.relative_to(PKG))
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in allowed:
                    assert rel in allowed[top], f"{rel} imports {name}"
                assert top not in {"hydra", "omegaconf"}, f"{rel} imports {name}"


def test_import_is_cheap() -> None:
    code = (
        "import sys, confcompose\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('lark', 'ruamel') "
        "or m.startswith('confcompose.app') or m.startswith('confcompose.composition.') "
        "or m == 'confcompose.instantiation')\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_plain_values_never_load_lark() -> None:
    code = (
        "import sys, confcompose as cc\n"
        "c = cc.create({'a': 1, 'b': '${a}', 'c': 'plain', 'd': '${.b}'})\n"
        "assert (c.b, c.c, c.d) == (1, 'plain', 1)\n"
        "print('lark' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
