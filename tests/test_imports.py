"""Import hygiene: the module graph keeps its shape, and `import confcompose` stays cheap.

The rules, checked on the source with `ast` (an import inside a function counts; one under
`if TYPE_CHECKING:` does not, since it never runs):

1. Layers: every module has a rank (its row in LAYERS) and imports only modules of lower rows.
2. No circles: Tarjan's algorithm over the module graph finds none (rule 1 implies it; this
   check names the modules of a circle, which is the useful message).
3. No private names across modules: ``from m import _x`` only inside ``m`` itself; a private
   module (``pkg._m``) only from modules inside ``pkg``.
4. The upper layers use what the core offers: a module of ``app`` (and ``__main__``) imports
   from a core module only names listed in that module's ``__all__`` (or ``confcompose``'s), and
   reads only ``confcompose.<name>`` for names in ``confcompose.__all__``.
5. No module over MAX_LINES lines.

A violation that another branch is fixing may wait in KNOWN_VIOLATIONS, naming who fixes it; any
other violation fails, and so does an entry that no longer happens (delete it).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent.parent / "confcompose"
MAX_LINES = 700

# Bottom layer first: a module imports only modules of earlier rows. Names are relative to
# `confcompose` ("__init__" is the package itself; "app" is app/__init__.py).
LAYERS: list[tuple[str, ...]] = [
    # -- the core: strings to ASTs (they never build or read nodes), then the node tree --------
    ("_lazy_re", "_typing", "_version"),
    (
        "errors",
        "location",
        "parsing",
        "parsing._lark",
        "parsing.lexicon",
        "parsing.interp_ast",
    ),
    (
        "paths",
        "node_methods",
        "parsing.files",
        "parsing._interp_lex",
        "parsing.override_values",
        "parsing.yaml_scalars",
    ),
    ("parsing._interp_tx", "parsing._override_funcs"),
    ("parsing.interpolation", "parsing._override_build"),
    ("parsing._override_rd", "parsing._override_tx"),
    ("parsing.overrides",),
    ("parsing.sweeps", "nodes"),
    ("tree",),
    ("parsing.yaml",),
    # -- the core: merging, resolving, typing ---------------------------------------------------
    ("merge", "resolvers", "fieldspecs", "evaluator", "yaml_writer"),
    ("context",),
    ("resolve",),
    ("structured", "export"),
    ("root_engine",),
    # -- the core: composition, then the functional API over everything -----------------------
    (
        "composition.diskcache",
        "composition.defaults_list",
        "composition.store",
        "composition.value_overrides",
    ),
    ("composition.defaults", "composition.group_overrides", "composition.repository"),
    ("composition.composer",),
    ("composition",),
    ("api",),
    ("__init__",),
    ("instantiation", "schema"),
    # -- the application layer (UPPER: uses only what the core lists in __all__) ---------------
    ("app._records", "app.compat", "app.conf", "app.plugins", "app.progress", "app.tree"),
    ("app.args", "app.callbacks", "app.logsetup", "app.outdir", "app.launchers", "app.versions"),
    ("app.sources", "app.sweep"),
    ("app.runs",),
    ("app.records", "app.rerun", "app.standalone", "app.launchers.basic", "app.launchers.processes"),
    ("app.launchers.ray", "app.launchers.submitit"),
    ("app.driver", "app.plot", "app.completion", "app.help", "app.sweepers.optuna"),
    ("app.sweepers",),
    ("app.cli",),
    ("app.main",),
    ("app", "__main__"),
    # -- the Hydra and OmegaConf facades: nothing else imports them -----------------------------
    ("omegaconf.version", "omegaconf.errors", "omegaconf.base", "omegaconf.basecontainer"),
    ("omegaconf.nodes",),
    ("omegaconf._impl",),
    ("omegaconf._utils", "omegaconf.dictconfig", "omegaconf.listconfig"),
    ("omegaconf.omegaconf",),
    ("omegaconf",),
    ("hydra.conf", "hydra.core", "hydra.core.utils", "hydra.experimental", "hydra.types"),
    ("hydra.experimental.callback", "hydra.errors", "hydra.core.config_store"),
    ("hydra.experimental.callbacks", "hydra.core.hydra_config", "hydra.version"),
    ("hydra.utils", "hydra._context"),
    ("hydra.core.global_hydra",),
    ("hydra.compose", "hydra.initialize", "hydra.main"),
    ("hydra",),
]

# The layers held to public names (rule 4): the application and `python -m confcompose`.
UPPER = ("app", "__main__")

# Violations another branch is fixing; key -> who fixes it. Empty: the graph keeps every rule.
KNOWN_VIOLATIONS: dict[str, str] = {}


@dataclass(frozen=True)
class Edge:
    """``importer`` imports ``target`` (a module), or the name ``name`` from it, at ``line``."""

    importer: str
    target: str
    name: str | None
    line: int


@dataclass
class Module:
    name: str
    lines: int
    exports: frozenset[str] | None  # __all__, when it is a literal list
    imports: list[Edge] = field(default_factory=list)
    # `pkg.X` reads (line, X) in a module that did `import pkg` (rule 4 checks them)
    attributes: list[tuple[int, str]] = field(default_factory=list)


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def _type_checking_only(tree: ast.AST) -> set[int]:
    """The ids of nodes under `if TYPE_CHECKING:`: imports for type checkers, never run."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        test = node.test if isinstance(node, ast.If) else None
        if isinstance(test, ast.Name) and test.id == "TYPE_CHECKING":
            skip.update(id(n) for stmt in node.body for n in ast.walk(stmt))  # type: ignore[attr-defined]
    return skip


def _exports(tree: ast.Module) -> frozenset[str] | None:
    for stmt in tree.body:
        if (
            isinstance(stmt, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "__all__" for t in stmt.targets)
            and isinstance(stmt.value, ast.List | ast.Tuple)
        ):
            return frozenset(
                e.value
                for e in stmt.value.elts
                if isinstance(e, ast.Constant) and isinstance(e.value, str)
            )
    return None


def _absolute(node: ast.ImportFrom, importer: str, is_package: bool, pkg: str) -> str | None:
    """The imported module, relative to the package root ("__init__" for the root itself)."""
    if node.level == 0:
        module = node.module or ""
        if module != pkg and not module.startswith(pkg + "."):
            return None
        rest = module.removeprefix(pkg).lstrip(".")
        return rest or "__init__"
    base = [] if importer == "__init__" else importer.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    parts = base + (node.module.split(".") if node.module else [])
    return ".".join(parts) or "__init__"


def _read(path: Path, name: str, pkg: str, modules: set[str]) -> Module:
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    skip = _type_checking_only(tree)
    mod = Module(name, len(text.splitlines()), _exports(tree))
    binds_pkg = False
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom):
            target = _absolute(node, name, path.name == "__init__.py", pkg)
            if target is None:
                continue
            for alias in node.names:
                sub = alias.name if target == "__init__" else f"{target}.{alias.name}"
                if sub in modules:
                    mod.imports.append(Edge(name, sub, None, node.lineno))
                elif target in modules:
                    mod.imports.append(Edge(name, target, alias.name, node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == pkg:
                    binds_pkg = binds_pkg or alias.asname is None
                    mod.imports.append(Edge(name, "__init__", None, node.lineno))
                elif alias.name.startswith(pkg + "."):
                    target = alias.name.removeprefix(pkg + ".")
                    if target in modules:
                        mod.imports.append(Edge(name, target, None, node.lineno))
    if binds_pkg:
        mod.attributes = [
            (node.lineno, node.attr)
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == pkg
        ]
    return mod


def scan(root: Path) -> dict[str, Module]:
    """Every module of the package at ``root``, by name relative to it."""
    paths = {
        _module_name(p, root): p for p in sorted(root.rglob("*.py")) if "__pycache__" not in p.parts
    }
    names = set(paths)
    return {name: _read(path, name, root.name, names) for name, path in paths.items()}


def _cycles(modules: dict[str, Module]) -> list[list[str]]:
    """Tarjan's strongly connected components of more than one module (iterative)."""
    graph = {m: sorted({e.target for e in mod.imports} - {m}) for m, mod in modules.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, 0)]
        while work:
            v, i = work.pop()
            if i == 0:
                index[v] = low[v] = len(index)
                stack.append(v)
                on_stack.add(v)
            if i < len(graph[v]):
                work.append((v, i + 1))
                w = graph[v][i]
                if w not in index:
                    work.append((w, 0))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            if low[v] == index[v]:
                component = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    component.append(w)
                    if w == v:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
            if work:  # hand the low link back to the caller
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
    return found


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _private_module_outside(edge: Edge) -> bool:
    """A private module (``pkg._m``) imported from outside ``pkg``."""
    package, _, last = edge.target.rpartition(".")
    if not _is_private(last):
        return False
    return (
        bool(package) and edge.importer != package and not edge.importer.startswith(package + ".")
    )


def _in(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def _public_violations(modules: dict[str, Module], upper: tuple[str, ...]) -> set[str]:
    root = modules["__init__"].exports or frozenset()
    found = set()
    for mod in modules.values():
        if not _in(mod.name, upper):
            continue
        for edge in mod.imports:
            if _in(edge.target, upper) or (edge.target == "__init__" and edge.name is None):
                continue
            offered = modules[edge.target].exports or frozenset()
            if edge.name is None or edge.name not in offered:
                what = edge.target if edge.name is None else f"{edge.target}.{edge.name}"
                found.add(f"public: {mod.name} uses {what}")
        for _, attr in mod.attributes:
            if attr not in root and not _in(attr, upper):
                found.add(f"public: {mod.name} uses __init__.{attr}")
    return found


def violations(
    modules: dict[str, Module],
    layers: list[tuple[str, ...]],
    upper: tuple[str, ...],
    max_lines: int,
) -> set[str]:
    """Every broken rule, one line each (the keys of KNOWN_VIOLATIONS)."""
    rank = {name: i for i, row in enumerate(layers) for name in row}
    found = set()
    for name in sorted(set(modules) - set(rank)):
        found.add(f"unranked: {name} (add it to LAYERS)")
    for name in sorted(set(rank) - set(modules)):
        found.add(f"unranked: {name} is in LAYERS but no module")
    for mod in modules.values():
        if mod.lines > max_lines:
            found.add(f"size: {mod.name} over {max_lines} lines")
        for edge in mod.imports:
            if edge.target == mod.name:
                continue
            if mod.name in rank and edge.target in rank and rank[edge.target] >= rank[mod.name]:
                found.add(f"upward: {mod.name} imports {edge.target}")
            if edge.name is not None and _is_private(edge.name):
                found.add(f"private: {mod.name} imports {edge.target}.{edge.name}")
            if _private_module_outside(edge):
                found.add(f"private: {mod.name} imports {edge.target}")
    found.update(f"cycle: {' '.join(c)}" for c in _cycles(modules))
    return found | _public_violations(modules, upper)


def _unexpected(found: set[str], known: dict[str, str], kind: str) -> list[str]:
    """What fails the test: new violations of ``kind``, and known ones that no longer happen."""
    found = {v for v in found if v.startswith(kind)}
    listed = {v for v in known if v.startswith(kind)}
    return [f"new: {v}" for v in sorted(found - listed)] + [
        f"fixed, delete it from KNOWN_VIOLATIONS ({known[v]}): {v}" for v in sorted(listed - found)
    ]


@pytest.fixture(scope="module")
def found() -> set[str]:
    return violations(scan(PKG), LAYERS, UPPER, MAX_LINES)


@pytest.mark.parametrize("kind", ["unranked", "upward", "cycle", "private", "public", "size"])
def test_module_graph(kind: str, found: set[str]) -> None:
    problems = _unexpected(found, KNOWN_VIOLATIONS, kind)
    assert not problems, "\n  ".join(["the module graph breaks a rule:", *problems])


def test_known_violations_name_who_fixes_them() -> None:
    assert set(KNOWN_VIOLATIONS.values()) <= {"tree", "composer", "parsing"}


# -- the checker itself, on a small package that breaks every rule once ----------------------

SYNTHETIC = {
    "__init__.py": "from pkg.low import api_fn\n__all__ = ['api_fn']\n",
    "low.py": "__all__ = ['offered']\noffered = _hidden = 1\ndef api_fn(): ...\n",
    "big.py": "x = 1\n" * 11,
    "mid.py": (
        "from typing import TYPE_CHECKING\n"
        "from pkg.low import _hidden, offered\n"
        "if TYPE_CHECKING:\n"
        "    from pkg.app.ui import Thing  # never runs: no edge\n"
        "def later():\n"
        "    from pkg import top  # a function-level import still counts\n"
    ),
    "top.py": "from .mid import later\nfrom . import low\n",
    "stray.py": "",
    "sub/__init__.py": "",
    "sub/_priv.py": "",
    "sub/user.py": "from pkg.sub import _priv\n",
    "app/__init__.py": "",
    "app/ui.py": (
        "import pkg\n"
        "from pkg.low import offered, api_fn\n"
        "from ..sub import _priv\n"
        "from pkg import api_fn as fine\n"
        "Thing = (pkg.api_fn, pkg.secret, pkg.app)\n"
    ),
}
SYNTHETIC_LAYERS = [
    ("low", "big", "sub", "sub._priv", "ghost"),
    ("sub.user", "mid"),
    ("top",),
    ("__init__",),
    ("app", "app.ui"),
]


def test_checker_finds_every_kind_of_violation(tmp_path: Path) -> None:
    for rel, text in SYNTHETIC.items():
        path = tmp_path / "pkg" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    got = violations(scan(tmp_path / "pkg"), SYNTHETIC_LAYERS, ("app",), max_lines=10)
    assert got == {
        "unranked: stray (add it to LAYERS)",
        "unranked: ghost is in LAYERS but no module",
        "size: big over 10 lines",
        "private: mid imports low._hidden",
        "upward: mid imports top",
        "cycle: mid top",
        "private: app.ui imports sub._priv",
        "public: app.ui uses low.api_fn",
        "public: app.ui uses sub._priv",
        "public: app.ui uses __init__.secret",
    }
    known = {"size: big over 10 lines": "tree", "size: gone over 10 lines": "tree"}
    assert _unexpected(got, known, "size") == [
        "fixed, delete it from KNOWN_VIOLATIONS (tree): size: gone over 10 lines"
    ]
    assert _unexpected(got, {}, "cycle") == ["new: cycle: mid top"]


def test_third_party_imports_are_confined() -> None:
    allowed = {
        "lark": {"parsing/_lark.py", "parsing/_interp_tx.py", "parsing/_override_tx.py"},
        "ruamel": {"parsing/yaml.py", "yaml_writer.py"},
    }
    for path in sorted(PKG.rglob("*.py")):
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
