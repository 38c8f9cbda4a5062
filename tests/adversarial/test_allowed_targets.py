"""S2: ``allowed_targets`` holds on every module traversed and on the final object's module."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import confcompose as cc
from confcompose import instantiate


@pytest.fixture
def myapp(tmp_path: Path) -> Iterator[str]:
    pkg = tmp_path / "myapp_adv"
    (pkg / "models").mkdir(parents=True)
    (pkg / "__init__.py").write_text(
        "import os\nimport subprocess\nfrom subprocess import Popen as Reexported\n"
        "class Model:\n    def __init__(self, n=1):\n        self.n = n\n"
        "    @classmethod\n    def build(cls, n=2):\n        return cls(n)\n"
        "def make(n=3):\n    return Model(n)\n"
    )
    (pkg / "models" / "__init__.py").write_text(
        "import importlib\nclass Net:\n    def __init__(self, width=4):\n        self.width = width\n"
    )
    sys.path.insert(0, str(tmp_path))
    try:
        yield "myapp_adv"
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == "myapp_adv" or m.startswith("myapp_adv.")]:
            del sys.modules[name]


@pytest.mark.parametrize(
    "target",
    [
        "{p}.os.system",
        "{p}.subprocess.Popen",
        "{p}.models.importlib.import_module",
        "{p}.Reexported",
        "{p}.os",
        "{p}.__builtins__.eval",
        "{p}.Model.__init__.__globals__",
        "{p}.make.__globals__",
        "{p}.Model.__subclasses__",
    ],
)
def test_traversal_out_of_the_allow_list_is_refused(myapp: str, target: str) -> None:
    cfg = cc.create({"_target_": target.format(p=myapp), "_args_": ["echo pwned"]})
    with pytest.raises(cc.InstantiationError, match="not allowed"):
        instantiate(cfg, allowed_targets=(myapp + ".",))


@pytest.mark.parametrize(
    ("target", "attr", "value"),
    [
        ("{p}.Model", "n", 1),
        ("{p}.make", "n", 3),
        ("{p}.Model.build", "n", 2),
        ("{p}.models.Net", "width", 4),
    ],
)
def test_targets_inside_the_allow_list_still_work(
    myapp: str, target: str, attr: str, value: int
) -> None:
    obj = instantiate({"_target_": target.format(p=myapp)}, allowed_targets=(myapp + ".",))
    assert getattr(obj, attr) == value


def test_allowing_a_subpackage_lets_its_parent_be_traversed(myapp: str) -> None:
    obj = instantiate({"_target_": f"{myapp}.models.Net"}, allowed_targets=(f"{myapp}.models",))
    assert obj.width == 4
    with pytest.raises(cc.InstantiationError, match="not allowed"):
        instantiate({"_target_": f"{myapp}.make"}, allowed_targets=(f"{myapp}.models",))


def test_without_an_allow_list_nothing_changes(myapp: str) -> None:
    assert instantiate({"_target_": f"{myapp}.os.path.join", "_args_": ["a", "b"]}) == "a/b"
